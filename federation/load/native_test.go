package load_test

import (
	"strconv"
	"testing"

	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/load"
	"github.com/fedwasm/fedwasm/federation/share"
)

const (
	nativeAt     = "http://nf.test/apps/nf/remoteEntry.json"
	buttonSource = "export const Button = 1"
	reactSource  = "export default {}"
)

// nativeEntryJSON is a remoteEntry.json of Native Federation's shape whose
// files are served at nf.test; withIntegrity adds the integrity map its
// integrityHashes feature writes.
func nativeEntryJSON(withIntegrity bool) string {
	doc := `{"$version":"v4","name":"nfRemote","exposes":[{"key":"./Button","outFileName":"Button.js"}],
	"shared":[{"packageName":"react","outFileName":"react.js","version":"19.3.1","requiredVersion":"^19.0.0","singleton":true,"strictVersion":true}]`
	if withIntegrity {
		doc += `,"integrity":{"Button.js":` + strconv.Quote(sri(buttonSource)) + `,"react.js":` + strconv.Quote(sri(reactSource)) + `}`
	}
	return doc + `}`
}

func nativeNetwork(withIntegrity bool) map[string]*served {
	return map[string]*served{
		nativeAt:                           {bodies: []string{nativeEntryJSON(withIntegrity)}},
		"http://nf.test/apps/nf/Button.js": {bodies: []string{buttonSource}},
		"http://nf.test/apps/nf/react.js":  {bodies: []string{reactSource}},
	}
}

func TestNativeExposeAndShares(t *testing.T) {
	r := config.Remote{Name: "nfRemote", Entry: nativeAt, Type: "manifest", ShareScope: "default"}
	cases := []struct {
		name          string
		remote        config.Remote
		policy        load.Policy
		withIntegrity bool
		expose        string
		wantEntry     config.Remote
		wantCode      string // NativeExpose's
		wantShareCode string // NativeShares' for react.js
	}{
		{
			name: "an exposed module is an ES module entry beside the remoteEntry.json, with its integrity", remote: r, withIntegrity: true, expose: "Button",
			wantEntry: config.Remote{Name: "nfRemote", Entry: "http://nf.test/apps/nf/Button.js", Type: "esm", ShareScope: "default", Integrity: sri(buttonSource)},
		},
		{
			name: "without an integrity map the module is loaded unpinned", remote: r, expose: "./Button",
			wantEntry: config.Remote{Name: "nfRemote", Entry: "http://nf.test/apps/nf/Button.js", Type: "esm", ShareScope: "default"},
		},
		{
			name: "an expose the remoteEntry.json does not list", remote: r, expose: "Missing", wantCode: errcode.RemoteExposeMissing,
		},
		{
			name: "allowedOrigins applies to the files", remote: r, expose: "Button",
			policy:   load.Policy{Security: config.Security{AllowedOrigins: []string{"http://host.test"}}},
			wantCode: errcode.OriginNotAllowed, wantShareCode: errcode.OriginNotAllowed,
		},
		{
			name: "files on an allowed origin pass", remote: r, expose: "Button",
			policy:    load.Policy{Security: config.Security{AllowedOrigins: []string{"http://nf.test"}}},
			wantEntry: config.Remote{Name: "nfRemote", Entry: "http://nf.test/apps/nf/Button.js", Type: "esm", ShareScope: "default"},
		},
		{
			name: "requireIntegrity needs the file's integrity", remote: r, expose: "Button",
			policy:   load.Policy{Security: config.Security{RequireIntegrity: true}},
			wantCode: errcode.IntegrityRequired, wantShareCode: errcode.IntegrityRequired,
		},
		{
			name: "a pinned remoteEntry.json must pin its files", remote: withIntegrity(r, sri(nativeEntryJSON(false))), expose: "Button",
			wantCode: errcode.IntegrityRequired, wantShareCode: errcode.IntegrityRequired,
		},
		{
			name: "a pinned remoteEntry.json with an integrity map carries the pin on", remote: withIntegrity(r, sri(nativeEntryJSON(true))), withIntegrity: true, expose: "Button",
			policy:    load.Policy{Security: config.Security{RequireIntegrity: true}},
			wantEntry: config.Remote{Name: "nfRemote", Entry: "http://nf.test/apps/nf/Button.js", Type: "esm", ShareScope: "default", Integrity: sri(buttonSource)},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFake(nativeNetwork(c.withIntegrity))
			l := load.Loader[module]{Platform: f}
			c.policy.Retry = fastRetry
			m, err := l.Manifest(load.Policy{Retry: fastRetry}, c.remote) // the remoteEntry.json itself is fetched under the plain policy here
			if err != nil || m.Native == nil {
				t.Fatalf("Manifest = %+v, %v", m, err)
			}
			entry, err := l.NativeExpose(c.policy, c.remote, m, c.expose)
			if errcode.CodeOf(err) != c.wantCode {
				t.Fatalf("NativeExpose = %+v, %v; want code %q", entry, err, c.wantCode)
			}
			if c.wantCode == "" && entry != c.wantEntry {
				t.Errorf("NativeExpose = %+v, want %+v", entry, c.wantEntry)
			}
			shares, errs := l.NativeShares(c.policy, c.remote, m)
			if len(shares) != 1 {
				t.Fatalf("NativeShares = %+v", shares)
			}
			wantConsumer := share.Consumer{Package: "react", Scope: "default", From: "nfRemote", RequiredVersion: "^19.0.0", Singleton: true, StrictVersion: true}
			if shares[0].Consumer != wantConsumer || shares[0].Provider.Version != "19.3.1" || shares[0].Provider.From != "nfRemote" {
				t.Errorf("share = %+v", shares[0])
			}
			if c.wantShareCode != "" {
				if len(errs) != 1 || errcode.CodeOf(errs[0]) != c.wantShareCode || shares[0].File.URL != "" {
					t.Errorf("NativeShares = %+v, %v; want the file refused with %s", shares, errs, c.wantShareCode)
				}
				return
			}
			if len(errs) != 0 || shares[0].File.URL != "http://nf.test/apps/nf/react.js" {
				t.Errorf("NativeShares = %+v, %v", shares, errs)
			}
			if c.withIntegrity && shares[0].File.Integrity != sri(reactSource) {
				t.Errorf("react.js integrity = %q", shares[0].File.Integrity)
			}
		})
	}
}

// The exposed module loads through Entry as any ES module entry: with its
// integrity pinned for the browser, so other bytes at its URL are refused.
func TestNativeExposeLoadsPinned(t *testing.T) {
	r := config.Remote{Name: "nfRemote", Entry: nativeAt, Type: "manifest", ShareScope: "default"}
	network := nativeNetwork(true)
	f := newFake(network)
	l := load.Loader[module]{Platform: f}
	m, err := l.Manifest(load.Policy{Retry: fastRetry}, r)
	if err != nil {
		t.Fatal(err)
	}
	entry, err := l.NativeExpose(load.Policy{Retry: fastRetry}, r, m, "Button")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Entry(load.Policy{Retry: fastRetry}, entry); err != nil {
		t.Fatalf("Entry = %v", err)
	}
	if f.pinned["http://nf.test/apps/nf/Button.js"] != sri(buttonSource) {
		t.Errorf("pinned = %v", f.pinned)
	}
	network["http://nf.test/apps/nf/Button.js"].bodies = []string{"export const Button = 'tampered'"}
	f2 := newFake(network)
	if _, err := (load.Loader[module]{Platform: f2}).Entry(load.Policy{Retry: fastRetry}, entry); errcode.CodeOf(err) != errcode.IntegrityMismatch {
		t.Errorf("tampered module: Entry = %v, want INTEGRITY_MISMATCH", err)
	}
}

// FromManifest refuses a remoteEntry.json: it names no entry.
func TestFromManifestRefusesNative(t *testing.T) {
	r := config.Remote{Name: "nfRemote", Entry: nativeAt, Type: "manifest"}
	f := newFake(nativeNetwork(false))
	l := load.Loader[module]{Platform: f}
	m, err := l.Manifest(load.Policy{Retry: fastRetry}, r)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.FromManifest(r, m); errcode.CodeOf(err) != errcode.RemoteInvalidManifest {
		t.Fatalf("FromManifest = %v, want REMOTE_INVALID_MANIFEST", err)
	}
	if dir, err := l.NativeScopeURL(r); err != nil || dir != "http://nf.test/apps/nf/" {
		t.Errorf("NativeScopeURL = %q, %v", dir, err)
	}
}

func withIntegrity(r config.Remote, integrity string) config.Remote {
	r.Integrity = integrity
	return r
}
