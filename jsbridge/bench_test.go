//go:build js && wasm

package jsbridge

import (
	"fmt"
	"github.com/fedwasm/fedwasm/jsbridge/internal/jsutil"
	"strings"
	"syscall/js"
	"testing"

	"github.com/fedwasm/fedwasm/federation"
)

// Bridge benchmarks: window.fedwasm called from Go, in Chromium. Run with
//
//	GOOS=js GOARCH=wasm go test -run '^$' -bench . -exec=.cache/bin/wasmbrowsertest ./jsbridge/
//
// Every figure includes what awaiting a Promise from Go costs (the goroutine
// parks, Go returns to the event loop, the then-callback re-enters Go);
// BenchmarkGoAwaitResolvedPromise measures that cost alone. bench/bridge
// measures the same calls from page JavaScript.

// benchBridge is the bridge benchEnv published last.
var benchBridge *Bridge

// benchEnv publishes a fresh runtime as window.fedwasm, without host hooks
// (newEnv's *testing.B counterpart).
func benchEnv(b *testing.B) js.Value {
	b.Helper()
	g := js.Global()
	g.Delete("fedwasm")
	g.Delete(HostHooksGlobal)
	bridge := Publish(federation.New("bench"))
	benchBridge = bridge
	b.Cleanup(bridge.Retire)
	api := g.Get("fedwasm")
	if api.Type() != js.TypeObject {
		b.Fatalf("Publish did not set window.fedwasm (got %s)", api.Type())
	}
	b.Cleanup(func() { g.Delete("fedwasm") })
	return api
}

// benchSync fails b if v is an Error a sync entry point returned to be thrown.
func benchSync(tb testing.TB, what string, v js.Value) js.Value {
	tb.Helper()
	if isError(v) {
		tb.Fatalf("%s failed: %s", what, describe(v))
	}
	return v
}

// benchSettle awaits p (with settle's time limit), for checks outside the timed loops.
func benchSettle(tb testing.TB, what string, p js.Value) js.Value {
	tb.Helper()
	s := settle(tb, p)
	if !s.ok {
		tb.Fatalf("%s rejected: %s", what, describe(s.reason))
	}
	return s.value
}

// benchAwaiter awaits Promises inside timed loops with as little overhead
// as Go allows: one pair of then-callbacks made once, and no timeout (on wasm
// a Go timer is a JS setTimeout, scheduled again as its deadline moves). Every
// benchmark first checks its calls with benchSettle, which has a timeout.
type benchAwaiter struct {
	done                    chan bool
	reason                  js.Value
	onFulfilled, onRejected js.Func
}

func newBenchAwaiter(tb testing.TB) *benchAwaiter {
	a := &benchAwaiter{done: make(chan bool, 1)}
	a.onFulfilled = js.FuncOf(func(js.Value, []js.Value) any { a.done <- true; return nil })
	a.onRejected = js.FuncOf(func(_ js.Value, args []js.Value) any { a.reason = jsutil.Arg(args, 0); a.done <- false; return nil })
	tb.Cleanup(func() { a.onFulfilled.Release(); a.onRejected.Release() })
	return a
}

// await waits for p to settle, failing tb if it rejects.
func (a *benchAwaiter) await(tb testing.TB, p js.Value) {
	p.Call("then", a.onFulfilled, a.onRejected)
	if !<-a.done {
		tb.Fatalf("Promise rejected: %s", describe(a.reason))
	}
}

// perOp reports the time per call when every b.Loop iteration made calls calls.
func perOp(b *testing.B, calls int, unit string) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*calls), unit)
}

const (
	benchPackages  = 200
	benchProviders = 5
)

// registerBench200x5 registers pkg-000 … pkg-199 in versions 1.0.0 … 5.0.0
// (from mfe-1 … mfe-5), each with a lib module named "<pkg>@<version>".
func registerBench200x5(b *testing.B, api js.Value) []string {
	b.Helper()
	shared := obj()
	names := make([]string, benchPackages)
	for i := range names {
		names[i] = fmt.Sprintf("pkg-%03d", i)
		entries := arr()
		for v := 1; v <= benchProviders; v++ {
			version := fmt.Sprintf("%d.0.0", v)
			entries.Call("push", obj("version", version, "from", fmt.Sprintf("mfe-%d", v), "lib", module(names[i]+"@"+version)))
		}
		shared.Set(names[i], entries)
	}
	benchSync(b, "registerShared", api.Call("registerShared", shared))
	return names
}

// BenchmarkBridgeResolve200x5 loads 200 already-loaded shares per iteration,
// each asking for ^3.0.0 of a package provided in 5 versions: resolution plus
// the bridge round trip. "all" awaits Promise.all of the 200 calls; "sequential"
// awaits each call before making the next.
func BenchmarkBridgeResolve200x5(b *testing.B) {
	api := benchEnv(b)
	names := registerBench200x5(b, api)
	opts := obj("requiredVersion", "^3.0.0")
	for _, name := range names { // check the choice once, and load every module
		got := benchSettle(b, "loadShare("+name+")", api.Call("loadShare", name, opts))
		if want := name + "@3.0.0"; str(got, "name") != want {
			b.Fatalf("loadShare(%q, ^3.0.0) = %s, want the module %s", name, describe(got), want)
		}
	}
	promiseAll := js.Global().Get("Promise").Get("all").Call("bind", js.Global().Get("Promise"))
	b.Run("all", func(b *testing.B) {
		a := newBenchAwaiter(b)
		promises := js.Global().Get("Array").New(len(names))
		for b.Loop() {
			for i, name := range names {
				promises.SetIndex(i, api.Call("loadShare", name, opts))
			}
			a.await(b, promiseAll.Invoke(promises))
		}
		perOp(b, len(names), "ns/loadShare")
	})
	b.Run("sequential", func(b *testing.B) {
		a := newBenchAwaiter(b)
		for b.Loop() {
			for _, name := range names {
				a.await(b, api.Call("loadShare", name, opts))
			}
		}
		perOp(b, len(names), "ns/loadShare")
	})
}

// registerBenchLib registers one package with a lib module and returns it.
// Its rules are those the demo's host declares for zustand: a strict
// singleton with a requiredVersion, so every call resolves a range.
func registerBenchLib(b *testing.B, api js.Value) js.Value {
	b.Helper()
	lib := module("bench-lib")
	rules := obj("singleton", true, "strictVersion", true, "requiredVersion", "^5.0.0")
	benchSync(b, "registerShared", api.Call("registerShared", obj("bench-lib", obj("version", "5.0.2", "lib", lib, "shareConfig", rules))))
	return lib
}

// BenchmarkLoadShareLoaded is one awaited fedwasm.loadShare of a share whose
// module is already loaded (as the demo's loadShare('zustand')).
func BenchmarkLoadShareLoaded(b *testing.B) {
	api := benchEnv(b)
	lib := registerBenchLib(b, api)
	if got := benchSettle(b, "loadShare", api.Call("loadShare", "bench-lib")); !same(got, lib) {
		b.Fatalf("loadShare(bench-lib) = %s, want the registered lib", describe(got))
	}
	a := newBenchAwaiter(b)
	for b.Loop() {
		a.await(b, api.Call("loadShare", "bench-lib"))
	}
}

// BenchmarkLoadShareSyncLoaded is one fedwasm.loadShareSync of the same share.
func BenchmarkLoadShareSyncLoaded(b *testing.B) {
	api := benchEnv(b)
	lib := registerBenchLib(b, api)
	if got := benchSync(b, "loadShareSync", api.Call("loadShareSync", "bench-lib")); !same(got, lib) {
		b.Fatalf("loadShareSync(bench-lib) = %s, want the registered lib", describe(got))
	}
	var last js.Value
	for b.Loop() {
		last = api.Call("loadShareSync", "bench-lib")
	}
	benchSync(b, "loadShareSync", last)
}

// BenchmarkStoresGetProvided is one awaited fedwasm.stores.get of a store
// that is already provided.
func BenchmarkStoresGetProvided(b *testing.B) {
	api := benchEnv(b)
	stores := api.Get("stores")
	cart := obj("name", "cart")
	benchSync(b, "stores.provide", stores.Call("provide", "cart", cart, obj("version", "1.0.0")))
	if got := benchSettle(b, "stores.get", stores.Call("get", "cart")); !same(got, cart) {
		b.Fatalf("stores.get(cart) = %s, want the provided store", describe(got))
	}
	a := newBenchAwaiter(b)
	for b.Loop() {
		a.await(b, stores.Call("get", "cart"))
	}
}

// BenchmarkGoAwaitResolvedPromise is the baseline of the awaited benchmarks:
// awaiting, from Go, a Promise that is already fulfilled (no fedwasm call).
func BenchmarkGoAwaitResolvedPromise(b *testing.B) {
	promise := js.Global().Get("Promise")
	value := obj("name", "x")
	a := newBenchAwaiter(b)
	for b.Loop() {
		a.await(b, promise.Call("resolve", value))
	}
}

// BenchmarkReceiveCrossTab60KB is one cross-tab message of 60,000
// characters another tab posted, checked and dispatched in this page: the
// work each message a flood gets admitted costs the receiving tab.
func BenchmarkReceiveCrossTab60KB(b *testing.B) {
	api := benchEnv(b)
	bridge := benchBridge
	text := js.ValueOf(`{"v":2,"type":"news","tab":"other","detail":"` + strings.Repeat("x", 60000) + `"}`)
	from := js.ValueOf("other")
	before := api.Call("inspect").Get("broker").Get("receivedCrossTab").Int()
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		bridge.receiveCrossTab(text, from)
		n++
	}
	if got := api.Call("inspect").Get("broker").Get("receivedCrossTab").Int() - before; got != n {
		b.Fatalf("%d of %d messages were received, the rest dropped", got, n)
	}
}
