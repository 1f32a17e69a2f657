//go:build js && wasm

package jsbridge

import (
	"runtime"
	"syscall/js"
	"testing"
	"time"
)

// Many awaited calls keep working and leave no goroutines behind (each async
// call runs on a goroutine that must end once its Promise settles).
func TestManyCallsKeepWorking(t *testing.T) {
	e := newEnv(t)
	lib := module("react")
	notThrown(t, e.call("registerShared", obj("react", obj("version", "19.1.0", "get", resolvedWith(lib)))))
	s := obj()
	notThrown(t, e.call("stores.provide", "cart", s))
	// Warm up, then take the baseline.
	resolves(t, e.call("loadShare", "react"))
	base := runtime.NumGoroutine()

	for i := 0; i < 200; i++ {
		if got := resolves(t, e.call("loadShare", "react", obj("from", "remote"))); !same(got, lib) {
			t.Fatalf("call %d returned %s", i, describe(got))
		}
	}
	for i := 0; i < 100; i++ {
		rejects(t, e.call("loadShare", "missing"), "SHARE_NOT_FOUND")
		if got := resolves(t, e.call("stores.get", "cart")); !same(got, s) {
			t.Fatalf("stores.get %d returned %s", i, describe(got))
		}
	}
	// 200 calls in flight at once.
	promises := make([]js.Value, 200)
	for i := range promises {
		promises[i] = e.call("loadShare", "react")
	}
	for i, p := range promises {
		if got := resolves(t, p); !same(got, lib) {
			t.Fatalf("concurrent call %d returned %s", i, describe(got))
		}
	}
	for i := 0; i < 200; i++ {
		notThrown(t, e.call("inspect"))
	}

	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > base+2 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > base+2 {
		t.Errorf("%d goroutines after the calls settled, %d before: async calls leave goroutines behind", n, base)
	}
	if got := resolves(t, e.call("loadShare", "react")); !same(got, lib) {
		t.Fatalf("final call returned %s", describe(got))
	}
}
