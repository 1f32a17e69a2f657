//go:build e2e

package e2e

// Orders in the demo shop are idempotent end to end: a checkout carries an
// idempotency key kept in the persisted cart, so a double click sends one
// order and a reload while the order is in flight resolves to the order the
// API placed, in every tab. Stock limits every way into the cart.

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/chromedp"

	"github.com/fedwasm/fedwasm/internal/browser"
	"github.com/fedwasm/fedwasm/internal/demo"
)

// interceptFirstOrderAnswer holds the answers to POST /api/orders in ctx
// (DevTools' Fetch domain, at the response stage: the API has placed the
// order by then). The first goes to first, which answers it or leaves it
// unanswered; the others go on to the page. fetch.Disable ends it.
func interceptFirstOrderAnswer(t *testing.T, ctx context.Context, first func(e *fetch.EventRequestPaused)) {
	t.Helper()
	var mu sync.Mutex
	taken := false
	chromedp.ListenTarget(ctx, func(ev any) {
		e, ok := ev.(*fetch.EventRequestPaused)
		if !ok {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		if !taken && e.Request.Method == http.MethodPost {
			taken = true
			first(e)
			return
		}
		go func() { _ = chromedp.Run(ctx, fetch.ContinueResponse(e.RequestID)) }()
	})
	if err := chromedp.Run(ctx, fetch.Enable().WithPatterns([]*fetch.RequestPattern{{URLPattern: "*/api/orders", RequestStage: fetch.RequestStageResponse}})); err != nil {
		t.Fatal(err)
	}
}

// checkoutButton is the cart panel's Check out (the drawer has one too).
const checkoutButton = `#cart-slot > .cart-actions [data-testid="checkout"]`

// orderShown is the order confirmation a tab shows and whether its cart is empty.
const orderShown = `JSON.stringify([document.querySelector('#cart-slot > [data-testid="order-placed"]')?.textContent ?? null, demo.cart.getState().lines.length, demo.cart.getState().checkout])`

// TestOrders checks out twice with double clicks, then runs the shop out of stock.
func TestOrders(t *testing.T) {
	d, b, ctx := startDemo(t)
	t.Run("a double click places one order", func(t *testing.T) { doubleClickPlacesOneOrder(t, d, b, ctx) })
	t.Run("stock is checked on every add path", func(t *testing.T) { stockIsCheckedOnEveryAddPath(t, d, b, ctx) })
	t.Run("a lost answer is sent again with its key", func(t *testing.T) { lostAnswerIsRetriedWithItsKey(t, d, b, ctx) })
}

// The API places the order but the page gets a 503 in its place (a gateway
// that timed out; DevTools' Fetch domain swaps the answer): the cart says
// the order is unconfirmed and keeps it; Try again sends it with the same
// key and the API answers with the order it placed.
func lostAnswerIsRetriedWithItsKey(t *testing.T, d *demo.Demo, b *browser.Browser, ctx context.Context) {
	interceptFirstOrderAnswer(t, ctx, func(e *fetch.EventRequestPaused) {
		// The origin's headers (CORS) with the gateway's status and text.
		var headers []*fetch.HeaderEntry
		for _, h := range e.ResponseHeaders {
			if name := strings.ToLower(h.Name); name != "content-length" && name != "content-type" {
				headers = append(headers, h)
			}
		}
		go func() {
			_ = chromedp.Run(ctx, fetch.FulfillRequest(e.RequestID, http.StatusServiceUnavailable).WithResponseHeaders(headers).
				WithBody(base64.StdEncoding.EncodeToString([]byte("upstream timed out"))))
		}()
	})
	defer func() { _ = chromedp.Run(ctx, fetch.Disable()) }()
	orders, posts := d.Orders(), d.Served("/api/orders")
	click(t, ctx, `button[data-product="ms"]`)
	waitFor(t, ctx, `demo.cart.getState().lines.length === 1`, "the cart did not fill")
	click(t, ctx, checkoutButton)
	waitForValue(t, ctx, `JSON.stringify([document.querySelector('#cart-slot > [data-testid="checkout-error"]')?.textContent, document.querySelector('`+checkoutButton+`').textContent, demo.cart.getState().lines.length])`,
		`["The order could not be confirmed (POST `+d.ProductsURL+`/api/orders: HTTP 503); try again: it will not be placed twice.","Try again",1]`,
		"a lost answer did not leave the order unconfirmed with Try again")
	click(t, ctx, checkoutButton)
	waitForValue(t, ctx, orderShown, fmt.Sprintf(`["Order #%d placed · 1 item · $39",0,null]`, 1000+orders+1), "Try again did not show the order the API placed")
	if d.Orders() != orders+1 || d.Served("/api/orders") != posts+2 {
		t.Errorf("the API placed %d orders from %d POSTs; want 1 from 2 (the retry replayed it)", d.Orders()-orders, d.Served("/api/orders")-posts)
	}
	for _, p := range b.Problems() {
		if !strings.HasPrefix(p, "log: Failed to load resource: the server responded with a status of 503 (Service Unavailable) "+d.ProductsURL+"/api/orders") && !d.KnownProblem(p) {
			t.Errorf("the page logged: %s", p)
		}
	}
}

func doubleClickPlacesOneOrder(t *testing.T, d *demo.Demo, b *browser.Browser, ctx context.Context) {
	click(t, ctx, `button[data-product="kb"]`)
	click(t, ctx, `button[data-product="kb"]`)
	waitFor(t, ctx, `demo.cart.getState().lines[0]?.qty === 2`, "the cart did not fill")
	// Two clicks in one task: no render between them can disable the button.
	eval[bool](t, ctx, `(() => { const b = document.querySelector('`+checkoutButton+`'); b.click(); b.click(); return true })()`)
	waitForValue(t, ctx, orderShown, `["Order #1001 placed · 2 items · $178",0,null]`, "the double click did not end in one order")
	// And a real double click with the mouse.
	click(t, ctx, `button[data-product="ms"]`)
	waitFor(t, ctx, `demo.cart.getState().lines.length === 1`, "the cart did not fill again")
	if err := chromedp.Run(ctx, chromedp.DoubleClick(checkoutButton, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	waitForValue(t, ctx, orderShown, `["Order #1002 placed · 1 item · $39",0,null]`, "the mouse double click did not end in one order")
	if orders, posts := d.Orders(), d.Served("/api/orders"); orders != 2 || posts != 2 {
		t.Errorf("the API placed %d orders from %d POSTs; want 2 from 2 (one per checkout)", orders, posts)
	}
	noProblems(t, b)
}

// The order reaches the API, which places it, but the answer is held back
// (DevTools' Fetch domain) and the page is reloaded: the reloaded page sends
// the same order again with its key, the API answers with the order it
// placed, and both tabs show it with an empty cart. Stock dropped once.
func TestOrderReloadMidCheckoutResolvesToThePlacedOrderInEveryTab(t *testing.T) {
	d, b, tabA := startDemo(t)
	tabB := openDemoTab(t, d, b)
	click(t, tabA, `button[data-product="kb"]`)
	click(t, tabA, `button[data-product="kb"]`)
	waitFor(t, tabB, `demo.cart.getState().lines[0]?.qty === 2`, "tab B did not get tab A's cart")

	held := make(chan string, 1)
	interceptFirstOrderAnswer(t, tabA, func(e *fetch.EventRequestPaused) {
		held <- e.Request.Headers["Idempotency-Key"].(string) // never answered: the reload abandons it
	})
	click(t, tabA, checkoutButton)
	waitFor(t, tabA, `document.querySelector('`+checkoutButton+`').textContent === 'Placing order…'`, "the checkout did not start")
	for deadline := time.Now().Add(10 * time.Second); d.Orders() != 1; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the API did not place the order")
		}
	}
	var key string
	select {
	case key = <-held:
	case <-time.After(5 * time.Second):
		t.Fatal("the order's answer was not held")
	}
	// Meanwhile tab B knows an order is on its way and cannot send another.
	waitForValue(t, tabB, `JSON.stringify([demo.cart.getState().checkout?.key, document.querySelector('`+checkoutButton+`').disabled])`,
		`["`+key+`",true]`, "tab B did not see the checkout in flight")

	reloadDemo(t, tabA, b)
	want := `["Order #1001 placed · 2 items · $178",0,null]`
	waitForValue(t, tabA, orderShown, want, "the reloaded tab did not resolve to the placed order")
	waitForValue(t, tabB, orderShown, want, "the other tab did not show the placed order")
	if orders, posts := d.Orders(), d.Served("/api/orders"); orders != 1 || posts != 2 {
		t.Errorf("the API placed %d orders from %d POSTs; want 1 order (the reload sent it again with its key)", orders, posts)
	}
	waitFor(t, tabB, `document.querySelector('.product[data-id="kb"] .stock').dataset.stock === '10'`, "the stock did not drop by the order's 2 keyboards, once")
	// Checking out again is a new order with a new key.
	click(t, tabB, `button[data-product="kb"]`)
	click(t, tabB, checkoutButton)
	waitForValue(t, tabB, orderShown, `["Order #1002 placed · 1 item · $89",0,null]`, "a second checkout did not place a second order")
	if err := chromedp.Run(tabA, fetch.Disable()); err != nil {
		t.Fatal(err)
	}
	noProblems(t, b)
}

// Every way into the cart stops at the stock: ten clicks faster than a
// render, the cart's +, and "Complete your setup". An item sold out after
// the page read the stock is refused at checkout by name, and the cart can
// drop it and check out the rest.
func stockIsCheckedOnEveryAddPath(t *testing.T, d *demo.Demo, b *browser.Browser, ctx context.Context) {
	waitFor(t, ctx, `document.querySelector('.product[data-id="mn"] .stock')?.dataset.stock === '4'`, "the stock did not arrive")
	eval[bool](t, ctx, `(() => { const b = document.querySelector('button[data-product="mn"]'); for (let i = 0; i < 10; i++) b.click(); return true })()`)
	monitor := `JSON.stringify([demo.cart.getState().lines.find((l) => l.id === 'mn')?.qty, document.querySelector('.product[data-id="mn"] .in-cart')?.textContent,
		document.querySelector('.product[data-id="mn"] .stock').textContent, document.querySelector('button[data-product="mn"]').textContent,
		document.querySelector('button[data-product="mn"]').disabled, document.querySelector('[data-qty-inc="mn"]').disabled])`
	waitForValue(t, ctx, monitor, `[4,"4 in cart","Only 4 left","All in your cart",true,true]`, "ten fast clicks on a product with 4 in stock")
	// The cart's + is disabled at the stock; enabled by force, the store still refuses.
	if got := eval[float64](t, ctx, `(() => { const b = document.querySelector('[data-qty-inc="mn"]'); b.disabled = false; b.click(); b.click();
		return demo.cart.getState().lines.find((l) => l.id === 'mn').qty })()`); got != 4 {
		t.Errorf("the cart's + took the monitor to %v with 4 in stock", got)
	}

	// Another customer buys every keyboard after this page read the stock.
	var stock struct{ Stock map[string]int }
	if err := json.Unmarshal(get(t, d.ProductsURL+"/api/stock"), &stock); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(d.ProductsURL+"/api/orders", "application/json", strings.NewReader(fmt.Sprintf(`{"items":[{"id":"kb","qty":%d}]}`, stock.Stock["kb"])))
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("buying every keyboard: %v %v", resp, err)
	}
	resp.Body.Close()
	waitFor(t, ctx, `document.querySelector('[data-suggest="kb"]') !== null`, "Complete your setup did not offer the keyboard")
	click(t, ctx, `[data-suggest="kb"]`)
	waitFor(t, ctx, `demo.cart.getState().lines.some((l) => l.id === 'kb')`, "Add in Complete your setup did nothing")
	click(t, ctx, `#cart-slot > .cart-lines [data-qty-inc="kb"]`)
	click(t, ctx, checkoutButton)
	waitForValue(t, ctx, `document.querySelector('#cart-slot > [data-testid="checkout-error"]')?.textContent ?? ''`,
		"Only 0 × Mechanical keyboard left, 2 in the cart: lower the quantity and check out again.", "the refused checkout did not name the product")
	kbLine := `#cart-slot > .cart-lines > [data-line="kb"]`
	waitForValue(t, ctx, `document.querySelector('`+kbLine+` .line-name').textContent`, "Mechanical keyboard · only 0 left",
		"the keyboard's line did not say that none is left")
	// − lowers a line that holds more than is left by one, like any other.
	click(t, ctx, kbLine+` [data-qty-dec="kb"]`)
	waitForValue(t, ctx, `document.querySelector('`+kbLine+` .qty')?.textContent ?? 'gone'`, "1", "− on a line over the stock did not lower it by one")
	click(t, ctx, kbLine+` [data-remove="kb"]`)
	click(t, ctx, checkoutButton)
	waitForValue(t, ctx, orderShown, `["Order #1004 placed · 4 items · $1116",0,null]`, "the rest of the cart was not ordered")

	// The refusal is an HTTP 409, which Chromium logs.
	for _, p := range b.Problems() {
		if !strings.HasPrefix(p, "log: Failed to load resource: the server responded with a status of 409 (Conflict) "+d.ProductsURL+"/api/orders") && !d.KnownProblem(p) {
			t.Errorf("the page logged: %s", p)
		}
	}
	// On a fresh load, what is sold out is not suggested and cannot be added.
	reloadDemo(t, ctx, b)
	waitFor(t, ctx, `document.querySelector('.product[data-id="kb"] .stock')?.dataset.stock === '0' && document.querySelectorAll('[data-suggest]').length === 2`,
		"no stock or no suggestions after the reload")
	if got := eval[string](t, ctx, `JSON.stringify([[...document.querySelectorAll('[data-suggest]')].map((b) => b.dataset.suggest),
		document.querySelector('button[data-product="kb"]').textContent, document.querySelector('button[data-product="kb"]').disabled])`); got != `[["ms","hd"],"Sold out",true]` {
		t.Errorf("after selling out [suggested, keyboard's button, disabled] = %s", got)
	}
	noProblems(t, b)
}
