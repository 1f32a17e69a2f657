//go:build js && wasm

package jsbridge

import (
	"runtime"
	"strconv"
	"syscall/js"

	"github.com/fedwasm/fedwasm/federation/errcode"
)

// handler is the body of one API entry point.
type handler func(this js.Value, args []js.Value) (any, error)

// asyncFunc wraps h as a JS function that returns a Promise. h runs on its own
// goroutine, so it may await JS Promises; a panic or JS exception inside it
// rejects the Promise with a coded Error instead of stopping the runtime.
func asyncFunc(name string, h handler) js.Func {
	return js.FuncOf(func(this js.Value, args []js.Value) any {
		promise, resolve, reject := newPromise()
		go func() {
			value, err := runGuarded(name, this, args, h)
			if err != nil {
				reject.Invoke(jsError(err))
				return
			}
			resolve.Invoke(value)
		}()
		return promise
	})
}

// syncFunc wraps h as a JS function that returns h's value. On failure it
// returns a coded Error marked to be thrown; the loader's wrapper throws it,
// since Go cannot throw into its JS caller.
func syncFunc(name string, h handler) js.Func {
	return js.FuncOf(func(this js.Value, args []js.Value) any {
		value, err := runGuarded(name, this, args, h)
		if err != nil {
			e := jsError(err)
			e.Set(throwMarker, true)
			return e
		}
		return value
	})
}

// throwMarker marks an Error a sync entry point returned for its wrapper to throw.
const throwMarker = "__fedwasmThrow"

// runGuarded calls h, converting a panic into an error with a code.
func runGuarded(name string, this js.Value, args []js.Value, h handler) (value any, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = recovered(name, r)
			value = nil
		}
	}()
	value, err = h(this, args)
	if err != nil {
		return nil, err
	}
	return toJS(value), nil
}

// recovered turns a recovered panic into a coded error: a JS exception keeps
// its JS message, anything else is an internal panic with its stack.
func recovered(where string, r any) *errcode.Error {
	if jsErr, ok := r.(js.Error); ok {
		return errcode.New(errcode.JSException, map[string]any{"call": where, "jsMessage": jsMessage(jsErr.Value)},
			"fedwasm."+where+": JavaScript code it called threw: "+jsMessage(jsErr.Value)+"; fix the throwing callback or value; the runtime keeps running")
	}
	text := panicText(r)
	return errcode.New(errcode.InternalPanic, map[string]any{"call": where, "panic": text, "stack": stack()},
		"fedwasm."+where+" panicked inside the runtime: "+text+"; this is a fedwasm bug, please report it with details.stack; the runtime keeps running")
}

// panicText is a recovered panic value as text: an error's Error(), a
// Stringer's String(), a string or an integer as is. Other values are named
// only by kind: printing them would need reflection (fmt), and details.stack
// shows where the panic happened.
func panicText(r any) string {
	switch v := r.(type) {
	case error:
		return v.Error()
	case interface{ String() string }:
		return v.String()
	case string:
		return v
	case int:
		return strconv.Itoa(v)
	default:
		return "a panic value of a type the runtime does not print"
	}
}

// stack is the calling goroutine's stack trace, as runtime/debug.Stack gives
// it, without linking runtime/debug (and its init work) into the wasm.
func stack() string {
	buf := make([]byte, 4096)
	for {
		if n := runtime.Stack(buf, false); n < len(buf) {
			return string(buf[:n])
		}
		buf = make([]byte, 2*len(buf))
	}
}

// guard runs f and converts a JS exception or panic inside it into an error,
// for calls into user code whose failure is an ordinary outcome.
func guard[T any](where string, f func() T) (result T, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = recovered(where, r)
		}
	}()
	return f(), nil
}

// newPromise returns a pending Promise with its resolve and reject functions.
func newPromise() (promise, resolve, reject js.Value) {
	r := js.Global().Get("Promise").Call("withResolvers")
	return r.Get("promise"), r.Get("resolve"), r.Get("reject")
}

// await waits for v (a Promise or any value) to settle. It must run on a
// goroutine of its own, never directly inside a js.FuncOf callback.
func await(v js.Value) (js.Value, error) {
	if !isThenable(v) {
		return v, nil
	}
	type settled struct {
		value js.Value
		err   js.Value
		ok    bool
	}
	done := make(chan settled, 1)
	onFulfilled := js.FuncOf(func(_ js.Value, a []js.Value) any {
		done <- settled{value: arg(a, 0), ok: true}
		return nil
	})
	onRejected := js.FuncOf(func(_ js.Value, a []js.Value) any {
		done <- settled{err: arg(a, 0)}
		return nil
	})
	defer onFulfilled.Release()
	defer onRejected.Release()
	if _, err := guard("await", func() js.Value { return v.Call("then", onFulfilled, onRejected) }); err != nil {
		return js.Undefined(), err
	}
	s := <-done
	if !s.ok {
		return js.Undefined(), rejection{s.err}
	}
	return s.value, nil
}

// rejection is a JS rejection reason carried as a Go error.
type rejection struct{ reason js.Value }

func (r rejection) Error() string { return jsMessage(r.reason) }

func arg(args []js.Value, i int) js.Value {
	if i < len(args) {
		return args[i]
	}
	return js.Undefined()
}

// jsMessage renders a thrown JS value as text without calling back into it.
func jsMessage(v js.Value) string {
	if m, ok := safeProperty(v, "message"); ok && m.Type() == js.TypeString {
		return m.String()
	}
	if v.Type() == js.TypeString {
		return v.String()
	}
	return v.Type().String()
}
