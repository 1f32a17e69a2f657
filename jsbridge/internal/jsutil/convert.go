//go:build js && wasm

package jsutil

import (
	"errors"
	"strconv"
	"syscall/js"

	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/jsonv"
)

// ErrorValue converts err into a JS Error with code, message and details.
func ErrorValue(err error) js.Value {
	fallbackCode := errcode.InternalPanic
	if rej, ok := errors.AsType[Rejection](err); ok {
		if code, ok := SafeProperty(rej.Reason, "code"); ok && code.Type() == js.TypeString {
			return rej.Reason // already a coded Error from JS or from fedwasm: pass it on unchanged
		}
		fallbackCode = errcode.JSException
	}
	coded := errcode.As(err, fallbackCode)
	e := errorCtor.New(coded.Text())
	e.Set("name", "FedwasmError")
	e.Set("code", coded.Code)
	e.Set("details", ToJS(coded.Details))
	return e
}

// Property reads v[key] for a user-supplied v, through Reflect.get: Value.Get
// and Value.Index do not catch a throwing getter or Proxy trap (wasm_exec.js
// has no try/catch there, so the exception would unwind through Go's frames),
// while Invoke turns it into a js.Error panic that the entry point's Guard
// recovers.
func Property(v js.Value, key any) js.Value { return reflectGet.Invoke(v, key) }

// SafeProperty reads v[key] and reports false instead of panicking, for code
// that runs outside an entry point's Guard (error conversion).
func SafeProperty(v js.Value, key string) (value js.Value, ok bool) {
	defer func() {
		if recover() != nil {
			value, ok = js.Undefined(), false
		}
	}()
	if t := v.Type(); t != js.TypeObject && t != js.TypeFunction {
		return js.Undefined(), false
	}
	return Property(v, key), true
}

// ToJS converts a Go value to JS. js.Value and nil pass through; strings,
// numbers and bools convert directly; everything else (error details,
// inspect()'s snapshot) is written as JSON by jsonv and parsed by JSON.parse.
func ToJS(v any) js.Value {
	switch x := v.(type) {
	case nil:
		return js.Undefined()
	case js.Value:
		return x
	case js.Func:
		return x.Value
	case string, bool, int, int64, float64:
		return js.ValueOf(x)
	}
	return ParseJSON(string(jsonv.Marshal(v)))
}

// JSONText is v, a plain-data argument of an API call, as JSON text: what
// JSON.stringify(v) gives, read within the limits PlainValue keeps.
func JSONText(v js.Value, what string) ([]byte, error) {
	value, ok, err := PlainValue(what, v)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errcode.New(errcode.InvalidArgument, map[string]any{"argument": what}, what+" must be a plain object")
	}
	return jsonv.Marshal(value), nil
}

// options reads named fields of an optional options object with type checks,
// so bad input becomes an INVALID_ARGUMENT error rather than a panic.
type Options struct {
	call string
	v    js.Value
}

func OptionsArg(call string, args []js.Value, i int) (Options, error) {
	v := Arg(args, i)
	switch v.Type() {
	case js.TypeUndefined, js.TypeNull:
		return Options{call: call, v: js.Undefined()}, nil
	case js.TypeObject:
		return Options{call: call, v: v}, nil
	}
	return Options{}, errcode.New(errcode.InvalidArgument, map[string]any{"call": call, "index": i},
		"fedwasm."+call+": argument "+strconv.Itoa(i+1)+" must be an options object, not a "+v.Type().String())
}

// OptionsOf reads v (an object, or undefined for none) as call's options.
func OptionsOf(call string, v js.Value) Options { return Options{call: call, v: v} }

// Given reports whether the caller passed an options object.
func (o Options) Given() bool { return !o.v.IsUndefined() }

// Field reads the named field, undefined when no options were given.
func (o Options) Field(name string) js.Value {
	if o.v.IsUndefined() {
		return js.Undefined()
	}
	return Property(o.v, Key(name))
}

func (o Options) String(name, def string) (string, error) {
	v := o.Field(name)
	switch v.Type() {
	case js.TypeUndefined, js.TypeNull:
		return def, nil
	case js.TypeString:
		return v.String(), nil
	}
	return "", o.wrongType(name, "a string", v)
}

func (o Options) Bool(name string, def bool) (bool, error) {
	v := o.Field(name)
	switch v.Type() {
	case js.TypeUndefined, js.TypeNull:
		return def, nil
	case js.TypeBoolean:
		return v.Bool(), nil
	}
	return false, o.wrongType(name, "a boolean", v)
}

func (o Options) Number(name string, def float64) (float64, error) {
	v := o.Field(name)
	switch v.Type() {
	case js.TypeUndefined, js.TypeNull:
		return def, nil
	case js.TypeNumber:
		return v.Float(), nil
	}
	return 0, o.wrongType(name, "a number", v)
}

// Func returns the named field when it is a function, or undefined.
func (o Options) Func(name string) (js.Value, error) {
	v := o.Field(name)
	switch v.Type() {
	case js.TypeUndefined, js.TypeNull:
		return js.Undefined(), nil
	case js.TypeFunction:
		return v, nil
	}
	return js.Undefined(), o.wrongType(name, "a function", v)
}

func (o Options) wrongType(name, want string, got js.Value) error {
	return errcode.New(errcode.InvalidArgument, map[string]any{"call": o.call, "option": name},
		"fedwasm."+o.call+": option "+strconv.Quote(name)+" must be "+want+", not a "+got.Type().String())
}

// ArgumentError re-codes a validation error raised while checking an API
// call's argument (config.* validators say CONFIG_INVALID) as INVALID_ARGUMENT,
// keeping the message and details.
func ArgumentError(call string, err error) error {
	coded := errcode.As(err, errcode.InvalidArgument)
	if coded.Code != errcode.ConfigInvalid {
		return coded
	}
	return errcode.New(errcode.InvalidArgument, coded.Details, "fedwasm."+call+": "+coded.Message)
}

// StringArg reads a required non-empty string argument.
func StringArg(call, what string, args []js.Value, i int) (string, error) {
	v := Arg(args, i)
	if v.Type() != js.TypeString || v.String() == "" {
		return "", errcode.New(errcode.InvalidArgument, map[string]any{"call": call, "argument": what},
			"fedwasm."+call+": "+what+" must be a non-empty string, not "+v.Type().String())
	}
	return v.String(), nil
}
