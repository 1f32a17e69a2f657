//go:build js && wasm

package jsbridge

import (
	"syscall/js"
	"testing"
)

// initOptions (Module Federation 2.0's init, which mf.js calls) initializes
// a page not yet initialized, as init does; a later call of the same host
// merges: its new remotes, shared versions (with their get and lib) and
// plugins are added, a known remote or version is left as it was. Another
// name is INIT_NAME_MISMATCH and a changed policy key CONFIG_INVALID, and
// neither applies anything.
func TestInitOptionsMerges(t *testing.T) {
	e := newEnv(t)
	resolves(t, e.call("initOptions", obj("name", "shell",
		"remotes", arr(obj("name", "cart", "entry", "http://127.0.0.1:9/cart.js", "type", "global")),
		"shared", obj("a", obj("version", "1.0.0", "lib", module("a1"))))))
	resolves(t, e.api.Get("ready"))
	if got := state(t, e.call("init", obj("name", "shell"))); got != "rejected" {
		t.Errorf("init after initOptions is %s, want rejected (init runs once)", got)
	}

	err := rejects(t, e.call("initOptions", obj("name", "other", "remotes", arr(obj("name", "evil", "entry", "http://127.0.0.1:9/evil.js")))), "INIT_NAME_MISMATCH")
	if str(err, "details", "mfCode") != "RUNTIME-010" || str(err, "details", "initialized") != "shell" {
		t.Errorf("details = %s, want RUNTIME-010 and the page's name", stringify(err.Get("details")))
	}
	rejects(t, e.call("initOptions", obj("name", "shell", "security", obj("plugins", arr("*")),
		"remotes", arr(obj("name", "evil", "entry", "http://127.0.0.1:9/evil.js")))), "CONFIG_INVALID")
	if n := e.inspect().Get("remotes").Length(); n != 1 {
		t.Fatalf("refused merges registered remotes: %s", stringify(e.inspect().Get("remotes")))
	}

	a2, fallback := module("a2"), module("fallback")
	gets := 0
	get := funcOf(t, func(js.Value, []js.Value) any { gets++; return js.Global().Get("Promise").Call("resolve", a2) })
	resolves(t, e.call("initOptions", obj("name", "shell",
		"remotes", arr(
			obj("name", "cart", "entry", "http://127.0.0.1:9/moved.js"),
			obj("name", "products", "entry", "http://127.0.0.1:9/products.js", "shareScope", arr("default"))),
		"shared", obj("a", arr(
			obj("version", "1.0.0", "lib", module("ignored")),
			obj("version", "2.0.0", "get", get))),
		"plugins", arr(obj("name", "fallback", "errorLoadRemote", resolvedWith(fallback))))))
	if gets != 1 {
		t.Errorf("get called %d times when the merge resolved, want once: the host's choice for a (2.0.0) loads before", gets)
	}
	remotes := e.inspect().Get("remotes")
	if remotes.Length() != 2 || str(remotes.Index(0), "entry") != "http://127.0.0.1:9/cart.js" || str(remotes.Index(1), "name") != "products" {
		t.Errorf("remotes after the merge = %s, want cart unchanged and products added", stringify(remotes))
	}
	if got := resolves(t, e.call("loadShare", "a", obj("requiredVersion", "^2.0.0"))); !same(got, a2) || gets != 1 {
		t.Errorf("loadShare(a ^2) = %s (get called %d times), want the merged entry's module", describe(got), gets)
	}
	if got := resolves(t, e.call("loadShare", "a", obj("requiredVersion", "^1.0.0"))); str(got, "name") != "a1" {
		t.Errorf("loadShare(a ^1) = %s, want the first init's lib, not the merge's", describe(got))
	}
	if got := resolves(t, e.call("loadRemote", "nobody/Thing")); !same(got, fallback) {
		t.Errorf("loadRemote of an unknown remote = %s, want the merged plugin's fallback", describe(got))
	}
}
