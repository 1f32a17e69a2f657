//go:build js && wasm

package jsutil

import "syscall/js"

// The page's built-ins the runtime relies on, taken once when the package
// initializes — before Go publishes window.fedwasm, so before any caller can
// reach the runtime — and used from here on. Page code that later replaces
// window.Promise, Promise.withResolvers, JSON.parse, Error or Reflect.get
// changes what it sees, not what the runtime calls. (wasm_exec.js itself reads
// the global Reflect on every crossing; a page that replaces it breaks every Go
// program in the page, and is out of reach by design.)
var (
	global        = js.Global()
	objectCtor    = global.Get("Object")
	errorCtor     = global.Get("Error")
	promiseCtor   = global.Get("Promise")
	withResolvers = promiseCtor.Get("withResolvers")
	promiseRace   = promiseCtor.Get("race")
	reflectGet    = global.Get("Reflect").Get("get")
	reflectApply  = global.Get("Reflect").Get("apply")
	reflectSet    = global.Get("Reflect").Get("set")
	reflectDelete = global.Get("Reflect").Get("deleteProperty")
	reflectHas    = global.Get("Reflect").Get("has")
	objectString  = objectCtor.Get("prototype").Get("toString")
	hasInstance   = reflectGet.Invoke(global.Get("Function").Get("prototype"), global.Get("Symbol").Get("hasInstance"))
	jsonParse     = global.Get("JSON").Get("parse")
	jsonStringify = global.Get("JSON").Get("stringify")
	dateNow       = global.Get("Date").Get("now")
	performance   = global.Get("performance")
	uptime        = performance.Get("now")
	setTimeout    = global.Get("setTimeout")
	clearTimeout  = global.Get("clearTimeout")
	objectKeys    = objectCtor.Get("keys")
	objectAssign  = objectCtor.Get("assign")
	objectDefine  = objectCtor.Get("defineProperty")
	objectHasOwn  = objectCtor.Get("hasOwn")
	objectCreate  = objectCtor.Get("create")
	isArray       = global.Get("Array").Get("isArray")
	functionBind  = global.Get("Function").Get("prototype").Get("bind")
	arrayCtor     = global.Get("Array")
	emptyArgs     = arrayCtor.New()
	uint8Array    = global.Get("Uint8Array")
	encodeInto    = functionBind.Call("call", global.Get("TextEncoder").Get("prototype").Get("encodeInto"), global.Get("TextEncoder").New())
)

// NewUint8Array is new Uint8Array(n).
func NewUint8Array(n int) js.Value { return uint8Array.New(n) }

// EncodeInto writes text (a JS string) as UTF-8 into dst (a Uint8Array) as
// far as it fits, with TextEncoder's encodeInto, and returns the bytes written.
func EncodeInto(text, dst js.Value) int { return encodeInto.Invoke(text, dst).Get("written").Int() }

// Object returns a new plain object ({}).
func Object() js.Value { return objectCtor.New() }

// Dictionary returns a new object without a prototype (Object.create(null)).
func Dictionary() js.Value { return objectCreate.Invoke(js.Null()) }

// Array returns a new empty array.
func Array() js.Value { return arrayCtor.New() }

// IsArray is Array.isArray(v).
func IsArray(v js.Value) bool { return isArray.Invoke(v).Bool() }

// Keys is Object.keys(v); a Proxy's ownKeys trap that throws panics with a
// js.Error, for a Guard to recover.
func Keys(v js.Value) js.Value { return objectKeys.Invoke(v) }

// Assign is Object.assign(target, source).
func Assign(target, source js.Value) { objectAssign.Invoke(target, source) }

// ParseJSON is JSON.parse(text), text a Go string or a JS string.
func ParseJSON(text any) js.Value { return jsonParse.Invoke(text) }

// StringifyJSON is JSON.stringify(v); it panics with a js.Error when v cannot
// be written (a cycle, a BigInt, a throwing toJSON), for a Guard to recover.
func StringifyJSON(v js.Value) js.Value { return jsonStringify.Invoke(v) }

// Now is Date.now(), milliseconds since the epoch.
func Now() float64 { return dateNow.Invoke().Float() }

// Uptime is performance.now(): milliseconds since the page started, on a
// monotonic clock.
func Uptime() float64 { return reflectApply.Invoke(uptime, performance, emptyArgs).Float() }

// Constant returns a JS function that returns v without calling into Go:
// Reflect.get bound to a holder object.
func Constant(v js.Value) js.Value {
	holder := Object()
	holder.Set("value", v)
	return reflectApply.Invoke(functionBind, reflectGet, arrayCtor.Invoke(js.Null(), holder, "value"))
}

// SetProperty is Reflect.set(target, key, value), for writing many objects
// with a Key: Value.Set copies its Go string key into JS on every call.
func SetProperty(target js.Value, key js.Value, value any) { reflectSet.Invoke(target, key, value) }

// DeleteProperty is Reflect.deleteProperty(target, key): unlike
// Value.Delete, a throw comes back to Go (as Invoke's panic, which Guard
// recovers) rather than past wasm_exec.js.
func DeleteProperty(target js.Value, key string) { reflectDelete.Invoke(target, key) }

// DefineValue defines target[key] as a writable, non-configurable value,
// as Module Federation's runtime defines its globals.
func DefineValue(target js.Value, key string, value any) {
	desc := Object()
	desc.Set("value", value)
	desc.Set("writable", true)
	objectDefine.Invoke(target, key, desc)
}

// Has is Reflect.has(target, key): key in target. A Proxy's trap may throw
// (a panic the caller's Guard recovers).
func Has(target js.Value, key string) bool { return reflectHas.Invoke(target, key).Bool() }

// Tag is Object.prototype.toString.call(v): "[object Object]" for a plain
// object, "[object Array]", "[object Function]", …
func Tag(v js.Value) string { return reflectApply.Invoke(objectString, v, emptyArgs).String() }

// InstanceOf reports whether v's prototype chain holds the prototype of the
// page's global constructor ctor (ordinary instanceof, which no
// Symbol.hasInstance of the page's can fake; a Proxy's getPrototypeOf trap
// may throw, a panic the caller's Guard recovers). A missing constructor
// makes it false.
func InstanceOf(v js.Value, ctor string) bool {
	c, ok := classes[ctor]
	if !ok || c.Type() != js.TypeFunction {
		return false
	}
	args := arrayCtor.New()
	args.SetIndex(0, v) // Array(v) of a number would be v holes
	return reflectApply.Invoke(hasInstance, c, args).Bool()
}

// classes are the constructors InstanceOf knows, as the page had them.
var classes = map[string]js.Value{
	"Response":          global.Get("Response"),
	"HTMLScriptElement": global.Get("HTMLScriptElement"),
}

// HasOwn is Object.hasOwn(target, key).
func HasOwn(target js.Value, key string) bool { return objectHasOwn.Invoke(target, key).Bool() }

// Binder returns Function.prototype.bind bound to fn: binder(this, ...args)
// is fn.bind(this, ...args), one crossing per binding.
func Binder(fn js.Value) js.Value {
	return reflectApply.Invoke(functionBind, functionBind, arrayCtor.Invoke(fn)) // Array(fn) is [fn]
}
