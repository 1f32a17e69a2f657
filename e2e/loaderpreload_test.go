//go:build e2e

package e2e

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// TestLoaderPreloadsConfiguredModules checks the early fetches of the demo's
// page: each shared package's one `import` and the bootstrap are preloaded
// once, by the page server.Site serves (a modulepreload after its import map,
// from the snapshot) or, on the same page served as a static file, by the
// loader once the config is in (a <link rel=preload as=script crossorigin>,
// never a modulepreload, which would resolve bare imports before any map
// exists). Either way the runtime's own import reuses that download (one
// request per URL), every preload carries the page's CSP nonce, and the page
// boots without problems.
func TestLoaderPreloadsConfiguredModules(t *testing.T) {
	for _, page := range []struct{ name, path, by string }{
		{"server page", "/", "modulepreload"},
		{"static page", "/index.html", "preload"},
	} {
		t.Run(page.name, func(t *testing.T) {
			_, b, ctx := startDemoAt(t, page.path)
			got := eval[string](t, ctx, `(async () => {
		const config = await (await fetch('/federation.json?host=shell')).json();
		const abs = (u) => new URL(u, document.baseURI).href;
		const want = Object.values(config.shared).map((p) => [].concat(p)).filter((p) => p.length === 1 && p[0].import)
			.map((p) => abs(p[0].import)).concat(abs(config.bootstrap));
		const links = [...document.querySelectorAll('link[rel=preload][as=script], link[rel=modulepreload]')];
		const by = (rel) => links.filter((l) => l.rel === rel).map((l) => l.href);
		const requests = (u) => performance.getEntriesByType('resource').filter((e) => e.name === u).length;
		const maps = [...document.querySelectorAll('script[type=importmap]')];
		return JSON.stringify({
			missing: want.filter((u) => !by('`+page.by+`').includes(u)),
			snapshot: document.getElementById('fedwasm-snapshot') !== null,
			// A modulepreload resolves its module's bare imports at once: only
			// after an import map (the one server.Site writes first) may one come.
			modulepreloads: links.filter((l) => l.rel === 'modulepreload' &&
				!maps.some((m) => m.compareDocumentPosition(l) & Node.DOCUMENT_POSITION_FOLLOWING)).length,
			notCORS: links.filter((l) => l.crossOrigin !== 'anonymous').map((l) => l.href),
			noNonce: links.filter((l) => !l.nonce).map((l) => l.href),
			fetchedTwice: want.filter((u) => requests(u) > 1),
			wanted: want.length,
		}) })()`)
			var r struct {
				Missing, NotCORS, NoNonce, FetchedTwice []string
				Modulepreloads, Wanted                  int
				Snapshot                                bool
			}
			if err := json.Unmarshal([]byte(got), &r); err != nil {
				t.Fatalf("page answered %s: %v", got, err)
			}
			if r.Wanted < 2 {
				t.Fatalf("the demo config names %d preloadable modules; the test needs shares with an import and a bootstrap", r.Wanted)
			}
			if want := page.by == "modulepreload"; r.Snapshot != want {
				t.Fatalf("the page has a #fedwasm-snapshot element: %v, want %v", r.Snapshot, want)
			}
			for _, c := range []struct {
				what string
				urls []string
			}{
				{"not preloaded with rel=" + page.by, r.Missing},
				{"preloaded without crossorigin=anonymous (import() would not reuse it)", r.NotCORS},
				{"preloaded without the page's nonce", r.NoNonce},
				{"fetched twice (the preload was not reused)", r.FetchedTwice},
			} {
				if len(c.urls) > 0 {
					t.Errorf("%s: %s", c.what, strings.Join(slices.Sorted(slices.Values(c.urls)), ", "))
				}
			}
			if r.Modulepreloads != 0 {
				t.Errorf("the page has %d modulepreload links before any import map; they resolve bare imports before the map exists", r.Modulepreloads)
			}
			noProblems(t, b)
		})
	}
}
