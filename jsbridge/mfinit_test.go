//go:build js && wasm

package jsbridge

import (
	"syscall/js"
	"testing"

	"github.com/fedwasm/fedwasm/jsbridge/internal/jsutil"
)

// init called with an object keeps what JSON cannot carry: a share's get, a
// lib module (never walked: this one is cyclic), MF 2.0's lib: () => module
// (called once, for the module), and plugins (registered as fedwasm.use
// registers them). The rest is decoded as the config file is: no warning for
// the keys taken aside.
func TestInitKeepsFunctions(t *testing.T) {
	e := newEnv(t)
	a, b, c, d1 := module("a"), module("b"), module("c"), module("d1")
	b.Set("self", b)
	gets, libCalls := 0, 0
	get := funcOf(t, func(js.Value, []js.Value) any { gets++; return a })
	lib := funcOf(t, func(js.Value, []js.Value) any { libCalls++; return c })
	fallback := module("fallback")
	plugin := obj("name", "mf-fallback", "errorLoadRemote", resolvedWith(fallback))
	config := obj("name", "shell",
		"shared", obj(
			"a", obj("version", "1.0.0", "get", get),
			"b", obj("version", "1.0.0", "lib", b, "shareConfig", obj("singleton", true)),
			"c", obj("version", "2.0.0", "lib", lib),
			"d", arr(obj("version", "1.0.0", "lib", d1), obj("version", "2.0.0", "get", js.Null(), "lib", js.Null()))),
		"plugins", arr(plugin))
	resolves(t, e.call("init", config))
	if w := e.inspect().Get("warnings"); w.Length() != 0 {
		t.Errorf("inspect().warnings = %s, want none", stringify(w))
	}
	for _, tc := range []struct {
		pkg  string
		opts js.Value
		want js.Value
	}{
		{"a", js.Undefined(), a},
		{"b", js.Undefined(), b},
		{"c", js.Undefined(), c},
		{"c", js.Undefined(), c},
		{"d", obj("requiredVersion", "^1.0.0"), d1},
	} {
		if got := resolves(t, e.call("loadShare", tc.pkg, tc.opts)); !same(got, tc.want) {
			t.Errorf("loadShare(%q) = %s, want %s", tc.pkg, describe(got), describe(tc.want))
		}
	}
	if gets != 1 || libCalls != 1 {
		t.Errorf("get called %d times and lib %d times, want once each", gets, libCalls)
	}
	if got := notThrown(t, e.call("loadShareSync", "c")); !same(got, c) {
		t.Errorf("loadShareSync(c) = %s, want lib()'s module", describe(got))
	}
	// The live scope's entry for c gives a factory of lib()'s module.
	entry := e.call("shareScope", "default").Get("c").Get("2.0.0")
	if f := entry.Call("get"); f.Type() != js.TypeFunction || !same(f.Invoke(), c) {
		t.Errorf("shareScope().c['2.0.0'].get() = %s, want a factory of lib()'s module", describe(f))
	}
	if libCalls != 1 {
		t.Errorf("lib called %d times, want once", libCalls)
	}
	// The plugin's errorLoadRemote answers a load that fails.
	if got := resolves(t, e.call("loadRemote", "nobody/Thing")); !same(got, fallback) {
		t.Errorf("loadRemote of an unknown remote = %s, want the plugin's fallback", describe(got))
	}
}

// What init takes aside is checked before the config is applied: a get
// that is not a function and plugins fedwasm.use would refuse are
// CONFIG_INVALID naming the field, and ready stays pending.
func TestInitFunctionsInvalid(t *testing.T) {
	tests := []struct {
		name   string
		config js.Value
		field  string
	}{
		{"get a string", obj("name", "shell", "shared", obj("a", obj("version", "1.0.0", "get", "/a.js"))), "shared.a[0].get"},
		{"get in a list", obj("name", "shell", "shared", obj("a", arr(obj("version", "1.0.0"), obj("version", "2.0.0", "get", 5)))), "shared.a[1].get"},
		{"plugins an object", obj("name", "shell", "plugins", obj("name", "p")), "plugins"},
		{"plugin without a name", obj("name", "shell", "plugins", arr(obj("name", "p"), obj("onLoad", resolvedWith(js.Null())))), "plugins[1]"},
		{"plugin hook not a function", obj("name", "shell", "plugins", arr(obj("name", "p", "onLoad", "x"))), "plugins[0]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			err := rejects(t, e.call("init", tc.config), "CONFIG_INVALID")
			if got := str(err, "details", "field"); got != tc.field {
				t.Errorf("details.field = %q, want %q", got, tc.field)
			}
			if state(t, e.api.Get("ready")) != "pending" {
				t.Error("ready settled after a refused config")
			}
		})
	}
}

// registerShared takes MF 2.0's lib: () => module too, and calls it once.
func TestRegisterSharedLibFunction(t *testing.T) {
	e := newEnv(t)
	resolves(t, e.call("init", obj("name", "shell")))
	m, calls := module("x"), 0
	lib := funcOf(t, func(js.Value, []js.Value) any { calls++; return m })
	notThrown(t, e.call("registerShared", obj("x", obj("version", "1.0.0", "lib", lib))))
	for range 2 {
		if got := resolves(t, e.call("loadShare", "x")); !same(got, m) {
			t.Fatalf("loadShare(x) = %s, want lib()'s module", describe(got))
		}
	}
	if calls != 1 {
		t.Errorf("lib called %d times, want once", calls)
	}
}

// registerRemotes takes MF 2.0's shapes as the config does: type 'global'
// is var, a shareScope list of one is that scope; an unknown key is a
// CONFIG_UNKNOWN_KEY warning with the key likely meant, and a list of
// several scopes or a { name, version } remote is INVALID_ARGUMENT naming the
// field.
func TestRegisterRemotesMFShapes(t *testing.T) {
	events := listen(t, "fedwasm:warning")
	e := newEnv(t)
	notThrown(t, e.call("registerRemotes", arr(
		obj("name", "cart", "entry", "http://127.0.0.1:9/remoteEntry.js", "type", "global", "shareScope", arr("legacy")),
		obj("name", "shop", "entry", "http://127.0.0.1:9/shop.js", "sharedScope", "x"))))
	remotes := e.inspect().Get("remotes")
	if remotes.Length() != 2 || str(remotes.Index(0), "type") != "var" || str(remotes.Index(0), "shareScope") != "legacy" {
		t.Errorf("inspect().remotes = %s, want cart as var in scope legacy", stringify(remotes))
	}
	select {
	case detail := <-events:
		checkCoded(t, detail, "CONFIG_UNKNOWN_KEY")
		if str(detail, "details", "field") != "[1].sharedScope" || str(detail, "details", "suggestion") != "shareScope" {
			t.Errorf("warning details = %s, want [1].sharedScope suggesting shareScope", stringify(detail.Get("details")))
		}
	default:
		t.Fatal("no fedwasm:warning for an unknown remote key")
	}
	for _, tc := range []struct {
		remote js.Value
		field  string
	}{
		{obj("name", "a", "entry", "http://127.0.0.1:9/a.js", "shareScope", arr("default", "other")), "[0].shareScope"},
		{obj("name", "b", "version", "1.2.0"), "[0].entry"},
	} {
		err := thrown(t, e.call("registerRemotes", arr(tc.remote)), "INVALID_ARGUMENT")
		if got := str(err, "details", "field"); got != tc.field {
			t.Errorf("details.field = %q, want %q (%s)", got, tc.field, jsutil.Message(err))
		}
	}
}

// registerShared warns of an unknown key in an entry or its shareConfig,
// with the key likely meant; get and lib are known keys there.
func TestRegisterSharedUnknownKeyWarns(t *testing.T) {
	events := listen(t, "fedwasm:warning")
	e := newEnv(t)
	notThrown(t, e.call("registerShared", obj("x", obj("version", "1.0.0", "lib", module("x"), "get", resolvedWith(module("x")),
		"shareConfig", obj("singelton", true)))))
	select {
	case detail := <-events:
		checkCoded(t, detail, "CONFIG_UNKNOWN_KEY")
		if str(detail, "details", "field") != "shared.x[0].shareConfig.singelton" || str(detail, "details", "suggestion") != "singleton" {
			t.Errorf("warning details = %s", stringify(detail.Get("details")))
		}
	default:
		t.Fatal("no fedwasm:warning for an unknown shareConfig key")
	}
	select {
	case detail := <-events:
		t.Errorf("a second warning: %s", stringify(detail))
	default:
	}
	// A refused entry still warns: the key may be why.
	thrown(t, e.call("registerShared", obj("y", obj("verison", "1.0.0", "lib", module("y")))), "INVALID_ARGUMENT")
	select {
	case detail := <-events:
		if str(detail, "details", "suggestion") != "version" {
			t.Errorf("warning details = %s, want the suggestion version", stringify(detail.Get("details")))
		}
	default:
		t.Fatal("a refused entry with an unknown key dispatched no warning")
	}
}
