//go:build e2e

package e2e

import (
	"strconv"
	"strings"
	"testing"

	"github.com/fedwasm/fedwasm/internal/browser"
)

// adversarialOwnerSetup is what the demo page holds before the hostile
// calls: a team that claimed its owner ("cart-team") with a store and a
// listener, a hostile scope of its own, a count of the auth:logout events
// the page sees, and adv.code(f), which runs f and answers with the code it
// failed with ("accepted" when it did not fail, "uncoded <name>" for an
// Error without a code).
const adversarialOwnerSetup = `(() => {
	window.adv = {
		code: async (f) => {
			try { await f(); return 'accepted'; }
			catch (e) { return e && typeof e.code === 'string' ? e.code : 'uncoded ' + String(e && e.name); }
		},
		victim: fedwasm.scope('cart-team'),
		hostile: fedwasm.scope('hostile'),
		owners: () => JSON.stringify(fedwasm.inspect().broker.owners['cart-team'] ?? null),
		storeOwner: (name) => fedwasm.inspect().stores.find((s) => s.name === name)?.owner ?? 'none',
		notOwnerDrops: () => fedwasm.inspect().broker.dropped['not-owner'] ?? 0,
		logouts: 0,
	};
	adv.victim.stores.provide('cart-team-state', { getState() { return 1; }, subscribe() { return () => {}; } });
	adv.victim.events.on('cart-team:ping', () => {});
	fedwasm.events.on('auth:logout', () => { adv.logouts++; });
	return true })()`

// adversarialHealthy is a normal call after each hostile one: the host's
// store and the shared zustand still answer, and the runtime is running.
const adversarialHealthy = `(async () => {
	const [cart, zustand] = await Promise.all([fedwasm.stores.get('cart', { timeoutMs: 2000 }), fedwasm.loadShare('zustand')]);
	return cart === demo.cart && zustand === demo.zustand && fedwasm.inspect().ready === true && !document.querySelector('#fedwasm-error');
})()`

// forgedLogout posts an auth:logout envelope on the runtime's channel as
// another tab would (a BroadcastChannel of the page is another context to
// the runtime's own), with sender as its owner ("" for none), and answers
// with the drop warning's code, the not-owner drops it added and the
// auth:logout events delivered.
func forgedLogout(sender string) string {
	owner := ""
	if sender != "" {
		owner = `, owner: ` + jsString(sender)
	}
	return `(async () => {
		const drops = adv.notOwnerDrops(), logouts = adv.logouts;
		const ch = new BroadcastChannel('fedwasm:events');
		ch.postMessage({ v: 2, tab: 'hostile-tab', text: JSON.stringify({ v: 2, type: 'auth:logout', tab: 'hostile-tab'` + owner + `, detail: { forged: true } }) });
		ch.close();
		for (let i = 0; i < 200 && adv.notOwnerDrops() === drops; i++) await new Promise((r) => setTimeout(r, 10));
		const warning = fedwasm.inspect().warnings.find((w) => w.details && w.details.reason === 'not-owner');
		return (warning ? warning.code : 'no warning') + ' ' + (adv.notOwnerDrops() - drops) + ' ' + (adv.logouts - logouts) })()`
}

// TestAdversarialOwnership replays, as a hostile page would, every way the
// adversarial pass found to act as another owner: claiming a held owner,
// disposing another team's scope, providing over the host's store, naming
// an owner or a scope id in the options, emitting another owner's event
// type in the page and from "another tab", replacing window.fedwasm or the
// loader's hooks, hijacking a remote with a plugin, re-initializing the
// page, and spying on the built-ins the wrappers call. Each must be refused
// with its code (or, where the call is harmless, shown to change nothing),
// and a normal call must still answer afterwards.
func TestAdversarialOwnership(t *testing.T) {
	d, b, ctx := startDemo(t)
	eval[bool](t, ctx, adversarialOwnerSetup)

	type adversarialCase struct{ name, expr, want string }
	cases := []adversarialCase{
		// A scope for an owner is obtained once.
		{"a second claim of a team's owner", `adv.code(() => fedwasm.scope('cart-team'))`, "OWNER_CLAIMED"},
		{"disposing a team's scope from outside", `(async () => (await adv.code(() => fedwasm.scope('cart-team').dispose())) + ' ' + adv.storeOwner('cart-team-state'))()`, "OWNER_CLAIMED cart-team"},
		{"claiming the host's name", `adv.code(() => fedwasm.scope('shell'))`, "OWNER_CLAIMED"},
		{"claiming a remote's name", `adv.code(() => fedwasm.scope('cart'))`, "OWNER_CLAIMED"},
		{"claiming the page's own name", `adv.code(() => fedwasm.scope('(page)'))`, "INVALID_ARGUMENT"},
		{"registering a remote under a team's name", `adv.code(() => fedwasm.registerRemotes([{ name: 'cart-team', entry: ` + jsString(d.RemoteURL+"/badge.js") + `, type: 'esm' }]))`, "OWNER_CLAIMED"},
		{"registering a remote under the host's name", `adv.code(() => fedwasm.registerRemotes([{ name: 'shell', entry: ` + jsString(d.RemoteURL+"/badge.js") + `, type: 'esm' }]))`, "OWNER_CLAIMED"},
		// Owners never default to the host's name.
		{"providing the host's store without an owner", `(async () => (await adv.code(() => fedwasm.stores.provide('cart', {}))) + ' ' + ((await fedwasm.stores.get('cart')) === demo.cart))()`, "STORE_OWNED true"},
		{"providing the host's store as the host", `(async () => (await adv.code(() => fedwasm.stores.provide('cart', {}, { owner: 'shell' }))) + ' ' + ((await fedwasm.stores.get('cart')) === demo.cart))()`, "STORE_OWNED true"},
		{"providing the host's QueryClient", `adv.code(() => fedwasm.stores.provide('queryClient', {}))`, "STORE_OWNED"},
		{"the page naming the host for a store the config does not give it", `adv.code(() => fedwasm.stores.provide('loot', {}, { owner: 'shell' }))`, "OWNER_NOT_HELD"},
		{"the page naming a team", `adv.code(() => fedwasm.stores.provide('cart-team-state', {}, { owner: 'cart-team' }))`, "OWNER_NOT_HELD"},
		{"a scope naming another team", `adv.code(() => adv.hostile.stores.provide('loot', {}, { owner: 'cart-team' }))`, "OWNER_NOT_HELD"},
		{"a scope providing the host's store", `adv.code(() => adv.hostile.stores.provide('cart', {}))`, "STORE_OWNED"},
		{"a scope providing a team's store", `(async () => (await adv.code(() => adv.hostile.stores.provide('cart-team-state', {}))) + ' ' + adv.storeOwner('cart-team-state'))()`, "STORE_OWNED cart-team"},
		{"a scope listening as another team", `adv.code(() => adv.hostile.events.on('adv:x', () => {}, { owner: 'cart-team' }))`, "OWNER_NOT_HELD"},
		{"the page listening as another team", `adv.code(() => fedwasm.events.on('adv:x', () => {}, { owner: 'cart-team' }))`, "OWNER_NOT_HELD"},
		{"the page connecting a QueryClient as another team", `(async () => { const { QueryClient } = await fedwasm.loadShare('@tanstack/query-core');
			return adv.code(() => fedwasm.query.connect(new QueryClient(), { owner: 'cart-team', handoffTimeoutMs: 0 })) })()`, "OWNER_NOT_HELD"},
		// Event types can be owned.
		{"a scope emitting the host's auth:logout", `(async () => { const n = adv.logouts; return (await adv.code(() => adv.hostile.events.emit('auth:logout', {}))) + ' ' + (adv.logouts - n) })()`, "EVENT_OWNED 0"},
		{"a scope emitting the host's auth:logout to every tab", `(async () => { const n = adv.logouts; return (await adv.code(() => adv.hostile.events.emit('auth:logout', {}, { crossTab: true }))) + ' ' + (adv.logouts - n) })()`, "EVENT_OWNED 0"},
		{"a team emitting the cart remote's order:placed", `adv.code(() => adv.victim.events.emit('order:placed', {}))`, "EVENT_OWNED"},
		{"the page emitting the cart remote's order:placed", `adv.code(() => fedwasm.events.emit('order:placed', {}))`, "EVENT_OWNED"},
		{"dispatching a look-alike auth:logout on window", `(() => { const n = adv.logouts;
			window.dispatchEvent(new CustomEvent('fedwasm:auth:logout', { detail: { forged: true } }));
			return String(adv.logouts - n) })()`, "0"},
		{"another tab sending auth:logout as another owner", forgedLogout("hostile"), "CROSS_TAB_MESSAGE_DROPPED 1 0"},
		{"another tab sending auth:logout without a sender", forgedLogout(""), "CROSS_TAB_MESSAGE_DROPPED 1 0"},
		// window.fedwasm and the loader's hooks are out of reach.
		{"assigning window.fedwasm", `(() => { 'use strict'; const api = window.fedwasm; let r = 'assigned';
			try { window.fedwasm = { hijacked: true }; } catch (e) { r = e.name; } return r + ' ' + (window.fedwasm === api) })()`, "TypeError true"},
		{"deleting window.fedwasm", `(() => { 'use strict'; const api = window.fedwasm; let r = 'deleted';
			try { delete window.fedwasm; } catch (e) { r = e.name; } return r + ' ' + (window.fedwasm === api) })()`, "TypeError true"},
		{"redefining window.fedwasm", `(() => { const api = window.fedwasm; let r = 'redefined';
			try { Object.defineProperty(window, 'fedwasm', { value: {} }); } catch (e) { r = e.name; } return r + ' ' + (window.fedwasm === api) })()`, "TypeError true"},
		{"replacing fedwasm.loadRemote", `(() => { 'use strict'; try { fedwasm.loadRemote = () => 'HIJACKED'; return 'replaced' } catch (e) { return e.name } })()`, "TypeError"},
		{"replacing fedwasm.stores.provide", `(() => { 'use strict'; try { fedwasm.stores.provide = () => {}; return 'replaced' } catch (e) { return e.name } })()`, "TypeError"},
		{"replacing a scope's method", `(() => { 'use strict'; try { adv.hostile.events.emit = () => {}; return 'replaced' } catch (e) { return e.name } })()`, "TypeError"},
		{"reaching the loader's hooks", `typeof window.__fedwasm_host + ' ' + Object.getOwnPropertyNames(window).filter((k) => k.startsWith('__fedwasm')).length`, "undefined 0"},
		{"initializing the page again", `adv.code(() => fedwasm.init({ name: 'evil', remotes: [] }))`, "ALREADY_INITIALIZED"},
		{"spying on Function.prototype.apply during calls", `(() => { const apply = Function.prototype.apply; let seen = 0;
			Function.prototype.apply = function (...a) { seen++; return Reflect.apply(apply, this, a); };
			try { adv.hostile.events.on('adv:y', () => {})(); fedwasm.events.emit('adv:y', 1); adv.hostile.stores.provide('adv-apply', {}); fedwasm.inspect(); }
			finally { Function.prototype.apply = apply; }
			return String(seen) })()`, "0"},
		{"spying on Function.prototype.bind while a scope is made", `(() => { const bind = Function.prototype.bind; let seen = 0;
			Function.prototype.bind = function (...a) { seen++; return Reflect.apply(bind, this, a); };
			try { fedwasm.scope('adv-bind').dispose(); } finally { Function.prototype.bind = bind; }
			return String(seen) })()`, "0"},
		// A plugin cannot replace another team's remote.
		{"a plugin replacing, redirecting and relocating the cart remote", `(async () => {
			fedwasm.use({ name: 'hijack', onLoad: () => () => 'HIJACKED', beforeRequest: (a) => ({ ...a, id: 'products' }),
				afterResolve: (a) => ({ ...a, remoteInfo: { ...a.remoteInfo, entry: 'http://127.0.0.1:9/evil.js' } }) });
			const m = await fedwasm.loadRemote('cart');
			const hooks = fedwasm.inspect().warnings.filter((w) => w.code === 'PLUGIN_NOT_ALLOWED' && w.details.plugin === 'hijack').map((w) => w.details.hook).sort().join(',');
			return (m === demo.remote ? 'cart' : typeof m === 'function' ? m() : 'another module') + ' PLUGIN_NOT_ALLOWED ' + hooks })()`,
			"cart PLUGIN_NOT_ALLOWED afterResolve,beforeRequest,onLoad"},
	}
	// The scope of a call is bound to the scope's methods, never an option:
	// every scope id a page could guess lands in the page's own registrations.
	for id := 1; id <= 12; id++ {
		n := strconv.Itoa(id)
		cases = append(cases,
			adversarialCase{"events.on with __fedwasmScope " + n, `(() => { const before = adv.owners();
				const off = fedwasm.events.on('adv:x', () => {}, { __fedwasmScope: ` + n + ` }); const after = adv.owners(); off();
				return before === after ? 'the page' : 'in the scope: ' + after })()`, "the page"},
			adversarialCase{"stores.provide with __fedwasmScope " + n, `(() => { fedwasm.stores.provide('adv-store-` + n + `', {}, { __fedwasmScope: ` + n + ` });
				return adv.storeOwner('adv-store-` + n + `') })()`, "(page)"},
			adversarialCase{"query.connect with __fedwasmScope " + n, `(async () => { const { QueryClient } = await fedwasm.loadShare('@tanstack/query-core');
				const before = adv.owners(); const off = fedwasm.query.connect(new QueryClient(), { __fedwasmScope: ` + n + `, handoffTimeoutMs: 0 });
				const after = adv.owners(); off(); return before === after ? 'the page' : 'in the scope: ' + after })()`, "the page"},
		)
	}

	var failures, crashes int
	for _, c := range cases {
		var got string
		if err := browser.Eval(ctx, c.expr, &got); err != nil {
			got = "threw: " + err.Error()
		}
		if got != c.want {
			failures++
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
		if strings.HasPrefix(got, "uncoded") {
			t.Errorf("%s: an uncoded error: %s", c.name, got)
		}
		var healthy bool
		if err := browser.Eval(ctx, adversarialHealthy, &healthy); err != nil || !healthy {
			crashes++
			t.Errorf("after %s the runtime does not answer a normal call (%v)", c.name, err)
		}
	}
	t.Logf("adversarial class=ownership inputs=%d failures=%d crashes=%d", len(cases), failures, crashes)
	// The page logs the refused plugin hooks and the dropped messages as
	// warnings; nothing else.
	for _, p := range b.Problems() {
		if !strings.Contains(p, "PLUGIN_NOT_ALLOWED") && !strings.Contains(p, "CROSS_TAB_MESSAGE_DROPPED") && !d.KnownProblem(p) {
			t.Errorf("the page logged: %s", p)
		}
	}
}
