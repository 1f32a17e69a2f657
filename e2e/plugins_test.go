//go:build e2e

package e2e

import (
	"testing"

	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/internal/demo"
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
