//go:build js && wasm

package jsbridge

import (
	"strings"
	"syscall/js"
	"testing"

	"github.com/fedwasm/fedwasm/jsbridge/internal/jsutil"
)

// Helpers for the live share scope (fedwasm.shareScope): they build webpack
// entries { get, from, eager } the way a container's init writes them, with
// built-in functions only (no eval, no js.FuncOf), and read inspect() back.

// factoryFor returns a webpack module factory for m: a function returning m
// (Reflect.get bound to a holder object).
func factoryFor(m js.Value) js.Value {
	return js.Global().Get("Reflect").Get("get").Call("bind", js.Null(), obj("module", m), "module")
}

// asyncGetFor returns an async webpack get for m: a function returning a
// Promise of m's factory.
func asyncGetFor(m js.Value) js.Value { return resolvedWith(factoryFor(m)) }

// syncGetFor returns an eager webpack get for m: a function returning m's
// factory at once.
func syncGetFor(m js.Value) js.Value {
	return js.Global().Get("Reflect").Get("get").Call("bind", js.Null(), obj("f", factoryFor(m)), "f")
}

// webpackEntry builds { get, from, eager } as webpack 5's register writes it
// (ShareRuntimeModule: versions[version] = { get: factory, from: uniqueName, eager: !!eager }).
func webpackEntry(get js.Value, from string, eager bool) js.Value {
	return obj("get", get, "from", from, "eager", eager)
}

// mfEntry builds the richer record MF 2.0's runtime writes into the same slot:
// eager lives in shareConfig only (the runtime reads eager or shareConfig.eager).
func mfEntry(get js.Value, from string, eager bool) js.Value {
	return obj("get", get, "from", from, "version", "", "scope", arr("default"), "useIn", arr(), "deps", arr(),
		"strategy", "version-first",
		"shareConfig", obj("eager", eager, "singleton", false, "requiredVersion", false, "strictVersion", false))
}

// entryMaker builds an entry { get, from, eager } in one of the shapes JS
// code writes. t is the running (sub)test: a shape a known bug blocks skips it.
type entryMaker func(t *testing.T, get js.Value, from string, eager bool) js.Value

// forEachShape runs f once per entry shape JS code writes into a share scope:
// webpack 5's { get, from, eager } and MF 2.0's record with shareConfig.
func forEachShape(t *testing.T, f func(t *testing.T, mk entryMaker)) {
	t.Run("webpack5", func(t *testing.T) {
		f(t, func(t *testing.T, get js.Value, from string, eager bool) js.Value {
			return webpackEntry(get, from, eager)
		})
	})
	t.Run("mf2", func(t *testing.T) {
		f(t, func(_ *testing.T, get js.Value, from string, eager bool) js.Value { return mfEntry(get, from, eager) })
	})
}

// putEntry writes scope[pkg][version] = entry from JS, creating scope[pkg]
// when it is missing, as webpack's register does.
func putEntry(scope js.Value, pkg, version string, entry js.Value) {
	if scope.Get(pkg).Type() != js.TypeObject {
		scope.Set(pkg, obj())
	}
	scope.Get(pkg).Set(version, entry)
}

// scope returns fedwasm.shareScope(name...), failing the test on an error.
func (e *env) scope(name ...any) js.Value {
	e.t.Helper()
	s := notThrown(e.t, e.call("shareScope", name...))
	if s.Type() != js.TypeObject {
		e.t.Fatalf("shareScope(%v) = %s, want an object", name, describe(s))
	}
	return s
}

// entryOf returns shareScope(scope)[pkg][version], failing the test when it is
// not an object.
func (e *env) entryOf(scope, pkg, version string) js.Value {
	e.t.Helper()
	versions := e.scope(scope).Get(pkg)
	if versions.Type() != js.TypeObject {
		e.t.Fatalf("shareScope(%q).%s = %s, want an object of versions", scope, pkg, describe(versions))
	}
	entry := versions.Get(version)
	if entry.Type() != js.TypeObject {
		e.t.Fatalf("shareScope(%q).%s[%q] = %s, want an entry object", scope, pkg, version, describe(versions))
	}
	return entry
}

// shareReport returns inspect().shares' report of pkg in scope, or undefined.
func (e *env) shareReport(scope, pkg string) js.Value {
	e.t.Helper()
	shares := e.inspect().Get("shares")
	for i := 0; i < shares.Length(); i++ {
		if r := shares.Index(i); str(r, "scope") == scope && str(r, "package") == pkg {
			return r
		}
	}
	return js.Undefined()
}

// providerReport returns the provider of version in a share report, or undefined.
func providerReport(report js.Value, version string) js.Value {
	if report.Type() != js.TypeObject {
		return js.Undefined()
	}
	list := report.Get("providers")
	for i := 0; i < list.Length(); i++ {
		if str(list.Index(i), "version") == version {
			return list.Index(i)
		}
	}
	return js.Undefined()
}

// consumerReport returns the consumer from in a share report, or undefined.
func consumerReport(report js.Value, from string) js.Value {
	if report.Type() != js.TypeObject {
		return js.Undefined()
	}
	list := report.Get("consumers")
	for i := 0; i < list.Length(); i++ {
		if str(list.Index(i), "from") == from {
			return list.Index(i)
		}
	}
	return js.Undefined()
}

// isLoadedMark reports whether v is the number 1 (webpack's entry.loaded mark).
func isLoadedMark(v js.Value) bool { return v.Type() == js.TypeNumber && v.Int() == 1 }

// drain returns the values received on ch so far, without waiting.
func drain(ch <-chan js.Value) []js.Value {
	var out []js.Value
	for {
		select {
		case v := <-ch:
			out = append(out, v)
		default:
			return out
		}
	}
}

// about keeps the coded errors whose details name pkg and version.
func about(list []js.Value, pkg, version string) []js.Value {
	var out []js.Value
	for _, w := range list {
		if str(w, "details", "package") == pkg && str(w, "details", "version") == version {
			out = append(out, w)
		}
	}
	return out
}

// inspectWarnings returns inspect().warnings as a slice.
func (e *env) inspectWarnings() []js.Value {
	e.t.Helper()
	list := e.inspect().Get("warnings")
	out := make([]js.Value, list.Length())
	for i := range out {
		out[i] = list.Index(i)
	}
	return out
}

// checkFactory fails the test unless f is a function whose call returns want.
func checkFactory(t *testing.T, what string, f, want js.Value) {
	t.Helper()
	if f.Type() != js.TypeFunction {
		t.Fatalf("%s = %s, want a factory function", what, describe(f))
	}
	if got := f.Invoke(); !same(got, want) {
		t.Fatalf("%s() = %s, want the very module %s", what, describe(got), str(want, "name"))
	}
}

// shareScope(name) returns one live object per name, "default" by default.
func TestShareScopeSameObject(t *testing.T) {
	e := newEnv(t)
	def := e.scope()
	for _, args := range [][]any{{}, {"default"}, {js.Undefined()}, {js.Null()}} {
		if got := e.scope(args...); !same(got, def) {
			t.Fatalf("shareScope(%v) returned another object than shareScope()", args)
		}
	}
	legacy := e.scope("legacy")
	if same(legacy, def) {
		t.Fatal(`shareScope("legacy") is the default scope's object`)
	}
	if got := e.scope("legacy"); !same(got, legacy) {
		t.Fatal(`shareScope("legacy") returned a new object on the second call`)
	}
	// It is live: what registerShared writes shows up in the object held before.
	lib := module("react")
	notThrown(t, e.call("registerShared", obj("react", obj("version", "19.1.0", "lib", lib))))
	if def.Get("react").Type() != js.TypeObject || def.Get("react").Get("19.1.0").Type() != js.TypeObject {
		t.Fatalf("the scope object held before registerShared has no react[19.1.0]: %s", stringify(def))
	}
	if legacy.Get("react").Type() != js.TypeUndefined {
		t.Errorf("a default-scope share was written into shareScope(legacy): %s", stringify(legacy))
	}
}

// A name that is not a non-empty string is INVALID_ARGUMENT, and the next call works.
func TestShareScopeBadName(t *testing.T) {
	e := newEnv(t)
	def := e.scope()
	for _, bad := range []any{42, true, obj(), arr("default"), ""} {
		err := thrown(t, e.call("shareScope", bad), "INVALID_ARGUMENT")
		if !strings.Contains(str(err, "message"), "shareScope") {
			t.Errorf("message %q does not name shareScope", str(err, "message"))
		}
		if got := e.scope(); !same(got, def) {
			t.Fatalf("shareScope() after a bad call returned another object")
		}
	}
}

// registerShared writes scope[pkg][version] = { get, from, eager, loaded }.
// A loaded (lib) provider's get returns its factory at once; an unloaded one's
// returns a Promise of the factory; loadShare marks the entry loaded.
func TestShareScopeRegisterSharedWritesEntries(t *testing.T) {
	e := newEnv(t)
	react, lodash, mobx, preact, zustand := module("react"), module("lodash"), module("mobx"), module("preact"), module("zustand")
	lodashCalls := 0
	lodashGet := funcOf(t, func(js.Value, []js.Value) any {
		lodashCalls++
		return js.Global().Get("Promise").Call("resolve", lodash)
	})
	notThrown(t, e.call("registerShared", obj(
		"react", obj("version", "19.1.0", "lib", react, "from", "remote-a"),
		"lodash", obj("version", "4.17.21", "get", lodashGet),
		"mobx", obj("version", "6.13.0", "get", resolvedWith(mobx)),
		"preact", obj("version", "10.24.0", "lib", preact, "shareConfig", obj("eager", true)),
		"zustand", obj("version", "5.0.2", "lib", zustand, "scope", "legacy"),
	)))

	// A lib provider: loaded, get() gives the factory synchronously.
	entry := e.entryOf("default", "react", "19.1.0")
	if got := str(entry, "from"); got != "remote-a" {
		t.Errorf("react entry.from = %q, want remote-a", got)
	}
	if v := entry.Get("eager"); v.Type() != js.TypeBoolean || v.Bool() {
		t.Errorf("react entry.eager = %s, want false", describe(v))
	}
	if v := entry.Get("loaded"); !isLoadedMark(v) {
		t.Errorf("react (lib) entry.loaded = %s, want 1", describe(v))
	}
	if entry.Get("get").Type() != js.TypeFunction {
		t.Fatalf("react entry.get = %s, want a function", describe(entry.Get("get")))
	}
	checkFactory(t, "react entry.get()", entry.Call("get"), react)
	checkFactory(t, "react entry.get() (again)", entry.Call("get"), react)

	// The host's default from, and eager from shareConfig.
	if got := str(e.entryOf("default", "lodash", "4.17.21"), "from"); got != "host" {
		t.Errorf("lodash entry.from = %q, want the host name", got)
	}
	if v := e.entryOf("default", "preact", "10.24.0").Get("eager"); v.Type() != js.TypeBoolean || !v.Bool() {
		t.Errorf("preact entry.eager = %s, want true (shareConfig.eager)", describe(v))
	}
	// A share in another scope goes to that scope's object only.
	checkFactory(t, "legacy zustand entry.get()", e.entryOf("legacy", "zustand", "5.0.2").Call("get"), zustand)
	if v := e.scope().Get("zustand"); !v.IsUndefined() {
		t.Errorf("shareScope().zustand = %s, want undefined (it is in scope legacy)", describe(v))
	}

	// An unloaded provider: not marked loaded, get() is a Promise of a factory.
	entry = e.entryOf("default", "lodash", "4.17.21")
	if v := entry.Get("loaded"); isLoadedMark(v) {
		t.Errorf("lodash entry.loaded = %s before any load, want it unset", describe(v))
	}
	p := entry.Call("get")
	if !p.InstanceOf(js.Global().Get("Promise")) {
		t.Fatalf("lodash entry.get() = %s, want a Promise of a factory", describe(p))
	}
	checkFactory(t, "the factory lodash entry.get() resolved to", resolves(t, p), lodash)
	if got := resolves(t, e.call("loadShare", "lodash")); !same(got, lodash) {
		t.Fatalf("loadShare(lodash) = %s, want the module get returned", describe(got))
	}
	if lodashCalls != 1 {
		t.Errorf("lodash get called %d times (entry.get() then loadShare), want 1", lodashCalls)
	}

	// loadShare marks the entry loaded; then get() gives the factory at once.
	entry = e.entryOf("default", "mobx", "6.13.0")
	if v := entry.Get("loaded"); isLoadedMark(v) {
		t.Fatalf("mobx entry.loaded = %s before loadShare, want it unset", describe(v))
	}
	if got := resolves(t, e.call("loadShare", "mobx")); !same(got, mobx) {
		t.Fatalf("loadShare(mobx) = %s", describe(got))
	}
	if v := entry.Get("loaded"); !isLoadedMark(v) {
		t.Errorf("mobx entry.loaded = %s after loadShare, want 1", describe(v))
	}
	checkFactory(t, "mobx entry.get() after loadShare", entry.Call("get"), mobx)
}

// init writes the configured shares into the live scope, loaded once it has
// preloaded them.
func TestShareScopeInitWritesEntries(t *testing.T) {
	newImportMaps(t) // init writes an import map; remove it afterwards
	react, lodash := module("react"), module("lodash")
	im := newImporter(t, func(url string) js.Value {
		m := lodash
		if url == "/vendor/react.js" {
			m = react
		}
		return js.Global().Get("Promise").Call("resolve", m)
	})
	e := newEnvWithHooks(t, im.hooks())
	resolves(t, e.call("init", obj("name", "shell", "shared", obj(
		"react", obj("version", "19.1.0", "import", "/vendor/react.js", "shareConfig", obj("singleton", true, "eager", true)),
		"lodash", obj("version", "4.17.21", "import", "/vendor/lodash.js"),
	))))
	for _, tc := range []struct {
		pkg, version string
		eager        bool
		module       js.Value
	}{
		{"react", "19.1.0", true, react},
		{"lodash", "4.17.21", false, lodash},
	} {
		entry := e.entryOf("default", tc.pkg, tc.version)
		if got := str(entry, "from"); got != "shell" {
			t.Errorf("%s entry.from = %q, want the config name shell", tc.pkg, got)
		}
		if v := entry.Get("eager"); v.Type() != js.TypeBoolean || v.Bool() != tc.eager {
			t.Errorf("%s entry.eager = %s, want %v", tc.pkg, describe(v), tc.eager)
		}
		if v := entry.Get("loaded"); !isLoadedMark(v) {
			t.Errorf("%s entry.loaded = %s after init preloaded it, want 1", tc.pkg, describe(v))
		}
		checkFactory(t, tc.pkg+" entry.get()", entry.Call("get"), tc.module)
	}
	if len(im.urls) != 2 {
		t.Errorf("importModule calls = %q, want one per configured share", im.urls)
	}
}

// A provider the import map names is the page's from then on: the entry
// init writes for it is loaded at once, before init's preload of it
// settles, so a webpack container initialized meanwhile never replaces it
// with its own copy of the same version (webpack's register keeps a loaded
// entry). So on a page that carries the server's snapshot (the loader wrote
// an entry from it, loaded, which init's replaces) and on one that does not.
func TestShareScopeInitPublishesImportMappedEntriesLoaded(t *testing.T) {
	for _, snapshot := range []bool{true, false} {
		t.Run(map[bool]string{true: "with the snapshot", false: "without"}[snapshot], func(t *testing.T) {
			newImportMaps(t)
			react := module("react")
			download, finish, _ := jsutil.NewPromise()
			im := newImporter(t, func(string) js.Value { return download })
			hooks := im.hooks()
			snapshotEntry := obj("get", asyncGetFor(react), "from", "shell", "eager", false, "loaded", 1, "version", "19.1.0")
			if snapshot {
				hooks.Set("shareScopes", obj("default", obj("react", obj("19.1.0", snapshotEntry))))
				hooks.Set("snapshotEntries", arr(obj("scope", "default", "package", "react", "version", "19.1.0", "entry", snapshotEntry, "stacks", arr())))
			}
			e := newEnvWithHooks(t, hooks)
			initialized := e.call("init", obj("name", "shell", "shared", obj(
				"react", obj("version", "19.1.0", "import", "/vendor/react.js", "shareConfig", obj("singleton", true)),
			)))
			var entry js.Value
			waitFor(t, "init to write its react entry", func() bool {
				versions := e.scope().Get("react")
				if versions.Type() != js.TypeObject {
					return false
				}
				entry = versions.Get("19.1.0")
				return entry.Type() == js.TypeObject && !same(entry, snapshotEntry)
			})
			if len(im.urls) != 1 {
				t.Fatalf("importModule calls = %q, want init's one preload of react", im.urls)
			}
			if v := entry.Get("loaded"); !isLoadedMark(v) {
				t.Errorf("react entry.loaded = %s while init's preload is under way, want 1 (the import map commits the page to it)", describe(v))
			}
			if p := providerReport(e.shareReport("default", "react"), "19.1.0"); !p.Get("loaded").Truthy() {
				t.Errorf("inspect() react 19.1.0 = %s, want loaded", stringify(p))
			}
			finish.Invoke(react)
			resolves(t, initialized)
		})
	}
}

// Entries JS writes directly (a webpack container's init) are seen by
// loadShare and inspect(), and marked loaded once fedwasm loaded them.
func TestShareScopeAdoptsJSEntries(t *testing.T) {
	forEachShape(t, func(t *testing.T, mk entryMaker) {
		t.Run("highest version", func(t *testing.T) {
			e := newEnv(t)
			v17, legacy := module("react17"), module("react18-legacy")
			notThrown(t, e.call("registerShared", obj("react", obj("version", "17.0.2", "lib", v17, "from", "remote-a"))))
			entry := mk(t, asyncGetFor(legacy), "legacy", false)
			putEntry(e.scope(), "react", "18.3.1", entry)

			if got := resolves(t, e.call("loadShare", "react")); !same(got, legacy) {
				t.Fatalf("loadShare(react) = %s, want the JS-written 18.3.1 (the highest)", describe(got))
			}
			if v := entry.Get("loaded"); !isLoadedMark(v) {
				t.Errorf("JS entry.loaded = %s after fedwasm loaded it, want 1", describe(v))
			}
			report := e.shareReport("default", "react")
			p := providerReport(report, "18.3.1")
			if str(p, "from") != "legacy" {
				t.Fatalf("inspect().shares react providers = %s, want 18.3.1 from legacy", stringify(report))
			}
			if v := p.Get("loaded"); v.Type() != js.TypeBoolean || !v.Bool() {
				t.Errorf("inspect() provider 18.3.1 loaded = %s, want true", describe(v))
			}
			if c := consumerReport(report, "host"); str(c, "got") != "18.3.1" || str(c, "gotFrom") != "legacy" {
				t.Errorf("inspect() consumer host = %s, want got 18.3.1 from legacy", stringify(c))
			}
			// The same module again, without another load.
			if got := resolves(t, e.call("loadShare", "react", obj("from", "cart"))); !same(got, legacy) {
				t.Fatalf("second loadShare(react) = %s", describe(got))
			}
		})

		t.Run("required range", func(t *testing.T) {
			e := newEnv(t)
			v19, legacy := module("react19"), module("react18-legacy")
			notThrown(t, e.call("registerShared", obj("react", obj("version", "19.1.0", "lib", v19))))
			putEntry(e.scope(), "react", "18.3.1", mk(t, asyncGetFor(legacy), "legacy", false))
			if got := resolves(t, e.call("loadShare", "react", obj("from", "cart", "requiredVersion", "^18"))); !same(got, legacy) {
				t.Fatalf("loadShare(react, ^18) = %s, want the JS-written 18.3.1", describe(got))
			}
			if got := resolves(t, e.call("loadShare", "react")); !same(got, v19) {
				t.Fatalf("loadShare(react) = %s, want 19.1.0 (the highest)", describe(got))
			}
			c := consumerReport(e.shareReport("default", "react"), "cart")
			if str(c, "got") != "18.3.1" || str(c, "gotFrom") != "legacy" || str(c, "rule") != "highest-satisfying" {
				t.Errorf("inspect() consumer cart = %s, want 18.3.1 from legacy by highest-satisfying", stringify(c))
			}
		})

		t.Run("package only JS provides", func(t *testing.T) {
			e := newEnv(t)
			mobx := module("mobx")
			scope := e.scope()
			if v := scope.Get("mobx"); !v.IsUndefined() {
				t.Fatalf("scope.mobx = %s before anything was provided", describe(v))
			}
			entry := mk(t, asyncGetFor(mobx), "legacy", false)
			putEntry(scope, "mobx", "6.13.0", entry)
			if got := resolves(t, e.call("loadShare", "mobx")); !same(got, mobx) {
				t.Fatalf("loadShare(mobx) = %s, want the JS-written entry's module", describe(got))
			}
			if !isLoadedMark(entry.Get("loaded")) {
				t.Errorf("JS entry.loaded = %s after fedwasm loaded it, want 1", describe(entry.Get("loaded")))
			}
			if p := providerReport(e.shareReport("default", "mobx"), "6.13.0"); str(p, "from") != "legacy" {
				t.Errorf("inspect().shares mobx = %s, want 6.13.0 from legacy", stringify(e.shareReport("default", "mobx")))
			}
		})

		t.Run("other scope", func(t *testing.T) {
			e := newEnv(t)
			mobx := module("mobx")
			putEntry(e.scope("legacy"), "mobx", "6.13.0", mk(t, asyncGetFor(mobx), "legacy", false))
			rejects(t, e.call("loadShare", "mobx"), "SHARE_NOT_FOUND")
			if got := resolves(t, e.call("loadShare", "mobx", obj("scope", "legacy"))); !same(got, mobx) {
				t.Fatalf("loadShare(mobx, scope legacy) = %s", describe(got))
			}
		})
	})
}

// A JS entry without a get function is ignored, with one warning however
// often the package is resolved.
func TestShareScopeJSEntryWithoutGetWarnsOnce(t *testing.T) {
	events := listen(t, "fedwasm:warning")
	e := newEnv(t)
	v17 := module("react17")
	notThrown(t, e.call("registerShared", obj("react", obj("version", "17.0.2", "lib", v17))))
	putEntry(e.scope(), "react", "18.3.1", obj("from", "broken", "eager", false))
	putEntry(e.scope(), "react", "18.2.0", obj("get", "/vendor/react.js", "from", "broken", "eager", false))
	putEntry(e.scope(), "solo", "1.0.0", obj("from", "broken"))

	for i := 0; i < 3; i++ {
		if got := resolves(t, e.call("loadShare", "react", obj("from", "cart"))); !same(got, v17) {
			t.Fatalf("loadShare(react) #%d = %s, want 17.0.2 (the entries without get are ignored)", i, describe(got))
		}
		if got := notThrown(t, e.call("loadShareSync", "react")); !same(got, v17) {
			t.Fatalf("loadShareSync(react) #%d = %s", i, describe(got))
		}
		rejects(t, e.call("loadShare", "solo"), "SHARE_NOT_FOUND")
	}
	notThrown(t, e.call("registerShared", obj("react", obj("version", "16.14.0", "lib", module("react16")))))

	got := drain(events)
	for _, k := range []struct{ pkg, version string }{{"react", "18.3.1"}, {"react", "18.2.0"}, {"solo", "1.0.0"}} {
		if n := len(about(got, k.pkg, k.version)); n != 1 {
			t.Errorf("%d fedwasm:warning events about %s %s, want exactly 1 (all: %d)", n, k.pkg, k.version, len(got))
		}
		ws := about(e.inspectWarnings(), k.pkg, k.version)
		if len(ws) != 1 {
			t.Errorf("%d inspect().warnings about %s %s, want exactly 1", len(ws), k.pkg, k.version)
			continue
		}
		if code := str(ws[0], "code"); code != "SHARE_INVALID_ENTRY" {
			t.Errorf("warning code %q, want SHARE_INVALID_ENTRY", code)
		}
		if msg := str(ws[0], "message"); !strings.Contains(msg, "get") {
			t.Errorf("warning message %q does not say the get function is missing", msg)
		}
	}
	for _, w := range got {
		if code := str(w, "code"); code == "" {
			t.Errorf("warning without a code: %s", describe(w))
		}
	}
	if n := len(got); n != 3 {
		t.Errorf("%d fedwasm:warning events in all, want 3 (one per bad entry)", n)
	}
	if p := providerReport(e.shareReport("default", "react"), "18.3.1"); !p.IsUndefined() {
		t.Errorf("inspect() lists the ignored entry: %s", stringify(p))
	}
}

// A JS entry under a key that is not a version is ignored with a warning.
func TestShareScopeJSEntryInvalidVersionWarns(t *testing.T) {
	forEachShape(t, func(t *testing.T, mk entryMaker) {
		events := listen(t, "fedwasm:warning")
		e := newEnv(t)
		v17 := module("react17")
		notThrown(t, e.call("registerShared", obj("react", obj("version", "17.0.2", "lib", v17))))
		putEntry(e.scope(), "react", "not-a-version", mk(t, asyncGetFor(module("bad")), "legacy", false))
		putEntry(e.scope(), "solo", "not-a-version", mk(t, asyncGetFor(module("bad")), "legacy", false))
		for i := 0; i < 3; i++ {
			if got := resolves(t, e.call("loadShare", "react")); !same(got, v17) {
				t.Fatalf("loadShare(react) #%d = %s, want 17.0.2", i, describe(got))
			}
			rejects(t, e.call("loadShare", "solo"), "SHARE_NOT_FOUND")
		}
		got := drain(events)
		for _, pkg := range []string{"react", "solo"} {
			ws := about(got, pkg, "not-a-version")
			if len(ws) != 1 {
				t.Errorf("%d fedwasm:warning events about %s not-a-version, want 1 (all: %d)", len(ws), pkg, len(got))
				continue
			}
			checkCoded(t, ws[0], "SHARE_INVALID_VERSION")
			if msg := str(ws[0], "message"); !strings.Contains(msg, "not-a-version") {
				t.Errorf("warning message %q does not name the bad version", msg)
			}
		}
		if n := len(about(e.inspectWarnings(), "react", "not-a-version")); n != 1 {
			t.Errorf("%d inspect().warnings about react not-a-version, want 1", n)
		}
		if p := providerReport(e.shareReport("default", "react"), "not-a-version"); !p.IsUndefined() {
			t.Errorf("inspect() lists the ignored entry: %s", stringify(p))
		}
	})
}

// JS replacing the entry object fedwasm wrote (same version key, new object)
// makes fedwasm use the new entry.
func TestShareScopeJSReplacesFedwasmEntry(t *testing.T) {
	forEachShape(t, func(t *testing.T, mk entryMaker) {
		e := newEnv(t)
		mine, theirs := module("mine"), module("theirs")
		notThrown(t, e.call("registerShared", obj("react", obj("version", "18.3.1", "get", resolvedWith(mine), "from", "remote-a"))))
		old := e.entryOf("default", "react", "18.3.1")
		replacement := mk(t, asyncGetFor(theirs), "legacy", false)
		e.scope().Get("react").Set("18.3.1", replacement)

		if got := resolves(t, e.call("loadShare", "react")); !same(got, theirs) {
			t.Fatalf("loadShare(react) = %s, want the replacing entry's module", describe(got))
		}
		if !isLoadedMark(replacement.Get("loaded")) {
			t.Errorf("replacing entry.loaded = %s after fedwasm loaded it, want 1", describe(replacement.Get("loaded")))
		}
		if isLoadedMark(old.Get("loaded")) {
			t.Errorf("the replaced entry was marked loaded")
		}
		if got := e.scope().Get("react").Get("18.3.1"); !same(got, replacement) {
			t.Errorf("fedwasm put its own entry back over the JS one: %s", stringify(got))
		}
		report := e.shareReport("default", "react")
		if p := providerReport(report, "18.3.1"); str(p, "from") != "legacy" {
			t.Errorf("inspect() react providers = %s, want 18.3.1 from legacy", stringify(report))
		}
		if n := report.Get("providers").Length(); n != 1 {
			t.Errorf("inspect() lists %d react providers, want 1 (the replaced entry is gone)", n)
		}
	})
}

// registerShared against an entry JS wrote for the same version follows
// webpack's register rule: a loaded entry stays; otherwise eager wins, then
// the larger from.
func TestShareScopeRegisterSharedAgainstJSEntry(t *testing.T) {
	forEachShape(t, func(t *testing.T, mk entryMaker) {
		tests := []struct {
			name    string
			entry   func(t *testing.T, m js.Value) js.Value
			args    func(m js.Value) js.Value
			fedwins bool
		}{
			{"larger from wins", func(t *testing.T, m js.Value) js.Value { return mk(t, asyncGetFor(m), "legacy", false) },
				func(m js.Value) js.Value { return obj("version", "18.3.1", "lib", m, "from", "zzz") }, true},
			{"smaller from loses", func(t *testing.T, m js.Value) js.Value { return mk(t, asyncGetFor(m), "legacy", false) },
				func(m js.Value) js.Value { return obj("version", "18.3.1", "lib", m, "from", "aaa") }, false},
			{"eager wins over a larger from", func(t *testing.T, m js.Value) js.Value { return mk(t, syncGetFor(m), "aaa", true) },
				func(m js.Value) js.Value { return obj("version", "18.3.1", "lib", m, "from", "zzz") }, false},
			{"loaded entry stays", func(t *testing.T, m js.Value) js.Value {
				en := mk(t, asyncGetFor(m), "legacy", false)
				en.Set("loaded", 1)
				return en
			}, func(m js.Value) js.Value {
				return obj("version", "18.3.1", "lib", m, "from", "zzz", "shareConfig", obj("eager", true))
			}, false},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				e := newEnv(t)
				js1, fed := module("js"), module("fedwasm")
				entry := tc.entry(t, js1)
				putEntry(e.scope(), "react", "18.3.1", entry)
				notThrown(t, e.call("registerShared", obj("react", tc.args(fed))))
				want, live := js1, e.scope().Get("react").Get("18.3.1")
				if tc.fedwins {
					want = fed
					if same(live, entry) {
						t.Errorf("the live entry is still the JS one, want fedwasm's")
					}
				} else if !same(live, entry) {
					t.Errorf("fedwasm replaced the JS entry: %s", stringify(live))
				}
				if got := resolves(t, e.call("loadShare", "react")); !same(got, want) {
					t.Fatalf("loadShare(react) = %s, want %s", str(got, "name"), str(want, "name"))
				}
			})
		}
	})
}

// entry.loaded = 1 set by a JS consumer counts as loaded: a singleton stays
// with it even when a higher version is registered later.
func TestShareScopeJSLoadedMarkKeepsSingleton(t *testing.T) {
	// The first consumer gets the loaded entry; once handed out, it is the
	// singleton instance every later consumer gets.
	check := func(t *testing.T, e *env, want js.Value, version string) {
		t.Helper()
		for _, c := range [][2]string{{"host", "already-loaded"}, {"cart", "in-use"}} {
			from, rule := c[0], c[1]
			got := resolves(t, e.call("loadShare", "react", obj("from", from, "singleton", true)))
			if !same(got, want) {
				t.Fatalf("loadShare(react) from %s = %s, want %s (loaded by JS)", from, str(got, "name"), str(want, "name"))
			}
			c := consumerReport(e.shareReport("default", "react"), from)
			if str(c, "rule") != rule || str(c, "got") != version {
				t.Errorf("inspect() consumer %s = %s, want got %s by rule %s", from, stringify(c), version, rule)
			}
		}
	}

	t.Run("entry fedwasm wrote", func(t *testing.T) {
		e := newEnv(t)
		m18, m19 := module("react18"), module("react19")
		notThrown(t, e.call("registerShared", obj("react", obj("version", "18.3.1", "get", resolvedWith(m18),
			"shareConfig", obj("singleton", true)))))
		e.entryOf("default", "react", "18.3.1").Set("loaded", 1)
		notThrown(t, e.call("registerShared", obj("react", obj("version", "19.1.0", "get", resolvedWith(m19),
			"from", "remote-b", "shareConfig", obj("singleton", true)))))
		check(t, e, m18, "18.3.1")
	})

	forEachShape(t, func(t *testing.T, mk entryMaker) {
		t.Run("entry JS wrote, marked later", func(t *testing.T) {
			e := newEnv(t)
			m17, m18, m19 := module("react17"), module("react18"), module("react19")
			entry := mk(t, asyncGetFor(m18), "legacy", false)
			putEntry(e.scope(), "react", "18.3.1", entry)
			// fedwasm adopts it (unloaded) while registering 17.
			notThrown(t, e.call("registerShared", obj("react", obj("version", "17.0.2", "get", resolvedWith(m17)))))
			if p := providerReport(e.shareReport("default", "react"), "18.3.1"); str(p, "from") != "legacy" {
				t.Fatalf("the JS entry was not adopted: %s", stringify(e.shareReport("default", "react")))
			}
			entry.Set("loaded", 1)
			notThrown(t, e.call("registerShared", obj("react", obj("version", "19.1.0", "get", resolvedWith(m19), "from", "remote-b"))))
			check(t, e, m18, "18.3.1")
		})

		t.Run("entry JS wrote loaded", func(t *testing.T) {
			e := newEnv(t)
			m18, m19 := module("react18"), module("react19")
			entry := mk(t, asyncGetFor(m18), "legacy", false)
			entry.Set("loaded", 1)
			putEntry(e.scope(), "react", "18.3.1", entry)
			notThrown(t, e.call("registerShared", obj("react", obj("version", "19.1.0", "get", resolvedWith(m19), "from", "remote-b"))))
			check(t, e, m18, "18.3.1")
		})

		t.Run("without the mark the higher version wins", func(t *testing.T) {
			e := newEnv(t)
			m18, m19 := module("react18"), module("react19")
			putEntry(e.scope(), "react", "18.3.1", mk(t, asyncGetFor(m18), "legacy", false))
			notThrown(t, e.call("registerShared", obj("react", obj("version", "19.1.0", "get", resolvedWith(m19), "from", "remote-b"))))
			if got := resolves(t, e.call("loadShare", "react", obj("singleton", true))); !same(got, m19) {
				t.Fatalf("loadShare(react) = %s, want react19 (nothing loaded: the highest)", str(got, "name"))
			}
		})
	})
}

// A package named __proto__ must not write into Object.prototype: the scope
// objects are plain objects, whose "__proto__" is Object.prototype.
func TestShareScopeProtoPackageDoesNotPollute(t *testing.T) {
	proto := js.Global().Get("Object").Get("prototype")
	reflect := js.Global().Get("Reflect")
	t.Cleanup(func() { reflect.Call("deleteProperty", proto, "1.0.0") })
	e := newEnv(t)
	lib := module("proto")
	// JSON.parse makes "__proto__" an own key, as a config file or a remote's data would.
	shared := js.Global().Get("JSON").Call("parse", `{"__proto__": {"version": "1.0.0"}}`)
	shared.Get("__proto__").Set("lib", lib) // the own property, not the prototype
	notThrown(t, e.call("registerShared", shared))
	if js.Global().Get("Object").Call("hasOwn", proto, "1.0.0").Bool() {
		t.Fatalf("registerShared({__proto__: ...}) wrote Object.prototype[\"1.0.0\"]: every object now has it")
	}
	if got := resolves(t, e.call("loadShare", "__proto__")); !same(got, lib) {
		t.Fatalf("loadShare(__proto__) = %s, want the lib", describe(got))
	}
}

// MF 2.0 runtimes record who took an entry in its useIn list (an MF runtime
// that finds the entry's lib set takes it without calling get); inspect()
// lists those consumers, by remote name where the container is known.
func TestShareScopeUseInIsReported(t *testing.T) {
	e := newEnv(t)
	notThrown(t, e.call("registerRemotes", js.Global().Get("JSON").Call("parse",
		`[{"name":"recs","entry":"http://127.0.0.1:1/recs/remoteEntry.js","type":"var","entryGlobalName":"mf_recs"}]`)))
	notThrown(t, e.call("registerShared", obj("react", obj("version", "19.1.0", "lib", module("react"),
		"shareConfig", obj("singleton", true)))))
	useIn := js.Global().Get("Array").New()
	useIn.Call("push", "mf_recs", "unknown_container", 42)
	e.entryOf("default", "react", "19.1.0").Set("useIn", useIn)
	report := e.shareReport("default", "react")
	for _, from := range []string{"recs", "unknown_container"} {
		c := consumerReport(report, from)
		if str(c, "rule") != "taken-from-scope" || str(c, "got") != "19.1.0" {
			t.Errorf("consumer %s = %s, want got 19.1.0 by rule taken-from-scope", from, stringify(c))
		}
	}
	if p := providerReport(report, "19.1.0"); !p.Get("inUse").Truthy() {
		t.Errorf("provider = %s, want inUse: a singleton consumer took it", stringify(p))
	}
}
