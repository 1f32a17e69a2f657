//go:build js && wasm

package jsbridge

import (
	"github.com/fedwasm/fedwasm/jsbridge/internal/jsutil"
	"syscall/js"
	"testing"
)

// state reports whether p is "pending", "fulfilled" or "rejected", by racing
// it against an already-resolved marker (a settled p wins the race).
func state(t *testing.T, p js.Value) string {
	t.Helper()
	marker := obj()
	s := settle(t, js.Global().Get("Promise").Call("race", arr(p, marker)))
	switch {
	case !s.ok:
		return "rejected"
	case same(s.value, marker):
		return "pending"
	}
	return "fulfilled"
}

// A valid config resolves init and ready, and inspect() reports ready.
func TestInitValidConfig(t *testing.T) {
	e := newEnv(t)
	ready := e.api.Get("ready")
	if got := state(t, ready); got != "pending" {
		t.Fatalf("fedwasm.ready is %s before init, want pending", got)
	}
	if e.inspect().Get("ready").Bool() {
		t.Fatal("inspect().ready is true before init")
	}
	if got := str(e.api, "version"); got != "test" {
		t.Errorf("fedwasm.version = %q, want test", got)
	}

	config := obj("name", "shell", "shareStrategy", "loaded-first",
		"remotes", arr(obj("name", "cart", "entry", "http://127.0.0.1:8081/mf-manifest.json")),
		"ownership", obj("stores", obj("cart", "shell")))
	if got := resolves(t, e.call("init", config)); !got.IsUndefined() {
		t.Errorf("init resolved with %s, want undefined", describe(got))
	}
	resolves(t, ready)
	snap := e.inspect()
	if !snap.Get("ready").Bool() {
		t.Error("inspect().ready is false after init")
	}
	if got := str(snap, "name"); got != "shell" {
		t.Errorf("inspect().name = %q, want shell", got)
	}
	if got := str(snap, "shareStrategy"); got != "loaded-first" {
		t.Errorf("inspect().shareStrategy = %q, want loaded-first", got)
	}
	remotes := snap.Get("remotes")
	if remotes.Length() != 1 || str(remotes.Index(0), "name") != "cart" || str(remotes.Index(0), "state") != "registered" {
		t.Errorf("inspect().remotes = %s, want cart, registered (never fetched)", stringify(remotes))
	}
	// The page's top-level fedwasm now acts as the host for the stores the
	// config gives the host, and as "(page)" for the rest.
	notThrown(t, e.call("stores.provide", "cart", obj()))
	notThrown(t, e.call("stores.provide", "draft", obj()))
	if got := str(e.storeReport("cart"), "owner"); got != "shell" {
		t.Errorf("owner of the host's store = %q, want the config name shell", got)
	}
	if got := str(e.storeReport("draft"), "owner"); got != "(page)" {
		t.Errorf("owner of a store the config does not give the host = %q, want (page)", got)
	}
}

// init preloads the configured shared modules through the loader's
// importModule before ready, so loadShare afterwards needs no import.
func TestInitPreloadsConfiguredShares(t *testing.T) {
	react := module("react")
	var urls []string
	importModule := funcOf(t, func(_ js.Value, a []js.Value) any {
		urls = append(urls, jsutil.Arg(a, 0).String())
		return js.Global().Get("Promise").Call("resolve", react)
	})
	e := newEnvWithHooks(t, obj("importModule", importModule))
	config := obj("name", "shell", "shared", obj(
		"react", obj("version", "19.1.0", "import", "/vendor/react.js",
			"shareConfig", obj("singleton", true, "requiredVersion", "^19.0.0", "strictVersion", true))))
	resolves(t, e.call("init", config))
	resolves(t, e.api.Get("ready"))
	if len(urls) != 1 || urls[0] != "/vendor/react.js" {
		t.Fatalf("importModule calls = %q, want one for /vendor/react.js before ready", urls)
	}
	for _, from := range []string{"shell", "cart"} {
		if got := resolves(t, e.call("loadShare", "react", obj("from", from))); !same(got, react) {
			t.Fatalf("loadShare from %s = %s, want the preloaded module", from, describe(got))
		}
	}
	if len(urls) != 1 {
		t.Errorf("importModule called %d times, want 1", len(urls))
	}
	// The host's declared rules apply to consumers that declared none.
	rejects(t, e.call("loadShare", "react", obj("requiredVersion", "^18.0.0")), "SHARE_SINGLETON_MISMATCH")
}

// A configured share that cannot be preloaded is a warning: init still
// resolves, and the runtime keeps running.
func TestInitPreloadFailureWarns(t *testing.T) {
	// Here the panic happens in preloadConfiguredShares' bare goroutine: the
	// whole Go runtime exits, so this must stay skipped until the fix.
	e := newEnv(t) // no loader: importModule is unavailable
	resolves(t, e.call("init", obj("name", "shell", "shared", obj("react", obj("version", "19.1.0", "import", "/vendor/react.js")))))
	resolves(t, e.api.Get("ready"))
	warnings := e.inspect().Get("warnings")
	if warnings.Length() != 1 || str(warnings.Index(0), "code") != "SHARE_LOAD_FAILED" {
		t.Fatalf("inspect().warnings = %s, want one SHARE_LOAD_FAILED", stringify(warnings))
	}
}

// An unknown key in the config is a CONFIG_UNKNOWN_KEY warning, on the
// fedwasm:warning event and in inspect(), and init still resolves; given
// as text, as the loader hands over the config file, too. A config that
// is refused still warns: the key may be why.
func TestInitUnknownKeyWarns(t *testing.T) {
	for _, config := range []any{
		obj("name", "shell", "shared", obj("react", obj("version", "19.1.0", "sharedConfig", obj("singleton", true)))),
		`{"name":"shell","shared":{"react":{"version":"19.1.0","sharedConfig":{"singleton":true}}}}`,
	} {
		events := listen(t, "fedwasm:warning")
		e := newEnv(t)
		resolves(t, e.call("init", config))
		select {
		case detail := <-events:
			checkCoded(t, detail, "CONFIG_UNKNOWN_KEY")
			if got := str(detail, "details", "field"); got != "shared.react[0].sharedConfig" {
				t.Errorf("event detail.details.field = %q, want shared.react[0].sharedConfig", got)
			}
			if got := str(detail, "details", "suggestion"); got != "shareConfig" {
				t.Errorf("event detail.details.suggestion = %q, want shareConfig", got)
			}
		default:
			t.Fatal("no fedwasm:warning event was dispatched on window")
		}
		warnings := e.inspect().Get("warnings")
		if warnings.Length() != 1 || str(warnings.Index(0), "code") != "CONFIG_UNKNOWN_KEY" {
			t.Fatalf("inspect().warnings = %s, want one CONFIG_UNKNOWN_KEY", stringify(warnings))
		}
	}

	events := listen(t, "fedwasm:warning")
	e := newEnv(t)
	rejects(t, e.call("init", `{"name":"shell","shared":{"react":{"verison":"19.1.0"}}}`), "CONFIG_INVALID")
	select {
	case detail := <-events:
		if got := str(detail, "details", "suggestion"); got != "version" {
			t.Errorf("event detail.details.suggestion = %q, want version", got)
		}
	default:
		t.Fatal("a refused config with an unknown key dispatched no fedwasm:warning event")
	}
}

// Invalid configs reject with CONFIG_INVALID naming the field; ready is not
// resolved and inspect().ready stays false.
func TestInitInvalidConfig(t *testing.T) {
	tests := []struct {
		name   string
		config any
		field  string // "" when the error is about the shape, not a field
	}{
		{"missing name", obj(), "name"},
		{"null", js.Null(), "name"},
		{"empty name", obj("name", ""), "name"},
		{"bad shareStrategy", obj("name", "shell", "shareStrategy", "fastest"), "shareStrategy"},
		{"missing version", obj("name", "shell", "shared", obj("react", obj("import", "/r.js"))), "shared.react[0].version"},
		{"bad version", obj("name", "shell", "shared", obj("react", obj("version", "nineteen"))), "shared.react[0].version"},
		{"bad version in a list", obj("name", "shell", "shared", obj("react", arr(obj("version", "19.1.0"), obj("version", "1.x.y")))), "shared.react[1].version"},
		{"bad requiredVersion", obj("name", "shell", "shared", obj("react", obj("version", "19.1.0", "shareConfig", obj("requiredVersion", "^^1")))), "shared.react[0].shareConfig.requiredVersion"},
		{"remote without entry", obj("name", "shell", "remotes", arr(obj("name", "cart"))), "remotes[0].entry"},
		{"remote without name", obj("name", "shell", "remotes", arr(obj("entry", "http://x/e.js"))), "remotes[0].name"},
		{"remote bad type", obj("name", "shell", "remotes", arr(obj("name", "cart", "entry", "http://x/e.js", "type", "amd"))), "remotes[0].type"},
		{"duplicate remote", obj("name", "shell", "remotes", arr(obj("name", "cart", "entry", "a.js"), obj("name", "cart", "entry", "b.js"))), "remotes[1].name"},
		{"name a number", obj("name", 5), ""},
		{"a string", "shell", ""},
		{"undefined", js.Undefined(), ""},
		{"remotes a string", obj("name", "shell", "remotes", "cart@http://x/e.js"), "remotes"},
		{"remotes object form without a global", obj("name", "shell", "remotes", obj("cart", "http://x/e.js")), "remotes.cart"},
		{"remotes object form naming a version", obj("name", "shell", "remotes", obj("cart", "cart@1.2.3")), "remotes.cart"},
		{"remote entry global@ without a URL", obj("name", "shell", "remotes", arr(obj("name", "cart", "entry", "cart@"))), "remotes[0].entry"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			ready := e.api.Get("ready")
			err := rejects(t, e.call("init", tc.config), "CONFIG_INVALID")
			if tc.field != "" {
				if got := str(err, "details", "field"); got != tc.field {
					t.Errorf("details.field = %q, want %q (message: %s)", got, tc.field, jsutil.Message(err))
				}
			}
			if e.inspect().Get("ready").Bool() {
				t.Error("inspect().ready is true after a failed init")
			}
			if state(t, ready) == "fulfilled" {
				t.Error("fedwasm.ready resolved after a failed init")
			}
			// The runtime keeps serving calls.
			rejects(t, e.call("loadShare", "react"), "SHARE_NOT_FOUND")
		})
	}
}

// init runs once: a second call is refused with ALREADY_INITIALIZED and
// changes nothing.
func TestInitTwice(t *testing.T) {
	e := newEnv(t)
	resolves(t, e.call("init", obj("name", "shell")))
	err := rejects(t, e.call("init", obj("name", "other")), "ALREADY_INITIALIZED")
	if got := str(err, "details", "name"); got != "shell" {
		t.Errorf("details.name = %q, want shell", got)
	}
	resolves(t, e.api.Get("ready"))
	snap := e.inspect()
	if got := str(snap, "name"); got != "shell" {
		t.Errorf("inspect().name = %q after the refused init, want shell", got)
	}
	if !snap.Get("ready").Bool() {
		t.Error("inspect().ready is false")
	}
	// Even an invalid second config is refused only for being invalid or second.
	rejects(t, e.call("init", obj()), "CONFIG_INVALID")
	resolves(t, e.api.Get("ready"))
}

// A page that calls init by hand with a bad config and then with a good one
// ends up initialized: ready resolves, as inspect().ready says.
func TestInitRetryAfterInvalidConfigResolvesReady(t *testing.T) {
	e := newEnv(t)
	rejects(t, e.call("init", obj("name", "shell", "shareStrategy", "fastest")), "CONFIG_INVALID")
	resolves(t, e.call("init", obj("name", "shell")))
	if !e.inspect().Get("ready").Bool() {
		t.Fatal("inspect().ready is false after a successful init")
	}
	resolves(t, e.api.Get("ready"))
}

// init takes the config's JSON text as the loader fetched it, decoded once
// by the runtime's one decoder; a text that is not a config is refused with
// CONFIG_INVALID naming the field, and ready stays pending.
func TestInitFromConfigText(t *testing.T) {
	e := newEnv(t)
	rejects(t, e.call("init", `{"name":"shell","remotes":{"cart":"cart@/cart.json?v=2"},"shared":{"x":{"version":1}}}`), "CONFIG_INVALID")
	if got := state(t, e.api.Get("ready")); got != "pending" {
		t.Fatalf("ready is %s after a refused config, want pending", got)
	}
	resolves(t, e.call("init", `{"name":"shell","remotes":{"cart":"cart@/cart.json?v=2"}}`))
	remotes := e.inspect().Get("remotes")
	if str(e.inspect(), "name") != "shell" || remotes.Length() != 1 || str(remotes.Index(0), "entryGlobalName") != "cart" || str(remotes.Index(0), "type") != "manifest" {
		t.Errorf("inspect() after init(text) = %s", stringify(e.inspect()))
	}
}
