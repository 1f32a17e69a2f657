//go:build e2e

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/federation/limits"
	"github.com/fedwasm/fedwasm/internal/browser"
	"github.com/fedwasm/fedwasm/internal/demo"
)

// earlyCallsJS runs in the demo's page at DOMContentLoaded, while the
// runtime's download is held back: window.fedwasm is the loader's stand-in,
// and every call below is made before the runtime runs.
const earlyCallsJS = `document.addEventListener('DOMContentLoaded', () => {
	const code = (f) => { try { f(); return 'answered'; } catch (err) { return err.code || String(err); } };
	const heard = [];
	const store = { getState: () => ({ n: 1 }), subscribe: () => () => {} };
	const team = fedwasm.scope('early-team');
	window.early = {
		order: [],
		heard,
		inspect: code(() => fedwasm.inspect()),
		shareScope: code(() => fedwasm.shareScope()),
		version: fedwasm.version,
		owner: team.owner,
	};
	const order = (what, p) => p.then((v) => { early.order.push(what); return v; }, (err) => { early.order.push(what); throw err; });
	early.zustand = order('loadShare', fedwasm.loadShare('zustand'));
	fedwasm.stores.provide('early', store, { version: '1.0.0' });
	early.got = order('stores.get', fedwasm.stores.get('early')).then((s) => s === store);
	fedwasm.events.on('early:ping', (d) => heard.push(d));
	const undone = fedwasm.events.on('early:ping', (d) => heard.push('undone ' + d));
	undone(); // released before the runtime made it: it never hears anything
	fedwasm.events.emit('early:ping', 1);
	fedwasm.events.emit('early:ping', 2);
	team.stores.provide('early-team-store', store);
	early.teamGot = fedwasm.stores.get('early-team-store').then((s) => s === store);
	early.remote = order('loadRemote', fedwasm.loadRemote('badge')).then((m) => typeof m);
	early.init = fedwasm.init({}).then(() => 'resolved', (err) => err.code);
	early.ready = order('ready', fedwasm.ready).then(() => true);
	early.settled = Promise.allSettled([early.zustand, early.got, early.teamGot, early.remote, early.init, early.ready]);
	early.runningAtDOMContentLoaded = early.inspect === 'answered';
});`

// TestCallsBeforeTheRuntimeRuns holds runtime.wasm's download back for a
// second (DevTools' Fetch domain), so the demo's page, which carries the
// server's snapshot, runs its early script and its bootstrap before Go: every
// call made then is answered once the runtime runs, in order (a promise
// settles, a store provided early is the one got, an event emitted early is
// heard by the listener registered early, a listener released early hears
// nothing, a scope claimed early is its owner's); the calls that answer at
// once throw NOT_INITIALIZED; loadShare of a snapshot package is answered
// before the runtime runs; and the bootstrap starts before fedwasm:ready.
func TestCallsBeforeTheRuntimeRuns(t *testing.T) {
	const hold = time.Second
	b, ctx := bootHeldBack(t, demo.Options{}, hold, earlyCallsJS)
	got := eval[string](t, ctx, `(async () => {
		const settled = await early.settled;
		const zustand = await early.zustand;
		const marks = Object.fromEntries(['fedwasm:loader-start', 'fedwasm:bootstrap-import', 'demo:bootstrap-start', 'fedwasm:go-started', 'fedwasm:ready']
			.map((n) => [n, performance.getEntriesByName(n)[0]?.startTime ?? -1]));
		return JSON.stringify({
			running: early.runningAtDOMContentLoaded, inspect: early.inspect, shareScope: early.shareScope,
			version: early.version === fedwasm.version, owner: early.owner,
			rejected: settled.filter((s) => s.status === 'rejected').map((s) => String(s.reason)),
			sameZustand: zustand === demo.zustand, got: await early.got, teamGot: await early.teamGot,
			remote: await early.remote, init: await early.init, heard: early.heard, order: early.order,
			marks, runningAtBootstrap: demo.runningAtBootstrap, loadedAtBootstrap: demo.loadedAtBootstrap,
			teamOwnsStore: fedwasm.inspect().stores.some((s) => s.name === 'early-team-store' && s.owner === 'early-team'),
		}) })()`)
	var r struct {
		Running                bool
		Inspect, ShareScope    string
		Version                bool
		Owner                  string
		Rejected               []string
		SameZustand, Got       bool
		TeamGot, TeamOwnsStore bool
		Remote, Init           string
		Heard                  []any
		Order                  []string
		Marks                  map[string]float64
		RunningAtBootstrap     bool
		LoadedAtBootstrap      map[string]bool
	}
	if err := json.Unmarshal([]byte(got), &r); err != nil {
		t.Fatalf("page answered %s: %v", got, err)
	}
	t.Logf("marks (ms since navigation, runtime held back %v): %v", hold, r.Marks)
	if r.Running {
		t.Fatal("the runtime answered at DOMContentLoaded although its download was held back; the test did not call early")
	}
	if r.Inspect != "NOT_INITIALIZED" || r.ShareScope != "NOT_INITIALIZED" {
		t.Errorf("inspect() and shareScope() before the runtime ran: %s, %s; want NOT_INITIALIZED", r.Inspect, r.ShareScope)
	}
	if !r.Version || r.Owner != "early-team" {
		t.Errorf("the stand-in's version agrees: %v; a scope claimed early has owner %q, want early-team", r.Version, r.Owner)
	}
	if len(r.Rejected) > 0 {
		t.Errorf("early calls rejected: %v", r.Rejected)
	}
	if !r.SameZustand || !r.Got || !r.TeamGot || !r.TeamOwnsStore || r.Remote != "object" {
		t.Errorf("early answers: same zustand as the bootstrap %v, store provided early got back %v, the scope's store %v (owned by its scope %v), loadRemote gave %s",
			r.SameZustand, r.Got, r.TeamGot, r.TeamOwnsStore, r.Remote)
	}
	if r.Init != "ALREADY_INITIALIZED" {
		t.Errorf("init called early on a data-config page: %s, want ALREADY_INITIALIZED", r.Init)
	}
	if want := []any{1.0, 2.0}; !reflect.DeepEqual(r.Heard, want) {
		t.Errorf("events emitted early were heard as %v, want %v (the listener released early hears nothing)", r.Heard, want)
	}
	if len(r.Order) == 0 || r.Order[0] != "loadShare" {
		t.Errorf("settling order %v: loadShare of a snapshot package should settle first, before the runtime runs", r.Order)
	}
	for pkg, loaded := range r.LoadedAtBootstrap {
		if !loaded {
			t.Errorf("%s: loadShareSync did not answer when the bootstrap started (loaded: %v)", pkg, r.LoadedAtBootstrap)
		}
	}
	if r.RunningAtBootstrap {
		t.Error("the runtime was running when the bootstrap started although its download was held back")
	}
	if m := r.Marks; m["demo:bootstrap-start"] < 0 || m["fedwasm:ready"] < 0 || m["demo:bootstrap-start"] > m["fedwasm:ready"] {
		t.Errorf("the bootstrap should start before fedwasm:ready when the page has the snapshot: %v", m)
	}
	noProblems(t, b)
}

// TestSnapshotThatDisagreesIsReported serves the demo's page with an import
// map that maps zustand elsewhere than the runtime resolves it, and a
// snapshot whose badge entry is another URL (a stale page: DevTools' Fetch
// domain rewrites the server's answer), and loads badge before the runtime
// runs: the runtime reports SNAPSHOT_DISAGREES for zustand and for badge,
// each with both URLs, in inspect() and as a fedwasm:warning event, and the
// host keeps working (the cart and products remotes refuse to mount with two
// zustand instances and say so: what the warning warns about).
func TestSnapshotThatDisagreesIsReported(t *testing.T) {
	d, b, ctx := startDemoWith(t, demo.Options{Wrap: rewritePage(func(page string) string {
		// The page's import map (the first <script type="importmap">)
		// maps zustand to the same file under another URL.
		start := strings.Index(page, `<script type="importmap"`)
		end := strings.Index(page[max(start, 0):], `</script>`)
		if start >= 0 && end >= 0 {
			mapText := page[start : start+end]
			page = page[:start] + strings.Replace(mapText, `zustand.js"`, `zustand.js?stale"`, 1) + page[start+end:]
		}
		// The snapshot's badge remote: its entry under another URL.
		return strings.Replace(page, `badge.js","integrity"`, `badge.js?stale","integrity"`, 1)
	})})
	var booted bool
	if err := chromedp.Run(ctx,
		chromedp.ActionFunc(func(ctx context.Context) error {
			_, err := page.AddScriptToEvaluateOnNewDocument(`window.warned = [];
				addEventListener('fedwasm:warning', (e) => warned.push(e.detail.code + ' ' + (e.detail.details.package || e.detail.details.remote)));
				document.addEventListener('DOMContentLoaded', () => { window.earlyBadge = fedwasm.loadRemote('badge'); });`).Do(ctx)
			return err
		}),
		chromedp.Navigate(d.HostURL+"/"),
		chromedp.Poll(`window.demo !== undefined || document.querySelector('#fedwasm-error') !== null`, &booted, chromedp.WithPollingTimeout(30*time.Second)),
	); err != nil {
		t.Fatalf("the demo did not boot with a stale page: %v; page problems: %v", err, b.Problems())
	}
	got := eval[string](t, ctx, `(async () => JSON.stringify({
		stale: document.querySelector('script[type=importmap]').textContent.includes('zustand.js?stale'),
		earlyBadge: typeof (await earlyBadge).mount,
		warned: window.warned.sort(),
		inspected: fedwasm.inspect().warnings.filter((w) => w.code === 'SNAPSHOT_DISAGREES').map((w) => [w.details.package || w.details.remote, w.details.page.endsWith('?stale'), /(zustand|badge)\.js$/.test(w.details.runtime)]).sort(),
		works: typeof demo.cart.getState().add === 'function' && demo.slots.badge === 'mounted',
	}))()`)
	want := `{"stale":true,"earlyBadge":"function","warned":["SNAPSHOT_DISAGREES badge","SNAPSHOT_DISAGREES zustand"],"inspected":[["badge",true,true],["zustand",true,true]],"works":true}`
	if got != want {
		t.Errorf("with a stale page the page shows %s, want %s", got, want)
	}
}

// bootHeldBack starts the demo with opts and opens its page (the server's, with the
// snapshot) with runtime.wasm's download held back for hold and early
// evaluated in the page before any of its scripts, and waits for the demo's
// bootstrap to finish.
func bootHeldBack(t *testing.T, opts demo.Options, hold time.Duration, early string, also ...heldDownload) (*browser.Browser, context.Context) {
	t.Helper()
	d, b, ctx := startDemoWith(t, opts)
	var booted bool
	if err := chromedp.Run(ctx,
		holdDownloads(ctx, append([]heldDownload{{"/fedwasm/runtime.", hold}}, also...)...),
		chromedp.ActionFunc(func(ctx context.Context) error {
			_, err := page.AddScriptToEvaluateOnNewDocument(early).Do(ctx)
			return err
		}),
		chromedp.Navigate(d.HostURL+"/"),
		chromedp.Poll(`window.demo !== undefined || document.querySelector('#fedwasm-error') !== null`, &booted, chromedp.WithPollingTimeout(30*time.Second)),
	); err != nil {
		t.Fatalf("the demo did not boot with the runtime held back: %v; page problems: %v", err, b.Problems())
	}
	return b, ctx
}

// heldDownload holds each download whose URL contains part back for hold.
type heldDownload struct {
	part string
	hold time.Duration
}

// holdRuntime holds each download of runtime.wasm in ctx back for hold, so
// page code runs before Go.
func holdRuntime(ctx context.Context, hold time.Duration) chromedp.Action {
	return holdDownloads(ctx, heldDownload{"/fedwasm/runtime.", hold})
}

// holdDownloads holds the downloads in ctx that holds name back, each for
// its hold (DevTools' Fetch domain, the HTTP cache off).
func holdDownloads(ctx context.Context, holds ...heldDownload) chromedp.Action {
	chromedp.ListenTarget(ctx, func(ev any) {
		e, ok := ev.(*fetch.EventRequestPaused)
		if !ok {
			return
		}
		var hold time.Duration
		for _, h := range holds {
			if strings.Contains(e.Request.URL, h.part) {
				hold = h.hold
				break
			}
		}
		go func() {
			time.Sleep(hold)
			_ = chromedp.Run(ctx, fetch.ContinueRequest(e.RequestID))
		}()
	})
	patterns := make([]*fetch.RequestPattern, len(holds))
	for i, h := range holds {
		patterns[i] = &fetch.RequestPattern{URLPattern: "*" + h.part + "*"}
	}
	return chromedp.Tasks{network.SetCacheDisabled(true), fetch.Enable().WithPatterns(patterns)}
}

// TestWaitingCallsAreBounded: on a page without data-config, with the
// runtime held back, page code makes calls until the stand-in refuses one
// (LIMIT_EXCEEDED, at limits.WaitingCalls); every call it took is made once
// the runtime runs: the listener registered first hears every emit after it.
func TestWaitingCallsAreBounded(t *testing.T) {
	url, b := servePage(t, `<!doctype html><title>waiting calls</title><link rel="icon" href="data:,"><script src="/fedwasm/loader.js"></script>
<script>
window.flood = { heard: 0, accepted: 0 };
fedwasm.events.on('flood:tick', () => { flood.heard++; });
try {
	for (let i = 0; i < 20000; i++) { fedwasm.events.emit('flood:tick', i); flood.accepted++; }
	flood.refused = 'none';
} catch (err) {
	flood.refused = err.code;
	flood.limit = err.details && err.details.limit;
}
try { fedwasm.inspect(); flood.inspect = 'answered'; } catch (err) { flood.inspect = err.code; }
</script>`)
	ctx, cancel := context.WithTimeout(b.Context(), 60*time.Second)
	defer cancel()
	var got string
	var done bool
	if err := chromedp.Run(ctx, holdRuntime(ctx, time.Second), chromedp.Navigate(url),
		chromedp.Poll(runtimeRunning+` && flood.heard === flood.accepted`, &done, chromedp.WithPollingTimeout(30*time.Second)),
		chromedp.Evaluate(`JSON.stringify(flood)`, &got)); err != nil {
		t.Fatalf("the page's waiting calls were not all made: %v; page problems: %v", err, b.Problems())
	}
	// The listener's registration waits in line too: it takes one place.
	want := fmt.Sprintf(`{"heard":%d,"accepted":%[1]d,"refused":"LIMIT_EXCEEDED","limit":%d,"inspect":"NOT_INITIALIZED"}`, limits.WaitingCalls-1, limits.WaitingCalls)
	if got != want {
		t.Errorf("flooding the stand-in before the runtime runs gave %s, want %s", got, want)
	}
}

// remoteEarlyJS runs in the demo's page at DOMContentLoaded, while the
// runtime's download is held back. badge is a remote the snapshot marks
// early (an ES module entry with its integrity): loadRemote answers with its
// module before the runtime runs, and fedwasm.mount('badge') into an
// element of this script's renders it then and is unmounted at once (the
// demo's own mounts wait for fedwasm.ready: its bootstrap reads inspect()
// first). recommendations
// is down: its early load fails, and the runtime answers with its error.
const remoteEarlyJS = `document.addEventListener('DOMContentLoaded', () => {
	const running = () => { try { fedwasm.inspect(); return true; } catch { return false; } };
	window.earlyRemote = {};
	const second = document.body.appendChild(document.createElement('div'));
	const cart = { getState: () => ({ lines: [{ qty: 2 }] }), subscribe: () => () => {} };
	Object.assign(earlyRemote, {
		badge: fedwasm.loadRemote('badge').then((m) => (earlyRemote.module = m, { kind: typeof m.mount, runtimeRunning: running() })),
		down: fedwasm.loadRemote('recommendations').then(() => 'loaded', (err) => ({ code: err.code, runtimeRunning: running() })),
		second: fedwasm.mount('badge', second, cart).then((handle) => {
			const shown = second.textContent;
			const runtimeRunning = running();
			return handle.unmount().then(() => ({ shown, runtimeRunning, after: second.textContent, unmountedRunning: running() }));
		}),
	});
});`

// TestRemoteLoadsBeforeTheRuntimeRuns holds runtime.wasm back and checks
// that a remote the snapshot covers loads and mounts without it (the module
// is the one the runtime hands out once it runs, inspect() then shows the
// remote loaded and the mount's scope open, and a mount unmounted early is
// ended once the runtime runs), that a remote it does not cover waits for the
// runtime, and that the runtime starts only after the bootstrap's import began.
func TestRemoteLoadsBeforeTheRuntimeRuns(t *testing.T) {
	b, ctx := bootHeldBack(t, demo.Options{}, time.Second, remoteEarlyJS)
	got := eval[string](t, ctx, `(async () => {
		const badge = await earlyRemote.badge;
		const down = await earlyRemote.down;
		const second = await earlyRemote.second;
		await fedwasm.ready;
		const again = await fedwasm.loadRemote('badge');
		const report = fedwasm.inspect();
		const mark = (n) => performance.getEntriesByName(n)[0]?.startTime ?? -1;
		return JSON.stringify({ badge, down, second, same: again === earlyRemote.module,
			state: report.remotes.find((r) => r.name === 'badge')?.state, badgeScopes: report.broker.scopes.badge ?? 0,
			bootstrapImport: mark('fedwasm:bootstrap-import'), goStarted: mark('fedwasm:go-started') });
	})()`)
	type early struct {
		RuntimeRunning, UnmountedRunning bool
		Kind, Code, Shown, After         string
	}
	var r struct {
		Badge, Down, Second        early
		Same                       bool
		State                      string
		BadgeScopes                int
		BootstrapImport, GoStarted float64
	}
	if err := json.Unmarshal([]byte(got), &r); err != nil {
		t.Fatalf("page answered %s: %v", got, err)
	}
	t.Logf("%s", got)
	if r.Badge.Kind != "function" || r.Badge.RuntimeRunning {
		t.Errorf("loadRemote('badge') before the runtime ran gave a module with mount of type %q, runtime running then: %v; want the module, answered before the runtime ran", r.Badge.Kind, r.Badge.RuntimeRunning)
	}
	if r.Second.Shown != "Cart · 2" || r.Second.RuntimeRunning || r.Second.After != "" || !r.Second.UnmountedRunning {
		t.Errorf("fedwasm.mount('badge') and its unmount before the runtime ran: %+v; want it shown before the runtime ran, then emptied by the remote's unmount once it ran", r.Second)
	}
	if r.Down.Code != "REMOTE_LOAD_FAILED" || !r.Down.RuntimeRunning {
		t.Errorf("loadRemote of a remote whose early load fails: %+v; want the runtime's REMOTE_LOAD_FAILED, once it runs", r.Down)
	}
	if !r.Same || r.State != "loaded" || r.BadgeScopes != 1 {
		t.Errorf("after the runtime ran: its loadRemote('badge') gives the module the page got early %v; inspect() shows badge %q (want loaded) with %d open scopes (want 1: the demo's mount, the ended one closed)", r.Same, r.State, r.BadgeScopes)
	}
	if r.BootstrapImport < 0 || r.GoStarted < r.BootstrapImport {
		t.Errorf("the runtime started at %.1f ms, before the bootstrap's import began (%.1f ms): it should compile after the page has started", r.GoStarted, r.BootstrapImport)
	}
	noProblems(t, b)
}

// earlyContainersJS runs in the demo's page at DOMContentLoaded, while the
// runtime's download is held back: the webpack fixtures' var and module
// containers, which the config lists (so the snapshot marks them early), are
// loaded and their exposes taken before the runtime runs.
const earlyContainersJS = `document.addEventListener('DOMContentLoaded', () => {
	const running = () => { try { fedwasm.inspect(); return true; } catch { return false; } };
	window.earlyContainers = Object.fromEntries(['wp-var/ProductList', 'wp-module/CartSummary'].map((id) =>
		[id, fedwasm.loadRemote(id).then((module) => ({ module, runtimeRunning: running() }))]));
});`

// TestEarlyContainersShareTheHostScope holds runtime.wasm back while real
// webpack 5 containers (a var and a module container, built from npm) load
// early: each is initialized with the share scope object the loader filled
// from the snapshot, which the runtime adopts once it runs: inspect() names
// each container as a consumer that took the host's React, each exposed module renders with
// the host's React, react-dom and zustand and the host's cart store (no
// singleton split), each entry ran once, and the runtime's loadRemote gives
// the module the page got early. The host's react-dom/client is held back
// for a while, so each container registers its own copy of the same version
// while the host's is still downloading: the host's entry stays (webpack's
// register replaces an entry not yet loaded, from a lower uniqueName), as the
// host's import map already commits the page to it.
func TestEarlyContainersShareTheHostScope(t *testing.T) {
	b, ctx := bootHeldBack(t, demo.Options{EditConfig: func(c *config.Config) {
		var origin string
		for _, r := range c.Remotes {
			if r.Name == "cart" {
				origin = r.Entry[:strings.Index(r.Entry[len("http://"):], "/")+len("http://")]
			}
		}
		c.Remotes = append(c.Remotes,
			config.Remote{Name: "wp-var", Entry: origin + "/fixtures/wp-var/remoteEntry.js", Type: "var", EntryGlobalName: "wp_var"},
			config.Remote{Name: "wp-module", Entry: origin + "/fixtures/wp-module/remoteEntry.mjs", Type: "module"})
	}}, 1500*time.Millisecond, earlyContainersJS, heldDownload{"/vendor/react-dom-client.js", 400 * time.Millisecond})
	for _, c := range []struct{ id, owner, entry string }{
		{"wp-var/ProductList", "wp-var", "wp-var/remoteEntry.js"},
		{"wp-module/CartSummary", "wp-module", "wp-module/remoteEntry.mjs"},
	} {
		t.Run(c.id, func(t *testing.T) {
			got := eval[string](t, ctx, `(async () => {
				const early = await earlyContainers[`+jsString(c.id)+`];
				await fedwasm.ready;
				const el = document.createElement('section'); document.body.append(el);
				const scope = fedwasm.scope(`+jsString("page:"+c.owner)+`);
				const handle = await early.module.mount(el, {}, scope);
				await new Promise((r) => setTimeout(r, 50));
				const r = handle.received;
				const result = {
					runtimeRunning: early.runtimeRunning,
					sameModule: early.module === await fedwasm.loadRemote(`+jsString(c.id)+`),
					react: r.React === await fedwasm.loadShare('react'),
					createRoot: r.createRoot === (await fedwasm.loadShare('react-dom/client')).createRoot,
					zustand: r.createStore === demo.zustand.createStore,
					store: r.store === demo.cart,
					tookHostReact: fedwasm.inspect().shares.find((x) => x.package === 'react').consumers
						.some((x) => x.from === `+jsString(c.owner)+` && x.rule === 'taken-from-scope' && x.gotFrom === 'shell'),
					entryRuns: performance.getEntriesByType('resource').filter((e) => e.name.endsWith(`+jsString(c.entry)+`)).length,
					state: fedwasm.inspect().remotes.find((x) => x.name === `+jsString(c.owner)+`).state,
				};
				handle.unmount(); scope.dispose(); el.remove();
				return JSON.stringify(result) })()`)
			want := `{"runtimeRunning":false,"sameModule":true,"react":true,"createRoot":true,"zustand":true,"store":true,"tookHostReact":true,"entryRuns":1,"state":"loaded"}`
			if got != want {
				t.Errorf("early container:\n got %s\nwant %s", got, want)
			}
		})
	}
	noProblems(t, b)
}

// TestSnapshotWithoutTheNonceIsNotRead serves the demo's page (a strict CSP
// with a nonce) with a second #fedwasm-snapshot injected at the top of
// <head>, without the nonce, as markup injected into a page would be: the
// loader does not read it (it would import and run what it names, here a
// remote as the bootstrap and zustand as react), says so on the console, and
// the page starts from the snapshot in its config (federation.json) and works.
func TestSnapshotWithoutTheNonceIsNotRead(t *testing.T) {
	const fake = `<script type="application/json" id="fedwasm-snapshot">{"v":1,"bootstrap":"/demo-remote/badge.js","shares":[],"importMap":{"imports":{"react":"/vendor/zustand.js"}}}</script>`
	d, b, ctx := startDemoWith(t, demo.Options{Wrap: rewritePage(func(page string) string {
		return strings.Replace(page, "<head>", "<head>"+fake, 1)
	})})
	var booted bool
	if err := chromedp.Run(ctx,
		chromedp.ActionFunc(func(ctx context.Context) error {
			_, err := page.AddScriptToEvaluateOnNewDocument(`window.warnings = []; const warn = console.warn;
				console.warn = (...args) => { warnings.push(args.map(String).join(' ')); warn(...args); };`).Do(ctx)
			return err
		}),
		chromedp.Navigate(d.HostURL+"/"),
		chromedp.Poll(`window.demo !== undefined || document.querySelector('#fedwasm-error') !== null`, &booted, chromedp.WithPollingTimeout(30*time.Second)),
	); err != nil {
		t.Fatalf("the demo did not boot: %v; page problems: %v", err, b.Problems())
	}
	got := eval[string](t, ctx, `JSON.stringify({
		injected: document.querySelectorAll('#fedwasm-snapshot').length,
		warned: warnings.some((w) => w.includes("does not carry the page's nonce")),
		reactIsReact: typeof fedwasm.loadShareSync('react').createElement === 'function',
		works: demo.slots.cart === 'mounted' && typeof demo.cart.getState().add === 'function',
	})`)
	if want := `{"injected":2,"warned":true,"reactIsReact":true,"works":true}`; got != want {
		t.Errorf("with an injected snapshot the page shows %s, want %s (the injected one not read, said so; the demo booted with its own bootstrap and React)", got, want)
	}
}

// rewritePage is a demo.Options.Wrap that serves the host's page (/) as edit
// rewrites it, as a stale cache or injected markup would change it.
func rewritePage(edit func(page string) string) func(site string, h http.Handler) http.Handler {
	return func(site string, h http.Handler) http.Handler {
		if site != "host" {
			return h
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/" {
				h.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			for k, v := range rec.Header() {
				if k != "Content-Length" && k != "Etag" {
					w.Header()[k] = v
				}
			}
			w.WriteHeader(rec.Code)
			_, _ = w.Write([]byte(edit(rec.Body.String())))
		})
	}
}
