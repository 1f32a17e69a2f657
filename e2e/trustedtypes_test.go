//go:build e2e

package e2e

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/fedwasm/fedwasm/internal/browser"
	"github.com/fedwasm/fedwasm/server"
)

// TestTrustedTypesPage runs the runtime in a page that enforces Trusted Types
// (require-trusted-types-for 'script'; only the policy "fedwasm" allowed):
// the loader starts, a var container from a registered remote loads through
// the policy, and a script URL of an origin no remote has is refused.
func TestTrustedTypesPage(t *testing.T) {
	remoteLn, err := server.ListenLoopback("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hostLn, err := server.ListenLoopback("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	remoteURL, hostURL := "http://"+remoteLn.Addr().String(), "http://"+hostLn.Addr().String()
	remote := &http.Server{Handler: server.Files(os.DirFS(filepath.Join(root, "e2e", "testdata", "faults", "remotes")), server.Policy{AllowedOrigins: []string{hostURL}})}
	go func() { _ = remote.Serve(remoteLn) }()
	t.Cleanup(func() { _ = remote.Close() })

	csp := "script-src 'self' " + remoteURL + " 'wasm-unsafe-eval'; require-trusted-types-for 'script'; trusted-types fedwasm"
	mux := http.NewServeMux()
	mux.Handle("/fedwasm/", http.StripPrefix("/fedwasm", server.Files(os.DirFS(filepath.Join(root, "dist", "fedwasm")), server.Policy{})))
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Security-Policy", csp)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(`<!doctype html><title>trusted types</title><script src="/fedwasm/loader.js"></script><main id="slot"></main>`))
	})
	host := &http.Server{Handler: mux}
	go func() { _ = host.Serve(hostLn) }()
	t.Cleanup(func() { _ = host.Close() })

	b, err := browser.Start(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	ctx, cancel := context.WithTimeout(b.Context(), 30*time.Second)
	defer cancel()
	var started bool
	if err := chromedp.Run(ctx, chromedp.Navigate(hostURL+"/"), chromedp.Poll(`window.fedwasm !== undefined`, &started, chromedp.WithPollingTimeout(15*time.Second))); err != nil {
		t.Fatalf("the runtime did not start under Trusted Types: %v; page problems: %v", err, b.Problems())
	}
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
