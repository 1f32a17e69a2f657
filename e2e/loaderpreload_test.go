//go:build e2e

package e2e

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// TestLoaderPreloadsConfiguredModules checks the loader's early fetches in the
// demo: once the config is in, each shared package's one `import` and the
// bootstrap get a <link rel=preload as=script crossorigin> (never a
// modulepreload before an import map: it would resolve bare imports before
// the map exists; server.Site's page writes its map before its modulepreloads), the
// runtime's own import of each reuses that download (one request per URL), the
// preloads carry the page's CSP nonce, and the page boots without problems.
func TestLoaderPreloadsConfiguredModules(t *testing.T) {
	_, b, ctx := startDemo(t)
	got := eval[string](t, ctx, `(async () => {
		const config = await (await fetch('/federation.json?host=shell')).json();
		const abs = (u) => new URL(u, document.baseURI).href;
		const want = Object.values(config.shared).map((p) => [].concat(p)).filter((p) => p.length === 1 && p[0].import)
			.map((p) => abs(p[0].import)).concat(abs(config.bootstrap));
		const links = [...document.querySelectorAll('link[rel=preload][as=script]')];
		const preloaded = links.map((l) => l.href);
		const requests = (u) => performance.getEntriesByType('resource').filter((e) => e.name === u).length;
		// Until the loader reads the snapshot server.Site writes into the page,
		// it still adds its own preload of what the page modulepreloads: the
		// browser fetches such a URL twice (a preload as=script does not match
		// a modulepreload); the runtime's import must reuse one of them.
		const serverPreloaded = new Set([...document.querySelectorAll('link[rel=modulepreload]')].map((l) => l.href));
		const allowed = (u) => (serverPreloaded.has(u) ? 2 : 1);
		return JSON.stringify({
			missing: want.filter((u) => !preloaded.includes(u)),
			// A modulepreload resolves its module's bare imports at once: only
			// after an import map (the one server.Site writes first) may one come.
			modulepreloads: [...document.querySelectorAll('link[rel=modulepreload]')].filter((l) =>
				![...document.querySelectorAll('script[type=importmap]')].some((m) => m.compareDocumentPosition(l) & Node.DOCUMENT_POSITION_FOLLOWING)).length,
			notCORS: links.filter((l) => l.crossOrigin !== 'anonymous').map((l) => l.href),
			noNonce: links.filter((l) => !l.nonce).map((l) => l.href),
			fetchedTwice: want.filter((u) => requests(u) > allowed(u)),
			wanted: want.length,
		}) })()`)
	var r struct {
		Missing, NotCORS, NoNonce, FetchedTwice []string
		Modulepreloads, Wanted                  int
	}
	if err := json.Unmarshal([]byte(got), &r); err != nil {
		t.Fatalf("page answered %s: %v", got, err)
	}
	if r.Wanted < 2 {
		t.Fatalf("the demo config names %d preloadable modules; the test needs shares with an import and a bootstrap", r.Wanted)
	}
	for _, c := range []struct {
		what string
		urls []string
	}{
		{"not preloaded", r.Missing},
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
}
