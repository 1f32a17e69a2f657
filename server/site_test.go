package server_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
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
	h, err := server.NewSite(siteFS, server.Policy{AllowedOrigins: []string{"http://shell.test"}}, "9.9.9", nil)
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
	h, err := server.NewSite(siteFS, server.Policy{}, "", nil)
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
			_, err := server.NewSite(c.fsys, server.Policy{}, "", nil)
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
	h, err := server.NewSite(siteFS, server.Policy{}, "", nil)
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
