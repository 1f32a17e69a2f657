//go:build e2e

package e2e

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fedwasm/fedwasm/federation/integrity/sha"
	"github.com/fedwasm/fedwasm/server"
)

// TestTrustedTypesPage runs the runtime in a page that enforces Trusted Types
// (require-trusted-types-for 'script'; only the policy "fedwasm" allowed):
// the loader starts, the import maps (the shared modules', an ES-module
// remote's integrity) are written through the policy, a var container from a
// registered remote loads through it, and a script URL of an origin no remote
// has is refused.
func TestTrustedTypesPage(t *testing.T) {
	hostURL, serveHost := listenOrigin(t)
	remoteURL, serveRemote := listenOrigin(t)
	serveRemote(server.Files(os.DirFS(filepath.Join(root, "e2e", "testdata", "faults", "remotes")), server.Policy{AllowedOrigins: []string{hostURL}}))
	csp := "script-src 'self' " + remoteURL + " 'wasm-unsafe-eval'; require-trusted-types-for 'script'; trusted-types fedwasm"
	// A script before the loader (as a page's own could be) keeps the policy
	// the loader creates, so the test can ask it about a foreign URL: the
	// loader's hooks, where it was once reachable, are no global any more.
	page := http.NewServeMux()
	page.Handle("/", runtimePage(`<!doctype html><title>trusted types</title><script src="/tt-probe.js"></script><script src="/fedwasm/loader.js"></script><main id="slot"></main>`, csp))
	page.HandleFunc("/tt-probe.js", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		_, _ = w.Write([]byte(`const create = trustedTypes.createPolicy.bind(trustedTypes);
trustedTypes.createPolicy = (name, rules) => { const p = create(name, rules); if (name === 'fedwasm') window.fedwasmPolicy = p; return p; };`))
	})
	serveHost(page)
	b, ctx := openRuntimePage(t, hostURL+"/")
	esm := remoteURL + "/remote.js"
	esmIntegrity := sha.Of(faultFileBytes(t, filepath.Join(root, "e2e", "testdata", "faults", "remotes", "remote.js")))
	got := eval[string](t, ctx, `(async () => {
		await fedwasm.init({ name: 'tt',
			shared: { 'tt-shared': { version: '1.0.0', import: `+jsString(esm)+` } },
			remotes: [{ name: 'widget', entry: `+jsString(remoteURL+"/widget.js")+`, type: 'var' },
				{ name: 'checked', entry: `+jsString(esm)+`, type: 'esm', integrity: `+jsString(esmIntegrity)+` }] });
		const maps = document.querySelectorAll('script[type=importmap]').length;
		const checked = typeof (await fedwasm.loadRemote('checked')).mount;
		const el = document.querySelector('#slot');
		const m = await fedwasm.mount('widget/Panel', el);
		const text = el.textContent;
		await m.unmount();
		let refused = 'not refused';
		try {
			document.createElement('script').src = window.fedwasmPolicy.createScriptURL('http://127.0.0.1:9/evil.js');
		} catch (e) { refused = e.name; }
		return JSON.stringify([text, refused, maps, checked, typeof window.__fedwasm_host]) })()`)
	if got != `["widget ./Panel","TypeError",1,"function","undefined"]` {
		t.Errorf("[mounted text, unknown origin, import maps after init, checked ESM remote's mount, the hooks global] = %s, want the widget rendered, the foreign URL refused, the import map written, the ESM remote loaded with its integrity and no hooks global", got)
	}
	for _, p := range b.Problems() {
		if strings.Contains(p, "uncaught") || strings.Contains(p, "TrustedScriptURL") {
			t.Errorf("page problem: %s", p)
		}
	}
}
