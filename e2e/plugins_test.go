//go:build e2e

package e2e

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/internal/demo"
	"github.com/fedwasm/fedwasm/server"
)

// Plugins follow MF 2.0's hook names and shapes: beforeRequest rewrites the
// request, afterResolve where the remote is loaded from, onLoad may replace
// the result, and errorLoadRemote's truthy return becomes the result. The
// first three act only on the remotes the config's security.plugins names.
func TestPluginHooks(t *testing.T) {
	d, b, ctx := startDemoWith(t, demo.Options{EditConfig: func(c *config.Config) {
		c.Security.Plugins = []string{"cart", "badge", "moved"}
	}})
	eval[bool](t, ctx, `(() => {
		fedwasm.registerRemotes([
			{ name: 'ghost', entry: 'http://127.0.0.1:9/ghost.js', type: 'esm' },
			{ name: 'moved', entry: 'http://127.0.0.1:9/moved.js', type: 'esm' },
		]);
		window.hookLog = [];
		fedwasm.use({ name: 'rewrite-shop',
			beforeRequest: (args) => (args.id === 'shop' ? { ...args, id: 'cart' } : undefined) });
		fedwasm.use({ name: 'relocate',
			afterResolve: (args) => args.id === 'moved'
				? { ...args, remoteInfo: { ...args.remoteInfo, entry: `+jsString(d.RemoteURL+"/badge.js")+` } } : undefined });
		fedwasm.use({ name: 'wrap-badge',
			onLoad: (args) => (args.id === 'badge' ? () => 'wrapped' : undefined) });
		fedwasm.use({ name: 'wrap-products',
			onLoad: (args) => (args.id === 'products' ? () => 'HIJACKED' : undefined) });
		fedwasm.use({ name: 'offline-fallback',
			errorLoadRemote: ({ id, lifecycle, error }) => {
				hookLog.push([id, lifecycle, error.code]);
				return id === 'ghost' ? { offline: true } : undefined;
			} });
		fedwasm.use({ name: 'rewrite-shop' }); // a second plugin of the same name is ignored
		return true })()`)
	cases := []struct{ name, expr, want string }{
		{"beforeRequest rewrites the id", `fedwasm.loadRemote('shop').then((m) => String(m === demo.remote))`, "true"},
		{"afterResolve changes where the remote is loaded from", `fedwasm.loadRemote('moved').then((m) => String(typeof m.mount === 'function' && m.createStore === demo.zustand.createStore))`, "true"},
		{"onLoad returning a function replaces the result", `fedwasm.loadRemote('badge').then((m) => typeof m === 'function' ? m() : 'not replaced')`, "wrapped"},
		{"a remote security.plugins does not name loads as configured", `fedwasm.loadRemote('products').then((m) => typeof m === 'function' ? m() : typeof m.mount)`, "function"},
		{"and the skipped hook is reported", `fedwasm.inspect().warnings.filter((w) => w.code === 'PLUGIN_NOT_ALLOWED' && w.details.remote === 'products' && w.details.plugin === 'wrap-products').map((w) => w.details.plugin + ' ' + w.details.hook).join()`, "wrap-products onLoad"},
		{"errorLoadRemote's return is the fallback result", `fedwasm.loadRemote('ghost').then((m) => JSON.stringify(m))`, `{"offline":true}`},
		{"errorLoadRemote sees the lifecycle and the code", `JSON.stringify(hookLog.find((e) => e[0] === 'ghost'))`, `["ghost","onLoad","REMOTE_LOAD_FAILED"]`},
		{"without a fallback the coded error stands", `fedwasm.loadRemote('nope/x').then(() => 'resolved', (e) => e.code)`, "REMOTE_UNKNOWN"},
		{"a plugin without a name is refused", `(() => { try { fedwasm.use({ onLoad() {} }); return 'no throw' } catch (e) { return e.code } })()`, "INVALID_ARGUMENT"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := eval[string](t, ctx, c.expr); got != c.want {
				t.Errorf("got %s, want %s", got, c.want)
			}
		})
	}
	_ = b.Problems() // ghost's failed attempts are logged by Chromium as blocked or failed loads
}

// TestPluginFetchHookOnARealPage: a plugin's fetch hook adds an auth header
// to the manifest request of a real MF 2.0 remote (the fixtures'
// mf-enhanced, on another origin that answers 401 without it), for the
// remote security.plugins names; for another remote the hook is skipped
// (PLUGIN_NOT_ALLOWED) and its manifest request gets the 401. An MF hook
// fedwasm never calls is warned on the page's console and in inspect().
func TestPluginFetchHookOnARealPage(t *testing.T) {
	hostURL, serveHost := listenOrigin(t)
	remoteURL, serveRemote := listenOrigin(t)
	files := server.Files(os.DirFS(filepath.Join(root, "dist", "fixtures")), server.Policy{AllowedOrigins: []string{hostURL}})
	serveRemote(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/mf-manifest.json") && r.Header.Get("Authorization") != "Bearer t0k3n" {
			w.Header().Set("Access-Control-Allow-Origin", hostURL)
			http.Error(w, "a token is required", http.StatusUnauthorized)
			return
		}
		files.ServeHTTP(w, r)
	}))
	serveHost(runtimePage(`<!doctype html><title>plugins</title><link rel="icon" href="data:,"><script src="/fedwasm/loader.js"></script>`, ""))
	b, ctx := openRuntimePage(t, hostURL+"/")
	manifest := jsString(remoteURL + "/mf-enhanced/mf-manifest.json")
	got := eval[string](t, ctx, `(async () => {
		const warned = [];
		const warn = console.warn;
		console.warn = (...args) => { warned.push(args.join(' ')); warn.apply(console, args); };
		await fedwasm.init({ name: 'host', security: { plugins: ['mf'] },
			remotes: [{ name: 'mf', entry: `+manifest+` }, { name: 'closed', entry: `+manifest+` + '?closed' }],
			plugins: [{ name: 'auth',
				fetch: (url, init) => fetch(url, { ...init, headers: { Authorization: 'Bearer t0k3n' } }),
				loadRemoteSnapshot() {} }] });
		const loaded = await fedwasm.loadRemote('mf/Recommendations').then((m) => typeof m, (e) => e.code + ' ' + e.message);
		const closed = await fedwasm.loadRemote('closed/Recommendations').then((m) => typeof m, (e) => e.code);
		const warnings = fedwasm.inspect().warnings.filter((w) => w.code.startsWith('PLUGIN')).map((w) => w.code + ' ' + w.details.hook).sort().join();
		fedwasm.use({ name: 'auth', loadRemoteSnapshot() {} }); // the same plugin again: ignored, not warned again
		const onConsole = warned.filter((w) => w.includes('PLUGIN_HOOK_UNSUPPORTED') && w.includes('loadRemoteSnapshot')).length;
		return [loaded, closed, warnings, 'console ' + onConsole].join('; ') })()`)
	if want := "object; REMOTE_LOAD_FAILED; PLUGIN_HOOK_UNSUPPORTED loadRemoteSnapshot,PLUGIN_NOT_ALLOWED fetch; console 1"; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	_ = b.Problems() // the closed remote's 401 is logged by Chromium
}
