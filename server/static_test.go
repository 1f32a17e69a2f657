package server_test

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/fedwasm/fedwasm/server"
)

var staticSite = fstest.MapFS{
	"fedwasm/loader.js":                  {Data: []byte("// loader")},
	"fedwasm/runtime.0123456789.wasm":    {Data: []byte("\x00asm raw wasm bytes")},
	"fedwasm/runtime.0123456789.wasm.br": {Data: []byte("brotli bytes")},
	"fedwasm/runtime.0123456789.wasm.gz": {Data: []byte("gzip bytes")},
	"fedwasm/notes.gz":                   {Data: []byte("a .gz without an original is a file of its own")},
	"remotes/cart.0123456789.js":         {Data: []byte("export const cart = 1;\n")},
	"registry.json":                      {Data: []byte(`{"remotes":{},"hosts":{"shell":{"config":{},"remotes":[]}}}`)},
}

// TestStaticIndexMatchesFiles checks that the index the worker's front
// serves from gives every file, in every encoding, the headers Files gives it.
func TestStaticIndexMatchesFiles(t *testing.T) {
	index, err := server.NewStaticIndex(staticSite)
	if err != nil {
		t.Fatal(err)
	}
	paths := slices.Sorted(func(yield func(string) bool) {
		for p := range index.Files {
			if !yield(p) {
				return
			}
		}
	})
	want := []string{"/fedwasm/loader.js", "/fedwasm/notes.gz", "/fedwasm/runtime.0123456789.wasm", "/remotes/cart.0123456789.js"}
	if !slices.Equal(paths, want) {
		t.Fatalf("indexed %v, want %v (variants beside their original, the registry: not listed)", paths, want)
	}
	if index.MaxURIBytes != server.MaxURIBytes {
		t.Errorf("MaxURIBytes %d, want %d", index.MaxURIBytes, server.MaxURIBytes)
	}
	wasm := index.Files["/fedwasm/runtime.0123456789.wasm"]
	if len(wasm.Encodings) != 2 || wasm.Encodings[0].Encoding != "br" || wasm.Encodings[1].Path != "/fedwasm/runtime.0123456789.wasm.gz" {
		t.Errorf("runtime's variants %+v, want br then gzip", wasm.Encodings)
	}
	h, err := server.NewSite(staticSite, server.Site{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		file := index.Files[p]
		variants := append([]server.StaticVariant{{ETag: file.ETag, Size: file.Size}}, file.Encodings...)
		for _, v := range variants {
			req := httptest.NewRequest(http.MethodGet, p, nil)
			if v.Encoding != "" {
				req.Header.Set("Accept-Encoding", v.Encoding)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			got := rec.Result().Header
			for name, want := range map[string]string{"Content-Type": file.ContentType, "Cache-Control": file.CacheControl,
				"ETag": v.ETag, "Content-Encoding": v.Encoding} {
				if got.Get(name) != want {
					t.Errorf("%s (%q): %s %q from Files, %q in the index", p, v.Encoding, name, got.Get(name), want)
				}
			}
			if int64(rec.Body.Len()) != v.Size {
				t.Errorf("%s (%q): %d bytes from Files, %d in the index", p, v.Encoding, rec.Body.Len(), v.Size)
			}
		}
	}
}

func TestStaticIndexNeedsTheRuntime(t *testing.T) {
	_, err := server.NewStaticIndex(fstest.MapFS{"remotes/cart.js": {Data: []byte("x")}})
	if err == nil || !strings.Contains(err.Error(), "./build.sh worker") {
		t.Fatalf("error %v, want one that says how to stage the site", err)
	}
}

// TestSiteBehindAStaticFront is the worker's Go side: only the registry in
// its files; the front's paths it is passed get Site's own answers.
func TestSiteBehindAStaticFront(t *testing.T) {
	h, err := server.NewSite(fstest.MapFS{"registry.json": staticSite["registry.json"]},
		server.Site{StaticFront: true, Policy: server.Policy{AllowedOrigins: []string{"http://shell.test"}}})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		method, path string
		header       map[string]string
		status       int
	}{
		{"GET", "/federation.json?host=shell", nil, 200},
		{"GET", "/healthz", nil, 200},
		{"GET", "/fedwasm/missing.js", nil, 404},
		{"POST", "/fedwasm/loader.js", nil, 405},
		{"OPTIONS", "/fedwasm/loader.js", nil, 204},
		{"OPTIONS", "/remotes/cart.js", map[string]string{"Origin": "http://shell.test", "Access-Control-Request-Method": "GET"}, 204},
		{"GET", "/fedwasm/loader%00.js", nil, 400},
	}
	for _, c := range cases {
		req := httptest.NewRequest(c.method, c.path, nil)
		for k, v := range c.header {
			req.Header.Set(k, v)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != c.status {
			t.Errorf("%s %s: status %d, want %d", c.method, c.path, rec.Code, c.status)
		}
	}
}
