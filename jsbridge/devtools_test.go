//go:build js && wasm

package jsbridge

import (
	"syscall/js"
	"testing"
)

// federation returns window.__FEDERATION__, made as MF's runtime makes it
// when no test made it yet (the property cannot be deleted once defined).
func federationOfPage() js.Value {
	g := js.Global()
	if g.Get("__FEDERATION__").IsUndefined() {
		g.Get("Object").Call("defineProperty", g, "__FEDERATION__", obj("value", obj(), "writable", true))
	}
	return g.Get("__FEDERATION__")
}

// An MF runtime's fields and snapshots stay as they are: the runtime adds
// its host and remotes beside them, and does not replace a snapshot an MF
// runtime wrote under a key it would use.
func TestDevtoolsGlobalKeepsAnMFRuntimesFields(t *testing.T) {
	fed := federationOfPage()
	plugins, instances, shares := arr(obj("name", "mf-plugin")), arr(obj("name", "mf-instance")), obj()
	mfShare := obj("default", obj("react", obj("18.2.0", obj("version", "18.2.0", "from", "mf-app", "get", js.Global().Get("Object")))))
	shares.Set("mf-app", mfShare)
	mfSnapshot, mfRemote := obj("remoteEntry", "https://mf.example/remoteEntry.js", "version", "1.0.0"), obj("version", "9.9.9")
	info := obj("mf-app", mfSnapshot, "r1:https://r1.example/remoteEntry.js", mfRemote)
	for k, v := range map[string]js.Value{"__GLOBAL_PLUGIN__": plugins, "__INSTANCES__": instances, "__SHARE__": shares, "moduleInfo": info} {
		fed.Set(k, v)
	}

	e := newEnv(t)
	resolves(t, e.call("init", obj("name", "dt-host",
		"shared", obj("react", obj("version", "18.3.1", "lib", resolvedWith(module("react")), "shareConfig", obj("singleton", true))),
		"remotes", arr(
			obj("name", "r1", "entry", "https://r1.example/remoteEntry.js"),
			obj("name", "r2", "entry", "https://r2.example/mf-manifest.json")))))
	waitFor(t, "the host in moduleInfo", func() bool { return !fed.Get("moduleInfo").Get("dt-host").IsUndefined() })

	for name, want := range map[string]js.Value{"__GLOBAL_PLUGIN__": plugins, "__INSTANCES__": instances, "__SHARE__": shares, "moduleInfo": info} {
		if !same(fed.Get(name), want) {
			t.Errorf("__FEDERATION__.%s was replaced", name)
		}
	}
	if !same(info.Get("mf-app"), mfSnapshot) || !same(info.Get("r1:https://r1.example/remoteEntry.js"), mfRemote) || !same(shares.Get("mf-app"), mfShare) {
		t.Error("an MF runtime's snapshot or share scope was replaced")
	}
	if got := str(info.Get("r2:https://r2.example/mf-manifest.json"), "remoteEntry"); got != "https://r2.example/mf-manifest.json" {
		t.Errorf("r2's snapshot remoteEntry = %q", got)
	}
	host := info.Get("dt-host")
	if got := str(host.Get("remotesInfo").Get("r2"), "matchedVersion"); got != "https://r2.example/mf-manifest.json" {
		t.Errorf("dt-host.remotesInfo.r2.matchedVersion = %q", got)
	}
	react := shares.Get("dt-host").Get("default").Get("react").Get("18.3.1")
	if str(react, "from") != "dt-host" || !react.Get("shareConfig").Get("singleton").Bool() || react.Get("useIn").Length() != 0 {
		t.Errorf("__SHARE__['dt-host'].default.react['18.3.1'] = %s", stringify(react))
	}
	for _, k := range []string{"__MANIFEST_LOADING__", "__PRELOADED_MAP__", "__PRELOADED_ASSETS__"} {
		if fed.Get(k).Type() != js.TypeObject {
			t.Errorf("__FEDERATION__.%s was not made", k)
		}
	}
}

// A global that throws when written is left alone, with a warning.
func TestDevtoolsGlobalThatThrowsIsAWarning(t *testing.T) {
	fed := federationOfPage()
	old := fed.Get("moduleInfo")
	defer fed.Set("moduleInfo", old)
	thrower := js.Global().Get("Function").New("throw new Error('sealed')")
	fed.Set("moduleInfo", js.Global().Get("Proxy").New(obj(), obj("set", thrower, "defineProperty", thrower)))

	e := newEnv(t)
	resolves(t, e.call("init", obj("name", "dt-sealed", "remotes", arr(obj("name", "s1", "entry", "https://s1.example/remoteEntry.js")))))
	waitFor(t, "a warning about the global", func() bool {
		warnings := e.inspect().Get("warnings")
		for i := range warnings.Length() {
			if str(warnings.Index(i), "code") == "JS_EXCEPTION" {
				return true
			}
		}
		return false
	})
}
