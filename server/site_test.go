package server_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/integrity/sha"
	"github.com/fedwasm/fedwasm/server"
)

var siteFS = fstest.MapFS{
	"fedwasm/loader.js":          {Data: []byte("// loader")},
	"remotes/cart.0123456789.js": {Data: []byte("export const cart = 1;\n")},
	"registry.json": {Data: []byte(`{
  "remotes": { "cart": { "entry": "/remotes/cart.0123456789.js", "type": "esm", "version": "1.4.2", "file": "remotes/cart.0123456789.js" } },
  "hosts": { "shell": { "config": { "bootstrap": "/app.js" }, "remotes": ["cart"] } } }`)},
}

func TestSiteRoutes(t *testing.T) {
	h, err := server.NewSite(siteFS, server.Site{Policy: server.Policy{AllowedOrigins: []string{"http://shell.test"}}, Version: "9.9.9"})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, path string
		status     int
		header     map[string]string // headers the response must have
		body       string            // a substring of the body
	}{
		{"runtime file", "/fedwasm/loader.js", 200, map[string]string{"Cache-Control": "no-cache"}, "// loader"},
		{"hashed remote", "/remotes/cart.0123456789.js", 200, map[string]string{"Cache-Control": "public, max-age=31536000, immutable"}, "export"},
		{"health", "/healthz", 200, map[string]string{"Content-Type": "application/json"}, `"version":"9.9.9"`},
		{"registry: entry resolved against the request's origin", "/federation.json?host=shell", 200,
			map[string]string{"Cache-Control": "no-cache"}, `"entry": "http://edge.test/remotes/cart.0123456789.js"`},
		{"registry: version", "/federation.json?host=shell", 200, nil, `"version": "1.4.2"`},
		{"registry: integrity", "/federation.json?host=shell", 200, nil, sha.Of([]byte("export const cart = 1;\n"))},
		{"registry: no host", "/federation.json", 400, map[string]string{"Content-Type": "application/json"}, errcode.InvalidArgument},
		{"registry: unknown host", "/federation.json?host=nobody", 404, nil, errcode.ConfigInvalid},
		{"registry: an error names its docs section", "/federation.json?host=nobody", 404, nil, "a host it lists (see docs/errors.md#config_invalid)"},
		{"missing file", "/fedwasm/nope.js", 404, nil, ""},
		{"other path", "/index.html", 404, nil, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "http://edge.test"+c.path, nil)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != c.status || !strings.Contains(rec.Body.String(), c.body) {
				t.Fatalf("status %d, body %s; want %d containing %q", rec.Code, rec.Body, c.status, c.body)
			}
			for k, v := range c.header {
				if got := rec.Header().Get(k); got != v {
					t.Errorf("%s: %q, want %q", k, got, v)
				}
			}
		})
	}
}

func TestSiteFileETags(t *testing.T) {
	h, err := server.NewSite(siteFS, server.Site{})
	if err != nil {
		t.Fatal(err)
	}
	get := func(path, ifNoneMatch string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		if ifNoneMatch != "" {
			req.Header.Set("If-None-Match", ifNoneMatch)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	for _, path := range []string{"/fedwasm/loader.js", "/remotes/cart.0123456789.js", "/federation.json?host=shell"} {
		first := get(path, "")
		tag := first.Header().Get("ETag")
		if first.Code != 200 || tag == "" {
			t.Fatalf("%s: status %d, ETag %q", path, first.Code, tag)
		}
		if again := get(path, tag); again.Code != http.StatusNotModified {
			t.Errorf("%s with If-None-Match %s: status %d, want 304", path, tag, again.Code)
		}
	}
}

func TestNewSiteErrors(t *testing.T) {
	cases := []struct {
		name  string
		fsys  fstest.MapFS
		field string // the registry field the error names; "" for a missing runtime
	}{
		{"no runtime", fstest.MapFS{"registry.json": {Data: []byte(`{"remotes":{},"hosts":{}}`)}}, ""},
		{"a remote file outside the site", fstest.MapFS{
			"fedwasm/loader.js": {Data: []byte("x")},
			"registry.json":     {Data: []byte(`{"remotes":{"a":{"entry":"/a.js","file":"../a.js"}},"hosts":{}}`)},
		}, "remotes.a.file"},
		{"a missing remote file", fstest.MapFS{
			"fedwasm/loader.js": {Data: []byte("x")},
			"registry.json":     {Data: []byte(`{"remotes":{"a":{"entry":"/a.js","file":"remotes/a.js"}},"hosts":{}}`)},
		}, "remotes.a.file"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := server.NewSite(c.fsys, server.Site{})
			if err == nil {
				t.Fatal("NewSite accepted the site")
			}
			if c.field == "" {
				if !strings.Contains(err.Error(), "./build.sh worker") {
					t.Errorf("error %q does not say how to stage the site", err)
				}
				return
			}
			if coded := errcode.As(err, ""); coded.Code != errcode.ConfigInvalid || coded.Details["field"] != c.field {
				t.Errorf("error %v, want CONFIG_INVALID naming %s", err, c.field)
			}
		})
	}
}

func TestRegistryDocumentIsJSON(t *testing.T) {
	h, err := server.NewSite(siteFS, server.Site{})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://edge.test/federation.json?host=shell", nil))
	var doc struct {
		Name    string
		Remotes []struct{ Name, Entry, Version, Integrity, Type string }
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil || doc.Name != "shell" || len(doc.Remotes) != 1 || doc.Remotes[0].Type != "esm" {
		t.Fatalf("document %s (%v)", rec.Body, err)
	}
}

func TestRuntimeFile(t *testing.T) {
	cases := []struct {
		name  string
		files []string
		want  string // "" for an error
	}{
		{"one hashed file", []string{"runtime.3f9a1c2b7d.wasm", "runtime.3f9a1c2b7d.wasm.br", "loader.js"}, "runtime.3f9a1c2b7d.wasm"},
		{"only the plain name", []string{"runtime.wasm"}, ""},
		{"two builds side by side", []string{"runtime.3f9a1c2b7d.wasm", "runtime.0123456789.wasm"}, ""},
		{"nothing", []string{"loader.js"}, ""},
		{"a name that only looks hashed", []string{"runtime.beta.wasm"}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for _, f := range c.files {
				fsys[f] = &fstest.MapFile{Data: []byte(f)}
			}
			got, err := server.RuntimeFile(fsys, "runtime.wasm")
			if c.want == "" {
				if err == nil {
					t.Fatalf("RuntimeFile = %q, want an error", got)
				}
				if !strings.Contains(err.Error(), "./build.sh build") {
					t.Errorf("error %q does not say what to do", err)
				}
				return
			}
			if err != nil || got != c.want {
				t.Fatalf("RuntimeFile = %q, %v; want %q", got, err, c.want)
			}
		})
	}
}

// diskSite writes siteFS into a directory and opens it with os.DirFS, as
// fedwasm serve does, so requests meet a real file system's errors.
func diskSite(t *testing.T, s server.Site) http.Handler {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, siteFS); err != nil {
		t.Fatal(err)
	}
	h, err := server.NewSite(os.DirFS(dir), s)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestSiteAnswersMalformedRequestsWith4xx(t *testing.T) {
	h := diskSite(t, server.Site{Policy: server.Policy{AllowedOrigins: []string{"http://shell.test"}}})
	long := strings.Repeat("a", server.MaxURIBytes)
	cases := []struct {
		name, method, target string
		status               int
		allow                string // the Allow header the response must have
	}{
		{"NUL", "GET", "/fedwasm/loader%00.js", 400, ""},
		{"NUL in an unknown path", "GET", "/%00", 400, ""},
		{"NUL in the registry's path", "GET", "/federation.json%00?host=shell", 400, ""},
		{"a carriage return", "GET", "/remotes/%0d%0aSet-Cookie:%20x", 400, ""},
		{"DEL", "GET", "/fedwasm/%7f", 400, ""},
		{"invalid UTF-8", "GET", "/fedwasm/%ff%fe", 400, ""},
		{"an overlong UTF-8 slash", "GET", "/remotes/%c0%af", 400, ""},
		{"a lone surrogate", "GET", "/remotes/%ed%a0%80.js", 400, ""},
		{"OPTIONS with NUL", "OPTIONS", "/fedwasm/%00", 400, ""},
		{"a path over the limit", "GET", "/fedwasm/" + long, 414, ""},
		{"a query over the limit", "GET", "/federation.json?host=" + long, 414, ""},
		{"a name too long for the file system", "GET", "/fedwasm/" + strings.Repeat("n", 300) + ".js", 404, ""},
		{"a path too deep for the file system", "GET", "/remotes/" + strings.Repeat("d/", 2500) + "x.js", 404, ""},
		{"OPTIONS", "OPTIONS", "/fedwasm/loader.js", 204, "GET, HEAD, OPTIONS"},
		{"OPTIONS on the registry", "OPTIONS", "/federation.json?host=shell", 204, "GET, HEAD, OPTIONS"},
		{"OPTIONS on an unknown path", "OPTIONS", "/nothing", 204, "GET, HEAD, OPTIONS"},
		{"OPTIONS on /healthz", "OPTIONS", "/healthz", 204, "GET, HEAD, OPTIONS"},
		{"DELETE", "DELETE", "/fedwasm/loader.js", 405, "GET, HEAD, OPTIONS"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(c.method, "http://edge.test"+c.target, nil))
			if rec.Code != c.status {
				t.Fatalf("%s %.80s: status %d, want %d (body %.200s)", c.method, c.target, rec.Code, c.status, rec.Body)
			}
			if got := rec.Header().Get("Allow"); got != c.allow {
				t.Errorf("Allow %q, want %q", got, c.allow)
			}
			if c.status == 400 || c.status == 414 {
				var body struct{ Code string }
				if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body.Code != errcode.InvalidArgument {
					t.Errorf("body %.200s: want a coded INVALID_ARGUMENT error", rec.Body)
				}
			}
		})
	}
	t.Run("a preflight from an allowed origin is answered as before", func(t *testing.T) {
		req := httptest.NewRequest("OPTIONS", "http://edge.test/fedwasm/loader.js", nil)
		req.Header.Set("Origin", "http://shell.test")
		req.Header.Set("Access-Control-Request-Method", "GET")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 204 || rec.Header().Get("Access-Control-Allow-Origin") != "http://shell.test" {
			t.Errorf("status %d, headers %v", rec.Code, rec.Header())
		}
	})
	t.Run("a preflight from another origin is refused as before", func(t *testing.T) {
		req := httptest.NewRequest("OPTIONS", "http://edge.test/fedwasm/loader.js", nil)
		req.Header.Set("Origin", "http://evil.test")
		req.Header.Set("Access-Control-Request-Method", "GET")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 405 || rec.Header().Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("status %d, headers %v", rec.Code, rec.Header())
		}
	})
}

func TestSitePublicOrigin(t *testing.T) {
	forged := func(h http.Handler) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, "http://evil.example/federation.json?host=shell", nil)
		req.Header.Set("X-Forwarded-Host", "evil.example")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	t.Run("a forged Host cannot move the entries", func(t *testing.T) {
		h := diskSite(t, server.Site{PublicOrigin: "HTTPS://Shop.Example/"})
		rec := forged(h)
		if rec.Code != 200 || strings.Contains(rec.Body.String(), "evil.example") ||
			!strings.Contains(rec.Body.String(), `"entry": "https://shop.example/remotes/cart.0123456789.js"`) {
			t.Fatalf("status %d, body %s; want the entry on https://shop.example", rec.Code, rec.Body)
		}
		if vary := rec.Header().Values("Vary"); slices.Contains(vary, "Host") {
			t.Errorf("Vary %q: the answer does not depend on Host", vary)
		}
	})
	t.Run("without one the answer varies by Host", func(t *testing.T) {
		rec := forged(diskSite(t, server.Site{}))
		if rec.Code != 200 || !slices.Contains(rec.Header().Values("Vary"), "Host") {
			t.Fatalf("status %d, Vary %q; want Vary: Host", rec.Code, rec.Header().Values("Vary"))
		}
	})
	for _, bad := range []string{"shop.example", "ftp://shop.example", "https://", "https://shop.example/app", "https://user@shop.example",
		"https://shop.example?x", "javascript:alert(1)"} {
		if _, err := server.NewSite(siteFS, server.Site{PublicOrigin: bad}); err == nil || !strings.Contains(err.Error(), "public origin") {
			t.Errorf("public origin %q: err %v, want it refused", bad, err)
		}
	}
}
