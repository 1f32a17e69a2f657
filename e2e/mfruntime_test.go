//go:build e2e

package e2e

import (
	"encoding/json"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/fedwasm/fedwasm/server"
)

// mfSpecifier is the import a page written for @module-federation/runtime
// swaps for fedwasm's mf.js.
const mfSpecifier = `'@module-federation/runtime'`

// benchFederation is what the test reads of the bench app's build output
// (dist/bench/host/fw/federation.json): each shared package's version and
// ES module.
type benchFederation struct {
	Shared map[string]struct {
		Version string `json:"version"`
		Import  string `json:"import"`
	} `json:"shared"`
}

// TestMFRuntimePageSwapsOneImport runs the benchmark's
// @module-federation/runtime page (bench/app/src/mf-runtime: init with the
// webpack remotes cart and products and the singletons react, react-dom,
// react-dom/client and zustand, then loadRemote of each) on fedwasm, in
// Chromium. Its source files are read as they are and only their import of
// '@module-federation/runtime' is changed, to fedwasm's mf.js; the
// placeholders the bench's webpack build fills are filled as it does
// (__VERSIONS__ with the versions it records, DefinePlugin's JSON;
// __REMOTE_ORIGIN__ with the remotes' origin, as bench/startup does). The
// remotes are the bench's webpack 5 containers (dist/bench/remote), the
// shared modules its ES module builds of the npm packages (dist/bench/host/fw).
// Both remotes render and work on the host's store with the host's one React:
// no remote fetches its own React chunks, and loadShare's factory gives the
// module the page's import map gives.
func TestMFRuntimePageSwapsOneImport(t *testing.T) {
	bench := filepath.Join(root, "dist", "bench")
	for _, f := range []string{"remote/cart/remoteEntry.js", "remote/products/remoteEntry.js", "host/fw/federation.json"} {
		if _, err := os.Stat(filepath.Join(bench, f)); err != nil {
			t.Fatalf("dist/bench/%s is missing; build the bench app (./build.sh test and ./build.sh bench do: ensure_bench_app)", f)
		}
	}
	var built benchFederation
	data, err := os.ReadFile(filepath.Join(bench, "host", "fw", "federation.json"))
	if err == nil {
		err = json.Unmarshal(data, &built)
	}
	if err != nil {
		t.Fatalf("dist/bench/host/fw/federation.json: %v", err)
	}
	// bench/app/webpack.config.js defines __VERSIONS__ as the versions of
	// react, react-dom and zustand it read from their package.json files,
	// the same it writes into federation.json.
	versions, _ := json.Marshal(map[string]string{
		"react": built.Shared["react"].Version, "react-dom": built.Shared["react-dom"].Version, "zustand": built.Shared["zustand"].Version})
	imports := map[string]string{}
	for pkg, s := range built.Shared {
		imports[pkg] = s.Import
	}
	// webpack resolves import('./bootstrap') to bootstrap.js; the page's import map does here.
	imports["/src/mf-runtime/bootstrap"] = "/src/mf-runtime/bootstrap.js"
	importMap, _ := json.Marshal(map[string]any{"imports": imports})

	remoteURL, serveRemote := listenOrigin(t)
	hostURL, serveHost := listenOrigin(t)
	src := filepath.Join(root, "bench", "app", "src")
	swapped := func(name string) []byte {
		source, err := os.ReadFile(filepath.Join(src, "mf-runtime", name))
		if err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(string(source), mfSpecifier); n != 1 {
			t.Fatalf("bench/app/src/mf-runtime/%s imports %s %d times, want once", name, mfSpecifier, n)
		}
		text := strings.Replace(string(source), mfSpecifier, `'/fedwasm/mf.js'`, 1)
		return []byte(strings.NewReplacer("__VERSIONS__", "("+string(versions)+")", "__REMOTE_ORIGIN__", remoteURL).Replace(text))
	}
	files := map[string][]byte{"/src/mf-runtime/index.js": swapped("index.js"), "/src/mf-runtime/bootstrap.js": swapped("bootstrap.js")}
	if files["/src/shell.js"], err = os.ReadFile(filepath.Join(src, "shell.js")); err != nil {
		t.Fatal(err)
	}
	page := `<!doctype html>
<html><head><meta charset="utf-8"><title>bench: @module-federation/runtime on fedwasm</title><link rel="icon" href="data:,">
<script type="importmap">` + string(importMap) + `</script>
<script src="/fedwasm/loader.js"></script>
<script type="module" src="/src/mf-runtime/index.js"></script>
</head><body><div id="header"></div><main><div id="products-slot"></div><div id="cart-slot"></div></main></body></html>
`
	mux := http.NewServeMux()
	mux.Handle("/fedwasm/", http.StripPrefix("/fedwasm", server.Files(os.DirFS(filepath.Join(root, "dist", "fedwasm")), server.Policy{})))
	mux.Handle("/fw/", http.StripPrefix("/fw", server.Files(os.DirFS(filepath.Join(bench, "host", "fw")), server.Policy{})))
	mux.HandleFunc("/src/", func(w http.ResponseWriter, r *http.Request) {
		body, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		_, _ = w.Write(body)
	})
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(page))
	})
	serveHost(mux)
	serveRemote(server.Files(os.DirFS(filepath.Join(bench, "remote")), server.Policy{AllowedOrigins: []string{hostURL}}))

	b, ctx := openPage(t, hostURL+"/", `window.benchApp !== undefined || document.querySelector('#fedwasm-error') !== null`)
	if banner := eval[string](t, ctx, `document.querySelector('#fedwasm-error')?.textContent ?? ''`); banner != "" {
		t.Fatalf("loader reported: %s", banner)
	}

	type rendered struct {
		Variant, Count, Cart string
		Products             int
	}
	read := `({ variant: benchApp.variant, count: document.querySelector('[data-testid=count]')?.textContent,
		cart: document.querySelector('[data-testid=cart]')?.textContent,
		products: document.querySelectorAll('[data-testid=products] li').length })`
	if got := eval[rendered](t, ctx, read); got.Variant != "mf-runtime" || got.Count != "0 in cart" || !strings.Contains(got.Cart, "Your cart is empty") || got.Products != 6 {
		t.Fatalf("rendered %+v, want the mf-runtime shell with both remotes (6 products, an empty cart)", got)
	}
	// The products remote adds to the host's store; the cart remote and the
	// host's header render it.
	got := eval[rendered](t, ctx, `(async () => {
		document.querySelector('[data-testid=products] button').click();
		await new Promise((r) => setTimeout(r, 50));
		return `+read+`; })()`)
	if got.Count != "1 in cart" || !strings.Contains(got.Cart, "Mechanical keyboard") || !strings.Contains(got.Cart, "Total: 89 €") {
		t.Errorf("after Add: %+v, want 1 in cart and the keyboard in the cart", got)
	}

	// One React: mf.js's loadShare gives a factory of the module the page's
	// import map gives (the host's), and no remote fetched its own copy.
	type shared struct {
		SameReact, SameClient, SameZustand, SyncSame bool
		Instance                                     string
		Fetched                                      []string
	}
	one := eval[shared](t, ctx, `(async () => {
		const mf = await import('/fedwasm/mf.js');
		const [React, client, zustand] = await Promise.all([import('react'), import('react-dom/client'), import('zustand')]);
		const factory = async (pkg) => { const f = await mf.loadShare(pkg); return typeof f === 'function' ? f() : f; };
		return {
			sameReact: (await factory('react')) === React,
			sameClient: (await factory('react-dom/client')) === client,
			sameZustand: (await factory('zustand')) === zustand,
			syncSame: mf.loadShareSync('react')() === React,
			instance: mf.getInstance()?.name,
			fetched: performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.startsWith(`+jsString(remoteURL)+`)),
		};
	})()`)
	if !one.SameReact || !one.SameClient || !one.SameZustand || !one.SyncSame || one.Instance != "host" {
		t.Errorf("mf.js on the page: %+v, want loadShare's and loadShareSync's factories to give the page's modules, and the instance host", one)
	}
	own := reactChunks(t, filepath.Join(bench, "remote"))
	for _, entry := range []string{"cart/remoteEntry.js", "products/remoteEntry.js"} {
		if !slices.Contains(one.Fetched, remoteURL+"/"+entry) {
			t.Errorf("the page did not fetch %s; fetched %v", entry, one.Fetched)
		}
	}
	for _, f := range one.Fetched {
		if own[strings.TrimPrefix(f, remoteURL+"/")] {
			t.Errorf("the page fetched a remote's own React %s: the remote did not get the host's", f)
		}
	}
	t.Logf("fetched from the remotes' origin: %v (their own React chunks: %v)", one.Fetched, slices.Sorted(maps.Keys(own)))
	noProblems(t, b)
}

// reactChunks lists the chunks of the bench remotes that hold their own copy
// of React (react, react-dom, react-dom/client): webpack writes each one's
// license beside it, "@license React".
func reactChunks(t *testing.T, dir string) map[string]bool {
	t.Helper()
	licenses, err := filepath.Glob(filepath.Join(dir, "*", "*.js.LICENSE.txt"))
	if err != nil {
		t.Fatal(err)
	}
	chunks := map[string]bool{}
	for _, l := range licenses {
		text, err := os.ReadFile(l)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(text), "@license React") {
			rel, _ := filepath.Rel(dir, strings.TrimSuffix(l, ".LICENSE.txt"))
			chunks[filepath.ToSlash(rel)] = true
		}
	}
	if len(chunks) == 0 {
		t.Fatalf("no remote chunk in %s has React's license; the check would prove nothing", dir)
	}
	return chunks
}
