// Command wasmcache measures whether a warm page load compiles runtime.wasm
// sooner from Cache Storage, where the page stored its decoded (identity)
// bytes, than from the HTTP cache, where the browser keeps the brotli bytes
// and decodes them on every load. It serves dist/fedwasm as fedwasm's server
// does (server.Site: brotli, immutable) on 127.0.0.1 and, in a fresh headless
// Chromium per run, loads a page twice (cold, then warm) that compiles the
// runtime with WebAssembly.compileStreaming from:
//
//   - http: fetch(url), as loader.js does;
//   - cache: as loader.js does, the bytes kept in Cache Storage when
//     localStorage says the page kept them, checked against their SHA-256;
//     otherwise
//     compileStreaming(fetch(url)), then a second fetch (from the HTTP cache)
//     put in Cache Storage: decoded bytes, whose cost is reported apart.
//
// The two are alternated. It builds nothing: run ./build.sh build first, then
// from the repository root
//
//	go run ./bench/wasmcache [-runs 11]
package main

import (
	"context"
	"crypto/sha256"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/fedwasm/fedwasm/internal/browser"
	"github.com/fedwasm/fedwasm/internal/runtimebuild"
	"github.com/fedwasm/fedwasm/server"
)

// page compiles the runtime named by ?wasm= the way ?variant= says, and
// resolves window.compiled to {ms, storeMs, from}: ms from the start of the
// fetch or cache lookup until the module is compiled, storeMs what writing
// it to Cache Storage took (0 when nothing was written).
const page = `<!doctype html><meta charset="utf-8"><title>wasmcache</title><link rel="icon" href="data:,">
<script>
window.compiled = (async () => {
  const q = new URLSearchParams(location.search), url = q.get('wasm'), variant = q.get('variant');
  const t0 = performance.now();
  if (variant === 'http') {
    await WebAssembly.compileStreaming(fetch(url));
    return {ms: performance.now() - t0, storeMs: 0, from: 'http'};
  }
  // As loader.js does it: localStorage names the URL kept in Cache Storage;
  // with it, the stored bytes are compiled once their SHA-256 is the build's
  // (?sha256=); without, the fetched ones, and
  // then (keepRuntime, once the runtime has started) the URL is fetched
  // again from the HTTP cache and stored.
  if (localStorage.getItem('fedwasm-runtime') === url) {
    const hit = await (await caches.open('fedwasm-runtime')).match(url);
    const bytes = await hit.arrayBuffer();
    const digest = Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)), (b) => b.toString(16).padStart(2, '0')).join('');
    if (digest !== q.get('sha256')) throw new Error('the kept copy has SHA-256 ' + digest);
    await WebAssembly.compile(bytes);
    return {ms: performance.now() - t0, storeMs: 0, from: 'cache'};
  }
  await WebAssembly.compileStreaming(fetch(url));
  const ms = performance.now() - t0, t1 = performance.now();
  const cache = await caches.open('fedwasm-runtime');
  await cache.put(url, await fetch(url));
  localStorage.setItem('fedwasm-runtime', url);
  return {ms, storeMs: performance.now() - t1, from: 'network'};
})();
</script>`

type result struct {
	Ms      float64 `json:"ms"`
	StoreMs float64 `json:"storeMs"`
	From    string  `json:"from"`
}

func main() {
	root := flag.String("root", ".", "repository root (after ./build.sh build)")
	runs := flag.Int("runs", 11, "runs per variant, each in a fresh browser (alternated)")
	flag.Parse()
	if err := run(*root, *runs); err != nil {
		fmt.Fprintln(os.Stderr, "bench/wasmcache:", err)
		os.Exit(1)
	}
}

func run(root string, runs int) error {
	dist := filepath.Join(root, runtimebuild.Dir)
	wasm, err := filepath.Glob(filepath.Join(dist, "runtime.*.wasm"))
	if err != nil || len(wasm) != 1 {
		return fmt.Errorf("want one runtime.*.wasm in %s (run ./build.sh build), found %v", dist, wasm)
	}
	wasmURL := "/fedwasm/" + filepath.Base(wasm[0])
	wasmBytes, err := os.ReadFile(wasm[0])
	if err != nil {
		return err
	}
	sum := sha256.Sum256(wasmBytes)

	mux := http.NewServeMux()
	mux.Handle("/fedwasm/", server.Site{Runtime: os.DirFS(dist), Version: "bench"}.Handler())
	mux.HandleFunc("/page", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		fmt.Fprint(w, page)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()

	type sample struct{ cold, warm, store []float64 }
	samples := map[string]*sample{"http": {}, "cache": {}}
	for i := range runs {
		for _, variant := range []string{"http", "cache"} {
			url := fmt.Sprintf("http://%s/page?variant=%s&wasm=%s&sha256=%x", ln.Addr(), variant, wasmURL, sum)
			cold, warm, err := coldAndWarm(url)
			if err != nil {
				return fmt.Errorf("run %d, %s: %w", i+1, variant, err)
			}
			if warm.From != variant {
				return fmt.Errorf("run %d, %s: the warm load compiled from %s", i+1, variant, warm.From)
			}
			s := samples[variant]
			s.cold, s.warm, s.store = append(s.cold, cold.Ms), append(s.warm, warm.Ms), append(s.store, cold.StoreMs)
		}
	}
	fmt.Printf("runtime.wasm compiled (%s, %d runs each, medians, ms)\n", filepath.Base(wasm[0]), runs)
	fmt.Printf("%-8s %8s %8s %18s\n", "from", "cold", "warm", "cold: then store")
	for _, variant := range []string{"http", "cache"} {
		s := samples[variant]
		fmt.Printf("%-8s %8.1f %8.1f %18.1f\n", variant, median(s.cold), median(s.warm), median(s.store))
	}
	return nil
}

// coldAndWarm loads url in a fresh browser, then again in the same tab.
func coldAndWarm(url string) (cold, warm result, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	b, err := browser.Start(ctx)
	if err != nil {
		return cold, warm, err
	}
	defer b.Close()
	for _, out := range []*result{&cold, &warm} {
		if err := chromedp.Run(b.Context(), chromedp.Navigate(url)); err != nil {
			return cold, warm, err
		}
		if err := browser.Eval(b.Context(), "window.compiled", out); err != nil {
			return cold, warm, err
		}
	}
	if p := b.Problems(); len(p) > 0 {
		return cold, warm, fmt.Errorf("the page reported %v", p)
	}
	return cold, warm, nil
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	return s[len(s)/2]
}
