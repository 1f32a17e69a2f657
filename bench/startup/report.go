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
	env     env
	runs    int
	site    *site
	samples map[string][]sample
	dists   map[string][]dist // per variant, per metric
}

func newReport(s *site, e env, runs int, samples map[string][]sample) *report {
	r := &report{env: e, runs: runs, site: s, samples: samples, dists: map[string][]dist{}}
	for _, v := range variants {
		for _, m := range metrics {
			var xs []float64
			for _, smp := range samples[v.key] {
				load := smp.cold
				if m.warm {
					load = smp.warm
				}
				xs = append(xs, m.get(load))
			}
			r.dists[v.key] = append(r.dists[v.key], spread(xs))
		}
	}
	return r
}

// ratio is fedwasm's median over other's for metric i.
func (r *report) ratio(other string, i int) float64 {
	return r.dists["fedwasm"][i].median / r.dists[other][i].median
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

func (r *report) ratioLine() string {
	return fmt.Sprintf("bootstrap ratio (median nav → bootstrap start): fedwasm/webpack cold %.2f, warm %.2f; fedwasm/MF-runtime cold %.2f, warm %.2f",
		r.ratio("webpack", 0), r.ratio("webpack", 2), r.ratio("mf-runtime", 0), r.ratio("mf-runtime", 2))
}

// phases are the loader's and the app's marks, in page order.
var phases = []string{"fedwasm:loader-start", "fedwasm:go-started", "fedwasm:ready", "fedwasm:bootstrap-import", "bootstrap-start", "remote-render", "remotes-rendered"}

func (r *report) phaseMedians(warm bool) []string {
	var out []string
	for _, name := range phases {
		var xs []float64
		for _, smp := range r.samples["fedwasm"] {
			load := smp.cold
			if warm {
				load = smp.warm
			}
			if t, ok := load.Marks[name]; ok {
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
	fmt.Fprintf(&b, "median ms (min–max) over %d runs\n%-34s", r.runs, "")
	for _, v := range variants {
		fmt.Fprintf(&b, " %24s", v.key)
	}
	b.WriteString("\n")
	for i, m := range metrics {
		fmt.Fprintf(&b, "%-34s", m.label)
		for _, v := range variants {
			fmt.Fprintf(&b, " %24s", r.dists[v.key][i])
		}
		b.WriteString("\n")
	}
	b.WriteString("\ncold load        files   on wire   raw        gzip -9    brotli 11\n")
	for _, v := range variants {
		t := r.bytes(r.samples[v.key][0].cold)
		fmt.Fprintf(&b, "%-15s %6d %9s %10s %10s %10s\n", v.key, t.files, kb(t.transfer), kb(float64(t.raw)), kb(float64(t.gzip)), kb(float64(t.brotli)))
	}
	t := r.bytes(r.samples["fedwasm"][0].cold)
	fmt.Fprintf(&b, "fedwasm runtime payload (loader, broker, wasm_exec, runtime.wasm): raw %s, gzip %s, brotli %s\n",
		kb(float64(t.runtimeRaw)), kb(float64(t.runtimeGzip)), kb(float64(t.runtimeBrotl)))
	fmt.Fprintf(&b, "fedwasm phases, median ms since navigation (%s):\n  cold %s\n  warm %s\n",
		strings.Join(phases, ", "), strings.Join(r.phaseMedians(false), ", "), strings.Join(r.phaseMedians(true), ", "))
	return b.String()
}

func (r *report) markdown() string {
	var b strings.Builder
	b.WriteString("# Startup: fedwasm against webpack Module Federation and @module-federation/runtime\n\n")
	fmt.Fprintf(&b, "Written by `go run ./bench/startup` (`./build.sh bench`) on %s. Machine: %d cores, %s; Go %s; Chromium `%s`.\n",
		r.env.date, r.env.cores, r.env.cpu, r.env.goVersion, r.env.chromium)
	fmt.Fprintf(&b, "Load average (1, 5, 15 min) before the run %s, after %s: the machine is shared, so compare variants within this run only.\n\n", r.env.loadBefore, r.env.loadAfter)
	b.WriteString("The same shop (bench/app/: host shell, cart and products remotes; React 19, react-dom, zustand 5 as\n" +
		"singletons) built three ways, served by `server.Files` on 127.0.0.1 with brotli/gzip precompressed alike,\n" +
		"remotes (webpack 5 `var` containers, the same files for all three) on a second origin. The variants alternate\n" +
		"within each run. **Cold**: a fresh Chromium profile per sample. **Warm**: the second reload in that browser\n" +
		"(the first reload fills V8's code cache). `bootstrap start` is the host bootstrap's first line, after its\n" +
		"imports (the shared modules) are loaded; `first remote render` is the first remote's mount having rendered.\n\n")
	b.WriteString("![Startup, median with min–max](startup.svg)\n\n")
	fmt.Fprintf(&b, "## Time since navigation start, ms: median (min–max) over %d samples\n\n| | ", r.runs)
	for _, v := range variants {
		fmt.Fprintf(&b, "%s | ", v.label)
	}
	b.WriteString("fedwasm / webpack | fedwasm / MF runtime |\n|---" + strings.Repeat("|---", len(variants)+2) + "|\n")
	for i, m := range metrics {
		fmt.Fprintf(&b, "| %s | ", m.label)
		for _, v := range variants {
			fmt.Fprintf(&b, "%s | ", r.dists[v.key][i])
		}
		fmt.Fprintf(&b, "%.2f | %.2f |\n", r.ratio("webpack", i), r.ratio("mf-runtime", i))
	}
	b.WriteString("\nInterquartile ranges (p25–p75):\n\n| |")
	for _, v := range variants {
		fmt.Fprintf(&b, " %s |", v.key)
	}
	b.WriteString("\n|---" + strings.Repeat("|---", len(variants)) + "|\n")
	for i, m := range metrics {
		fmt.Fprintf(&b, "| %s | ", m.label)
		for _, v := range variants {
			d := r.dists[v.key][i]
			fmt.Fprintf(&b, "%.1f–%.1f | ", d.p25, d.p75)
		}
		b.WriteString("\n")
	}
	b.WriteString("\n## Bytes of a cold load\n\n" +
		"Files the page fetched (document included). *On wire*: the Resource Timing `transferSize` (headers and\n" +
		"body as sent); *body on wire*: `encodedBodySize`; raw / gzip -9 / brotli 11: the same files' sizes on disk.\n\n" +
		"| variant | files | on wire | body on wire | raw | gzip -9 | brotli 11 |\n|---|---|---|---|---|---|---|\n")
	for _, v := range variants {
		t := r.bytes(r.samples[v.key][0].cold)
		fmt.Fprintf(&b, "| %s | %d | %s | %s | %s | %s | %s |\n", v.label, t.files, kb(t.transfer), kb(t.encoded),
			kb(float64(t.raw)), kb(float64(t.gzip)), kb(float64(t.brotli)))
		if len(t.unknown) > 0 {
			fmt.Fprintf(&b, "| (not served by the site: %s) | | | | | | |\n", strings.Join(t.unknown, ", "))
		}
	}
	t := r.bytes(r.samples["fedwasm"][0].cold)
	fmt.Fprintf(&b, "\nfedwasm's runtime payload (loader.js, broker.js, wasm_exec.js, runtime.wasm): raw %s, gzip %s, **brotli %s** (target ≤ 600 KB).\n",
		kb(float64(t.runtimeRaw)), kb(float64(t.runtimeGzip)), kb(float64(t.runtimeBrotl)))
	b.WriteString("\nA warm reload's requests (revalidations answered 304 included) and bytes on wire:\n\n| variant | requests | on wire |\n|---|---|---|\n")
	for _, v := range variants {
		w := r.bytes(r.samples[v.key][0].warm)
		fmt.Fprintf(&b, "| %s | %d | %s |\n", v.label, w.files, kb(w.transfer))
	}
	b.WriteString("\n## fedwasm's startup phases, median ms since navigation\n\n| | ")
	b.WriteString(strings.Join(phases, " | "))
	b.WriteString(" |\n|---" + strings.Repeat("|---", len(phases)) + "|\n")
	fmt.Fprintf(&b, "| cold | %s |\n| warm | %s |\n", strings.Join(r.phaseMedians(false), " | "), strings.Join(r.phaseMedians(true), " | "))
	fmt.Fprintf(&b, "\n%s\n", r.ratioLine())
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

// svg draws each metric's medians as bars, with min–max whiskers.
func (r *report) svg() string {
	const (
		height              = 380
		left, right         = 60, 20
		top, bottom         = 40, 70
		barW, barGap, group = 44, 6, 40
	)
	groupW := len(variants)*(barW+barGap) + group
	width := max(900, left+20+len(metrics)*groupW+right)
	colors := []string{"#2563eb", "#16a34a", "#dc2626", "#f59e0b"}
	maxV := 0.0
	for _, ds := range r.dists {
		for _, d := range ds {
			maxV = max(maxV, d.max)
		}
	}
	maxV = niceCeil(maxV)
	plotH := float64(height - top - bottom)
	y := func(v float64) float64 { return float64(top) + plotH*(1-v/maxV) }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="system-ui,sans-serif" font-size="12">`+"\n", width, height, width, height)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="#fff"/><text x="%d" y="22" font-size="14" font-weight="600">Startup, ms since navigation: median, whiskers min–max (%d samples, %s)</text>`+"\n", left, r.runs, r.env.date)
	for i := 0; i <= 4; i++ {
		v := maxV * float64(i) / 4
		fmt.Fprintf(&b, `<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#e5e7eb"/><text x="%d" y="%.1f" text-anchor="end" fill="#374151">%.0f</text>`+"\n", left, width-right, y(v), y(v), left-6, y(v)+4, v)
	}
	for i, m := range metrics {
		x0 := left + 20 + i*groupW
		for j, v := range variants {
			d := r.dists[v.key][i]
			x := float64(x0 + j*(barW+barGap))
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%d" height="%.1f" fill="%s"><title>%s %s: median %.1f ms (min %.1f, max %.1f)</title></rect>`+"\n",
				x, y(d.median), barW, y(0)-y(d.median), colors[j], v.key, m.label, d.median, d.min, d.max)
			cx := x + barW/2
			fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#111827"/><line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#111827"/><line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#111827"/>`+"\n",
				cx, cx, y(d.min), y(d.max), cx-6, cx+6, y(d.min), y(d.min), cx-6, cx+6, y(d.max), y(d.max))
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle" font-size="10" fill="#111827">%.0f</text>`+"\n", cx, y(d.max)-4, d.median)
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle" fill="#111827">%s</text>`+"\n", float64(x0)+float64(len(variants)*(barW+barGap))/2, height-bottom+18, m.label)
	}
	for j, v := range variants {
		x := left + j*(width-left)/len(variants)
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="12" height="12" fill="%s"/><text x="%d" y="%d">%s</text>`+"\n", x, height-24, colors[j], x+18, height-14, v.label)
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
