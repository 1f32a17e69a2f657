//go:build e2e

package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/fedwasm/fedwasm/internal/browser"
	"github.com/fedwasm/fedwasm/server"
)

// statePage is a page for the state tests: the runtime started by loader.js
// with a config whose bootstrap imports the real query-core and zustand from
// /vendor/ (bundled by fedwasm-build) into window.QC and window.Z, and an API
// on the same origin that counts the requests it serves per key.
type statePage struct {
	url     string
	browser *browser.Browser
	mu      sync.Mutex
	hits    map[string]int
}

// count returns how many requests /api/<key> has served.
func (p *statePage) count(key string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.hits[key]
}

const statePageHTML = `<!doctype html><meta charset="utf-8"><title>fedwasm state</title><link rel="icon" href="data:,">
<script src="/fedwasm/loader.js" data-config="/federation.json"></script>`

const stateBootstrap = `import * as QC from '/vendor/query-core.js';
import * as Z from '/vendor/zustand.js';
window.QC = QC;
window.Z = Z;
// fetchJSON is the queryFn the tests use: GET /api/<key>, counted by the server.
window.fetchJSON = (key) => fetch('/api/' + key).then((r) => r.json());
window.booted = true;
`

// serveStatePage serves statePage on a free loopback port and opens a fresh
// Chromium (so its storage starts empty) on it.
func serveStatePage(t *testing.T) (*statePage, context.Context) {
	t.Helper()
	p := &statePage{hits: map[string]int{}}
	mux := http.NewServeMux()
	mux.Handle("/fedwasm/", http.StripPrefix("/fedwasm", server.Files(os.DirFS(filepath.Join(root, "dist", "fedwasm")), server.Policy{})))
	mux.Handle("/vendor/", http.StripPrefix("/vendor", server.Files(os.DirFS(filepath.Join(root, "dist", "vendor")), server.Policy{})))
	static := map[string]struct{ body, typ string }{
		"/{$}":             {statePageHTML, "text/html; charset=utf-8"},
		"/federation.json": {`{"name":"shell","bootstrap":"/boot.js","ownership":{"stores":{"queryClient":"shell"}}}`, "application/json"},
		"/boot.js":         {stateBootstrap, "text/javascript"},
	}
	for path, f := range static {
		mux.HandleFunc(path, func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", f.typ)
			w.Header().Set("Cache-Control", "no-store")
			_, _ = w.Write([]byte(f.body))
		})
	}
	// /api/<key> answers after 100 ms, so fetches started together overlap.
	mux.HandleFunc("/api/{key}", func(w http.ResponseWriter, r *http.Request) {
		key := r.PathValue("key")
		p.mu.Lock()
		p.hits[key]++
		n := p.hits[key]
		p.mu.Unlock()
		time.Sleep(100 * time.Millisecond)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		_ = json.NewEncoder(w).Encode(map[string]any{"key": key, "n": n})
	})
	url, serve := listenOrigin(t)
	serve(mux)
	b, err := browser.Start(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	p.url, p.browser = url+"/", b
	ctx, cancel := context.WithTimeout(b.Context(), 90*time.Second)
	t.Cleanup(cancel)
	p.open(t, ctx)
	return p, ctx
}

// open navigates ctx to the page and waits for its bootstrap.
func (p *statePage) open(t *testing.T, ctx context.Context) {
	t.Helper()
	var booted bool
	if err := chromedp.Run(ctx, chromedp.Navigate(p.url),
		chromedp.Poll(`window.booted === true || document.querySelector('#fedwasm-error') !== null`, &booted, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		t.Fatalf("state page did not boot: %v; problems: %v", err, p.browser.Problems())
	}
	if banner, err := browser.Text(ctx, "#fedwasm-error"); err == nil {
		t.Fatalf("loader reported: %s", banner)
	}
}

// reload reloads the page in ctx and waits for its bootstrap.
func (p *statePage) reload(t *testing.T, ctx context.Context) {
	t.Helper()
	reloadUntil(t, ctx, p.browser, `window.booted === true`)
}

// newTab opens the page in another tab of the same browser.
func (p *statePage) newTab(t *testing.T) context.Context {
	t.Helper()
	tab, closeTab, err := p.browser.NewTab()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(closeTab)
	ctx, cancel := context.WithTimeout(tab, 60*time.Second)
	t.Cleanup(cancel)
	p.open(t, ctx)
	return ctx
}

func poll[T any](t *testing.T, ctx context.Context, expr string, what string) T {
	t.Helper()
	var out T
	// Polled on an interval, not on animation frames: a background tab
	// paints none, and cross-tab tests poll the tab that is not in front.
	if err := chromedp.Run(ctx, chromedp.Poll(expr, &out, chromedp.WithPollingInterval(20*time.Millisecond), chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return out
}

// Strategy A: one QueryClient provided as a store; every micro-frontend gets
// the very instance, so they share one cache and one request.
func TestQueryOneClientAsAStore(t *testing.T) {
	p, ctx := serveStatePage(t)
	got := eval[string](t, ctx, `(async () => {
		const client = new QC.QueryClient();
		fedwasm.stores.provide('queryClient', client, { owner: 'shell', version: '5.0.0' });
		const cart = await fedwasm.scope('cart').stores.get('queryClient', { requiredVersion: '^5.0.0' });
		const products = await fedwasm.scope('products').stores.get('queryClient');
		const a = await cart.fetchQuery({ queryKey: ['catalog'], queryFn: () => fetchJSON('catalog'), staleTime: 60000 });
		const b = await products.fetchQuery({ queryKey: ['catalog'], queryFn: () => fetchJSON('catalog'), staleTime: 60000 });
		return JSON.stringify([cart === client, products === client, a === b, b.n]) })()`)
	if got != `[true,true,true,1]` {
		t.Errorf("[cart got the client, products got the client, same data object, n] = %s, want [true,true,true,1]", got)
	}
	if n := p.count("catalog"); n != 1 {
		t.Errorf("the API served %d requests for catalog, want 1 (one client, one cache)", n)
	}
	noProblems(t, p.browser)
}

// connectTwo is page code that makes two isolated clients, cart and
// products, connected on the default channel, each with ['todos'] fetched.
const connectTwo = `window.counts = { cart: 0, products: 0 };
	window.cart = new QC.QueryClient(); window.products = new QC.QueryClient();
	for (const [name, c] of [['cart', cart], ['products', products]]) {
		c.getQueryCache().subscribe((e) => { if (e.type === 'updated' && e.action.type === 'invalidate') counts[name]++ });
	}
	window.offCart = fedwasm.scope('cart').query.connect(cart, { handoffTimeoutMs: 0 });
	window.offProducts = fedwasm.scope('products').query.connect(products, { handoffTimeoutMs: 0 });
	window.todos = { queryKey: ['todos'], queryFn: () => fetchJSON('todos') };
	await Promise.all([cart.fetchQuery(todos), products.fetchQuery(todos)]);
	window.invalid = (c, key) => c.getQueryState(key)?.isInvalidated ?? null;`

func TestQueryConnectSameTab(t *testing.T) {
	p, ctx := serveStatePage(t)
	eval[bool](t, ctx, `(async () => { `+connectTwo+` return true })()`)
	cases := []struct{ name, expr, want string }{
		{"connections are counted per owner", `JSON.stringify([fedwasm.inspect().broker.owners.cart, fedwasm.inspect().broker.owners.products])`,
			`[{"channels":1,"subscriptions":1},{"channels":1,"subscriptions":1}]`},
		{"an invalidation in one client invalidates the other, once, without echo", `(async () => {
			await cart.invalidateQueries({ queryKey: ['todos'] });
			await new Promise((r) => setTimeout(r, 50));
			return JSON.stringify([invalid(cart, ['todos']), invalid(products, ['todos']), counts]) })()`,
			`[true,true,{"cart":1,"products":1}]`},
		{"a key only the other client holds is invalidated there too", `(async () => {
			products.setQueryData(['cart', 'lines'], [1]);
			await cart.invalidateQueries({ queryKey: ['cart'] });
			await new Promise((r) => setTimeout(r, 50));
			return JSON.stringify([invalid(products, ['cart', 'lines']), cart.getQueryState(['cart', 'lines']) === undefined]) })()`,
			`[true,true]`},
		{"exact: true stays exact", `(async () => {
			products.setQueryData(['a', 1], 1); products.setQueryData(['a', 2], 2);
			cart.invalidateQueries({ queryKey: ['a', 1], exact: true });
			await new Promise((r) => setTimeout(r, 50));
			return JSON.stringify([invalid(products, ['a', 1]), invalid(products, ['a', 2])]) })()`,
			`[true,false]`},
		{"query.invalidate reaches every connected client", `(async () => {
			cart.setQueryData(['user'], 'ada'); products.setQueryData(['user', 'prefs'], {});
			fedwasm.query.invalidate(['user']);
			return JSON.stringify([invalid(cart, ['user']), invalid(products, ['user', 'prefs'])]) })()`,
			`[true,true]`},
		{"connecting a client twice is refused", `(() => { try { fedwasm.query.connect(cart); return 'connected' } catch (e) { return e.code } })()`,
			`QUERY_CLIENT_INVALID`},
		{"a non-client is refused", `(() => { try { fedwasm.query.connect({}); return 'connected' } catch (e) { return e.code } })()`,
			`QUERY_CLIENT_INVALID`},
		{"a query key that is not an array is refused", `(() => { try { fedwasm.query.invalidate('todos'); return 'ok' } catch (e) { return e.code } })()`,
			`INVALID_ARGUMENT`},
		{"disconnect releases everything and stops the sync", `(async () => {
			offCart(); offCart();
			const owners = fedwasm.inspect().broker.owners;
			const restored = cart.getDefaultOptions().queries?.behavior === undefined && !Object.hasOwn(cart, 'invalidateQueries');
			products.setQueryData(['late'], 1);
			await cart.invalidateQueries({ queryKey: ['late'] });
			await new Promise((r) => setTimeout(r, 50));
			offProducts();
			return JSON.stringify([owners.cart ?? null, owners.products, restored, invalid(products, ['late']), fedwasm.inspect().broker.owners.products ?? null]) })()`,
			`[null,{"channels":1,"subscriptions":1},true,false,null]`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := eval[string](t, ctx, c.expr); got != c.want {
				t.Errorf("got %s, want %s", got, c.want)
			}
		})
	}
	if n := p.count("todos"); n != 1 {
		t.Errorf("the API served ['todos'] %d times, want 1 (the second client shares the first one's fetch, nothing refetches)", n)
	}
	noProblems(t, p.browser)
}

func TestQueryAcrossTabs(t *testing.T) {
	p, tabA := serveStatePage(t)
	tabB := p.newTab(t)
	setup := `(async () => { window.counts = 0;
		window.client = new QC.QueryClient();
		client.getQueryCache().subscribe((e) => { if (e.type === 'updated' && e.action.type === 'invalidate') counts++ });
		window.off = fedwasm.scope('cart').query.connect(client, { handoffTimeoutMs: 0 });
		window.todos = { queryKey: ['todos'], queryFn: () => fetchJSON('todos') };
		await client.fetchQuery(todos);
		return true })()`
	eval[bool](t, tabA, setup)
	eval[bool](t, tabB, setup)

	// Tab A invalidates and refetches at once; tab B follows. Were B to echo
	// the invalidation back, A's fresh query would be invalidated again.
	eval[bool](t, tabA, `(async () => { await client.invalidateQueries({ queryKey: ['todos'] }); await client.fetchQuery(todos); return true })()`)
	poll[bool](t, tabB, `client.getQueryState(['todos']).isInvalidated`, "tab B's ['todos'] was not invalidated by tab A")
	time.Sleep(300 * time.Millisecond)
	if got := eval[string](t, tabA, `JSON.stringify([counts, client.getQueryState(['todos']).isInvalidated])`); got != `[1,false]` {
		t.Errorf("tab A [invalidations seen, invalidated now] = %s, want [1,false]: the invalidation came back from tab B", got)
	}
	if got := eval[int](t, tabB, `counts`); got != 1 {
		t.Errorf("tab B saw %d invalidations, want 1", got)
	}

	// query.invalidate with crossTab reaches the other tab; without, it does not.
	eval[bool](t, tabB, `(client.setQueryData(['local'], 1), client.setQueryData(['shared'], 1), true)`)
	eval[bool](t, tabA, `(fedwasm.query.invalidate(['local']), fedwasm.query.invalidate(['shared'], { crossTab: true }), true)`)
	poll[bool](t, tabB, `client.getQueryState(['shared']).isInvalidated`, "query.invalidate(..., {crossTab: true}) did not reach tab B")
	if eval[bool](t, tabB, `client.getQueryState(['local']).isInvalidated`) {
		t.Error("query.invalidate without crossTab reached tab B")
	}

	// Messages that are not valid query messages are dropped and counted in tab B.
	eval[bool](t, tabB, `(client.setQueryData(['todos'], { fresh: true }), true)`)
	eval[bool](t, tabA, `(() => { const ch = new BroadcastChannel('fedwasm:query');
		const post = (v, message) => ch.postMessage({ v, tab: 'x', text: JSON.stringify({ v, type: 'query:invalidate', tab: 'x', ...message }) });
		post(2, { detail: { keys: [{ queryKey: 'todos' }] } });
		post(7, { detail: { keys: [{ queryKey: ['todos'] }] } });
		post(2, { detail: { keys: [{ queryKey: ['todos'] }], big: 'z'.repeat(70000) } });
		ch.close(); return true })()`)
	dropped := poll[map[string]int](t, tabB, `(() => { const d = fedwasm.inspect().broker.dropped;
		return Object.values(d).reduce((a, b) => a + b, 0) >= 3 && d })()`, "tab B did not count the bad messages")
	for _, reason := range []string{"bad-query-message", "unknown-version", "too-large"} {
		if dropped[reason] != 1 {
			t.Errorf("dropped[%s] = %d, want 1 (all: %v)", reason, dropped[reason], dropped)
		}
	}
	if eval[bool](t, tabB, `client.getQueryState(['todos']).isInvalidated`) {
		t.Error("a dropped message invalidated ['todos'] in tab B")
	}
	if w := eval[string](t, tabB, `fedwasm.inspect().warnings.map((w) => w.code).join(',')`); !strings.Contains(w, "CROSS_TAB_MESSAGE_DROPPED") {
		t.Errorf("tab B's warnings %q do not report the drops", w)
	}
}

func TestQueryFetchDedupe(t *testing.T) {
	p, ctx := serveStatePage(t)
	got := eval[string](t, ctx, `(async () => {
		const a = new QC.QueryClient(), b = new QC.QueryClient();
		const offA = fedwasm.scope('cart').query.connect(a, { handoffTimeoutMs: 0 });
		const offB = fedwasm.scope('products').query.connect(b, { handoffTimeoutMs: 0 });
		const q = (key) => ({ queryKey: [key], queryFn: () => fetchJSON(key) });
		const [x, y] = await Promise.all([a.fetchQuery(q('deduped')), b.fetchQuery(q('deduped'))]);
		// Two clients that are not connected each fetch.
		const c = new QC.QueryClient(), d = new QC.QueryClient();
		await Promise.all([c.fetchQuery(q('isolated')), d.fetchQuery(q('isolated'))]);
		// Observers (what useQuery uses) share the fetch too.
		const oa = new QC.QueryObserver(a, q('observed')), ob = new QC.QueryObserver(b, q('observed'));
		const seen = [];
		const u1 = oa.subscribe((r) => r.isSuccess && seen.push(r.data.n)), u2 = ob.subscribe((r) => r.isSuccess && seen.push(r.data.n));
		while (seen.length < 2) await new Promise((r) => setTimeout(r, 10));
		u1(); u2();
		// After disconnect each fetches on its own again.
		offA(); offB();
		await Promise.all([a.fetchQuery({ ...q('after'), staleTime: 0 }), b.fetchQuery({ ...q('after'), staleTime: 0 })]);
		return JSON.stringify([x.n, y.n, seen]) })()`)
	if got != `[1,1,[1,1]]` {
		t.Errorf("[a's n, b's n, observers' n] = %s, want [1,1,[1,1]]", got)
	}
	for key, want := range map[string]int{"deduped": 1, "observed": 1, "isolated": 2, "after": 2} {
		if n := p.count(key); n != want {
			t.Errorf("the API served %s %d times, want %d", key, n, want)
		}
	}
	noProblems(t, p.browser)
}

func TestQueryCacheHandoff(t *testing.T) {
	p, tabA := serveStatePage(t)
	updatedAt := eval[float64](t, tabA, `(async () => {
		window.client = new QC.QueryClient();
		fedwasm.scope('cart').query.connect(client, { handoffTimeoutMs: 0, shareable: [['catalog'], ['user']] });
		await client.fetchQuery({ queryKey: ['catalog', { page: 1 }], queryFn: () => fetchJSON('catalog') });
		await client.fetchQuery({ queryKey: ['user'], queryFn: () => fetchJSON('user') });
		client.setQueryData(['secret'], { token: 'tab A only' });
		return client.getQueryState(['catalog', { page: 1 }]).dataUpdatedAt })()`)
	tabB := p.newTab(t)
	got := eval[string](t, tabB, `(async () => {
		window.client = new QC.QueryClient();
		const off = fedwasm.scope('cart').query.connect(client, { handoffTimeoutMs: 5000, shareable: [['catalog'], ['user'], ['secret']] });
		const handoff = await off.handoff;
		const data = await client.fetchQuery({ queryKey: ['catalog', { page: 1 }], queryFn: () => fetchJSON('catalog'), staleTime: 60000 });
		return JSON.stringify([handoff, data, client.getQueryState(['catalog', { page: 1 }]).dataUpdatedAt, client.getQueryData(['user']).key,
			client.getQueryData(['secret']) ?? 'not handed over']) })()`)
	want := `[{"answered":true,"applied":2},{"key":"catalog","n":1},` + jsonNumber(updatedAt) + `,"user","not handed over"]`
	if got != want {
		t.Errorf("tab B got %s, want %s", got, want)
	}
	if n := p.count("catalog"); n != 1 {
		t.Errorf("the API served catalog %d times, want 1: the new tab should have taken tab A's cache", n)
	}
	// A tab with no other tab to answer settles its handoff after the timeout.
	got = eval[string](t, tabB, `(async () => {
		const lone = new QC.QueryClient();
		const off = fedwasm.query.connect(lone, { channel: 'nobody-here', handoffTimeoutMs: 50 });
		const h = await off.handoff; off(); return JSON.stringify(h) })()`)
	if got != `{"answered":false,"applied":0}` {
		t.Errorf("a lone tab's handoff = %s", got)
	}
	noProblems(t, p.browser)
}

func jsonNumber(f float64) string {
	data, _ := json.Marshal(f)
	return string(data)
}
