// Command startup measures page startup of the same small shop (host shell +
// cart and products remotes, React and zustand as singletons; bench/app/)
// built three ways, in one run, in headless Chromium:
//
//	webpack         a webpack 5 ModuleFederationPlugin host
//	mf-runtime      an @module-federation/runtime page (init + loadRemote)
//	fedwasm         a fedwasm host page served by server.Site, with the
//	                share scope's snapshot written in (the bootstrap does
//	                not wait for Go)
//	fedwasm-nosnap  the same fedwasm page served as a file, with a
//	                federation.json without a snapshot (the bootstrap
//	                starts once Go is ready)
//
// The remotes are the same webpack 5 containers for all of them, on a second
// origin. The variants alternate within each run. Cold is a fresh Chromium
// profile per sample; warm is the second reload in that browser (the first
// reload fills V8's code cache). Each sample reads the page's marks
// 'bootstrap-start' (the host bootstrap's first line) and 'remote-render' (the
// first remote rendered), fedwasm's phase marks and the Resource Timing
// entries.
//
// Every run measures each variant on loopback and, with -throttle, again
// under CDP network emulation (Network.emulateNetworkConditions: the given
// download and upload throughput and round-trip latency on every request),
// where the bytes count as they do for users.
//
// It builds nothing: ./build.sh bench builds dist/fedwasm and dist/bench, then
//
//	go run ./bench/startup [-runs 7] [-throttle 20,40] [-out bench/RESULTS.md] [-svg bench/startup.svg] [-include a.txt,b.txt]
//
// -baseline DIR adds a fourth variant, fedwasm-base: the fedwasm page with an
// older build's runtime directory (its loader.js and the files it loads, e.g.
// a dist/fedwasm built at another commit, or a copy with another loader.js),
// to measure a loader or runtime change before and after in one run.
//
// The last line printed states the four ratios fedwasm/webpack on loopback
// (nav → bootstrap and nav → first remote render, cold and warm); the line
// before it, the same for the throttled profile.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/fedwasm/fedwasm/internal/browser"
)

// variant is one build of the app.
type variant struct {
	key, label, path string
}

var variants = []variant{
	{"webpack", "webpack 5 ModuleFederationPlugin", "/wp/"},
	{"mf-runtime", "@module-federation/runtime", "/mf/"},
	{"fedwasm", "fedwasm (server.Site page, snapshot)", "/fw/"},
	{"fedwasm-nosnap", "fedwasm (static page, no snapshot)", "/fw/static.html"},
}

// profile is the network a run's loads go through.
type profile struct {
	key, label string
	throttle   *throttle // nil: loopback as it is
}

// throttle is a network emulated with CDP: throughput each way and the
// round-trip latency added to every request.
type throttle struct {
	mbitPerSecond, rttMS float64
}

// parseThrottle reads -throttle's "MBIT,RTT" (download and upload Mbit/s,
// round-trip ms), such as "20,40".
func parseThrottle(v string) (*throttle, error) {
	mbit, rtt, ok := strings.Cut(v, ",")
	t := &throttle{}
	var err1, err2 error
	t.mbitPerSecond, err1 = strconv.ParseFloat(strings.TrimSpace(mbit), 64)
	t.rttMS, err2 = strconv.ParseFloat(strings.TrimSpace(rtt), 64)
	if !ok || err1 != nil || err2 != nil || t.mbitPerSecond <= 0 || t.rttMS < 0 {
		return nil, fmt.Errorf("-throttle %q: want MBIT,RTT (Mbit/s each way, round trip in ms), such as 20,40", v)
	}
	return t, nil
}

// emulate applies t to the page's network (all its requests, the cached
// ones excepted) for the rest of the browser's life.
func (t *throttle) emulate() chromedp.Action {
	bytesPerSecond := t.mbitPerSecond * 1e6 / 8
	return chromedp.Tasks{network.Enable(), network.EmulateNetworkConditions(false, t.rttMS, bytesPerSecond, bytesPerSecond)}
}

// resource is one Resource Timing entry (or the navigation entry).
type resource struct {
	Name     string  `json:"name"`
	Transfer float64 `json:"transfer"`
	Encoded  float64 `json:"encoded"`
	Decoded  float64 `json:"decoded"`
	Start    float64 `json:"start"`
	End      float64 `json:"end"`
}

// pageLoad is what one load of a page reports.
type pageLoad struct {
	Bootstrap float64            `json:"bootstrap"`
	Render    float64            `json:"render"`
	All       float64            `json:"all"`
	Marks     map[string]float64 `json:"marks"`
	Doc       resource           `json:"doc"`
	Resources []resource         `json:"resources"`
}

// sample is one cold load and the warm reload after it.
type sample struct{ cold, warm pageLoad }

const collectJS = `(() => {
	const mark = (n) => { const e = performance.getEntriesByName(n, 'mark')[0]; return e ? e.startTime : -1; };
	const nav = performance.getEntriesByType('navigation')[0];
	const entry = (e) => ({ name: e.name, transfer: e.transferSize, encoded: e.encodedBodySize, decoded: e.decodedBodySize, start: e.startTime, end: e.responseEnd });
	return {
		bootstrap: mark('bootstrap-start'), render: mark('remote-render'), all: mark('remotes-rendered'),
		marks: Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name, m.startTime])),
		doc: entry(nav), resources: performance.getEntriesByType('resource').map(entry),
	};
})()`

// doneJS is true once both remotes rendered, or a loader error shows.
const doneJS = `performance.getEntriesByName('remotes-rendered', 'mark').length > 0 || document.querySelector('#fedwasm-error') !== null`

// checkJS adds a product through the products remote and reports whether the
// cart remote and the host's header show it: one store, one React.
const checkJS = `(async () => {
	const items = document.querySelectorAll('#products-slot li').length;
	document.querySelector('#products-slot button').click();
	await new Promise((r) => setTimeout(r, 50));
	return JSON.stringify({ items, cart: document.querySelector('#cart-slot li')?.textContent, header: document.querySelector('[data-testid=count]')?.textContent });
})()`

const checkWant = `{"items":6,"cart":"Mechanical keyboard","header":"1 in cart"}`

func main() {
	root := flag.String("root", ".", "repository root (after ./build.sh bench built dist/)")
	runs := flag.Int("runs", 7, "samples per variant and profile (cold + warm each), variants alternated")
	throttled := flag.String("throttle", "", "also measure every variant under this emulated network, MBIT,RTT (Mbit/s each way, round trip in ms), such as 20,40")
	out := flag.String("out", "bench/RESULTS.md", "results file to write ('' for none)")
	svg := flag.String("svg", "bench/startup.svg", "chart to write ('' for none)")
	include := flag.String("include", "", "comma-separated text files (other benchmarks' output) to append to the results file")
	timeline := flag.String("timeline", "", "print this variant's first cold and warm loads request by request")
	baseline := flag.String("baseline", "", "an older build's runtime directory (loader.js and what it loads) to measure as a fourth variant, fedwasm-base")
	flag.Parse()
	if *baseline != "" {
		variants = append(variants, variant{"fedwasm-base", "fedwasm (server.Site page), runtime from " + *baseline, "/fwb/"})
	}
	profiles := []profile{{key: "loopback", label: "loopback"}}
	if *throttled != "" {
		t, err := parseThrottle(*throttled)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench/startup:", err)
			os.Exit(2)
		}
		profiles = append(profiles, profile{key: "throttled", label: fmt.Sprintf("throttled (%g Mbit/s, %g ms RTT)", t.mbitPerSecond, t.rttMS), throttle: t})
	}
	if err := run(*root, *runs, profiles, *out, *svg, *include, *baseline, *timeline); err != nil {
		fmt.Fprintln(os.Stderr, "bench/startup:", err)
		os.Exit(1)
	}
}

func run(root string, runs int, profiles []profile, out, svg, include, baseline, timeline string) error {
	if runs < 1 {
		return errors.New("-runs must be at least 1")
	}
	s, err := startSite(root, baseline)
	if err != nil {
		return err
	}
	defer s.close()
	env := environment()
	env.loadBefore = loadAverage()
	fmt.Printf("startup: %d variants × %d profiles × %d runs, host %s, remotes %s\n", len(variants), len(profiles), runs, s.hostURL, s.remoteURL)
	samples := make(map[string]map[string][]sample)
	for _, p := range profiles {
		samples[p.key] = make(map[string][]sample)
	}
	for r := 0; r < runs; r++ {
		for _, p := range profiles {
			for _, v := range variants {
				smp, version, err := measure(s, v, p, r == 0)
				if err != nil {
					return fmt.Errorf("run %d, %s, %s: %w", r+1, p.key, v.key, err)
				}
				if env.chromium == "" {
					env.chromium = version
				}
				samples[p.key][v.key] = append(samples[p.key][v.key], smp)
				fmt.Printf("  run %d %-9s %-14s cold bootstrap %7.1f ms  render %7.1f ms | warm bootstrap %7.1f ms  render %7.1f ms\n",
					r+1, p.key, v.key, smp.cold.Bootstrap, smp.cold.Render, smp.warm.Bootstrap, smp.warm.Render)
			}
		}
	}
	env.loadAfter = loadAverage()
	rep := newReport(s, env, runs, profiles, samples)
	text := rep.markdown()
	fmt.Println()
	fmt.Print(rep.terminal())
	for _, p := range profiles {
		if smps := samples[p.key][timeline]; len(smps) > 0 {
			fmt.Printf("\n%s, %s, first cold load, ms since navigation (request start → response end):\n%s", timeline, p.key, printTimeline(smps[0].cold))
			fmt.Printf("%s, %s, its warm reload:\n%s", timeline, p.key, printTimeline(smps[0].warm))
		}
	}
	if svg != "" {
		if err := os.WriteFile(svg, []byte(rep.svg()), 0o644); err != nil {
			return err
		}
	}
	if out != "" {
		if include != "" {
			text += rep.included(strings.Split(include, ","))
		}
		if err := os.WriteFile(out, []byte(text), 0o644); err != nil {
			return err
		}
		fmt.Printf("wrote %s", out)
		if svg != "" {
			fmt.Printf(" and %s", svg)
		}
		fmt.Println()
	}
	for i := len(profiles) - 1; i >= 0; i-- {
		fmt.Println(rep.ratioLine(profiles[i]))
	}
	return nil
}

// measure loads v in a fresh browser (cold) through p's network, reloads
// twice and measures the second reload (warm). With check, it also clicks
// through the app once.
func measure(s *site, v variant, p profile, check bool) (sample, string, error) {
	b, err := browser.Start(context.Background())
	if err != nil {
		return sample{}, "", err
	}
	defer b.Close()
	ctx, cancel := context.WithTimeout(b.Context(), 2*time.Minute)
	defer cancel()
	var version string
	if err := chromedp.Run(ctx, chromedp.ActionFunc(func(ctx context.Context) error {
		_, product, _, _, _, err := cdpbrowser.GetVersion().Do(ctx)
		version = product
		return err
	})); err != nil {
		return sample{}, "", err
	}
	if p.throttle != nil {
		if err := chromedp.Run(ctx, p.throttle.emulate()); err != nil {
			return sample{}, "", fmt.Errorf("emulating the network: %w", err)
		}
	}
	var smp sample
	load := func(action chromedp.Action, into *pageLoad) error {
		var done bool
		if err := chromedp.Run(ctx, action, chromedp.Poll(doneJS, &done, chromedp.WithPollingTimeout(60*time.Second))); err != nil {
			return fmt.Errorf("the page did not finish: %v; page problems: %v", err, b.Problems())
		}
		if banner, err := browser.Text(ctx, "#fedwasm-error"); err == nil {
			return fmt.Errorf("the loader reported: %s", banner)
		}
		if err := browser.Eval(ctx, collectJS, into); err != nil {
			return err
		}
		if into.Bootstrap < 0 || into.Render < 0 {
			return fmt.Errorf("marks missing: %v", into.Marks)
		}
		return nil
	}
	if err := load(chromedp.Navigate(s.hostURL+v.path), &smp.cold); err != nil {
		return sample{}, "", fmt.Errorf("cold load: %w", err)
	}
	var first pageLoad
	if err := load(chromedp.Reload(), &first); err != nil {
		return sample{}, "", fmt.Errorf("first reload: %w", err)
	}
	if err := load(chromedp.Reload(), &smp.warm); err != nil {
		return sample{}, "", fmt.Errorf("warm reload: %w", err)
	}
	if check {
		var got string
		if err := browser.Eval(ctx, checkJS, &got); err != nil {
			return sample{}, "", err
		}
		if got != checkWant {
			return sample{}, "", fmt.Errorf("the app does not work: got %s, want %s", got, checkWant)
		}
	}
	if p := b.Problems(); len(p) > 0 {
		return sample{}, "", fmt.Errorf("page problems: %s", strings.Join(p, "; "))
	}
	return smp, version, nil
}

// printTimeline lists a load's requests and marks in time order.
func printTimeline(p pageLoad) string {
	type line struct {
		at   float64
		text string
	}
	var lines []line
	for _, r := range append([]resource{p.Doc}, p.Resources...) {
		lines = append(lines, line{r.Start, fmt.Sprintf("%7.1f → %7.1f  %8.1f KB  %s", r.Start, r.End, r.Transfer/1000, r.Name)})
	}
	for name, at := range p.Marks {
		lines = append(lines, line{at, fmt.Sprintf("%7.1f            mark %s", at, name)})
	}
	sort.Slice(lines, func(i, j int) bool { return lines[i].at < lines[j].at })
	var b strings.Builder
	for _, l := range lines {
		b.WriteString("  " + l.text + "\n")
	}
	return b.String()
}
