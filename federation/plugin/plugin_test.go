package plugin

import (
	"slices"
	"strings"
	"testing"

	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/retry"
)

// ret is one listener's behaviour in a table: a return, or a throw.
type ret struct {
	v     Value
	throw string
}

func obj(keys ...string) Value {
	return Value{Kind: Object, Truthy: true, Keys: keys, Has: func(k string) bool { return slices.Contains(keys, k) }}
}

var (
	undef    = Value{Kind: Undefined}
	null     = Value{Kind: Null}
	falseV   = Value{Kind: False}
	fn       = Value{Kind: Function, Truthy: true}
	zero     = Value{Kind: Other}
	str      = Value{Kind: Other, Truthy: true}
	argsBack = Value{Kind: Object, Truthy: true, SameAsArgs: true}
)

// run runs hook over returns as the bridge does and gives the verdict.
func run(t *testing.T, hook string, args Value, nArgs int, returns []ret) Verdict {
	t.Helper()
	h, ok := Lookup(hook)
	if !ok {
		t.Fatalf("no hook %s", hook)
	}
	r := Start(h, args, nArgs)
	for i, x := range returns {
		if r.Done() {
			break
		}
		if x.throw != "" {
			r.Threw(i, "p"+string(rune('0'+i)), x.throw)
		} else {
			r.Returned(i, "p"+string(rune('0'+i)), x.v)
		}
	}
	return r.Verdict()
}

// TestKinds: each kind's return rules, as runtime-core's utils/hooks apply
// them (module-federation.md §2.12).
func TestKinds(t *testing.T) {
	data := obj("id", "options", "origin")
	cases := []struct {
		name      string
		hook      string
		nArgs     int
		returns   []ret
		from      int
		abort     bool
		failed    string // the failure's message holds this
		contained int
	}{
		{"sync: no listener returns: no result", "init", 1, []ret{{v: undef}, {v: undef}}, -1, false, "", 0},
		{"sync: the last non-undefined return wins", "init", 1, []ret{{v: str}, {v: undef}, {v: null}, {v: undef}}, 2, false, "", 0},
		{"sync: false is a result, not an abort", "handlePreloadModule", 1, []ret{{v: falseV}, {v: undef}}, 0, false, "", 0},
		{"sync: a throw is contained and counts as no result", "init", 1, []ret{{v: str}, {throw: "boom"}}, 0, false, "", 1},
		{"async: the last non-undefined return wins", "onLoad", 1, []ret{{v: fn}, {v: undef}, {v: str}}, 2, false, "", 0},
		{"async: undefined keeps an earlier result", "errorLoadRemote", 1, []ret{{v: obj("fallback")}, {v: undef}, {v: undef}}, 0, false, "", 0},
		{"async: null replaces an earlier result", "errorLoadRemote", 1, []ret{{v: obj("fallback")}, {v: null}}, 1, false, "", 0},
		{"async: false aborts with false", "onLoad", 1, []ret{{v: fn}, {v: falseV}, {v: str}}, 1, true, "", 0},
		{"async: returning the args object counts as no result", "onLoad", 1, []ret{{v: fn}, {v: argsBack}}, 0, false, "", 0},
		{"async: the args object of a two-argument hook is a result", "fetch", 2, []ret{{v: undef}, {v: argsBack}}, 1, false, "", 0},
		{"async: 0 is a result", "loadEntry", 1, []ret{{v: zero}}, 0, false, "", 0},
		{"async: a rejection is contained", "fetch", 4, []ret{{throw: "offline"}, {v: undef}}, -1, false, "", 1},
		{"waterfall: undefined keeps the data", "beforeRequest", 1, []ret{{v: undef}, {v: undef}}, -1, false, "", 0},
		{"waterfall: an object with every key replaces the data", "beforeRequest", 1, []ret{{v: obj("id", "options", "origin", "extra")}, {v: undef}}, 0, false, "", 0},
		{"waterfall: the next return must hold the replacing data's keys", "beforeRequest", 1, []ret{{v: obj("id", "options", "origin", "extra")}, {v: obj("id", "options", "origin")}}, 0, false, `A plugin returned an unacceptable value for the "beforeRequest" type.`, 0},
		{"waterfall: a key missing is MF's error", "afterResolve", 1, []ret{{v: obj("id")}}, -1, false, `A plugin returned an unacceptable value for the "afterResolve" type.`, 0},
		{"waterfall: a non-object is MF's error", "beforeInit", 1, []ret{{v: str}}, -1, false, `unacceptable value for the "beforeInit" type`, 0},
		{"waterfall: a function is no object", "registerRemote", 1, []ret{{v: fn}}, -1, false, `unacceptable value for the "registerRemote" type`, 0},
		{"waterfall: null is no object", "beforeLoadShare", 1, []ret{{v: null}}, -1, false, `unacceptable value`, 0},
		{"waterfall: the data itself is acceptable and changes nothing", "resolveShare", 1, []ret{{v: argsBack}}, -1, false, "", 0},
		{"waterfall: the type name is MF's", "loadSnapshot", 1, []ret{{v: str}}, -1, false, `"loadGlobalSnapshot" type`, 0},
		{"waterfall: a throw ends the run, the data stays", "beforeRequest", 1, []ret{{v: obj("id", "options", "origin")}, {throw: "boom"}, {v: obj("id", "options", "origin")}}, 0, false, "threw: boom", 0},
		{"waterfall: false is no object", "beforeRequest", 1, []ret{{v: falseV}}, -1, false, "unacceptable", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := run(t, c.hook, data, c.nArgs, c.returns)
			if v.From != c.from || v.Abort != c.abort {
				t.Errorf("From, Abort = %d, %v; want %d, %v", v.From, v.Abort, c.from, c.abort)
			}
			if c.failed == "" && v.Failed != nil {
				t.Errorf("Failed = %v, want none", v.Failed)
			}
			if c.failed != "" && (v.Failed == nil || !strings.Contains(v.Failed.Message, c.failed) || v.Failed.Code != errcode.PluginHookFailed) {
				t.Errorf("Failed = %v, want PLUGIN_HOOK_FAILED with %q", v.Failed, c.failed)
			}
			if len(v.Contained) != c.contained {
				t.Errorf("Contained = %v, want %d", v.Contained, c.contained)
			}
		})
	}
}

// TestWaterfallStopsAtFailure: after a failure no listener runs (MF's
// onerror throws out of the loop).
func TestWaterfallStopsAtFailure(t *testing.T) {
	h, _ := Lookup("afterResolve")
	r := Start(h, obj("id"), 1)
	r.Returned(0, "a", str)
	if !r.Done() {
		t.Fatal("a waterfall run goes on after an unacceptable value")
	}
	r.Returned(1, "b", obj("id", "more"))
	if v := r.Verdict(); v.From != -1 {
		t.Errorf("a listener after the failure was taken: From = %d", v.From)
	}
}

// TestRecover: errorLoadRemote's return per lifecycle (§2.12's table),
// over the Async rules' result: observer plugins returning undefined do not
// clear another plugin's fallback.
func TestRecover(t *testing.T) {
	fallback := obj("init", "get")
	cases := []struct {
		lifecycle Lifecycle
		returns   []ret
		want      Action
	}{
		{BeforeRequest, []ret{{v: obj("id")}}, Use},
		{BeforeRequest, []ret{{v: undef}}, Rethrow},
		{BeforeRequest, []ret{{v: null}}, Rethrow},
		{AfterResolve, []ret{{v: obj("metaData", "exposes", "shared")}, {v: undef}}, Use},
		{AfterResolve, []ret{{v: falseV}, {v: obj("metaData")}}, Rethrow},
		{BeforeLoadShare, []ret{{v: fallback}}, Use},
		{BeforeLoadShare, []ret{{v: undef}}, Skip},
		{BeforeLoadShare, []ret{{v: zero}}, Skip},
		{OnLoad, []ret{{v: fallback}, {v: undef}, {v: undef}}, Use}, // observers after the fallback
		{OnLoad, []ret{{v: undef}, {v: fallback}, {v: undef}}, Use},
		{OnLoad, []ret{{v: fallback}, {throw: "observer threw"}}, Use},
		{OnLoad, []ret{{v: fallback}, {v: falseV}}, Rethrow},
		{OnLoad, []ret{{v: zero}}, Rethrow},
		{OnLoad, nil, Rethrow},
	}
	for _, c := range cases {
		v := run(t, "errorLoadRemote", obj("id", "error", "from", "lifecycle", "origin"), 1, c.returns)
		result := undef
		if v.Abort {
			result = falseV
		} else if v.From >= 0 {
			result = c.returns[v.From].v
		}
		if got := Recover(c.lifecycle, result); got != c.want {
			t.Errorf("%s %v: Recover = %d, want %d", c.lifecycle, c.returns, got, c.want)
		}
	}
}

func TestEntryErrorRecoverable(t *testing.T) {
	for code, want := range map[string]bool{
		errcode.RemoteLoadFailed: true, errcode.OriginNotAllowed: false, errcode.IntegrityMismatch: false,
		errcode.RemoteContainerMissing: false, errcode.IntegrityRequired: false, "": false,
	} {
		if got := EntryErrorRecoverable(code); got != want {
			t.Errorf("EntryErrorRecoverable(%q) = %v, want %v", code, got, want)
		}
	}
}

func TestUsed(t *testing.T) {
	cases := []struct {
		hook string
		v    Value
		want bool
	}{
		{"fetch", Value{Kind: Object, Truthy: true, Class: "Response"}, true},
		{"fetch", obj("ok", "json"), false}, // a look-alike is no Response: fetch falls back
		{"fetch", undef, false},
		{"createScript", Value{Kind: Other, Truthy: true, Class: "HTMLScriptElement"}, true},
		{"createScript", Value{Kind: Other, Truthy: true, Class: "HTMLLinkElement"}, false},
		{"getModuleFactory", fn, true},
		{"getModuleFactory", obj("default"), false},
		{"onLoad", fn, true},
		{"onLoad", obj("default"), false},
		{"loadEntry", obj("init", "get"), true},
		{"loadEntryError", zero, false},
		{"beforeInit", obj(), false},
	}
	for _, c := range cases {
		if got := Used(c.hook, c.v); got != c.want {
			t.Errorf("Used(%s, %+v) = %v, want %v", c.hook, c.v, got, c.want)
		}
	}
}

// TestThrowFails: a fetch listener's throw, with no listener's Response
// after it, fails the manifest attempt; elsewhere a throw is no result.
func TestThrowFails(t *testing.T) {
	run := func(hook string, steps ...func(r *Run, i int)) Verdict {
		h, _ := Lookup(hook)
		r := Start(h, obj(), 3)
		for i, step := range steps {
			step(r, i)
		}
		return r.Verdict()
	}
	threw := func(r *Run, i int) { r.Threw(i, "retry-plugin", "abandoned") }
	response := func(r *Run, i int) { r.Returned(i, "other", Value{Kind: Object, Truthy: true, Class: "Response"}) }
	observer := func(r *Run, i int) { r.Returned(i, "observer", undef) }
	cases := []struct {
		name string
		v    Verdict
		hook string
		want bool
	}{
		{"fetch threw", run("fetch", threw), "fetch", true},
		{"fetch threw, an observer after it", run("fetch", threw, observer), "fetch", true},
		{"fetch threw, another plugin answered", run("fetch", threw, response), "fetch", false},
		{"fetch answered", run("fetch", response), "fetch", false},
		{"fetch observed", run("fetch", observer), "fetch", false},
		{"loadEntryError threw", run("loadEntryError", threw), "loadEntryError", false},
	}
	for _, c := range cases {
		if got := ThrowFails(c.hook, c.v); got != c.want {
			t.Errorf("%s: ThrowFails = %v, want %v (verdict %+v)", c.name, got, c.want, c.v)
		}
	}
}

// TestCatalog: every hook MF 2.9.3 declares is listed once, with its kind
// as runtime-core constructs it, and what fedwasm does with it said.
func TestCatalog(t *testing.T) {
	want := map[string]Kind{
		"beforeInit": SyncWaterfall, "init": Sync, "beforeInitContainer": AsyncWaterfall, "initContainer": AsyncWaterfall,
		"beforeRegisterRemote": SyncWaterfall, "registerRemote": SyncWaterfall, "beforeRequest": AsyncWaterfall,
		"afterMatchRemote": Async, "onLoad": Async, "afterLoadRemote": Async, "handlePreloadModule": Sync,
		"errorLoadRemote": Async, "beforePreloadRemote": Async, "generatePreloadAssets": Async, "afterPreloadRemote": Async,
		"loadEntry": Async, "beforeRegisterShare": SyncWaterfall, "afterRegisterShare": Sync, "afterResolve": AsyncWaterfall,
		"beforeLoadShare": AsyncWaterfall, "loadShare": Async, "afterLoadShare": Sync, "errorLoadShare": Sync,
		"resolveShare": SyncWaterfall, "initContainerShareScopeMap": SyncWaterfall, "beforeLoadRemoteSnapshot": Async,
		"loadSnapshot": AsyncWaterfall, "loadRemoteSnapshot": AsyncWaterfall, "afterLoadSnapshot": AsyncWaterfall,
		"beforeLoadManifest": Async, "afterLoadManifest": Async, "getModuleInfo": Sync, "createScript": Sync,
		"createLink": Sync, "fetch": Async, "loadEntryError": Async, "afterLoadEntry": Async, "beforeInitRemote": Async,
		"afterInitRemote": Async, "beforeGetExpose": Async, "afterGetExpose": Async, "beforeExecuteFactory": Async,
		"afterExecuteFactory": Async, "getModuleFactory": Async, "beforeBridgeRender": Sync, "afterBridgeRender": Sync,
		"beforeBridgeDestroy": Sync, "afterBridgeDestroy": Sync, "afterBridgeRouteSync": Sync,
	}
	seen := map[string]bool{}
	for _, h := range Catalog {
		if seen[h.Name] {
			t.Errorf("%s listed twice", h.Name)
		}
		seen[h.Name] = true
		if k, ok := want[h.Name]; !ok || k != h.Kind {
			t.Errorf("%s: kind %v, want %v (listed: %v)", h.Name, h.Kind, k, ok)
		}
		if h.Stage == "" || h.Support == 0 || h.Owner == "" {
			t.Errorf("%s: support, stage or owner missing: %+v", h.Name, h)
		}
		if h.ChangesLoad && h.Support != Supported {
			t.Errorf("%s changes loads but is %s", h.Name, h.Support)
		}
	}
	if len(seen) != len(want) {
		t.Errorf("catalog has %d hooks, MF 2.9.3 declares %d", len(seen), len(want))
	}
	// The hooks issue 15 names are all called.
	for _, name := range []string{"beforeInit", "init", "beforeRegisterRemote", "registerRemote", "beforeRequest", "afterResolve", "onLoad",
		"loadEntry", "loadEntryError", "createScript", "fetch", "getModuleFactory", "errorLoadRemote", "beforeLoadShare",
		"loadShare", "resolveShare", "initContainerShareScopeMap", "beforePreloadRemote", "generatePreloadAssets", "afterPreloadRemote", "handlePreloadModule"} {
		if h, _ := Lookup(name); h.Support == Unsupported {
			t.Errorf("%s is unsupported", name)
		}
	}
}

// TestCheck: the plugin object's checks.
func TestCheck(t *testing.T) {
	hooks := func(m map[string]string) func(string) string { return func(n string) string { return m[n] } }
	if _, err := Check("", true, nil, hooks(nil)); errcode.CodeOf(err) != errcode.InvalidArgument {
		t.Errorf("no name: %v, want INVALID_ARGUMENT", err)
	}
	if _, err := Check("x", false, nil, hooks(nil)); errcode.CodeOf(err) != errcode.InvalidArgument {
		t.Errorf("a name that is no string: %v, want INVALID_ARGUMENT", err)
	}
	if _, err := Check("x", true, []string{"name", "onLoad"}, hooks(map[string]string{"onLoad": "string"})); errcode.CodeOf(err) != errcode.InvalidArgument || !strings.Contains(err.Error(), "onLoad") {
		t.Errorf("a hook that is no function: %v, want INVALID_ARGUMENT naming onLoad", err)
	}
	rep, err := Check("retry", true,
		[]string{"name", "version", "apply", "fetch", "fecth", "loadEntryError", "loadRemoteSnapshot", "zzzzzzzzzz"},
		hooks(map[string]string{"fetch": "function", "loadEntryError": "function", "loadRemoteSnapshot": "function"}))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rep.Hooks, []string{"fetch", "loadEntryError"}) || !slices.Equal(rep.Unsupported, []string{"loadRemoteSnapshot"}) {
		t.Errorf("Hooks %v, Unsupported %v", rep.Hooks, rep.Unsupported)
	}
	var codes, suggestions []string
	for _, w := range rep.Warnings {
		codes = append(codes, w.Code)
		if w.Code == errcode.ConfigUnknownKey {
			suggestions = append(suggestions, w.Details["key"].(string)+"→"+w.Details["suggestion"].(string))
		}
		if w.Code == errcode.PluginHookUnsupported && (w.Details["hook"] != "loadRemoteSnapshot" || w.Details["reason"] == "") {
			t.Errorf("unsupported warning %v", w)
		}
	}
	if !slices.Equal(codes, []string{errcode.PluginHookUnsupported, errcode.ConfigUnknownKey, errcode.ConfigUnknownKey}) {
		t.Errorf("warnings %v", codes)
	}
	if !slices.Equal(suggestions, []string{"fecth→fetch", "zzzzzzzzzz→"}) {
		t.Errorf("suggestions %v", suggestions)
	}
	// A hundred unknown keys give a bounded list.
	many := make([]string, 100)
	for i := range many {
		many[i] = "k" + strings.Repeat("x", i)
	}
	rep, _ = Check("m", true, many, hooks(nil))
	if len(rep.Warnings) != maxKeyWarnings {
		t.Errorf("%d warnings, want %d", len(rep.Warnings), maxKeyWarnings)
	}
}

func TestEntryRecoveryTime(t *testing.T) {
	cases := []struct {
		policy config.Retry
		want   retry.Millis
	}{
		{config.Retry{Times: 2, DelayMs: 300, TimeoutMs: 8000}, 5 * 8000},                            // the defaults: five time limits are longer
		{config.Retry{Times: 0, TimeoutMs: 2000}, 5 * 2000},                                          // retries off: room for a plugin's
		{config.Retry{Times: 6, DelayMs: 10, TimeoutMs: 100}, 7*100 + 10 + 20 + 40 + 80 + 160 + 320}, // fedwasm's own attempts took longer
	}
	for _, c := range cases {
		if got := EntryRecoveryTime(retry.Plan("https://cdn.example/entry.js", c.policy, false)); got != c.want {
			t.Errorf("EntryRecoveryTime(%+v) = %d, want %d", c.policy, got, c.want)
		}
	}
}

func TestManifestFallbackAllowed(t *testing.T) {
	cases := []struct {
		code   string
		pinned bool
		want   bool
	}{
		{errcode.RemoteLoadFailed, false, true},
		{errcode.RemoteInvalidManifest, false, true},
		{errcode.RemoteLoadFailed, true, false},
		{errcode.OriginNotAllowed, false, false},
		{errcode.IntegrityMismatch, false, false},
	}
	for _, c := range cases {
		if got := ManifestFallbackAllowed(c.code, c.pinned); got != c.want {
			t.Errorf("ManifestFallbackAllowed(%s, %v) = %v", c.code, c.pinned, got)
		}
	}
}

// A waterfall refuses what is no object even when its data has no keys
// to miss (MF's isObject comes first).
func TestWaterfallRefusesNonObjects(t *testing.T) {
	for _, v := range []Value{str, fn, null, falseV, {Kind: Other, Truthy: true, Class: "Response", Has: func(string) bool { return true }}} {
		verdict := run(t, "initContainerShareScopeMap", obj(), 1, []ret{{v: v}})
		if verdict.Failed == nil || verdict.From != -1 {
			t.Errorf("%+v was taken by a waterfall: %+v", v, verdict)
		}
	}
}
