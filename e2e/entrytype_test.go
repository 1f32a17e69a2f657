//go:build e2e

package e2e

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fedwasm/fedwasm/internal/servertest"
	"github.com/fedwasm/fedwasm/server"
)

// TestRemoteTypeByPathAndContentType loads the real MF 2.0 manifest remote
// (fixtures' mf-enhanced) and webpack var container (wp-var) from URLs whose
// type is found three ways: a manifest URL with a query (mf-manifest.json?v=2)
// by its path; URLs without a suffix, /mf/manifest and wp_var@…/wp/entry, by the
// Content-Type they are served with (application/json: a manifest, fetched
// once; text/javascript: a script, fetched once to ask, once as the script).
// A plain .js URL costs no extra fetch.
func TestRemoteTypeByPathAndContentType(t *testing.T) {
	hostURL, serveHost := listenOrigin(t)
	remoteURL, serveRemote := listenOrigin(t)
	files := server.Files(os.DirFS(filepath.Join(root, "dist", "fixtures")), server.Policy{AllowedOrigins: []string{hostURL}})
	// /mf/ and /wp/ serve the two fixtures again, their entries under names
	// without a suffix.
	aliases := map[string]string{"/mf/manifest": "/mf-enhanced/mf-manifest.json", "/wp/entry": "/wp-var/remoteEntry.js"}
	remote := servertest.NewFaults(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		to, ok := aliases[r.URL.Path]
		switch {
		case ok:
		case strings.HasPrefix(r.URL.Path, "/mf/"):
			to = "/mf-enhanced/" + strings.TrimPrefix(r.URL.Path, "/mf/")
		case strings.HasPrefix(r.URL.Path, "/wp/"):
			to = "/wp-var/" + strings.TrimPrefix(r.URL.Path, "/wp/")
		default:
			to = r.URL.Path
		}
		r = r.Clone(r.Context())
		r.URL.Path = to
		files.ServeHTTP(w, r)
	}), nil)
	serveRemote(remote)
	serveHost(runtimePage(`<!doctype html><title>entry types</title><link rel="icon" href="data:,"><script src="/fedwasm/loader.js"></script>`, ""))
	b, ctx := openRuntimePage(t, hostURL+"/")

	// Each page has one wp_var and one mf_enhanced global, so each pair of
	// remotes gets a page of its own.
	t.Run("by Content-Type", func(t *testing.T) {
		got := loadRemotes(t, ctx, `[{ name: 'mf', entry: `+jsString(remoteURL+"/mf/manifest")+` },
			{ name: 'wp', entry: `+jsString("wp_var@"+remoteURL+"/wp/entry")+` }]`, "mf/Recommendations", "wp/ProductList")
		if want := "mf ?>manifest object; wp ?>var object"; got != want {
			t.Errorf("remotes: %s\nwant     %s", got, want)
		}
		for path, want := range map[string]int{"/mf/manifest": 1, "/mf/remoteEntry.js": 1, "/wp/entry": 2} {
			if n := remote.Hits(path); n != want {
				t.Errorf("%s requested %d times, want %d", path, n, want)
			}
		}
	})
	t.Run("by the URL's path", func(t *testing.T) {
		reopenRuntimePage(t, ctx, hostURL+"/", b)
		got := loadRemotes(t, ctx, `[{ name: 'mf', entry: `+jsString(remoteURL+"/mf-enhanced/mf-manifest.json?v=2")+` },
			{ name: 'wp', entry: `+jsString(remoteURL+"/wp-var/remoteEntry.js?v=2")+`, entryGlobalName: 'wp_var' }]`, "mf/Recommendations", "wp/ProductList")
		if want := "mf manifest>manifest object; wp var>var object"; got != want {
			t.Errorf("remotes: %s\nwant     %s", got, want)
		}
		for path, want := range map[string]int{"/mf-enhanced/mf-manifest.json": 1, "/mf-enhanced/remoteEntry.js": 1, "/wp-var/remoteEntry.js": 1} {
			if n := remote.Hits(path); n != want {
				t.Errorf("%s requested %d times, want %d", path, n, want)
			}
		}
	})
	t.Run("a remote replaced with force reads its new manifest", func(t *testing.T) {
		before := remote.Hits("/mf/manifest")
		got := eval[string](t, ctx, `(async () => {
			fedwasm.registerRemotes([{ name: 'mf', entry: `+jsString(remoteURL+"/mf/manifest")+`, type: 'manifest' }], { force: true });
			await fedwasm.preloadRemote(['mf']);
			return fedwasm.inspect().remotes.find((r) => r.name === 'mf').entry })()`)
		if got != remoteURL+"/mf/manifest" || remote.Hits("/mf/manifest") != before+1 {
			t.Errorf("after force: entry %s, %d new request(s) for /mf/manifest; want the new entry fetched once", got, remote.Hits("/mf/manifest")-before)
		}
	})
	noProblems(t, b)
}

// loadRemotes inits the page with remotes (a JS array) and loads each id in
// turn; for each it says "name type-before>type-after kind", "?" for a type
// not known before loading, kind the loaded module's typeof or the error.
func loadRemotes(t *testing.T, ctx context.Context, remotes string, ids ...string) string {
	t.Helper()
	quoted := make([]string, len(ids))
	for i, id := range ids {
		quoted[i] = jsString(id)
	}
	return eval[string](t, ctx, `(async () => {
		await fedwasm.init({ name: 'host', remotes: `+remotes+` });
		const typeOf = (name) => fedwasm.inspect().remotes.find((r) => r.name === name).type || '?';
		const out = [];
		for (const id of [`+strings.Join(quoted, ", ")+`]) {
			const name = id.split('/')[0];
			const before = typeOf(name);
			const mod = await fedwasm.loadRemote(id).catch((e) => e.code + ': ' + e.message);
			out.push(name + ' ' + before + '>' + typeOf(name) + ' ' + (typeof mod === 'string' ? mod : typeof mod));
		}
		return out.join('; ') })()`)
}
