//go:build js && wasm

package jsbridge

import (
	"strconv"
	"strings"
	"syscall/js"
	"testing"
)

// notLoaded fails the test unless v is the marked SHARE_NOT_LOADED Error whose
// message points to loadShare.
func notLoaded(t *testing.T, v js.Value, pkg string) {
	t.Helper()
	err := thrown(t, v, "SHARE_NOT_LOADED")
	msg := str(err, "message")
	if !strings.Contains(msg, "loadShare(") || !strings.Contains(msg, pkg) {
		t.Errorf("SHARE_NOT_LOADED message %q should name %s and tell to use loadShare", msg, pkg)
	}
	if got := str(err, "details", "package"); got != pkg {
		t.Errorf("details.package = %q, want %q", got, pkg)
	}
}

// stillWorks fails the test unless the sync API works after a failure: it
// registers a new highest version of "after-failure" and loadShareSync must
// return that very lib.
func (e *env) stillWorks() {
	e.t.Helper()
	n := 0
	if versions := e.scope().Get("after-failure"); versions.Type() == js.TypeObject {
		n = js.Global().Get("Object").Call("keys", versions).Length()
	}
	lib := module("after")
	version := "1.0." + strconv.Itoa(n)
	notThrown(e.t, e.call("registerShared", obj("after-failure", obj("version", version, "lib", lib))))
	if got := notThrown(e.t, e.call("loadShareSync", "after-failure")); !same(got, lib) {
		e.t.Fatalf("loadShareSync after a failure = %s, want the lib of %s", describe(got), version)
	}
}

// After loadShare loaded it, loadShareSync returns the very module at once.
func TestLoadShareSyncAfterLoadShare(t *testing.T) {
	e := newEnv(t)
	react := module("react")
	calls := 0
	get := funcOf(t, func(js.Value, []js.Value) any {
		calls++
		return js.Global().Get("Promise").Call("resolve", react)
	})
	notThrown(t, e.call("registerShared", obj("react", obj("version", "19.1.0", "get", get))))
	if got := resolves(t, e.call("loadShare", "react")); !same(got, react) {
		t.Fatalf("loadShare(react) = %s", describe(got))
	}
	for _, from := range []string{"host", "cart"} {
		if got := notThrown(t, e.call("loadShareSync", "react", obj("from", from))); !same(got, react) {
			t.Fatalf("loadShareSync(react) from %s = %s, want the module loadShare returned", from, describe(got))
		}
	}
	if calls != 1 {
		t.Errorf("get called %d times, want 1", calls)
	}
}

// A lib provider is returned at once, the same object every time.
func TestLoadShareSyncLib(t *testing.T) {
	e := newEnv(t)
	lib := module("react")
	notThrown(t, e.call("registerShared", obj("react", obj("version", "19.1.0", "lib", lib))))
	for i := 0; i < 3; i++ {
		if got := notThrown(t, e.call("loadShareSync", "react")); !same(got, lib) {
			t.Fatalf("loadShareSync(react) #%d = %s, want the lib", i, describe(got))
		}
	}
	if got := resolves(t, e.call("loadShare", "react")); !same(got, lib) {
		t.Fatalf("loadShare(react) after loadShareSync = %s", describe(got))
	}
}

// A get returning the module itself (not a Promise) serves loadShareSync, and
// later loadShare calls get that same module.
func TestLoadShareSyncSyncGet(t *testing.T) {
	e := newEnv(t)
	m := module("react")
	calls := 0
	get := funcOf(t, func(js.Value, []js.Value) any {
		calls++
		return m
	})
	notThrown(t, e.call("registerShared", obj("react", obj("version", "19.1.0", "get", get))))
	if got := notThrown(t, e.call("loadShareSync", "react")); !same(got, m) {
		t.Fatalf("loadShareSync(react) = %s, want the module get returned", describe(got))
	}
	if !isLoadedMark(e.entryOf("default", "react", "19.1.0").Get("loaded")) {
		t.Errorf("the entry is not marked loaded after loadShareSync loaded it")
	}
	if got := resolves(t, e.call("loadShare", "react")); !same(got, m) {
		t.Fatalf("loadShare(react) = %s", describe(got))
	}
	if got := notThrown(t, e.call("loadShareSync", "react", obj("from", "cart"))); !same(got, m) {
		t.Fatalf("second loadShareSync(react) = %s", describe(got))
	}
	if calls != 1 {
		t.Errorf("get called %d times, want 1 (the first load is kept)", calls)
	}
}

// A provider that can only be loaded asynchronously and was never loaded:
// SHARE_NOT_LOADED, thrown (marked), and loadShare still works afterwards.
func TestLoadShareSyncNotLoaded(t *testing.T) {
	t.Run("get returns a Promise", func(t *testing.T) {
		e := newEnv(t)
		react := module("react")
		notThrown(t, e.call("registerShared", obj("react", obj("version", "19.1.0", "get", resolvedWith(react)))))
		notLoaded(t, e.call("loadShareSync", "react"), "react")
		e.stillWorks()
		notLoaded(t, e.call("loadShareSync", "react"), "react")
		if got := resolves(t, e.call("loadShare", "react")); !same(got, react) {
			t.Fatalf("loadShare(react) after SHARE_NOT_LOADED = %s", describe(got))
		}
		if got := notThrown(t, e.call("loadShareSync", "react")); !same(got, react) {
			t.Fatalf("loadShareSync(react) once loaded = %s", describe(got))
		}
	})
	t.Run("import URL only", func(t *testing.T) {
		e := newEnv(t)
		notThrown(t, e.call("registerShared", obj("react", obj("version", "19.1.0", "import", "/vendor/react.js"))))
		notLoaded(t, e.call("loadShareSync", "react"), "react")
		e.stillWorks()
	})
	t.Run("JS entry whose get returns a Promise", func(t *testing.T) {
		forEachShape(t, func(t *testing.T, mk entryMaker) {
			e := newEnv(t)
			react := module("react")
			entry := mk(t, asyncGetFor(react), "legacy", false)
			putEntry(e.scope(), "react", "18.3.1", entry)
			notLoaded(t, e.call("loadShareSync", "react"), "react")
			if isLoadedMark(entry.Get("loaded")) {
				t.Errorf("entry.loaded was set though loadShareSync failed")
			}
			e.stillWorks()
			if got := resolves(t, e.call("loadShare", "react")); !same(got, react) {
				t.Fatalf("loadShare(react) = %s", describe(got))
			}
			if got := notThrown(t, e.call("loadShareSync", "react")); !same(got, react) {
				t.Fatalf("loadShareSync(react) once loaded = %s", describe(got))
			}
		})
	})
}

// A webpack entry JS wrote whose get returns a factory at once (an eager
// provider) serves loadShareSync, and marks the entry loaded.
func TestLoadShareSyncWebpackEagerEntry(t *testing.T) {
	forEachShape(t, func(t *testing.T, mk entryMaker) {
		e := newEnv(t)
		react := module("react")
		entry := mk(t, syncGetFor(react), "legacy", true)
		putEntry(e.scope(), "react", "18.3.1", entry)
		if got := notThrown(t, e.call("loadShareSync", "react")); !same(got, react) {
			t.Fatalf("loadShareSync(react) = %s, want the module of the entry's factory", describe(got))
		}
		if !isLoadedMark(entry.Get("loaded")) {
			t.Errorf("entry.loaded = %s after loadShareSync took it, want 1", describe(entry.Get("loaded")))
		}
		if got := notThrown(t, e.call("loadShareSync", "react", obj("from", "cart"))); !same(got, react) {
			t.Fatalf("second loadShareSync(react) = %s", describe(got))
		}
		if got := resolves(t, e.call("loadShare", "react")); !same(got, react) {
			t.Fatalf("loadShare(react) = %s, want the same module", describe(got))
		}
		if p := providerReport(e.shareReport("default", "react"), "18.3.1"); !p.Get("eager").Truthy() {
			t.Errorf("inspect() provider 18.3.1 = %s, want eager", stringify(p))
		}
	})
}

// Fallbacks, SHARE_NOT_FOUND, and the next call after each failure.
func TestLoadShareSyncFallbackAndNotFound(t *testing.T) {
	e := newEnv(t)
	fb := module("fallback")
	plain := funcOf(t, func(js.Value, []js.Value) any { return fb })

	if got := notThrown(t, e.call("loadShareSync", "left-pad", obj("fallback", plain))); !same(got, fb) {
		t.Fatalf("loadShareSync with a plain fallback = %s, want the fallback's value", describe(got))
	}
	if got := notThrown(t, e.call("loadShareSync", "left-pad", obj("fallback", factoryFor(fb)))); !same(got, fb) {
		t.Fatalf("loadShareSync with a built-in fallback = %s, want the fallback's value", describe(got))
	}

	notLoaded(t, e.call("loadShareSync", "left-pad", obj("fallback", resolvedWith(fb))), "left-pad")
	e.stillWorks()

	err := thrown(t, e.call("loadShareSync", "left-pad"), "SHARE_NOT_FOUND")
	if got := str(err, "details", "package"); got != "left-pad" {
		t.Errorf("details.package = %q, want left-pad", got)
	}
	e.stillWorks()

	// A throwing fallback is a coded failure too, not a crash.
	throw, _ := throwing()
	thrown(t, e.call("loadShareSync", "left-pad", obj("fallback", throw)), "JS_EXCEPTION")
	e.stillWorks()

	// A provider outside the range: the fallback is used (non-singleton).
	notThrown(t, e.call("registerShared", obj("lodash", obj("version", "3.10.1", "lib", module("lodash3")))))
	if got := notThrown(t, e.call("loadShareSync", "lodash", obj("requiredVersion", "^4.0.0", "fallback", plain))); !same(got, fb) {
		t.Fatalf("loadShareSync(lodash ^4) with a fallback = %s, want the fallback's value", describe(got))
	}
	thrown(t, e.call("loadShareSync", "lodash", obj("requiredVersion", "^4.0.0", "strictVersion", true)), "SHARE_NO_SATISFYING")
	e.stillWorks()
}

// Bad arguments are INVALID_ARGUMENT, thrown; the next call works.
func TestLoadShareSyncBadArguments(t *testing.T) {
	e := newEnv(t)
	for _, args := range [][]any{nil, {42}, {""}, {"react", "opts"}, {"react", obj("fallback", 5)}, {"react", obj("singleton", "yes")}} {
		thrown(t, e.call("loadShareSync", args...), "INVALID_ARGUMENT")
		e.stillWorks()
	}
}

// loadShareSync that answers SHARE_NOT_LOADED must not leave behind the
// Promise it got from get() (or a fallback) unhandled: when that Promise
// rejects, the page gets an "Uncaught (in promise)" unhandledrejection.
func TestLoadShareSyncNoUnhandledRejection(t *testing.T) {
	events := listen(t, "unhandledrejection")
	e := newEnv(t)
	failing := rejectedWith(newError("chunk failed"))
	notThrown(t, e.call("registerShared", obj("react", obj("version", "19.1.0", "get", failing))))
	putEntry(e.scope(), "lodash", "4.17.21", mfEntry(failing, "legacy", false)) // a webpack get whose chunk fails
	notLoaded(t, e.call("loadShareSync", "react"), "react")
	notLoaded(t, e.call("loadShareSync", "lodash"), "lodash")
	notLoaded(t, e.call("loadShareSync", "left-pad", obj("fallback", failing)), "left-pad")
	// Let the event loop run a task, so a pending unhandledrejection is dispatched.
	tick := js.Global().Get("Promise").Call("withResolvers")
	js.Global().Call("setTimeout", tick.Get("resolve"), 50)
	resolves(t, tick.Get("promise"))
	if got := drain(events); len(got) != 0 {
		t.Fatalf("%d unhandledrejection events after loadShareSync failed, want none", len(got))
	}
	e.stillWorks()
}
