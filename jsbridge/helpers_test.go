//go:build js && wasm

package jsbridge

import (
	"errors"
	"fmt"
	"github.com/fedwasm/fedwasm/jsbridge/internal/jsutil"
	"strings"
	"syscall/js"
	"testing"
	"time"

	"github.com/fedwasm/fedwasm/federation"
	"github.com/fedwasm/fedwasm/loader"
)

// awaitTimeout bounds every Promise a test awaits, so a Promise that never
// settles fails the test instead of hanging the suite.
const awaitTimeout = 5 * time.Second

// settled is the outcome of a Promise.
type settled struct {
	value  js.Value // the fulfillment value, when ok
	reason js.Value // the rejection reason, when !ok
	ok     bool
}

// settle waits on the test goroutine (never inside a js.FuncOf callback) for
// p to settle, through the runtime's own await. The time limit is a JS
// setTimeout raced against p and cleared afterwards, not a Go timer (on wasm,
// a Go timer is a setTimeout too, and a stopped one can stay pending).
func settle(t testing.TB, p js.Value) settled {
	t.Helper()
	if !jsutil.IsThenable(p) {
		t.Fatalf("expected a Promise, got %s %s", p.Type(), describe(p))
	}
	g := js.Global()
	timeout := g.Get("Promise").Call("withResolvers")
	expired := newError(fmt.Sprintf("did not settle within %v", awaitTimeout))
	id := g.Call("setTimeout", timeout.Get("reject"), awaitTimeout.Milliseconds(), expired)
	defer g.Call("clearTimeout", id)
	v, err := jsutil.Await(g.Get("Promise").Call("race", arr(p, timeout.Get("promise"))))
	if err == nil {
		return settled{value: v, ok: true}
	}
	var rej jsutil.Rejection
	if !errors.As(err, &rej) {
		t.Fatalf("awaiting the Promise: %v", err)
	}
	if same(rej.Reason, expired) {
		t.Fatalf("Promise did not settle within %v", awaitTimeout)
	}
	return settled{reason: rej.Reason}
}

// resolves awaits p and fails the test if it rejects.
func resolves(t *testing.T, p js.Value) js.Value {
	t.Helper()
	s := settle(t, p)
	if !s.ok {
		t.Fatalf("Promise rejected: %s", describe(s.reason))
	}
	return s.value
}

// rejects awaits p, fails the test unless it rejects with a coded Error
// carrying code, and returns the Error.
func rejects(t *testing.T, p js.Value, code string) js.Value {
	t.Helper()
	s := settle(t, p)
	if s.ok {
		t.Fatalf("Promise resolved with %s, want a rejection with code %s", describe(s.value), code)
	}
	checkCoded(t, s.reason, code)
	return s.reason
}

// checkCoded fails the test unless e is a JS Error with the given code, a
// non-empty message and an object details.
func checkCoded(t *testing.T, e js.Value, code string) {
	t.Helper()
	if !isError(e) {
		t.Fatalf("want an Error with code %s, got %s", code, describe(e))
	}
	if got := e.Get("code"); got.Type() != js.TypeString || got.String() != code {
		t.Fatalf("code = %s, want %s (message: %s)", describe(got), code, jsutil.Message(e))
	}
	if m := e.Get("message"); m.Type() != js.TypeString || m.String() == "" {
		t.Errorf("%s: message is empty", code)
	}
	if d := e.Get("details"); d.Type() != js.TypeObject || d.IsNull() {
		t.Errorf("%s: details = %s, want an object", code, describe(d))
	}
}

// thrown fails the test unless v is what a sync entry point returns on
// failure: an Error marked __fedwasmThrow with the given code.
func thrown(t *testing.T, v js.Value, code string) js.Value {
	t.Helper()
	if !isError(v) {
		t.Fatalf("want a returned Error marked %s with code %s, got %s", jsutil.ThrowMarker, code, describe(v))
	}
	if m := v.Get(jsutil.ThrowMarker); m.Type() != js.TypeBoolean || !m.Bool() {
		t.Fatalf("returned Error (code %s) is not marked %s = true", describe(v.Get("code")), jsutil.ThrowMarker)
	}
	checkCoded(t, v, code)
	return v
}

// notThrown fails the test if v is an Error a sync entry point returned to be thrown.
func notThrown(t *testing.T, v js.Value) js.Value {
	t.Helper()
	if isError(v) {
		t.Fatalf("sync call failed: %s", describe(v))
	}
	return v
}

func isError(v js.Value) bool {
	return v.Type() == js.TypeObject && v.InstanceOf(js.Global().Get("Error"))
}

// describe renders v for failure messages.
func describe(v js.Value) string {
	switch v.Type() {
	case js.TypeUndefined, js.TypeNull:
		return v.Type().String()
	case js.TypeString:
		return "string " + v.String()
	}
	if isError(v) {
		return "Error{code: " + describeShort(v.Get("code")) + ", message: " + describeShort(v.Get("message")) +
			", details: " + stringify(v.Get("details")) + "}"
	}
	return v.Type().String() + " " + stringify(v)
}

func describeShort(v js.Value) string {
	if v.Type() == js.TypeString {
		return v.String()
	}
	return v.Type().String()
}

func stringify(v js.Value) string {
	var s js.Value
	func() {
		defer func() { _ = recover() }()
		s = js.Global().Get("JSON").Call("stringify", v)
	}()
	if s.Type() == js.TypeString {
		return s.String()
	}
	return "<" + v.Type().String() + ">"
}

// env is one published runtime under test.
type env struct {
	t      *testing.T
	rt     *federation.Runtime
	bridge *Bridge
	api    js.Value // window.fedwasm
}

// newEnv publishes a fresh runtime as window.fedwasm, without host hooks.
func newEnv(t *testing.T) *env {
	t.Helper()
	return newEnvWithHooks(t, js.Undefined())
}

// brokerHooks returns loader hooks holding broker.js, imported from its text
// as the loader imports it, for tests of what needs the broker primitives.
func brokerHooks(t *testing.T) js.Value {
	t.Helper()
	blob := js.Global().Get("Blob").New([]any{loader.BrokerJS}, obj("type", "text/javascript"))
	url := js.Global().Get("URL").Call("createObjectURL", blob)
	defer js.Global().Get("URL").Call("revokeObjectURL", url)
	module, err := jsutil.Await(js.Global().Get("Function").New("url", "return import(url)").Invoke(url))
	if err != nil {
		t.Fatalf("importing broker.js: %v", err)
	}
	return obj("broker", module)
}

// newEnvWithHooks publishes a fresh runtime with window.__fedwasm_host = hooks
// (when hooks is not undefined), as loader.js would set it.
func newEnvWithHooks(t *testing.T, hooks js.Value) *env {
	t.Helper()
	g := js.Global()
	g.Delete("fedwasm")
	if hooks.IsUndefined() {
		g.Delete(HostHooksGlobal)
	} else {
		g.Set(HostHooksGlobal, hooks)
	}
	t.Cleanup(func() { g.Delete(HostHooksGlobal) })
	rt := federation.New("test")
	b := Publish(rt)
	t.Cleanup(b.Retire)
	api := g.Get("fedwasm")
	if api.Type() != js.TypeObject {
		t.Fatalf("Publish did not set window.fedwasm (got %s)", api.Type())
	}
	return &env{t: t, rt: rt, bridge: b, api: api}
}

// call invokes window.fedwasm.<path> (e.g. "loadShare" or "stores.get") as
// page JS would: fedwasm.loadShare(...args).
func (e *env) call(path string, args ...any) js.Value {
	e.t.Helper()
	this := e.api
	parts := strings.Split(path, ".")
	for _, p := range parts[:len(parts)-1] {
		this = this.Get(p)
	}
	fn := this.Get(parts[len(parts)-1])
	if fn.Type() != js.TypeFunction {
		e.t.Fatalf("fedwasm.%s is %s, not a function", path, fn.Type())
	}
	return fn.Call("call", append([]any{this}, args...)...)
}

// inspect returns fedwasm.inspect().
func (e *env) inspect() js.Value {
	e.t.Helper()
	return notThrown(e.t, e.call("inspect"))
}

// obj builds a plain JS object from key/value pairs.
func obj(kv ...any) js.Value {
	o := js.Global().Get("Object").New()
	for i := 0; i+1 < len(kv); i += 2 {
		o.Set(kv[i].(string), kv[i+1])
	}
	return o
}

// arr builds a JS array.
func arr(items ...any) js.Value {
	a := js.Global().Get("Array").New()
	for _, it := range items {
		a.Call("push", it)
	}
	return a
}

// module builds a fresh module-like object with a name to recognize it by.
func module(name string) js.Value {
	return obj("name", name, "default", obj("id", name))
}

// resolvedWith returns Promise.resolve bound to v: a JS function that, when
// called, returns a Promise fulfilled with v.
func resolvedWith(v js.Value) js.Value {
	p := js.Global().Get("Promise")
	return p.Get("resolve").Call("bind", p, v)
}

// rejectedWith returns Promise.reject bound to reason.
func rejectedWith(reason js.Value) js.Value {
	p := js.Global().Get("Promise")
	return p.Get("reject").Call("bind", p, reason)
}

// throwing returns a JS function that throws a SyntaxError when called, and
// the message it throws. It is JSON.parse bound to invalid text: a built-in,
// so no JS needs to be evaluated.
func throwing() (fn js.Value, message string) {
	jsonParse := js.Global().Get("JSON").Get("parse")
	const bad = "{not json"
	func() {
		defer func() {
			if r := recover(); r != nil {
				message = jsutil.Message(r.(js.Error).Value)
			}
		}()
		jsonParse.Invoke(bad)
	}()
	return jsonParse.Call("bind", js.Null(), bad), message
}

// newError returns new Error(message).
func newError(message string) js.Value {
	return js.Global().Get("Error").New(message)
}

// funcOf wraps f as a JS function released when the test ends.
func funcOf(t *testing.T, f func(this js.Value, args []js.Value) any) js.Func {
	fn := js.FuncOf(f)
	t.Cleanup(fn.Release)
	return fn
}

// str reads a string property, "" when it is not a string.
func str(v js.Value, path ...string) string {
	for _, p := range path {
		if v.Type() != js.TypeObject && v.Type() != js.TypeFunction {
			return ""
		}
		v = v.Get(p)
	}
	if v.Type() != js.TypeString {
		return ""
	}
	return v.String()
}

// waitFor polls cond (on the test goroutine, letting JS and other goroutines
// run in between) until it holds or the timeout passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(awaitTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// listen registers a window listener for typ and returns a channel of the
// events' detail values; it is removed when the test ends.
func listen(t *testing.T, typ string) <-chan js.Value {
	ch := make(chan js.Value, 64)
	fn := js.FuncOf(func(_ js.Value, a []js.Value) any {
		select {
		case ch <- jsutil.Arg(a, 0).Get("detail"):
		default:
		}
		return nil
	})
	js.Global().Call("addEventListener", typ, fn)
	t.Cleanup(func() {
		js.Global().Call("removeEventListener", typ, fn)
		fn.Release()
	})
	return ch
}

// same reports whether a and b are the same JS value (Object.is). Use it, not
// js.Value.Equal, for identity: Equal compares ref ids, and an id is released
// and reissued when no live Go Value holds it, so the same object can come
// back with another id.
func same(a, b js.Value) bool {
	return js.Global().Get("Object").Call("is", a, b).Bool()
}
