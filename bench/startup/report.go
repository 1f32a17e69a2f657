package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"
)

// env describes where the run happened.
type env struct {
	date, cpu, goVersion, chromium string
	cores                          int
	loadBefore, loadAfter          string
}

func environment() env {
	e := env{date: time.Now().UTC().Format("2006-01-02 15:04 UTC"), cores: runtime.NumCPU(), goVersion: runtime.Version(), cpu: "unknown CPU"}
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				e.cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	return e
}

// loadAverage is /proc/loadavg's 1, 5 and 15 minute figures.
func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// dist is a sample's spread.
type dist struct{ median, p25, p75, min, max float64 }

func spread(xs []float64) dist {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	at := func(p float64) float64 { return s[int(p*float64(len(s)-1)+0.5)] }
	return dist{median: median(s), p25: at(0.25), p75: at(0.75), min: s[0], max: s[len(s)-1]}
}

func median(sorted []float64) float64 {
	n := len(sorted)
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}

func (d dist) String() string {
	return fmt.Sprintf("%.1f (%.1f–%.1f)", d.median, d.min, d.max)
}

// metric is one timed quantity of a load.
type metric struct {
	label string
	warm  bool
	get   func(pageLoad) float64
}

var metrics = []metric{
	{"cold: nav → bootstrap start", false, func(p pageLoad) float64 { return p.Bootstrap }},
	{"cold: nav → first remote render", false, func(p pageLoad) float64 { return p.Render }},
	{"warm: nav → bootstrap start", true, func(p pageLoad) float64 { return p.Bootstrap }},
	{"warm: nav → first remote render", true, func(p pageLoad) float64 { return p.Render }},
}

// bytesTotal sums a load's files.
type bytesTotal struct {
	files                                 int
	transfer, encoded, decoded            float64
	raw, gzip, brotli                     int64
	unknown                               []string
	runtimeRaw, runtimeGzip, runtimeBrotl int64
}

type report struct {
	env      env
	runs     int
	site     *site
	profiles []profile
	samples  map[string]map[string][]sample // per profile, per variant
	dists    map[string]map[string][]dist   // per profile, per variant, per metric
}

func newReport(s *site, e env, runs int, profiles []profile, samples map[string]map[string][]sample) *report {
	r := &report{env: e, runs: runs, site: s, profiles: profiles, samples: samples, dists: map[string]map[string][]dist{}}
	for _, p := range profiles {
		r.dists[p.key] = map[string][]dist{}
		for _, v := range variants {
			for _, m := range metrics {
				var xs []float64
				for _, smp := range samples[p.key][v.key] {
					xs = append(xs, m.get(smp.load(m.warm)))
				}
				r.dists[p.key][v.key] = append(r.dists[p.key][v.key], spread(xs))
			}
		}
	}
	return r
}

// load is the sample's warm or cold load.
func (smp sample) load(warm bool) pageLoad {
	if warm {
		return smp.warm
	}
	return smp.cold
}

// ratio is variant's median over other's for metric i on profile p.
func (r *report) ratio(p profile, variant, other string, i int) float64 {
	return r.dists[p.key][variant][i].median / r.dists[p.key][other][i].median
}

// loopback is the first sample's loads: bytes do not depend on the profile.
func (r *report) loopback(variant string) sample {
	return r.samples[r.profiles[0].key][variant][0]
}

func (r *report) bytes(load pageLoad) bytesTotal {
	var t bytesTotal
	for _, res := range append([]resource{load.Doc}, load.Resources...) {
		if strings.HasPrefix(res.Name, "data:") {
			continue
		}
		t.files++
		t.transfer += res.Transfer
		t.encoded += res.Encoded
		t.decoded += res.Decoded
		sz, ok := r.site.sizesOf(res.Name)
		if !ok {
			t.unknown = append(t.unknown, res.Name)
			continue
		}
		t.raw += sz.raw
		t.gzip += sz.gzip
		t.brotli += sz.brotli
		if strings.HasPrefix(res.Name, r.site.hostURL+"/fedwasm/") {
			t.runtimeRaw += sz.raw
			t.runtimeGzip += sz.gzip
			t.runtimeBrotl += sz.brotli
		}
	}
	return t
}

func kb(n float64) string { return fmt.Sprintf("%.1f KB", n/1000) }

// ratioLine is the four ratios fedwasm/webpack on profile p: nav → bootstrap
// and nav → first remote render, cold and warm (metrics' order).
func (r *report) ratioLine(p profile) string {
	return fmt.Sprintf("fedwasm/webpack, %s, medians: bootstrap cold %.2f, warm %.2f; first remote render cold %.2f, warm %.2f",
		p.label, r.ratio(p, "fedwasm", "webpack", 0), r.ratio(p, "fedwasm", "webpack", 2), r.ratio(p, "fedwasm", "webpack", 1), r.ratio(p, "fedwasm", "webpack", 3))
}

// phases are the loader's and the app's marks, in page order on the
// snapshot path (without a snapshot, bootstrap-import follows ready).
var phases = []string{"fedwasm:loader-start", "fedwasm:bootstrap-import", "fedwasm:go-started", "fedwasm:ready", "bootstrap-start", "remote-render", "remotes-rendered"}

// fedwasmVariants are the variants that run fedwasm's loader.
func fedwasmVariants() []variant {
	var out []variant
	for _, v := range variants {
		if strings.HasPrefix(v.key, "fedwasm") {
			out = append(out, v)
		}
	}
	return out
}

// phaseMedians is the median of each phase mark of variant's loads on p.
func (r *report) phaseMedians(p profile, variant string, warm bool) []string {
	var out []string
	for _, name := range phases {
		var xs []float64
		for _, smp := range r.samples[p.key][variant] {
			if t, ok := smp.load(warm).Marks[name]; ok {
				xs = append(xs, t)
			}
		}
		if len(xs) > 0 {
			out = append(out, fmt.Sprintf("%.1f", spread(xs).median))
		} else {
			out = append(out, "–")
		}
	}
	return out
}

func (r *report) terminal() string {
	var b strings.Builder
	for _, p := range r.profiles {
		fmt.Fprintf(&b, "%s: median ms (min–max) over %d runs\n%-34s", p.label, r.runs, "")
		for _, v := range variants {
			fmt.Fprintf(&b, " %24s", v.key)
		}
		b.WriteString("\n")
		for i, m := range metrics {
			fmt.Fprintf(&b, "%-34s", m.label)
			for _, v := range variants {
				fmt.Fprintf(&b, " %24s", r.dists[p.key][v.key][i])
			}
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "fedwasm phases, median ms since navigation (%s):\n", strings.Join(phases, ", "))
		for _, v := range fedwasmVariants() {
			fmt.Fprintf(&b, "  %-14s cold %s\n  %-14s warm %s\n", v.key, strings.Join(r.phaseMedians(p, v.key, false), ", "),
				v.key, strings.Join(r.phaseMedians(p, v.key, true), ", "))
		}
		b.WriteString("\n")
	}
	b.WriteString("cold load        files   on wire   raw        gzip -9    brotli 11\n")
	for _, v := range variants {
		t := r.bytes(r.loopback(v.key).cold)
		fmt.Fprintf(&b, "%-15s %6d %9s %10s %10s %10s\n", v.key, t.files, kb(t.transfer), kb(float64(t.raw)), kb(float64(t.gzip)), kb(float64(t.brotli)))
	}
	t := r.bytes(r.loopback("fedwasm").cold)
	fmt.Fprintf(&b, "fedwasm runtime payload (loader, broker, wasm_exec, runtime.wasm): raw %s, gzip %s, brotli %s\n",
		kb(float64(t.runtimeRaw)), kb(float64(t.runtimeGzip)), kb(float64(t.runtimeBrotl)))
	return b.String()
}

func (r *report) markdown() string {
	var b strings.Builder
	b.WriteString("# Startup: fedwasm against webpack Module Federation and @module-federation/runtime\n\n")
	fmt.Fprintf(&b, "Written by `go run ./bench/startup` (`./build.sh bench`) on %s. Machine: %d cores, %s; Go %s; Chromium `%s`.\n",
		r.env.date, r.env.cores, r.env.cpu, r.env.goVersion, r.env.chromium)
	fmt.Fprintf(&b, "Load average (1, 5, 15 min) before the run %s, after %s: the machine is shared, so compare variants within this run only.\n\n", r.env.loadBefore, r.env.loadAfter)
	b.WriteString("The same shop (bench/app/: host shell, cart and products remotes; React 19, react-dom, zustand 5 as\n" +
		"singletons) built three ways, served on 127.0.0.1 with brotli/gzip precompressed alike by `server.Files`,\n" +
		"remotes (webpack 5 `var` containers, the same files for all) on a second origin. The fedwasm host runs two\n" +
		"ways: **fedwasm**, its page served by `server.Site` with the share scope's snapshot (import map,\n" +
		"modulepreloads, the snapshot) written in from a registry, so the bootstrap is imported and the two remotes\n" +
		"(early in the snapshot) load before Go starts, which compiles once they have;\n" +
		"**fedwasm-nosnap**, the same page served as a file with a `federation.json` without a snapshot, so the\n" +
		"bootstrap starts once Go is ready. The variants alternate within each run. **Cold**: a fresh Chromium\n" +
		"profile per sample. **Warm**: the second reload in that browser (the first reload fills V8's code cache).\n" +
		"`bootstrap start` is the host bootstrap's first line, after its imports (the shared modules) are loaded;\n" +
		"`first remote render` is the first remote's mount having rendered.")
	if len(r.profiles) > 1 {
		b.WriteString(" Every run measures each variant on loopback and again\n" +
			"under CDP network emulation (`Network.emulateNetworkConditions`: throughput each way and a latency added to\n" +
			"every request; cached responses are not delayed).")
	}
	b.WriteString("\n\n![Startup, median with min–max](startup.svg)\n")
	for _, p := range r.profiles {
		fmt.Fprintf(&b, "\n## %s: time since navigation start, ms: median (min–max) over %d samples\n\n| | ", p.label, r.runs)
		for _, v := range variants {
			fmt.Fprintf(&b, "%s | ", v.label)
		}
		b.WriteString("fedwasm / webpack | fedwasm / MF runtime |\n|---" + strings.Repeat("|---", len(variants)+2) + "|\n")
		for i, m := range metrics {
			fmt.Fprintf(&b, "| %s | ", m.label)
			for _, v := range variants {
				fmt.Fprintf(&b, "%s | ", r.dists[p.key][v.key][i])
			}
			fmt.Fprintf(&b, "%.2f | %.2f |\n", r.ratio(p, "fedwasm", "webpack", i), r.ratio(p, "fedwasm", "mf-runtime", i))
		}
		b.WriteString("\nInterquartile ranges (p25–p75):\n\n| |")
		for _, v := range variants {
			fmt.Fprintf(&b, " %s |", v.key)
		}
		b.WriteString("\n|---" + strings.Repeat("|---", len(variants)) + "|\n")
		for i, m := range metrics {
			fmt.Fprintf(&b, "| %s | ", m.label)
			for _, v := range variants {
				d := r.dists[p.key][v.key][i]
				fmt.Fprintf(&b, "%.1f–%.1f | ", d.p25, d.p75)
			}
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "\nfedwasm's startup phases, median ms since navigation:\n\n| | %s |\n|---%s|\n", strings.Join(phases, " | "), strings.Repeat("|---", len(phases)))
		for _, v := range fedwasmVariants() {
			fmt.Fprintf(&b, "| %s, cold | %s |\n| %s, warm | %s |\n", v.key, strings.Join(r.phaseMedians(p, v.key, false), " | "),
				v.key, strings.Join(r.phaseMedians(p, v.key, true), " | "))
		}
	}
	b.WriteString("\n## What the snapshot path bought (same run): fedwasm-nosnap → fedwasm, median ms\n\n| profile | metric | fedwasm-nosnap | fedwasm | change | fedwasm-nosnap / webpack | fedwasm / webpack |\n|---|---|---|---|---|---|---|\n")
	for _, p := range r.profiles {
		for i, m := range metrics {
			before, after := r.dists[p.key]["fedwasm-nosnap"][i].median, r.dists[p.key]["fedwasm"][i].median
			fmt.Fprintf(&b, "| %s | %s | %.1f | %.1f | %+.1f (%+.0f%%) | %.2f | %.2f |\n", p.key, m.label, before, after, after-before, 100*(after-before)/before,
				r.ratio(p, "fedwasm-nosnap", "webpack", i), r.ratio(p, "fedwasm", "webpack", i))
		}
	}
	b.WriteString("\n## Bytes of a cold load\n\n" +
		"Files the page fetched (document included). *On wire*: the Resource Timing `transferSize` (headers and\n" +
		"body as sent); *body on wire*: `encodedBodySize`; raw / gzip -9 / brotli 11: the same files' sizes on disk\n" +
		"(for what `server.Site` computes, the page with the snapshot and `federation.json`, the response's body,\n" +
		"which it sends uncompressed).\n\n" +
		"| variant | files | on wire | body on wire | raw | gzip -9 | brotli 11 |\n|---|---|---|---|---|---|---|\n")
	for _, v := range variants {
		t := r.bytes(r.loopback(v.key).cold)
		fmt.Fprintf(&b, "| %s | %d | %s | %s | %s | %s | %s |\n", v.label, t.files, kb(t.transfer), kb(t.encoded),
			kb(float64(t.raw)), kb(float64(t.gzip)), kb(float64(t.brotli)))
		if len(t.unknown) > 0 {
			fmt.Fprintf(&b, "| (not served by the site: %s) | | | | | | |\n", strings.Join(t.unknown, ", "))
		}
	}
	t := r.bytes(r.loopback("fedwasm").cold)
	fmt.Fprintf(&b, "\nfedwasm's runtime payload (loader.js, broker.js, wasm_exec.js, runtime.wasm): raw %s, gzip %s, **brotli %s** (target ≤ 650 KB).\n",
		kb(float64(t.runtimeRaw)), kb(float64(t.runtimeGzip)), kb(float64(t.runtimeBrotl)))
	b.WriteString("\nA warm reload's requests (revalidations answered 304 included) and bytes on wire:\n\n| variant | requests | on wire |\n|---|---|---|\n")
	for _, v := range variants {
		w := r.bytes(r.loopback(v.key).warm)
		fmt.Fprintf(&b, "| %s | %d | %s |\n", v.label, w.files, kb(w.transfer))
	}
	b.WriteString("\n")
	for i := len(r.profiles) - 1; i >= 0; i-- {
		fmt.Fprintf(&b, "%s\n", r.ratioLine(r.profiles[i]))
	}
	return b.String()
}

// included appends other benchmarks' printed output.
func (r *report) included(files []string) string {
	var b strings.Builder
	b.WriteString("\n## Bridge and broker micro-benchmarks (same `./build.sh bench` run)\n")
	for _, f := range files {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			fmt.Fprintf(&b, "\n%s could not be read: %v\n", filepath.Base(f), err)
			continue
		}
		fmt.Fprintf(&b, "\n```\n%s\n```\n", strings.TrimSpace(string(data)))
	}
	return b.String()
}

// svg draws each metric's medians as bars, with min–max whiskers: one panel
// per profile, each with its own scale.
func (r *report) svg() string {
	const (
		panelH              = 380
		left, right         = 60, 20
		top, bottom         = 40, 70
		barW, barGap, group = 44, 6, 40
	)
	groupW := len(variants)*(barW+barGap) + group
	width := max(900, left+20+len(metrics)*groupW+right)
	height := panelH * len(r.profiles)
	colors := []string{"#2563eb", "#16a34a", "#dc2626", "#f59e0b", "#7c3aed"}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="system-ui,sans-serif" font-size="12">`+"\n", width, height, width, height)
	b.WriteString(`<rect width="100%" height="100%" fill="#fff"/>` + "\n")
	for pi, p := range r.profiles {
		off := float64(pi * panelH)
		maxV := 0.0
		for _, ds := range r.dists[p.key] {
			for _, d := range ds {
				maxV = max(maxV, d.max)
			}
		}
		maxV = niceCeil(maxV)
		plotH := float64(panelH - top - bottom)
		y := func(v float64) float64 { return off + float64(top) + plotH*(1-v/maxV) }
		fmt.Fprintf(&b, `<text x="%d" y="%.0f" font-size="14" font-weight="600">Startup, %s, ms since navigation: median, whiskers min–max (%d samples, %s)</text>`+"\n", left, off+22, p.label, r.runs, r.env.date)
		for i := 0; i <= 4; i++ {
			v := maxV * float64(i) / 4
			fmt.Fprintf(&b, `<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#e5e7eb"/><text x="%d" y="%.1f" text-anchor="end" fill="#374151">%.0f</text>`+"\n", left, width-right, y(v), y(v), left-6, y(v)+4, v)
		}
		for i, m := range metrics {
			x0 := left + 20 + i*groupW
			for j, v := range variants {
				d := r.dists[p.key][v.key][i]
				x := float64(x0 + j*(barW+barGap))
				fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%d" height="%.1f" fill="%s"><title>%s %s %s: median %.1f ms (min %.1f, max %.1f)</title></rect>`+"\n",
					x, y(d.median), barW, y(0)-y(d.median), colors[j%len(colors)], p.key, v.key, m.label, d.median, d.min, d.max)
				cx := x + barW/2
				fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#111827"/><line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#111827"/><line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#111827"/>`+"\n",
					cx, cx, y(d.min), y(d.max), cx-6, cx+6, y(d.min), y(d.min), cx-6, cx+6, y(d.max), y(d.max))
				fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle" font-size="10" fill="#111827">%.0f</text>`+"\n", cx, y(d.max)-4, d.median)
			}
			fmt.Fprintf(&b, `<text x="%.1f" y="%.0f" text-anchor="middle" fill="#111827">%s</text>`+"\n", float64(x0)+float64(len(variants)*(barW+barGap))/2, off+panelH-bottom+18, m.label)
		}
		for j, v := range variants {
			x := left + j*(width-left)/len(variants)
			fmt.Fprintf(&b, `<rect x="%d" y="%.0f" width="12" height="12" fill="%s"/><text x="%d" y="%.0f">%s</text>`+"\n", x, off+panelH-24, colors[j%len(colors)], x+18, off+panelH-14, v.key)
		}
	}
	b.WriteString("</svg>\n")
	return b.String()
}

// niceCeil rounds v up to 1, 2 or 5 times a power of ten.
func niceCeil(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := 1.0
	for p*10 <= v {
		p *= 10
	}
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}
