//go:build e2e

package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fedwasm/fedwasm/server"
)

// TestTrustedTypesPage runs the runtime in a page that enforces Trusted Types
// (require-trusted-types-for 'script'; only the policy "fedwasm" allowed):
// the loader starts, a var container from a registered remote loads through
// the policy, and a script URL of an origin no remote has is refused.
func TestTrustedTypesPage(t *testing.T) {
	hostURL, serveHost := listenOrigin(t)
	remoteURL, serveRemote := listenOrigin(t)
	serveRemote(server.Files(os.DirFS(filepath.Join(root, "e2e", "testdata", "faults", "remotes")), server.Policy{AllowedOrigins: []string{hostURL}}))
	csp := "script-src 'self' " + remoteURL + " 'wasm-unsafe-eval'; require-trusted-types-for 'script'; trusted-types fedwasm"
	serveHost(runtimePage(`<!doctype html><title>trusted types</title><script src="/fedwasm/loader.js"></script><main id="slot"></main>`, csp))
	b, ctx := openRuntimePage(t, hostURL+"/")
	got := eval[string](t, ctx, `(async () => {
		await fedwasm.init({ name: 'tt', remotes: [{ name: 'widget', entry: `+jsString(remoteURL+"/widget.js")+`, type: 'var' }] });
		const el = document.querySelector('#slot');
		const m = await fedwasm.mount('widget/Panel', el);
		const text = el.textContent;
		await m.unmount();
		let refused = 'not refused';
		try {
			document.createElement('script').src = window.__fedwasm_host.trustedTypesPolicy.createScriptURL('http://127.0.0.1:9/evil.js');
		} catch (e) { refused = e.name; }
		return JSON.stringify([text, refused]) })()`)
	if got != `["widget ./Panel","TypeError"]` {
		t.Errorf("[mounted text, unknown origin] = %s, want the widget rendered and the foreign URL refused", got)
	}
	for _, p := range b.Problems() {
		if strings.Contains(p, "uncaught") || strings.Contains(p, "TrustedScriptURL") {
			t.Errorf("page problem: %s", p)
		}
	}
}
