package share_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/share"
)

func prov(pkg, version, from string) share.Provider {
	return share.Provider{Package: pkg, Version: version, From: from}
}

func eager(p share.Provider) share.Provider  { p.Eager = true; return p }
func loaded(p share.Provider) share.Provider { p.Loaded = true; return p }
func inScope(p share.Provider, scope string) share.Provider {
	p.Scope = scope
	return p
}

// activeFor returns the active providers Snapshot reports for scope/pkg.
func activeFor(s *share.Scopes, scope, pkg string) []share.Provider {
	for _, r := range s.Snapshot() {
		if r.Scope == scope && r.Package == pkg {
			return r.Providers
		}
	}
	return nil
}

func TestRegisterSameVersionKey(t *testing.T) {
	tests := []struct {
		name       string
		providers  []share.Provider
		markLoaded []int // indices whose ID is marked loaded right after registering
		wantActive []bool
		wantFrom   string
		wantEager  bool
	}{
		{
			name:       "first one becomes active",
			providers:  []share.Provider{prov("react", "18.2.0", "shell")},
			wantActive: []bool{true},
			wantFrom:   "shell",
		},
		{
			name:       "larger from wins (registered second)",
			providers:  []share.Provider{prov("react", "18.2.0", "alpha"), prov("react", "18.2.0", "beta")},
			wantActive: []bool{true, true},
			wantFrom:   "beta",
		},
		{
			name:       "larger from wins (registered first)",
			providers:  []share.Provider{prov("react", "18.2.0", "beta"), prov("react", "18.2.0", "alpha")},
			wantActive: []bool{true, false},
			wantFrom:   "beta",
		},
		{
			name:       "from compares as a string, not by length",
			providers:  []share.Provider{prov("react", "18.2.0", "b"), prov("react", "18.2.0", "aaaa")},
			wantActive: []bool{true, false},
			wantFrom:   "b",
		},
		{
			name:       "equal from: the first stays",
			providers:  []share.Provider{prov("react", "18.2.0", "x"), prov("react", "18.2.0", "x")},
			wantActive: []bool{true, false},
			wantFrom:   "x",
		},
		{
			name:       "eager beats non-eager with larger from",
			providers:  []share.Provider{prov("react", "18.2.0", "zzz"), eager(prov("react", "18.2.0", "aaa"))},
			wantActive: []bool{true, true},
			wantFrom:   "aaa",
			wantEager:  true,
		},
		{
			name:       "non-eager with larger from does not replace eager",
			providers:  []share.Provider{eager(prov("react", "18.2.0", "aaa")), prov("react", "18.2.0", "zzz")},
			wantActive: []bool{true, false},
			wantFrom:   "aaa",
			wantEager:  true,
		},
		{
			name:       "both eager: larger from wins",
			providers:  []share.Provider{eager(prov("react", "18.2.0", "aaa")), eager(prov("react", "18.2.0", "zzz"))},
			wantActive: []bool{true, true},
			wantFrom:   "zzz",
			wantEager:  true,
		},
		{
			name:       "loaded (at registration) is never replaced, even by eager",
			providers:  []share.Provider{loaded(prov("react", "18.2.0", "aaa")), eager(prov("react", "18.2.0", "zzz"))},
			wantActive: []bool{true, false},
			wantFrom:   "aaa",
		},
		{
			name:       "loaded (via MarkLoaded) is never replaced",
			providers:  []share.Provider{prov("react", "18.2.0", "aaa"), eager(prov("react", "18.2.0", "zzz"))},
			markLoaded: []int{0},
			wantActive: []bool{true, false},
			wantFrom:   "aaa",
		},
		{
			name:       "a replaced entry marked loaded later does not come back",
			providers:  []share.Provider{prov("react", "18.2.0", "aaa"), prov("react", "18.2.0", "zzz"), prov("react", "18.2.0", "mmm")},
			markLoaded: []int{0},
			// Marking happens right after registering index 0, so "zzz" cannot replace it.
			wantActive: []bool{true, false, false},
			wantFrom:   "aaa",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := share.NewScopes("")
			for i, p := range tt.providers {
				id, active, err := s.Register(p)
				if err != nil {
					t.Fatalf("Register(%+v): %v", p, err)
				}
				if active != tt.wantActive[i] {
					t.Errorf("Register #%d active = %v, want %v", i, active, tt.wantActive[i])
				}
				if got, ok := s.Lookup(id); !ok || got.From != p.From || got.Version != p.Version {
					t.Errorf("Lookup(%d) = %+v, %v; want %+v", id, got, ok, p)
				}
				for _, m := range tt.markLoaded {
					if m == i {
						s.MarkLoaded(id)
					}
				}
			}
			act := activeFor(s, "default", "react")
			if len(act) != 1 {
				t.Fatalf("active providers = %+v, want exactly one for the version key", act)
			}
			if act[0].From != tt.wantFrom || act[0].Eager != tt.wantEager {
				t.Errorf("active = %+v, want from %q eager %v", act[0], tt.wantFrom, tt.wantEager)
			}
		})
	}
}

func TestRegisterErrors(t *testing.T) {
	tests := []struct {
		name      string
		p         share.Provider
		wantCode  string
		wantInMsg []string
	}{
		{name: "empty version", p: prov("react", "", "shell"), wantCode: errcode.ShareInvalidVersion, wantInMsg: []string{`"react"`, `"shell"`}},
		{name: "not a version", p: prov("react", "latest", "shell"), wantCode: errcode.ShareInvalidVersion, wantInMsg: []string{`"react"`, `"latest"`, `"shell"`}},
		{name: "a range is not a version", p: prov("react", "^18.0.0", "shell"), wantCode: errcode.ShareInvalidVersion},
		{name: "empty package", p: prov("", "1.0.0", "shell"), wantCode: errcode.InvalidArgument, wantInMsg: []string{`"shell"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := share.NewScopes(config.VersionFirst)
			id, active, err := s.Register(tt.p)
			if errcode.CodeOf(err) != tt.wantCode {
				t.Fatalf("err = %v, want %s", err, tt.wantCode)
			}
			if id != 0 || active {
				t.Errorf("Register returned id %d active %v on error", id, active)
			}
			for _, w := range tt.wantInMsg {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("message %q does not contain %s", err.Error(), w)
				}
			}
			if snap := s.Snapshot(); len(snap) != 0 {
				t.Errorf("a refused provider shows in Snapshot: %+v", snap)
			}
		})
	}
}

func TestRegisterDefaultScopeAndLookup(t *testing.T) {
	s := share.NewScopes(config.VersionFirst)
	id, _, err := s.Register(prov("react", "18.2.0", "shell"))
	if err != nil {
		t.Fatal(err)
	}
	p, ok := s.Lookup(id)
	if !ok || p.Scope != config.DefaultScope {
		t.Errorf("Lookup = %+v, %v; want scope %q", p, ok, config.DefaultScope)
	}
	if _, ok := s.Lookup(id + 100); ok {
		t.Errorf("Lookup of an unknown id succeeded")
	}
	s.MarkLoaded(id + 100) // unknown id: no effect, no panic
	s.MarkLoaded(id)
	if p, _ := s.Lookup(id); !p.Loaded {
		t.Errorf("MarkLoaded did not mark %d loaded", id)
	}
	// IDs are distinct and non-zero.
	id2, _, _ := s.Register(prov("react", "18.2.0", "shell"))
	if id == 0 || id2 == 0 || id == id2 {
		t.Errorf("ids %d and %d: want distinct non-zero", id, id2)
	}
}

type resolveCase struct {
	name       string
	strategy   string
	providers  []share.Provider
	markLoaded []int
	consumer   share.Consumer

	wantVersion  string
	wantFrom     string
	wantRule     share.Rule
	wantFallback bool
	wantWarning  string // code of Choice.Warning
	wantErr      string // code of the error
	wantInMsg    []string
}

// reactAll is a spread of react versions from different builds.
var reactAll = []share.Provider{
	prov("react", "16.14.0", "legacy"),
	prov("react", "17.0.2", "cart"),
	prov("react", "18.2.0", "shell"),
	prov("react", "19.1.0", "checkout"),
}

func consumer(pkg, from, rng string) share.Consumer {
	return share.Consumer{Package: pkg, From: from, RequiredVersion: rng}
}

func singleton(c share.Consumer) share.Consumer { c.Singleton = true; return c }
func strict(c share.Consumer) share.Consumer    { c.StrictVersion = true; return c }
func withFallback(c share.Consumer) share.Consumer {
	c.HasFallback = true
	return c
}
func eagerConsumer(c share.Consumer) share.Consumer { c.Eager = true; return c }

func resolveCases() []resolveCase {
	return []resolveCase{
		// --- singletons
		{
			name:      "singleton without range: highest",
			providers: reactAll, consumer: singleton(consumer("react", "cart", "")),
			wantVersion: "19.1.0", wantFrom: "checkout", wantRule: share.RuleHighest,
		},
		{
			name:      "singleton satisfied range: highest",
			providers: reactAll, consumer: strict(singleton(consumer("react", "cart", "^19.0.0"))),
			wantVersion: "19.1.0", wantFrom: "checkout", wantRule: share.RuleHighest,
		},
		{
			name:      "singleton already loaded lower version stays",
			providers: reactAll, markLoaded: []int{2}, consumer: singleton(consumer("react", "cart", "")),
			wantVersion: "18.2.0", wantFrom: "shell", wantRule: share.RuleAlreadyLoaded,
		},
		{
			name:      "singleton already loaded and satisfying",
			providers: reactAll, markLoaded: []int{2}, consumer: strict(singleton(consumer("react", "cart", "^18.0.0"))),
			wantVersion: "18.2.0", wantFrom: "shell", wantRule: share.RuleAlreadyLoaded,
		},
		{
			name:      "singleton: the highest loaded wins among loaded",
			providers: reactAll, markLoaded: []int{0, 1}, consumer: singleton(consumer("react", "cart", "")),
			wantVersion: "17.0.2", wantFrom: "cart", wantRule: share.RuleAlreadyLoaded,
		},
		{
			name:        "singleton loaded at registration stays",
			providers:   []share.Provider{loaded(prov("react", "17.0.2", "cart")), prov("react", "19.1.0", "checkout")},
			consumer:    singleton(consumer("react", "shell", "")),
			wantVersion: "17.0.2", wantFrom: "cart", wantRule: share.RuleAlreadyLoaded,
		},
		{
			name:      "singleton strict mismatch: error naming package, consumer, range and versions",
			providers: []share.Provider{prov("react", "18.2.0", "shell"), prov("react", "17.0.2", "cart")},
			consumer:  strict(singleton(consumer("react", "checkout", "^19.0.0"))),
			wantErr:   errcode.ShareSingletonMismatch,
			wantInMsg: []string{`"react"`, `"checkout"`, `"^19.0.0"`, "18.2.0", `"shell"`, "18.2.0 from shell", "17.0.2 from cart"},
		},
		{
			name:      "singleton strict: a satisfying lower version does not help (singleton is the highest)",
			providers: reactAll, consumer: strict(singleton(consumer("react", "legacy", "^16.0.0"))),
			wantErr:   errcode.ShareSingletonMismatch,
			wantInMsg: []string{"19.1.0", `"^16.0.0"`, `"legacy"`},
		},
		{
			name:      "singleton strict: loaded version outside the range is an error even though a satisfying one exists",
			providers: reactAll, markLoaded: []int{2}, consumer: strict(singleton(consumer("react", "checkout", "^19.0.0"))),
			wantErr:   errcode.ShareSingletonMismatch,
			wantInMsg: []string{"18.2.0", `"shell"`, `"checkout"`, `"^19.0.0"`},
		},
		{
			name:      "singleton strict mismatch: a fallback does not bypass the error",
			providers: []share.Provider{prov("react", "18.2.0", "shell")},
			consumer:  withFallback(strict(singleton(consumer("react", "checkout", "^19.0.0")))),
			wantErr:   errcode.ShareSingletonMismatch,
			wantInMsg: []string{`"react"`, `"checkout"`, `"^19.0.0"`, "18.2.0 from shell"},
		},
		{
			name:        "singleton non-strict mismatch: warning and the singleton",
			providers:   []share.Provider{prov("react", "18.2.0", "shell")},
			consumer:    singleton(consumer("react", "checkout", "^19.0.0")),
			wantVersion: "18.2.0", wantFrom: "shell", wantRule: share.RuleMismatchAllowed, wantWarning: errcode.ShareSingletonMismatch,
			wantInMsg: []string{`"react"`, `"checkout"`, `"^19.0.0"`, "18.2.0 from shell"},
		},
		{
			name:     "singleton not provided, with fallback",
			consumer: withFallback(singleton(consumer("react", "cart", "^18"))),
			wantRule: share.RuleFallback, wantFallback: true,
		},
		{
			name:      "singleton not provided, no fallback",
			consumer:  strict(singleton(consumer("react", "cart", "^18"))),
			wantErr:   errcode.ShareNotFound,
			wantInMsg: []string{`"react"`, `"default"`, `"cart"`},
		},
		// --- non-singletons
		{
			name:      "no range: highest",
			providers: reactAll, consumer: consumer("react", "cart", ""),
			wantVersion: "19.1.0", wantFrom: "checkout", wantRule: share.RuleHighest,
		},
		{
			name:      "star range: highest release satisfying it",
			providers: reactAll, consumer: consumer("react", "cart", "*"),
			wantVersion: "19.1.0", wantFrom: "checkout", wantRule: share.RuleHighestSatisfying,
		},
		{
			name:      "highest satisfying, not first registered",
			providers: reactAll, consumer: strict(consumer("react", "cart", "^17.0.0 || ^18.0.0")),
			wantVersion: "18.2.0", wantFrom: "shell", wantRule: share.RuleHighestSatisfying,
		},
		{
			name:      "version-first ignores a loaded non-singleton",
			providers: reactAll, markLoaded: []int{1}, consumer: consumer("react", "cart", ">=17"),
			wantVersion: "19.1.0", wantFrom: "checkout", wantRule: share.RuleHighestSatisfying,
		},
		{
			name:      "nothing satisfies, fallback given",
			providers: reactAll, consumer: withFallback(strict(consumer("react", "cart", "^20.0.0"))),
			wantRule: share.RuleFallback, wantFallback: true,
		},
		{
			name:      "nothing satisfies, non-strict with fallback: the fallback",
			providers: reactAll, consumer: withFallback(consumer("react", "cart", "^20.0.0")),
			wantRule: share.RuleFallback, wantFallback: true,
		},
		{
			name:      "another package never provided, strict: not found",
			providers: reactAll, consumer: strict(consumer("lodash", "cart", "^5.0.0")),
			wantErr:   errcode.ShareNotFound,
			wantInMsg: []string{`"lodash"`, `"cart"`},
		},
		{
			name:      "nothing satisfies, strict: SHARE_NO_SATISFYING",
			providers: reactAll, consumer: strict(consumer("react", "cart", "^20.0.0")),
			wantErr:   errcode.ShareNoSatisfying,
			wantInMsg: []string{`"react"`, `"cart"`, `"^20.0.0"`, `"default"`, "19.1.0 from checkout", "18.2.0 from shell", "17.0.2 from cart", "16.14.0 from legacy"},
		},
		{
			name:      "nothing satisfies, not strict: warning and the highest",
			providers: reactAll, consumer: consumer("react", "cart", "^20.0.0"),
			wantVersion: "19.1.0", wantFrom: "checkout", wantRule: share.RuleMismatchAllowed, wantWarning: errcode.ShareNoSatisfying,
			wantInMsg: []string{`"react"`, `"cart"`, `"^20.0.0"`, "19.1.0 from checkout"},
		},
		{
			name:      "not provided, no fallback",
			providers: reactAll, consumer: consumer("react-dom", "cart", ""),
			wantErr:   errcode.ShareNotFound,
			wantInMsg: []string{`"react-dom"`, `"default"`, `"cart"`},
		},
		{
			name:     "not provided, with fallback",
			consumer: withFallback(consumer("react-dom", "cart", "")),
			wantRule: share.RuleFallback, wantFallback: true,
		},
		{
			name:        "prerelease is the highest without a range",
			providers:   []share.Provider{prov("react", "18.2.0", "a"), prov("react", "19.0.0-rc.1", "b")},
			consumer:    consumer("react", "c", ""),
			wantVersion: "19.0.0-rc.1", wantFrom: "b", wantRule: share.RuleHighest,
		},
		{
			name:        "prerelease does not satisfy a release range",
			providers:   []share.Provider{prov("react", "18.2.0", "a"), prov("react", "19.0.0-rc.1", "b")},
			consumer:    strict(consumer("react", "c", ">=18")),
			wantVersion: "18.2.0", wantFrom: "a", wantRule: share.RuleHighestSatisfying,
		},
		{
			name:        "unknown version key 0 is the lowest",
			providers:   []share.Provider{prov("x", "0", "a"), prov("x", "1.0.0", "b")},
			consumer:    consumer("x", "c", ""),
			wantVersion: "1.0.0", wantFrom: "b", wantRule: share.RuleHighest,
		},
		{
			name:        "10.x sorts above 9.x (semver, not string order)",
			providers:   []share.Provider{prov("x", "9.9.9", "a"), prov("x", "10.0.0", "b")},
			consumer:    consumer("x", "c", ""),
			wantVersion: "10.0.0", wantFrom: "b", wantRule: share.RuleHighest,
		},
		// --- eager
		{
			name: "eager consumer only sees eager providers",
			providers: []share.Provider{
				eager(prov("react", "18.2.0", "shell")), prov("react", "19.1.0", "checkout"),
			},
			consumer:    eagerConsumer(consumer("react", "shell", "")),
			wantVersion: "18.2.0", wantFrom: "shell", wantRule: share.RuleHighest,
		},
		{
			name: "eager singleton consumer only sees eager providers",
			providers: []share.Provider{
				eager(prov("react", "18.2.0", "shell")), prov("react", "19.1.0", "checkout"),
			},
			consumer:    eagerConsumer(singleton(consumer("react", "shell", ""))),
			wantVersion: "18.2.0", wantFrom: "shell", wantRule: share.RuleHighest,
		},
		{
			name:      "eager consumer and only async providers: not found",
			providers: reactAll, consumer: eagerConsumer(consumer("react", "shell", "")),
			wantErr: errcode.ShareNotFound,
		},
		{
			name:      "eager consumer and only async providers: fallback",
			providers: reactAll, consumer: withFallback(eagerConsumer(consumer("react", "shell", ""))),
			wantRule: share.RuleFallback, wantFallback: true,
		},
		{
			name:        "non-eager consumer sees eager providers too",
			providers:   []share.Provider{eager(prov("react", "18.2.0", "shell")), prov("react", "17.0.2", "cart")},
			consumer:    consumer("react", "x", ""),
			wantVersion: "18.2.0", wantFrom: "shell", wantRule: share.RuleHighest,
		},
		// --- loaded-first
		{
			name:      "loaded-first: the loaded entry",
			strategy:  config.LoadedFirst,
			providers: reactAll, markLoaded: []int{1}, consumer: consumer("react", "x", ""),
			wantVersion: "17.0.2", wantFrom: "cart", wantRule: share.RuleLoadedFirst,
		},
		{
			name:      "loaded-first: the highest loaded entry",
			strategy:  config.LoadedFirst,
			providers: reactAll, markLoaded: []int{0, 2}, consumer: consumer("react", "x", ""),
			wantVersion: "18.2.0", wantFrom: "shell", wantRule: share.RuleLoadedFirst,
		},
		{
			name:      "loaded-first: a loaded entry outside the range is skipped",
			strategy:  config.LoadedFirst,
			providers: reactAll, markLoaded: []int{1}, consumer: consumer("react", "x", "^18.0.0 || ^19.0.0"),
			wantVersion: "19.1.0", wantFrom: "checkout", wantRule: share.RuleHighestSatisfying,
		},
		{
			name:      "loaded-first: a loaded entry inside the range wins over a higher one",
			strategy:  config.LoadedFirst,
			providers: reactAll, markLoaded: []int{2}, consumer: consumer("react", "x", "^18.0.0 || ^19.0.0"),
			wantVersion: "18.2.0", wantFrom: "shell", wantRule: share.RuleLoadedFirst,
		},
		{
			name:      "loaded-first: nothing loaded, the highest",
			strategy:  config.LoadedFirst,
			providers: reactAll, consumer: consumer("react", "x", ""),
			wantVersion: "19.1.0", wantFrom: "checkout", wantRule: share.RuleHighest,
		},
		{
			name:      "loaded-first singleton: already loaded",
			strategy:  config.LoadedFirst,
			providers: reactAll, markLoaded: []int{1}, consumer: singleton(consumer("react", "x", "")),
			wantVersion: "17.0.2", wantFrom: "cart", wantRule: share.RuleAlreadyLoaded,
		},
		// --- scopes
		{
			name: "named scope: only its own providers",
			providers: []share.Provider{
				prov("react", "19.1.0", "shell"), inScope(prov("react", "17.0.2", "legacy"), "old"),
			},
			consumer:    share.Consumer{Package: "react", Scope: "old", From: "legacy"},
			wantVersion: "17.0.2", wantFrom: "legacy", wantRule: share.RuleHighest,
		},
		{
			name: "default scope does not see a named scope",
			providers: []share.Provider{
				prov("react", "17.0.2", "shell"), inScope(prov("react", "19.1.0", "legacy"), "old"),
			},
			consumer:    share.Consumer{Package: "react", From: "x"},
			wantVersion: "17.0.2", wantFrom: "shell", wantRule: share.RuleHighest,
		},
		{
			name: "explicit default scope equals empty scope",
			providers: []share.Provider{
				inScope(prov("react", "17.0.2", "shell"), "default"),
			},
			consumer:    share.Consumer{Package: "react", From: "x"},
			wantVersion: "17.0.2", wantFrom: "shell", wantRule: share.RuleHighest,
		},
		{
			name:      "a package provided in another scope only: not found",
			providers: []share.Provider{inScope(prov("react", "19.1.0", "legacy"), "old")},
			consumer:  share.Consumer{Package: "react", Scope: "new", From: "x"},
			wantErr:   errcode.ShareNotFound,
			wantInMsg: []string{`"new"`},
		},
		// --- bad input
		{
			name:      "invalid range",
			providers: reactAll, consumer: consumer("react", "cart", "^^18"),
			wantErr:   errcode.ShareInvalidRange,
			wantInMsg: []string{`"cart"`, `"react"`, `"^^18"`},
		},
		{
			name:      "invalid range is reported even when nothing is provided",
			consumer:  withFallback(consumer("react", "cart", "not-a-range")),
			wantErr:   errcode.ShareInvalidRange,
			wantInMsg: []string{`"cart"`, `"react"`, `"not-a-range"`},
		},
	}
}

// TestResolveAnyRangeExcludesPrereleases checks that the npm ranges that
// read "any release" (*, x, X, >=0.0.0) keep npm's and webpack's rule: a
// prerelease satisfies no range unless a comparator names a prerelease of
// its own major.minor.patch. Only an absent requiredVersion ("", webpack's
// requiredVersion: false) takes any version, prereleases included.
func TestResolveAnyRangeExcludesPrereleases(t *testing.T) {
	prereleases := []share.Provider{
		prov("lib", "1.0.0-alpha", "a"), prov("lib", "1.0.0-beta.2", "b"),
		prov("lib", "1.2.4-rc.1", "c"), prov("lib", "2.0.0-0", "d"),
	}
	withRelease := append([]share.Provider{prov("lib", "0.9.0", "stable")}, prereleases...)
	for _, rng := range []string{"*", "x", "X", ">=0.0.0", " * ", "* || >=0.0.0"} {
		for _, tt := range []resolveCase{
			{
				name:      "highest release, not the higher prereleases",
				providers: withRelease, consumer: strict(consumer("lib", "app", rng)),
				wantVersion: "0.9.0", wantFrom: "stable", wantRule: share.RuleHighestSatisfying,
			},
			{
				name:      "only prereleases, strict: none satisfies",
				providers: prereleases, consumer: strict(consumer("lib", "app", rng)),
				wantErr:   errcode.ShareNoSatisfying,
				wantInMsg: []string{`"lib"`, `"app"`, strconv.Quote(rng), "2.0.0-0 from d"},
			},
			{
				name:      "only prereleases, with fallback: the fallback",
				providers: prereleases, consumer: withFallback(consumer("lib", "app", rng)),
				wantRule: share.RuleFallback, wantFallback: true,
			},
			{
				name:      "singleton on the highest prerelease, strict: mismatch",
				providers: withRelease, consumer: strict(singleton(consumer("lib", "app", rng))),
				wantErr:   errcode.ShareSingletonMismatch,
				wantInMsg: []string{`"lib"`, strconv.Quote(rng), "2.0.0-0"},
			},
			{
				name:      "singleton on the highest prerelease, not strict: warned",
				providers: withRelease, consumer: singleton(consumer("lib", "app", rng)),
				wantVersion: "2.0.0-0", wantFrom: "d", wantRule: share.RuleMismatchAllowed, wantWarning: errcode.ShareSingletonMismatch,
				wantInMsg: []string{strconv.Quote(rng)},
			},
		} {
			t.Run(rng+"/"+tt.name, func(t *testing.T) {
				s := setup(t, "", tt.providers, nil)
				ch, err := s.Resolve(tt.consumer)
				checkChoice(t, tt, ch, err)
			})
		}
	}
	t.Run("no requiredVersion takes the highest prerelease", func(t *testing.T) {
		tt := resolveCase{
			providers: withRelease, consumer: strict(consumer("lib", "app", "")),
			wantVersion: "2.0.0-0", wantFrom: "d", wantRule: share.RuleHighest,
		}
		ch, err := setup(t, "", tt.providers, nil).Resolve(tt.consumer)
		checkChoice(t, tt, ch, err)
	})
}

func setup(t testing.TB, strategy string, providers []share.Provider, markLoaded []int) *share.Scopes {
	t.Helper()
	s := share.NewScopes(strategy)
	for i, p := range providers {
		id, _, err := s.Register(p)
		if err != nil {
			t.Fatalf("Register(%+v): %v", p, err)
		}
		for _, m := range markLoaded {
			if m == i {
				s.MarkLoaded(id)
			}
		}
	}
	return s
}

func TestResolve(t *testing.T) {
	for _, tt := range resolveCases() {
		t.Run(tt.name, func(t *testing.T) {
			s := setup(t, tt.strategy, tt.providers, tt.markLoaded)
			ch, err := s.Resolve(tt.consumer)
			checkChoice(t, tt, ch, err)
			if err == nil && !ch.UseFallback {
				p, ok := s.Lookup(ch.ID)
				if !ok || p.Version != ch.Provider.Version || p.From != ch.Provider.From {
					t.Errorf("Lookup(choice.ID) = %+v, %v; want %+v", p, ok, ch.Provider)
				}
			}
		})
	}
}

func checkChoice(t *testing.T, tt resolveCase, ch share.Choice, err error) {
	t.Helper()
	if got := errcode.CodeOf(err); got != tt.wantErr {
		t.Fatalf("err = %v, want code %q", err, tt.wantErr)
	}
	var msg string
	switch {
	case err != nil:
		msg = err.Error()
		var coded *errcode.Error
		errors.As(err, &coded)
		for _, k := range []string{"package", "consumer"} {
			if _, ok := coded.Details[k]; !ok {
				t.Errorf("error details %v lack %q", coded.Details, k)
			}
		}
		if ch != (share.Choice{}) {
			t.Errorf("choice on error = %+v, want zero", ch)
		}
		if len(tt.wantInMsg) == 0 && tt.wantErr != errcode.ShareNotFound {
			t.Errorf("test case should assert on the message: %s", msg)
		}
	default:
		if ch.Provider.Version != tt.wantVersion || ch.Provider.From != tt.wantFrom {
			t.Errorf("got %s from %q, want %s from %q", ch.Provider.Version, ch.Provider.From, tt.wantVersion, tt.wantFrom)
		}
		if ch.Rule != tt.wantRule {
			t.Errorf("rule = %q, want %q", ch.Rule, tt.wantRule)
		}
		if ch.UseFallback != tt.wantFallback {
			t.Errorf("UseFallback = %v, want %v", ch.UseFallback, tt.wantFallback)
		}
		if ch.UseFallback && (ch.ID != 0 || ch.Provider != (share.Provider{})) {
			t.Errorf("fallback choice carries a provider: %+v", ch)
		}
		if !ch.UseFallback && ch.ID == 0 {
			t.Errorf("choice has no provider ID")
		}
		gotWarn := ""
		if ch.Warning != nil {
			gotWarn = ch.Warning.Code
			msg = ch.Warning.Message
			for _, k := range []string{"package", "consumer", "requiredVersion", "chosenVersion", "chosenFrom", "available"} {
				if _, ok := ch.Warning.Details[k]; !ok {
					t.Errorf("warning details %v lack %q", ch.Warning.Details, k)
				}
			}
		}
		if gotWarn != tt.wantWarning {
			t.Errorf("warning = %v, want code %q", ch.Warning, tt.wantWarning)
		}
	}
	for _, w := range tt.wantInMsg {
		if !strings.Contains(msg, w) {
			t.Errorf("message %q does not contain %s", msg, w)
		}
	}
}

func TestResolveMismatchDetails(t *testing.T) {
	s := setup(t, "", []share.Provider{prov("react", "18.2.0", "shell"), prov("react", "17.0.2", "cart")}, nil)
	_, err := s.Resolve(strict(singleton(consumer("react", "checkout", "^19.0.0"))))
	var coded *errcode.Error
	if !errors.As(err, &coded) {
		t.Fatalf("err = %v", err)
	}
	want := map[string]any{
		"package": "react", "scope": "default", "consumer": "checkout", "requiredVersion": "^19.0.0",
		"chosenVersion": "18.2.0", "chosenFrom": "shell", "available": []string{"18.2.0 from shell", "17.0.2 from cart"},
	}
	if !reflect.DeepEqual(coded.Details, want) {
		t.Errorf("details = %#v\nwant %#v", coded.Details, want)
	}
}

// TestResolveOrderIndependent registers the same providers in all 24 orders
// and asserts every consumer gets the same answer each time (DESIGN §4: the
// result never depends on registration order except through "loaded").
func TestResolveOrderIndependent(t *testing.T) {
	providers := []share.Provider{
		prov("react", "17.0.2", "cart"),
		prov("react", "18.2.0", "shell"),
		prov("react", "18.2.0", "checkout"),           // same version key, smaller from than "shell"
		eager(prov("react", "18.3.1", "aaa-eager")),   // eager
		prov("react", "19.0.0-rc.1", "next"),          // prerelease
		eager(prov("react", "17.0.2", "zzz-eager")),   // same key as cart, eager wins
		prov("react", "18.3.1", "zzz-not-eager-wins"), // same key as aaa-eager, eager wins
	}
	consumers := []share.Consumer{
		consumer("react", "c", ""),
		consumer("react", "c", "^18.0.0"),
		strict(consumer("react", "c", "^17.0.0")),
		consumer("react", "c", "^20.0.0"),
		singleton(consumer("react", "c", "")),
		singleton(consumer("react", "c", "^17.0.0")),
		eagerConsumer(consumer("react", "c", "")),
		eagerConsumer(singleton(consumer("react", "c", ">=17"))),
		withFallback(strict(consumer("react", "c", "^16"))),
	}
	// 4-provider subsets, in every order, keep the test small; then the full set in a few rotations.
	subsets := [][]int{{0, 1, 2, 3}, {1, 2, 4, 5}, {0, 3, 5, 6}, {2, 4, 5, 6}}
	for _, sub := range subsets {
		set := make([]share.Provider, len(sub))
		for i, k := range sub {
			set[i] = providers[k]
		}
		t.Run(fmt.Sprint(sub), func(t *testing.T) {
			// Nothing is loaded here, so loaded-first answers as version-first;
			// FuzzResolve covers loaded-first with loaded entries.
			strategies := []string{config.VersionFirst}
			first := map[string]string{} // strategy + consumer index → outcome of the first order
			n := 0
			permute(len(set), func(order []int) {
				n++
				s := share.NewScopes(config.VersionFirst)
				for _, k := range order {
					if _, _, err := s.Register(set[k]); err != nil {
						t.Fatal(err)
					}
				}
				for _, strategy := range strategies {
					s.SetStrategy(strategy)
					for ci, c := range consumers {
						ch, err := s.Resolve(c)
						got := outcome(ch, err)
						key := fmt.Sprintf("%s #%d", strategy, ci)
						if want, ok := first[key]; !ok {
							first[key] = got
						} else if got != want {
							t.Fatalf("%s consumer #%d, order %v: %s; first order gave %s", strategy, ci, order, got, want)
						}
					}
				}
			})
			if n != 24 {
				t.Fatalf("permutations = %d, want 24", n)
			}
		})
	}
}

// outcome renders everything about a resolution except the provider ID.
func outcome(ch share.Choice, err error) string {
	w := ""
	if ch.Warning != nil {
		w = ch.Warning.Code + " " + ch.Warning.Message
	}
	e := ""
	if err != nil {
		e = err.Error()
	}
	return fmt.Sprintf("provider=%+v rule=%s fallback=%v warning=%q err=%q", ch.Provider, ch.Rule, ch.UseFallback, w, e)
}

// permute calls fn with every permutation of 0..n-1 (Heap's algorithm).
func permute(n int, fn func([]int)) {
	a := make([]int, n)
	for i := range a {
		a[i] = i
	}
	var gen func(k int)
	gen = func(k int) {
		if k <= 1 {
			fn(append([]int(nil), a...))
			return
		}
		for i := 0; i < k-1; i++ {
			gen(k - 1)
			if k%2 == 0 {
				a[i], a[k-1] = a[k-1], a[i]
			} else {
				a[0], a[k-1] = a[k-1], a[0]
			}
		}
		gen(k - 1)
	}
	gen(n)
}

func TestPermute(t *testing.T) {
	for n, want := range map[int]int{0: 1, 1: 1, 2: 2, 3: 6, 4: 24, 5: 120} {
		seen := map[string]bool{}
		permute(n, func(p []int) { seen[fmt.Sprint(p)] = true })
		if len(seen) != want {
			t.Errorf("permute(%d) gave %d distinct orders, want %d", n, len(seen), want)
		}
	}
}

func TestSetStrategy(t *testing.T) {
	s := setup(t, config.VersionFirst, reactAll, []int{1})
	c := consumer("react", "x", "")
	if ch, _ := s.Resolve(c); ch.Provider.Version != "19.1.0" {
		t.Fatalf("version-first: got %s, want 19.1.0", ch.Provider.Version)
	}
	s.SetStrategy(config.LoadedFirst)
	if ch, _ := s.Resolve(c); ch.Provider.Version != "17.0.2" || ch.Rule != share.RuleLoadedFirst {
		t.Fatalf("loaded-first: got %s (%s), want 17.0.2 (loaded-first)", ch.Provider.Version, ch.Rule)
	}
}

func TestSnapshot(t *testing.T) {
	s := share.NewScopes(config.VersionFirst)
	for _, p := range []share.Provider{
		prov("react", "18.2.0", "shell"),
		prov("react", "18.2.0", "aaa"), // loses to "shell": not reported
		prov("react", "17.0.2", "cart"),
		inScope(prov("react", "16.0.0", "legacy"), "old"),
		prov("lodash", "4.17.21", "shell"),
	} {
		if _, _, err := s.Register(p); err != nil {
			t.Fatal(err)
		}
	}
	if empty := share.NewScopes("").Snapshot(); empty == nil || len(empty) != 0 {
		t.Errorf("empty Snapshot = %#v, want a non-nil empty slice", empty)
	}
	mustResolve := func(c share.Consumer) {
		_, _ = s.Resolve(c)
	}
	mustResolve(consumer("react", "cart", "^17.0.0"))                 // highest-satisfying 17.0.2
	mustResolve(consumer("react", "checkout", "^20"))                 // warning, 18.2.0
	mustResolve(consumer("react", "checkout", ""))                    // replaces the previous report of checkout: highest
	mustResolve(strict(consumer("react", "x", "^20")))                // error
	mustResolve(withFallback(strict(consumer("react", "fb", "^20")))) // fallback
	mustResolve(consumer("react-dom", "cart", ""))                    // not found: a report with no providers
	mustResolve(share.Consumer{Package: "react", Scope: "old", From: "legacy"})
	mustResolve(consumer("react", "bad", "^^1")) // invalid range: not recorded

	snap := s.Snapshot()
	var keys []string
	for _, r := range snap {
		keys = append(keys, r.Scope+"/"+r.Package)
	}
	if want := []string{"default/lodash", "default/react", "default/react-dom", "old/react"}; !reflect.DeepEqual(keys, want) {
		t.Fatalf("Snapshot keys = %v, want %v", keys, want)
	}
	byKey := map[string]share.PackageReport{}
	for _, r := range snap {
		byKey[r.Scope+"/"+r.Package] = r
	}

	react := byKey["default/react"]
	if want := []share.Provider{
		{Package: "react", Version: "17.0.2", Scope: "default", From: "cart"},
		{Package: "react", Version: "18.2.0", Scope: "default", From: "shell"},
	}; !reflect.DeepEqual(react.Providers, want) {
		t.Errorf("react providers = %+v, want %+v", react.Providers, want)
	}
	type row struct {
		from, got, gotFrom string
		rule               share.Rule
		warn, err          string
	}
	var rows []row
	for _, c := range react.Consumers {
		r := row{from: c.From, got: c.Got, gotFrom: c.GotFrom, rule: c.Rule}
		if c.Warning != nil {
			r.warn = c.Warning.Code
		}
		if c.Error != nil {
			r.err = c.Error.Code
		}
		rows = append(rows, r)
	}
	wantRows := []row{
		{from: "cart", got: "17.0.2", gotFrom: "cart", rule: share.RuleHighestSatisfying},
		{from: "checkout", got: "18.2.0", gotFrom: "shell", rule: share.RuleHighest},
		{from: "fb", rule: share.RuleFallback},
		{from: "x", err: errcode.ShareNoSatisfying},
	}
	if !reflect.DeepEqual(rows, wantRows) {
		t.Errorf("react consumers =\n%+v\nwant\n%+v", rows, wantRows)
	}

	dom := byKey["default/react-dom"]
	if len(dom.Providers) != 0 || dom.Providers == nil || len(dom.Consumers) != 1 || dom.Consumers[0].Error == nil ||
		dom.Consumers[0].Error.Code != errcode.ShareNotFound {
		t.Errorf("react-dom report = %+v, want no providers and one SHARE_NOT_FOUND consumer", dom)
	}
	lodash := byKey["default/lodash"]
	if len(lodash.Providers) != 1 || lodash.Consumers == nil || len(lodash.Consumers) != 0 {
		t.Errorf("lodash report = %+v, want one provider and an empty consumer list", lodash)
	}
	old := byKey["old/react"]
	if len(old.Consumers) != 1 || old.Consumers[0].Got != "16.0.0" || old.Consumers[0].Scope != "old" {
		t.Errorf("old/react report = %+v", old)
	}

	// The warning stays in the report of the consumer that got it.
	_, _ = s.Resolve(consumer("react", "warned", "^20"))
	for _, r := range s.Snapshot() {
		if r.Scope != "default" || r.Package != "react" {
			continue
		}
		for _, c := range r.Consumers {
			if c.From == "warned" && (c.Warning == nil || c.Warning.Code != errcode.ShareNoSatisfying || c.Rule != share.RuleMismatchAllowed || c.Got != "18.2.0") {
				t.Errorf("warned consumer report = %+v", c)
			}
		}
	}

	// JSON: field names as in the struct tags, the consumer fields inline.
	b, err := json.Marshal(s.Snapshot())
	if err != nil {
		t.Fatal(err)
	}
	var generic []map[string]any
	if err := json.Unmarshal(b, &generic); err != nil {
		t.Fatal(err)
	}
	for _, r := range generic {
		for _, k := range []string{"scope", "package", "providers", "consumers"} {
			if _, ok := r[k]; !ok {
				t.Errorf("package report %v lacks %q", r, k)
			}
		}
		for _, c := range r["consumers"].([]any) {
			cm := c.(map[string]any)
			for _, k := range []string{"package", "scope", "from", "singleton", "strictVersion", "eager", "hasFallback"} {
				if _, ok := cm[k]; !ok {
					t.Errorf("consumer report %v lacks %q", cm, k)
				}
			}
		}
	}
	for _, w := range []string{`"gotFrom":"shell"`, `"rule":"highest-satisfying"`, `"warning":{"code":"SHARE_NO_SATISFYING"`, `"error":{"code":"SHARE_NO_SATISFYING"`} {
		if !strings.Contains(string(b), w) {
			t.Errorf("Snapshot JSON lacks %s:\n%s", w, b)
		}
	}
}

// TestChoiceJSON: the provider ID is internal and never shows in JSON.
func TestChoiceJSON(t *testing.T) {
	s := setup(t, "", reactAll, nil)
	ch, err := s.Resolve(consumer("react", "x", "^20"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(ch)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	if _, ok := m["ID"]; ok {
		t.Errorf("Choice JSON has the ID: %s", b)
	}
	for _, k := range []string{"provider", "rule", "useFallback", "warning"} {
		if _, ok := m[k]; !ok {
			t.Errorf("Choice JSON lacks %q: %s", k, b)
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	s := share.NewScopes(config.VersionFirst)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				id, _, err := s.Register(prov("react", fmt.Sprintf("18.%d.%d", g, i%5), fmt.Sprintf("b%d", g)))
				if err != nil {
					t.Error(err)
					return
				}
				if i%7 == 0 {
					s.MarkLoaded(id)
				}
				_, _ = s.Resolve(consumer("react", fmt.Sprintf("c%d", g), "^18.0.0"))
				_, _ = s.Resolve(singleton(consumer("react", fmt.Sprintf("s%d", g), "")))
				_ = s.Snapshot()
				_, _ = s.Lookup(id)
				if i == 25 {
					s.SetStrategy(config.LoadedFirst)
				}
			}
		}(g)
	}
	wg.Wait()
	if got := len(activeFor(s, "default", "react")); got != 8*5 {
		t.Errorf("active versions = %d, want 40", got)
	}
}

func TestActiveID(t *testing.T) {
	s := share.NewScopes("")
	first, _, _ := s.Register(prov("react", "19.1.0", "alpha"))
	second, _, _ := s.Register(prov("react", "19.1.0", "beta")) // the larger from replaces
	if id, ok := s.ActiveID("default", "react", "19.1.0"); !ok || id != second || id == first {
		t.Fatalf("ActiveID = %d, %v; want %d", id, ok, second)
	}
	if _, ok := s.ActiveID("default", "react", "18.0.0"); ok {
		t.Fatal("ActiveID found a version nobody registered")
	}
}

// A consumer listing scopes takes a package from the first that holds it,
// as MF 2.0's getRegisteredShare looks; with none holding it, the first.
func TestFirstHolding(t *testing.T) {
	s := share.NewScopes("")
	for _, p := range []share.Provider{prov("react", "19.1.0", "host"), inScope(prov("react", "18.3.1", "legacy"), "legacy"), inScope(prov("zustand", "5.0.0", "legacy"), "legacy")} {
		if _, _, err := s.Register(p); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		pkg    string
		scopes []string
		want   string
	}{
		{"react", []string{"legacy", "default"}, "legacy"},
		{"react", []string{"default", "legacy"}, "default"},
		{"zustand", []string{"default", "legacy"}, "legacy"},
		{"zustand", []string{"other", "default"}, "other"},
		{"lodash", []string{"default", "legacy"}, "default"},
		{"react", []string{"empty", "legacy"}, "legacy"},
		{"react", nil, "default"},
	} {
		if got := s.FirstHolding(tc.pkg, tc.scopes); got != tc.want {
			t.Errorf("FirstHolding(%s, %q) = %q, want %q", tc.pkg, tc.scopes, got, tc.want)
		}
	}
}
