package load_test

import (
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/integrity/sha"
	"github.com/fedwasm/fedwasm/federation/load"
	"github.com/fedwasm/fedwasm/federation/retry"
)

// module stands for what the page's import() or container global gives.
type module struct{ from string }

// served is what the fake network answers for a URL, attempt after attempt
// (the last answer repeats).
type served struct {
	bodies      []string // "" : the request fails; "redirect <url>": a redirect there
	defines     string   // a script at this URL defines this container global when it runs
	throws      string   // and then throws this
	contentType string   // "" : application/json
}

// redirectPrefix starts a served answer that redirects.
const redirectPrefix = "redirect "

// fakePlatform is the page as the tests want it: a network of served URLs
// (redirects followed as the browser follows them), a crypto that digests
// with Go's SHA-2 (or none), integrity a browser enforces, and a record of
// what was done, in order.
type fakePlatform struct {
	network  map[string]*served
	hits     map[string]int
	globals  map[string]module
	scripts  map[string]bool   // a script for this URL is on the page already
	pinned   map[string]string // import map integrity by URL
	noDigest bool
	log      []string
}

func newFake(network map[string]*served) *fakePlatform {
	return &fakePlatform{network: network, hits: map[string]int{}, globals: map[string]module{}, pinned: map[string]string{}}
}

type body struct {
	data        []byte
	contentType string
	url         string
	redirected  bool
}

func (b body) Bytes() []byte { return b.data }

func (b body) ContentType() string { return b.contentType }

func (b body) URL() string { return b.url }

func (b body) Redirected() bool { return b.redirected }

// answer is the body of the next request to u, after redirects, and the URL
// it came from, or an error.
func (f *fakePlatform) answer(u string) (string, string, error) {
	for range 5 {
		base := strings.Split(u, "?")[0] // a retry's cache-busting query is served the same
		s := f.network[base]
		n := f.hits[base]
		f.hits[base]++
		if s == nil || len(s.bodies) == 0 {
			return "", u, errors.New("fetching " + u + ": HTTP 404")
		}
		b := s.bodies[min(n, len(s.bodies)-1)]
		switch {
		case b == "":
			return "", u, errors.New("fetching " + u + ": HTTP 503")
		case b == "timeout":
			return "", u, fmt.Errorf("%s %w after 100ms", u, load.ErrTimeout)
		case strings.HasPrefix(b, redirectPrefix):
			u = strings.TrimPrefix(b, redirectPrefix)
			continue
		}
		return b, u, nil
	}
	return "", u, errors.New("fetching " + u + ": too many redirects")
}

func (f *fakePlatform) Fetch(u string, _ retry.Millis) (load.Body, error) {
	f.log = append(f.log, "fetch "+u)
	b, arrived, err := f.answer(u)
	ct := "application/json"
	if s := f.network[strings.Split(arrived, "?")[0]]; s != nil && s.contentType != "" {
		ct = s.contentType
	}
	return body{data: []byte(b), contentType: ct, url: arrived, redirected: arrived != u}, err
}

func (f *fakePlatform) Digest(b load.Body, alg string) ([]byte, error) {
	if f.noDigest {
		return nil, errors.New("this page has no crypto.subtle")
	}
	switch alg {
	case "sha384":
		sum := sha512.Sum384(b.Bytes())
		return sum[:], nil
	case "sha512":
		sum := sha512.Sum512(b.Bytes())
		return sum[:], nil
	}
	return nil, errors.New("no " + alg)
}

func (f *fakePlatform) PinIntegrity(u, sri string) {
	f.log = append(f.log, "pin "+u)
	if _, ok := f.pinned[u]; !ok {
		f.pinned[u] = sri // the first integrity given for a URL stays, as in browsers
	}
}

// blocks reports whether a browser refuses text under the integrity sri.
func blocks(sri, text string) bool { return sri != "" && sha.Verify([]byte(text), sri) != nil }

func (f *fakePlatform) Import(u string, _ retry.Millis) (module, error) {
	f.log = append(f.log, "import "+u)
	text, arrived, err := f.answer(u)
	if errors.Is(err, load.ErrTimeout) {
		return module{}, err
	} else if err != nil || blocks(f.pinned[u], text) {
		return module{}, errors.New("error loading dynamically imported module: " + u)
	}
	return module{from: arrived}, nil
}

func (f *fakePlatform) RunScript(u, sri string, _ retry.Millis, prepare func() (string, error)) (string, error) {
	if f.scripts[u] {
		f.log = append(f.log, "reuse "+u)
		return "", nil
	}
	bound, err := prepare()
	if err != nil {
		return "", err
	}
	if bound != "" {
		f.log = append(f.log, "script "+u+" with its integrity")
	} else {
		f.log = append(f.log, "script "+u)
	}
	text, arrived, err := f.answer(u)
	if err != nil || blocks(bound, text) {
		return "", errors.New("the script " + u + " could not be loaded")
	}
	s := f.network[strings.Split(arrived, "?")[0]]
	if s != nil && s.defines != "" {
		f.globals[s.defines] = module{from: arrived}
	}
	if s != nil {
		return s.throws, nil
	}
	return "", nil
}

func (f *fakePlatform) Abandon(urls []string) {
	f.log = append(f.log, "abandon "+strings.Join(urls, " "))
}

func (f *fakePlatform) Container(name string) (module, bool) {
	m, ok := f.globals[name]
	return m, ok
}

func (f *fakePlatform) Absolute(u string) string {
	r, _ := f.Resolve(u, "http://host.test/app/")
	return r
}

func (f *fakePlatform) Resolve(ref, base string) (string, error) {
	b, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	r, err := b.Parse(ref)
	if err != nil {
		return "", err
	}
	return r.String(), nil
}

func (f *fakePlatform) Origin(u string) (string, bool) {
	p, err := url.Parse(u)
	if err != nil || p.Host == "" {
		return "", false
	}
	return p.Scheme + "://" + p.Host, true
}

func (f *fakePlatform) Sleep(d retry.Millis) { f.log = append(f.log, "sleep "+d.String()) }

func sri(text string) string {
	sum := sha512.Sum384([]byte(text))
	return "sha384-" + base64.StdEncoding.EncodeToString(sum[:])
}

const manifestJSON = `{"id":"cart","name":"cart","metaData":{"remoteEntry":{"name":"remoteEntry.js","path":"","type":"global"},
	"globalName":"cart_app","publicPath":"auto"},"shared":[{"name":"react","version":"19.1.0"}],"exposes":[]}`

var fastRetry = config.Retry{Times: 2, DelayMs: 10, TimeoutMs: 100}

func TestEntry(t *testing.T) {
	cases := []struct {
		name    string
		remote  config.Remote
		policy  load.Policy
		network map[string]*served
		globals []string // containers the page already holds

		wantFrom string   // the module's URL
		wantCode string   // the error's code
		wantLog  []string // what the platform was asked, in order
		wantMsg  []string
	}{
		{
			name:     "an ES module loads on the first attempt",
			remote:   config.Remote{Name: "cart", Entry: "http://cdn.test/cart.js", Type: "esm"},
			policy:   load.Policy{Retry: fastRetry},
			network:  map[string]*served{"http://cdn.test/cart.js": {bodies: []string{"export {}"}}},
			wantFrom: "http://cdn.test/cart.js",
			wantLog:  []string{"import http://cdn.test/cart.js"},
		},
		{
			name:     "a relative entry resolves against the page",
			remote:   config.Remote{Name: "cart", Entry: "../remotes/cart.js", Type: "esm"},
			policy:   load.Policy{Retry: fastRetry},
			network:  map[string]*served{"http://host.test/remotes/cart.js": {bodies: []string{"export {}"}}},
			wantFrom: "http://host.test/remotes/cart.js",
			wantLog:  []string{"import http://host.test/remotes/cart.js"},
		},
		{
			name:     "an ES module failing twice is retried with doubling delays and a cache-busting query",
			remote:   config.Remote{Name: "cart", Entry: "http://cdn.test/cart.js", Type: "esm"},
			policy:   load.Policy{Retry: fastRetry},
			network:  map[string]*served{"http://cdn.test/cart.js": {bodies: []string{"", "", "export {}"}}},
			wantFrom: "http://cdn.test/cart.js?fedwasm-retry=2",
			wantLog: []string{"import http://cdn.test/cart.js", "sleep 10ms", "import http://cdn.test/cart.js?fedwasm-retry=1",
				"sleep 20ms", "import http://cdn.test/cart.js?fedwasm-retry=2"},
		},
		{
			name:   "failover domains are tried in turn",
			remote: config.Remote{Name: "cart", Entry: "http://a.test/cart.js", Type: "esm"},
			policy: load.Policy{Retry: config.Retry{Times: 2, DelayMs: 10, TimeoutMs: 100, Domains: []string{"http://a.test", "http://b.test"}}},
			network: map[string]*served{
				"http://a.test/cart.js": {bodies: []string{""}},
				"http://b.test/cart.js": {bodies: []string{"export {}"}},
			},
			wantFrom: "http://b.test/cart.js?fedwasm-retry=1",
			wantLog:  []string{"import http://a.test/cart.js", "sleep 10ms", "import http://b.test/cart.js?fedwasm-retry=1"},
		},
		{
			name:     "every attempt failing: REMOTE_LOAD_FAILED naming each URL tried",
			remote:   config.Remote{Name: "cart", Entry: "http://cdn.test/cart.js", Type: "esm"},
			policy:   load.Policy{Retry: fastRetry},
			network:  map[string]*served{},
			wantCode: errcode.RemoteLoadFailed,
			wantMsg: []string{`remote "cart" could not be loaded after 3 attempt(s)`, "http://cdn.test/cart.js?fedwasm-retry=2",
				"the host keeps running"},
		},
		{
			name:     "an ES module that ran out of time is imported again at the same URL (the import under way is waited for)",
			remote:   config.Remote{Name: "cart", Entry: "http://cdn.test/cart.js", Type: "esm"},
			policy:   load.Policy{Retry: fastRetry},
			network:  map[string]*served{"http://cdn.test/cart.js": {bodies: []string{"timeout", "export {}"}}},
			wantFrom: "http://cdn.test/cart.js",
			wantLog:  []string{"import http://cdn.test/cart.js", "sleep 10ms", "import http://cdn.test/cart.js"},
		},
		{
			name:     "under allowedOrigins, an ES module whose check ran out of time is checked again at the same URL",
			remote:   config.Remote{Name: "cart", Entry: "http://cdn.test/cart.js", Type: "esm"},
			policy:   load.Policy{Retry: fastRetry, Security: config.Security{AllowedOrigins: []string{"http://cdn.test"}}},
			network:  map[string]*served{"http://cdn.test/cart.js": {bodies: []string{"timeout", "export {}"}}},
			wantFrom: "http://cdn.test/cart.js",
			wantLog: []string{"fetch http://cdn.test/cart.js", "sleep 10ms", "fetch http://cdn.test/cart.js", "pin http://cdn.test/cart.js",
				"import http://cdn.test/cart.js"},
		},
		{
			name:     "under allowedOrigins, an ES module that ran out of time while running is waited for, not checked again",
			remote:   config.Remote{Name: "cart", Entry: "http://cdn.test/cart.js", Type: "esm"},
			policy:   load.Policy{Retry: fastRetry, Security: config.Security{AllowedOrigins: []string{"http://cdn.test"}}},
			network:  map[string]*served{"http://cdn.test/cart.js": {bodies: []string{"export {}", "timeout", "export {}"}}},
			wantFrom: "http://cdn.test/cart.js",
			wantLog: []string{"fetch http://cdn.test/cart.js", "pin http://cdn.test/cart.js", "import http://cdn.test/cart.js", "sleep 10ms",
				"pin http://cdn.test/cart.js", "import http://cdn.test/cart.js"},
		},
		{
			name:     "a var script failing on every attempt: the scripts are abandoned",
			remote:   config.Remote{Name: "cart", Entry: "http://cdn.test/remoteEntry.js", Type: "var", EntryGlobalName: "cart_app"},
			policy:   load.Policy{Retry: config.Retry{Times: 1, DelayMs: 10, TimeoutMs: 100}},
			network:  map[string]*served{},
			wantCode: errcode.RemoteLoadFailed,
			wantLog: []string{"script http://cdn.test/remoteEntry.js", "sleep 10ms", "script http://cdn.test/remoteEntry.js",
				"abandon http://cdn.test/remoteEntry.js http://cdn.test/remoteEntry.js"},
		},
		{
			name:     "a var script already on the page is used: not verified, not added again",
			remote:   config.Remote{Name: "cart", Entry: "http://cdn.test/e.js", Type: "var", EntryGlobalName: "c", Integrity: sri("var c")},
			policy:   load.Policy{Retry: fastRetry},
			network:  map[string]*served{"onpage": {}},
			globals:  []string{},
			wantCode: errcode.RemoteContainerMissing, // the page's script did not define it
			wantLog:  []string{"reuse http://cdn.test/e.js", "abandon http://cdn.test/e.js"},
		},
		{
			name:     "a var script defines its container",
			remote:   config.Remote{Name: "cart", Entry: "http://cdn.test/remoteEntry.js", Type: "var", EntryGlobalName: "cart_app"},
			policy:   load.Policy{Retry: fastRetry},
			network:  map[string]*served{"http://cdn.test/remoteEntry.js": {bodies: []string{"var cart_app"}, defines: "cart_app"}},
			wantFrom: "http://cdn.test/remoteEntry.js",
			wantLog:  []string{"script http://cdn.test/remoteEntry.js"},
		},
		{
			name:     "a var container already on the page loads nothing",
			remote:   config.Remote{Name: "cart", Entry: "http://cdn.test/remoteEntry.js", Type: "var", EntryGlobalName: "cart_app"},
			policy:   load.Policy{Retry: fastRetry},
			globals:  []string{"cart_app"},
			wantFrom: "already here",
		},
		{
			name:     "a script without its container is final: no retry",
			remote:   config.Remote{Name: "cart", Entry: "http://cdn.test/remoteEntry.js", Type: "var", EntryGlobalName: "cart_app"},
			policy:   load.Policy{Retry: fastRetry},
			network:  map[string]*served{"http://cdn.test/remoteEntry.js": {bodies: []string{"var other"}}},
			wantCode: errcode.RemoteContainerMissing,
			wantLog:  []string{"script http://cdn.test/remoteEntry.js", "abandon http://cdn.test/remoteEntry.js"},
			wantMsg:  []string{"window.cart_app"},
		},
		{
			name:     "a script that throws before defining its container: final, the exception said",
			remote:   config.Remote{Name: "cart", Entry: "http://cdn.test/remoteEntry.js", Type: "var", EntryGlobalName: "cart_app"},
			policy:   load.Policy{Retry: fastRetry},
			network:  map[string]*served{"http://cdn.test/remoteEntry.js": {bodies: []string{"throw"}, throws: "Uncaught ReferenceError: process is not defined"}},
			wantCode: errcode.RemoteContainerMissing,
			wantLog:  []string{"script http://cdn.test/remoteEntry.js", "abandon http://cdn.test/remoteEntry.js"},
			wantMsg:  []string{"threw while it ran (Uncaught ReferenceError: process is not defined)", "window.cart_app", "fix the error in the remote's entry"},
		},
		{
			name:     "a script that throws after defining its container works",
			remote:   config.Remote{Name: "cart", Entry: "http://cdn.test/remoteEntry.js", Type: "var", EntryGlobalName: "cart_app"},
			policy:   load.Policy{Retry: fastRetry},
			network:  map[string]*served{"http://cdn.test/remoteEntry.js": {bodies: []string{"var cart_app; throw"}, defines: "cart_app", throws: "Uncaught Error: late"}},
			wantFrom: "http://cdn.test/remoteEntry.js",
			wantLog:  []string{"script http://cdn.test/remoteEntry.js"},
		},
		{
			name:     "integrity: the bytes are checked, then pinned for the import",
			remote:   config.Remote{Name: "cart", Entry: "http://cdn.test/cart.js", Type: "esm", Integrity: sri("export {}")},
			policy:   load.Policy{Retry: fastRetry},
			network:  map[string]*served{"http://cdn.test/cart.js": {bodies: []string{"export {}"}}},
			wantFrom: "http://cdn.test/cart.js",
			wantLog:  []string{"fetch http://cdn.test/cart.js", "pin http://cdn.test/cart.js", "import http://cdn.test/cart.js"},
		},
		{
			name:     "integrity mismatch is final: not run, not retried",
			remote:   config.Remote{Name: "cart", Entry: "http://cdn.test/cart.js", Type: "esm", Integrity: sri("export {}")},
			policy:   load.Policy{Retry: fastRetry},
			network:  map[string]*served{"http://cdn.test/cart.js": {bodies: []string{"export const evil = 1"}}},
			wantCode: errcode.IntegrityMismatch,
			wantLog:  []string{"fetch http://cdn.test/cart.js", "abandon http://cdn.test/cart.js"},
			wantMsg:  []string{"does not match its integrity", "the remote was not run"},
		},
		{
			name:     "integrity a var script: checked, then set on the script",
			remote:   config.Remote{Name: "cart", Entry: "http://cdn.test/e.js", Type: "var", EntryGlobalName: "c", Integrity: sri("var c")},
			policy:   load.Policy{Retry: fastRetry},
			network:  map[string]*served{"http://cdn.test/e.js": {bodies: []string{"var c"}, defines: "c"}},
			wantFrom: "http://cdn.test/e.js",
			wantLog:  []string{"fetch http://cdn.test/e.js", "script http://cdn.test/e.js with its integrity"},
		},
		{
			name:   "a page without crypto.subtle fails closed",
			remote: config.Remote{Name: "cart", Entry: "http://cdn.test/cart.js", Type: "esm", Integrity: sri("export {}")},
			policy: load.Policy{Retry: fastRetry},
			network: map[string]*served{
				"http://cdn.test/cart.js": {bodies: []string{"export {}"}},
				"nodigest":                {},
			},
			wantCode: errcode.IntegrityUnavailable,
			wantMsg:  []string{"secure contexts"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(tc.network)
			f.noDigest = tc.network["nodigest"] != nil
			if tc.network["onpage"] != nil {
				f.scripts = map[string]bool{tc.remote.Entry: true}
			}
			for _, g := range tc.globals {
				f.globals[g] = module{from: "already here"}
			}
			l := load.Loader[module]{Platform: f}
			if err := l.Check(tc.policy, tc.remote); err != nil {
				t.Fatalf("Check: %v", err)
			}
			m, err := l.Entry(tc.policy, tc.remote)
			if got := errcode.CodeOf(err); got != tc.wantCode {
				t.Fatalf("err = %v, want code %q", err, tc.wantCode)
			}
			if err == nil && m.from != tc.wantFrom {
				t.Errorf("module from %q, want %q", m.from, tc.wantFrom)
			}
			if tc.wantLog != nil && !reflect.DeepEqual(f.log, tc.wantLog) {
				t.Errorf("platform calls:\n%s\nwant\n%s", strings.Join(f.log, "\n"), strings.Join(tc.wantLog, "\n"))
			}
			for _, w := range tc.wantMsg {
				if err == nil || !strings.Contains(err.Error(), w) {
					t.Errorf("error %v lacks %q", err, w)
				}
			}
		})
	}
}

func TestCheck(t *testing.T) {
	l := load.Loader[module]{Platform: newFake(nil)}
	allowed := load.Policy{Security: config.Security{AllowedOrigins: []string{"http://cdn.test"}}}
	cases := []struct {
		name     string
		policy   load.Policy
		remote   config.Remote
		wantCode string
	}{
		{"no policy", load.Policy{}, config.Remote{Name: "x", Entry: "http://evil.test/x.js"}, ""},
		{"allowed origin", allowed, config.Remote{Name: "x", Entry: "http://cdn.test/x.js"}, ""},
		{"other origin", allowed, config.Remote{Name: "x", Entry: "http://evil.test/x.js"}, errcode.OriginNotAllowed},
		{"a relative entry is the page's origin", allowed, config.Remote{Name: "x", Entry: "/x.js"}, errcode.OriginNotAllowed},
		{"integrity required and missing", load.Policy{Security: config.Security{RequireIntegrity: true}},
			config.Remote{Name: "x", Entry: "http://cdn.test/x.js"}, errcode.IntegrityRequired},
		{"integrity required and given", load.Policy{Security: config.Security{RequireIntegrity: true}},
			config.Remote{Name: "x", Entry: "http://cdn.test/x.js", Integrity: sri("x")}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := errcode.CodeOf(l.Check(tc.policy, tc.remote)); got != tc.wantCode {
				t.Errorf("code %q, want %q", got, tc.wantCode)
			}
		})
	}
}

func TestManifest(t *testing.T) {
	const at = "http://cdn.test/cart/mf-manifest.json"
	r := config.Remote{Name: "cart", Entry: at, Type: "manifest", ShareScope: "default"}
	t.Run("parsed, then turned into its entry and what it provides", func(t *testing.T) {
		f := newFake(map[string]*served{at: {bodies: []string{manifestJSON}}})
		l := load.Loader[module]{Platform: f}
		m, err := l.Manifest(load.Policy{Retry: fastRetry}, r)
		if err != nil {
			t.Fatal(err)
		}
		entry, err := l.FromManifest(r, m)
		if err != nil {
			t.Fatal(err)
		}
		want := config.Remote{Name: "cart", Entry: "http://cdn.test/cart/remoteEntry.js", Type: "var", ShareScope: "default", EntryGlobalName: "cart_app"}
		if entry != want {
			t.Errorf("entry remote = %+v, want %+v", entry, want)
		}
		provided := load.Provided(r, m)
		if len(provided) != 1 || provided[0].Package != "react" || provided[0].Version != "19.1.0" || provided[0].From != "cart" || provided[0].Scope != "default" {
			t.Errorf("provided = %+v", provided)
		}
	})
	t.Run("a remote of unknown type is a manifest when its entry is served as JSON", func(t *testing.T) {
		const bare = "http://cdn.test/cart/manifest"
		f := newFake(map[string]*served{bare: {bodies: []string{manifestJSON}, contentType: "application/json; charset=utf-8"}})
		unknown := config.Remote{Name: "cart", Entry: bare + "?v=2"}
		m, err := load.Loader[module]{Platform: f}.Manifest(load.Policy{Retry: fastRetry}, unknown)
		if err != nil || m.MetaData.GlobalName != "cart_app" {
			t.Fatalf("manifest = %+v, %v", m, err)
		}
	})
	t.Run("a remote of unknown type is a script when its entry is not JSON: one fetch, no retry", func(t *testing.T) {
		const bare = "http://cdn.test/cart/entry"
		f := newFake(map[string]*served{bare: {bodies: []string{"var cart_app = {}"}, contentType: "text/javascript"}})
		_, err := load.Loader[module]{Platform: f}.Manifest(load.Policy{Retry: fastRetry}, config.Remote{Name: "cart", Entry: bare})
		if !errors.Is(err, load.ErrNotManifest) || f.hits[bare] != 1 {
			t.Fatalf("err = %v after %d fetches, want ErrNotManifest after 1", err, f.hits[bare])
		}
	})
	t.Run("the policy applies before a manifest is fetched", func(t *testing.T) {
		f := newFake(map[string]*served{at: {bodies: []string{manifestJSON}}})
		other := load.Policy{Retry: fastRetry, Security: config.Security{AllowedOrigins: []string{"http://other.test"}}}
		_, err := load.Loader[module]{Platform: f}.Manifest(other, r)
		if errcode.CodeOf(err) != errcode.OriginNotAllowed || f.hits[at] != 0 {
			t.Fatalf("err = %v after %d fetches, want ORIGIN_NOT_ALLOWED before any", err, f.hits[at])
		}
		required := load.Policy{Retry: fastRetry, Security: config.Security{RequireIntegrity: true}}
		if _, err := (load.Loader[module]{Platform: f}).Manifest(required, r); errcode.CodeOf(err) != errcode.IntegrityRequired {
			t.Fatalf("err = %v, want INTEGRITY_REQUIRED", err)
		}
	})
	t.Run("a bad manifest on every attempt keeps its code and names the URLs", func(t *testing.T) {
		f := newFake(map[string]*served{at: {bodies: []string{"<!doctype html>"}}})
		_, err := load.Loader[module]{Platform: f}.Manifest(load.Policy{Retry: fastRetry}, r)
		var coded *errcode.Error
		if !errors.As(err, &coded) || coded.Code != errcode.RemoteInvalidManifest || len(coded.Details["urls"].([]string)) != 3 ||
			coded.Details["stage"] != "manifest" {
			t.Fatalf("err = %#v", err)
		}
	})
	t.Run("a truncated manifest is healed by the next attempt", func(t *testing.T) {
		f := newFake(map[string]*served{at: {bodies: []string{manifestJSON[:40], manifestJSON}}})
		m, err := load.Loader[module]{Platform: f}.Manifest(load.Policy{Retry: fastRetry}, r)
		if err != nil || m.MetaData.GlobalName != "cart_app" {
			t.Fatalf("manifest = %+v, %v", m, err)
		}
	})
	t.Run("the manifest's integrity is checked; a mismatch is final", func(t *testing.T) {
		pinned := r
		pinned.Integrity = sri(manifestJSON + " ")
		f := newFake(map[string]*served{at: {bodies: []string{manifestJSON}}})
		_, err := load.Loader[module]{Platform: f}.Manifest(load.Policy{Retry: fastRetry}, pinned)
		if errcode.CodeOf(err) != errcode.IntegrityMismatch || !strings.Contains(err.Error(), "the manifest "+at) || f.hits[at] != 1 {
			t.Fatalf("err = %v after %d fetches", err, f.hits[at])
		}
	})
	t.Run("a manifest that needs getPublicPath is refused", func(t *testing.T) {
		body := strings.Replace(manifestJSON, `"publicPath":"auto"`, `"getPublicPath":"return window.x"`, 1)
		f := newFake(map[string]*served{at: {bodies: []string{body}}})
		_, err := load.Loader[module]{Platform: f}.Manifest(load.Policy{Retry: fastRetry}, r)
		if errcode.CodeOf(err) != errcode.RemoteInvalidManifest || !strings.Contains(err.Error(), "getPublicPath") {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestPolicyOf(t *testing.T) {
	if p := load.PolicyOf(nil); p.Retry.Times != config.DefaultRetryTimes || len(p.Security.AllowedOrigins) != 0 {
		t.Errorf("PolicyOf(nil) = %+v", p)
	}
	cfg := &config.Config{Security: config.Security{RequireIntegrity: true}, Retry: &config.Retry{Times: 5}}
	if p := load.PolicyOf(cfg); p.Retry.Times != 5 || !p.Security.RequireIntegrity {
		t.Errorf("PolicyOf = %+v", p)
	}
}
