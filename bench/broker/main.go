// Command broker measures fedwasm's state and messaging broker in the demo
// page, in headless Chromium:
//
//   - store fan-out: setState on the shared zustand cart store reaching three
//     subscribers (host and two remotes) registered through fedwasm scopes
//     (scope.stores.subscribe), against the same three subscribers added
//     with store.subscribe directly. Go is not on this path; the ratio shows it.
//   - events in the page: fedwasm.events.emit(type, detail) until its
//     fedwasm.events.on listener ran, against window.dispatchEvent of a
//     CustomEvent to a window listener (the JS baseline), alternated.
//   - cross-tab delivery: fedwasm.events.emit(type, detail, {crossTab: true})
//     in one tab until the listener runs in another tab of the same browser,
//     timed with performance.timeOrigin + performance.now() on both sides.
//
// It builds nothing: run ./build.sh build first, then from the repository root
//
//	go run ./bench/broker [-updates 20000] [-runs 7] [-emits 2000] [-messages 200]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"sort"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/fedwasm/fedwasm/bench/internal/benchdemo"
	"github.com/fedwasm/fedwasm/federation/broker"
	"github.com/fedwasm/fedwasm/internal/browser"
)

func main() {
	root := flag.String("root", ".", "repository root (after ./build.sh build)")
	updates := flag.Int("updates", 20000, "setState calls per timed fan-out run")
	runs := flag.Int("runs", 7, "timed runs per fan-out variant (alternated, after one warm-up each)")
	emits := flag.Int("emits", 2000, "in-page events emitted per timed run")
	messages := flag.Int("messages", 200, "cross-tab messages timed")
	flag.Parse()
	if err := run(*root, *updates, *runs, *emits, *messages); err != nil {
		fmt.Fprintln(os.Stderr, "bench/broker:", err)
		os.Exit(1)
	}
}

// fanOutJS returns an expression that subscribes three listeners (through
// scopes when brokered, directly otherwise), runs n setState calls and
// evaluates to the elapsed ms; it unsubscribes afterwards.
func fanOutJS(brokered bool, n int) string {
	return fmt.Sprintf(`(async () => {
		const cart = await fedwasm.stores.get('cart');
		let seen = 0;
		const scopes = [], unsubs = [];
		for (const owner of ['host-bench', 'remote-a', 'remote-b']) {
			const listener = (s) => { seen += s.lines.length >= 0 ? 1 : 0; }; // one each: stores keep a Set
			if (%t) { const s = fedwasm.scope(owner); s.stores.subscribe(cart, listener); scopes.push(s); }
			else unsubs.push(cart.subscribe(listener));
		}
		const n = %d, t0 = performance.now();
		for (let i = 0; i < n; i++) cart.setState({ tick: i });
		const ms = performance.now() - t0;
		scopes.forEach((s) => s.dispose()); unsubs.forEach((u) => u());
		if (seen !== 3 * n) throw new Error('fan-out delivered ' + seen + ' of ' + 3 * n);
		return ms; })()`, brokered, n)
}

// emitJS returns an expression that emits n events in the page (through
// fedwasm, or with window.dispatchEvent as the baseline) and evaluates to the
// ms until the listener has run n times.
func emitJS(viaFedwasm bool, n int) string {
	return fmt.Sprintf(`(async () => {
		const n = %d, viaFedwasm = %t;
		let got = 0;
		const listener = () => { got++; };
		const off = viaFedwasm ? fedwasm.events.on('bench:local', listener)
			: (window.addEventListener('bench:baseline', listener), () => window.removeEventListener('bench:baseline', listener));
		const t0 = performance.now();
		for (let i = 0; i < n; i++) {
			if (viaFedwasm) fedwasm.events.emit('bench:local', { i });
			else window.dispatchEvent(new CustomEvent('bench:baseline', { detail: { i } }));
		}
		for (let waited = 0; got < n && waited < 5000; waited++) await new Promise((r) => setTimeout(r, 1));
		const ms = performance.now() - t0;
		off();
		if (got !== n) throw new Error('delivered ' + got + ' of ' + n);
		return ms; })()`, n, viaFedwasm)
}

func run(root string, updates, runs, emits, messages int) error {
	d, b, closeAll, err := benchdemo.Start(root)
	if err != nil {
		return err
	}
	defer closeAll()
	tabA, cancel := context.WithTimeout(b.Context(), 5*time.Minute)
	defer cancel()
	if err := benchdemo.Open(tabA, b, d.HostURL); err != nil {
		return err
	}

	fmt.Printf("fedwasm broker benchmarks, demo page in headless Chromium; %s UTC\n\n", time.Now().UTC().Format("2006-01-02 15:04"))
	variants := []struct {
		label    string
		brokered bool
	}{{"3 subscribers via scope.stores.subscribe (brokered)", true}, {"3 subscribers via store.subscribe (direct)", false}}
	times := make([][]float64, len(variants))
	for i, v := range variants { // warm-up
		var ms float64
		if err := browser.Eval(tabA, fanOutJS(v.brokered, updates), &ms); err != nil {
			return fmt.Errorf("fan-out warm-up %d: %w", i, err)
		}
	}
	for r := 0; r < runs; r++ { // alternate the variants run by run
		for i, v := range variants {
			var ms float64
			if err := browser.Eval(tabA, fanOutJS(v.brokered, updates), &ms); err != nil {
				return fmt.Errorf("fan-out: %w", err)
			}
			times[i] = append(times[i], ms*1000/float64(updates))
		}
	}
	fmt.Printf("store fan-out: %d setState calls per run, %d runs, µs per setState (3 listeners)\n", updates, runs)
	for i, v := range variants {
		med, lo, hi := stats(times[i])
		fmt.Printf("  %-55s median %.3f  (min %.3f, max %.3f)\n", v.label, med, lo, hi)
	}
	medB, _, _ := stats(times[0])
	medD, _, _ := stats(times[1])
	fmt.Printf("  brokered / direct = %.2f\n\n", medB/medD)

	emitVariants := []struct {
		label      string
		viaFedwasm bool
	}{{"fedwasm.events.emit → fedwasm.events.on listener", true}, {"window.dispatchEvent(CustomEvent) → listener [JS baseline]", false}}
	emitTimes := make([][]float64, len(emitVariants))
	for r := -1; r < runs; r++ { // run -1 is the warm-up
		for i, v := range emitVariants {
			var ms float64
			if err := browser.Eval(tabA, emitJS(v.viaFedwasm, emits), &ms); err != nil {
				return fmt.Errorf("events in the page: %w", err)
			}
			if r >= 0 {
				emitTimes[i] = append(emitTimes[i], ms*1000/float64(emits))
			}
		}
	}
	fmt.Printf("events in the page: %d emits per run, %d runs, µs from emit to the listener having run\n", emits, runs)
	for i, v := range emitVariants {
		med, lo, hi := stats(emitTimes[i])
		fmt.Printf("  %-60s median %.3f  (min %.3f, max %.3f)\n", v.label, med, lo, hi)
	}
	medF, _, _ := stats(emitTimes[0])
	medJ, _, _ := stats(emitTimes[1])
	fmt.Printf("  fedwasm / baseline = %.1f\n\n", medF/medJ)

	tabB, closeB, err := b.NewTab()
	if err != nil {
		return err
	}
	defer closeB()
	tabB, cancelB := context.WithTimeout(tabB, 5*time.Minute)
	defer cancelB()
	if err := benchdemo.Open(tabB, b, d.HostURL); err != nil {
		return err
	}
	if err := browser.Eval(tabB, `(() => { window.latencies = [];
		fedwasm.events.on('bench:ping', (d) => latencies.push(performance.timeOrigin + performance.now() - d.sent)); return true })()`, nil); err != nil {
		return err
	}
	// One message in flight at a time, at 80% of the rate a tab may post
	// cross-tab (broker.SendBudget: a sender over it is refused with
	// CROSS_TAB_RATE_LIMITED), so the figure is delivery, not the limit.
	interval := time.Duration(float64(time.Second) / (0.8 * broker.SendBudget.Messages.PerSecond))
	for i := 0; i < messages; i++ {
		sent := time.Now()
		if err := browser.Eval(tabA, `(fedwasm.events.emit('bench:ping', { sent: performance.timeOrigin + performance.now() }, { crossTab: true }), true)`, nil); err != nil {
			return err
		}
		time.Sleep(interval - time.Since(sent))
	}
	var lat []float64
	if err := chromedp.Run(tabB, chromedp.Poll(fmt.Sprintf(`latencies.length >= %d && latencies`, messages), &lat, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		return fmt.Errorf("cross-tab: %w", err)
	}
	med, lo, hi := stats(lat)
	p95 := percentile(lat, 0.95)
	fmt.Printf("cross-tab delivery (events.emit crossTab → listener in another tab), %d messages, ms:\n", len(lat))
	fmt.Printf("  median %.2f  p95 %.2f  (min %.2f, max %.2f)\n", med, p95, lo, hi)
	return nil
}

func stats(xs []float64) (median, lo, hi float64) {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return s[len(s)/2], s[0], s[len(s)-1]
}

func percentile(xs []float64, p float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return s[int(p*float64(len(s)-1))]
}
