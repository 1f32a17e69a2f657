//go:build js && wasm

package jsbridge

import (
	"strings"
	"syscall/js"
	"testing"
)

// claim returns fedwasm.scope(owner), failing the test if it is refused.
func (e *env) claim(owner string) js.Value {
	e.t.Helper()
	return notThrown(e.t, e.call("scope", owner))
}

// scopeCall invokes scope.<path> (e.g. "stores.provide") as page JS would.
func (e *env) scopeCall(scope js.Value, path string, args ...any) js.Value {
	e.t.Helper()
	this := scope
	parts := strings.Split(path, ".")
	for _, p := range parts[:len(parts)-1] {
		this = this.Get(p)
	}
	fn := this.Get(parts[len(parts)-1])
	if fn.Type() != js.TypeFunction {
		e.t.Fatalf("scope.%s is %s, not a function", path, fn.Type())
	}
	return fn.Call("call", append([]any{this}, args...)...)
}

// ownerCounts returns inspect().broker.owners[owner] as JSON ("null" when absent).
func (e *env) ownerCounts(owner string) string {
	e.t.Helper()
	counts := e.inspect().Get("broker").Get("owners").Get(owner)
	if counts.IsUndefined() {
		return "null"
	}
	return stringify(counts)
}

// ownedConfig is a host "shell" with remote "cart", the store "cart" given
// to the host, and two owned event types.
func ownedConfig() js.Value {
	return obj("name", "shell",
		"remotes", arr(obj("name", "cart", "entry", "http://127.0.0.1:9/cart.js", "type", "esm")),
		"ownership", obj(
			"stores", obj("cart", "shell"),
			"events", obj("auth:logout", "shell", "order:placed", "cart")))
}

// A scope for an owner is claimed once: a second fedwasm.scope of a held
// name is refused, so nobody else can dispose of the holder's scope; the
// host's and the remotes' names are never claimed; disposing gives it up.
func TestScopeIsClaimedOnce(t *testing.T) {
	e := newEnv(t)
	resolves(t, e.call("init", ownedConfig()))
	team := e.claim("cart-team")
	notThrown(t, e.scopeCall(team, "stores.provide", "cart-items", obj()))
	for _, owner := range []string{"cart-team", "shell", "cart"} {
		err := thrown(t, e.call("scope", owner), "OWNER_CLAIMED")
		if str(err, "details", "owner") != owner {
			t.Errorf("fedwasm.scope(%q): details %s", owner, stringify(err.Get("details")))
		}
	}
	if got := str(e.storeReport("cart-items"), "owner"); got != "cart-team" {
		t.Fatalf("after the refused claims the holder's store is owned by %q, want cart-team", got)
	}
	notThrown(t, e.scopeCall(team, "dispose"))
	if e.storeReport("cart-items").Type() == js.TypeObject {
		t.Fatal("the holder's dispose did not withdraw its store")
	}
	again := e.claim("cart-team")
	if str(again, "owner") != "cart-team" {
		t.Errorf("the new scope's owner = %q", str(again, "owner"))
	}
}

// A scope claimed before init for a name the config hands out (a remote's)
// loses it at init: what it registered is released, and a warning says so.
func TestInitTakesBackConfiguredOwners(t *testing.T) {
	e := newEnv(t)
	early := e.claim("cart")
	notThrown(t, e.scopeCall(early, "stores.provide", "cart-lines", obj()))
	if got := str(e.storeReport("cart-lines"), "owner"); got != "cart" {
		t.Fatalf("before init the early scope's store is owned by %q", got)
	}
	resolves(t, e.call("init", ownedConfig()))
	if e.storeReport("cart-lines").Type() == js.TypeObject {
		t.Error("after init the early scope's store is still provided")
	}
	thrown(t, e.scopeCall(early, "stores.provide", "cart-lines", obj()), "SCOPE_DISPOSED")
	warnings := stringify(e.inspect().Get("warnings"))
	if !strings.Contains(warnings, "OWNER_CLAIMED") {
		t.Errorf("warnings %s do not report the taken scope", warnings)
	}
}

// Owners never default to the host's name: the page's top-level API acts as
// the host only for what the config gives the host, provides a store once,
// and cannot name another owner; a scope cannot name another owner either.
func TestProvideNeverActsAsAnotherOwner(t *testing.T) {
	e := newEnv(t)
	resolves(t, e.call("init", ownedConfig()))
	hostCart := obj("n", "host")
	notThrown(t, e.call("stores.provide", "cart", hostCart))
	for _, c := range []struct {
		name string
		call func() js.Value
		code string
	}{
		{"the page again, without an owner", func() js.Value { return e.call("stores.provide", "cart", obj()) }, "STORE_OWNED"},
		{"the page naming the host", func() js.Value { return e.call("stores.provide", "cart", obj(), obj("owner", "shell")) }, "STORE_OWNED"},
		{"the page naming the host for an undeclared store", func() js.Value {
			return e.call("stores.provide", "prefs", obj(), obj("owner", "shell"))
		}, "OWNER_NOT_HELD"},
		{"the page naming a team", func() js.Value { return e.call("stores.provide", "prefs", obj(), obj("owner", "cart-team")) }, "OWNER_NOT_HELD"},
		{"a scope providing the host's store", func() js.Value {
			return e.scopeCall(e.claim("hostile"), "stores.provide", "cart", obj())
		}, "STORE_OWNED"},
		{"a scope naming another owner", func() js.Value {
			return e.scopeCall(e.claim("hostile-2"), "stores.provide", "prefs", obj(), obj("owner", "cart-team"))
		}, "OWNER_NOT_HELD"},
	} {
		thrown(t, c.call(), c.code)
		if got := resolves(t, e.call("stores.get", "cart")); !same(got, hostCart) {
			t.Fatalf("after %s, stores.get(cart) is not the host's store", c.name)
		}
	}
	if got := str(e.storeReport("cart"), "owner"); got != "shell" {
		t.Errorf("owner = %q, want shell", got)
	}
	if e.storeReport("prefs").Type() == js.TypeObject {
		t.Error("a refused provide left a store behind")
	}
}

// The scope a call acts for is bound to the scope's methods, never read from
// the options: stores.provide(name, s, { __fedwasmScope: id }) on the page's
// API provides the page's store, which the scope's dispose leaves alone.
// (events.on reads its options the same way; the e2e adversarial suite
// replays it with the loader's broker.js.)
func TestScopeIsNotAnOption(t *testing.T) {
	e := newEnv(t)
	victim := e.claim("victim")
	notThrown(t, e.scopeCall(victim, "stores.provide", "victim-state", obj()))
	for id := 1; id <= 4; id++ {
		notThrown(t, e.call("stores.provide", "page-"+string(rune('0'+id)), obj(), obj("__fedwasmScope", id)))
	}
	if got := e.ownerCounts("victim"); got != `{"stores":1}` {
		t.Errorf("owners.victim = %s, want its own store only", got)
	}
	thrown(t, e.call("stores.provide", "page-5", obj(), obj("owner", "victim")), "OWNER_NOT_HELD")
	notThrown(t, e.scopeCall(victim, "dispose"))
	for id := 1; id <= 4; id++ {
		name := "page-" + string(rune('0'+id))
		if got := str(e.storeReport(name), "owner"); got != "(page)" {
			t.Errorf("after the victim's dispose store %s is owned by %q, want (page)", name, got)
		}
	}
}

// A scope's methods are bound with the Function.prototype.bind taken at
// start: a page that replaces bind never gets hold of the unbound function
// (which would act for any scope id).
func TestScopeMethodsBoundWithTheOriginalBind(t *testing.T) {
	e := newEnv(t)
	proto := js.Global().Get("Function").Get("prototype")
	original := proto.Get("bind")
	var seen int
	spy := funcOf(t, func(this js.Value, args []js.Value) any {
		seen++
		return original.Call("apply", this, arr(jsArgs(args)...))
	})
	proto.Set("bind", spy)
	defer proto.Set("bind", original)
	s := e.claim("bound")
	proto.Set("bind", original)
	if seen != 0 {
		t.Errorf("the page's Function.prototype.bind saw %d of the runtime's functions", seen)
	}
	notThrown(t, e.scopeCall(s, "stores.provide", "bound-state", obj()))
}

func jsArgs(args []js.Value) []any {
	out := make([]any, len(args))
	for i, a := range args {
		out[i] = a
	}
	return out
}

// Event types the config gives an owner are emitted by that owner only, in
// the page and from other tabs; other types by anyone. Cross-tab envelopes
// carry the sender.
func TestOwnedEventTypes(t *testing.T) {
	e := newEnvWithHooks(t, brokerHooks(t))
	resolves(t, e.call("init", ownedConfig()))
	logouts := listen(t, "fedwasm:auth:logout")
	notThrown(t, e.call("events.emit", "auth:logout", obj("by", "host")))
	if d := <-logouts; str(d, "by") != "host" {
		t.Fatalf("the host's auth:logout arrived as %s", stringify(d))
	}
	hostile := e.claim("hostile")
	thrown(t, e.scopeCall(hostile, "events.emit", "auth:logout", obj("by", "hostile")), "EVENT_OWNED")
	thrown(t, e.scopeCall(hostile, "events.emit", "auth:logout", obj(), obj("crossTab", true)), "EVENT_OWNED")
	err := thrown(t, e.call("events.emit", "order:placed", obj()), "EVENT_OWNED")
	if str(err, "details", "owner") != "cart" || str(err, "details", "refused") != "(page)" {
		t.Errorf("details = %s", stringify(err.Get("details")))
	}
	notThrown(t, e.scopeCall(hostile, "events.emit", "cart:open", obj()))
	select {
	case d := <-logouts:
		t.Fatalf("a refused emit was delivered: %s", stringify(d))
	default:
	}

	// Another tab: a BroadcastChannel of the same name in this page delivers
	// to the runtime's, as another tab's would.
	other := js.Global().Get("BroadcastChannel").New(crossTabChannelName)
	defer other.Call("close")
	posted := make(chan js.Value, 4)
	onmessage := funcOf(t, func(_ js.Value, a []js.Value) any { posted <- a[0].Get("data"); return nil })
	other.Set("onmessage", onmessage)
	notThrown(t, e.call("events.emit", "auth:logout", obj("at", 1), obj("crossTab", true)))
	<-logouts // delivered here too
	if env := js.Global().Get("JSON").Call("parse", (<-posted).Get("text")); str(env, "owner") != "shell" || str(env, "type") != "auth:logout" {
		t.Errorf("the envelope sent is %s, want owner shell", stringify(env))
	}
	before := e.inspect().Get("broker").Get("receivedCrossTab").Int()
	fromTabB := func(envelope string) { other.Call("postMessage", obj("v", 2, "tab", "tab-b", "text", envelope)) }
	fromTabB(`{"v":2,"type":"auth:logout","tab":"tab-b","owner":"hostile","detail":{"forged":true}}`)
	fromTabB(`{"v":2,"type":"auth:logout","tab":"tab-b","detail":{"forged":true}}`)
	fromTabB(`{"v":2,"type":"auth:logout","tab":"tab-b","owner":"shell","detail":{"from":"b"}}`)
	if d := <-logouts; str(d, "from") != "b" {
		t.Fatalf("the first auth:logout delivered from the other tab is %s, want the owner's", stringify(d))
	}
	waitFor(t, "two drops counted as not-owner", func() bool {
		return e.inspect().Get("broker").Get("dropped").Get("not-owner").Int() == 2
	})
	if got := e.inspect().Get("broker").Get("receivedCrossTab").Int() - before; got != 1 {
		t.Errorf("received %d messages from the other tab, want 1", got)
	}
}

// Publish takes the loader's hooks and deletes the global they came in, so
// page code cannot replace importModule or the broker after the start.
func TestHostHooksAreNotAGlobal(t *testing.T) {
	published := 0
	publish := funcOf(t, func(_ js.Value, a []js.Value) any {
		published++
		js.Global().Set("fedwasm", a[0])
		return nil
	})
	newEnvWithHooks(t, obj("publish", publish))
	if published != 1 {
		t.Fatalf("publish called %d times", published)
	}
	if v := js.Global().Get(HostHooksGlobal); !v.IsUndefined() {
		t.Errorf("window.%s is %s after Publish, want undefined", HostHooksGlobal, v.Type())
	}
}
