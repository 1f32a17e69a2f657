//go:build js && wasm

package jsutil

import (
	"runtime"
	"strconv"
	"syscall/js"

	"github.com/fedwasm/fedwasm/federation/errcode"
)

// Handler is the body of one API entry point.
type Handler func(this js.Value, args []js.Value) (any, error)

// AsyncFunc wraps h as a JS function that returns a Promise. h runs on its own
// goroutine, so it may Await JS Promises; a panic or JS exception inside it
// rejects the Promise with a coded Error instead of stopping the runtime.
func AsyncFunc(name string, h Handler) js.Func {
	return js.FuncOf(func(this js.Value, args []js.Value) any {
		promise, resolve, reject := NewPromise()
		go func() {
			value, err := runGuarded(name, this, args, h)
			if err == nil {
				value, err = adopted(name, value)
			}
			if err != nil {
				reject.Invoke(ErrorValue(err))
				return
			}
			resolve.Invoke(value)
		}()
		return promise
	})
}

// adopted is the value an async entry point's Promise settles with. A
// thenable (a remote's module that exports then, say) would be adopted by
// resolve itself, and a then that throws or a throwing getter would reject
// the Promise with an uncoded error; it is awaited here instead, so failures
// are coded.
func adopted(name string, value any) (any, error) {
	v, ok := value.(js.Value)
	if !ok {
		return value, nil
	}
	thenable, err := Guard(name, func() bool { return IsThenable(v) })
	if err != nil || !thenable {
		return value, err
	}
	return Await(v)
}

// SyncFunc wraps h as a JS function that returns h's value. On failure it
// returns a coded Error marked to be thrown; the loader's wrapper throws it,
// since Go cannot throw into its JS caller.
func SyncFunc(name string, h Handler) js.Func {
	return js.FuncOf(func(this js.Value, args []js.Value) any {
		value, err := runGuarded(name, this, args, h)
		if err != nil {
			e := ErrorValue(err)
			e.Set(ThrowMarker, true)
			return e
		}
		return value
	})
}

// ThrowMarker marks an Error a sync entry point returned for its wrapper to throw.
const ThrowMarker = "__fedwasmThrow"

// runGuarded calls h, converting a panic into an error with a code.
func runGuarded(name string, this js.Value, args []js.Value, h Handler) (value any, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = Recovered(name, r)
			value = nil
		}
	}()
	value, err = h(this, args)
	if err != nil {
		return nil, err
	}
	return ToJS(value), nil
}

// recovered turns a recovered panic into a coded error: a JS exception keeps
// its JS message, anything else is an internal panic with its stack.
func Recovered(where string, r any) *errcode.Error {
	if jsErr, ok := r.(js.Error); ok {
		return errcode.New(errcode.JSException, map[string]any{"call": where, "jsMessage": Message(jsErr.Value)},
			"fedwasm."+where+": JavaScript code it called threw: "+Message(jsErr.Value)+"; fix the throwing callback or value; the runtime keeps running")
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

// Guard runs f and converts a JS exception or panic inside it into an error,
// for calls into user code whose failure is an ordinary outcome.
func Guard[T any](where string, f func() T) (result T, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = Recovered(where, r)
		}
	}()
	return f(), nil
}

// NewPromise returns a pending Promise with its resolve and reject functions.
func NewPromise() (promise, resolve, reject js.Value) {
	r := reflectApply.Invoke(withResolvers, promiseCtor, emptyArgs)
	return r.Get("promise"), r.Get("resolve"), r.Get("reject")
}

// Await waits for v (a Promise or any value) to settle. It must run on a
// goroutine of its own, never directly inside a js.FuncOf callback.
func Await(v js.Value) (js.Value, error) {
	// Reading then may run page code (a getter, a Proxy's trap) on a
	// goroutine no entry point guards: a throw there would end Go.
	thenable, err := Guard("await", func() bool { return IsThenable(v) })
	if err != nil {
		return js.Undefined(), err
	}
	if !thenable {
		return v, nil
	}
	type settled struct {
		value js.Value
		err   js.Value
		ok    bool
	}
	done := make(chan settled, 1)
	onFulfilled := js.FuncOf(func(_ js.Value, a []js.Value) any {
		done <- settled{value: Arg(a, 0), ok: true}
		return nil
	})
	onRejected := js.FuncOf(func(_ js.Value, a []js.Value) any {
		done <- settled{err: Arg(a, 0)}
		return nil
	})
	defer onFulfilled.Release()
	defer onRejected.Release()
	if _, err := Guard("await", func() js.Value { return v.Call("then", onFulfilled, onRejected) }); err != nil {
		return js.Undefined(), err
	}
	s := <-done
	if !s.ok {
		return js.Undefined(), Rejection{s.err}
	}
	return s.value, nil
}

// AwaitWithin is Await bounded by ms milliseconds: settled is false when v
// had not settled by then. The bound is a Promise.race of v and a timer, in
// JS: once it returns, a v that never settles holds no goroutine or js.Func
// of Go's (Await on v itself would wait for ever).
func AwaitWithin(v js.Value, ms float64) (value js.Value, settled bool, err error) {
	thenable, err := Guard("await", func() bool { return IsThenable(v) })
	if err != nil {
		return js.Undefined(), true, err
	}
	if !thenable {
		return v, true, nil
	}
	timer, expire, _ := NewPromise()
	expired := Object()
	handle := setTimeout.Invoke(expire, min(ms, maxTimeout), expired)
	defer clearTimeout.Invoke(handle)
	race, err := Guard("await", func() js.Value {
		return reflectApply.Invoke(promiseRace, promiseCtor, arrayCtor.Invoke(arrayCtor.Invoke(v, timer))) // race([v, timer])
	})
	if err != nil {
		return js.Undefined(), true, err
	}
	value, err = Await(race)
	if err == nil && value.Equal(expired) {
		return js.Undefined(), false, nil
	}
	return value, true, err
}

// Rejection is a JS Rejection reason carried as a Go error.
type Rejection struct{ Reason js.Value }

func (r Rejection) Error() string { return Message(r.Reason) }

func Arg(args []js.Value, i int) js.Value {
	if i < len(args) {
		return args[i]
	}
	return js.Undefined()
}

// Message renders a thrown JS value as text without calling back into it.
func Message(v js.Value) string {
	if m, ok := SafeProperty(v, "message"); ok && m.Type() == js.TypeString {
		return m.String()
	}
	if v.Type() == js.TypeString {
		return v.String()
	}
	return v.Type().String()
}

// IsThenable reports whether v looks like a Promise.
func IsThenable(v js.Value) bool {
	t := v.Type()
	return (t == js.TypeObject || t == js.TypeFunction) && Property(v, "then").Type() == js.TypeFunction
}
