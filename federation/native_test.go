package federation_test

import (
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/fedwasm/fedwasm/federation"
	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/load"
	"github.com/fedwasm/fedwasm/federation/remote"
	"github.com/fedwasm/fedwasm/federation/share"
)

const nativeRemoteFile = "http://nf.test/nf/react.js"

// nativeReact is what a Native Federation remote's remoteEntry.json says
// about its react (load.NativeShares' result): its 19.3.1 file and its own
// request with its rules.
func nativeReact(version, required string, singleton, strict bool) load.NativeShare {
	return load.NativeShare{
		Provider: share.Provider{Package: "react", Version: version, Scope: "default", From: "nfRemote"},
		Consumer: share.Consumer{Package: "react", Scope: "default", From: "nfRemote", RequiredVersion: required, Singleton: singleton, StrictVersion: strict},
		File:     load.NativeFile{URL: nativeRemoteFile},
	}
}

// TestNativeImportMap: a Native Federation remote's shared packages join the
// share scope and its own requests are resolved by the same rules as any
// consumer's; the scope of its directory maps each to the chosen URL.
func TestNativeImportMap(t *testing.T) {
	const hostReact = "http://host.test/vendor/react.js"
	hostWith := func(version, import_ string, singleton bool) string {
		imp := ""
		if import_ != "" {
			imp = `"import":"` + import_ + `",`
		}
		s := "false"
		if singleton {
			s = "true"
		}
		return `{"name":"host","shared":{"react":{"version":"` + version + `",` + imp + `"shareConfig":{"singleton":` + s + `,"requiredVersion":"^` + version[:2] + `0.0"}}}}`
	}
	cases := []struct {
		name         string
		host         string
		hostLoaded   bool // the host's react was handed out before the remote
		remote       load.NativeShare
		wantURL      string // "" : no rule
		wantFrom     string
		wantRule     share.Rule
		wantCode     string // the error refusing the remote
		wantWarnings []string
	}{
		{
			name: "the host's singleton is shared when it satisfies the remote", host: hostWith("19.3.1", hostReact, true), hostLoaded: true,
			remote: nativeReact("19.3.1", "^19.0.0", true, true), wantURL: hostReact, wantFrom: "host", wantRule: share.RuleInUse,
		},
		{
			name: "a higher remote version wins while nothing is in use", host: hostWith("19.0.0", hostReact, true),
			remote: nativeReact("19.3.1", "^19.0.0", true, true), wantURL: nativeRemoteFile, wantFrom: "nfRemote", wantRule: share.RuleHighest,
		},
		{
			name: "the singleton in use stays, even when higher is offered", host: hostWith("19.0.0", hostReact, true), hostLoaded: true,
			remote: nativeReact("19.3.1", "^19.0.0", true, true), wantURL: hostReact, wantFrom: "host", wantRule: share.RuleInUse,
		},
		{
			name: "strictVersion refuses a singleton in use outside the remote's range", host: hostWith("18.3.1", hostReact, true), hostLoaded: true,
			remote: nativeReact("19.3.1", "^19.0.0", true, true), wantCode: errcode.ShareSingletonMismatch,
		},
		{
			name: "without strictVersion the singleton is used with a warning", host: hostWith("18.3.1", hostReact, true), hostLoaded: true,
			remote: nativeReact("19.3.1", "^19.0.0", true, false), wantURL: hostReact, wantFrom: "host", wantRule: share.RuleMismatchAllowed,
			wantWarnings: []string{errcode.ShareSingletonMismatch},
		},
		{
			name: "not a singleton: the highest version inside the remote's range", host: hostWith("18.3.1", hostReact, false),
			remote: nativeReact("19.3.1", "^19.0.0", false, false), wantURL: nativeRemoteFile, wantFrom: "nfRemote", wantRule: share.RuleHighestSatisfying,
		},
		{
			name: "a host version the page cannot import by URL: the remote keeps its own copy", host: hostWith("19.3.1", "", true), hostLoaded: true,
			remote: nativeReact("19.3.1", "^19.0.0", true, true), wantURL: nativeRemoteFile, wantFrom: "host", wantRule: share.RuleInUse,
			wantWarnings: []string{errcode.ShareNotImportable},
		},
		{
			name: "a remote version that is not a version is not provided; its request still resolves", host: hostWith("19.3.1", hostReact, true),
			remote: nativeReact("nineteen", "^19.0.0", true, true), wantURL: hostReact, wantFrom: "host", wantRule: share.RuleHighest,
		},
		{
			name: "a remote range that is not a range refuses the remote", host: hostWith("19.3.1", hostReact, true),
			remote: nativeReact("19.3.1", ">>>", true, true), wantCode: errcode.ShareInvalidRange,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rt := federation.New(federation.Version)
			shares, _, err := rt.Init(mustParse(t, c.host))
			if err != nil {
				t.Fatal(err)
			}
			urls := map[share.ProviderID]string{shares[0].ID: shares[0].Args.Import}
			if c.hostLoaded {
				rt.HandOut(shares[0].ID, "host", true)
			}
			native := []load.NativeShare{c.remote}
			ids, errs := rt.ProvideNative(native)
			for i, id := range ids {
				if id != 0 {
					urls[id] = native[i].File.URL
				}
			}
			if c.remote.Provider.Version == "nineteen" {
				if len(errs) != 1 || errcode.CodeOf(errs[0]) != errcode.ShareInvalidVersion || ids[0] != 0 {
					t.Fatalf("ProvideNative = %v, %v; want SHARE_INVALID_VERSION", ids, errs)
				}
			}
			rem := config.Remote{Name: "nfRemote", Entry: "http://nf.test/nf/remoteEntry.json", Type: "manifest", ShareScope: "default"}
			got, err := rt.NativeImportMap(rem, native, ids, func(id share.ProviderID) string { return urls[id] })
			if errcode.CodeOf(err) != c.wantCode {
				t.Fatalf("NativeImportMap = %+v, %v; want code %q", got, err, c.wantCode)
			}
			if c.wantCode != "" {
				return
			}
			if got.Imports["react"] != c.wantURL {
				t.Errorf("react maps to %q, want %q", got.Imports["react"], c.wantURL)
			}
			var codes []string
			for _, w := range got.Warnings {
				codes = append(codes, w.Code)
			}
			if !reflect.DeepEqual(codes, c.wantWarnings) {
				t.Errorf("warnings %v, want %v", codes, c.wantWarnings)
			}
			report := consumerReport(t, rt, "nfRemote")
			if report.GotFrom != c.wantFrom || report.Rule != c.wantRule || !strings.Contains(report.Reason, report.Got) {
				t.Errorf("inspect() for nfRemote: %+v, want from %q by rule %q", report, c.wantFrom, c.wantRule)
			}
		})
	}
}

// consumerReport is what inspect() says consumer got for react.
func consumerReport(t *testing.T, rt *federation.Runtime, consumer string) share.ConsumerReport {
	t.Helper()
	for _, p := range rt.Snapshot().Shares {
		if p.Package != "react" {
			continue
		}
		for _, c := range p.Consumers {
			if c.From == consumer {
				return c
			}
		}
	}
	t.Fatalf("inspect() has no consumer %q of react: %+v", consumer, rt.Snapshot().Shares)
	return share.ConsumerReport{}
}

// FuzzNativeImportMap runs hostile remoteEntry.json documents through what
// the page does with them: parse, the remote's shares as providers, its own
// requests resolved against a host sharing React 19. Whatever the document,
// nothing panics, every failure is coded, and the scope maps a package only
// to the host's module or to a file in the remote's directory.
func FuzzNativeImportMap(f *testing.F) {
	f.Add([]byte(`{"name":"nfRemote","exposes":[{"key":"./Button","outFileName":"Button.js"}],"shared":[{"packageName":"react","outFileName":"react.js","version":"19.3.1","requiredVersion":"^19.0.0","singleton":true,"strictVersion":true}]}`))
	f.Add([]byte(`{"name":"r","exposes":[],"shared":[{"packageName":"react","outFileName":"a.js","version":"18.0.0","requiredVersion":"^18","singleton":true,"strictVersion":true},{"packageName":"react","outFileName":"b.js","version":"99.0.0-x","requiredVersion":"*"},{"packageName":"zod","version":"1.0.0","entries":{"zod":"z.js","zod/v4":"z4.js"}}]}`))
	f.Add([]byte(`{"name":"r","exposes":[],"shared":[{"packageName":"react","outFileName":"a.js","version":"not","requiredVersion":">>>"}]}`))
	const manifestURL, dir, hostReact = "http://nf.test/nf/remoteEntry.json", "http://nf.test/nf/", "http://host.test/vendor/react.js"
	host := mustParse(f, `{"name":"host","shared":{"react":{"version":"19.3.1","import":"`+hostReact+`","shareConfig":{"singleton":true,"requiredVersion":"^19.0.0"}}}}`)
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := remote.ParseManifest(data, manifestURL)
		if err != nil || m.Native == nil {
			return
		}
		rt := federation.New(federation.Version)
		configured, _, err := rt.Init(host)
		if err != nil {
			t.Fatal(err)
		}
		urls := map[share.ProviderID]string{configured[0].ID: hostReact}
		rem := config.Remote{Name: "nfRemote", Entry: manifestURL, Type: "manifest", ShareScope: "default"}
		shares := make([]load.NativeShare, len(m.Native.Shared))
		for i, s := range m.Native.Shared {
			shares[i] = load.NativeShareOf(rem, s)
			if shares[i].File.URL, err = m.Native.FileURL(s.OutFileName, manifestURL, resolveURL); err != nil {
				t.Fatalf("accepted file %q does not resolve: %v", s.OutFileName, err)
			}
		}
		ids, errs := rt.ProvideNative(shares)
		for _, err := range errs {
			if errcode.CodeOf(err) == "" {
				t.Fatalf("uncoded: %v", err)
			}
		}
		for i, id := range ids {
			if id != 0 {
				urls[id] = shares[i].File.URL
			}
		}
		got, err := rt.NativeImportMap(rem, shares, ids, func(id share.ProviderID) string { return urls[id] })
		if err != nil {
			if errcode.CodeOf(err) == "" {
				t.Fatalf("uncoded: %v", err)
			}
			return
		}
		for pkg, u := range got.Imports {
			if u != hostReact && !strings.HasPrefix(u, dir) {
				t.Fatalf("%q mapped to %q, neither the host's module nor a file of the remote", pkg, u)
			}
		}
		_ = rt.Snapshot()
	})
}

// resolveURL is net/url's reference resolution (the page passes the browser's).
func resolveURL(ref, base string) (string, error) {
	b, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	r, err := url.Parse(ref)
	if err != nil {
		return "", err
	}
	return b.ResolveReference(r).String(), nil
}
