//go:build e2e

package e2e

import (
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// TestWebpackGlobalAtURLRemote registers the real webpack var container
// (fixtures/webpack's wp-var, library wp_var) with webpack's remote syntax,
// entry "wp_var@<url>", and no type or entryGlobalName: it loads from the
// URL, once, and renders with the host's React. Forms that cannot be read
// are refused by registerRemotes naming the field, and the page requests
// nothing for them (Chromium's network log is watched).
func TestWebpackGlobalAtURLRemote(t *testing.T) {
	d, b, ctx := startDemo(t)
	var mu sync.Mutex
	var requested []string
	chromedp.ListenTarget(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			mu.Lock()
			requested = append(requested, e.Request.URL)
			mu.Unlock()
		}
	})
	if err := chromedp.Run(ctx, network.Enable()); err != nil {
		t.Fatal(err)
	}
	requestsWith := func(part string) []string {
		mu.Lock()
		defer mu.Unlock()
		var out []string
		for _, u := range requested {
			if strings.Contains(u, part) {
				out = append(out, u)
			}
		}
		return out
	}
	entry := d.RemoteURL + "/fixtures/wp-var/remoteEntry.js"

	t.Run("wp_var@url loads the var container", func(t *testing.T) {
		got := eval[string](t, ctx, `(async () => {
			fedwasm.registerRemotes([{ name: 'wp-var', entry: 'wp_var@' + `+jsString(entry)+` }]);
			const info = fedwasm.inspect().remotes.find((r) => r.name === 'wp-var');
			demo.cart.getState().add({ id: 'kb', name: 'Mechanical keyboard', price: 89 }, 12); // at most the 12 in stock
			const el = document.createElement('section'); document.body.append(el);
			const mod = await fedwasm.loadRemote('wp-var/ProductList');
			const scope = fedwasm.scope('page:wp-var'); // the remote's own name is held for fedwasm.mount
			const handle = await mod.mount(el, {}, scope);
			await new Promise((r) => setTimeout(r, 50));
			const out = { entry: info.entry, global: info.entryGlobalName, type: info.type,
				isContainer: typeof window.wp_var?.get === 'function',
				sameReact: handle.received.React === await fedwasm.loadShare('react'),
				rendered: el.textContent.includes('Mechanical keyboard') };
			handle.unmount(); scope.dispose(); el.remove();
			return JSON.stringify(out) })()`)
		want := `{"entry":` + jsonQuote(entry) + `,"global":"wp_var","type":"var","isContainer":true,"sameReact":true,"rendered":true}`
		if got != want {
			t.Errorf("got  %s\nwant %s", got, want)
		}
		if n := len(requestsWith("/wp-var/remoteEntry.js")); n != 1 {
			t.Errorf("remoteEntry.js requested %d times, want once: %q", n, requestsWith("remoteEntry"))
		}
		if bad := requestsWith("wp_var@"); len(bad) > 0 {
			t.Errorf("the page requested the unsplit entry: %q", bad)
		}
	})

	t.Run("unreadable forms are refused and never fetched", func(t *testing.T) {
		got := eval[string](t, ctx, `(() => {
			const f = `+jsString(d.RemoteURL+"/fixtures/refused-")+`;
			const refused = (remotes) => { try { fedwasm.registerRemotes(remotes); return 'accepted' }
				catch (e) { return e.code + ' ' + e.details.field } };
			return JSON.stringify([
				refused([{ name: 'refused-a', entry: 'refused_a@/fixtures/refused-a' }]),
				refused([{ name: 'refused-b', entry: 'refused_b@1.2.3' }]),
				refused([{ name: 'refused-c', entry: '@scope/c@' + f + 'c.js' }]),
				refused({ 'refused-d': f + 'd.js' }),
				refused({ 'refused-e': 'refused_e@ftp://127.0.0.1/e.js' }),
				fedwasm.inspect().remotes.filter((r) => r.name.startsWith('refused')).length,
			]) })()`)
		want := `["INVALID_ARGUMENT remotes[0].entry","INVALID_ARGUMENT remotes[0].entry","INVALID_ARGUMENT remotes[0].entry",` +
			`"INVALID_ARGUMENT refused-d","INVALID_ARGUMENT refused-e",0]`
		if got != want {
			t.Errorf("got  %s\nwant %s", got, want)
		}
		code := eval[string](t, ctx, `fedwasm.loadRemote('refused-a/X').then(() => 'loaded', (e) => e.code)`)
		if code != "REMOTE_UNKNOWN" {
			t.Errorf("loadRemote of a refused remote: %s, want REMOTE_UNKNOWN", code)
		}
		if fetched := append(requestsWith("refused"), requestsWith("1.2.3")...); len(fetched) > 0 {
			t.Errorf("the page requested refused entries: %q", fetched)
		}
	})
	noProblems(t, b)
}

// jsonQuote is s as a JSON string (the URLs here need no escapes beyond quotes).
func jsonQuote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }
