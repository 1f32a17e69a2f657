//go:build e2e

package e2e

import (
	"encoding/json"
	"testing"
)

// TestServerPageCarriesTheSnapshot checks the demo's index.html as server.Site
// serves it: the snapshot element holds federation.json's snapshot, the
// server's import map is the page's only one (the runtime adds none where the
// page maps everything), and a bare import of each mapped package gets the
// very module loadShare hands the host: the server's map and the runtime's
// resolution agree in a real Chromium.
func TestServerPageCarriesTheSnapshot(t *testing.T) {
	_, b, ctx := startDemo(t)
	got := eval[string](t, ctx, `(async () => {
		await fedwasm.ready;
		const inPage = JSON.parse(document.getElementById('fedwasm-snapshot').textContent);
		const served = (await (await fetch('/federation.json?host=shell')).json()).snapshot;
		const differ = [];
		for (const [pkg, url] of Object.entries(inPage.importMap.imports)) {
			const [bare, shared] = await Promise.all([import(pkg), fedwasm.loadShare(pkg)]);
			if (bare !== shared) differ.push(pkg + ' (' + url + ')');
		}
		const maps = [...document.querySelectorAll('script[type=importmap]')];
		return JSON.stringify({
			sameHash: inPage.hash === served.hash,
			mapped: Object.keys(inPage.importMap.imports).length,
			importMaps: maps.length,
			serverMapFirst: maps[0] && maps[0].nextElementSibling && maps[0].nextElementSibling.rel === 'modulepreload',
			differ,
		}) })()`)
	var r struct {
		SameHash, ServerMapFirst bool
		Mapped, ImportMaps       int
		Differ                   []string
	}
	if err := json.Unmarshal([]byte(got), &r); err != nil {
		t.Fatalf("page answered %s: %v", got, err)
	}
	if !r.SameHash {
		t.Errorf("the page's snapshot is not federation.json's")
	}
	if r.Mapped < 5 {
		t.Errorf("the server's import map names %d packages; the demo shares 7", r.Mapped)
	}
	if r.ImportMaps != 1 || !r.ServerMapFirst {
		t.Errorf("%d import maps in the page (server's first: %v); want the server's alone", r.ImportMaps, r.ServerMapFirst)
	}
	if len(r.Differ) > 0 {
		t.Errorf("a bare import and loadShare give different modules for %v", r.Differ)
	}
	noProblems(t, b)
}
