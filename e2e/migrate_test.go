//go:build e2e

package e2e

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/fedwasm/fedwasm/server"
)

// TestMigratedHostRendersFixtureRemotes: a webpack host config whose remotes
// are the fixtures' webpack var container and MF 2.0 manifest remote goes
// through fedwasm migrate; a page with only the loader and the migrated
// federation.json (and vendor modules) renders both remotes with its own
// React and zustand.
func TestMigratedHostRendersFixtureRemotes(t *testing.T) {
	modules, err := filepath.Abs(filepath.Join(root, "fixtures", "webpack", "node_modules"))
	if err != nil {
		t.Fatal(err)
	}
	hostURL, serveHost := listenOrigin(t)
	remoteURL, serveRemote := listenOrigin(t)
	serveRemote(server.Files(os.DirFS(filepath.Join(root, "dist", "fixtures")), server.Policy{AllowedOrigins: []string{hostURL}}))

	project, out := t.TempDir(), t.TempDir()
	if err := os.Symlink(modules, filepath.Join(project, "node_modules")); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"package.json": `{ "name": "shell", "private": true, "dependencies": { "react": "^19.0.0", "react-dom": "^19.0.0", "zustand": "^5.0.0" } }`,
		"webpack.config.js": `const { container } = require('webpack');
module.exports = {
  mode: 'production',
  plugins: [new container.ModuleFederationPlugin({
    name: 'shell',
    remotes: {
      'wp-var': 'wp_var@` + remoteURL + `/wp-var/remoteEntry.js',
      'mf-enhanced': 'mf_enhanced@` + remoteURL + `/mf-enhanced/mf-manifest.json',
    },
    shared: {
      react: { singleton: true }, 'react-dom': { singleton: true }, 'react-dom/client': { singleton: true },
      zustand: { singleton: true },
    },
  })],
};
`,
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(project, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	migrate := exec.Command("go", "run", "./cmd/fedwasm", "migrate", "-out", out, project)
	migrate.Dir = root
	if report, err := migrate.CombinedOutput(); err != nil {
		t.Fatalf("fedwasm migrate: %v\n%s", err, report)
	} else {
		t.Logf("fedwasm migrate:\n%s", report)
	}

	mux := http.NewServeMux()
	mux.Handle("/fedwasm/", http.StripPrefix("/fedwasm", server.Files(os.DirFS(filepath.Join(root, "dist", "fedwasm")), server.Policy{})))
	mux.Handle("/", server.Files(os.DirFS(out), server.Policy{}))
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(`<!doctype html><title>migrated host</title><link rel="icon" href="data:,"><script src="/fedwasm/loader.js" data-config="/federation.json"></script>`))
	})
	serveHost(mux)
	b, ctx := openPage(t, hostURL+"/", runtimeReady)
	got := eval[string](t, ctx, `(async () => {
		const [React, client, { createStore }] = await Promise.all(['react', 'react-dom/client', 'zustand'].map((p) => fedwasm.loadShare(p)));
		await fedwasm.loadShare('react-dom');
		const cart = createStore(() => ({ lines: [{ name: 'Mechanical keyboard' }] }));
		fedwasm.stores.provide('cart', cart);
		const results = [];
		for (const [id, owner] of [['wp-var/ProductList', 'wp-var'], ['mf-enhanced/Recommendations', 'mf-enhanced']]) {
			const el = document.createElement('section'); document.body.append(el);
			const mod = await fedwasm.loadRemote(id);
			const handle = await mod.mount(el, {}, fedwasm.scope('page:' + owner)); // the remote's own name is held for fedwasm.mount
			const r = handle.received;
			results.push([id, el.textContent.includes('Mechanical keyboard'), r.React === React, r.createRoot === client.createRoot, r.createStore === createStore, r.store === cart]);
			handle.unmount();
		}
		return JSON.stringify(results) })()`)
	want := `[["wp-var/ProductList",true,true,true,true,true],["mf-enhanced/Recommendations",true,true,true,true,true]]`
	if got != want {
		t.Errorf("[id, rendered, same React, same createRoot, same zustand, same store] = %s\nwant %s", got, want)
	}
	noProblems(t, b)
}
