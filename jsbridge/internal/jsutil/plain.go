//go:build js && wasm

package jsutil

import (
	"math"
	"strconv"
	"sync"
	"syscall/js"

	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/limits"
)

// PlainValue reads v, a plain-data argument of call, into plain Go values (as
// jsonv gives them) the way JSON.stringify sees it: an object's toJSON is
// called; functions, symbols and undefined are left out of objects and are
// null in arrays; NaN and infinities are null; only own enumerable string
// keys count (Object.keys). ok is false when v itself has no JSON form.
//
// JSON.stringify itself is not used because it cannot be bounded: it reads a
// Proxy's length as often as it likes and walks whatever that length says
// (a length of 1e9 froze the page for minutes), and deep nesting overflows
// the JS stack. Here each array's length is read once and checked before its
// items are (LengthOf), and the walk stops at limits.ValueDepth levels (which
// also ends a cycle) and limits.Values values, with LIMIT_EXCEEDED. Every read
// goes through Reflect.get, so a throwing getter or trap becomes an error.
func PlainValue(call string, v js.Value) (value any, ok bool, err error) {
	type result struct {
		value any
		ok    bool
		err   error
	}
	r := plainReader{call: call}
	out, guardErr := Guard(call, func() result {
		value, ok, err := r.read(v, "", 0, true)
		return result{value, ok, err}
	})
	if guardErr != nil {
		return nil, false, guardErr
	}
	return out.value, out.ok, out.err
}

// plainReader is one PlainValue walk: the call it reads for and the values
// read so far.
type plainReader struct {
	call   string
	values int
}

// plainDataFix is what to do about an argument over a limit.
var plainDataFix = "pass plain data (JSON-like objects and arrays, no cycles), at most " + strconv.Itoa(limits.ValueDepth) +
	" levels deep and " + strconv.Itoa(limits.Values) + " values in all"

// read reads v, found under key, at nesting depth; toJSON says whether an
// object's toJSON is still to be called (JSON.stringify calls it once).
func (r *plainReader) read(v js.Value, key string, depth int, toJSON bool) (any, bool, error) {
	r.values++
	if r.values > limits.Values {
		return nil, false, limits.Exceeded(r.call, "values", r.values, limits.Values, plainDataFix)
	}
	switch v.Type() {
	case js.TypeNull:
		return nil, true, nil
	case js.TypeBoolean:
		return v.Bool(), true, nil
	case js.TypeNumber:
		if f := v.Float(); !math.IsNaN(f) && !math.IsInf(f, 0) {
			return f, true, nil
		}
		return nil, true, nil
	case js.TypeString:
		return v.String(), true, nil
	case js.TypeObject:
	default: // undefined, a function, a symbol: no JSON form
		return nil, false, nil
	}
	if toJSON {
		if fn := Property(v, Key("toJSON")); fn.Type() == js.TypeFunction {
			r.values--
			return r.read(reflectApply.Invoke(fn, v, arrayCtor.Invoke(js.Null(), key)), key, depth, false)
		}
	}
	depth++
	if depth > limits.ValueDepth {
		return nil, false, limits.Exceeded(r.call, "levels of nesting", depth, limits.ValueDepth, plainDataFix)
	}
	if IsArray(v) {
		return r.readArray(v, depth)
	}
	keys := Keys(v)
	n := keys.Length() // Object.keys made a real array: its length is what it holds
	if err := limits.Check(r.call, "values", r.values+n, limits.Values, plainDataFix); err != nil {
		return nil, false, err
	}
	m := make(map[string]any, n)
	for i := 0; i < n; i++ {
		k := keys.Index(i)
		item, ok, err := r.read(Property(v, k), k.String(), depth, true)
		if err != nil {
			return nil, false, err
		}
		if ok {
			m[k.String()] = item
		}
	}
	return m, true, nil
}

// readArray reads the items of array v (maybe a Proxy), its length read once.
func (r *plainReader) readArray(v js.Value, depth int) (any, bool, error) {
	n, err := LengthOf(r.call, v)
	if err != nil {
		return nil, false, err
	}
	if err := limits.Check(r.call, "values", r.values+n, limits.Values, plainDataFix); err != nil {
		return nil, false, err
	}
	list := make([]any, n)
	for i := 0; i < n; i++ {
		item, ok, err := r.read(Property(v, i), strconv.Itoa(i), depth, true)
		if err != nil {
			return nil, false, err
		}
		if ok {
			list[i] = item
		}
	}
	return list, true, nil
}

// LengthOf reads the length of array v, an argument of call, once: the
// count to check against a limit before reading the items, and to use
// instead of the length afterwards (a Proxy may answer anything, and
// differently each time). A length that is not a count is INVALID_ARGUMENT.
func LengthOf(call string, v js.Value) (int, error) {
	length := Property(v, Key("length"))
	if length.Type() == js.TypeNumber {
		if n, ok := limits.Length(length.Float()); ok {
			return n, nil
		}
	}
	what := "a " + length.Type().String()
	if length.Type() == js.TypeNumber {
		what = strconv.FormatFloat(length.Float(), 'g', -1, 64)
	}
	return 0, errcode.New(errcode.InvalidArgument, map[string]any{"call": call},
		call+": an array's length is "+what+", not a count; pass a plain array")
}

// keys holds the JS string of each property name the runtime reads or
// writes by name (options, entry fields), made once: a Go string key is
// copied into a new JS string on every use otherwise, which costs more than
// the read. Only names from the runtime's own code go here, never caller
// input, so it stays small.
var keys sync.Map // string → js.Value

// Key is name as a JS string, made on first use: pass it as a property key
// where a name is read or written often.
func Key(name string) js.Value {
	if k, ok := keys.Load(name); ok {
		return k.(js.Value)
	}
	k, _ := keys.LoadOrStore(name, js.ValueOf(name))
	return k.(js.Value)
}
