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
	return PlainValueAside(call, v, nil)
}

// PlainValueAside is PlainValue, but the value of each property inside v is
// first offered to aside (when not nil) with its path from v: the keys, and
// array indexes in decimal. A value aside takes (returns true for) is left
// out, unread, as a function would be: init(config) takes its functions and
// module objects out of the config this way, and Go decodes the rest.
func PlainValueAside(call string, v js.Value, aside func(path []string, v js.Value) bool) (value any, ok bool, err error) {
	type result struct {
		value any
		ok    bool
		err   error
	}
	r := plainReader{call: call, aside: aside}
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
	aside  func(path []string, v js.Value) bool // see PlainValueAside
	path   []string                             // the keys from the top to the value read, when aside is set
}

// takenAside offers item, found under key, to r.aside; when it is not taken,
// key stays on r.path until the caller pops it.
func (r *plainReader) takenAside(key string, item js.Value) bool {
	if r.aside == nil {
		return false
	}
	r.path = append(r.path, key)
	if r.aside(r.path, item) {
		r.path = r.path[:len(r.path)-1]
		return true
	}
	return false
}

// pop ends the read of a value takenAside did not take.
func (r *plainReader) pop() {
	if r.aside != nil {
		r.path = r.path[:len(r.path)-1]
	}
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
		key, value := k.String(), Property(v, k)
		if r.takenAside(key, value) {
			continue
		}
		item, ok, err := r.read(value, key, depth, true)
		r.pop()
		if err != nil {
			return nil, false, err
		}
		if ok {
			m[key] = item
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
		key, value := strconv.Itoa(i), Property(v, i)
		if r.takenAside(key, value) {
			continue
		}
		item, ok, err := r.read(value, key, depth, true)
		r.pop()
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
