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

// listenOrigin listens on a free loopback port and returns its origin and a
// function that starts serving h there (closed when the test ends). The
// origin is known before the handler, so CORS policies can name it.
func listenOrigin(t *testing.T) (string, func(h http.Handler)) {
	t.Helper()
	ln, err := server.ListenLoopback("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return "http://" + ln.Addr().String(), func(h http.Handler) {
		srv := server.NewHTTPServer(h, server.DefaultLimits)
		go func() { _ = srv.Serve(ln) }()
		t.Cleanup(func() { _ = srv.Close() })
	}
}

// runtimePage serves html at / (with csp when not empty), the built runtime
// under /fedwasm/ and the vendor modules under /vendor/.
func runtimePage(html, csp string) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/fedwasm/", http.StripPrefix("/fedwasm", server.Files(os.DirFS(filepath.Join(root, "dist", "fedwasm")), server.Policy{})))
	mux.Handle("/vendor/", http.StripPrefix("/vendor", server.Files(os.DirFS(filepath.Join(root, "dist", "vendor")), server.Policy{})))
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, _ *http.Request) {
		if csp != "" {
			w.Header().Set("Content-Security-Policy", csp)
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(html))
	})
	return mux
}

// servePage serves html at / with the built runtime under /fedwasm/ on a free
// loopback port, and opens a fresh Chromium for it.
func servePage(t *testing.T, html string) (string, *browser.Browser) {
	t.Helper()
	url, serve := listenOrigin(t)
	serve(runtimePage(html, ""))
	b, err := browser.Start(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	return url + "/", b
}

// openRuntimePage opens url in a fresh Chromium and waits until the runtime
// answers (Go has published its API; the page's config, if any, is not awaited).
func openRuntimePage(t *testing.T, url string) (*browser.Browser, context.Context) {
	t.Helper()
	return openPage(t, url, runtimeRunning)
}

// openPage opens url in a fresh Chromium (closed when the test ends; its
// context lives 60 s) and waits up to 30 s until ready, a JS expression, is true.
// runtimeRunning is true once the runtime answers: window.fedwasm is the
// loader's stand-in from the first moment, and its inspect() throws
// NOT_INITIALIZED until Go has published its API.
const runtimeRunning = `(() => { try { return typeof fedwasm.inspect() === 'object'; } catch { return false; } })()`

// runtimeReady is true once the runtime answers and is initialized.
const runtimeReady = `(() => { try { return fedwasm.inspect().ready === true; } catch { return false; } })()`

func openPage(t *testing.T, url, ready string) (*browser.Browser, context.Context) {
	t.Helper()
	b, err := browser.Start(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	ctx, cancel := context.WithTimeout(b.Context(), 60*time.Second)
	t.Cleanup(cancel)
	var done bool
	if err := chromedp.Run(ctx, chromedp.Navigate(url), chromedp.Poll(ready, &done, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		t.Fatalf("%s did not get to %s: %v; page problems: %v", url, ready, err, b.Problems())
	}
	return b, ctx
}

// reopenRuntimePage navigates the tab to url again and waits for the runtime to answer.
func reopenRuntimePage(t *testing.T, ctx context.Context, url string, b *browser.Browser) {
	t.Helper()
	var started bool
	if err := chromedp.Run(ctx, chromedp.Navigate(url), chromedp.Poll(runtimeRunning, &started, chromedp.WithPollingTimeout(15*time.Second))); err != nil {
		t.Fatalf("the runtime did not start at %s: %v; page problems: %v", url, err, b.Problems())
	}
}

// reloadUntil reloads the page in ctx and waits until ready (a JS expression)
// is true. chromedp.Poll can stay bound to the unloaded document, so ready is
// evaluated afresh each time.
func reloadUntil(t *testing.T, ctx context.Context, b *browser.Browser, ready string) {
	t.Helper()
	if err := chromedp.Run(ctx, chromedp.Reload()); err != nil {
		t.Fatalf("reloading: %v", err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		var done bool
		if err := chromedp.Run(ctx, chromedp.Evaluate(ready, &done)); err == nil && done {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the page did not get to %s after a reload; page problems: %v", ready, b.Problems())
		}
		time.Sleep(50 * time.Millisecond)
	}
}
