//go:build e2e

package e2e

// The webpack fixtures (fixtures/webpack/, built by ./build.sh into
// dist/fixtures/) are real Module Federation containers. These tests load them
// the way a webpack host does, without fedwasm: a page on one origin provides
// React, react-dom and zustand from dist/vendor/ in a webpack-shaped share
// scope, and each container, served from another origin, is initialized with
// that scope and renders its expose with the host's copies, never fetching its
// own. fedwasm's own loader is tested against the same fixtures elsewhere.

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/fedwasm/fedwasm/internal/browser"
	"github.com/fedwasm/fedwasm/server"
)

// fixturePageHTML is the host page. __REMOTE__ is the fixtures' origin and
// __LOADED__ whether the host's share entries say they are loaded.
const fixturePageHTML = `<!doctype html>
<html><head><meta charset="utf-8"><title>webpack fixtures</title><link rel="icon" href="data:,">
<script type="importmap">{"imports": {
  "react": "/vendor/react.js", "react-dom": "/vendor/react-dom.js",
  "react-dom/client": "/vendor/react-dom-client.js", "zustand": "/vendor/zustand.js"}}</script>
</head><body>
<script type="module">
const remote = '__REMOTE__';
const markLoaded = __LOADED__;
const [React, ReactDOM, ReactDOMClient, zustand, versions] = await Promise.all([
  import('react'), import('react-dom'), import('react-dom/client'), import('zustand'),
  fetch('/vendor/versions.json').then((r) => r.json()),
]);
const host = { React, ReactDOM, ReactDOMClient, zustand };

// The page's one 'default' share scope, in webpack's shape:
// scope[pkg][version] = { get, from, eager, loaded }, plus version, which MF
// 2.0 containers read back (without it they write under the key "undefined").
const scope = {};
const provide = (pkg, version, module) => {
  const entry = { get: () => Promise.resolve(() => module), from: 'host', eager: false, version };
  if (markLoaded) entry.loaded = 1;
  (scope[pkg] ??= {})[version] = entry;
};
provide('react', versions.react, React);
provide('react-dom', versions['react-dom'], ReactDOM);
provide('react-dom/client', versions['react-dom'], ReactDOMClient);
provide('zustand', versions.zustand, zustand);

const cart = zustand.createStore(() => ({ lines: [{ name: 'Keyboard' }, { name: 'Mouse' }] }));

const script = (src) => new Promise((resolve, reject) => {
  const s = Object.assign(document.createElement('script'), { src });
  s.onload = resolve;
  s.onerror = () => reject(new Error('loading ' + src + ' failed'));
  document.head.append(s);
});

const remotes = {
  'wp-var': { type: 'var', entry: remote + '/wp-var/remoteEntry.js', global: 'wp_var' },
  'wp-module': { type: 'module', entry: remote + '/wp-module/remoteEntry.mjs' },
  'mf-enhanced': { type: 'manifest', entry: remote + '/mf-enhanced/mf-manifest.json' },
};
const containers = {};
const manifests = {};

// container loads a remote's container by its type, checks it is one, and
// initializes it with the page's share scope (once).
async function container(name) {
  if (containers[name]) return containers[name];
  const r = remotes[name];
  let c;
  if (r.type === 'var') {
    await script(r.entry);
    c = window[r.global];
  } else if (r.type === 'module') {
    c = await import(r.entry);
  } else {
    const manifest = await (await fetch(r.entry)).json();
    manifests[name] = manifest;
    const meta = manifest.metaData;
    const base = meta.publicPath === 'auto' || meta.publicPath === '' ? new URL('.', r.entry) : new URL(meta.publicPath, r.entry);
    await script(new URL(meta.remoteEntry.path ? meta.remoteEntry.path + '/' + meta.remoteEntry.name : meta.remoteEntry.name, base).href);
    c = window[meta.globalName];
  }
  if (!c || typeof c.init !== 'function' || typeof c.get !== 'function') {
    throw new Error(name + ' is not a container: ' + (c ? Object.keys(c).join(',') : c));
  }
  await c.init(scope);
  return (containers[name] = c);
}

// loadRemote('wp-var/ProductList') is what the fixtures' Consumer calls.
async function loadRemote(id) {
  const [name, ...path] = id.split('/');
  const factory = await (await container(name)).get('./' + path.join('/'));
  return factory();
}

const fedwasm = {
  stores: { get: async (name) => { if (name !== 'cart') throw new Error('no store ' + name); return cart; } },
  loadRemote,
};

// mount loads id, mounts it into a fresh element and reports what rendered
// and whether the module got the host's instances.
async function mount(id) {
  const module = await loadRemote(id);
  const element = document.createElement('div');
  document.body.append(element);
  const mounted = await module.mount(element, {}, fedwasm);
  const received = mounted.received;
  const report = {
    text: element.textContent,
    items: [...element.querySelectorAll('li')].map((li) => li.textContent),
    sameReact: received.React.createElement === React.createElement && received.React.useSyncExternalStore === React.useSyncExternalStore,
    sameReactDOM: received.ReactDOM.flushSync === ReactDOM.flushSync,
    sameCreateRoot: received.createRoot === ReactDOMClient.createRoot,
    sameZustand: received.createStore === zustand.createStore,
    sameStore: received.store === cart,
    consumerStore: 'store' in mounted ? mounted.store === cart : null,
  };
  cart.setState({ lines: [...cart.getState().lines, { name: 'Headset' }] });
  await new Promise((r) => setTimeout(r, 50));
  report.afterUpdate = [...element.querySelectorAll('li')].map((li) => li.textContent);
  cart.setState({ lines: cart.getState().lines.slice(0, -1) });
  mounted.unmount();
  await new Promise((r) => setTimeout(r, 0));
  report.afterUnmount = element.innerHTML;
  return report;
}

// fetched lists the fixture files the page downloaded.
const fetched = () => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.startsWith(remote));

window.fx = { scope, host, cart, container, loadRemote, mount, fetched, manifests, ready: true };
</script>
</body></html>
`

// startFixtures serves dist/fixtures/ on one loopback origin and the host page
// with dist/vendor/ on another, and opens the page in Chromium.
func startFixtures(t *testing.T, markLoaded bool) (*browser.Browser, context.Context, string) {
	t.Helper()
	fixtures := filepath.Join(root, "dist", "fixtures")
	for _, f := range []string{"wp-var/remoteEntry.js", "wp-module/remoteEntry.mjs", "mf-enhanced/mf-manifest.json"} {
		if _, err := os.Stat(filepath.Join(fixtures, f)); err != nil {
			t.Fatalf("dist/fixtures/%s is missing; run ./build.sh build (it builds fixtures/webpack)", f)
		}
	}
	if _, err := os.Stat(filepath.Join(root, "dist", "vendor", "react-dom-client.js")); err != nil {
		t.Fatal("dist/vendor/react-dom-client.js is missing; run ./build.sh build")
	}
	remoteURL, serveRemote := listenOrigin(t)
	hostURL, serveHost := listenOrigin(t)
	page := strings.NewReplacer("__REMOTE__", remoteURL, "__LOADED__", fmt.Sprint(markLoaded)).Replace(fixturePageHTML)
	mux := http.NewServeMux()
	mux.Handle("/vendor/", http.StripPrefix("/vendor", server.Files(os.DirFS(filepath.Join(root, "dist", "vendor")), server.Policy{})))
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write([]byte(page))
	})
	serveHost(mux)
	serveRemote(server.Files(os.DirFS(fixtures), server.Policy{AllowedOrigins: []string{hostURL}}))

	b, ctx := openPage(t, hostURL+"/", `window.fx?.ready === true`)
	return b, ctx, remoteURL
}

// fixtureReport is what the page's mount returns.
type fixtureReport struct {
	Text           string
	Items          []string
	SameReact      bool
	SameReactDOM   bool
	SameCreateRoot bool
	SameZustand    bool
	SameStore      bool
	ConsumerStore  *bool
	AfterUpdate    []string
	AfterUnmount   string
}

// ownCopies matches the fixtures' own chunks of react, react-dom and zustand
// (webpack names them after their node_modules paths: chunkIds 'named').
var ownCopies = regexp.MustCompile(`node_modules_(react|react-dom|zustand)`)

func checkMount(t *testing.T, ctx context.Context, id, title string) fixtureReport {
	t.Helper()
	r := eval[fixtureReport](t, ctx, fmt.Sprintf(`fx.mount(%q)`, id))
	if !strings.Contains(r.Text, title) || strings.Join(r.Items, ",") != "Keyboard,Mouse" {
		t.Errorf("%s rendered %q (items %v); want the title %q and the cart's Keyboard, Mouse", id, r.Text, r.Items, title)
	}
	if strings.Join(r.AfterUpdate, ",") != "Keyboard,Mouse,Headset" {
		t.Errorf("%s after the host's cart.setState rendered %v; want Keyboard, Mouse, Headset", id, r.AfterUpdate)
	}
	if r.AfterUnmount != "" {
		t.Errorf("%s left %q after unmount", id, r.AfterUnmount)
	}
	for what, same := range map[string]bool{"react": r.SameReact, "react-dom": r.SameReactDOM, "react-dom/client": r.SameCreateRoot, "zustand": r.SameZustand, "the cart store": r.SameStore} {
		if !same {
			t.Errorf("%s did not get the host's %s through the share scope", id, what)
		}
	}
	return r
}

// checkFetched asserts the page fetched want (files under the fixtures'
// origin) and none of the remotes' own react, react-dom or zustand chunks.
func checkFetched(t *testing.T, ctx context.Context, remoteURL string, want ...string) {
	t.Helper()
	fetched := eval[[]string](t, ctx, `fx.fetched()`)
	for _, w := range want {
		found := false
		for _, f := range fetched {
			found = found || f == remoteURL+"/"+w
		}
		if !found {
			t.Errorf("the page did not fetch %s; fetched %v", w, fetched)
		}
	}
	for _, f := range fetched {
		if ownCopies.MatchString(f) {
			t.Errorf("the page fetched a remote's own shared copy %s although the host provides it", f)
		}
	}
	t.Logf("fetched from the fixtures' origin: %v", fetched)
}

func TestFixtureWebpackVarContainer(t *testing.T) {
	b, ctx, remoteURL := startFixtures(t, true)
	if !eval[bool](t, ctx, `fx.container('wp-var').then((c) => c === window.wp_var && typeof wp_var.init === 'function' && typeof wp_var.get === 'function')`) {
		t.Fatal("wp-var's remoteEntry.js did not define the global wp_var with init and get")
	}
	checkMount(t, ctx, "wp-var/ProductList", "Products")
	checkFetched(t, ctx, remoteURL, "wp-var/remoteEntry.js", "wp-var/src_ProductList_js.js")
	// The container registered its own fallbacks next to the host's entries,
	// in the same scope object, under its uniqueName.
	froms := eval[map[string]string](t, ctx, `Object.fromEntries(Object.entries(fx.scope).map(([k, v]) => [k, Object.values(v).map((e) => e.from).join(',')]))`)
	for _, pkg := range []string{"react", "react-dom", "react-dom/client", "zustand"} {
		if froms[pkg] != "host" {
			t.Errorf("scope[%q] is from %q; want the host's loaded entry kept", pkg, froms[pkg])
		}
	}
	noProblems(t, b)
}

// TestFixtureWebpackReplacesUnloadedHostEntries documents webpack's register
// rule: for the same version key, an entry that is not loaded is replaced by
// the one whose `from` (uniqueName) is larger, so a host must mark what it
// already loaded (loaded: 1) or 'wp_var' > 'host' takes the slot. The remote
// then downloads and runs its own copies, which also shows that checkFetched
// does see them when they are fetched.
func TestFixtureWebpackReplacesUnloadedHostEntries(t *testing.T) {
	b, ctx, remoteURL := startFixtures(t, false)
	from := eval[string](t, ctx, `fx.container('wp-var').then(() => Object.values(fx.scope.react).map((e) => e.from).join(','))`)
	if from != "wp_var" {
		t.Errorf("after init, scope.react is from %q; want wp_var (webpack replaces unloaded entries with a larger from)", from)
	}
	r := eval[fixtureReport](t, ctx, `fx.mount('wp-var/ProductList')`)
	if r.SameReact || !r.SameStore || strings.Join(r.Items, ",") != "Keyboard,Mouse" {
		t.Errorf("with unloaded host entries wp-var rendered %v with sameReact %v, sameStore %v; want its own React and the host's store", r.Items, r.SameReact, r.SameStore)
	}
	own := 0
	for _, f := range eval[[]string](t, ctx, `fx.fetched()`) {
		if strings.HasPrefix(f, remoteURL) && ownCopies.MatchString(f) {
			own++
		}
	}
	if own == 0 {
		t.Error("wp-var used its own React but the page fetched none of its own chunks")
	}
	noProblems(t, b)
}

func TestFixtureWebpackModuleContainer(t *testing.T) {
	b, ctx, remoteURL := startFixtures(t, true)
	if !eval[bool](t, ctx, `fx.container('wp-module').then((c) => typeof c.init === 'function' && typeof c.get === 'function')`) {
		t.Fatal("wp-module's remoteEntry.mjs does not export init and get")
	}
	checkMount(t, ctx, "wp-module/CartSummary", "Cart summary")
	// The Consumer expose loads wp-var's ProductList through the fedwasm API
	// it is given, and both see the host's one cart store.
	r := checkMount(t, ctx, "wp-module/Consumer", "Products")
	if r.ConsumerStore == nil || !*r.ConsumerStore {
		t.Errorf("wp-module/Consumer's store is not the host's cart (%v)", r.ConsumerStore)
	}
	checkFetched(t, ctx, remoteURL, "wp-module/remoteEntry.mjs", "wp-module/src_CartSummary_js.mjs", "wp-module/src_Consumer_js.mjs",
		"wp-var/remoteEntry.js", "wp-var/src_ProductList_js.js")
	noProblems(t, b)
}

func TestFixtureEnhancedManifestContainer(t *testing.T) {
	b, ctx, remoteURL := startFixtures(t, true)
	if !eval[bool](t, ctx, `fx.container('mf-enhanced').then((c) => c === window.mf_enhanced)`) {
		t.Fatal("mf-enhanced's remoteEntry.js did not define the global named in its manifest")
	}
	var manifest struct {
		Name     string
		MetaData struct {
			GlobalName  string
			PublicPath  string
			RemoteEntry struct{ Name, Path, Type string }
		}
		Shared  []struct{ Name, Version string }
		Exposes []struct{ Name, Path string }
	}
	if err := browser.Eval(ctx, `fx.manifests['mf-enhanced']`, &manifest); err != nil {
		t.Fatal(err)
	}
	m := manifest.MetaData
	if m.GlobalName != "mf_enhanced" || m.RemoteEntry.Name != "remoteEntry.js" || m.RemoteEntry.Type != "global" || m.PublicPath != "auto" {
		t.Errorf("mf-manifest.json metaData = %+v; want globalName mf_enhanced, remoteEntry remoteEntry.js of type global, publicPath auto", m)
	}
	if len(manifest.Exposes) != 1 || manifest.Exposes[0].Path != "./Recommendations" {
		t.Errorf("mf-manifest.json exposes = %+v; want ./Recommendations", manifest.Exposes)
	}
	shared := map[string]string{}
	for _, s := range manifest.Shared {
		shared[s.Name] = s.Version
	}
	for _, pkg := range []string{"react", "react-dom", "react-dom/client", "zustand"} {
		if shared[pkg] == "" {
			t.Errorf("mf-manifest.json shares no %s (shared: %v)", pkg, shared)
		}
	}
	checkMount(t, ctx, "mf-enhanced/Recommendations", "Recommendations")
	checkFetched(t, ctx, remoteURL, "mf-enhanced/remoteEntry.js", "mf-enhanced/__federation_expose_Recommendations.js")
	// The MF 2.0 runtime in the container adopts the host's scope object by
	// reference and writes back into the entry it used: lib, loaded, useIn,
	// and `from` rewritten to its own name (MF's setShared).
	var after struct {
		SameScope bool
		Versions  []string
		From      string
		SameLib   bool
	}
	if err := browser.Eval(ctx, `(() => {
		const i = globalThis.__FEDERATION__.__INSTANCES__.find((i) => i.name === 'mf_enhanced');
		const e = fx.scope.react[Object.keys(fx.scope.react)[0]];
		return { sameScope: i.shareScopeMap.default === fx.scope, versions: Object.keys(fx.scope.react), from: e.from,
			sameLib: typeof e.lib === 'function' && e.lib() === fx.host.React };
	})()`, &after); err != nil {
		t.Fatal(err)
	}
	if !after.SameScope {
		t.Error("mf_enhanced's MF instance does not hold the host's share scope object")
	}
	if len(after.Versions) != 1 || !after.SameLib {
		t.Errorf("after mf_enhanced consumed react, scope.react has versions %v (lib is the host's: %v); want the host's one entry", after.Versions, after.SameLib)
	}
	if after.From != "mf_enhanced" {
		t.Errorf("scope.react's entry is from %q after mf_enhanced loaded it; MF's setShared rewrites it to the consumer's name", after.From)
	}
	noProblems(t, b)
}
