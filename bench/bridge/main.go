// Command bridge measures fedwasm's JS API from page JavaScript, in the demo
// page in headless Chromium: what a loadShare, loadShareSync or stores.get
// costs the page code that calls it, against a plain `await Promise.resolve(x)`.
// Timing is done in the page with performance.now(), so the figures carry no
// cost of awaiting from Go (the jsbridge benchmarks pay that).
//
// It also times registerShared of many entries of one package (-register),
// each run in a freshly loaded page.
//
// It builds nothing: run ./build.sh build first, then, from the repository root,
//
//	go run ./bench/bridge [-n 2000] [-runs 7] [-register 1000,10000]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/fedwasm/fedwasm/bench/internal/benchdemo"
	"github.com/fedwasm/fedwasm/internal/browser"
)

func main() {
	root := flag.String("root", ".", "repository root holding index.html, demo-host/, demo-remote/ and dist/ (from ./build.sh build)")
	n := flag.Int("n", 2000, "calls per timed run")
	runs := flag.Int("runs", 7, "timed runs per measurement (after one untimed warm-up run)")
	register := flag.String("register", "1000,10000", "comma-separated entry counts: registerShared of that many versions of one package, each run in a fresh page (empty: none)")
	flag.Parse()
	sizes, err := parseSizes(*register)
	if *n < 1 || *runs < 1 || err != nil {
		fmt.Fprintln(os.Stderr, "bench/bridge: -n and -runs must be at least 1, -register a list of positive counts")
		os.Exit(2)
	}
	if err := run(*root, *n, *runs, sizes); err != nil {
		fmt.Fprintln(os.Stderr, "bench/bridge:", err)
		os.Exit(1)
	}
}

// loop is one per-call measurement: body runs n × scale times in a timed loop.
type loop struct {
	label string
	setup string // JS statements before the timed loop
	body  string // one call
	scale int    // multiplies -n
}

// baselineScale runs the JS baseline once more with this many times -n calls:
// 2000 of them take about one step of performance.now() (100 µs when the page
// is not cross-origin isolated), too few to measure.
const baselineScale = 100

var loops = []loop{
	{"await fedwasm.loadShare('zustand')", "", "await fedwasm.loadShare('zustand');", 1},
	{"fedwasm.loadShareSync('zustand')", "", "fedwasm.loadShareSync('zustand');", 1},
	{"await fedwasm.stores.get('cart')", "", "await fedwasm.stores.get('cart');", 1},
	{"await Promise.resolve(x)  [JS baseline]", "const x = { x: 1 };", "await Promise.resolve(x);", 1},
	{"await Promise.resolve(x)  [JS baseline, ×100 calls]", "const x = { x: 1 };", "await Promise.resolve(x);", baselineScale},
}

// baseline is the index in loops of the JS baseline the ratios divide by.
const baseline = 4

// loopJS returns an expression that runs l's body n times and evaluates to the elapsed ms.
func loopJS(l loop, n int) string {
	return fmt.Sprintf(`(async () => { %s const n = %d; const t0 = performance.now();
		for (let i = 0; i < n; i++) { %s }
		return performance.now() - t0; })()`, l.setup, n, l.body)
}

// The 200 × 5 scope: pkg-000 … pkg-199 in versions 1.0.0 … 5.0.0 (from
// mfe-1 … mfe-5), each with a lib module, loaded with requiredVersion ^3.0.0.
const (
	register200x5JS = `(() => {
		const shared = {};
		for (let i = 0; i < 200; i++) {
			const pkg = 'pkg-' + String(i).padStart(3, '0');
			shared[pkg] = [1, 2, 3, 4, 5].map((v) => ({ version: v + '.0.0', from: 'mfe-' + v, lib: { name: pkg + '@' + v + '.0.0' } }));
		}
		window.__bench = { names: Object.keys(shared), opts: { requiredVersion: '^3.0.0' } };
		const t0 = performance.now();
		fedwasm.registerShared(shared);
		return performance.now() - t0;
	})()`
	check200x5JS = `(async () => {
		const { names, opts } = window.__bench;
		const got = await Promise.all(names.map((p) => fedwasm.loadShare(p, opts)));
		return got.every((m, i) => m.name === names[i] + '@3.0.0');
	})()`
	all200x5JS = `(async () => {
		const { names, opts } = window.__bench;
		const t0 = performance.now();
		await Promise.all(names.map((p) => fedwasm.loadShare(p, opts)));
		return performance.now() - t0;
	})()`
	sequential200x5JS = `(async () => {
		const { names, opts } = window.__bench;
		const t0 = performance.now();
		for (const p of names) await fedwasm.loadShare(p, opts);
		return performance.now() - t0;
	})()`
	// granularityJS is the smallest step performance.now() advances by.
	granularityJS = `(() => {
		let min = Infinity;
		for (let k = 0; k < 20; k++) {
			const a = performance.now(); let b = a;
			while (b === a) b = performance.now();
			min = Math.min(min, b - a);
		}
		return min;
	})()`
)

func run(root string, n, runs int, registerSizes []int) error {
	d, b, closeAll, err := benchdemo.Start(root)
	if err != nil {
		return err
	}
	defer closeAll()
	ctx, cancel := context.WithTimeout(b.Context(), 10*time.Minute)
	defer cancel()
	if err := benchdemo.Open(ctx, b, d.HostURL); err != nil {
		return err
	}

	var env struct {
		UserAgent  string  `json:"ua"`
		Version    string  `json:"version"`
		Isolated   bool    `json:"isolated"`
		Cores      float64 `json:"cores"`
		Resolution float64 `json:"resolution"`
	}
	if err := browser.Eval(ctx, `({ ua: navigator.userAgent, version: fedwasm.version, isolated: self.crossOriginIsolated === true,
		cores: navigator.hardwareConcurrency, resolution: `+granularityJS+` })`, &env); err != nil {
		return err
	}
	fmt.Printf("fedwasm %s in the demo page, %s\n", env.Version, chromeVersion(env.UserAgent))
	fmt.Printf("%s; %g cores; performance.now() step %.3f ms (crossOriginIsolated %v)\n",
		time.Now().Format("2006-01-02 15:04 MST"), env.Cores, env.Resolution, env.Isolated)
	fmt.Printf("each figure: %d timed runs after 1 warm-up run; a per-call loop makes %d sequential calls per run (the last row %d);\n", runs, n, n*baselineScale)
	fmt.Printf("× baseline divides by the median of the last row\n\n")

	// Per-call loops, runs interleaved so that a busy moment hits every row alike.
	perCall := make([][]float64, len(loops)) // µs per call, one per run
	for r := -1; r < runs; r++ {
		for i, l := range loops {
			var ms float64
			if err := browser.Eval(ctx, loopJS(l, n*l.scale), &ms); err != nil {
				return fmt.Errorf("%s: %w", l.label, err)
			}
			if r >= 0 { // r == -1 is the warm-up
				perCall[i] = append(perCall[i], ms*1000/float64(n*l.scale))
			}
		}
	}
	base := median(perCall[baseline])
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "call\tmedian µs/call\tmin\tmax\t× baseline\t\n")
	for i, l := range loops {
		s := perCall[i]
		fmt.Fprintf(tw, "%s\t%.3f\t%.3f\t%.3f\t%s\t\n", l.label, median(s), minOf(s), maxOf(s), ratio(median(s), base))
	}
	if err := tw.Flush(); err != nil {
		return err
	}

	// 200 packages × 5 providers.
	var registerMs float64
	if err := browser.Eval(ctx, register200x5JS, &registerMs); err != nil {
		return fmt.Errorf("registerShared of 200 × 5: %w", err)
	}
	var firstMs float64
	if err := browser.Eval(ctx, all200x5JS, &firstMs); err != nil { // the first load of each package
		return fmt.Errorf("loadShare of 200 packages: %w", err)
	}
	var ok bool
	if err := browser.Eval(ctx, check200x5JS, &ok); err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("loadShare(pkg, { requiredVersion: '^3.0.0' }) did not return each package's 3.0.0 module")
	}
	fmt.Printf("\n200 packages × 5 providers (lib values), loadShare(pkg, { requiredVersion: '^3.0.0' }) of each:\n")
	fmt.Printf("  registerShared of all 1000 providers (one call, measured once): %.1f ms\n", registerMs)
	fmt.Printf("  first loadShare of the 200 (Promise.all, measured once): %.1f ms\n", firstMs)
	tw = tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "  200 loadShare calls, all loaded\tmedian ms\tmin\tmax\tmedian µs/package\t× baseline\t\n")
	for _, m := range []struct{ label, js string }{
		{"Promise.all of the 200", all200x5JS},
		{"one after another", sequential200x5JS},
	} {
		var s []float64
		for r := -1; r < runs; r++ {
			var ms float64
			if err := browser.Eval(ctx, m.js, &ms); err != nil {
				return fmt.Errorf("%s: %w", m.label, err)
			}
			if r >= 0 {
				s = append(s, ms)
			}
		}
		perPackage := median(s) * 1000 / 200
		fmt.Fprintf(tw, "  %s\t%.1f\t%.1f\t%.1f\t%.1f\t%s\t\n", m.label, median(s), minOf(s), maxOf(s), perPackage, ratio(perPackage, base))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if err := registerOnePackage(ctx, b, d.HostURL, registerSizes, runs); err != nil {
		return err
	}
	if p := slices.DeleteFunc(b.Problems(), d.KnownProblem); len(p) > 0 {
		return fmt.Errorf("the page logged problems:\n%s", strings.Join(p, "\n"))
	}
	return nil
}

// registerOneJS registers %[1]d versions (1.0.0 … 1.0.<n-1>, lib values) of
// one package with one registerShared call, then loads it once; it evaluates
// to both times in ms and whether loadShare got the highest version.
const registerOneJS = `(async () => {
	const n = %[1]d, list = new Array(n);
	for (let i = 0; i < n; i++) list[i] = { version: '1.0.' + i, lib: { i } };
	const t0 = performance.now();
	fedwasm.registerShared({ 'bench-one': list });
	const t1 = performance.now();
	const m = await fedwasm.loadShare('bench-one');
	const t2 = performance.now();
	return { register: t1 - t0, load: t2 - t1, ok: m.i === n - 1 };
})()`

// registerOnePackage times registerShared of each size's entries of one
// package, and the first loadShare of it after, each run in a freshly loaded
// demo page, so every run starts from the demo's own share scope.
func registerOnePackage(ctx context.Context, b *browser.Browser, hostURL string, sizes []int, runs int) error {
	if len(sizes) == 0 {
		return nil
	}
	fmt.Printf("\nregisterShared({ 'bench-one': [n entries] }) of n versions of one package (lib values), then the first\n")
	fmt.Printf("loadShare('bench-one'); each run in a freshly loaded page, %d timed runs after 1 warm-up:\n", runs)
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "  n\tregisterShared median ms\tmin\tmax\tµs/entry\tfirst loadShare median ms\tmin\tmax\t\n")
	for _, size := range sizes {
		var register, load []float64
		for r := -1; r < runs; r++ {
			if err := benchdemo.Open(ctx, b, hostURL); err != nil {
				return err
			}
			var got struct {
				Register float64 `json:"register"`
				Load     float64 `json:"load"`
				OK       bool    `json:"ok"`
			}
			if err := browser.Eval(ctx, fmt.Sprintf(registerOneJS, size), &got); err != nil {
				return fmt.Errorf("registerShared of %d entries: %w", size, err)
			}
			if !got.OK {
				return fmt.Errorf("after registerShared of %d entries, loadShare('bench-one') did not return the highest version", size)
			}
			if r >= 0 {
				register, load = append(register, got.Register), append(load, got.Load)
			}
		}
		fmt.Fprintf(tw, "  %d\t%.1f\t%.1f\t%.1f\t%.2f\t%.1f\t%.1f\t%.1f\t\n", size, median(register), minOf(register), maxOf(register),
			median(register)*1000/float64(size), median(load), minOf(load), maxOf(load))
	}
	return tw.Flush()
}

// parseSizes reads -register: comma-separated positive counts.
func parseSizes(list string) ([]int, error) {
	var sizes []int
	for _, f := range strings.Split(list, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("bad count %q", f)
		}
		sizes = append(sizes, n)
	}
	return sizes, nil
}

func chromeVersion(ua string) string {
	for _, f := range strings.Fields(ua) {
		if strings.HasPrefix(f, "HeadlessChrome/") || strings.HasPrefix(f, "Chrome/") {
			return f
		}
	}
	return ua
}

// ratio is a/b as "123×", or "n/a" when b measured as zero (below the timer's step).
func ratio(a, b float64) string {
	if b <= 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.0f×", a/b)
}

func median(s []float64) float64 {
	c := append([]float64(nil), s...)
	sort.Float64s(c)
	if len(c)%2 == 1 {
		return c[len(c)/2]
	}
	return (c[len(c)/2-1] + c[len(c)/2]) / 2
}

func minOf(s []float64) float64 {
	m := s[0]
	for _, v := range s[1:] {
		m = min(m, v)
	}
	return m
}

func maxOf(s []float64) float64 {
	m := s[0]
	for _, v := range s[1:] {
		m = max(m, v)
	}
	return m
}
