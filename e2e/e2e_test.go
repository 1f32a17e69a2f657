//go:build e2e

// Package e2e drives the demo in headless Chromium. Run it after
// ./build.sh build with: go test -tags e2e ./e2e/
package e2e

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/fedwasm/fedwasm/internal/browser"
	"github.com/fedwasm/fedwasm/internal/demo"
)

// root is the repository root, where the demo's files and dist/ are.
var root = filepath.Join("..")

// startDemo serves the demo on free loopback ports and opens it in a fresh
// Chromium; the demo is ready when the bootstrap has published window.demo.
func startDemo(t *testing.T) (*demo.Demo, *browser.Browser, context.Context) {
	t.Helper()
	return startDemoWith(t, demo.Options{})
}

// startDemoWith is startDemo with opts (the root and free ports are filled in).
func startDemoWith(t *testing.T, opts demo.Options) (*demo.Demo, *browser.Browser, context.Context) {
	t.Helper()
	opts.Root, opts.HostAddr, opts.RemoteAddr, opts.ProductsAddr = root, "127.0.0.1:0", "127.0.0.1:0", "127.0.0.1:0"
	d, err := demo.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	b, ctx := openPage(t, d.HostURL+"/", `window.demo !== undefined || document.querySelector('#fedwasm-error') !== null`)
	if banner, err := browser.Text(ctx, "#fedwasm-error"); err == nil {
		t.Fatalf("loader reported: %s", banner)
	}
	expectedProblems.Store(b, d.KnownProblem)
	t.Cleanup(func() { expectedProblems.Delete(b) })
	return d, b, ctx
}

// expectedProblems holds, per browser, what its page is known to log.
var expectedProblems sync.Map // *browser.Browser → func(line string) bool (demo.KnownProblem)

func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	var out T
	if err := browser.Eval(ctx, expr, &out); err != nil {
		t.Fatalf("evaluating %s: %v", expr, err)
	}
	return out
}

// noProblems fails on anything the page logged, except what its page is
// known to log (expectedProblems).
func noProblems(t *testing.T, b *browser.Browser) {
	t.Helper()
	p := b.Problems()
	if want, ok := expectedProblems.Load(b); ok {
		p = slices.DeleteFunc(p, want.(func(string) bool))
	}
	if len(p) > 0 {
		t.Errorf("the page logged problems:\n%s", strings.Join(p, "\n"))
	}
}

// TestBootstrapStartsWithTheShareScope checks the demo's start on its page
// as server.Site serves it (the snapshot written in) and as a static file (the
// snapshot in its config): the bootstrap module starts with every configured
// share loaded (loadShareSync answers), after the loader's start and its own
// import mark; the runtime's start follows its usual marks.
func TestBootstrapStartsWithTheShareScope(t *testing.T) {
	for _, path := range []string{"/", "/index.html"} {
		t.Run(path, func(t *testing.T) {
			_, b, ctx := startDemoAt(t, path)
			order := eval[map[string]float64](t, ctx, `Object.fromEntries(['fedwasm:loader-start','fedwasm:bootstrap-import','demo:bootstrap-start','fedwasm:go-started','fedwasm:ready']
				.map((n) => [n, performance.getEntriesByName(n)[0]?.startTime ?? -1]))`)
			t.Logf("marks (ms since navigation): %v; runtime running at bootstrap: %v", order, eval[bool](t, ctx, `demo.runningAtBootstrap`))
			for _, pair := range [][2]string{{"fedwasm:loader-start", "fedwasm:bootstrap-import"}, {"fedwasm:bootstrap-import", "demo:bootstrap-start"}, {"fedwasm:loader-start", "fedwasm:go-started"}, {"fedwasm:go-started", "fedwasm:ready"}} {
				before, after := order[pair[0]], order[pair[1]]
				if before < 0 || after < 0 || before > after {
					t.Errorf("mark %s (%.1f ms) should precede %s (%.1f ms)", pair[0], before, pair[1], after)
				}
			}
			loadedAtBootstrap := eval[map[string]bool](t, ctx, `demo.loadedAtBootstrap`)
			for _, pkg := range []string{"react", "react-dom", "zustand", "@tanstack/query-core"} {
				if !loadedAtBootstrap[pkg] {
					t.Errorf("%s was not loaded when the bootstrap started (loaded: %v)", pkg, loadedAtBootstrap)
				}
			}
			noProblems(t, b)
		})
	}
}

func TestHostAndRemoteHoldOneStoreInstance(t *testing.T) {
	d, b, ctx := startDemo(t)
	checks := []struct{ name, expr string }{
		{"the remote's cart store is the host's instance", `demo.remote.received().cart === demo.cart`},
		{"the remote's zustand module is the host's instance", `demo.remote.received().zustand === demo.zustand`},
		{"stores.get returns the provided instance", `fedwasm.stores.get('cart').then((s) => s === demo.cart)`},
		{"the remote module came from the remote origin", `fedwasm.inspect().remotes[0].entry.startsWith(` + jsString(d.RemoteURL) + `)`},
		{"a bare import 'zustand' in a plain ES-module remote gets the singleton (import map)", `demo.badge.createStore === demo.zustand.createStore`},
		{"the import map names the loaded module's URL", `JSON.parse(document.querySelector('script[type=importmap]').textContent).imports.zustand === new URL('/vendor/zustand.js', location.href).href`},
	}
	for _, c := range checks {
		if !eval[bool](t, ctx, c.expr) {
			t.Errorf("%s: %s was false", c.name, c.expr)
		}
	}
	if got, _ := browser.Text(ctx, `[data-testid="cart-count"]`); got != "0" {
		t.Fatalf("remote shows %q items before any click, want 0", got)
	}
	for i, product := range []string{"kb", "hd"} {
		want := []string{"1", "2"}[i]
		var shown bool
		if err := chromedp.Run(ctx,
			chromedp.Click(`button[data-product="`+product+`"]`, chromedp.ByQuery),
			chromedp.Poll(`document.querySelector('[data-testid="cart-count"]').textContent === `+jsString(want)+
				` && document.querySelector('#cart-badge').dataset.count === `+jsString(want), &shown, chromedp.WithPollingTimeout(5*time.Second)),
		); err != nil {
			got, _ := browser.Text(ctx, `[data-testid="cart-count"]`)
			t.Fatalf("after clicking %s in the host the remote shows %q items, want %s: %v", product, got, want, err)
		}
	}
	noProblems(t, b)
}

func TestRuntimeSurvivesThrowingCallbacksAndBadCalls(t *testing.T) {
	_, b, ctx := startDemo(t)
	cases := []struct {
		name, expr, wantCode string
		wantSuffix           string // how the result ends, when it includes the message
	}{
		{"a shared get() that throws", `fedwasm.registerShared({ boom: { version: '1.0.0', get: () => { throw new Error('boom from get') } } });
			fedwasm.loadShare('boom').then(() => 'resolved', (e) => e.code + ' ' + e.details.cause)`, "SHARE_LOAD_FAILED", ""},
		{"an options getter that throws", `(() => { try { fedwasm.stores.provide('x', {}, { get version() { throw new Error('getter threw') } }); return 'no throw' }
			catch (e) { return e.code + ' ' + e.message } })()`, "JS_EXCEPTION", ""},
		{"a store taken by another owner", `(() => { try { fedwasm.scope('intruder').stores.provide('cart', {}); return 'no throw' }
			catch (e) { return e.code } })()`, "STORE_OWNED", ""},
		{"a package name that is not a string", `fedwasm.loadShare(42).then(() => 'resolved', (e) => e.code)`, "INVALID_ARGUMENT", ""},
		{"an unknown remote", `fedwasm.loadRemote('nope/Thing').then(() => 'resolved', (e) => e.code)`, "REMOTE_UNKNOWN", ""},
		{"a store nobody provides", `fedwasm.stores.get('ghost', { timeoutMs: 50 }).then(() => 'resolved', (e) => e.code + ' ' + e.message)`, "STORE_TIMEOUT",
			"(see docs/errors.md#store_timeout)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := eval[string](t, ctx, c.expr)
			if !strings.HasPrefix(got, c.wantCode) {
				t.Errorf("got %q, want code %s", got, c.wantCode)
			}
			if !strings.HasSuffix(got, c.wantSuffix) {
				t.Errorf("got %q, want it to end with %q", got, c.wantSuffix)
			}
			if !eval[bool](t, ctx, `Promise.all([fedwasm.loadShare('zustand'), fedwasm.stores.get('cart')]).then(([z, s]) => z === demo.zustand && s === demo.cart)`) {
				t.Error("the next calls after the failure did not return the shared instances")
			}
		})
	}
	noProblems(t, b)
}

func TestLoaderReportsAFailedStart(t *testing.T) {
	cases := []struct {
		name, runtime, wantText string
	}{
		{"runtime.wasm missing", "/fedwasm/missing.wasm", "HTTP 404"},
		{"runtime.wasm is not wasm", "/fedwasm/loader.js", "compiling the runtime failed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			page := `<!doctype html><title>broken</title><script src="/fedwasm/loader.js" data-runtime="` + c.runtime + `" data-config="/federation.json"></script>`
			url, b := servePage(t, page)
			ctx, cancel := context.WithTimeout(b.Context(), 30*time.Second)
			defer cancel()
			var text string
			if err := chromedp.Run(ctx, chromedp.Navigate(url), chromedp.WaitVisible("#fedwasm-error", chromedp.ByID), chromedp.Text("#fedwasm-error", &text, chromedp.ByID)); err != nil {
				t.Fatalf("no error banner: %v", err)
			}
			if !strings.Contains(text, c.wantText) || !strings.Contains(text, c.runtime) {
				t.Errorf("banner %q should contain %q and the URL %s", text, c.wantText, c.runtime)
			}
			logged := strings.Join(b.Problems(), "\n")
			if !strings.Contains(logged, c.runtime) {
				t.Errorf("console should name %s; it logged:\n%s", c.runtime, logged)
			}
		})
	}
}

func jsString(s string) string { return "'" + strings.ReplaceAll(s, "'", `\'`) + "'" }

func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	var png []byte
	if err := chromedp.Run(ctx, chromedp.CaptureScreenshot(&png)); err != nil {
		t.Errorf("screenshot: %v", err)
		return
	}
	dirs := []string{filepath.Join(root, "e2e", "artifacts")}
	if os.Getenv("UPDATE_SCREENSHOTS") == "1" {
		dirs = append(dirs, filepath.Join(root, "docs", "screenshots"))
	}
	for _, dir := range dirs {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
