//go:build e2e

package e2e

// The demo shop's layout on a phone, a tablet and a desktop: no horizontal
// scroll, every control reachable and uncovered, the products and the cart
// side by side or stacked but never on top of each other, the page centred,
// and the cart drawer usable. The screenshots in docs/screenshots come from here.

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/fedwasm/fedwasm/internal/browser"
)

// layoutView measures the page: [scroll width > viewport width, products
// slot width, cart slot overlaps products, left and right margins of the
// layout, the header's controls within the width, products and cart side by side].
const layoutView = `(() => {
	const rect = (sel) => document.querySelector(sel).getBoundingClientRect();
	const products = rect('#products-slot'), cart = rect('#cart-slot'), layout = rect('main.layout > .column');
	const width = document.documentElement.clientWidth;
	const overlap = products.left < cart.right && cart.left < products.right && products.top < cart.bottom && cart.top < products.bottom;
	const header = ['#cart-badge', '#view-cart', '#auth-button', '#runtime-status'].every((sel) => { const r = rect(sel); return r.left >= 0 && r.right <= width; });
	return JSON.stringify({
		horizontalScroll: document.documentElement.scrollWidth > width,
		productsWidth: Math.round(products.width),
		overlap,
		margins: [Math.round(Math.min(layout.left, products.left)), Math.round(width - Math.max(cart.right, products.right))],
		header,
		sideBySide: cart.left >= products.right,
		width,
	});
})()`

type layoutState struct {
	HorizontalScroll bool   `json:"horizontalScroll"`
	ProductsWidth    int    `json:"productsWidth"`
	Overlap          bool   `json:"overlap"`
	Margins          [2]int `json:"margins"`
	Header           bool   `json:"header"`
	SideBySide       bool   `json:"sideBySide"`
	Width            int    `json:"width"`
}

func TestLayoutOnPhoneTabletAndDesktop(t *testing.T) {
	_, b, ctx := startDemo(t)
	click(t, ctx, `button[data-product="kb"]`)
	click(t, ctx, `button[data-product="hd"]`)
	for _, c := range []struct {
		name          string
		width, height int64
		mobile        bool
		sideBySide    bool
		shot, drawer  string // screenshot file names ("" takes none)
	}{
		{"phone 390×844", 390, 844, true, false, "demo-phone.png", "cart-drawer-phone.png"},
		{"tablet 820×1180", 820, 1180, true, false, "", ""},
		{"desktop 1366×900", 1366, 900, false, true, "demo.png", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			viewport := chromedp.EmulateViewport(c.width, c.height)
			if c.mobile {
				viewport = chromedp.EmulateViewport(c.width, c.height, chromedp.EmulateMobile)
			}
			if err := chromedp.Run(ctx, viewport); err != nil {
				t.Fatal(err)
			}
			reloadDemo(t, ctx, b)
			waitFor(t, ctx, `document.querySelectorAll('#products li button:not(:disabled)').length === 4 && document.querySelectorAll('#cart-slot > .cart-lines > [data-line]').length === 2`,
				"the products and the cart lines did not render")
			var got layoutState
			if err := browser.Eval(ctx, `JSON.parse(`+layoutView+`)`, &got); err != nil {
				t.Fatal(err)
			}
			if got.HorizontalScroll {
				t.Errorf("the page scrolls sideways at %d px (its width without the scroll bar: %d)", c.width, got.Width)
			}
			if got.Overlap || !got.Header || got.SideBySide != c.sideBySide {
				t.Errorf("[cart overlaps products, header controls within the width, side by side] = [%v %v %v], want [false true %v]", got.Overlap, got.Header, got.SideBySide, c.sideBySide)
			}
			if !c.sideBySide && float64(got.ProductsWidth) < 0.85*float64(c.width) {
				t.Errorf("the products column is %d px wide on a %d px screen", got.ProductsWidth, c.width)
			}
			if d := got.Margins[0] - got.Margins[1]; d > 2 || d < -2 {
				t.Errorf("the layout is not centred: margins %v", got.Margins)
			}
			if blocked := eval[string](t, ctx, blockedControls("")); blocked != "[]" {
				t.Errorf("controls that cannot be used: %s", blocked)
			}
			if c.shot != "" {
				screenshot(t, ctx, c.shot)
			}
			// The drawer: inside the screen, its controls usable, focus on Close.
			click(t, ctx, `#view-cart`)
			waitFor(t, ctx, drawerOpen, "View cart did not open the drawer")
			if got := eval[string](t, ctx, `(() => { const r = document.querySelector('[data-testid="cart-drawer"]').getBoundingClientRect();
				return JSON.stringify([r.left >= 0, r.right <= document.documentElement.clientWidth, r.bottom <= innerHeight + 0.5, document.activeElement.dataset.testid ?? document.activeElement.tagName]) })()`); got != `[true,true,true,"cart-drawer-close"]` {
				t.Errorf("drawer [left inside, right inside, bottom inside, focused] = %s", got)
			}
			if blocked := eval[string](t, ctx, blockedControls(`[data-testid="cart-drawer"]`)); blocked != "[]" {
				t.Errorf("drawer controls that cannot be used: %s", blocked)
			}
			if c.drawer != "" {
				screenshot(t, ctx, c.drawer)
			}
			if err := chromedp.Run(ctx, chromedp.KeyEvent(kb.Escape)); err != nil {
				t.Fatal(err)
			}
			waitFor(t, ctx, drawerClosed, "Esc did not close the drawer")
		})
	}
	noProblems(t, b)
}
