//go:build e2e

package e2e

// The React remotes of the demo shop: shared singletons across origins, the
// exported store, Strategy A (one QueryClient, one request) and Strategy B
// (isolated clients; a checkout invalidates stock in another remote and in
// other tabs), and a remote that is down.

import (
	"context"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// sharedPackages are what the React remotes take from the share scope.
var sharedPackages = []string{"react", "react-dom", "react-dom/client", "zustand", "zustand/react", "@tanstack/query-core", "@tanstack/react-query"}

func TestPatternSharedSingletonsAcrossReactRemotes(t *testing.T) {
	_, b, ctx := startDemo(t)
	for _, pkg := range sharedPackages {
		t.Run(pkg, func(t *testing.T) {
			// Each remote's bare import and its loadShare are the host's one module, and
			// the share scope has one provider (shell) that both remotes consumed.
			got := eval[string](t, ctx, `(async () => { const pkg = `+jsString(pkg)+`;
				const mod = await fedwasm.loadShare(pkg);
				const s = fedwasm.inspect().shares.find((x) => x.package === pkg);
				const consumers = [...new Set(s.consumers.filter((c) => c.from === 'cart' || c.from === 'products').map((c) => c.from + ':' + c.got))].sort();
				return JSON.stringify([demo.products.received()[pkg] === mod, demo.remote.received()[pkg] === mod,
					s.providers.map((p) => p.from + ':' + p.loaded), consumers.length, consumers.every((c) => c.endsWith(s.providers[0].version))]) })()`)
			if got != `[true,true,["shell:true"],2,true]` {
				t.Errorf("[products got the host's module, cart got it, providers, remote consumers, all on the one version] = %s", got)
			}
		})
	}
	// strictVersion: asking for a React outside the shared one's range fails with a code.
	if got := eval[string](t, ctx, `fedwasm.loadShare('react', { requiredVersion: '^18.0.0', strictVersion: true, singleton: true }).then(() => 'resolved', (e) => e.code)`); got != "SHARE_SINGLETON_MISMATCH" {
		t.Errorf("a strict consumer of react ^18 got %s, want SHARE_SINGLETON_MISMATCH", got)
	}
	// Hooks across the boundary: the products remote's button writes the host's
	// store; the cart remote's useStore and the products remote's own
	// useStore re-render from it (with two Reacts, either would throw).
	click(t, ctx, `button[data-product="hd"]`)
	click(t, ctx, `button[data-product="hd"]`)
	waitFor(t, ctx, `document.querySelector('[data-testid="cart-count"]').textContent === '2' &&
		document.querySelector('.product[data-id="hd"] .in-cart')?.textContent === '2 in cart' && demo.cart.getState().lines[0]?.qty === 2`,
		"adding in the products remote did not reach the host's store and the cart remote")
	if got := eval[string](t, ctx, `JSON.stringify([demo.products.received().cart === demo.cart, demo.remote.received().cart === demo.cart,
		demo.products.received().React === demo.remote.received().React])`); got != `[true,true,true]` {
		t.Errorf("[products' cart, cart's cart, one React] = %s", got)
	}
	noProblems(t, b)
}

func TestPatternStrategyASharedQueryClientOneRequest(t *testing.T) {
	d, b, ctx := startDemo(t)
	waitFor(t, ctx, `/request #1/.test(document.querySelector('[data-testid="products-request"]').textContent) &&
		/request #1/.test(document.querySelector('[data-testid="suggestions-request"]').textContent)`,
		"the products and cart remotes did not both show the products request")
	got := eval[string](t, ctx, `JSON.stringify([
		demo.products.received().queryClient === demo.queryClient, demo.remote.received().queryClient === demo.queryClient,
		demo.queryClient.getQueryCache().findAll({ queryKey: ['products'] }).length,
		performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/api/products')).length,
		document.querySelectorAll('#products li').length,
		[...document.querySelectorAll('.suggestions li')].length])`)
	if got != `[true,true,1,1,4,2]` {
		t.Errorf("[products' client is the host's, cart's is, cache entries, requests in the page, products shown, suggestions] = %s", got)
	}
	if n := d.Served("/api/products"); n != 1 {
		t.Errorf("the API served /api/products %d times, want 1 for both remotes", n)
	}
	noProblems(t, b)
}

// stockView is what a tab shows of the stock: this tab's stock fetches and the keyboard's level.
const stockView = `JSON.stringify([Number(document.querySelector('[data-testid="stock-fetches"]').dataset.count),
	document.querySelector('.product[data-id="kb"] .stock').dataset.stock])`

func TestPatternStrategyBCheckoutInvalidatesStockAcrossRemotesAndTabs(t *testing.T) {
	d, b, tabA := startDemo(t)
	tabB := openDemoTab(t, d, b)
	for _, tab := range []context.Context{tabA, tabB} {
		waitFor(t, tab, stockView+` === '[1,"12"]'`, "a tab did not fetch the stock once")
	}
	// The cart's client and the products remote's stock client are both
	// isolated; each holds its own ['stock'] (the cart's limits its + buttons).
	if got := eval[string](t, tabA, `JSON.stringify([demo.remote.received().ownClient !== demo.queryClient,
		demo.products.received().stockClient !== demo.queryClient, demo.remote.received().ownClient.getQueryCache().findAll({ queryKey: ['stock'] }).length])`); got != `[true,true,1]` {
		t.Errorf("[cart's own client, products' stock client, stock queries in the cart's client] = %s", got)
	}
	served := d.Served("/api/stock")
	click(t, tabA, `button[data-product="kb"]`)
	click(t, tabA, `button[data-product="kb"]`)
	waitFor(t, tabA, `demo.cart.getState().lines[0]?.qty === 2`, "tab A's cart did not fill")
	click(t, tabA, `[data-testid="checkout"]`)
	waitFor(t, tabA, `document.querySelector('[data-testid="order-placed"]') !== null`, "the order was not placed")
	// The cart remote invalidated ['stock'] on its own client; the products
	// remote's client refetched, in this tab and in the other (with the
	// cart's own ['stock'], fetched at the same moment: one request per tab).
	for _, c := range []struct {
		name string
		tab  context.Context
	}{{"tab A", tabA}, {"tab B", tabB}} {
		waitFor(t, c.tab, stockView+` === '[2,"10"]'`, c.name+" did not refetch the stock once after the checkout")
	}
	if n := d.Served("/api/stock") - served; n != 2 {
		t.Errorf("the checkout made %d stock requests, want 2 (one per tab)", n)
	}
	if got := eval[string](t, tabA, `JSON.stringify([demo.cart.getState().lines.length, document.querySelector('[data-testid="order-placed"]').textContent])`); got != `[0,"Order #1001 placed · 2 items · $178"]` {
		t.Errorf("after the checkout tab A shows [lines, message] %s", got)
	}
	waitFor(t, tabB, `demo.cart.getState().lines.length === 0`, "the emptied cart did not reach tab B")
	if err := chromedp.Run(tabA, page.BringToFront()); err != nil {
		t.Fatal(err)
	}
	screenshot(t, tabA, "checkout.png")
	noProblems(t, b)
}

func TestPatternRemoteDownShowsFallbackWhileTheRestWorks(t *testing.T) {
	_, b, ctx := startDemo(t)
	waitFor(t, ctx, `document.querySelector('#recommendations-slot').getAttribute('aria-busy') === 'false' && document.querySelectorAll('#products li').length === 4`,
		"the recommendations slot stayed busy")
	got := eval[string](t, ctx, `(async () => { const r = await demo.recommendations;
		const remote = fedwasm.inspect().remotes.find((x) => x.name === 'recommendations');
		return JSON.stringify([r.mounted, r.code, remote.state, document.querySelector('#recommendations-slot [data-fedwasm-fallback]') !== null]) })()`)
	if got != `[false,"REMOTE_LOAD_FAILED","failed",true]` {
		t.Errorf("[mounted, code, inspector state, fallback shown] = %s", got)
	}
	// The rest works: a product goes into the cart.
	click(t, ctx, `button[data-product="ms"]`)
	waitFor(t, ctx, `document.querySelector('[data-testid="cart-count"]').textContent === '1'`, "the shop stopped working with a remote down")
	eval[any](t, ctx, `document.querySelector('.recommendations').scrollIntoView({ block: 'center' })`)
	screenshot(t, ctx, "remote-down.png")
	noProblems(t, b)
}
