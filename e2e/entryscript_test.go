//go:build e2e

package e2e

// One <script> per remote entry URL. The fixtures are served at /fixtures/ on
// the page's own origin (wp-nested's webpack build names wp-var's entry by
// that path), through servertest.Faults, which counts the requests of each path
// and holds the entry's response so that a second load is issued while the
// first is still in flight.

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fedwasm/fedwasm/internal/browser"
	"github.com/fedwasm/fedwasm/internal/servertest"
	"github.com/fedwasm/fedwasm/server"
)

// entryScriptPage serves the runtime page with dist/fixtures/ under
// /fixtures/ on one loopback origin, the fixtures through servertest.Faults with
// rules, and opens it until window.fedwasm is there; it returns the faults,
// the page's context and what the page logged.
func entryScriptPage(t *testing.T, rules map[string]servertest.Fault) (*servertest.Faults, context.Context, func() []string) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(root, "dist", "fixtures", "wp-nested", "remoteEntry.js")); err != nil {
		t.Fatal("dist/fixtures/wp-nested/remoteEntry.js is missing; run ./build.sh build (it builds fixtures/webpack)")
	}
	url, serve := listenOrigin(t)
	fixtures := servertest.NewFaults(http.StripPrefix("/fixtures", server.Files(os.DirFS(filepath.Join(root, "dist", "fixtures")), server.Policy{})), rules)
	mux := http.NewServeMux()
	mux.Handle("/fixtures/", fixtures)
	mux.Handle("/", runtimePage(`<!doctype html><title>entry scripts</title><link rel="icon" href="data:,"><script src="/fedwasm/loader.js"></script>`, ""))
	serve(mux)
	b, ctx := openRuntimePage(t, url+"/")
	return fixtures, ctx, b.Problems
}

// trapGlobalsJS counts the assignments to each named global in
// window.globalSets: a var container's entry assigns its global once each
// time it runs.
const trapGlobalsJS = `(names) => { window.globalSets = {};
	for (const name of names) {
		let value; globalSets[name] = 0;
		Object.defineProperty(window, name, { configurable: true, get: () => value, set: (v) => { globalSets[name]++; value = v; } });
	}
	return true }`

// waitForHits waits until path has had n requests, failing after 20 s.
func waitForHits(t *testing.T, faults *servertest.Faults, path string, n int) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for faults.Hits(path) < n {
		if time.Now().After(deadline) {
			t.Fatalf("%s had %d request(s) after 20 s, want %d", path, faults.Hits(path), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// scriptsWhileHeld waits until the page has a second <script> for path on
// its origin, or path has had a second request (Chromium may answer a second
// element from the first one's request), or grace has passed, and returns
// the number of those <script> elements. A second element comes within
// milliseconds of the load that adds it, so grace only bounds the wait when
// none comes.
func scriptsWhileHeld(t *testing.T, ctx context.Context, faults *servertest.Faults, path string, grace time.Duration) int {
	t.Helper()
	deadline := time.Now().Add(grace)
	for {
		n := eval[int](t, ctx, `[...document.scripts].filter((s) => s.src === location.origin + `+jsString(path)+`).length`)
		if n >= 2 || faults.Hits(path) >= 2 || time.Now().After(deadline) {
			return n
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// heldEntry returns a Hold channel and the function that releases it (once;
// also when the test ends, so no request stays held).
func heldEntry(t *testing.T) (chan struct{}, func()) {
	hold := make(chan struct{})
	release := sync.OnceFunc(func() { close(hold) })
	t.Cleanup(release)
	return hold, release
}

// entryScriptReport is what the pages report once both loads are done.
type entryScriptReport struct {
	SameModule bool
	SameStore  bool
	GlobalSets map[string]int
	Fetched    int
	Errors     []string
}

// checkRanOnce checks that the entry was requested once (hits, on the
// server, and in the page's resource timing), had one <script> while its
// response was held, assigned its global once, and that both loads resolved
// and the page logged nothing.
func (got entryScriptReport) checkRanOnce(t *testing.T, hits, held int, global string, problems []string) {
	t.Helper()
	if hits != 1 || got.Fetched != 1 {
		t.Errorf("the entry was requested %d time(s) (the page's resource timing lists %d); want 1", hits, got.Fetched)
	}
	if held != 1 {
		t.Errorf("while its response was held, the page had %d <script> elements for the entry; want 1", held)
	}
	if got.GlobalSets[global] != 1 {
		t.Errorf("window.%s was assigned %d time(s); want 1 (the entry ran once)", global, got.GlobalSets[global])
	}
	if len(got.Errors) > 0 {
		t.Errorf("the loads failed: %v", got.Errors)
	}
	if len(problems) > 0 {
		t.Errorf("the page logged problems: %v", problems)
	}
}

// TestNestedRemoteSharesItsEntryScript: wp-nested (a webpack container that
// consumes wp-var through webpack's own remotes) is loaded first, and its
// webpack runtime starts loading wp-var's remoteEntry.js; the server holds
// that response until loadRemote('wp-var/…') has been issued. fedwasm must
// wait for the script webpack added rather than add its own: one request, one
// <script>, wp_var assigned once, and the module (and its module-level store)
// that wp-nested imported is the one loadRemote returns.
func TestNestedRemoteSharesItsEntryScript(t *testing.T) {
	const entryPath = "/fixtures/wp-var/remoteEntry.js"
	hold, release := heldEntry(t)
	faults, ctx, problems := entryScriptPage(t, map[string]servertest.Fault{entryPath: {Hold: hold}})
	eval[bool](t, ctx, `(`+trapGlobalsJS+`)(['wp_var', 'wp_nested'])`)
	eval[bool](t, ctx, `fedwasm.init({ name: 'host', remotes: [
			{ name: 'wp-nested', entry: '/fixtures/wp-nested/remoteEntry.js', type: 'var', entryGlobalName: 'wp_nested' },
			{ name: 'wp-var', entry: '/fixtures/wp-var/remoteEntry.js', type: 'var', entryGlobalName: 'wp_var' }] })
		.then(() => { window.errors = [];
			window.nested = fedwasm.loadRemote('wp-nested/Nested').catch((e) => { errors.push(e.message); });
			return true })`)
	waitForHits(t, faults, entryPath, 1) // wp-nested's runtime asked for wp-var's entry; it is held
	if by := eval[string](t, ctx, `[...document.scripts].filter((s) => s.src === location.origin + `+jsString(entryPath)+`).map((s) => s.dataset.webpack).join()`); by != "wp_nested:wp_var" {
		t.Fatalf("while held, the <script>s for wp-var's entry are from %q; want the one webpack's runtime added (data-webpack wp_nested:wp_var)", by)
	}
	eval[bool](t, ctx, `(window.direct = fedwasm.loadRemote('wp-var/ProductList').catch((e) => { errors.push(e.message); }), true)`)
	held := scriptsWhileHeld(t, ctx, faults, entryPath, time.Second)
	release()
	got := eval[entryScriptReport](t, ctx, `(async () => {
		const [nested, direct] = await Promise.all([window.nested, window.direct]);
		return { errors,
			sameModule: !!nested && !!direct && nested.productList === direct,
			sameStore: !!nested && !!direct && nested.productList.selection === direct.selection,
			globalSets, fetched: performance.getEntriesByName(location.origin + '`+entryPath+`').length };
	})()`)
	got.checkRanOnce(t, faults.Hits(entryPath), held, "wp_var", problems())
	if !got.SameModule || !got.SameStore {
		t.Errorf("wp-nested's ProductList is loadRemote's: %v; its selection store is the same instance: %v", got.SameModule, got.SameStore)
	}
}

// TestConcurrentLoadsShareOneEntryScript: a manifest remote and a var remote
// whose entry is the one the manifest points to are loaded at once; the
// server holds the entry until both loads are under way. fedwasm's two loads
// share one <script>.
func TestConcurrentLoadsShareOneEntryScript(t *testing.T) {
	const entryPath, manifestPath = "/fixtures/mf-enhanced/remoteEntry.js", "/fixtures/mf-enhanced/mf-manifest.json"
	hold, release := heldEntry(t)
	faults, ctx, problems := entryScriptPage(t, map[string]servertest.Fault{entryPath: {Hold: hold}})
	eval[bool](t, ctx, `(`+trapGlobalsJS+`)(['mf_enhanced'])`)
	eval[bool](t, ctx, `fedwasm.init({ name: 'host', remotes: [
			{ name: 'mf-enhanced', entry: '`+manifestPath+`' },
			{ name: 'mf-entry', entry: '`+entryPath+`', type: 'var', entryGlobalName: 'mf_enhanced' }] })
		.then(() => { window.errors = [];
			window.viaManifest = fedwasm.loadRemote('mf-enhanced/Recommendations').catch((e) => { errors.push(e.message); });
			window.direct = fedwasm.loadRemote('mf-entry/Recommendations').catch((e) => { errors.push(e.message); });
			return true })`)
	waitForHits(t, faults, entryPath, 1)
	waitForHits(t, faults, manifestPath, 1)
	held := scriptsWhileHeld(t, ctx, faults, entryPath, time.Second)
	release()
	got := eval[entryScriptReport](t, ctx, `(async () => {
		const [viaManifest, direct] = await Promise.all([window.viaManifest, window.direct]);
		return { errors, sameModule: !!viaManifest && viaManifest === direct,
			globalSets, fetched: performance.getEntriesByName(location.origin + '`+entryPath+`').length };
	})()`)
	got.checkRanOnce(t, faults.Hits(entryPath), held, "mf_enhanced", problems())
	if !got.SameModule {
		t.Error("the two loads got different exposed modules")
	}
}

// TestSlowEntryRunsOnceAcrossRetries: an entry that answers after its first
// attempt's time limit (800 ms against 500 ms) is still on its way when the
// retry starts. The retry waits for it rather than load the entry again (a
// second <script> for a var entry, a cache-busting URL for an ES module,
// either of which runs the entry a second time): the load succeeds with one
// request and one run of the entry.
func TestSlowEntryRunsOnceAcrossRetries(t *testing.T) {
	slow := []struct{ name, entry, typ, global, expose string }{
		{"var", "/fixtures/wp-var/remoteEntry.js", "var", "wp_var", "ProductList"},
		{"module", "/fixtures/wp-module/remoteEntry.mjs", "module", "", "CartSummary"},
	}
	rules := map[string]servertest.Fault{}
	var remotes []string
	for _, c := range slow {
		rules[c.entry] = servertest.Fault{Latency: 800 * time.Millisecond}
		remotes = append(remotes, `{ name: `+jsString(c.name)+`, entry: `+jsString(c.entry)+`, type: `+jsString(c.typ)+`, entryGlobalName: `+jsString(c.global)+` }`)
	}
	faults, ctx, problems := entryScriptPage(t, rules)
	eval[bool](t, ctx, `(`+trapGlobalsJS+`)(['wp_var'])`)
	eval[bool](t, ctx, `fedwasm.init({ name: 'host', retry: { times: 2, delayMs: 50, timeoutMs: 500 }, remotes: [`+strings.Join(remotes, ", ")+`] }).then(() => true)`)
	for _, c := range slow {
		t.Run(c.name, func(t *testing.T) {
			var got struct {
				Error   string
				Runs    int
				Scripts int
				Fetched []string
			}
			if err := browser.Eval(ctx, `fedwasm.loadRemote(`+jsString(c.name+"/"+c.expose)+`).then(() => '', (e) => e.message)
				.then((error) => ({ error, runs: globalSets[`+jsString(c.global)+`],
					scripts: [...document.scripts].filter((s) => s.src === location.origin + `+jsString(c.entry)+`).length,
					fetched: performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.includes(`+jsString(c.entry)+`)) }))`, &got); err != nil {
				t.Fatal(err)
			}
			if got.Error != "" {
				t.Errorf("loadRemote failed: %s", got.Error)
			}
			if hits := faults.Hits(c.entry); hits != 1 || len(got.Fetched) != 1 {
				t.Errorf("the entry was requested %d time(s); the page fetched %v; want one request for it", hits, got.Fetched)
			}
			if c.typ == "var" && (got.Runs != 1 || got.Scripts != 1) {
				t.Errorf("window.%s was assigned %d time(s), by %d <script> element(s) on the page; want one run of one element", c.global, got.Runs, got.Scripts)
			}
		})
	}
	if p := problems(); len(p) > 0 {
		t.Errorf("the page logged problems: %v", p)
	}
}

// TestSlowEntryUnderAllowlistRunsOnce is TestSlowEntryRunsOnceAcrossRetries
// with security.allowedOrigins set, so each entry is fetched and checked
// before it runs: the retry waits for the check's fetch and then for the run
// under way rather than start either again. The load succeeds with two
// requests (the check and the run, bound to the checked bytes) and one run.
func TestSlowEntryUnderAllowlistRunsOnce(t *testing.T) {
	slow := []struct{ name, entry, typ, global, expose string }{
		{"var", "/fixtures/wp-var/remoteEntry.js", "var", "wp_var", "ProductList"},
		{"module", "/fixtures/wp-module/remoteEntry.mjs", "module", "", "CartSummary"},
	}
	rules := map[string]servertest.Fault{}
	var remotes []string
	for _, c := range slow {
		rules[c.entry] = servertest.Fault{Latency: 800 * time.Millisecond}
		remotes = append(remotes, `{ name: `+jsString(c.name)+`, entry: `+jsString(c.entry)+`, type: `+jsString(c.typ)+`, entryGlobalName: `+jsString(c.global)+` }`)
	}
	faults, ctx, problems := entryScriptPage(t, rules)
	eval[bool](t, ctx, `(`+trapGlobalsJS+`)(['wp_var'])`)
	// The check and the run are two requests of 800 ms each: four retries
	// (2.7 s of attempts) leave room on a loaded machine, where two (1.6 s)
	// had none.
	eval[bool](t, ctx, `fedwasm.init({ name: 'host', retry: { times: 4, delayMs: 50, timeoutMs: 500 },
		security: { allowedOrigins: [location.origin] }, remotes: [`+strings.Join(remotes, ", ")+`] }).then(() => true)`)
	for _, c := range slow {
		t.Run(c.name, func(t *testing.T) {
			var got struct {
				Error   string
				Runs    int
				Scripts int
			}
			if err := browser.Eval(ctx, `fedwasm.loadRemote(`+jsString(c.name+"/"+c.expose)+`).then(() => '', (e) => e.message)
				.then((error) => ({ error, runs: globalSets[`+jsString(c.global)+`],
					scripts: [...document.scripts].filter((s) => s.src === location.origin + `+jsString(c.entry)+`).length }))`, &got); err != nil {
				t.Fatal(err)
			}
			if got.Error != "" {
				t.Errorf("loadRemote failed: %s", got.Error)
			}
			if hits := faults.Hits(c.entry); hits != 2 {
				t.Errorf("the entry was requested %d time(s); want 2: the check, then the run", hits)
			}
			if c.typ == "var" && (got.Runs != 1 || got.Scripts != 1) {
				t.Errorf("window.%s was assigned %d time(s), by %d <script> element(s) on the page; want one run of one element", c.global, got.Runs, got.Scripts)
			}
		})
	}
	if p := problems(); len(p) > 0 {
		t.Errorf("the page logged problems: %v", p)
	}
}
