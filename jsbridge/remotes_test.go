//go:build js && wasm

package jsbridge

import (
	"github.com/fedwasm/fedwasm/jsbridge/internal/jsutil"
	"strings"
	"syscall/js"
	"testing"

	"github.com/fedwasm/fedwasm/federation"
)

// importer is a host importModule hook made with js.FuncOf: it records the
// URLs it is asked for and answers with next(url).
type importer struct {
	urls []string
	fn   js.Func
}

func newImporter(t *testing.T, next func(url string) js.Value) *importer {
	im := &importer{}
	im.fn = funcOf(t, func(_ js.Value, a []js.Value) any {
		url := jsutil.Arg(a, 0).String()
		im.urls = append(im.urls, url)
		return next(url)
	})
	return im
}

func (im *importer) hooks() js.Value { return obj("importModule", im.fn) }

// remoteReport returns inspect().remotes' entry for name, or undefined.
func (e *env) remoteReport(name string) js.Value {
	e.t.Helper()
	remotes := e.inspect().Get("remotes")
	for i := 0; i < remotes.Length(); i++ {
		if str(remotes.Index(i), "name") == name {
			return remotes.Index(i)
		}
	}
	return js.Undefined()
}

const appEntry = "http://127.0.0.1:8082/app.js"

// registerApp registers an ES-module remote "app" (alias "shop").
func (e *env) registerApp() {
	e.t.Helper()
	notThrown(e.t, e.call("registerRemotes", arr(obj("name", "app", "entry", appEntry, "type", "esm", "alias", "shop"))))
}

func TestLoadRemoteErrors(t *testing.T) {
	tests := []struct {
		name     string
		remotes  js.Value
		id       any
		code     string
		checkKey string // a details key that must hold want
		want     string
	}{
		{"unknown id", arr(obj("name", "app", "entry", appEntry, "type", "esm")), "cart", "REMOTE_UNKNOWN", "id", "cart"},
		{"unknown with nothing registered", arr(), "cart/Cart", "REMOTE_UNKNOWN", "id", "cart/Cart"},
		{"name prefix is not a match", arr(obj("name", "app", "entry", appEntry, "type", "esm")), "apple", "REMOTE_UNKNOWN", "id", "apple"},
		// Nothing listens on these ports: every attempt fails, the error names the type.
		{"var remote that is down", arr(obj("name", "legacy", "entry", "http://127.0.0.1:9/remoteEntry.js")), "legacy", "REMOTE_LOAD_FAILED", "type", "var"},
		{"explicit var remote that is down", arr(obj("name", "legacy", "entry", "http://127.0.0.1:9/remoteEntry.js", "type", "var")), "legacy/Button", "REMOTE_LOAD_FAILED", "remote", "legacy"},
		{"manifest remote that is down", arr(obj("name", "cart", "entry", "http://127.0.0.1:9/mf-manifest.json")), "cart", "REMOTE_LOAD_FAILED", "remote", "cart"},
		{"no loader import", arr(obj("name", "app", "entry", appEntry, "type", "esm")), "app", "REMOTE_LOAD_FAILED", "remote", "app"},
		{"number id", arr(), 5, "INVALID_ARGUMENT", "call", "loadRemote"},
		{"empty id", arr(), "", "INVALID_ARGUMENT", "call", "loadRemote"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			notThrown(t, e.call("registerRemotes", tc.remotes))
			err := rejects(t, e.call("loadRemote", tc.id), tc.code)
			if got := str(err, "details", tc.checkKey); got != tc.want {
				t.Errorf("details.%s = %q, want %q (details: %s)", tc.checkKey, got, tc.want, stringify(err.Get("details")))
			}
			if tc.code == "REMOTE_UNKNOWN" && err.Get("details").Get("known").Type() != js.TypeObject {
				t.Errorf("details.known = %s, want the list of known remotes", stringify(err.Get("details")))
			}
			if tc.name == "no loader import" && !strings.Contains(str(err, "details", "cause"), "IMPORT_UNAVAILABLE") {
				t.Errorf("details.cause = %q, want IMPORT_UNAVAILABLE", str(err, "details", "cause"))
			}
		})
	}
	t.Run("no arguments", func(t *testing.T) {
		e := newEnv(t)
		rejects(t, e.call("loadRemote"), "INVALID_ARGUMENT")
	})
}

// With the loader's importModule, an ES-module remote is imported from its
// entry and its module object is the remote; by name or alias.
func TestLoadRemoteImportsModule(t *testing.T) {
	app := module("app")
	im := newImporter(t, func(string) js.Value { return js.Global().Get("Promise").Call("resolve", app) })
	e := newEnvWithHooks(t, im.hooks())
	e.registerApp()
	if got := str(e.remoteReport("app"), "state"); got != "registered" {
		t.Errorf("state before loadRemote = %q, want registered", got)
	}
	if len(im.urls) != 0 {
		t.Fatalf("registerRemotes fetched %q; a remote no one asked for is never fetched", im.urls)
	}
	for _, id := range []string{"app", "shop", "app"} {
		if got := resolves(t, e.call("loadRemote", id)); !same(got, app) {
			t.Fatalf("loadRemote(%q) = %s, want the imported module", id, describe(got))
		}
	}
	if len(im.urls) != 1 || im.urls[0] != appEntry {
		t.Fatalf("importModule calls = %q, want one for %s", im.urls, appEntry)
	}
	rep := e.remoteReport("app")
	if str(rep, "state") != "loaded" || rep.Get("requests").Int() != 3 {
		t.Errorf("inspect() remote report = %s, want loaded with 3 requests", stringify(rep))
	}
	err := rejects(t, e.call("loadRemote", "app/Thing"), "REMOTE_EXPOSE_MISSING")
	if str(err, "details", "expose") != "./Thing" || str(err, "details", "remote") != "app" {
		t.Errorf("details = %s, want remote app, expose ./Thing", stringify(err.Get("details")))
	}
	rejects(t, e.call("loadRemote", "shop/Thing"), "REMOTE_EXPOSE_MISSING")
	if len(im.urls) != 1 {
		t.Errorf("importModule called %d times, want 1", len(im.urls))
	}
}

// Concurrent loadRemote calls share one import.
func TestLoadRemoteConcurrentImportOnce(t *testing.T) {
	app := module("app")
	pending := js.Global().Get("Promise").Call("withResolvers")
	im := newImporter(t, func(string) js.Value { return pending.Get("promise") })
	e := newEnvWithHooks(t, im.hooks())
	e.registerApp()
	ids := []string{"app", "shop", "app", "app", "shop", "app", "app", "app"}
	promises := make([]js.Value, len(ids))
	for i, id := range ids {
		promises[i] = e.call("loadRemote", id)
	}
	waitFor(t, "importModule to be called", func() bool { return len(im.urls) > 0 })
	if got := str(e.remoteReport("app"), "state"); got != "loading" {
		t.Errorf("state while importing = %q, want loading", got)
	}
	pending.Call("resolve", app)
	for i, p := range promises {
		if got := resolves(t, p); !same(got, app) {
			t.Fatalf("call %d (%s) = %s, want the module", i, ids[i], describe(got))
		}
	}
	if len(im.urls) != 1 {
		t.Fatalf("importModule called %d times for %d concurrent loadRemote calls, want 1", len(im.urls), len(ids))
	}
}

// A failed import rejects with REMOTE_LOAD_FAILED (details.urls, cause), is
// not cached, and a later call imports again.
func TestLoadRemoteFailureThenRetry(t *testing.T) {
	app := module("app")
	promise := js.Global().Get("Promise")
	calls := 0
	// The default policy makes 3 attempts (1 + 2 retries); all of the first
	// call's fail, the next call's first attempt works.
	im := newImporter(t, func(url string) js.Value {
		calls++
		if calls <= 3 {
			return promise.Call("reject", js.Global().Get("TypeError").New("Failed to fetch dynamically imported module: "+url))
		}
		return promise.Call("resolve", app)
	})
	e := newEnvWithHooks(t, im.hooks())
	e.registerApp()

	err := rejects(t, e.call("loadRemote", "app"), "REMOTE_LOAD_FAILED")
	urls := err.Get("details").Get("urls")
	want := []string{appEntry, appEntry + "?fedwasm-retry=1", appEntry + "?fedwasm-retry=2"}
	if urls.Type() != js.TypeObject || urls.Length() != len(want) {
		t.Fatalf("details.urls = %s, want %q (retries of an ES module bust the cache)", stringify(urls), want)
	}
	for i, w := range want {
		if urls.Index(i).String() != w {
			t.Errorf("details.urls[%d] = %q, want %q", i, urls.Index(i).String(), w)
		}
	}
	if got := str(err, "details", "cause"); !strings.Contains(got, "Failed to fetch") {
		t.Errorf("details.cause = %q, want the import's error", got)
	}
	if got := str(err, "details", "remote"); got != "app" {
		t.Errorf("details.remote = %q, want app", got)
	}
	rep := e.remoteReport("app")
	if str(rep, "state") != "failed" || str(rep, "error", "code") != "REMOTE_LOAD_FAILED" {
		t.Errorf("inspect() remote report after the failure = %s, want failed with REMOTE_LOAD_FAILED", stringify(rep))
	}

	if got := resolves(t, e.call("loadRemote", "app")); !same(got, app) {
		t.Fatalf("retry = %s, want the module", describe(got))
	}
	if calls != 4 {
		t.Errorf("importModule called %d times, want 4 (the failure is not cached)", calls)
	}
	if rep := e.remoteReport("app"); str(rep, "state") != "loaded" || rep.Get("error").Type() == js.TypeObject {
		t.Errorf("inspect() remote report after the retry = %s, want loaded without error", stringify(rep))
	}
}

// A transient failure is healed by a retry within the same loadRemote.
func TestLoadRemoteTransientFailureHealedByRetry(t *testing.T) {
	app := module("app")
	promise := js.Global().Get("Promise")
	calls := 0
	im := newImporter(t, func(url string) js.Value {
		calls++
		if calls == 1 {
			return promise.Call("reject", js.Global().Get("TypeError").New("Failed to fetch dynamically imported module: "+url))
		}
		return promise.Call("resolve", app)
	})
	e := newEnvWithHooks(t, im.hooks())
	e.registerApp()
	if got := resolves(t, e.call("loadRemote", "app")); !same(got, app) {
		t.Fatalf("loadRemote = %s, want the module after one retry", describe(got))
	}
	if len(im.urls) != 2 || im.urls[1] != appEntry+"?fedwasm-retry=1" {
		t.Errorf("imports = %q, want the entry then the cache-busted retry", im.urls)
	}
}

// An importModule hook that throws synchronously is a REMOTE_LOAD_FAILED too.
func TestLoadRemoteImportThrows(t *testing.T) {
	// JSON.parse as importModule: called with the URL, it throws a SyntaxError.
	e := newEnvWithHooks(t, obj("importModule", js.Global().Get("JSON").Get("parse")))
	e.registerApp()
	err := rejects(t, e.call("loadRemote", "app"), "REMOTE_LOAD_FAILED")
	if got := str(err, "details", "cause"); !strings.Contains(got, "JS_EXCEPTION") {
		t.Errorf("details.cause = %q, want the JS exception", got)
	}
	rejects(t, e.call("loadRemote", "app"), "REMOTE_LOAD_FAILED")
	rejects(t, e.call("loadRemote", "nope"), "REMOTE_UNKNOWN")
}

// With a host publish hook, Publish hands the raw API to the loader instead
// of setting window.fedwasm itself.
func TestPublishHook(t *testing.T) {
	var published []js.Value
	publish := funcOf(t, func(_ js.Value, a []js.Value) any {
		published = append(published, jsutil.Arg(a, 0))
		return nil
	})
	g := js.Global()
	g.Delete("fedwasm")
	g.Set(HostHooksGlobal, obj("publish", publish))
	t.Cleanup(func() { g.Delete(HostHooksGlobal) })
	t.Cleanup(Publish(federation.New("test")).Retire)
	if g.Get("fedwasm").Type() != js.TypeUndefined {
		t.Error("Publish set window.fedwasm although the loader's publish hook was given")
	}
	if len(published) != 1 {
		t.Fatalf("publish hook called %d times, want 1", len(published))
	}
	api := published[0]
	for _, name := range []string{"init", "registerShared", "loadShare", "registerRemotes", "loadRemote", "inspect"} {
		if api.Get(name).Type() != js.TypeFunction {
			t.Errorf("api.%s is %s, want a function", name, api.Get(name).Type())
		}
	}
	if api.Get("stores").Get("get").Type() != js.TypeFunction || api.Get("stores").Get("provide").Type() != js.TypeFunction {
		t.Error("api.stores.get / provide are not functions")
	}
	if api.Get("ready").Get("then").Type() != js.TypeFunction {
		t.Error("api.ready is not a Promise")
	}
	// No importModule hook: an ES-module remote reports IMPORT_UNAVAILABLE.
	notThrown(t, api.Call("registerRemotes", arr(obj("name", "app", "entry", appEntry, "type", "esm"))))
	err := rejects(t, api.Call("loadRemote", "app"), "REMOTE_LOAD_FAILED")
	if got := str(err, "details", "cause"); !strings.Contains(got, "IMPORT_UNAVAILABLE") {
		t.Errorf("details.cause = %q", got)
	}
}

// registerRemotes: bad arguments are coded errors; a name already registered
// is kept unless force is set.
func TestRegisterRemotes(t *testing.T) {
	bad := []struct {
		name string
		args []any
		code string
	}{
		{"no arguments", nil, "INVALID_ARGUMENT"},
		{"a string", []any{"app"}, "INVALID_ARGUMENT"},
		{"an object", []any{obj("name", "app")}, "INVALID_ARGUMENT"},
		{"string options", []any{arr(), "force"}, "INVALID_ARGUMENT"},
		{"force a string", []any{arr(), obj("force", "yes")}, "INVALID_ARGUMENT"},
		{"missing entry", []any{arr(obj("name", "app"))}, "INVALID_ARGUMENT"},
		{"bad type", []any{arr(obj("name", "app", "entry", appEntry, "type", "amd"))}, "INVALID_ARGUMENT"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			thrown(t, e.call("registerRemotes", tc.args...), tc.code)
			rejects(t, e.call("loadRemote", "app"), "REMOTE_UNKNOWN")
		})
	}
	t.Run("alias overlap", func(t *testing.T) {
		e := newEnv(t)
		e.registerApp()
		err := thrown(t, e.call("registerRemotes", arr(obj("name", "other", "entry", appEntry, "type", "esm", "alias", "sho"))), "REMOTE_INVALID")
		if got := str(err, "details", "conflictsWith"); got != "app" {
			t.Errorf("details.conflictsWith = %q, want app", got)
		}
	})
	t.Run("force", func(t *testing.T) {
		e := newEnv(t)
		e.registerApp()
		notThrown(t, e.call("registerRemotes", arr(obj("name", "app", "entry", "http://127.0.0.1:9999/v2.js", "type", "esm"))))
		if got := str(e.remoteReport("app"), "entry"); got != appEntry {
			t.Errorf("without force the entry became %q, want it kept", got)
		}
		notThrown(t, e.call("registerRemotes", arr(obj("name", "app", "entry", "http://127.0.0.1:9999/v2.js", "type", "esm")), obj("force", true)))
		if got := str(e.remoteReport("app"), "entry"); got != "http://127.0.0.1:9999/v2.js" {
			t.Errorf("with force the entry is %q, want the new one", got)
		}
	})
}

// registerRemotes({force: true}) after a remote loaded replaces it: the next
// loadRemote imports the new entry.
func TestRegisterRemotesForceReplacesLoadedRemote(t *testing.T) {
	v1, v2 := module("v1"), module("v2")
	im := newImporter(t, func(url string) js.Value {
		if strings.HasSuffix(url, "v2.js") {
			return js.Global().Get("Promise").Call("resolve", v2)
		}
		return js.Global().Get("Promise").Call("resolve", v1)
	})
	e := newEnvWithHooks(t, im.hooks())
	e.registerApp()
	if got := resolves(t, e.call("loadRemote", "app")); !same(got, v1) {
		t.Fatalf("first load = %s", describe(got))
	}
	notThrown(t, e.call("registerRemotes", arr(obj("name", "app", "entry", "http://127.0.0.1:9999/v2.js", "type", "esm")), obj("force", true)))
	if got := resolves(t, e.call("loadRemote", "app")); !same(got, v2) {
		t.Fatalf("after force: loadRemote = %s, want the new entry's module (imports: %q)", str(got, "name"), im.urls)
	}
}
