//go:build e2e

package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/fedwasm/fedwasm/internal/browser"
)

// TestRuntimeKeptInCacheStorage: once the runtime has started, loader.js
// keeps runtime.wasm's bytes in Cache Storage and names its URL in
// localStorage; the next load compiles the kept bytes without fetching
// runtime.wasm, and the runtime runs. When the kept copy is gone, or is not
// the build's runtime.wasm, the load fetches runtime.wasm and keeps it again.
func TestRuntimeKeptInCacheStorage(t *testing.T) {
	url, b := servePage(t, `<!doctype html><title>runtime cache</title><link rel="icon" href="data:,"><script src="/fedwasm/loader.js"></script>`)
	ctx, cancel := context.WithTimeout(b.Context(), 60*time.Second)
	defer cancel()
	const kept = `localStorage.getItem('fedwasm-runtime')`
	const fetched = `performance.getEntriesByType('resource').some((e) => /\/runtime\.[0-9a-f]+\.wasm$/.test(e.name))`
	const runs = `typeof fedwasm.version === 'string' && fedwasm.version !== ''`

	load := func(what string) (keptURL string, wasFetched bool) {
		t.Helper()
		var done bool
		if err := chromedp.Run(ctx, chromedp.Navigate(url),
			chromedp.Poll(runtimeRunning+` && `+kept+` !== null`, &done, chromedp.WithPollingTimeout(30*time.Second)),
			chromedp.Evaluate(kept, &keptURL), chromedp.Evaluate(fetched, &wasFetched)); err != nil {
			t.Fatalf("%s: the runtime did not start and keep runtime.wasm: %v; page problems: %v", what, err, b.Problems())
		}
		var ok bool
		if err := chromedp.Run(ctx, chromedp.Evaluate(runs, &ok)); err != nil || !ok {
			t.Fatalf("%s: window.fedwasm has no version (%v)", what, err)
		}
		return keptURL, wasFetched
	}

	keptURL, wasFetched := load("first load")
	if !wasFetched || !strings.HasPrefix(keptURL, url+"fedwasm/runtime.") || !strings.HasSuffix(keptURL, ".wasm") {
		t.Fatalf("first load: fetched runtime.wasm %v, kept %q; want it fetched, and its hashed URL under %sfedwasm/ kept", wasFetched, keptURL, url)
	}
	var inCache bool
	if err := browser.Eval(ctx, `caches.open('fedwasm-runtime').then((c) => c.match(`+kept+`)).then((r) => r !== undefined && r.headers.get('Content-Type') === 'application/wasm')`, &inCache); err != nil || !inCache {
		t.Fatalf("first load: Cache Storage holds no application/wasm response for %s (%v)", keptURL, err)
	}

	if again, wasFetched := load("second load"); wasFetched || again != keptURL {
		t.Errorf("second load: fetched runtime.wasm %v, kept %q; want the kept %s compiled, nothing fetched", wasFetched, again, keptURL)
	}

	// Page code can write Cache Storage: a copy that is not the build's runtime.wasm (here an
	// empty module, which would compile) is not run; the runtime is fetched and kept again.
	var replaced bool
	if err := browser.Eval(ctx, `caches.open('fedwasm-runtime').then((c) => c.put(`+kept+`, new Response(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]), {headers: {'Content-Type': 'application/wasm'}}))).then(() => true)`, &replaced); err != nil || !replaced {
		t.Fatalf("replacing the kept copy: %v", err)
	}
	if again, wasFetched := load("load after the copy was replaced"); !wasFetched || again != keptURL {
		t.Errorf("load after the copy was replaced: fetched runtime.wasm %v, kept %q; want it fetched and %s kept again", wasFetched, again, keptURL)
	}

	var deleted bool
	if err := browser.Eval(ctx, `caches.delete('fedwasm-runtime')`, &deleted); err != nil || !deleted {
		t.Fatalf("deleting the kept copy: %v (deleted %v)", err, deleted)
	}
	if again, wasFetched := load("load after the copy was deleted"); !wasFetched || again != keptURL {
		t.Errorf("load after the copy was deleted: fetched runtime.wasm %v, kept %q; want it fetched and %s kept again", wasFetched, again, keptURL)
	}
	if err := browser.Eval(ctx, `caches.open('fedwasm-runtime').then((c) => c.match(`+kept+`)).then((r) => r !== undefined)`, &inCache); err != nil || !inCache {
		t.Errorf("load after the copy was deleted: runtime.wasm was not kept again (%v)", err)
	}
}
