// Package conformance is one HTTP suite for every deployment of server.Site:
// the net/http server and the Cloudflare worker under workerd run the same
// checks against a base URL (content types, encodings, caching, ETags, CORS,
// the registry, errors, HEAD). The tests that start both deployments are in
// conformance_test.go (go test -tags conformance; ./build.sh test runs them).
package conformance

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"

	"github.com/fedwasm/fedwasm/federation/integrity/sha"
	"github.com/fedwasm/fedwasm/federation/snapshot"
	"github.com/fedwasm/fedwasm/server"
)

// Target is a deployment under test.
type Target struct {
	Base    string   // e.g. http://127.0.0.1:8787
	Site    fs.FS    // the staged site it serves (worker/build/site), for the expected bytes
	Allowed string   // an origin in its CORS allowlist
	Host    string   // a host its registry lists
	Remotes []string // the remotes that host uses, in order
	// PublicOrigin is the origin it resolves the registry's path entries
	// against (server.Site.PublicOrigin); "" when it uses each request's Host.
	PublicOrigin string
	// Page is the path of a host page it serves (server.Site.Pages) whose
	// loader tag names Host.
	Page string
}

// client sends exactly the headers a case sets: no transparent gzip.
var client = &http.Client{
	Transport: &http.Transport{DisableCompression: true},
	Timeout:   10 * time.Second,
}

// response is a finished request.
type response struct {
	status int
	header http.Header
	body   []byte
}

func do(t *testing.T, method, url string, header map[string]string) response {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	return send(t, req, header)
}

// doRaw sends uri (a path and query) as it is, even where it does not parse
// as a URL (a "%" without two hex digits).
func doRaw(t *testing.T, method, base, uri string) response {
	t.Helper()
	req, err := http.NewRequest(method, base, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.URL.Opaque = uri // sent as the request line's target
	return send(t, req, nil)
}

func send(t *testing.T, req *http.Request, header map[string]string) response {
	t.Helper()
	method, url := req.Method, req.URL.String()
	for k, v := range header {
		if k == "Host" {
			req.Host = v
		} else {
			req.Header.Set(k, v)
		}
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the body: %v", method, url, err)
	}
	return response{resp.StatusCode, resp.Header, body}
}

// Run runs the suite against tg.
func Run(t *testing.T, tg Target) {
	runtimeFS, err := fs.Sub(tg.Site, "fedwasm")
	if err != nil {
		t.Fatal(err)
	}
	wasmName, err := server.RuntimeFile(runtimeFS, "runtime.wasm")
	if err != nil {
		t.Fatalf("the staged site: %v", err)
	}
	wasmPath := "/fedwasm/" + wasmName
	wasm, err := fs.ReadFile(runtimeFS, wasmName)
	if err != nil {
		t.Fatalf("the staged site: %v", err)
	}
	raw := do(t, http.MethodGet, tg.Base+wasmPath, nil)
	brotli := do(t, http.MethodGet, tg.Base+wasmPath, map[string]string{"Accept-Encoding": "br"})
	type check func(t *testing.T, r response)
	cases := []struct {
		name   string
		method string
		path   string
		header map[string]string
		status int
		checks []check
	}{
		{"runtime without Accept-Encoding is the wasm itself", "GET", wasmPath, nil, 200,
			[]check{headerIs("Content-Type", "application/wasm"), headerIs("Content-Encoding", ""), varies("Accept-Encoding"),
				headerIs("Cache-Control", "public, max-age=31536000, immutable"), hasETag, bodyIs(wasm)}},
		{"brotli when accepted", "GET", wasmPath, map[string]string{"Accept-Encoding": "gzip, deflate, br"}, 200,
			[]check{headerIs("Content-Type", "application/wasm"), headerIs("Content-Encoding", "br"), varies("Accept-Encoding"), hasETag, decodesTo("br", wasm)}},
		{"gzip when brotli is not accepted", "GET", wasmPath, map[string]string{"Accept-Encoding": "gzip"}, 200,
			[]check{headerIs("Content-Encoding", "gzip"), varies("Accept-Encoding"), decodesTo("gzip", wasm)}},
		{"brotli refused with q=0", "GET", wasmPath, map[string]string{"Accept-Encoding": "br;q=0, gzip"}, 200,
			[]check{headerIs("Content-Encoding", "gzip"), decodesTo("gzip", wasm)}},
		{"identity only", "GET", wasmPath, map[string]string{"Accept-Encoding": "identity"}, 200,
			[]check{headerIs("Content-Encoding", ""), bodyIs(wasm)}},
		{"each encoding has its own ETag", "GET", wasmPath, map[string]string{"Accept-Encoding": "br"}, 200,
			[]check{func(t *testing.T, r response) {
				if r.header.Get("ETag") == raw.header.Get("ETag") {
					t.Errorf("brotli and identity share ETag %s", r.header.Get("ETag"))
				}
			}}},
		{"If-None-Match with the ETag: 304", "GET", wasmPath, map[string]string{"If-None-Match": raw.header.Get("ETag")}, 304,
			[]check{bodyIs(nil)}},
		{"If-None-Match with another ETag: 200", "GET", wasmPath, map[string]string{"If-None-Match": `"other"`}, 200,
			[]check{bodyIs(wasm)}},
		{"HEAD: headers, no body", "HEAD", wasmPath, nil, 200,
			[]check{headerIs("Content-Type", "application/wasm"), hasETag, bodyIs(nil)}},
		{"HEAD with brotli accepted: its encoding, no body", "HEAD", wasmPath, map[string]string{"Accept-Encoding": "br"}, 200,
			[]check{headerIs("Content-Type", "application/wasm"), headerIs("Content-Encoding", "br"), headerIs("ETag", brotli.header.Get("ETag")), bodyIs(nil)}},
		{"If-None-Match with the brotli ETag: 304", "GET", wasmPath, map[string]string{"Accept-Encoding": "br", "If-None-Match": brotli.header.Get("ETag")}, 304,
			[]check{bodyIs(nil), headerIs("ETag", brotli.header.Get("ETag")), varies("Accept-Encoding")}},
		{"If-None-Match with the identity ETag, brotli accepted: 200", "GET", wasmPath, map[string]string{"Accept-Encoding": "br", "If-None-Match": raw.header.Get("ETag")}, 200,
			[]check{headerIs("Content-Encoding", "br"), decodesTo("br", wasm)}},
		{"If-None-Match with the weak form of the ETag: 304", "GET", wasmPath, map[string]string{"If-None-Match": `"other", W/` + raw.header.Get("ETag")}, 304,
			[]check{bodyIs(nil)}},
		{"a query after a file's path: the file", "GET", wasmPath + "?v=1", nil, 200, []check{bodyIs(wasm)}},
		{"JavaScript type", "GET", "/fedwasm/loader.js", nil, 200,
			[]check{headerIs("Content-Type", "text/javascript; charset=utf-8"), headerIs("X-Content-Type-Options", "nosniff"),
				headerIs("Cache-Control", "no-cache")}}, // the page's one fixed URL: revalidated, so a deploy reaches it
		{"allowed origin gets CORS", "GET", "/fedwasm/loader.js", map[string]string{"Origin": tg.Allowed}, 200,
			[]check{headerIs("Access-Control-Allow-Origin", tg.Allowed), varies("Origin")}},
		{"other origin gets no CORS", "GET", "/fedwasm/loader.js", map[string]string{"Origin": "http://evil.example"}, 200,
			[]check{headerIs("Access-Control-Allow-Origin", ""), varies("Origin")}},
		{"preflight from an allowed origin", "OPTIONS", "/federation.json?host=" + tg.Host,
			map[string]string{"Origin": tg.Allowed, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "x-fedwasm"}, 204,
			[]check{headerIs("Access-Control-Allow-Origin", tg.Allowed), headerIs("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS"),
				headerIs("Access-Control-Allow-Headers", "x-fedwasm")}},
		{"preflight from another origin is refused", "OPTIONS", "/federation.json?host=" + tg.Host,
			map[string]string{"Origin": "http://evil.example", "Access-Control-Request-Method": "GET"}, 405,
			[]check{headerIs("Access-Control-Allow-Origin", ""), headerIs("Allow", "GET, HEAD, OPTIONS")}},
		{"OPTIONS that is no preflight: what is allowed", "OPTIONS", "/fedwasm/loader.js", nil, 204,
			[]check{headerIs("Allow", "GET, HEAD, OPTIONS"), headerIs("Access-Control-Allow-Origin", ""), bodyIs(nil)}},
		{"OPTIONS from another origin without a request method: what is allowed", "OPTIONS", "/federation.json?host=" + tg.Host,
			map[string]string{"Origin": "http://evil.example"}, 204,
			[]check{headerIs("Allow", "GET, HEAD, OPTIONS"), headerIs("Access-Control-Allow-Origin", "")}},
		{"POST is not allowed", "POST", "/fedwasm/loader.js", nil, 405, []check{headerIs("Allow", "GET, HEAD, OPTIONS")}},
		{"NUL in the path: 400", "GET", "/fedwasm/loader%00.js", nil, 400,
			[]check{headerIs("Content-Type", "application/json"), jsonField("code", "INVALID_ARGUMENT")}},
		{"a control character in the path: 400", "GET", "/remotes/%0d%0aX-Injected:%201", nil, 400,
			[]check{jsonField("code", "INVALID_ARGUMENT"), headerIs("X-Injected", "")}},
		{"invalid UTF-8 in the path: 400", "GET", "/fedwasm/%ff%fe.js", nil, 400, []check{jsonField("code", "INVALID_ARGUMENT")}},
		{"invalid UTF-8 in an unknown path: 400", "GET", "/%c3%28", nil, 400, []check{jsonField("code", "INVALID_ARGUMENT")}},
		{"OPTIONS with a NUL in the path: 400", "OPTIONS", "/fedwasm/%00", nil, 400, []check{jsonField("code", "INVALID_ARGUMENT")}},
		{"a URI over server.MaxURIBytes: 414", "GET", "/fedwasm/" + strings.Repeat("a", server.MaxURIBytes), nil, 414,
			[]check{jsonField("code", "INVALID_ARGUMENT")}},
		{"a query over server.MaxURIBytes: 414", "GET", "/federation.json?host=" + strings.Repeat("h", server.MaxURIBytes), nil, 414,
			[]check{jsonField("code", "INVALID_ARGUMENT")}},
		{"a file name no file system has: 404", "GET", "/fedwasm/" + strings.Repeat("n", 300) + ".js", nil, 404, nil},
		{"a path too deep for a file system: 404", "GET", "/remotes/" + strings.Repeat("d/", 2500) + "x.js", nil, 404, nil},
		{"missing runtime file", "GET", "/fedwasm/missing.js", nil, 404, nil},
		{"unknown path", "GET", "/nothing-here", nil, 404, nil},
		{"health", "GET", "/healthz", nil, 200,
			[]check{headerIs("Content-Type", "application/json"), headerIs("Cache-Control", "no-store"), jsonField("status", "ok")}},
		{"registry: a known host", "GET", "/federation.json?host=" + tg.Host, map[string]string{"Origin": tg.Allowed}, 200,
			[]check{headerIs("Content-Type", "application/json"), headerIs("Cache-Control", "no-cache"), hasETag,
				headerIs("Access-Control-Allow-Origin", tg.Allowed), hostConfig(tg)}},
		{"registry: the host's snapshot", "GET", "/federation.json?host=" + tg.Host, nil, 200,
			[]check{hostSnapshot(tg)}},
		{"host page: the snapshot written before the loader tag", "GET", tg.Page, nil, 200,
			[]check{headerIs("Content-Type", "text/html; charset=utf-8"), headerIs("X-Content-Type-Options", "nosniff"), pageSnapshot(tg)}},
		{"host page: HEAD", "HEAD", tg.Page, nil, 200,
			[]check{headerIs("Content-Type", "text/html; charset=utf-8"), bodyIs(nil)}},
		{"host page: a page the site does not have", "GET", "/no-such-page.html", nil, 404, nil},
		{"registry: unknown host", "GET", "/federation.json?host=nobody", nil, 404,
			[]check{headerIs("Content-Type", "application/json"), jsonField("code", "CONFIG_INVALID")}},
		{"registry: no host named", "GET", "/federation.json", nil, 400,
			[]check{headerIs("Content-Type", "application/json"), jsonField("code", "INVALID_ARGUMENT")}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := do(t, c.method, tg.Base+c.path, c.header)
			if r.status != c.status {
				t.Fatalf("%s %s: status %d, want %d (body %.200s)", c.method, c.path, r.status, c.status, r.body)
			}
			for _, check := range c.checks {
				check(t, r)
			}
		})
	}
	for _, uri := range []string{"/fedwasm/%zz", "/%", "/remotes/cart%2.js", "/federation.json%?host=" + tg.Host} {
		t.Run("bad percent-encoding: 400 for "+uri, func(t *testing.T) {
			if r := doRaw(t, "GET", tg.Base, uri); r.status != http.StatusBadRequest {
				t.Fatalf("GET %s: status %d, want 400 (body %.200s)", uri, r.status, r.body)
			}
		})
	}
	t.Run("registry: a forged Host reaches no other client", func(t *testing.T) {
		r := do(t, "GET", tg.Base+"/federation.json?host="+tg.Host, map[string]string{"Host": "evil.example"})
		if r.status != 200 {
			t.Fatalf("status %d (body %.200s)", r.status, r.body)
		}
		if tg.PublicOrigin == "" {
			varies("Host")(t, r) // the entries were resolved against the Host: a cache must key on it
			return
		}
		var doc struct{ Remotes []remote }
		if err := json.Unmarshal(r.body, &doc); err != nil || len(doc.Remotes) == 0 {
			t.Fatalf("body %.300s: %v", r.body, err)
		}
		for _, rm := range doc.Remotes {
			if !strings.HasPrefix(rm.Entry, tg.PublicOrigin+"/") {
				t.Errorf("%s: entry %q is not on the public origin %s", rm.Name, rm.Entry, tg.PublicOrigin)
			}
		}
		if slices.ContainsFunc(r.header.Values("Vary"), func(v string) bool { return strings.Contains(v, "Host") }) {
			t.Errorf("Vary %q: with a public origin the answer does not depend on Host", r.header.Values("Vary"))
		}
	})
	t.Run("registry: 304 for its ETag", func(t *testing.T) {
		first := do(t, "GET", tg.Base+"/federation.json?host="+tg.Host, nil)
		again := do(t, "GET", tg.Base+"/federation.json?host="+tg.Host, map[string]string{"If-None-Match": first.header.Get("ETag")})
		if first.status != 200 || again.status != 304 {
			t.Fatalf("statuses %d then %d, want 200 then 304", first.status, again.status)
		}
	})
	t.Run("remote entries are content-hashed and immutable", func(t *testing.T) {
		for _, remote := range registryRemotes(t, tg) {
			r := do(t, "GET", remote.Entry, nil)
			if r.status != 200 || r.header.Get("Cache-Control") != "public, max-age=31536000, immutable" {
				t.Errorf("%s: status %d, Cache-Control %q; want 200 and a year, immutable", remote.Entry, r.status, r.header.Get("Cache-Control"))
			}
			if ct := r.header.Get("Content-Type"); ct != "text/javascript; charset=utf-8" {
				t.Errorf("%s: Content-Type %q", remote.Entry, ct)
			}
		}
	})
	t.Run("remote entries: CORS for an allowed origin, 304 for their ETag", func(t *testing.T) {
		for _, remote := range registryRemotes(t, tg) {
			first := do(t, "GET", remote.Entry, map[string]string{"Origin": tg.Allowed})
			again := do(t, "GET", remote.Entry, map[string]string{"Origin": tg.Allowed, "If-None-Match": first.header.Get("ETag")})
			if first.status != 200 || again.status != 304 {
				t.Errorf("%s: statuses %d then %d, want 200 then 304", remote.Entry, first.status, again.status)
			}
			for _, r := range []response{first, again} {
				if got := r.header.Get("Access-Control-Allow-Origin"); got != tg.Allowed {
					t.Errorf("%s (%d): Access-Control-Allow-Origin %q, want %q", remote.Entry, r.status, got, tg.Allowed)
				}
			}
		}
	})
}

func headerIs(name, want string) func(*testing.T, response) {
	return func(t *testing.T, r response) {
		t.Helper()
		if got := r.header.Get(name); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
}

func varies(name string) func(*testing.T, response) {
	return func(t *testing.T, r response) {
		t.Helper()
		for _, v := range r.header.Values("Vary") {
			for _, part := range strings.Split(v, ",") {
				if strings.EqualFold(strings.TrimSpace(part), name) {
					return
				}
			}
		}
		t.Errorf("Vary %q lacks %s", r.header.Values("Vary"), name)
	}
}

func hasETag(t *testing.T, r response) {
	t.Helper()
	if tag := r.header.Get("ETag"); !strings.HasPrefix(tag, `"`) || !strings.HasSuffix(tag, `"`) || len(tag) < 3 {
		t.Errorf("ETag %q, want a strong quoted tag", tag)
	}
}

func bodyIs(want []byte) func(*testing.T, response) {
	return func(t *testing.T, r response) {
		t.Helper()
		if !bytes.Equal(r.body, want) {
			t.Errorf("body: %d bytes (%.16q), want %d bytes (%.16q)", len(r.body), r.body, len(want), want)
		}
	}
}

func decodesTo(encoding string, want []byte) func(*testing.T, response) {
	return func(t *testing.T, r response) {
		t.Helper()
		var dec io.Reader
		switch encoding {
		case "br":
			dec = brotli.NewReader(bytes.NewReader(r.body))
		case "gzip":
			zr, err := gzip.NewReader(bytes.NewReader(r.body))
			if err != nil {
				t.Fatalf("the gzip body does not decode: %v", err)
			}
			dec = zr
		}
		got, err := io.ReadAll(dec)
		if err != nil {
			t.Fatalf("the %s body does not decode: %v", encoding, err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("the %s body decodes to %d bytes, want the %d bytes of the file", encoding, len(got), len(want))
		}
	}
}

func jsonField(field, want string) func(*testing.T, response) {
	return func(t *testing.T, r response) {
		t.Helper()
		var doc map[string]any
		if err := json.Unmarshal(r.body, &doc); err != nil {
			t.Fatalf("body %.200s is not JSON: %v", r.body, err)
		}
		if doc[field] != want {
			t.Errorf("%s = %v, want %q (body %.300s)", field, doc[field], want, r.body)
		}
	}
}

// remote is a remote as /federation.json lists it.
type remote struct {
	Name      string `json:"name"`
	Entry     string `json:"entry"`
	Version   string `json:"version"`
	Integrity string `json:"integrity"`
}

func registryRemotes(t *testing.T, tg Target) []remote {
	t.Helper()
	r := do(t, "GET", tg.Base+"/federation.json?host="+tg.Host, nil)
	var doc struct {
		Name    string   `json:"name"`
		Remotes []remote `json:"remotes"`
	}
	if err := json.Unmarshal(r.body, &doc); err != nil || doc.Name != tg.Host {
		t.Fatalf("federation.json?host=%s: %.300s (%v)", tg.Host, r.body, err)
	}
	return doc.Remotes
}

// hostConfig checks the host's remotes: names in order, a version, an entry
// on the deployment's origin, and an integrity matching the bytes it serves.
func hostConfig(tg Target) func(*testing.T, response) {
	return func(t *testing.T, _ response) {
		t.Helper()
		remotes := registryRemotes(t, tg)
		var names []string
		for _, r := range remotes {
			names = append(names, r.Name)
		}
		if strings.Join(names, ",") != strings.Join(tg.Remotes, ",") {
			t.Fatalf("remotes %v, want %v", names, tg.Remotes)
		}
		base, _ := url.Parse(tg.Base)
		for _, r := range remotes {
			entry, err := url.Parse(r.Entry)
			if err != nil || entry.Host != base.Host {
				t.Errorf("%s: entry %q is not on %s", r.Name, r.Entry, tg.Base)
				continue
			}
			if r.Version == "" {
				t.Errorf("%s: no version", r.Name)
			}
			body := do(t, "GET", r.Entry, nil).body
			if err := sha.Verify(body, r.Integrity); err != nil || !strings.HasPrefix(r.Integrity, "sha384-") {
				t.Errorf("%s: integrity %q does not match the %d bytes served at %s: %v", r.Name, r.Integrity, len(body), r.Entry, err)
			}
		}
	}
}

// servedSnapshot is the snapshot /federation.json?host= serves with the host's config.
func servedSnapshot(t *testing.T, tg Target) snapshot.Snapshot {
	t.Helper()
	r := do(t, "GET", tg.Base+"/federation.json?host="+tg.Host, nil)
	var doc struct {
		Snapshot *snapshot.Snapshot `json:"snapshot"`
	}
	if err := json.Unmarshal(r.body, &doc); err != nil || doc.Snapshot == nil {
		t.Fatalf("federation.json?host=%s has no snapshot: %.300s (%v)", tg.Host, r.body, err)
	}
	return *doc.Snapshot
}

// hostSnapshot checks the snapshot served beside the host's config: its
// format, and each remote ready at the entry and integrity the config gives,
// preloaded as the ES module it is.
func hostSnapshot(tg Target) func(*testing.T, response) {
	return func(t *testing.T, _ response) {
		t.Helper()
		s := servedSnapshot(t, tg)
		if s.V != snapshot.FormatVersion || s.Host != tg.Host || len(s.Hash) != 64 {
			t.Errorf("snapshot v %d, host %q, hash %q; want v %d for %s with a sha256 hash", s.V, s.Host, s.Hash, snapshot.FormatVersion, tg.Host)
		}
		remotes := registryRemotes(t, tg)
		if len(s.Remotes) != len(remotes) {
			t.Fatalf("the snapshot lists %d remotes, the config %d", len(s.Remotes), len(remotes))
		}
		preloaded := map[string]snapshot.Preload{}
		for _, p := range s.Preload {
			preloaded[p.URL] = p
		}
		for i, r := range remotes {
			got := s.Remotes[i]
			if got.Name != r.Name || got.Entry != r.Entry || got.Integrity != r.Integrity || got.Status != snapshot.RemoteReady {
				t.Errorf("snapshot remote %+v; the config gives %s at %s with %s", got, r.Name, r.Entry, r.Integrity)
			}
			if p := preloaded[r.Entry]; p.Rel != "modulepreload" || p.Integrity != r.Integrity || p.CrossOrigin != "anonymous" {
				t.Errorf("%s: preload %+v, want a modulepreload with its integrity", r.Name, p)
			}
			if s.ImportMap.Integrity[r.Entry] != r.Integrity {
				t.Errorf("%s: the import map pins %q, want %q", r.Name, s.ImportMap.Integrity[r.Entry], r.Integrity)
			}
		}
	}
}

// pageSnapshot checks a host page: the import map, a modulepreload per
// remote entry and the snapshot (the one federation.json serves) come
// before the loader's tag.
func pageSnapshot(tg Target) func(*testing.T, response) {
	return func(t *testing.T, r response) {
		t.Helper()
		page := string(r.body)
		loader := strings.Index(page, "/fedwasm/loader.js")
		importMap := strings.Index(page, `<script type="importmap"`)
		at := strings.Index(page, `<script type="application/json" id="`+server.SnapshotElementID+`"`) // then the page's nonce, if it has one
		if loader < 0 || importMap < 0 || at < 0 || importMap > at || at > loader {
			t.Fatalf("want the import map and the snapshot before the loader tag; the page is\n%.3000s", page)
		}
		text := page[at:]
		text = text[strings.Index(text, ">")+1:]
		text = text[:strings.Index(text, "</script>")]
		var inPage snapshot.Snapshot
		if err := json.Unmarshal([]byte(text), &inPage); err != nil {
			t.Fatalf("the page's snapshot does not parse: %v", err)
		}
		if served := servedSnapshot(t, tg); inPage.Hash != served.Hash {
			t.Errorf("the page's snapshot has hash %s, federation.json's %s", inPage.Hash, served.Hash)
		}
		for _, rm := range registryRemotes(t, tg) {
			link := `<link rel="modulepreload" href="` + rm.Entry + `" integrity="` + rm.Integrity + `" crossorigin="anonymous">`
			if i := strings.Index(page, link); i < 0 || i > loader {
				t.Errorf("no %s before the loader tag", link)
			}
		}
	}
}
