//go:build e2e

package e2e

// The demo's cart as a user meets it: one line per product with its
// quantity, − and + and Remove; a drawer that opens with focus on a control
// that destroys nothing and can check out.

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/fedwasm/fedwasm/internal/browser"
	"github.com/fedwasm/fedwasm/internal/demo"
)

// cartLines is what the cart panel shows: each line's product and quantity,
// the item count, the total and the badge.
const cartLines = `JSON.stringify([[...document.querySelectorAll('#cart-slot > .cart-lines > [data-line]')].map((li) => li.dataset.line + '×' + li.querySelector('.qty').textContent),
	document.querySelector('[data-testid="cart-count"]').textContent, document.querySelector('#cart-slot > .cart-total').textContent, document.querySelector('#cart-badge').textContent])`

func TestCart(t *testing.T) {
	d, b, ctx := startDemo(t)
	t.Run("one line per product with -, + and Remove", func(t *testing.T) { cartQuantities(t, b, ctx) })
	t.Run("the drawer's focus and its Check out", func(t *testing.T) { cartDrawer(t, d, b, ctx) })
}

func cartQuantities(t *testing.T, b *browser.Browser, ctx context.Context) {
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
func cartDrawer(t *testing.T, d *demo.Demo, b *browser.Browser, ctx context.Context) {
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
