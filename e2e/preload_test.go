//go:build e2e

package e2e

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/fedwasm/fedwasm/server"
)

// TestPreloadRemoteRegistersManifestShared: preloadRemote fetches only the
// MF 2.0 remote's mf-manifest.json, and the versions its shared list names
// take part in choosing before the remote's entry is downloaded. Choosing
// one (the host provides no React here) loads and initializes the remote's
// container and takes the entry it wrote.
func TestPreloadRemoteRegistersManifestShared(t *testing.T) {
	hostURL, serveHost := listenOrigin(t)
	fixturesURL, serveFixtures := listenOrigin(t)
	serveFixtures(server.Files(os.DirFS(filepath.Join(root, "dist", "fixtures")), server.Policy{AllowedOrigins: []string{hostURL}}))
	serveHost(runtimePage(`<!doctype html><title>preload</title><script src="/fedwasm/loader.js"></script><main id="slot"></main>`, ""))
	_, ctx := openRuntimePage(t, hostURL+"/")
	fetched := `performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.startsWith(` + jsString(fixturesURL) + `)).map((n) => n.split('/').pop())`
	got := eval[string](t, ctx, `(async () => {
		await fedwasm.init({ name: 'host',
			shared: { zustand: { version: '5.1.0', import: '/vendor/zustand.js', shareConfig: { singleton: true } } },
			remotes: [{ name: 'mf-enhanced', entry: `+jsString(fixturesURL+"/mf-enhanced/mf-manifest.json")+` }] });
		await fedwasm.preloadRemote(['mf-enhanced']);
		const afterPreload = `+fetched+`;
		const react = fedwasm.inspect().shares.find((s) => s.package === 'react');
		const listed = react ? react.providers.map((p) => p.from + '@' + p.version + ':' + p.loaded) : [];
		const React = await fedwasm.loadShare('react', { singleton: true });
		const afterChoice = `+fetched+`;
		const mod = await fedwasm.loadRemote('mf-enhanced/Recommendations');
		const scope = fedwasm.scope('page:mf-enhanced'); // the remote's own name is held for fedwasm.mount
		const el = document.querySelector('#slot');
		const handle = await mod.mount(el, { store: (await fedwasm.loadShare('zustand')).createStore(() => ({ lines: [] })) }, scope);
		const sameReact = handle.received.React === React;
		handle.unmount(); scope.dispose();
		return JSON.stringify({ afterPreload, listed, createElement: typeof React.createElement,
			entryLoadedOnChoice: afterChoice.includes('remoteEntry.js'), sameReact }) })()`)
	want := `{"afterPreload":["mf-manifest.json"],"listed":["mf-enhanced@19.3.1:false"],"createElement":"function","entryLoadedOnChoice":true,"sameReact":true}`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
