//go:build e2e

package e2e

import (
	"encoding/json"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
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

// benchSite serves, for a page written for @module-federation/runtime, the
// bench app's build (./build.sh bench, or the e2e layer of ./build.sh test,
// builds it): its webpack remotes on one origin; on the page's, the runtime
// under /fedwasm/, the shared ES modules under /fw/, and page (given the
// remotes' origin and the import map of the shared modules) at / with files
// under /src/.
type benchSite struct {
	bench              string // dist/bench
	built              benchFederation
	hostURL, remoteURL string
}

func startBenchSite(t *testing.T, page func(s *benchSite, importMap string) string, files func(s *benchSite) map[string][]byte, extraImports map[string]string) *benchSite {
	t.Helper()
	s := &benchSite{bench: filepath.Join(root, "dist", "bench")}
	for _, f := range []string{"remote/cart/remoteEntry.js", "remote/products/remoteEntry.js", "host/fw/federation.json"} {
		if _, err := os.Stat(filepath.Join(s.bench, f)); err != nil {
			t.Fatalf("dist/bench/%s is missing; build the bench app (./build.sh test and ./build.sh bench do: ensure_bench_app)", f)
		}
	}
	data, err := os.ReadFile(filepath.Join(s.bench, "host", "fw", "federation.json"))
	if err == nil {
		err = json.Unmarshal(data, &s.built)
	}
	if err != nil {
		t.Fatalf("dist/bench/host/fw/federation.json: %v", err)
	}
	imports := map[string]string{}
	for pkg, shared := range s.built.Shared {
		imports[pkg] = shared.Import
	}
	maps.Copy(imports, extraImports)
	importMap, _ := json.Marshal(map[string]any{"imports": imports})

	var serveRemote, serveHost func(http.Handler)
	s.remoteURL, serveRemote = listenOrigin(t)
	s.hostURL, serveHost = listenOrigin(t)
	body := page(s, string(importMap))
	served := files(s)
	mux := http.NewServeMux()
	mux.Handle("/fedwasm/", http.StripPrefix("/fedwasm", server.Files(os.DirFS(filepath.Join(root, "dist", "fedwasm")), server.Policy{})))
	mux.Handle("/fw/", http.StripPrefix("/fw", server.Files(os.DirFS(filepath.Join(s.bench, "host", "fw")), server.Policy{})))
	mux.HandleFunc("/src/", func(w http.ResponseWriter, r *http.Request) {
		file, ok := served[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		_, _ = w.Write(file)
	})
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(body))
	})
	serveHost(mux)
	serveRemote(server.Files(os.DirFS(filepath.Join(s.bench, "remote")), server.Policy{AllowedOrigins: []string{s.hostURL}}))
	return s
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
	src := filepath.Join(root, "bench", "app", "src")
	swapped := func(s *benchSite, name string) []byte {
		source, err := os.ReadFile(filepath.Join(src, "mf-runtime", name))
		if err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(string(source), mfSpecifier); n != 1 {
			t.Fatalf("bench/app/src/mf-runtime/%s imports %s %d times, want once", name, mfSpecifier, n)
		}
		text := strings.Replace(string(source), mfSpecifier, `'/fedwasm/mf.js'`, 1)
		// bench/app/webpack.config.js defines __VERSIONS__ as the versions of
		// react, react-dom and zustand it read from their package.json files,
		// the same it writes into federation.json.
		versions, _ := json.Marshal(map[string]string{
			"react": s.built.Shared["react"].Version, "react-dom": s.built.Shared["react-dom"].Version, "zustand": s.built.Shared["zustand"].Version})
		return []byte(strings.NewReplacer("__VERSIONS__", "("+string(versions)+")", "__REMOTE_ORIGIN__", s.remoteURL).Replace(text))
	}
	site := startBenchSite(t, func(_ *benchSite, importMap string) string {
		return `<!doctype html>
<html><head><meta charset="utf-8"><title>bench: @module-federation/runtime on fedwasm</title><link rel="icon" href="data:,">
<script type="importmap">` + importMap + `</script>
<script src="/fedwasm/loader.js"></script>
<script type="module" src="/src/mf-runtime/index.js"></script>
</head><body><div id="header"></div><main><div id="products-slot"></div><div id="cart-slot"></div></main></body></html>
`
	}, func(s *benchSite) map[string][]byte {
		shell, err := os.ReadFile(filepath.Join(src, "shell.js"))
		if err != nil {
			t.Fatal(err)
		}
		return map[string][]byte{"/src/mf-runtime/index.js": swapped(s, "index.js"), "/src/mf-runtime/bootstrap.js": swapped(s, "bootstrap.js"), "/src/shell.js": shell}
	}, map[string]string{
		// webpack resolves import('./bootstrap') to bootstrap.js; the page's import map does here.
		"/src/mf-runtime/bootstrap": "/src/mf-runtime/bootstrap.js",
	})
	hostURL, remoteURL, bench := site.hostURL, site.remoteURL, site.bench

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

// mfAPIPage is a page that calls mf.js's functions as @module-federation/runtime's
// documentation shows them, against the bench's webpack remotes, and records
// what each gave in window.mfResults. __REMOTE__ is the remotes' origin.
const mfAPIPage = `<!doctype html>
<html><head><meta charset="utf-8"><title>mf.js API</title><link rel="icon" href="data:,">
<script type="importmap">__IMPORTMAP__</script>
<script src="/fedwasm/loader.js"></script>
</head><body>
<script type="module">
import * as mf from '/fedwasm/mf.js';
const remote = '__REMOTE__';
const r = {};
const codeOf = (fn) => { try { fn(); return 'no error'; } catch (e) { return e.code + ' ' + (e.details && e.details.mfCode) + ' ' + e.message.includes('Please call createInstance first.'); } };
const factoryOf = (pkg) => () => import(pkg).then((m) => () => m);
const singleton = (pkg, version) => ({ version, get: factoryOf(pkg), shareConfig: { singleton: true, requiredVersion: '^' + version } });

r.beforeInit = codeOf(() => mf.loadRemote('cart/Cart'));
r.noDefault = mf.getInstance() === null;
// createInstance: an instance on the page's runtime, not the default one.
const created = mf.createInstance({
  name: 'host',
  remotes: [{ name: 'cart', entry: remote + '/cart/remoteEntry.js', type: 'global', shareScope: ['default'] }],
  shared: {
    react: singleton('react', '__REACT__'), 'react-dom': singleton('react-dom', '__REACT__'),
    'react-dom/client': singleton('react-dom/client', '__REACT__'), zustand: singleton('zustand', '__ZUSTAND__'),
  },
});
r.afterCreate = codeOf(() => mf.loadShareSync('react'));
// init of the same name finds it and merges into it.
const inited = mf.init({ name: 'host', remotes: [{ name: 'products', entry: remote + '/products/remoteEntry.js' }] });
r.sameInstance = inited === created && mf.getInstance() === created && mf.getInstance((i) => i.name === 'host') === created && mf.getInstance(() => false) === null;
const Cart = await mf.loadRemote('cart/Cart');
r.cart = typeof Cart.mount;
const products = await mf.loadRemote('products/Products', { loadFactory: false, from: 'runtime' });
r.productsFactory = typeof products + ' ' + typeof products().mount;
const React = await import('react');
const react = await mf.loadShare('react');
r.loadShare = typeof react === 'function' && react() === React;
r.loadShareSync = mf.loadShareSync('react')() === React;
r.noMatch = await mf.loadShare('react', { customShareInfo: { shareConfig: { singleton: false, requiredVersion: '^18.0.0' } } });
r.noProvider = await mf.loadShare('left-pad', { customShareInfo: { shareConfig: { requiredVersion: '^1.0.0' } } });
mf.registerShared({ 'left-pad': { version: '1.3.0', get: () => Promise.resolve(() => ({ pad: 'padded' })) } });
const leftPad = await mf.loadShare('left-pad');
r.registeredShare = leftPad && leftPad().pad;
r.libShare = (mf.registerShared({ 'is-odd': { version: '3.0.1', lib: () => ({ odd: true }) } }), mf.loadShareSync('is-odd')().odd);
mf.registerShared({ 'is-odd': { version: '2.0.0', lib: () => ({ odd: 'legacy' }), scope: 'legacy' } });
const scoped = async (scope) => (await mf.loadShare('is-odd', { customShareInfo: { scope, shareConfig: { requiredVersion: '*' } } }))().odd;
r.scopeList = [await scoped(['legacy', 'default']), await scoped(['empty', 'default']), mf.loadShareSync('is-odd', { customShareInfo: { scope: ['legacy'] } })().odd];
mf.registerPlugins([{ name: 'fallback', errorLoadRemote: () => ({ fallback: 'from the plugin' }) }]);
r.pluginFallback = (await mf.loadRemote('nobody/Thing')).fallback;
await mf.preloadRemote([{ nameOrAlias: 'products', exposes: ['./Products'] }]);
const entryOf = (name) => fedwasm.inspect().remotes.find((x) => x.name === name).entry;
mf.registerRemotes([{ name: 'products', entry: remote + '/cart/remoteEntry.js' }]);
r.kept = entryOf('products').endsWith('/products/remoteEntry.js');
mf.registerRemotes([{ name: 'products', entry: remote + '/cart/remoteEntry.js', entryGlobalName: 'cart' }], { force: true });
r.forced = entryOf('products').endsWith('/cart/remoteEntry.js');
// A second init with another name: MF makes it the default instance; fedwasm
// has one host per page, so its calls reject with INIT_NAME_MISMATCH (RUNTIME-010).
const other = mf.init({ name: 'other', remotes: [] });
r.otherIsDefault = mf.getInstance() === other && other !== created;
r.otherName = await other.loadRemote('cart/Cart').then(() => 'loaded', (e) => e.code + ' ' + e.details.mfCode);
r.pageName = fedwasm.inspect().name;
window.mfResults = r;
</script>
</body></html>
`

// TestMFRuntimeAPI checks mf.js's functions against Module Federation
// 2.0's results, on a page and with the bench's webpack remotes:
// RUNTIME-009 before init; createInstance does not set the default instance
// and init of the same name finds and merges into it (getInstance, with and
// without a finder); loadRemote's module and, with loadFactory false, its
// factory; loadShare's factory, and false when customShareInfo matches no
// provider; a customShareInfo.scope list (the first listed scope holding
// the package); loadShareSync's factory; registerShared with MF's get (a
// factory) and lib; registerPlugins; preloadRemote; registerRemotes
// leaving a known name, and replacing it with force; type 'global' and a
// shareScope list; a second init with another name rejecting the calls of
// the instance it made with INIT_NAME_MISMATCH and MF's RUNTIME-010.
func TestMFRuntimeAPI(t *testing.T) {
	site := startBenchSite(t, func(s *benchSite, importMap string) string {
		return strings.NewReplacer("__IMPORTMAP__", importMap, "__REMOTE__", s.remoteURL,
			"__REACT__", s.built.Shared["react"].Version, "__ZUSTAND__", s.built.Shared["zustand"].Version).Replace(mfAPIPage)
	}, func(*benchSite) map[string][]byte { return nil }, nil)
	b, ctx := openPage(t, site.hostURL+"/", `window.mfResults !== undefined || document.querySelector('#fedwasm-error') !== null`)
	// The instance whose init failed reports it on the console, as MF's init would throw.
	expectedProblems.Store(b, func(line string) bool { return strings.Contains(line, "docs/errors.md#init_name_mismatch") })
	t.Cleanup(func() { expectedProblems.Delete(b) })
	got := eval[map[string]any](t, ctx, `window.mfResults`)
	want := map[string]any{
		"beforeInit":      "NOT_INITIALIZED RUNTIME-009 true",
		"noDefault":       true,
		"afterCreate":     "NOT_INITIALIZED RUNTIME-009 true",
		"sameInstance":    true,
		"cart":            "function",
		"productsFactory": "function function",
		"loadShare":       true,
		"loadShareSync":   true,
		"noMatch":         false,
		"noProvider":      false,
		"registeredShare": "padded",
		"libShare":        true,
		"scopeList":       []any{"legacy", true, "legacy"},
		"pluginFallback":  "from the plugin",
		"kept":            true,
		"forced":          true,
		"otherIsDefault":  true,
		"otherName":       "INIT_NAME_MISMATCH RUNTIME-010",
		"pageName":        "host",
	}
	for key, w := range want {
		if !reflect.DeepEqual(got[key], w) {
			t.Errorf("%s = %v, want %v", key, got[key], w)
		}
	}
	noProblems(t, b)
}

// TestMFRuntimeInitMergesIntoTheLoadersConfig: on a page the loader
// initializes from data-config, mf.js's init of the same host merges into
// that config (its remote loads, with the config's shared React), rather
// than being refused as a second fedwasm.init is.
func TestMFRuntimeInitMergesIntoTheLoadersConfig(t *testing.T) {
	site := startBenchSite(t, func(s *benchSite, importMap string) string {
		return `<!doctype html>
<html><head><meta charset="utf-8"><title>mf.js on a configured page</title><link rel="icon" href="data:,">
<script type="importmap">` + importMap + `</script>
<script src="/fedwasm/loader.js" data-config="/src/federation.json"></script>
</head><body>
<script type="module">
import { init, loadRemote, loadShare } from '/fedwasm/mf.js';
init({ name: 'shell', remotes: [{ name: 'cart', entry: '` + s.remoteURL + `/cart/remoteEntry.js' }] });
const [Cart, react, React, second] = await Promise.all([loadRemote('cart/Cart'), loadShare('react'), import('react'),
  fedwasm.init({ name: 'shell' }).then(() => 'applied', (e) => e.code)]);
window.merged = { cart: typeof Cart.mount, sameReact: react() === React, secondFedwasmInit: second,
  remotes: fedwasm.inspect().remotes.map((r) => r.name).join(), name: fedwasm.inspect().name };
</script>
</body></html>
`
	}, func(s *benchSite) map[string][]byte {
		react := s.built.Shared["react"]
		config, _ := json.Marshal(map[string]any{"name": "shell", "shared": map[string]any{
			"react": map[string]any{"version": react.Version, "import": react.Import, "shareConfig": map[string]any{"singleton": true}}}})
		return map[string][]byte{"/src/federation.json": config}
	}, nil)
	b, ctx := openPage(t, site.hostURL+"/", `document.querySelector('#fedwasm-error') !== null || window.merged !== undefined`)
	type merged struct {
		Cart, SecondFedwasmInit, Remotes, Name string
		SameReact                              bool
	}
	got := eval[merged](t, ctx, `window.merged ?? {}`)
	if got != (merged{Cart: "function", SecondFedwasmInit: "ALREADY_INITIALIZED", Remotes: "cart", Name: "shell", SameReact: true}) {
		t.Errorf("mf.js's init on a data-config page: %+v, want cart loaded with the config's React, and fedwasm.init still refused", got)
	}
	noProblems(t, b)
}
