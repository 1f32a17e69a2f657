//go:build js && wasm

package jsbridge

import (
	"runtime"
	"strings"
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

// A Promise page code never settles (a container's get, a plugin's hook)
// is given up after retry.timeoutMs and leaves no goroutine waiting on it:
// the wait is raced against a timer in JS (jsutil.AwaitWithin).
func TestNeverSettlingPromisesLeaveNothingBehind(t *testing.T) {
	e := newEnv(t)
	js.Global().Set("neverGets", jsValue(`{ init() {}, get: () => new Promise(() => {}) }`))
	t.Cleanup(func() { js.Global().Delete("neverGets") })
	resolves(t, e.call("init", obj("name", "shell", "security", obj("plugins", arr("*")), "retry", obj("times", 0, "timeoutMs", 30))))
	notThrown(t, e.call("registerRemotes", arr(obj("name", "never", "entry", "http://127.0.0.1:8082/never.js", "type", "var", "entryGlobalName", "neverGets"))))
	notThrown(t, e.call("use", jsValue(`{ name: 'silent', onLoad: () => new Promise(() => {}) }`)))
	rejects(t, e.call("loadRemote", "never/Button"), "REMOTE_LOAD_FAILED")
	base := runtime.NumGoroutine()
	for i := 0; i < 20; i++ {
		err := rejects(t, e.call("loadRemote", "never/Button"), "REMOTE_LOAD_FAILED")
		if m := str(err, "message"); !strings.Contains(m, "did not settle") {
			t.Fatalf("loadRemote %d: %s, want container.get's wait given up", i, m)
		}
	}
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > base+2 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > base+2 {
		t.Errorf("%d goroutines after 20 loads that gave up on a Promise, %d before: each left one waiting on it", n, base)
	}
}
