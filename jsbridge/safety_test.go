//go:build js && wasm

package jsbridge

import (
	"errors"
	"github.com/fedwasm/fedwasm/jsbridge/internal/jsutil"
	"strings"
	"syscall/js"
	"testing"
)

// panickers are handler bodies that fail in the ways Go code can fail.
var panickers = []struct {
	name      string
	h         jsutil.Handler
	wantPanic string // substring of details.panic
}{
	{"nil map write", func(js.Value, []js.Value) (any, error) {
		var m map[string]int
		m["x"] = 1
		return nil, nil
	}, "nil map"},
	{"nil pointer", func(js.Value, []js.Value) (any, error) {
		var p *struct{ n int }
		return p.n, nil
	}, "nil pointer"},
	{"index out of range", func(_ js.Value, args []js.Value) (any, error) {
		return args[len(args)+3], nil
	}, "index out of range"},
	{"panic(string)", func(js.Value, []js.Value) (any, error) {
		panic("boom")
	}, "boom"},
	{"panic(error)", func(js.Value, []js.Value) (any, error) {
		panic(errors.New("broken invariant"))
	}, "broken invariant"},
	{"js.ValueError", func(js.Value, []js.Value) (any, error) {
		return js.Undefined().Get("x"), nil // Get on undefined panics in Go
	}, "undefined"},
}

// install puts fn on window.fedwasm under name, so the test calls it exactly
// as page JS calls an entry point.
func (e *env) install(name string, fn js.Func) {
	e.t.Cleanup(fn.Release)
	e.api.Set(name, fn)
}

// A panic inside an async entry point rejects its Promise with INTERNAL_PANIC
// (message, details.call, details.panic, details.stack), and the runtime keeps
// serving calls.
func TestAsyncPanicRejectsAndRuntimeKeepsRunning(t *testing.T) {
	for _, tc := range panickers {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.install("boom", jsutil.AsyncFunc("boom", tc.h))
			lib := module("react")
			notThrown(t, e.call("registerShared", obj("react", obj("version", "19.1.0", "lib", lib))))

			err := rejects(t, e.call("boom", "a"), "INTERNAL_PANIC")
			if !strings.Contains(err.Get("message").String(), "boom") {
				t.Errorf("message %q does not name the call", err.Get("message").String())
			}
			details := err.Get("details")
			if got := str(details, "call"); got != "boom" {
				t.Errorf("details.call = %q, want boom", got)
			}
			if got := str(details, "panic"); !strings.Contains(got, tc.wantPanic) {
				t.Errorf("details.panic = %q, want it to contain %q", got, tc.wantPanic)
			}
			if got := str(details, "stack"); !strings.Contains(got, "goroutine") {
				t.Errorf("details.stack = %q, want a Go stack", got)
			}
			if got := str(err, "name"); got != "FedwasmError" {
				t.Errorf("name = %q, want FedwasmError", got)
			}

			// The same runtime still answers, and panics again just as cleanly.
			if got := resolves(t, e.call("loadShare", "react")); !same(got, lib) {
				t.Fatalf("loadShare after the panic returned %s, want the registered lib", describe(got))
			}
			rejects(t, e.call("boom"), "INTERNAL_PANIC")
			if got := resolves(t, e.call("loadShare", "react", obj("from", "remote"))); !same(got, lib) {
				t.Fatalf("second loadShare after the panic returned %s", describe(got))
			}
		})
	}
}

// A panic inside a sync entry point comes back as a returned Error marked
// __fedwasmThrow with INTERNAL_PANIC, and the runtime keeps serving calls.
func TestSyncPanicReturnsMarkedErrorAndRuntimeKeepsRunning(t *testing.T) {
	for _, tc := range panickers {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.install("boomSync", jsutil.SyncFunc("boomSync", tc.h))

			err := thrown(t, e.call("boomSync"), "INTERNAL_PANIC")
			if got := str(err, "details", "call"); got != "boomSync" {
				t.Errorf("details.call = %q, want boomSync", got)
			}
			if got := str(err, "details", "panic"); !strings.Contains(got, tc.wantPanic) {
				t.Errorf("details.panic = %q, want it to contain %q", got, tc.wantPanic)
			}

			notThrown(t, e.call("stores.provide", "cart", obj()))
			if got := e.inspect().Get("stores").Length(); got != 1 {
				t.Fatalf("inspect().stores has %d entries after provide, want 1", got)
			}
			thrown(t, e.call("boomSync"), "INTERNAL_PANIC")
			notThrown(t, e.call("registerShared", obj("react", obj("version", "19.1.0", "lib", module("react")))))
		})
	}
}

// A JS exception thrown by JS code a handler calls becomes JS_EXCEPTION with
// the JS message, for async and sync entry points alike.
func TestJSExceptionInsideHandler(t *testing.T) {
	fn, jsMsg := throwing()
	h := func(js.Value, []js.Value) (any, error) {
		return fn.Invoke(), nil // unguarded: the wrapper must catch it
	}
	e := newEnv(t)
	e.install("throwsAsync", jsutil.AsyncFunc("throwsAsync", h))
	e.install("throwsSync", jsutil.SyncFunc("throwsSync", h))

	err := rejects(t, e.call("throwsAsync"), "JS_EXCEPTION")
	if got := str(err, "details", "jsMessage"); got != jsMsg {
		t.Errorf("details.jsMessage = %q, want %q", got, jsMsg)
	}
	if !strings.Contains(err.Get("message").String(), jsMsg) {
		t.Errorf("message %q does not contain the JS message %q", err.Get("message").String(), jsMsg)
	}
	err = thrown(t, e.call("throwsSync"), "JS_EXCEPTION")
	if got := str(err, "details", "call"); got != "throwsSync" {
		t.Errorf("details.call = %q, want throwsSync", got)
	}
	rejects(t, e.call("loadShare", "nothing"), "SHARE_NOT_FOUND")
}

// JS that throws while a real entry point reads its arguments or calls user
// callbacks becomes a coded rejection (or a marked Error), and the next call
// works.
func TestJSExceptionFromUserValues(t *testing.T) {
	fn, jsMsg := throwing()
	// An options object whose getter throws, built with Object.defineProperty.
	throwingGetter := func(prop string) js.Value {
		o := obj()
		js.Global().Get("Object").Call("defineProperty", o, prop, obj("get", fn, "enumerable", true))
		return o
	}

	tests := []struct {
		name  string
		setup func(e *env)
		call  func(e *env) js.Value
		sync  bool
		code  string
		check func(t *testing.T, err js.Value)
	}{
		{
			name: "loadShare options getter throws",
			call: func(e *env) js.Value { return e.call("loadShare", "react", throwingGetter("scope")) },
			code: "JS_EXCEPTION",
		},
		{
			name: "stores.get options getter throws",
			call: func(e *env) js.Value { return e.call("stores.get", "cart", throwingGetter("timeoutMs")) },
			code: "JS_EXCEPTION",
		},
		{
			name: "loadShare fallback throws",
			call: func(e *env) js.Value { return e.call("loadShare", "missing", obj("fallback", fn)) },
			code: "SHARE_LOAD_FAILED",
			check: func(t *testing.T, err js.Value) {
				if got := str(err, "details", "cause"); !strings.Contains(got, jsMsg) {
					t.Errorf("details.cause = %q, want it to carry the JS message %q", got, jsMsg)
				}
			},
		},
		{
			name: "registerShared entry getter throws",
			call: func(e *env) js.Value { return e.call("registerShared", obj("react", throwingGetter("version"))) },
			sync: true,
			code: "JS_EXCEPTION",
		},
		{
			name: "stores.provide options getter throws",
			call: func(e *env) js.Value { return e.call("stores.provide", "cart", obj(), throwingGetter("owner")) },
			sync: true,
			code: "JS_EXCEPTION",
		},
		{
			name: "shared get throws",
			setup: func(e *env) {
				notThrown(e.t, e.call("registerShared", obj("react", obj("version", "19.1.0", "get", fn))))
			},
			call: func(e *env) js.Value { return e.call("loadShare", "react") },
			code: "SHARE_LOAD_FAILED",
			check: func(t *testing.T, err js.Value) {
				if got := str(err, "details", "cause"); !strings.Contains(got, jsMsg) {
					t.Errorf("details.cause = %q, want it to contain %q", got, jsMsg)
				}
				if got := str(err, "details", "package"); got != "react" {
					t.Errorf("details.package = %q, want react", got)
				}
			},
		},
		{
			name: "shared get returns a rejected Promise",
			setup: func(e *env) {
				notThrown(e.t, e.call("registerShared", obj("react", obj("version", "19.1.0", "get", rejectedWith(newError("chunk failed"))))))
			},
			call: func(e *env) js.Value { return e.call("loadShare", "react") },
			code: "SHARE_LOAD_FAILED",
			check: func(t *testing.T, err js.Value) {
				if got := str(err, "details", "cause"); !strings.Contains(got, "chunk failed") {
					t.Errorf("details.cause = %q, want it to contain the rejection message", got)
				}
			},
		},
		{
			name: "init config whose JSON conversion throws",
			call: func(e *env) js.Value {
				return e.call("init", obj("name", "shell", "toJSON", fn))
			},
			code: "CONFIG_INVALID",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			if tc.setup != nil {
				tc.setup(e)
			}
			var err js.Value
			if tc.sync {
				err = thrown(t, tc.call(e), tc.code)
			} else {
				err = rejects(t, tc.call(e), tc.code)
			}
			if tc.code == "JS_EXCEPTION" {
				if got := str(err, "details", "jsMessage"); got != jsMsg {
					t.Errorf("details.jsMessage = %q, want %q", got, jsMsg)
				}
			}
			if tc.check != nil {
				tc.check(t, err)
			}
			// The next calls work.
			lib := module("vue")
			notThrown(t, e.call("registerShared", obj("vue", obj("version", "3.5.0", "lib", lib))))
			if got := resolves(t, e.call("loadShare", "vue")); !same(got, lib) {
				t.Fatalf("loadShare after the exception returned %s", describe(got))
			}
		})
	}
}

// A failed shared load is not cached: the next loadShare calls get again and
// succeeds once get works.
func TestSharedGetFailureIsRetried(t *testing.T) {
	e := newEnv(t)
	calls := 0
	lib := module("react")
	promise := js.Global().Get("Promise")
	get := funcOf(t, func(js.Value, []js.Value) any {
		calls++
		if calls == 1 {
			return promise.Call("reject", newError("network down"))
		}
		return promise.Call("resolve", lib)
	})
	notThrown(t, e.call("registerShared", obj("react", obj("version", "19.1.0", "get", get))))
	err := rejects(t, e.call("loadShare", "react"), "SHARE_LOAD_FAILED")
	if got := str(err, "details", "cause"); !strings.Contains(got, "network down") {
		t.Errorf("details.cause = %q, want it to contain the rejection message", got)
	}
	if got := resolves(t, e.call("loadShare", "react")); !same(got, lib) {
		t.Fatalf("retry returned %s, want the module", describe(got))
	}
	if got := resolves(t, e.call("loadShare", "react", obj("from", "remote"))); !same(got, lib) {
		t.Fatalf("third call returned %s, want the module", describe(got))
	}
	if calls != 2 {
		t.Errorf("get was called %d times, want 2 (one failure, one success kept for good)", calls)
	}
}

// A shared get that throws fails that loadShare only: a newer working
// provider registered afterwards is chosen and loads.
func TestSharedGetThrowsThenWorkingProvider(t *testing.T) {
	fn, _ := throwing()
	e := newEnv(t)
	lib := module("react")
	notThrown(t, e.call("registerShared", obj("react", obj("version", "19.1.0", "get", fn))))
	rejects(t, e.call("loadShare", "react"), "SHARE_LOAD_FAILED")
	rejects(t, e.call("loadShare", "react"), "SHARE_LOAD_FAILED") // tried again, not a cached failure

	notThrown(t, e.call("registerShared", obj("react", obj("version", "19.2.0", "get", resolvedWith(lib)))))
	if got := resolves(t, e.call("loadShare", "react")); !same(got, lib) {
		t.Fatalf("loadShare = %s, want the working provider's module", describe(got))
	}
}
