package load_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/load"
)

// loadRemote loads r as the bridge does (jsbridge loadEntry): a manifest
// remote's manifest first, turned into its entry, then the entry.
func loadRemote(l load.Loader[module], p load.Policy, r config.Remote) (module, error) {
	if r.Type == "manifest" {
		m, err := l.Manifest(p, r)
		if err != nil {
			return module{}, err
		}
		if r, err = l.FromManifest(r, m); err != nil {
			return module{}, err
		}
	}
	return l.Entry(p, r)
}

// manifestWith is an MF 2.0 manifest whose metaData has the given fields
// (JSON members, without braces) besides globalName and the lists.
func manifestWith(metaData string) string {
	return `{"id":"cart","name":"cart","metaData":{` + metaData + `,"globalName":"cart_app"},"shared":[],"exposes":[]}`
}

const (
	allowedManifest = "http://cdn.test/cart/mf-manifest.json"
	goodEntry       = "var cart_app = {}"
	evilEntry       = "var cart_app = {}; window.pwned = true"
)

// onlyCDN allows http://cdn.test alone.
var onlyCDN = load.Policy{Retry: fastRetry, Security: config.Security{AllowedOrigins: []string{"http://cdn.test"}}}

// TestCodeURLsAreCheckedWhereUsed: every URL code would run from — the
// configured entry, the entry a manifest names (its publicPath, path and
// name), where a fetch ended after redirects, failover domains — is checked
// against the policy before anything runs from it; data:, blob: and
// javascript: URLs never run; an integrity pinned on a manifest covers its
// entry. Each case also says what must not have happened: no request to the
// hostile origin, no code run from it.
func TestCodeURLsAreCheckedWhereUsed(t *testing.T) {
	cases := []struct {
		name    string
		remote  config.Remote
		policy  load.Policy
		network map[string]*served

		wantCode string
		wantFrom string   // where the loaded code came from (no error)
		wantLog  []string // the platform's calls, in order (nil: not checked)
		wantMsg  []string
		noHits   []string // URLs that must not have been requested
	}{
		// a. publicPath on another origin.
		{
			name:     "a: a manifest's publicPath on another origin (var entry)",
			remote:   config.Remote{Name: "cart", Entry: allowedManifest, Type: "manifest"},
			policy:   onlyCDN,
			network:  map[string]*served{allowedManifest: {bodies: []string{manifestWith(`"remoteEntry":{"name":"remoteEntry.js","type":"global"},"publicPath":"http://evil.test/"`)}}},
			wantCode: errcode.OriginNotAllowed,
			wantLog:  []string{"fetch " + allowedManifest},
			wantMsg:  []string{"http://evil.test/remoteEntry.js", "not in security.allowedOrigins"},
			noHits:   []string{"http://evil.test/remoteEntry.js"},
		},
		{
			name:     "a: a manifest's publicPath on another origin (ES module entry)",
			remote:   config.Remote{Name: "cart", Entry: allowedManifest, Type: "manifest"},
			policy:   onlyCDN,
			network:  map[string]*served{allowedManifest: {bodies: []string{manifestWith(`"remoteEntry":{"name":"remoteEntry.mjs","type":"module"},"publicPath":"http://evil.test/"`)}}},
			wantCode: errcode.OriginNotAllowed,
			wantLog:  []string{"fetch " + allowedManifest},
		},
		{
			name:     "a: a protocol-relative publicPath",
			remote:   config.Remote{Name: "cart", Entry: allowedManifest, Type: "manifest"},
			policy:   onlyCDN,
			network:  map[string]*served{allowedManifest: {bodies: []string{manifestWith(`"remoteEntry":{"name":"remoteEntry.js","type":"global"},"publicPath":"//evil.test/mf/"`)}}},
			wantCode: errcode.OriginNotAllowed,
			wantMsg:  []string{"http://evil.test/mf/remoteEntry.js"},
		},
		{
			name:   "a: a publicPath on the allowed origin loads",
			remote: config.Remote{Name: "cart", Entry: allowedManifest, Type: "manifest"},
			policy: onlyCDN,
			network: map[string]*served{
				allowedManifest:                         {bodies: []string{manifestWith(`"remoteEntry":{"name":"remoteEntry.js","type":"global"},"publicPath":"/static/"`)}},
				"http://cdn.test/static/remoteEntry.js": {bodies: []string{goodEntry}, defines: "cart_app"},
			},
			wantFrom: "http://cdn.test/static/remoteEntry.js",
			wantLog: []string{"fetch " + allowedManifest, "fetch http://cdn.test/static/remoteEntry.js",
				"script http://cdn.test/static/remoteEntry.js with its integrity"},
		},

		// b. data:, blob: and javascript: URLs.
		{
			name:     "b: a manifest's remoteEntry.name that is a data: URL",
			remote:   config.Remote{Name: "cart", Entry: allowedManifest, Type: "manifest"},
			policy:   onlyCDN,
			network:  map[string]*served{allowedManifest: {bodies: []string{manifestWith(`"remoteEntry":{"name":"data:text/javascript,window.pwned=true","type":"module"},"publicPath":"auto"`)}}},
			wantCode: errcode.OriginNotAllowed,
			wantLog:  []string{"fetch " + allowedManifest},
			wantMsg:  []string{"a data: URL", "code runs only from http(s) URLs"},
		},
		{
			name:     "b: a data: entry is refused with no allowedOrigins at all",
			remote:   config.Remote{Name: "cart", Entry: allowedManifest, Type: "manifest"},
			policy:   load.Policy{Retry: fastRetry},
			network:  map[string]*served{allowedManifest: {bodies: []string{manifestWith(`"remoteEntry":{"name":"data:text/javascript,var cart_app={}","type":"global"},"publicPath":"auto"`)}}},
			wantCode: errcode.OriginNotAllowed,
			wantLog:  []string{"fetch " + allowedManifest},
		},
		{
			name:     "b: a manifest's remoteEntry.path that makes a data: URL",
			remote:   config.Remote{Name: "cart", Entry: allowedManifest, Type: "manifest"},
			policy:   onlyCDN,
			network:  map[string]*served{allowedManifest: {bodies: []string{manifestWith(`"remoteEntry":{"name":"x.js","path":"data:text/javascript,window.pwned=true//","type":"module"},"publicPath":""`)}}},
			wantCode: errcode.OriginNotAllowed,
			wantMsg:  []string{"a data: URL"},
		},
		{
			name:     "b: a blob: URL of the allowed origin",
			remote:   config.Remote{Name: "cart", Entry: allowedManifest, Type: "manifest"},
			policy:   onlyCDN,
			network:  map[string]*served{allowedManifest: {bodies: []string{manifestWith(`"remoteEntry":{"name":"blob:http://cdn.test/3f9a1c2b","type":"module"},"publicPath":"auto"`)}}},
			wantCode: errcode.OriginNotAllowed,
			wantMsg:  []string{"a blob: URL"},
		},
		{
			name:     "b: a javascript: entry in a manifest (var)",
			remote:   config.Remote{Name: "cart", Entry: allowedManifest, Type: "manifest"},
			policy:   onlyCDN,
			network:  map[string]*served{allowedManifest: {bodies: []string{manifestWith(`"remoteEntry":{"name":"javascript:window.pwned=true","type":"global"},"publicPath":"auto"`)}}},
			wantCode: errcode.OriginNotAllowed,
			wantLog:  []string{"fetch " + allowedManifest},
			wantMsg:  []string{"a javascript: URL"},
		},
		{
			name:     "b: a configured javascript: entry, upper case",
			remote:   config.Remote{Name: "cart", Entry: "JavaScript:window.pwned=true", Type: "var", EntryGlobalName: "cart_app"},
			policy:   load.Policy{Retry: fastRetry},
			wantCode: errcode.OriginNotAllowed,
			wantLog:  []string{},
		},
		{
			name:     "b: a configured data: manifest",
			remote:   config.Remote{Name: "cart", Entry: `data:application/json,{}`, Type: "manifest"},
			policy:   load.Policy{Retry: fastRetry},
			wantCode: errcode.OriginNotAllowed,
			wantLog:  []string{},
		},

		// c. redirects.
		{
			name:   "c: an ES module entry that redirects to another origin",
			remote: config.Remote{Name: "cart", Entry: "http://cdn.test/cart.js", Type: "esm"},
			policy: onlyCDN,
			network: map[string]*served{
				"http://cdn.test/cart.js":  {bodies: []string{redirectPrefix + "http://evil.test/cart.js"}},
				"http://evil.test/cart.js": {bodies: []string{"export const pwned = true"}},
			},
			wantCode: errcode.OriginNotAllowed,
			wantLog:  []string{"fetch http://cdn.test/cart.js", "abandon http://cdn.test/cart.js"},
			wantMsg:  []string{"http://cdn.test/cart.js, which redirected to http://evil.test/cart.js"},
		},
		{
			name:   "c: a var entry that redirects to another origin",
			remote: config.Remote{Name: "cart", Entry: "http://cdn.test/remoteEntry.js", Type: "var", EntryGlobalName: "cart_app"},
			policy: onlyCDN,
			network: map[string]*served{
				"http://cdn.test/remoteEntry.js":  {bodies: []string{redirectPrefix + "http://evil.test/remoteEntry.js"}},
				"http://evil.test/remoteEntry.js": {bodies: []string{evilEntry}, defines: "cart_app"},
			},
			wantCode: errcode.OriginNotAllowed,
			wantLog:  []string{"fetch http://cdn.test/remoteEntry.js", "abandon http://cdn.test/remoteEntry.js"},
		},
		{
			name:   "c: a manifest that redirects to another origin",
			remote: config.Remote{Name: "cart", Entry: allowedManifest, Type: "manifest"},
			policy: onlyCDN,
			network: map[string]*served{
				allowedManifest:                     {bodies: []string{redirectPrefix + "http://evil.test/mf-manifest.json"}},
				"http://evil.test/mf-manifest.json": {bodies: []string{manifestWith(`"remoteEntry":{"name":"remoteEntry.js","type":"global"},"publicPath":"auto"`)}},
			},
			wantCode: errcode.OriginNotAllowed,
			wantLog:  []string{"fetch " + allowedManifest, "abandon " + allowedManifest},
		},
		{
			name:   "c: a redirect within the allowed origin loads, bound to the bytes checked",
			remote: config.Remote{Name: "cart", Entry: "http://cdn.test/cart.js", Type: "esm"},
			policy: onlyCDN,
			network: map[string]*served{
				"http://cdn.test/cart.js":    {bodies: []string{redirectPrefix + "http://cdn.test/cart.v2.js"}},
				"http://cdn.test/cart.v2.js": {bodies: []string{"export {}"}},
			},
			wantFrom: "http://cdn.test/cart.v2.js",
			wantLog:  []string{"fetch http://cdn.test/cart.js", "pin http://cdn.test/cart.js", "import http://cdn.test/cart.js"},
		},
		{
			name:   "c: an ES module entry that redirects elsewhere only when it is run: the pinned bytes refuse it",
			remote: config.Remote{Name: "cart", Entry: "http://cdn.test/cart.js", Type: "esm"},
			policy: load.Policy{Retry: config.Retry{TimeoutMs: 100}, Security: onlyCDN.Security},
			network: map[string]*served{
				"http://cdn.test/cart.js":  {bodies: []string{"export {}", redirectPrefix + "http://evil.test/cart.js"}},
				"http://evil.test/cart.js": {bodies: []string{"export const pwned = true"}},
			},
			wantCode: errcode.RemoteLoadFailed,
			wantLog: []string{"fetch http://cdn.test/cart.js", "pin http://cdn.test/cart.js", "import http://cdn.test/cart.js",
				"abandon http://cdn.test/cart.js"},
		},
		{
			name:   "c: a var entry that redirects elsewhere only when it is run: the script's integrity refuses it",
			remote: config.Remote{Name: "cart", Entry: "http://cdn.test/remoteEntry.js", Type: "var", EntryGlobalName: "cart_app"},
			policy: load.Policy{Retry: config.Retry{TimeoutMs: 100}, Security: onlyCDN.Security},
			network: map[string]*served{
				"http://cdn.test/remoteEntry.js":  {bodies: []string{goodEntry, redirectPrefix + "http://evil.test/remoteEntry.js"}},
				"http://evil.test/remoteEntry.js": {bodies: []string{evilEntry}, defines: "cart_app"},
			},
			wantCode: errcode.RemoteLoadFailed,
			wantLog: []string{"fetch http://cdn.test/remoteEntry.js", "script http://cdn.test/remoteEntry.js with its integrity",
				"abandon http://cdn.test/remoteEntry.js"},
		},
		{
			name:     "c: a page that cannot digest still checks where the entry came from",
			remote:   config.Remote{Name: "cart", Entry: "http://cdn.test/cart.js", Type: "esm"},
			policy:   onlyCDN,
			network:  map[string]*served{"http://cdn.test/cart.js": {bodies: []string{redirectPrefix + "http://evil.test/cart.js"}}, "http://evil.test/cart.js": {bodies: []string{"export {}"}}, "nodigest": {}},
			wantCode: errcode.OriginNotAllowed,
		},
		{
			name:     "c: a page that cannot digest runs a checked entry unpinned",
			remote:   config.Remote{Name: "cart", Entry: "http://cdn.test/cart.js", Type: "esm"},
			policy:   onlyCDN,
			network:  map[string]*served{"http://cdn.test/cart.js": {bodies: []string{"export {}"}}, "nodigest": {}},
			wantFrom: "http://cdn.test/cart.js",
			wantLog:  []string{"fetch http://cdn.test/cart.js", "import http://cdn.test/cart.js"},
		},
		{
			name:     "c: without allowedOrigins nothing is fetched before the run",
			remote:   config.Remote{Name: "cart", Entry: "http://cdn.test/cart.js", Type: "esm"},
			policy:   load.Policy{Retry: fastRetry},
			network:  map[string]*served{"http://cdn.test/cart.js": {bodies: []string{"export {}"}}},
			wantFrom: "http://cdn.test/cart.js",
			wantLog:  []string{"import http://cdn.test/cart.js"},
		},
		{
			name:   "a failover domain outside allowedOrigins is refused before the first attempt",
			remote: config.Remote{Name: "cart", Entry: "http://cdn.test/cart.js", Type: "esm"},
			policy: load.Policy{Retry: config.Retry{Times: 1, Domains: []string{"http://cdn.test", "http://evil.test"}},
				Security: onlyCDN.Security},
			network:  map[string]*served{"http://cdn.test/cart.js": {bodies: []string{"export {}"}}},
			wantCode: errcode.OriginNotAllowed,
			wantLog:  []string{},
			wantMsg:  []string{"http://evil.test/cart.js"},
		},

		// d. integrity pinned on a manifest covers its entry.
		{
			name:   "d: a pinned manifest's entry with other bytes than its manifest says is not run",
			remote: config.Remote{Name: "cart", Entry: allowedManifest, Type: "manifest", Integrity: sri(pinnedManifest)},
			policy: load.Policy{Retry: fastRetry},
			network: map[string]*served{
				allowedManifest:                       {bodies: []string{pinnedManifest}},
				"http://cdn.test/cart/remoteEntry.js": {bodies: []string{evilEntry}, defines: "cart_app"},
			},
			wantCode: errcode.IntegrityMismatch,
			wantLog:  []string{"fetch " + allowedManifest, "fetch http://cdn.test/cart/remoteEntry.js", "abandon http://cdn.test/cart/remoteEntry.js"},
		},
		{
			name:   "d: a pinned manifest's entry with the bytes its manifest says runs, bound to them",
			remote: config.Remote{Name: "cart", Entry: allowedManifest, Type: "manifest", Integrity: sri(pinnedManifest)},
			policy: load.Policy{Retry: fastRetry},
			network: map[string]*served{
				allowedManifest:                       {bodies: []string{pinnedManifest}},
				"http://cdn.test/cart/remoteEntry.js": {bodies: []string{goodEntry}, defines: "cart_app"},
			},
			wantFrom: "http://cdn.test/cart/remoteEntry.js",
			wantLog: []string{"fetch " + allowedManifest, "fetch http://cdn.test/cart/remoteEntry.js",
				"script http://cdn.test/cart/remoteEntry.js with its integrity"},
		},
		{
			name:   "d: a pinned manifest that gives no integrity for its entry: the entry is not fetched",
			remote: config.Remote{Name: "cart", Entry: allowedManifest, Type: "manifest", Integrity: sri(unpinnedManifest)},
			policy: load.Policy{Retry: fastRetry},
			network: map[string]*served{
				allowedManifest:                       {bodies: []string{unpinnedManifest}},
				"http://cdn.test/cart/remoteEntry.js": {bodies: []string{evilEntry}, defines: "cart_app"},
			},
			wantCode: errcode.IntegrityRequired,
			wantLog:  []string{"fetch " + allowedManifest},
			wantMsg:  []string{"gives none for its entry", "metaData.remoteEntry.integrity"},
		},
		{
			name:   "d: the same under security.requireIntegrity",
			remote: config.Remote{Name: "cart", Entry: allowedManifest, Type: "manifest", Integrity: sri(unpinnedManifest)},
			policy: load.Policy{Retry: fastRetry, Security: config.Security{RequireIntegrity: true}},
			network: map[string]*served{
				allowedManifest:                       {bodies: []string{unpinnedManifest}},
				"http://cdn.test/cart/remoteEntry.js": {bodies: []string{evilEntry}, defines: "cart_app"},
			},
			wantCode: errcode.IntegrityRequired,
			wantLog:  []string{"fetch " + allowedManifest},
		},
		{
			name:   "d: an unpinned manifest's entry integrity is checked too",
			remote: config.Remote{Name: "cart", Entry: allowedManifest, Type: "manifest"},
			policy: load.Policy{Retry: fastRetry},
			network: map[string]*served{
				allowedManifest:                       {bodies: []string{pinnedManifest}},
				"http://cdn.test/cart/remoteEntry.js": {bodies: []string{evilEntry}, defines: "cart_app"},
			},
			wantCode: errcode.IntegrityMismatch,
		},
		{
			name:     "d: an entry integrity that is not SRI makes the manifest invalid",
			remote:   config.Remote{Name: "cart", Entry: allowedManifest, Type: "manifest"},
			policy:   load.Policy{Retry: config.Retry{TimeoutMs: 100}},
			network:  map[string]*served{allowedManifest: {bodies: []string{manifestWith(`"remoteEntry":{"name":"remoteEntry.js","type":"global","integrity":"md5-abc"},"publicPath":"auto"`)}}},
			wantCode: errcode.RemoteInvalidManifest,
			wantMsg:  []string{"metaData.remoteEntry.integrity"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(tc.network)
			f.noDigest = tc.network["nodigest"] != nil
			m, err := loadRemote(load.Loader[module]{Platform: f}, tc.policy, tc.remote)
			if got := errcode.CodeOf(err); got != tc.wantCode {
				t.Fatalf("err = %v, want code %q; platform calls:\n%s", err, tc.wantCode, strings.Join(f.log, "\n"))
			}
			if err == nil && m.from != tc.wantFrom {
				t.Errorf("code from %q, want %q", m.from, tc.wantFrom)
			}
			if tc.wantLog != nil && !reflect.DeepEqual(append([]string{}, f.log...), tc.wantLog) {
				t.Errorf("platform calls:\n%s\nwant\n%s", strings.Join(f.log, "\n"), strings.Join(tc.wantLog, "\n"))
			}
			for _, w := range tc.wantMsg {
				if err == nil || !strings.Contains(err.Error(), w) {
					t.Errorf("error %v lacks %q", err, w)
				}
			}
			for _, u := range tc.noHits {
				if f.hits[u] != 0 {
					t.Errorf("%s was requested %d time(s)", u, f.hits[u])
				}
			}
			for name, g := range f.globals {
				if strings.Contains(g.from, "evil.test") {
					t.Errorf("window.%s was defined by code from %s", name, g.from)
				}
			}
			if err == nil && strings.Contains(m.from, "evil.test") {
				t.Errorf("the remote's code came from %s", m.from)
			}
		})
	}
}

// pinnedManifest names its entry's integrity (that of goodEntry);
// unpinnedManifest does not.
var (
	pinnedManifest   = manifestWith(`"remoteEntry":{"name":"remoteEntry.js","type":"global","integrity":"` + sri(goodEntry) + `"},"publicPath":"auto"`)
	unpinnedManifest = manifestWith(`"remoteEntry":{"name":"remoteEntry.js","type":"global"},"publicPath":"auto"`)
)
