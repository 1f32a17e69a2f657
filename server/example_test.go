package server_test

import (
	"fmt"
	"io"
	"net/http/httptest"
	"testing/fstest"

	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/server"
)

// A Site serves the runtime's files (dist/fedwasm), the remotes' files and
// the registry's /federation.json?host=<name> from one handler, the same on
// net/http and on Cloudflare Workers.
func ExampleSite() {
	files := fstest.MapFS{
		"loader.js":               {Data: []byte("// the loader\n")},
		"runtime.0123456789.wasm": {Data: []byte("\x00asm")},
	}
	site := server.Site{Runtime: files, Version: "0.1.0"}.Handler()

	for _, path := range []string{"/fedwasm/loader.js", "/fedwasm/runtime.0123456789.wasm", "/healthz"} {
		rec := httptest.NewRecorder()
		site.ServeHTTP(rec, httptest.NewRequest("GET", "http://shop.example"+path, nil))
		body, _ := io.ReadAll(rec.Body)
		fmt.Printf("%s %d %s\n", path, rec.Code, rec.Header().Get("Cache-Control"))
		if path == "/healthz" {
			fmt.Printf("%s", body)
		}
	}
	// Output:
	// /fedwasm/loader.js 200 no-cache
	// /fedwasm/runtime.0123456789.wasm 200 public, max-age=31536000, immutable
	// /healthz 200 no-store
	// {"status":"ok","version":"0.1.0"}
}

// A Registry serves each host's config: the host's own settings plus the
// remotes it names, each with the sha384 integrity of its
// file, and its entry resolved against the request's origin.
func ExampleNewRegistryFS() {
	files := fstest.MapFS{
		"registry.json": {Data: []byte(`{
  "remotes": { "cart": { "entry": "/remotes/cart.js", "type": "esm", "version": "1.2.0", "file": "cart.js" } },
  "hosts": { "shell": { "config": { "bootstrap": "/bootstrap.js" }, "remotes": ["cart"] } }
}`)},
		"cart.js": {Data: []byte("export function mount(el) { el.textContent = 'cart'; }\n")},
	}
	registry, err := server.NewRegistryFS(files, "registry.json", server.Policy{}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	rec := httptest.NewRecorder()
	registry.ServeHTTP(rec, httptest.NewRequest("GET", "https://shop.example/federation.json?host=shell", nil))
	cfg, err := config.Parse(rec.Body.Bytes())
	if err != nil {
		fmt.Println(err)
		return
	}
	cart := cfg.Remotes[0]
	fmt.Println(rec.Code, cfg.Name, cfg.Bootstrap)
	fmt.Println(cart.Name, cart.Entry, cart.Type, cart.Integrity[:7])
	// Output:
	// 200 shell /bootstrap.js
	// cart https://shop.example/remotes/cart.js esm sha384-
}
