//go:build e2e

package e2e

// The demo shop shows the article's patterns, each on the page: an event that
// opens the cart drawer, a logout broadcast to every tab, a cart that survives
// a reload, a remote that is down, and loading states while remotes arrive.

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/fedwasm/fedwasm/internal/browser"
	"github.com/fedwasm/fedwasm/internal/demo"
)

const drawerOpen = `(() => { const d = document.querySelector('[data-testid="cart-drawer"]');
	return d !== null && d.open && document.querySelector('#cart-slot').classList.contains('drawer-open') })()`

// drawerClosed: the dialog is closed and the cart remote's state says so.
const drawerClosed = `(() => { const d = document.querySelector('[data-testid="cart-drawer"]');
	return d !== null && !d.open && !document.querySelector('#cart-slot').classList.contains('drawer-open') })()`

// Pattern 1: the header emits cart:open; the cart remote, which the header
// knows nothing about, opens its drawer. Close, Esc and unmount work.
func TestPatternCartOpenEventOpensTheDrawer(t *testing.T) {
	_, b, ctx := startDemo(t)
	if eval[bool](t, ctx, drawerOpen) {
		t.Fatal("the drawer is open before anyone asked")
	}
	for _, product := range []string{"kb", "ms"} {
		if err := chromedp.Run(ctx, chromedp.Click(`button[data-product="`+product+`"]`, chromedp.ByQuery)); err != nil {
			t.Fatal(err)
		}
	}
	eval[bool](t, ctx, `(window.opens = [], fedwasm.events.on('cart:open', (d) => opens.push(d)), true)`)
	if err := chromedp.Run(ctx, chromedp.Click(`#view-cart`, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, drawerOpen, "clicking View cart did not open the cart remote's drawer")
	if got := eval[string](t, ctx, `JSON.stringify([opens, document.querySelector('[data-testid="cart-drawer"]').dataset.openedBy,
		[...document.querySelectorAll('[data-testid="cart-drawer"] .cart-lines li')].map((li) => li.querySelector('.line-name').textContent + ' ×' + li.querySelector('.qty').textContent),
		document.querySelector('#cart-drawer-title').textContent])`); got != `[[{"source":"header","lines":2}],"header",["Mechanical keyboard ×1","Wireless mouse ×1"],"Your cart · 2 items"]` {
		t.Errorf("[events, openedBy, drawer lines, title] = %s", got)
	}

	if err := chromedp.Run(ctx, chromedp.Click(`[data-testid="cart-drawer-close"]`, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, drawerClosed, "Close did not close the drawer")

	// Anyone may emit it (here: page code), and Esc closes the modal drawer.
	eval[bool](t, ctx, `(fedwasm.events.emit('cart:open', { source: 'test' }), true)`)
	waitFor(t, ctx, drawerOpen, "an emitted cart:open did not open the drawer")
	if err := chromedp.Run(ctx, chromedp.KeyEvent(kb.Escape)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, drawerClosed, "Esc did not close the drawer")

	// A click on the backdrop (outside the drawer, at the left of the page) closes it.
	eval[bool](t, ctx, `(fedwasm.events.emit('cart:open', { source: 'test' }), true)`)
	waitFor(t, ctx, drawerOpen, "the drawer did not open again")
	if err := chromedp.Run(ctx, chromedp.MouseClickXY(100, 400)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, drawerClosed, "a click on the backdrop did not close the drawer")

	// The cart remote listens through its scope (and connects its own QueryClient:
	// a cache subscription and a channel): unmount releases all of it.
	if got := eval[string](t, ctx, `JSON.stringify(fedwasm.inspect().broker.owners.cart)`); got != `{"channels":1,"listeners":2,"subscriptions":1}` {
		t.Errorf("the cart remote owns %s", got)
	}
	if got := eval[string](t, ctx, `(async () => { await demo.mounted.unmount();
		fedwasm.events.emit('cart:open', { source: 'test' });
		return JSON.stringify([fedwasm.inspect().broker.owners.cart ?? null, document.querySelector('[data-testid="cart-drawer"]')]) })()`); got != `[null,null]` {
		t.Errorf("after unmount [cart owns, drawer] = %s, want [null,null]", got)
	}
	time.Sleep(50 * time.Millisecond)
	noProblems(t, b)
}

// openDemoTab opens the demo in another tab of b (same profile: same storage,
// same BroadcastChannels) and waits for its bootstrap.
func openDemoTab(t *testing.T, d *demo.Demo, b *browser.Browser) context.Context {
	t.Helper()
	tab, closeTab, err := b.NewTab()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(closeTab)
	ctx, cancel := context.WithTimeout(tab, 60*time.Second)
	t.Cleanup(cancel)
	var booted bool
	if err := chromedp.Run(ctx, chromedp.Navigate(d.HostURL+"/"),
		chromedp.Poll(`window.demo !== undefined`, &booted, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		t.Fatalf("the second tab did not boot: %v; page problems: %v", err, b.Problems())
	}
	return ctx
}

func click(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	if err := chromedp.Run(ctx, chromedp.Click(sel, chromedp.ByQuery)); err != nil {
		t.Fatalf("clicking %s: %v", sel, err)
	}
}

// Pattern 2: "Log out" in one tab is broadcast (crossTab) to every tab of the
// origin, the emitting one included: each clears its cart and says so.
func TestPatternLogoutReachesEveryTab(t *testing.T) {
	d, b, tabA := startDemo(t)
	tabB := openDemoTab(t, d, b)
	click(t, tabA, `button[data-product="kb"]`)
	click(t, tabB, `button[data-product="hd"]`)
	for _, tab := range []context.Context{tabA, tabB} {
		waitFor(t, tab, `demo.cart.getState().lines.length > 0 && document.querySelector('#auth-notice').hidden`, "the cart did not fill before the logout")
	}
	click(t, tabA, `#auth-button`)
	state := `JSON.stringify([demo.cart.getState().lines.length, document.querySelector('[data-testid="cart-count"]').textContent,
		document.querySelector('#account').dataset.state, document.querySelector('#auth-notice').hidden, document.querySelector('#auth-notice').dataset.from])`
	for _, c := range []struct {
		name string
		tab  context.Context
		want string
		text string
	}{
		{"the tab that logged out", tabA, `[0,"0","signed-out",false,"this-tab"]`, "You signed out at "},
		{"the other tab", tabB, `[0,"0","signed-out",false,"other-tab"]`, "You were signed out in another tab at "},
	} {
		var got string
		if err := chromedp.Run(c.tab, chromedp.Poll(`document.querySelector('#account').dataset.state === 'signed-out' && `+state, &got,
			chromedp.WithPollingInterval(20*time.Millisecond), chromedp.WithPollingTimeout(10*time.Second))); err != nil {
			t.Fatalf("%s was not signed out: %v (now %s)", c.name, err, eval[string](t, c.tab, state))
		}
		if got != c.want {
			t.Errorf("%s: [lines, cart count, account, notice hidden, notice from] = %s, want %s", c.name, got, c.want)
		}
		if text := eval[string](t, c.tab, `document.querySelector('#auth-notice').textContent`); !strings.HasPrefix(text, c.text) || !strings.HasSuffix(text, "Your cart was cleared.") {
			t.Errorf("%s shows the notice %q", c.name, text)
		}
		if label := eval[string](t, c.tab, `document.querySelector('#auth-button').textContent`); label != "Sign in" {
			t.Errorf("%s: the account button says %q, want Sign in", c.name, label)
		}
	}
	screenshot(t, tabB, "logout-other-tab.png")
	// Signing in is announced like signing out: every tab is signed in again
	// and hides its notice.
	click(t, tabB, `#auth-button`)
	signedIn := `JSON.stringify([document.querySelector('#account').dataset.state, document.querySelector('#auth-notice').hidden, document.querySelector('#auth-button').textContent])`
	for _, tab := range []context.Context{tabB, tabA} {
		waitFor(t, tab, signedIn+` === '["signed-in",true,"Log out"]'`, "Sign in in tab B did not sign in every tab; a tab shows "+eval[string](t, tab, signedIn))
	}
	noProblems(t, b)
}

// reloadDemo reloads the demo in ctx and waits for its bootstrap.
func reloadDemo(t *testing.T, ctx context.Context, b *browser.Browser) {
	t.Helper()
	reloadUntil(t, ctx, b, `window.demo !== undefined`)
}

// cartView is what a tab shows of the cart: the store, the cart remote, the badge remote.
const cartView = `JSON.stringify([demo.cart.getState().lines.map((l) => l.id + '×' + l.qty), document.querySelector('[data-testid="cart-count"]').textContent,
	document.querySelector('#cart-badge').dataset.count, typeof demo.cart.getState().add, typeof demo.cart.getState().clear])`

// Pattern 3: the cart store is provided with persist. A reload keeps the
// lines, another tab starts from them and sees every change, and the store's
// actions (functions, which JSON cannot hold) survive restoring and syncing.
func TestPatternPersistedCartSurvivesReloadAndSyncsTabs(t *testing.T) {
	d, b, tabA := startDemo(t)
	click(t, tabA, `button[data-product="kb"]`)
	click(t, tabA, `button[data-product="mn"]`)
	waitFor(t, tabA, `demo.cart.getState().lines.length === 2`, "tab A's cart did not fill")
	if got := eval[string](t, tabA, `(() => { const env = JSON.parse(localStorage.getItem('fedwasm-demo:cart'));
		return JSON.stringify([env.schemaVersion, Object.keys(env.state), env.state.lines.map((l) => l.id + '×' + l.qty)]) })()`); got != `[2,["lines","checkout","lastOrder"],["kb×1","mn×1"]]` {
		t.Errorf("stored [schemaVersion, state keys, line ids] = %s", got)
	}

	tabB := openDemoTab(t, d, b)
	if got := eval[string](t, tabB, cartView); got != `[["kb×1","mn×1"],"2","2","function","function"]` {
		t.Errorf("a new tab starts with %s, want the stored lines and the actions", got)
	}
	click(t, tabB, `button[data-product="ms"]`)
	want := `[["kb×1","mn×1","ms×1"],"3","3","function","function"]`
	waitFor(t, tabA, cartView+` === `+jsString(want), "tab B's addition did not reach tab A")
	// The actions still work in a tab that applied another tab's write.
	click(t, tabA, `button[data-product="hd"]`)
	want = `[["kb×1","mn×1","ms×1","hd×1"],"4","4","function","function"]`
	waitFor(t, tabB, cartView+` === `+jsString(want), "tab A's addition after a synced write did not reach tab B")

	reloadDemo(t, tabA, b)
	if got := eval[string](t, tabA, cartView); got != want {
		t.Errorf("after a reload tab A shows %s, want %s", got, want)
	}
	if err := chromedp.Run(tabA, page.BringToFront()); err != nil { // a background tab paints no frames to capture
		t.Fatal(err)
	}
	screenshot(t, tabA, "persisted-cart.png")
	// Emptying the cart in one tab empties it everywhere and in storage.
	click(t, tabB, `#cart-slot [data-testid="empty-cart"]`)
	want = `[[],"0","0","function","function"]`
	waitFor(t, tabA, cartView+` === `+jsString(want), "emptying the cart in tab B did not reach tab A")
	// Tab B wrote storage before it posted, but another tab's view of
	// localStorage is synced on its own schedule, which the post can beat.
	storedLines := `JSON.stringify(JSON.parse(localStorage.getItem('fedwasm-demo:cart')).state.lines)`
	var emptied bool
	if err := chromedp.Run(tabA, chromedp.Poll(storedLines+` === '[]'`, &emptied, chromedp.WithPollingInterval(20*time.Millisecond), chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		t.Errorf("storage holds %s 5 s after emptying", eval[string](t, tabA, storedLines))
	}
	noProblems(t, b)
}

// waitFor evaluates expr until it is true. It evaluates afresh each time
// (chromedp.Poll can stay bound to a document a reload replaced) on an
// interval (a background tab runs no animation frames).
func waitFor(t *testing.T, ctx context.Context, expr, what string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	var last error
	for time.Now().Before(deadline) {
		var ok bool
		if last = chromedp.Run(ctx, chromedp.Evaluate(expr, &ok)); last == nil && ok {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s (last error: %v)", what, last)
}

// waitForValue evaluates expr (a string) until it is want, and otherwise
// fails saying what it was last.
func waitForValue(t *testing.T, ctx context.Context, expr, want, what string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	var got string
	var last error
	for time.Now().Before(deadline) {
		if last = chromedp.Run(ctx, chromedp.Evaluate(expr, &got)); last == nil && got == want {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s:\n got %s\nwant %s (last error: %v)", what, got, want, last)
}

// busySlots is, per remote slot, [aria-busy, skeletons inside].
const busySlots = `JSON.stringify(['#cart-badge', '#promo-slot', '#products-slot', '#cart-slot', '#recommendations-slot'].map((sel) => {
	const el = document.querySelector(sel); return [sel, el.getAttribute('aria-busy'), el.querySelectorAll('.skeleton').length > 0] }))`

// Pattern 5: while the remotes are on their way, each slot shows a skeleton
// and is aria-busy; the host's own part already works. The test holds every
// request to the remote origins (DevTools' Fetch domain) to look at that state.
func TestPatternSkeletonsWhileRemotesArrive(t *testing.T) {
	d, b, ctx := startDemo(t)
	// The bootstrap does not wait for the recommendations remote, which is down.
	// The products remote's own loading state (its query) ends with the list.
	waitFor(t, ctx, `document.querySelector('#recommendations-slot').getAttribute('aria-busy') === 'false' && document.querySelectorAll('#products li').length === 4`,
		"the recommendations slot stayed busy, or the product list did not arrive")
	if got := eval[string](t, ctx, busySlots+` + document.querySelectorAll('.skeleton').length`); got != `[["#cart-badge","false",false],["#promo-slot","false",false],["#products-slot","false",false],["#cart-slot","false",false],["#recommendations-slot","false",false]]0` {
		t.Errorf("after boot [slot, aria-busy, skeleton] = %s, want nothing busy and no skeleton left", got)
	}

	var mu sync.Mutex
	var held []fetch.RequestID
	released := false
	proceed := func(id fetch.RequestID) {
		go func() { _ = chromedp.Run(ctx, fetch.ContinueRequest(id)) }()
	}
	chromedp.ListenTarget(ctx, func(ev any) {
		if e, ok := ev.(*fetch.EventRequestPaused); ok {
			mu.Lock()
			defer mu.Unlock()
			if released {
				proceed(e.RequestID)
				return
			}
			held = append(held, e.RequestID)
		}
	})
	if err := chromedp.Run(ctx, fetch.Enable().WithPatterns([]*fetch.RequestPattern{{URLPattern: d.RemoteURL + "/*"}, {URLPattern: d.ProductsURL + "/*"}})); err != nil {
		t.Fatal(err)
	}
	release := func() {
		mu.Lock()
		defer mu.Unlock()
		if !released {
			released = true
			for _, id := range held {
				proceed(id)
			}
		}
	}
	defer release()
	if err := chromedp.Run(ctx, page.Reload()); err != nil {
		t.Fatal(err)
	}
	// The host's own part works (runtime ready, account button live) while the
	// remotes' requests are held (each attempt may take 3 s: look quickly).
	waitFor(t, ctx, `document.querySelector('#runtime-status').dataset.state === 'loading' && !document.querySelector('#auth-button').disabled`,
		"the host did not start while the remotes were held")
	want := `[["#cart-badge","true",true],["#promo-slot","true",true],["#products-slot","true",true],["#cart-slot","true",true],["#recommendations-slot","true",true]]`
	if got := eval[string](t, ctx, busySlots); got != want {
		t.Errorf("while the remotes load [slot, aria-busy, skeleton] = %s\nwant %s", got, want)
	}
	if eval[bool](t, ctx, `window.demo !== undefined`) {
		t.Error("the bootstrap finished although the remotes were held")
	}
	// The products skeleton is the four cards of the catalog on one row.
	if got := eval[string](t, ctx, `(() => { const cards = [...document.querySelectorAll('#products-slot .sk-card')];
		return JSON.stringify([cards.length, new Set(cards.map((c) => Math.round(c.getBoundingClientRect().top))).size]) })()`); got != `[4,1]` {
		t.Errorf("the products skeleton has [cards, rows] = %s, want [4,1]", got)
	}
	// Before any script ran, the host's line names the host shell and nothing dangles after it.
	if html := string(get(t, d.HostURL+"/")); !strings.Contains(html, `<p class="origin host-origin">host shell<span id="host-origin"></span></p>`) {
		t.Error("the page's host line is not 'host shell' with the origin added by the bootstrap")
	}
	screenshot(t, ctx, "loading.png")
	mu.Lock()
	n := len(held)
	mu.Unlock()
	release()
	if n == 0 {
		t.Error("no request to the remote origin was held")
	}

	waitFor(t, ctx, `window.demo !== undefined && document.querySelector('#recommendations-slot').getAttribute('aria-busy') === 'false' && document.querySelectorAll('#products li').length === 4`,
		"the remotes did not arrive once released")
	if got := eval[string](t, ctx, busySlots+` + document.querySelectorAll('.skeleton').length`); got != `[["#cart-badge","false",false],["#promo-slot","false",false],["#products-slot","false",false],["#cart-slot","false",false],["#recommendations-slot","false",false]]0` {
		t.Errorf("after the remotes arrived [slot, aria-busy, skeleton] = %s, want nothing busy and no skeleton left", got)
	}
	if got := eval[string](t, ctx, `JSON.stringify([document.querySelector('[data-testid="cart-count"]').textContent, document.querySelector('#cart-badge').textContent,
		document.querySelector('#recommendations-slot [data-fedwasm-fallback]') !== null])`); got != `["0","Cart · 0",true]` {
		t.Errorf("after the remotes arrived [cart count, badge, recommendations fallback] = %s", got)
	}
	if err := chromedp.Run(ctx, fetch.Disable()); err != nil {
		t.Fatal(err)
	}
	noProblems(t, b)
}
