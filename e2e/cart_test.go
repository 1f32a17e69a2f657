//go:build e2e

package e2e

// The demo's cart as a user meets it: one line per product with its
// quantity, − and + and Remove; a drawer that opens with focus on a control
// that destroys nothing and can check out; and API failures that end in a
// retry button after retries that back off.

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/fedwasm/fedwasm/internal/demo"
	"github.com/fedwasm/fedwasm/server"
)

// cartLines is what the cart panel shows: each line's product and quantity,
// the item count, the total and the badge.
const cartLines = `JSON.stringify([[...document.querySelectorAll('#cart-slot > .cart-lines > [data-line]')].map((li) => li.dataset.line + '×' + li.querySelector('.qty').textContent),
	document.querySelector('[data-testid="cart-count"]').textContent, document.querySelector('#cart-slot > .cart-total').textContent, document.querySelector('#cart-badge').textContent])`

func TestCartHoldsQuantitiesWithPlusMinusAndRemove(t *testing.T) {
	_, b, ctx := startDemo(t)
	for range 3 {
		click(t, ctx, `button[data-product="kb"]`)
	}
	waitForValue(t, ctx, cartLines, `[["kb×3"],"3","Total $267","Cart · 3"]`, "three keyboards are not one line of 3")
	click(t, ctx, `#cart-slot > .cart-lines [data-qty-dec="kb"]`)
	waitForValue(t, ctx, cartLines, `[["kb×2"],"2","Total $178","Cart · 2"]`, "− did not lower the quantity")
	click(t, ctx, `#cart-slot > .cart-lines [data-qty-inc="kb"]`)
	click(t, ctx, `button[data-product="hd"]`)
	waitForValue(t, ctx, cartLines, `[["kb×3","hd×1"],"4","Total $416","Cart · 4"]`, "+ and another product")
	click(t, ctx, `#cart-slot > .cart-lines [data-remove="kb"]`)
	waitForValue(t, ctx, cartLines, `[["hd×1"],"1","Total $149","Cart · 1"]`, "Remove did not drop the line")
	click(t, ctx, `#cart-slot > .cart-lines [data-qty-dec="hd"]`)
	waitForValue(t, ctx, cartLines, `[[],"0","Your cart is empty.","Cart · 0"]`, "− on the last one did not empty the line")
	noProblems(t, b)
}

// With the keyboard only: View cart opens the drawer with focus on Close, so
// pressing Enter twice closes and reopens it and never empties the cart; the
// drawer's Check out places the order.
func TestCartDrawerFocusAndCheckout(t *testing.T) {
	d, b, ctx := startDemo(t)
	click(t, ctx, `button[data-product="ms"]`)
	click(t, ctx, `button[data-product="ms"]`)
	waitFor(t, ctx, `demo.cart.getState().lines[0]?.qty === 2`, "the cart did not fill")
	eval[any](t, ctx, `document.querySelector('#view-cart').focus()`)
	if err := chromedp.Run(ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, drawerOpen, "Enter on View cart did not open the drawer")
	if got := eval[string](t, ctx, `document.activeElement.textContent`); got != "Close" {
		t.Errorf("the drawer opened with focus on %q, want Close", got)
	}
	for range 2 {
		if err := chromedp.Run(ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
			t.Fatal(err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if got := eval[float64](t, ctx, `demo.cart.getState().lines[0]?.qty ?? 0`); got != 2 {
		t.Fatalf("Enter twice in the drawer left %v in the cart, want 2", got)
	}
	eval[any](t, ctx, `fedwasm.events.emit('cart:open', { source: 'test' })`)
	waitFor(t, ctx, drawerOpen, "the drawer did not open")
	click(t, ctx, `[data-testid="cart-drawer"] [data-testid="checkout"]`)
	waitForValue(t, ctx, `document.querySelector('[data-testid="cart-drawer"] [data-testid="order-placed"]')?.textContent ?? ''`,
		"Order #1001 placed · 2 items · $78", "the drawer's Check out did not place the order")
	if d.Orders() != 1 {
		t.Errorf("the API placed %d orders, want 1", d.Orders())
	}
	noProblems(t, b)
}

// requestLog records when each path of an origin was requested.
type requestLog struct {
	mu    sync.Mutex
	times map[string][]time.Time
}

func (l *requestLog) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.mu.Lock()
		l.times[r.URL.Path] = append(l.times[r.URL.Path], time.Now())
		l.mu.Unlock()
		h.ServeHTTP(w, r)
	})
}

// gaps are the times between the requests of path since the log was cleared.
func (l *requestLog) gaps(path string) []time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []time.Duration
	for i := 1; i < len(l.times[path]); i++ {
		out = append(out, l.times[path][i].Sub(l.times[path][i-1]).Round(time.Millisecond))
	}
	return out
}

func (l *requestLog) clear() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.times = map[string][]time.Time{}
}

// The catalog answers 503: the host's client retries with growing delays; a
// transient failure heals by itself, a lasting one ends in an error with a
// Try again button (no label stays "fetching…" or "Loading…"), which loads
// the catalog once the API is back.
func TestAPIFailureRetriesWithBackoffThenOffersRetry(t *testing.T) {
	requests := &requestLog{times: map[string][]time.Time{}}
	var faults *server.Faults
	_, b, ctx := startDemoWith(t, demo.Options{Wrap: func(site string, h http.Handler) http.Handler {
		if site != "products" {
			return h
		}
		faults = server.NewFaults(h, nil)
		return requests.wrap(faults)
	}})
	// Two failures, then the catalog: the retries heal it.
	faults.Set("/api/products", server.Fault{Status: http.StatusServiceUnavailable, Times: 2})
	faults.ResetHits()
	requests.clear()
	reloadDemo(t, ctx, b)
	waitFor(t, ctx, `document.querySelectorAll('#products li').length === 4`, "the retries did not heal two failures")
	checkBackoff(t, requests.gaps("/api/products"), 2)

	faults.Set("/api/products", server.Fault{Status: http.StatusServiceUnavailable})
	requests.clear()
	reloadDemo(t, ctx, b)
	views := `JSON.stringify([document.querySelector('[data-retry="The catalog"]') !== null, document.querySelector('[data-retry="Suggestions"]') !== null,
		document.querySelector('[data-testid="products-request"]').textContent, document.querySelector('[data-testid="suggestions-request"]').textContent,
		/Loading…|fetching…/.test(document.body.innerText)])`
	waitForValue(t, ctx, views, `[true,true,"failed","failed",false]`, "after its retries the catalog's failure was not shown with a retry button")
	checkBackoff(t, requests.gaps("/api/products"), 3)
	screenshot(t, ctx, "api-down.png")

	faults.Set("/api/products", server.Fault{})
	click(t, ctx, `[data-retry="The catalog"]`)
	waitFor(t, ctx, `document.querySelectorAll('#products li').length === 4 && document.querySelectorAll('[data-suggest]').length === 2 && document.querySelector('[data-retry]') === null`,
		"Try again did not load the catalog in both remotes")
	checkOutageProblems(t, b)
}

// checkBackoff checks that gaps are n retries 0.3, 0.6, 1.2 s apart (the
// delay doubles each time), give or take what a request and a render take.
func checkBackoff(t *testing.T, gaps []time.Duration, n int) {
	t.Helper()
	ok := len(gaps) == n
	for i := 0; ok && i < n; i++ {
		delay := 300 * time.Millisecond << i
		ok = gaps[i] >= delay-20*time.Millisecond && gaps[i] < delay+500*time.Millisecond
	}
	if !ok {
		t.Errorf("the catalog was retried after %v; want %d retries after 0.3, 0.6, 1.2 s", gaps, n)
	}
}
