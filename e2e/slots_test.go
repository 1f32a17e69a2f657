//go:build e2e

package e2e

// Each slot of the demo's host is independent: any remote, or a whole origin,
// can be down and the rest of the page still becomes interactive, each failed
// slot shows fedwasm's fallback, the status line names what is unavailable,
// and nothing covers a control (the loader's error bar included).

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/fedwasm/fedwasm/internal/browser"
	"github.com/fedwasm/fedwasm/internal/demo"
	"github.com/fedwasm/fedwasm/internal/servertest"
	"github.com/fedwasm/fedwasm/server"
)

// outage takes parts of the demo down while it runs: a whole origin (every
// connection to it is dropped, as when its server is gone) or single paths
// (servertest.Faults answers them with a 503, as a failing edge would).
// It records when each path was requested.
type outage struct {
	mu     sync.Mutex
	down   map[string]bool // by site: "remote", "products"
	faults map[string]*servertest.Faults
	times  map[string][]time.Time // by path
}

func newOutage() *outage {
	return &outage{down: map[string]bool{}, faults: map[string]*servertest.Faults{}, times: map[string][]time.Time{}}
}

// wrap is demo.Options.Wrap.
func (o *outage) wrap(site string, h http.Handler) http.Handler {
	f := servertest.NewFaults(h, nil)
	o.faults[site] = f
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		o.mu.Lock()
		down := o.down[site]
		o.times[r.URL.Path] = append(o.times[r.URL.Path], time.Now())
		o.mu.Unlock()
		if down {
			panic(http.ErrAbortHandler) // net/http drops the connection without a response
		}
		f.ServeHTTP(w, r)
	})
}

// set makes exactly sites and paths (site → paths answered 503) down.
func (o *outage) set(sites []string, paths map[string][]string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	clear(o.down)
	for _, s := range sites {
		o.down[s] = true
	}
	for site, f := range o.faults {
		for _, p := range []string{"/cart.js", "/products.js", "/badge.js", "/promo.js", "/api/products", "/api/stock"} {
			f.Set(p, servertest.Fault{})
		}
		for _, p := range paths[site] {
			f.Set(p, servertest.Fault{Status: http.StatusServiceUnavailable})
		}
	}
}

// gaps are the times between the requests of path since clearTimes.
func (o *outage) gaps(path string) []time.Duration {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []time.Duration
	for i := 1; i < len(o.times[path]); i++ {
		out = append(out, o.times[path][i].Sub(o.times[path][i-1]).Round(time.Millisecond))
	}
	return out
}

func (o *outage) clearTimes() {
	o.mu.Lock()
	defer o.mu.Unlock()
	clear(o.times)
}

// blockedControls lists the controls under root (a selector; empty for the whole
// page) that cannot be used where they are: each visible button, link or
// field is scrolled into view; it must lie within the page's width and be
// the element found at its centre (nothing fixed or stacked on top of it).
func blockedControls(root string) string {
	return `(() => {
	const root = ` + jsString(root) + ` ? document.querySelector(` + jsString(root) + `) : document;
	const blocked = [];
	for (const el of root.querySelectorAll('button, a[href], input, select, textarea')) {
		if (el.closest('dialog:not([open])')) continue;
		if (el.getClientRects().length === 0 || getComputedStyle(el).visibility === 'hidden') continue;
		el.scrollIntoView({ block: 'center', inline: 'center' });
		const r = el.getBoundingClientRect();
		const name = (el.id ? '#' + el.id : el.tagName.toLowerCase()) + ' "' + el.textContent.trim().slice(0, 30) + '"';
		if (r.left < 0 || r.right > document.documentElement.clientWidth + 0.5) { blocked.push(name + ' lies outside the page width'); continue; }
		const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
		if (!hit || !(hit === el || el.contains(hit))) blocked.push(name + ' is covered by ' + (hit ? (hit.id ? '#' + hit.id : hit.tagName.toLowerCase() + '.' + hit.className) : 'nothing'));
	}
	scrollTo(0, 0);
	return JSON.stringify(blocked);
})()`
}

// slotView is each slot's [remote, aria-busy, shows a fallback], the skeletons
// left on the page, the status line's state and text, the footer, the View
// cart button's state and whether the loader's error bar is shown.
const slotView = `JSON.stringify({
	slots: [['badge', '#cart-badge'], ['promo', '#promo-slot'], ['products', '#products-slot'], ['cart', '#cart-slot'], ['recommendations', '#recommendations-slot']]
		.map(([name, sel]) => [name, document.querySelector(sel).getAttribute('aria-busy'), document.querySelector(sel + ' [data-fedwasm-fallback]') !== null]),
	skeletons: document.querySelectorAll('.skeleton').length,
	status: [document.querySelector('#runtime-status').dataset.state, document.querySelector('#runtime-status').textContent],
	footer: document.querySelector('#share-info').textContent.startsWith('one copy of each, shared: '),
	viewCart: !document.querySelector('#view-cart').disabled,
	errorBar: document.querySelector('#fedwasm-error') !== null,
})`

type slotState struct {
	Slots     [][3]any  `json:"slots"`
	Skeletons int       `json:"skeletons"`
	Status    [2]string `json:"status"`
	Footer    bool      `json:"footer"`
	ViewCart  bool      `json:"viewCart"`
	ErrorBar  bool      `json:"errorBar"`
}

// TestDemoSurvivesFailures takes the demo's parts down one after the other
// in one page: remotes and origins, the API, then the start itself.
func TestDemoSurvivesFailures(t *testing.T) {
	o := newOutage()
	d, b, ctx := startDemoWith(t, demo.Options{Wrap: o.wrap})
	slotsAreIndependent(t, o, b, ctx)
	t.Run("the API answers 503", func(t *testing.T) { apiFailureRetries(t, o, b, ctx) })
	t.Run("the loader's error bar", func(t *testing.T) { errorBarCoversNoControl(t, d, b, ctx) })
}

// Any remote, alone or with others, and each origin in turn is taken down;
// the page is reloaded and must become interactive without it.
func slotsAreIndependent(t *testing.T, o *outage, b *browser.Browser, ctx context.Context) {
	version := eval[string](t, ctx, `fedwasm.version`)
	slotOrder := []string{"recommendations", "cart", "products", "badge", "promo"} // as the bootstrap starts them
	cases := []struct {
		name   string
		sites  []string
		paths  map[string][]string
		failed []string // besides recommendations, which is always down
		apiUp  bool
	}{
		{"the cart remote", nil, map[string][]string{"remote": {"/cart.js"}}, []string{"cart"}, true},
		{"the products remote", nil, map[string][]string{"products": {"/products.js"}}, []string{"products"}, true},
		{"the badge remote", nil, map[string][]string{"remote": {"/badge.js"}}, []string{"badge"}, true},
		{"the promo remote", nil, map[string][]string{"remote": {"/promo.js"}}, []string{"promo"}, true},
		{"the cart and products remotes", nil, map[string][]string{"remote": {"/cart.js"}, "products": {"/products.js"}}, []string{"cart", "products"}, true},
		{"the cart origin (cart, badge, promo)", []string{"remote"}, nil, []string{"cart", "badge", "promo"}, true},
		{"the products origin (products and the API)", []string{"products"}, nil, []string{"products"}, false},
	}
	for _, c := range cases {
		t.Run("down: "+c.name, func(t *testing.T) {
			o.set(c.sites, c.paths)
			defer o.set(nil, nil)
			reloadDemo(t, ctx, b)
			failed := append([]string{"recommendations"}, c.failed...)
			var wantSlots [][3]any
			for _, name := range []string{"badge", "promo", "products", "cart", "recommendations"} {
				wantSlots = append(wantSlots, [3]any{name, "false", slices.Contains(failed, name)})
			}
			var unavailable []string
			for _, name := range slotOrder {
				if slices.Contains(failed, name) {
					unavailable = append(unavailable, name)
				}
			}
			want := slotState{Slots: wantSlots, Skeletons: 0, Status: [2]string{"degraded", "fedwasm " + version + " · unavailable: " + strings.Join(unavailable, ", ")},
				Footer: true, ViewCart: !slices.Contains(failed, "cart")}
			wantJSON := mustJSON(t, want)
			// The API's retries (when it is down) end in an error with a retry button.
			waitForValue(t, ctx, slotView, wantJSON, "the page did not settle as expected")
			if !c.apiUp {
				waitFor(t, ctx, `document.querySelector('#cart-slot [data-retry="Suggestions"]') !== null`, "the cart did not offer to retry the catalog with the API down")
			}
			if got := eval[string](t, ctx, blockedControls("")); got != "[]" {
				t.Errorf("controls that cannot be used: %s", got)
			}
			// The host's own part works: signing out and in again.
			click(t, ctx, `#auth-button`)
			waitFor(t, ctx, `document.querySelector('#account').dataset.state === 'signed-out'`, "Log out did nothing")
			click(t, ctx, `#auth-button`)
			waitFor(t, ctx, `document.querySelector('#account').dataset.state === 'signed-in'`, "Sign in did nothing")
			// Whatever remote is up works: products adds to the cart, the
			// cart's suggestions add, the badge and the cart show it.
			switch {
			case !slices.Contains(failed, "products"):
				click(t, ctx, `button[data-product="kb"]`)
			case !slices.Contains(failed, "cart") && c.apiUp:
				waitFor(t, ctx, `document.querySelector('[data-suggest]:not(:disabled)') !== null`, "the cart's suggestions did not arrive")
				click(t, ctx, `[data-suggest]`)
			}
			if !slices.Contains(failed, "products") || (!slices.Contains(failed, "cart") && c.apiUp) {
				waitFor(t, ctx, `demo.cart.getState().lines.length === 1`, "adding to the cart did nothing")
				if !slices.Contains(failed, "badge") {
					waitFor(t, ctx, `document.querySelector('#cart-badge').dataset.count === '1'`, "the badge did not count the item")
				}
			}
			if !slices.Contains(failed, "cart") {
				click(t, ctx, `#view-cart`)
				waitFor(t, ctx, drawerOpen, "View cart did not open the drawer")
				if err := chromedp.Run(ctx, chromedp.KeyEvent(kb.Escape)); err != nil {
					t.Fatal(err)
				}
				waitFor(t, ctx, drawerClosed, "Esc did not close the drawer")
			}
			eval[any](t, ctx, `demo.cart.setState({ lines: [], checkout: null, lastOrder: null })`)
			checkOutageProblems(t, b)
		})
	}
}

// outageProblem matches what Chromium logs for a request to a server that
// is down or answers 503: the page itself must log nothing else.
var outageProblem = regexp.MustCompile(`^log: Failed to load resource: (net::ERR_EMPTY_RESPONSE|net::ERR_CONNECTION_(RESET|CLOSED|REFUSED)|net::ERR_FAILED|the server responded with a status of (503 \(Service Unavailable\)|404 \(Not Found\))) `)

func checkOutageProblems(t *testing.T, b *browser.Browser) {
	t.Helper()
	var other []string
	for _, p := range b.Problems() {
		if !outageProblem.MatchString(p) {
			other = append(other, p)
		}
	}
	if len(other) > 0 {
		t.Errorf("the page logged problems besides the failed requests:\n%s", strings.Join(other, "\n"))
	}
}

// The catalog answers 503: the host's client retries with growing delays; a
// transient failure heals by itself, a lasting one ends in an error with a
// Try again button (no label stays "fetching…" or "Loading…"), which loads
// the catalog once the API is back.
func apiFailureRetries(t *testing.T, o *outage, b *browser.Browser, ctx context.Context) {
	faults := o.faults["products"]
	defer o.set(nil, nil)
	// Two failures, then the catalog: the retries heal it.
	faults.Set("/api/products", servertest.Fault{Status: http.StatusServiceUnavailable, Times: 2})
	faults.ResetHits()
	o.clearTimes()
	reloadDemo(t, ctx, b)
	waitFor(t, ctx, `document.querySelectorAll('#products li').length === 4`, "the retries did not heal two failures")
	checkBackoff(t, o.gaps("/api/products"), 2)

	faults.Set("/api/products", servertest.Fault{Status: http.StatusServiceUnavailable})
	o.clearTimes()
	reloadDemo(t, ctx, b)
	views := `JSON.stringify([document.querySelector('[data-retry="The catalog"]') !== null, document.querySelector('[data-retry="Suggestions"]') !== null,
		document.querySelector('[data-testid="products-request"]').textContent, document.querySelector('[data-testid="suggestions-request"]').textContent,
		/Loading…|fetching…/.test(document.body.innerText)])`
	waitForValue(t, ctx, views, `[true,true,"failed","failed",false]`, "after its retries the catalog's failure was not shown with a retry button")
	checkBackoff(t, o.gaps("/api/products"), 3)
	screenshot(t, ctx, "api-down.png")

	faults.Set("/api/products", servertest.Fault{})
	click(t, ctx, `[data-retry="The catalog"]`)
	waitFor(t, ctx, `document.querySelectorAll('#products li').length === 4 && document.querySelectorAll('[data-suggest]').length === 2 && document.querySelector('[data-retry]') === null`,
		"Try again did not load the catalog in both remotes")

	// The stock levels fail: the products say their stock is unknown (not
	// "Checking stock…" for ever) and Try again brings them.
	faults.Set("/api/stock", servertest.Fault{Status: http.StatusServiceUnavailable})
	reloadDemo(t, ctx, b)
	buttons := `JSON.stringify([[...new Set([...document.querySelectorAll('#products li button')].map((b) => b.textContent))], document.querySelector('#products-slot [data-retry="Stock levels"]') !== null])`
	waitForValue(t, ctx, buttons, `[["Stock unknown"],true]`, "with the stock failing the products did not say so")
	faults.Set("/api/stock", servertest.Fault{})
	click(t, ctx, `#products-slot [data-retry="Stock levels"]`)
	waitForValue(t, ctx, buttons, `[["Add to cart"],false]`, "Try again did not bring the stock")
	checkOutageProblems(t, b)
}

// checkBackoff checks that gaps are n retries at least 0.3, 0.6, 1.2 s apart
// (the delay doubles each time) and not much more in all: a page busy
// starting its remotes may fire a timer late, so each gap is only bounded
// below, and the sum by the delays plus 3 s.
func checkBackoff(t *testing.T, gaps []time.Duration, n int) {
	t.Helper()
	ok := len(gaps) == n
	var sum, delays time.Duration
	for i := 0; ok && i < n; i++ {
		delay := 300 * time.Millisecond << i
		ok = gaps[i] >= delay-20*time.Millisecond
		sum, delays = sum+gaps[i], delays+delay
	}
	if !ok || sum > delays+3*time.Second {
		t.Errorf("the catalog was retried after %v; want %d retries after 0.3, 0.6, 1.2 s", gaps, n)
	}
}

// The loader's error bar (a start that failed: here the bootstrap module is
// missing) is part of the page's flow: it covers no control.
func errorBarCoversNoControl(t *testing.T, d *demo.Demo, b *browser.Browser, ctx context.Context) {
	editRegistry(t, d.RegistryFile(), func(reg *server.RegistryFile) {
		host := reg.Hosts[d.Config.Name]
		host.Config.Bootstrap = "/demo-host/missing.js"
		reg.Hosts[d.Config.Name] = host
	})
	reloadUntil(t, ctx, b, `document.querySelector('#fedwasm-error') !== null && `+fwiToggle+` !== null`)
	if got := eval[string](t, ctx, `document.querySelector('#fedwasm-error').textContent`); !strings.Contains(got, "/demo-host/missing.js") {
		t.Errorf("the error bar says %q; it should name the missing bootstrap", got)
	}
	if got := eval[string](t, ctx, blockedControls("")); got != "[]" {
		t.Errorf("controls that cannot be used with the error bar shown: %s", got)
	}
	// The inspector's button lives in its shadow root: a hit on it is a hit
	// on its host.
	if got := eval[string](t, ctx, `(() => { const el = `+fwiToggle+`, r = el.getBoundingClientRect();
		const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
		return hit && hit.id ? hit.id : String(hit) })()`); got != "fedwasm-inspector-host" {
		t.Errorf("the inspector's button is covered by %s with the error bar shown", got)
	}
	_ = b.Problems() // the failed start is logged, as it should be
}

// mustJSON is v as JSON, as the page's JSON.stringify writes it (the
// fields in order, with their json names).
func mustJSON(t *testing.T, v any) string {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
