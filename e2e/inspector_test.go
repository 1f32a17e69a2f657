//go:build e2e

package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/fedwasm/fedwasm/internal/browser"
	"github.com/fedwasm/fedwasm/internal/demo"
	"github.com/fedwasm/fedwasm/server"
)

// startDemoAt is startDemo, then the same tab opens another page of the
// host, such as "/?fedwasm-inspect" (startDemo's checks and expected problems hold).
func startDemoAt(t *testing.T, path string) (*demo.Demo, *browser.Browser, context.Context) {
	t.Helper()
	d, b, ctx := startDemo(t)
	var booted bool
	if err := chromedp.Run(ctx,
		chromedp.Navigate(d.HostURL+path),
		chromedp.Poll(`window.demo !== undefined || document.querySelector('#fedwasm-error') !== null`, &booted, chromedp.WithPollingTimeout(30*time.Second)),
	); err != nil {
		t.Fatalf("demo did not boot at %s: %v; page problems: %v", path, err, b.Problems())
	}
	if banner, err := browser.Text(ctx, "#fedwasm-error"); err == nil {
		t.Fatalf("loader reported: %s", banner)
	}
	return d, b, ctx
}

// inspectorWait waits until the JavaScript expression expr is truthy.
func inspectorWait(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	var ok bool
	if err := chromedp.Run(ctx, chromedp.Poll(expr, &ok, chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		t.Fatalf("%s: %s never held: %v", what, expr, err)
	}
}

// fwi is the inspector's shadow root in the page (an empty fragment before it
// is there), for querySelector.
const fwi = `(document.querySelector('#fedwasm-inspector-host')?.shadowRoot ?? document.createDocumentFragment())`

const inspectorOpen = `(() => { const p = ` + fwi + `.querySelector('#fedwasm-inspector');
	return !!p && !p.hidden && getComputedStyle(p).display !== 'none' })()`

// fwiToggle is the inspector's floating button, for chromedp.ByJSPath.
const fwiToggle = fwi + `.querySelector('.fwi-toggle')`

func TestInspector(t *testing.T) {
	_, b, ctx := startDemoAt(t, "/?fedwasm-inspect")

	// ?fedwasm-inspect opens the overlay; it fills in once the runtime is ready and the remotes are loaded.
	inspectorWait(t, ctx, "the overlay opens with ?fedwasm-inspect and shows the share scope", inspectorOpen+` &&
		`+fwi+`.querySelector('#fedwasm-inspector [data-package="zustand"] [data-chosen="true"]') !== null &&
		`+fwi+`.querySelectorAll('#fedwasm-inspector [data-remote][data-state="loaded"]').length >= 4`)

	// It is styled by its constructed stylesheet: a fixed panel on the right, about 420px wide.
	layout := eval[map[string]any](t, ctx, `(() => { const p = `+fwi+`.querySelector('#fedwasm-inspector'), s = getComputedStyle(p), r = p.getBoundingClientRect();
		return { position: s.position, width: r.width, right: Math.round(document.documentElement.clientWidth - r.right) } })()`)
	if layout["position"] != "fixed" || layout["width"].(float64) < 380 || layout["width"].(float64) > 460 || layout["right"].(float64) != 0 {
		t.Errorf("the panel should be a fixed, ~420px panel on the right; got %v", layout)
	}

	// Share scope: zustand's card highlights 5.1.0 and lists its consumers, with the rule and why.
	zustand := eval[map[string]any](t, ctx, `(() => { const card = `+fwi+`.querySelector('#fedwasm-inspector [data-package="zustand"]');
		const cart = card.querySelector('[data-consumer="cart"]');
		return {
			chosen: [...card.querySelectorAll('[data-chosen="true"]')].map((c) => c.dataset.version),
			consumers: [...card.querySelectorAll('[data-consumer]')].map((c) => c.dataset.consumer),
			cartRow: cart ? cart.innerText : '',
			cartRule: cart ? fedwasm.inspect().shares.find((s) => s.package === 'zustand').consumers.find((c) => c.from === 'cart').rule : '',
			visible: card.getBoundingClientRect().height > 0,
		} })()`)
	if chosen, _ := zustand["chosen"].([]any); len(chosen) != 1 || chosen[0] != "5.1.0" {
		t.Errorf("zustand's card should highlight 5.1.0 as the chosen version; highlighted %v", zustand["chosen"])
	}
	if consumers, _ := zustand["consumers"].([]any); !containsAny(consumers, "cart") || !containsAny(consumers, "shell") {
		t.Errorf("zustand's consumers should include cart and shell; got %v", zustand["consumers"])
	}
	cartRow, _ := zustand["cartRow"].(string)
	rule, _ := zustand["cartRule"].(string)
	for _, want := range []string{"cart", "→", "5.1.0", rule, "^5.0.0", "singleton in use: 5.1.0 from shell"} {
		if !strings.Contains(cartRow, want) {
			t.Errorf("cart's consumer row %q should show %q", cartRow, want)
		}
	}
	if zustand["visible"] != true {
		t.Error("zustand's card is not visible")
	}

	// Remotes: cart, products, badge and promo are loaded, with a load time.
	remotes := eval[map[string]string](t, ctx, `Object.fromEntries([...`+fwi+`.querySelectorAll('#fedwasm-inspector [data-remote]')]
		.map((r) => [r.dataset.remote, r.dataset.state + ' | ' + r.innerText.replace(/\s+/g, ' ')]))`)
	for _, name := range []string{"cart", "products", "badge", "promo"} {
		row, ok := remotes[name]
		if !ok || !strings.HasPrefix(row, "loaded | ") || !strings.Contains(row, "loaded") || !strings.Contains(row, " ms") {
			t.Errorf("remote %s should be listed as loaded with its load time; got %q", name, row)
		}
	}

	// Stores: cart, owned by shell.
	store := eval[string](t, ctx, `(() => { const s = `+fwi+`.querySelector('#fedwasm-inspector [data-store="cart"]');
		return s ? s.dataset.owner + ' | ' + s.innerText.replace(/\s+/g, ' ') : '' })()`)
	if !strings.HasPrefix(store, "shell | ") || !strings.Contains(store, "owner shell") {
		t.Errorf("the stores section should list cart owned by shell; got %q", store)
	}

	// The event log: an emitted event shows up on top, with its detail.
	before := eval[int](t, ctx, fwi+`.querySelectorAll('#fedwasm-inspector .fwi-log [data-type="cart:open"]').length`)
	if err := chromedp.Run(ctx, chromedp.Click(`button[data-product="kb"]`, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	eval[any](t, ctx, `fedwasm.events.emit('cart:open', { id: 1 })`)
	inspectorWait(t, ctx, "the emitted event is logged", fwi+`.querySelectorAll('#fedwasm-inspector .fwi-log [data-type="cart:open"]').length === `+strconv.Itoa(before+1))
	first := eval[string](t, ctx, fwi+`.querySelector('#fedwasm-inspector .fwi-log li').innerText.replace(/\s+/g, ' ')`)
	if !strings.Contains(first, "cart:open") || !strings.Contains(first, `{"id":1}`) {
		t.Errorf("the newest log line should be cart:open with its detail; got %q", first)
	}
	// The demo answers cart:open with its cart drawer (a modal dialog); close it for the picture and the clicks.
	eval[any](t, ctx, `document.querySelectorAll('dialog[open]').forEach((d) => d.close())`)
	// Let the refresh pick up the click (broker, stores) before the picture.
	time.Sleep(700 * time.Millisecond)
	// A taller window for the picture, so the panel shows more than its first card.
	if err := chromedp.Run(ctx, chromedp.EmulateViewport(1280, 1000)); err != nil {
		t.Fatal(err)
	}
	// Scroll zustand's card to the top of the panel: the picture shows it, the remotes, stores and broker.
	eval[any](t, ctx, fwi+`.querySelector('#fedwasm-inspector [data-package="zustand"]').scrollIntoView({ block: 'start' })`)
	screenshot(t, ctx, "inspector.png")

	// The button toggles the overlay.
	if err := chromedp.Run(ctx, chromedp.Click(fwiToggle, chromedp.ByJSPath)); err != nil {
		t.Fatal(err)
	}
	inspectorWait(t, ctx, "the button closes the overlay", `!(`+inspectorOpen+`) && `+fwi+`.querySelector('.fwi-toggle').getAttribute('aria-expanded') === 'false'`)
	if err := chromedp.Run(ctx, chromedp.Click(fwiToggle, chromedp.ByJSPath)); err != nil {
		t.Fatal(err)
	}
	inspectorWait(t, ctx, "the button opens the overlay again, log kept", inspectorOpen+` &&
		`+fwi+`.querySelectorAll('#fedwasm-inspector .fwi-log [data-type="cart:open"]').length === `+strconv.Itoa(before+1))

	// Escape closes it.
	if err := chromedp.Run(ctx, chromedp.KeyEvent(kb.Escape)); err != nil {
		t.Fatal(err)
	}
	inspectorWait(t, ctx, "Escape closes the overlay", `!(`+inspectorOpen+`)`)

	noProblems(t, b)
}

func TestInspectorStaysClosedWithoutQuery(t *testing.T) {
	_, b, ctx := startDemo(t)
	inspectorWait(t, ctx, "the Inspector button is there", fwi+`.querySelector('.fwi-toggle') !== null && getComputedStyle(`+fwi+`.querySelector('.fwi-toggle')).position === 'fixed'`)
	if eval[bool](t, ctx, inspectorOpen) {
		t.Error("the overlay is open without ?inspect")
	}
	if err := chromedp.Run(ctx, chromedp.Click(fwiToggle, chromedp.ByJSPath)); err != nil {
		t.Fatal(err)
	}
	inspectorWait(t, ctx, "the button opens the overlay", inspectorOpen+` && `+fwi+`.querySelector('#fedwasm-inspector [data-store="cart"]') !== null`)
	noProblems(t, b)
}

// TestInspectorOnAnotherHost: the product's inspector on a page that is not
// the demo, under a strict CSP (no inline styles, scripts from 'self' and the
// remote's origin) and Trusted Types. It is not loaded while the page starts;
// fedwasm.inspector.open() loads and opens it; its log shows event types the
// inspector cannot know in advance; a remote that failed after a retry shows
// one request, two tries and one error, as its error message says; Alt+Shift+F
// closes it. A second host turns the shortcut off.
func TestInspectorOnAnotherHost(t *testing.T) {
	hostURL, serveHost := listenOrigin(t)
	remoteURL, serveRemote := listenOrigin(t)
	serveRemote(server.Files(os.DirFS(filepath.Join(root, "e2e", "testdata", "faults", "remotes")), server.Policy{AllowedOrigins: []string{hostURL}}))
	csp := "default-src 'self'; script-src 'self' " + remoteURL + " 'wasm-unsafe-eval'; connect-src 'self' " + remoteURL +
		"; style-src 'self'; require-trusted-types-for 'script'; trusted-types fedwasm"
	serveHost(runtimePage(`<!doctype html><title>another host</title><script src="/fedwasm/loader.js"></script><main id="slot"></main>`, csp))
	b, ctx := openRuntimePage(t, hostURL+"/")

	loadedAtStart := eval[bool](t, ctx, `performance.getEntriesByType('resource').some((e) => e.name.includes('/fedwasm/inspector.')) || !!document.querySelector('#fedwasm-inspector-host')`)
	if loadedAtStart {
		t.Error("the inspector was loaded while the page started; it must load only when asked for")
	}
	message := eval[string](t, ctx, `(async () => {
		await fedwasm.init({ name: 'billing-shell', retry: { times: 1, delayMs: 20, timeoutMs: 2000 },
			remotes: [{ name: 'widget', entry: `+jsString(remoteURL+"/widget.js")+`, type: 'var' },
				{ name: 'ledger', entry: `+jsString(remoteURL+"/missing.js")+`, type: 'esm' }] });
		await fedwasm.mount('widget/Panel', document.querySelector('#slot'));
		const failure = await fedwasm.loadRemote('ledger').then(() => 'loaded', (e) => e.message);
		await fedwasm.inspector.open();
		fedwasm.events.emit('billing:paid', { invoice: 7 });
		fedwasm.events.emit('ledger-sync', 1);
		return failure })()`)
	if !strings.Contains(message, "after 2 attempt(s)") {
		t.Fatalf("ledger's failure = %q, want it tried twice", message)
	}
	inspectorWait(t, ctx, "the inspector opens with the remotes and logs the page's own event types", inspectorOpen+` &&
		`+fwi+`.querySelector('[data-remote="ledger"][data-state="failed"]') !== null &&
		`+fwi+`.querySelector('.fwi-log [data-type="billing:paid"]') !== null &&
		`+fwi+`.querySelector('.fwi-log [data-type="ledger-sync"]') !== null`)
	counts := eval[map[string]string](t, ctx, `(() => { const r = `+fwi+`, text = (sel) => r.querySelector(sel)?.textContent ?? '';
		return { requests: text('[data-remote="ledger"] .fwi-requests'), tries: text('[data-remote="ledger"] .fwi-attempts'),
			errors: text('[data-tile="errors"] b'), warnings: text('[data-tile="warnings"] b'),
			position: getComputedStyle(r.querySelector('#fedwasm-inspector')).position } })()`)
	want := map[string]string{"requests": "1 req", "tries": "2 tries", "errors": "1", "warnings": "0", "position": "fixed"}
	for k, v := range want {
		if counts[k] != v {
			t.Errorf("inspector %s = %q, want %q (all: %v)", k, counts[k], v, counts)
		}
	}
	eval[any](t, ctx, `document.dispatchEvent(new KeyboardEvent('keydown', { code: 'KeyF', key: 'F', altKey: true, shiftKey: true, bubbles: true }))`)
	inspectorWait(t, ctx, "Alt+Shift+F closes the inspector", `!(`+inspectorOpen+`)`)
	for _, p := range b.Problems() {
		if strings.Contains(p, "Content Security Policy") || strings.Contains(p, "TrustedScript") || strings.Contains(p, "uncaught") {
			t.Errorf("page problem: %s", p)
		}
	}

	offURL, serveOff := listenOrigin(t)
	serveOff(runtimePage(`<!doctype html><title>no shortcut</title><script src="/fedwasm/loader.js" data-inspector-shortcut="off"></script>`, csp))
	_, offCtx := openRuntimePage(t, offURL+"/")
	eval[any](t, offCtx, `document.dispatchEvent(new KeyboardEvent('keydown', { code: 'KeyF', key: 'F', altKey: true, shiftKey: true, bubbles: true }))`)
	time.Sleep(300 * time.Millisecond)
	if eval[bool](t, offCtx, `!!document.querySelector('#fedwasm-inspector-host')`) {
		t.Error(`Alt+Shift+F opened the inspector although the host set data-inspector-shortcut="off"`)
	}
}

func containsAny(list []any, want string) bool {
	for _, v := range list {
		if v == want {
			return true
		}
	}
	return false
}
