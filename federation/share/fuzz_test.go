package share_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/semver"
	"github.com/fedwasm/fedwasm/federation/share"
)

// fuzzInput is what FuzzResolve decodes from its bytes.
type fuzzInput struct {
	strategy  string
	providers []share.Provider
	preload   *share.Consumer // resolved first; its choice is marked loaded
	consumer  share.Consumer
}

// byteReader yields the fuzz bytes one at a time, then zeros.
type byteReader struct {
	data []byte
}

func (r *byteReader) next() byte {
	if len(r.data) == 0 {
		return 0
	}
	b := r.data[0]
	r.data = r.data[1:]
	return b
}

const fuzzPackage = "pkg"

func decodeFuzz(data []byte, rng, extraVersion string) fuzzInput {
	r := &byteReader{data: data}
	versions := []string{"0", "1.0", "1.0.0", "1.0.0+b", "1.2.3", "1.2.3-beta.1", "1.10.0", "2.0.0", "2.0.0-rc.1", "v2.0.0", "1.2.3-beta.10", extraVersion}
	froms := []string{"a", "b", "c", "bb"}
	scopes := []string{"", "default", "other"}

	flags := r.next()
	in := fuzzInput{strategy: config.VersionFirst}
	if flags&1 != 0 {
		in.strategy = config.LoadedFirst
	}
	c := share.Consumer{
		Package:       fuzzPackage,
		From:          "consumer",
		Singleton:     flags&2 != 0,
		StrictVersion: flags&4 != 0,
		Eager:         flags&8 != 0,
		HasFallback:   flags&16 != 0,
	}
	if flags&64 != 0 {
		c.RequiredVersion = rng
	}
	if flags&128 != 0 {
		c.Scope = "other"
	}
	in.consumer = c
	n := int(r.next() % 6)
	for i := 0; i < n; i++ {
		v := r.next()
		b := r.next()
		in.providers = append(in.providers, share.Provider{
			Package: fuzzPackage,
			Version: versions[int(v)%len(versions)],
			From:    froms[int(b)%len(froms)],
			Eager:   b&4 != 0,
			Scope:   scopes[int(b>>3)%len(scopes)],
		})
	}
	if flags&32 != 0 {
		pb := r.next()
		p := share.Consumer{Package: fuzzPackage, Scope: c.Scope, From: "loader", Singleton: pb&1 != 0, Eager: pb&2 != 0}
		if pb&4 != 0 {
			p.RequiredVersion = rng
		}
		in.preload = &p
	}
	return in
}

type fuzzResult struct {
	choice share.Choice
	err    error
	snap   []share.PackageReport
}

func runFuzz(in fuzzInput, order []int) fuzzResult {
	s := share.NewScopes(in.strategy)
	for _, k := range order {
		p := in.providers[k]
		if _, _, err := s.Register(p); err != nil {
			if errcode.CodeOf(err) != errcode.ShareInvalidVersion {
				panic(fmt.Sprintf("Register(%+v): unexpected %v", p, err))
			}
		}
	}
	if in.preload != nil {
		if ch, err := s.Resolve(*in.preload); err == nil && !ch.UseFallback {
			s.MarkLoaded(ch.ID)
		}
	}
	ch, err := s.Resolve(in.consumer)
	return fuzzResult{choice: ch, err: err, snap: s.Snapshot()}
}

func FuzzResolve(f *testing.F) {
	// flags: 1 loaded-first, 2 singleton, 4 strict, 8 eager, 16 fallback, 32 preload, 64 range, 128 scope "other".
	f.Add([]byte{0, 4, 0, 0, 4, 1, 7, 2, 3, 3}, "", "3.0.0")
	f.Add([]byte{64, 4, 0, 0, 4, 1, 7, 2, 3, 3}, "^1.0.0", "1.5.0")
	f.Add([]byte{64 | 4, 3, 7, 0, 9, 1, 4, 2}, "^2.0.0", "2.0.0-rc.2")
	f.Add([]byte{64 | 4 | 2, 3, 7, 0, 4, 1, 6, 2}, "^1.2.0", "1.2.9")
	f.Add([]byte{64 | 2, 3, 7, 0, 4, 1, 6, 2}, ">=1.2.3-beta.1 <2", "1.2.3-beta.2")
	f.Add([]byte{64 | 2 | 32, 3, 7, 0, 4, 1, 6, 2, 0}, "^2", "2.1.0")
	f.Add([]byte{64 | 32 | 1, 5, 7, 0, 4, 1, 6, 2, 2, 3, 10, 4, 1}, "^1 || ^2", "1.9.9")
	f.Add([]byte{8 | 64, 4, 0, 4, 4, 1, 7, 6, 3, 3}, "*", "0.0.1")
	f.Add([]byte{16 | 4 | 64, 2, 0, 0, 4, 1}, "^5", "6.0.0")
	f.Add([]byte{128 | 64, 3, 0, 16, 4, 17, 7, 8}, "~1.2", "1.2.4")
	f.Add([]byte{64, 5, 2, 0, 2, 1, 2, 2, 3, 3, 3, 1}, "1.0.0", "1.0.0+c")
	f.Add([]byte{64, 2, 11, 0, 11, 1}, "<=99999999999999999999", "1.0.0-99999999999999999999")
	f.Add([]byte{64, 1, 0, 0}, "^^1", "x")
	f.Add([]byte{}, "", "")
	f.Fuzz(func(t *testing.T, data []byte, rng, extraVersion string) {
		in := decodeFuzz(data, rng, extraVersion)
		var first fuzzResult
		var firstOutcome string
		perms := 0
		permute(len(in.providers), func(order []int) {
			res := runFuzz(in, order)
			got := outcome(res.choice, res.err)
			if perms == 0 {
				first, firstOutcome = res, got
			} else if got != firstOutcome {
				t.Fatalf("registration order changes the answer:\ninput %+v\norder %v: %s\nfirst:     %s", in, order, got, firstOutcome)
			}
			perms++
		})
		checkFuzzInvariants(t, in, first)
	})
}

func checkFuzzInvariants(t *testing.T, in fuzzInput, res fuzzResult) {
	t.Helper()
	c := in.consumer
	ch, err := res.choice, res.err
	hasRange := c.RequiredVersion != ""
	scope := c.Scope
	if scope == "" {
		scope = config.DefaultScope
	}
	checkFuzzReport(t, c, scope, res)
	if err != nil {
		var coded *errcode.Error
		if !asCoded(err, &coded) {
			t.Fatalf("uncoded error %T: %v", err, err)
		}
		switch coded.Code {
		case errcode.ShareInvalidRange:
			if _, perr := semver.ParseRange(c.RequiredVersion); perr == nil {
				t.Fatalf("SHARE_INVALID_RANGE for a range that parses: %q", c.RequiredVersion)
			}
		case errcode.ShareNotFound:
			if c.HasFallback {
				t.Fatalf("SHARE_NOT_FOUND although the consumer has a fallback")
			}
		case errcode.ShareSingletonMismatch, errcode.ShareNoSatisfying:
			if !c.StrictVersion {
				t.Fatalf("%s error for a non-strict consumer", coded.Code)
			}
			checkMismatchMessage(t, coded, c)
		default:
			t.Fatalf("unexpected error code %s: %v", coded.Code, err)
		}
		return
	}
	if ch.UseFallback {
		if !c.HasFallback {
			t.Fatalf("UseFallback without a fallback")
		}
		return
	}
	if ch.Provider.Package != c.Package || ch.Provider.Scope != scope {
		t.Fatalf("chosen %+v is not %s in scope %q", ch.Provider, c.Package, scope)
	}
	if c.Eager && !ch.Provider.Eager {
		t.Fatalf("eager consumer got a non-eager provider %+v", ch.Provider)
	}
	chosen, perr := semver.ParseVersion(ch.Provider.Version)
	if perr != nil {
		t.Fatalf("chosen version %q does not parse: %v", ch.Provider.Version, perr)
	}
	var rng semver.Range
	if hasRange {
		if rng, perr = semver.ParseRange(c.RequiredVersion); perr != nil {
			t.Fatalf("Resolve accepted range %q that does not parse", c.RequiredVersion)
		}
	}
	if ch.Warning != nil {
		if c.StrictVersion {
			t.Fatalf("warning %s for a strict consumer", ch.Warning.Code)
		}
		if ch.Rule != share.RuleMismatchAllowed {
			t.Fatalf("warning with rule %q", ch.Rule)
		}
		checkMismatchMessage(t, ch.Warning, c)
		return
	}
	if hasRange && !rng.Contains(chosen) {
		t.Fatalf("no warning, but chosen %s does not satisfy %q (rule %s)", ch.Provider.Version, c.RequiredVersion, ch.Rule)
	}
	// The candidates Resolve could choose from: active providers in the scope.
	var candidates []semver.Version
	var loadedAny bool
	for _, r := range res.snap {
		if r.Scope != scope || r.Package != c.Package {
			continue
		}
		for _, p := range r.Providers {
			if c.Eager && !p.Eager {
				continue
			}
			v, err := semver.ParseVersion(p.Version)
			if err != nil {
				t.Fatalf("active provider %q does not parse", p.Version)
			}
			loadedAny = loadedAny || p.Loaded
			candidates = append(candidates, v)
		}
	}
	if len(candidates) == 0 {
		t.Fatalf("chose %+v but Snapshot has no candidate", ch.Provider)
	}
	preferLoaded := c.Singleton || in.strategy == config.LoadedFirst
	if preferLoaded && loadedAny {
		return
	}
	for _, v := range candidates {
		if (!hasRange || rng.Contains(v)) && v.Compare(chosen) > 0 {
			t.Fatalf("chose %s (rule %s), but %s is higher and allowed", chosen, ch.Rule, v)
		}
	}
}

// checkFuzzReport: Snapshot records what the consumer got (an invalid range is
// refused before anything is recorded).
func checkFuzzReport(t *testing.T, c share.Consumer, scope string, res fuzzResult) {
	t.Helper()
	var rep *share.ConsumerReport
	for _, r := range res.snap {
		if r.Scope != scope || r.Package != c.Package {
			continue
		}
		for i := range r.Consumers {
			if r.Consumers[i].From == c.From {
				rep = &r.Consumers[i]
			}
		}
	}
	if errcode.CodeOf(res.err) == errcode.ShareInvalidRange {
		if rep != nil {
			t.Fatalf("a consumer with an invalid range was recorded: %+v", rep)
		}
		return
	}
	if rep == nil {
		t.Fatalf("Snapshot has no report for the consumer")
	}
	switch {
	case res.err != nil:
		if rep.Error == nil || rep.Error.Code != errcode.CodeOf(res.err) || rep.Got != "" {
			t.Fatalf("report %+v does not match error %v", rep, res.err)
		}
	case res.choice.UseFallback:
		if rep.Rule != share.RuleFallback || rep.Got != "" || rep.Error != nil {
			t.Fatalf("report %+v does not match a fallback", rep)
		}
	default:
		if rep.Got != res.choice.Provider.Version || rep.GotFrom != res.choice.Provider.From || rep.Rule != res.choice.Rule ||
			(rep.Warning == nil) != (res.choice.Warning == nil) || rep.Error != nil {
			t.Fatalf("report %+v does not match choice %+v", rep, res.choice)
		}
	}
}

func checkMismatchMessage(t *testing.T, e *errcode.Error, c share.Consumer) {
	t.Helper()
	for _, want := range []string{fmt.Sprintf("%q", c.Package), fmt.Sprintf("%q", c.From), fmt.Sprintf("%q", c.RequiredVersion), "available: "} {
		if !strings.Contains(e.Message, want) {
			t.Fatalf("%s message %q does not contain %s", e.Code, e.Message, want)
		}
	}
}

func asCoded(err error, target **errcode.Error) bool {
	e, ok := err.(*errcode.Error)
	if ok {
		*target = e
	}
	return ok
}
