//go:build e2e

package e2e

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/fedwasm/fedwasm/internal/browser"
	"github.com/fedwasm/fedwasm/server"
)

// TestDomainFailoverAndRequiredIntegrity: an entry whose origin answers 503
// is fetched from the next origin in retry.domains (path kept), and under
// security.requireIntegrity a remote without an integrity is refused before
// anything is fetched.
func TestDomainFailoverAndRequiredIntegrity(t *testing.T) {
	remotes := os.DirFS(filepath.Join(root, "e2e", "testdata", "faults", "remotes"))
	listen := func() (string, func(http.Handler)) {
		ln, err := server.ListenLoopback("127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		return "http://" + ln.Addr().String(), func(h http.Handler) {
			srv := &http.Server{Handler: h}
			go func() { _ = srv.Serve(ln) }()
			t.Cleanup(func() { _ = srv.Close() })
		}
	}
	hostURL, serveHost := listen()
	deadURL, serveDead := listen()
	spareURL, serveSpare := listen()
	policy := server.Policy{AllowedOrigins: []string{hostURL}}
	dead := server.NewFaults(server.Files(remotes, policy), map[string]server.Fault{"/remote.js": {Status: 503}})
	spare := server.NewFaults(server.Files(remotes, policy), nil)
	serveDead(dead)
	serveSpare(spare)
	mux := http.NewServeMux()
	mux.Handle("/fedwasm/", http.StripPrefix("/fedwasm", server.Files(os.DirFS(filepath.Join(root, "dist", "fedwasm")), server.Policy{})))
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(`<!doctype html><title>failover</title><script src="/fedwasm/loader.js"></script>`))
	})
	serveHost(mux)

	b, err := browser.Start(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	ctx, cancel := context.WithTimeout(b.Context(), 30*time.Second)
	defer cancel()
	var started bool
	if err := chromedp.Run(ctx, chromedp.Navigate(hostURL+"/"), chromedp.Poll(`window.fedwasm !== undefined`, &started, chromedp.WithPollingTimeout(15*time.Second))); err != nil {
		t.Fatal(err)
	}
	got := eval[string](t, ctx, `(async () => {
		await fedwasm.init({ name: 'host',
			retry: { times: 2, delayMs: 20, timeoutMs: 2000, domains: [`+jsString(deadURL)+`, `+jsString(spareURL)+`] },
			remotes: [{ name: 'shop', entry: `+jsString(deadURL+"/remote.js")+`, type: 'esm' }] });
		const mod = await fedwasm.loadRemote('shop');
		const failover = typeof mod.mount === 'function';
		const strict = await fedwasm.loadRemote('shop').then(() => 'cached');
		return JSON.stringify({ failover, strict }) })()`)
	if got != `{"failover":true,"strict":"cached"}` {
		t.Errorf("got %s", got)
	}
	if dead.Hits("/remote.js") != 1 || spare.Hits("/remote.js") != 1 {
		t.Errorf("requests: dead origin %d, spare origin %d; want 1 and 1 (the first retry fails over)", dead.Hits("/remote.js"), spare.Hits("/remote.js"))
	}

	// A fresh page with requireIntegrity: the remote without integrity is refused up front.
	if err := chromedp.Run(ctx, chromedp.Navigate(hostURL+"/"), chromedp.Poll(`window.fedwasm !== undefined`, &started, chromedp.WithPollingTimeout(15*time.Second))); err != nil {
		t.Fatal(err)
	}
	before := spare.Hits("/remote.js")
	code := eval[string](t, ctx, `(async () => {
		await fedwasm.init({ name: 'host', security: { requireIntegrity: true },
			remotes: [{ name: 'shop', entry: `+jsString(spareURL+"/remote.js")+`, type: 'esm' }] });
		return fedwasm.loadRemote('shop').then(() => 'loaded', (e) => e.code) })()`)
	if code != "INTEGRITY_REQUIRED" || spare.Hits("/remote.js") != before {
		t.Errorf("requireIntegrity: got %s with %d new request(s), want INTEGRITY_REQUIRED and none", code, spare.Hits("/remote.js")-before)
	}
}
