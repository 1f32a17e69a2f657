//go:build js && wasm

package jsbridge

import (
	"strings"
	"syscall/js"
	"testing"
)

// A lib module is returned as the very same JS object to every consumer.
func TestLoadShareLibIdentityAcrossConsumers(t *testing.T) {
	e := newEnv(t)
	lib := module("react")
	notThrown(t, e.call("registerShared", obj("react", obj("version", "19.1.0", "lib", lib,
		"shareConfig", obj("singleton", true, "requiredVersion", "^19.0.0")))))
	for _, from := range []string{"host", "remote"} {
		got := resolves(t, e.call("loadShare", "react", obj("from", from)))
		if !same(got, lib) {
			t.Fatalf("loadShare from %q returned %s, want the identical lib object", from, describe(got))
		}
	}
	// Without options too (the consumer is the host).
	if got := resolves(t, e.call("loadShare", "react")); !same(got, lib) {
		t.Fatalf("loadShare without options returned %s", describe(got))
	}
	// inspect() reports the package and both consumers.
	shares := e.inspect().Get("shares")
	if shares.Length() != 1 || str(shares.Index(0), "package") != "react" {
		t.Fatalf("inspect().shares = %s, want one entry for react", stringify(shares))
	}
	text := stringify(shares)
	for _, want := range []string{`"host"`, `"remote"`, `"19.1.0"`} {
		if !strings.Contains(text, want) {
			t.Errorf("inspect().shares = %s, want it to mention %s", text, want)
		}
	}
}

// get may return the module itself or a Promise of it; either way the module
// is loaded once and the same object is returned to every consumer.
func TestLoadShareGetForms(t *testing.T) {
	tests := []struct {
		name string
		get  func(t *testing.T, lib js.Value, calls *int) js.Value
	}{
		{"get returns a Promise of the module", func(t *testing.T, lib js.Value, calls *int) js.Value {
			return funcOf(t, func(js.Value, []js.Value) any {
				*calls++
				return js.Global().Get("Promise").Call("resolve", lib)
			}).Value
		}},
		{"get returns the module", func(t *testing.T, lib js.Value, calls *int) js.Value {
			return funcOf(t, func(js.Value, []js.Value) any {
				*calls++
				return lib
			}).Value
		}},
		{"get is a built-in bound function", func(t *testing.T, lib js.Value, calls *int) js.Value {
			*calls = 1 // cannot count a built-in; checked by identity only
			return resolvedWith(lib)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			lib := module("react")
			calls := 0
			notThrown(t, e.call("registerShared", obj("react", obj("version", "19.1.0", "get", tc.get(t, lib, &calls)))))
			for _, from := range []string{"host", "remote", "other"} {
				if got := resolves(t, e.call("loadShare", "react", obj("from", from))); !same(got, lib) {
					t.Fatalf("loadShare from %q = %s, want the module get returned", from, describe(got))
				}
			}
			if calls != 1 {
				t.Errorf("get called %d times, want 1", calls)
			}
		})
	}
}

// Concurrent loadShare calls share one load: get is called once and all
// callers get the same module.
func TestLoadShareConcurrentCallsGetOnce(t *testing.T) {
	e := newEnv(t)
	lib := module("react")
	pending := js.Global().Get("Promise").Call("withResolvers")
	calls := 0
	get := funcOf(t, func(js.Value, []js.Value) any {
		calls++
		return pending.Get("promise")
	})
	notThrown(t, e.call("registerShared", obj("react", obj("version", "19.1.0", "get", get))))

	const n = 20
	promises := make([]js.Value, n)
	for i := range promises {
		from := "host"
		if i%2 == 1 {
			from = "remote"
		}
		promises[i] = e.call("loadShare", "react", obj("from", from))
	}
	waitFor(t, "get to be called", func() bool { return calls > 0 })
	pending.Call("resolve", lib)
	for i, p := range promises {
		if got := resolves(t, p); !same(got, lib) {
			t.Fatalf("call %d returned %s, want the module", i, describe(got))
		}
	}
	if calls != 1 {
		t.Fatalf("get called %d times for %d concurrent loadShare calls, want 1", calls, n)
	}
}

// Version choice across several providers, as the bridge carries it.
func TestLoadShareVersionChoice(t *testing.T) {
	e := newEnv(t)
	v17, v18, v19 := module("react17"), module("react18"), module("react19")
	notThrown(t, e.call("registerShared", obj("react", arr(
		obj("version", "18.3.1", "lib", v18, "from", "remote-a"),
		obj("version", "19.1.0", "lib", v19, "from", "remote-b"),
		obj("version", "17.0.2", "lib", v17, "from", "remote-c"),
	))))
	tests := []struct {
		opts js.Value
		want js.Value
	}{
		{js.Undefined(), v19},
		{obj("requiredVersion", "^18.0.0"), v18},
		{obj("requiredVersion", "17.x"), v17},
		{obj("requiredVersion", false), v19},
		{obj("requiredVersion", ">=17 <19"), v18},
	}
	for _, tc := range tests {
		got := resolves(t, e.call("loadShare", "react", tc.opts))
		if !same(got, tc.want) {
			t.Errorf("loadShare(react, %s) = %s, want %s", stringify(tc.opts), str(got, "name"), str(tc.want, "name"))
		}
	}
}

// A scope option listing scopes (MF 2.0's shareInfo.scope array) takes the
// package from the first listed scope that holds it, counting entries JS
// code wrote into a live scope object; the first when none does. A list
// that is too long, or holds something other than a name, is refused.
func TestLoadShareScopeList(t *testing.T) {
	e := newEnv(t)
	host, legacy, written := module("react19"), module("react18"), module("zustand-legacy")
	notThrown(t, e.call("registerShared", obj("react", arr(
		obj("version", "19.1.0", "lib", host, "from", "shell"),
		obj("version", "18.3.1", "lib", legacy, "from", "legacy", "scope", "legacy"),
	))))
	e.scope("legacy").Set("zustand", obj("4.5.0", webpackEntry(asyncGetFor(written), "old-remote", false)))
	for _, tc := range []struct {
		pkg    string
		scopes js.Value
		want   js.Value
	}{
		{"react", arr("legacy", "default"), legacy},
		{"react", arr("default", "legacy"), host},
		{"react", arr("empty", "legacy"), legacy},
		{"zustand", arr("default", "legacy"), written},
		{"react", arr("legacy"), legacy},
	} {
		if got := resolves(t, e.call("loadShare", tc.pkg, obj("scope", tc.scopes))); !same(got, tc.want) {
			t.Errorf("loadShare(%s, { scope: %s }) = %s, want %s", tc.pkg, stringify(tc.scopes), str(got, "name"), str(tc.want, "name"))
		}
	}
	if err := rejects(t, e.call("loadShare", "lodash", obj("scope", arr("other", "legacy"))), "SHARE_NOT_FOUND"); !strings.Contains(str(err, "message"), `"other"`) {
		t.Errorf("a package no listed scope holds: %s, want SHARE_NOT_FOUND naming the first scope", str(err, "message"))
	}
	many := arr()
	for i := 0; i < 17; i++ {
		many.SetIndex(i, "s")
	}
	rejects(t, e.call("loadShare", "react", obj("scope", many)), "LIMIT_EXCEEDED")
	rejects(t, e.call("loadShare", "react", obj("scope", arr("default", 42))), "INVALID_ARGUMENT")
	rejects(t, e.call("loadShare", "react", obj("scope", arr(""))), "INVALID_ARGUMENT")
}

// A singleton that does not satisfy a strict consumer's range is refused.
func TestLoadShareSingletonStrictMismatch(t *testing.T) {
	e := newEnv(t)
	notThrown(t, e.call("registerShared", obj("react", obj("version", "18.3.1", "lib", module("react"),
		"shareConfig", obj("singleton", true)))))
	err := rejects(t, e.call("loadShare", "react", obj("from", "cart", "singleton", true, "strictVersion", true, "requiredVersion", "^19.0.0")),
		"SHARE_SINGLETON_MISMATCH")
	d := err.Get("details")
	for k, want := range map[string]string{"package": "react", "consumer": "cart", "requiredVersion": "^19.0.0", "chosenVersion": "18.3.1"} {
		if got := str(d, k); got != want {
			t.Errorf("details.%s = %q, want %q", k, got, want)
		}
	}
	msg := err.Get("message").String()
	for _, want := range []string{"react", "18.3.1", "^19.0.0", "cart"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q does not mention %q", msg, want)
		}
	}
}

// A singleton mismatch that is not strict resolves to the singleton, warns
// with a fedwasm:warning CustomEvent on window and records it in inspect().
func TestLoadShareSingletonLooseMismatchWarns(t *testing.T) {
	events := listen(t, "fedwasm:warning")
	e := newEnv(t)
	lib := module("react")
	notThrown(t, e.call("registerShared", obj("react", obj("version", "18.3.1", "lib", lib,
		"shareConfig", obj("singleton", true)))))
	got := resolves(t, e.call("loadShare", "react", obj("from", "cart", "singleton", true, "requiredVersion", "^19.0.0")))
	if !same(got, lib) {
		t.Fatalf("loadShare = %s, want the singleton", describe(got))
	}
	select {
	case detail := <-events:
		checkCoded(t, detail, "SHARE_SINGLETON_MISMATCH")
		if got := str(detail, "details", "consumer"); got != "cart" {
			t.Errorf("event detail.details.consumer = %q, want cart", got)
		}
	default:
		t.Fatal("no fedwasm:warning event was dispatched on window")
	}
	warnings := e.inspect().Get("warnings")
	if warnings.Length() != 1 || str(warnings.Index(0), "code") != "SHARE_SINGLETON_MISMATCH" {
		t.Fatalf("inspect().warnings = %s, want one SHARE_SINGLETON_MISMATCH", stringify(warnings))
	}
	if got := str(warnings.Index(0), "details", "package"); got != "react" {
		t.Errorf("inspect().warnings[0].details.package = %q, want react", got)
	}
}

// A non-singleton with nothing satisfying and no fallback, not strict, gets
// the highest version with a warning.
func TestLoadShareNoSatisfyingLooseWarns(t *testing.T) {
	events := listen(t, "fedwasm:warning")
	e := newEnv(t)
	lib := module("lodash3")
	notThrown(t, e.call("registerShared", obj("lodash", obj("version", "3.10.1", "lib", lib))))
	if got := resolves(t, e.call("loadShare", "lodash", obj("requiredVersion", "^4.0.0"))); !same(got, lib) {
		t.Fatalf("loadShare = %s, want the highest version", describe(got))
	}
	select {
	case detail := <-events:
		checkCoded(t, detail, "SHARE_NO_SATISFYING")
	default:
		t.Fatal("no fedwasm:warning event was dispatched on window")
	}
}

// Nothing provided: SHARE_NOT_FOUND, unless the consumer gives a fallback.
func TestLoadShareNotFoundAndFallback(t *testing.T) {
	e := newEnv(t)
	err := rejects(t, e.call("loadShare", "left-pad"), "SHARE_NOT_FOUND")
	if got := str(err, "details", "package"); got != "left-pad" {
		t.Errorf("details.package = %q, want left-pad", got)
	}

	fb := module("fallback")
	if got := resolves(t, e.call("loadShare", "left-pad", obj("fallback", resolvedWith(fb)))); !same(got, fb) {
		t.Fatalf("fallback returning a Promise: got %s", describe(got))
	}
	direct := funcOf(t, func(js.Value, []js.Value) any { return fb })
	if got := resolves(t, e.call("loadShare", "left-pad", obj("fallback", direct))); !same(got, fb) {
		t.Fatalf("fallback returning the module: got %s", describe(got))
	}

	// A non-singleton with nothing satisfying also uses the fallback.
	notThrown(t, e.call("registerShared", obj("lodash", obj("version", "3.10.1", "lib", module("lodash3")))))
	if got := resolves(t, e.call("loadShare", "lodash", obj("requiredVersion", "^4.0.0", "fallback", direct))); !same(got, fb) {
		t.Fatalf("unsatisfied range with fallback: got %s", describe(got))
	}
	rejects(t, e.call("loadShare", "lodash", obj("requiredVersion", "^4.0.0", "strictVersion", true)), "SHARE_NO_SATISFYING")
}

// A fallback whose Promise rejects is an ordinary load failure of user code,
// not an internal panic of the runtime.
func TestLoadShareFallbackRejects(t *testing.T) {
	e := newEnv(t)
	err := settle(t, e.call("loadShare", "left-pad", obj("fallback", rejectedWith(newError("fallback chunk failed")))))
	if err.ok {
		t.Fatal("loadShare resolved, want a rejection")
	}
	if code := str(err.reason, "code"); code == "INTERNAL_PANIC" || code == "" {
		t.Fatalf("code = %q, want a load-failure code (e.g. SHARE_LOAD_FAILED) with details.cause", code)
	}
	if got := str(err.reason, "details", "cause"); !strings.Contains(got, "fallback chunk failed") {
		t.Errorf("details.cause = %q, want the rejection message", got)
	}
}

// lib: null means "no lib" (as null means "absent" for every other option):
// the provider's get is used.
func TestRegisterSharedNullLibUsesGet(t *testing.T) {
	e := newEnv(t)
	lib := module("react")
	notThrown(t, e.call("registerShared", obj("react", obj("version", "19.1.0", "lib", js.Null(), "get", resolvedWith(lib)))))
	if got := resolves(t, e.call("loadShare", "react")); !same(got, lib) {
		t.Fatalf("loadShare = %s, want the module get returns", describe(got))
	}
}

// Bad argument types are INVALID_ARGUMENT errors, never panics.
func TestShareBadArguments(t *testing.T) {
	fn := resolvedWith(module("x"))
	async := []struct {
		name string
		args []any
	}{
		{"no arguments", nil},
		{"number as package", []any{42}},
		{"empty package", []any{""}},
		{"object as package", []any{obj()}},
		{"string as options", []any{"react", "opts"}},
		{"number as options", []any{"react", 1}},
		{"singleton not a boolean", []any{"react", obj("singleton", "yes")}},
		{"strictVersion not a boolean", []any{"react", obj("strictVersion", 1)}},
		{"requiredVersion a number", []any{"react", obj("requiredVersion", 19)}},
		{"requiredVersion true", []any{"react", obj("requiredVersion", true)}},
		{"scope a number", []any{"react", obj("scope", 1)}},
		{"from an object", []any{"react", obj("from", obj())}},
		{"fallback not a function", []any{"react", obj("fallback", 5)}},
	}
	for _, tc := range async {
		t.Run("loadShare "+tc.name, func(t *testing.T) {
			e := newEnv(t)
			rejects(t, e.call("loadShare", tc.args...), "INVALID_ARGUMENT")
		})
	}
	sync := []struct {
		name string
		args []any
		code string
	}{
		{"no arguments", nil, "INVALID_ARGUMENT"},
		{"a string", []any{"react"}, "INVALID_ARGUMENT"},
		{"null", []any{js.Null()}, "INVALID_ARGUMENT"},
		{"entry a number", []any{obj("react", 5)}, "INVALID_ARGUMENT"},
		{"entry list with a string", []any{obj("react", arr("19.1.0"))}, "INVALID_ARGUMENT"},
		{"no way to load", []any{obj("react", obj("version", "19.1.0"))}, "INVALID_ARGUMENT"},
		{"version a number", []any{obj("react", obj("version", 19, "get", fn))}, "INVALID_ARGUMENT"},
		{"get not a function", []any{obj("react", obj("version", "19.1.0", "get", "react.js"))}, "INVALID_ARGUMENT"},
		{"import not a string", []any{obj("react", obj("version", "19.1.0", "import", 1))}, "INVALID_ARGUMENT"},
		{"shareConfig a string", []any{obj("react", obj("version", "19.1.0", "get", fn, "shareConfig", "singleton"))}, "INVALID_ARGUMENT"},
		{"singleton a string", []any{obj("react", obj("version", "19.1.0", "get", fn, "shareConfig", obj("singleton", "true")))}, "INVALID_ARGUMENT"},
		{"missing version", []any{obj("react", obj("get", fn))}, "INVALID_ARGUMENT"},
		{"bad version", []any{obj("react", obj("version", "nineteen", "get", fn))}, "INVALID_ARGUMENT"},
		{"bad requiredVersion", []any{obj("react", obj("version", "19.1.0", "get", fn, "shareConfig", obj("requiredVersion", "^^19")))}, "INVALID_ARGUMENT"},
	}
	for _, tc := range sync {
		t.Run("registerShared "+tc.name, func(t *testing.T) {
			e := newEnv(t)
			thrown(t, e.call("registerShared", tc.args...), tc.code)
			// Still works afterwards, and the bad entry registered nothing.
			rejects(t, e.call("loadShare", "react"), "SHARE_NOT_FOUND")
		})
	}
}

// registerShared entries that name a field report it in details.field.
func TestRegisterSharedErrorNamesField(t *testing.T) {
	e := newEnv(t)
	err := thrown(t, e.call("registerShared", obj("react", arr(
		obj("version", "19.1.0", "lib", module("a")),
		obj("version", "bad", "lib", module("b")),
	))), "INVALID_ARGUMENT")
	if got := str(err, "details", "field"); got != "shared.react[1].version" {
		t.Errorf("details.field = %q, want shared.react[1].version", got)
	}
	// All or nothing: the good entry before the bad one was not registered either.
	rejects(t, e.call("loadShare", "react"), "SHARE_NOT_FOUND")
}

// A singleton handed out stays the singleton (DESIGN §4): once a consumer
// has received lib-x 16.0.0, a later 17.0.2 registered with lib (so already
// loaded) does not become the singleton for later consumers; a strict
// consumer whose range 16.0.0 does not satisfy is refused, a lenient one
// gets 16.0.0 with a warning, and inspect() says why.
func TestSingletonHandedOutStaysTheSingleton(t *testing.T) {
	e := newEnv(t)
	v16, v17 := module("lib-x@16"), module("lib-x@17")
	notThrown(t, e.call("registerShared", obj("lib-x", obj("version", "16.0.0", "lib", v16, "shareConfig", obj("singleton", true)))))
	if got := resolves(t, e.call("loadShare", "lib-x")); !same(got, v16) {
		t.Fatalf("the first loadShare got %s, want 16.0.0", describe(got))
	}
	notThrown(t, e.call("registerShared", obj("lib-x", obj("version", "17.0.2", "lib", v17, "from", "cart"))))
	rejects(t, e.call("loadShare", "lib-x", obj("singleton", true, "requiredVersion", "^17.0.0", "strictVersion", true, "from", "cart")), "SHARE_SINGLETON_MISMATCH")
	if got := resolves(t, e.call("loadShare", "lib-x", obj("singleton", true, "requiredVersion", "^17.0.0", "from", "checkout"))); !same(got, v16) {
		t.Fatalf("a lenient consumer got %s, want the 16.0.0 in use", describe(got))
	}
	if got := notThrown(t, e.call("loadShareSync", "lib-x", obj("singleton", true, "from", "badge"))); !same(got, v16) {
		t.Fatalf("loadShareSync got %s, want the 16.0.0 in use", describe(got))
	}
	text := stringify(e.inspect().Get("shares"))
	for _, want := range []string{`"rule":"in-use"`, "singleton in use: 16.0.0 from", "handed to", `"inUse":true`, `"from":"badge"`} {
		if !strings.Contains(text, want) {
			t.Errorf("inspect().shares = %s\nwant it to contain %s", text, want)
		}
	}
}
