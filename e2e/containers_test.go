//go:build e2e

package e2e

import (
	"strings"
	"testing"
)

// TestFedwasmLoadsRealContainers loads the webpack 5 var and module
// containers and the MF 2.0 manifest remote (built from npm by ./build.sh)
// through fedwasm.loadRemote in the demo host: each exposed module renders
// with the host's React and the host's cart store, none downloads its own
// copy of a singleton, and a remote consuming another remote sees the same store.
func TestFedwasmLoadsRealContainers(t *testing.T) {
	d, b, ctx := startDemo(t)
	fixtures := jsString(d.RemoteURL + "/fixtures")
	eval[bool](t, ctx, `(() => { const f = `+fixtures+`;
		const scope = fedwasm.shareScope();
		window.hostEntries = Object.fromEntries(['react', 'react-dom', 'react-dom/client', 'zustand']
			.map((p) => [p, Object.values(scope[p])]));
		fedwasm.registerRemotes([
			{ name: 'wp-var', entry: f + '/wp-var/remoteEntry.js', type: 'var', entryGlobalName: 'wp_var' },
			{ name: 'wp-module', entry: f + '/wp-module/remoteEntry.mjs', type: 'module' },
			{ name: 'mf-enhanced', entry: f + '/mf-enhanced/mf-manifest.json' },
		]);
		demo.cart.getState().add({ id: 'kb', name: 'Mechanical keyboard', price: 89 }, 12); // at most the 12 in stock
		return true })()`)
	for _, c := range []struct{ id, owner string }{
		{"wp-var/ProductList", "wp-var"},
		{"wp-module/CartSummary", "wp-module"},
		{"mf-enhanced/Recommendations", "mf-enhanced"},
	} {
		t.Run(c.id, func(t *testing.T) {
			got := eval[string](t, ctx, `(async () => {
				const el = document.createElement('section'); document.body.append(el);
				const mod = await fedwasm.loadRemote(`+jsString(c.id)+`);
				const scope = fedwasm.scope(`+jsString("page:"+c.owner)+`); // the remote's own name is held for fedwasm.mount
				const handle = await mod.mount(el, {}, scope);
				await new Promise((r) => setTimeout(r, 50));
				const r = handle.received;
				const same = {
					react: r.React === await fedwasm.loadShare('react'),
					createRoot: r.createRoot === (await fedwasm.loadShare('react-dom/client')).createRoot,
					zustand: r.createStore === demo.zustand.createStore,
					store: r.store === demo.cart,
				};
				const rendered = el.textContent.includes('Mechanical keyboard');
				handle.unmount(); scope.dispose(); el.remove();
				return JSON.stringify({ same, rendered }) })()`)
			if got != `{"same":{"react":true,"createRoot":true,"zustand":true,"store":true},"rendered":true}` {
				t.Errorf("got %s", got)
			}
		})
	}
	t.Run("a remote consuming another remote sees the same store", func(t *testing.T) {
		got := eval[string](t, ctx, `(async () => {
			const el = document.createElement('section'); document.body.append(el);
			const consumer = await fedwasm.loadRemote('wp-module/Consumer');
			const scope = fedwasm.scope('page:wp-module');
			const handle = await consumer.mount(el, {}, scope);
			const same = handle.store === demo.cart;
			handle.unmount(); scope.dispose(); el.remove();
			return String(same) })()`)
		if got != "true" {
			t.Errorf("the store the consuming remote got is the host's: %s", got)
		}
	})
	t.Run("no remote downloaded its own singleton", func(t *testing.T) {
		own := eval[[]string](t, ctx, `performance.getEntriesByType('resource').map((e) => e.name)
			.filter((n) => n.includes('/fixtures/') && /node_modules_(react|zustand)|react-dom|zustand/.test(n.split('/').pop()))`)
		if len(own) > 0 {
			t.Errorf("remotes fetched their own copies: %s", strings.Join(own, ", "))
		}
		loaded := eval[[]string](t, ctx, `performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.includes('/fixtures/'))`)
		t.Logf("fetched from the fixtures: %s", strings.Join(loaded, ", "))
	})
	t.Run("inspect names the containers that took the host's singletons", func(t *testing.T) {
		// webpack's and MF 2.0's runtimes take entries from the live scope by
		// their own rules; each took the host's copy of every singleton.
		got := eval[string](t, ctx, `JSON.stringify(['react', 'react-dom/client', 'zustand'].map((p) => {
			const s = fedwasm.inspect().shares.find((x) => x.package === p);
			const host = s.providers.find((x) => x.from === 'shell');
			return [p, s.consumers.filter((c) => c.rule === 'taken-from-scope')
				.map((c) => c.from + ':' + (c.got === host.version && c.gotFrom === 'shell')).sort(), host.inUse] }))`)
		want := `[["react",["mf-enhanced:true","wp-module:true","wp-var:true"],true],` +
			`["react-dom/client",["mf-enhanced:true","wp-module:true","wp-var:true"],true],` +
			`["zustand",["mf-enhanced:true","wp-module:true","wp-var:true"],true]]`
		if got != want {
			t.Errorf("containers that took each share = %s\nwant %s", got, want)
		}
	})
	t.Run("the live scope keeps the host's entries", func(t *testing.T) {
		// The containers' init registered their own copies; the host's loaded
		// entries kept their slots, so every singleton is the host's. (An MF 2.0
		// container rewrites 'from' on the entry it uses, in place: the entry
		// object is still fedwasm's, as is its module.)
		got := eval[string](t, ctx, `JSON.stringify(Object.entries(hostEntries).map(([p, before]) => {
			const s = fedwasm.inspect().shares.find((x) => x.package === p);
			const live = Object.values(fedwasm.shareScope()[p]);
			return [p, s.providers.map((x) => x.from + ':' + x.loaded), live.length === 1 && live[0] === before[0]] }))`)
		want := `[["react",["shell:true"],true],["react-dom",["shell:true"],true],` +
			`["react-dom/client",["shell:true"],true],["zustand",["shell:true"],true]]`
		if got != want {
			t.Errorf("providers and live entries = %s\nwant %s", got, want)
		}
	})
	noProblems(t, b)
}
