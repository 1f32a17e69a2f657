//go:build e2e

package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// The adversarial suite, as a hostile page would try it: every API entry
// point called with hostile arguments, and the built-ins the runtime relies
// on replaced under it. After every call the runtime must still answer, and
// every failure must be a coded Error, settled in time. Each class logs one
// line "adversarial class=… inputs=N failures=F crashes=C" (a crash: the
// runtime stopped answering).

// adversaryJS defines window.adversary in the page: the hostile values, the
// API calls and the runner shared by the classes below.
const adversaryJS = `(() => {
	const boom = () => { throw new Error('hostile'); };
	const trap = new Proxy({}, { get: boom, has: boom, ownKeys: boom, getPrototypeOf: boom, getOwnPropertyDescriptor: boom });
	const hugeLength = new Proxy([], { get: (t, k) => (k === 'length' ? 1e9 : 'x') });
	let deep = [];
	for (let i = 0; i < 10000; i++) deep = [deep];
	const cyclic = {}; cyclic.self = cyclic;
	const values = {
		undefined: undefined, null: null, true: true, zero: 0, negative: -1, NaN: NaN, Infinity: Infinity,
		huge: 1e308, empty: '', space: ' ', nul: '\u0000', long: 'x'.repeat(100000), proto: '__proto__',
		constructor: 'constructor', symbol: Symbol('s'), bigint: 10n, fn: () => {}, object: {}, array: [],
		nullProto: Object.create(null), thenable: { then: boom }, trap, hugeLength,
		manyStrings: Array(100000).fill('nope'), deep, cyclic,
		getter: Object.defineProperty({}, 'name', { get: boom, enumerable: true }),
		throwingToJSON: { toJSON: boom }, throwingToString: { toString: boom, valueOf: boom },
		map: new Map([[1, 2]]), set: new Set([1]), buffer: new ArrayBuffer(8), bytes: new Uint8Array(4),
		date: new Date(NaN), regexp: /re/, element: document.createElement('div'), window,
		frozen: Object.freeze({ name: 'x' }), rejected: Promise.reject(new Error('r')).catch(() => {}) && Promise.reject(new Error('r')),
	};
	values.rejected.catch(() => {});
	// A valid argument list per entry point: the hostile value replaces one
	// argument at a time.
	const calls = {
		init: [{ name: 'again' }],
		initOptions: [{ name: 'shell', remotes: [{ name: 'later', entry: 'http://127.0.0.1:9/remoteEntry.js' }] }],
		registerShared: [{ lib: [{ version: '1.0.0', lib: () => ({}) }] }],
		loadShare: ['react', { requiredVersion: '*' }],
		loadShareSync: ['react', { requiredVersion: '*' }],
		shareScope: ['default'],
		registerRemotes: [[{ name: 'r', entry: 'http://127.0.0.1:9/remoteEntry.js' }]],
		loadRemote: ['nowhere/Thing'],
		preloadRemote: [[{ nameOrAlias: 'nowhere' }]],
		inspect: [],
		'stores.provide': ['adversary-store', { getState() {}, setState() {}, subscribe() { return () => {}; } }, { owner: 'adversary' }],
		'stores.get': ['never', { timeoutMs: 10 }],
		'events.on': ['adversary:event', () => {}, { owner: 'adversary' }],
		'events.emit': ['adversary:event', { n: 1 }],
		'query.connect': [{}, { owner: 'adversary' }],
		'query.invalidate': [['k']],
		use: [{ name: 'adversary-plugin' }],
		scope: ['adversary-scope'],
		mount: ['nowhere/Thing', document.createElement('div')],
	};
	// Calls that may wait by contract when the hostile value replaces an
	// argument: stores.get without its timeoutMs waits for the store as long
	// as its default timeout.
	const mayWait = new Set(['stores.get argument 2']);
	const at = (path) => path.split('.').reduce((o, k) => o[k], fedwasm);
	const holder = (path) => (path.includes('.') ? fedwasm[path.split('.')[0]] : fedwasm);
	const withTimeout = (p, ms) => Promise.race([p.then(() => ({ settled: true, ok: true }), (e) => ({ settled: true, error: e })),
		new Promise((r) => setTimeout(() => r({ settled: false }), ms))]);
	// healthy reports whether the runtime still answers a plain call.
	const healthy = () => {
		try {
			const r = fedwasm.inspect();
			return r !== null && typeof r === 'object' ? '' : 'inspect() returned ' + typeof r;
		} catch (e) {
			return 'inspect() threw: ' + (e && e.message);
		}
	};
	const coded = (e) => e instanceof Error && typeof e.code === 'string' && /^[A-Z_]+$/.test(e.code);
	// run calls path with args and checks the outcome and the runtime after it.
	const run = async (stats, label, path, args) => {
		stats.inputs++;
		let problem = '';
		try {
			const out = at(path).apply(holder(path), args);
			if (out && typeof out.then === 'function') {
				const r = await withTimeout(out, 2000);
				if (!r.settled && !mayWait.has(label.split(' = ')[0])) problem = 'still pending after 2 s';
				else if (r.error !== undefined && !coded(r.error)) problem = 'rejected with an uncoded ' + String(r.error && (r.error.stack || r.error));
			}
		} catch (e) {
			if (!coded(e)) problem = 'threw an uncoded ' + String(e && (e.stack || e));
		}
		const health = healthy();
		if (health !== '') {
			stats.crashes++;
			problem = (problem ? problem + '; ' : '') + 'then the runtime did not answer: ' + health;
		}
		if (problem !== '') {
			stats.failures++;
			if (stats.samples.length < 400) stats.samples.push(label + ': ' + problem.slice(0, 400));
		}
	};
	window.adversary = { values, calls, run, healthy };
	return true;
})()`

func TestAdversarialAPI(t *testing.T) {
	p, _ := serveStatePage(t)
	// Thousands of calls, each awaited: more time than the page's own 90 s.
	tab, cancel := context.WithTimeout(p.browser.Context(), 10*time.Minute)
	defer cancel()
	eval[bool](t, tab, adversaryJS)
	stats := eval[adversaryStats](t, tab, `(async () => {
		const stats = { inputs: 0, failures: 0, crashes: 0, samples: [] };
		for (const [path, args] of Object.entries(adversary.calls)) {
			for (let i = 0; i <= args.length; i++) {
				for (const [name, value] of Object.entries(adversary.values)) {
					const hostile = args.slice();
					hostile[i] = value;
					await adversary.run(stats, path + ' argument ' + (i + 1) + ' = ' + name, path, hostile);
				}
			}
		}
		// loadShare's scope option takes a list: each hostile value as the
		// option and as an item of the list.
		for (const path of ['loadShare', 'loadShareSync']) {
			for (const [name, value] of Object.entries(adversary.values)) {
				await adversary.run(stats, path + ' option scope = ' + name, path, ['react', { scope: value }]);
				await adversary.run(stats, path + ' option scope = [default, ' + name + ']', path, ['react', { scope: ['default', value] }]);
			}
		}
		return stats;
	})()`)
	stats.report(t, "api")
}

func TestAdversarialIntrinsics(t *testing.T) {
	_, tab := serveStatePage(t)
	eval[bool](t, tab, adversaryJS)
	stats := eval[adversaryStats](t, tab, `(async () => {
		const stats = { inputs: 0, failures: 0, crashes: 0, samples: [] };
		const boom = () => { throw new Error('replaced'); };
		// Each patch replaces built-ins the runtime uses, and returns how to undo it.
		const replace = (object, key, value) => { const old = object[key]; object[key] = value; return () => { object[key] = old; }; };
		const patches = {
			'window.Promise': () => replace(window, 'Promise', boom),
			'Promise.withResolvers': () => replace(Promise, 'withResolvers', boom),
			'Promise.prototype.then': () => replace(Promise.prototype, 'then', boom),
			'JSON.parse': () => replace(JSON, 'parse', boom),
			'JSON.stringify': () => replace(JSON, 'stringify', boom),
			'window.Error': () => replace(window, 'Error', 1),
			'Reflect.get': () => replace(Reflect, 'get', boom),
			'Object.keys': () => replace(Object, 'keys', boom),
			'Object.assign': () => replace(Object, 'assign', boom),
			'Array.isArray': () => replace(Array, 'isArray', boom),
			'Function.prototype.bind': () => replace(Function.prototype, 'bind', boom),
			'window.setTimeout': () => replace(window, 'setTimeout', boom),
			'Date.now': () => replace(Date, 'now', boom),
			'window.CustomEvent': () => replace(window, 'CustomEvent', boom),
			'window.dispatchEvent': () => replace(window, 'dispatchEvent', boom),
			'window.BroadcastChannel': () => replace(window, 'BroadcastChannel', boom),
			'window.fetch': () => replace(window, 'fetch', boom),
			'window.URL': () => replace(window, 'URL', boom),
			'console.warn': () => replace(console, 'warn', boom),
		};
		// Under each patch, each entry point once with its valid arguments; the
		// patch is undone before the outcome is awaited past its first turn.
		for (const [name, patch] of Object.entries(patches)) {
			for (const [path, args] of Object.entries(adversary.calls)) {
				const undo = patch();
				let out;
				try {
					out = (path.includes('.') ? fedwasm[path.split('.')[0]][path.split('.')[1]] : fedwasm[path]).apply(null, args);
				} catch (e) {
					out = e;
				} finally {
					undo();
				}
				await adversary.run(stats, name + ' replaced, then ' + path, 'inspect', []);
				if (out && typeof out.then === 'function') {
					const settled = await Promise.race([out.then(() => true, () => true), new Promise((r) => setTimeout(() => r(false), 2000))]);
					if (!settled) { stats.failures++; stats.samples.length < 400 && stats.samples.push(name + ' replaced, then ' + path + ': still pending after 2 s'); }
				} else if (out instanceof Error && !(typeof out.code === 'string')) {
					stats.failures++;
					stats.samples.length < 400 && stats.samples.push(name + ' replaced, then ' + path + ': threw an uncoded ' + String(out.stack || out).slice(0, 300));
				}
			}
		}
		return stats;
	})()`)
	stats.report(t, "intrinsics")
}

// adversaryStats is what a class of the adversarial suite counted.
type adversaryStats struct {
	Inputs   int      `json:"inputs"`
	Failures int      `json:"failures"`
	Crashes  int      `json:"crashes"`
	Samples  []string `json:"samples"`
}

// report logs the class's summary line and fails on any failure or crash.
func (s adversaryStats) report(t *testing.T, class string) {
	t.Helper()
	t.Logf("adversarial class=%s inputs=%d failures=%d crashes=%d", class, s.Inputs, s.Failures, s.Crashes)
	if s.Inputs == 0 {
		t.Fatal("no inputs were tried")
	}
	if s.Failures > 0 || s.Crashes > 0 {
		t.Errorf("%d of %d hostile inputs broke a rule (%d crashed the runtime); the first:\n%s", s.Failures, s.Inputs, s.Crashes, strings.Join(s.Samples, "\n"))
	}
}

// adversaryEarlyJS makes every hostile call of the api class at
// DOMContentLoaded, while the runtime is held back: each goes to the loader's
// stand-in, which throws at once or holds it in line until the runtime runs.
const adversaryEarlyJS = adversaryJS + `;
addEventListener('DOMContentLoaded', () => {
	const at = (path) => path.split('.').reduce((o, k) => o[k], fedwasm);
	const holder = (path) => (path.includes('.') ? fedwasm[path.split('.')[0]] : fedwasm);
	window.early = { running: adversary.healthy() === '', calls: [] };
	for (const [path, args] of Object.entries(adversary.calls)) {
		for (let i = 0; i <= args.length; i++) {
			for (const [name, value] of Object.entries(adversary.values)) {
				const hostile = args.slice();
				hostile[i] = value;
				const call = { label: path + ' argument ' + (i + 1) + ' = ' + name };
				try {
					call.out = at(path).apply(holder(path), hostile);
				} catch (e) {
					call.threw = e;
				}
				early.calls.push(call);
			}
		}
	}
});`

// TestAdversarialBeforeTheRuntime replays the api class before the runtime
// runs (its download held back): every hostile call to the loader's stand-in
// throws a coded Error at once, or waits and settles once the runtime runs
// (coded if it fails, within 2 s of the runtime answering); and the runtime
// answers after them all.
func TestAdversarialBeforeTheRuntime(t *testing.T) {
	p, _ := serveStatePage(t)
	tab, cancel := context.WithTimeout(p.browser.Context(), 5*time.Minute)
	defer cancel()
	var started bool
	if err := chromedp.Run(tab, holdRuntime(tab, time.Second),
		chromedp.ActionFunc(func(ctx context.Context) error {
			_, err := page.AddScriptToEvaluateOnNewDocument(adversaryEarlyJS).Do(ctx)
			return err
		}),
		chromedp.Navigate(p.url),
		chromedp.Poll(runtimeReady+` && window.early !== undefined`, &started, chromedp.WithPollingTimeout(60*time.Second)),
	); err != nil {
		t.Fatalf("the state page did not start with the runtime held back: %v; page problems: %v", err, p.browser.Problems())
	}
	stats := eval[adversaryStats](t, tab, `(async () => {
		const stats = { inputs: 0, failures: 0, crashes: 0, samples: [] };
		const coded = (e) => e instanceof Error && typeof e.code === 'string' && /^[A-Z_]+$/.test(e.code);
		const mayWait = new Set(['stores.get argument 2']);
		const fail = (label, problem) => { stats.failures++; if (stats.samples.length < 400) stats.samples.push(label + ': ' + problem.slice(0, 400)); };
		if (early.running) fail('setup', 'the runtime answered at DOMContentLoaded although its download was held back');
		const settled = await Promise.all(early.calls.map((c) => (c.out && typeof c.out.then === 'function'
			? Promise.race([c.out.then(() => ({ ok: true }), (e) => ({ error: e })), new Promise((r) => setTimeout(() => r({ pending: true }), 2000))])
			: null)));
		early.calls.forEach((c, i) => {
			stats.inputs++;
			if ('threw' in c && !coded(c.threw)) fail(c.label, 'threw an uncoded ' + String(c.threw && (c.threw.stack || c.threw)));
			const s = settled[i];
			if (s && s.pending && !mayWait.has(c.label.split(' = ')[0])) fail(c.label, 'still pending 2 s after the runtime ran');
			if (s && 'error' in s && !coded(s.error)) fail(c.label, 'rejected with an uncoded ' + String(s.error && (s.error.stack || s.error)));
		});
		const health = adversary.healthy();
		if (health !== '') { stats.crashes++; fail('after all calls', 'the runtime did not answer: ' + health); }
		return stats;
	})()`)
	stats.report(t, "early")
}
