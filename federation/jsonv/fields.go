package jsonv

import (
	"math"
	"strconv"
)

// TypeError is a value of the wrong JSON type for its field.
type TypeError struct {
	Field string // the path of the field, such as "remotes[0].entry"; "" for the whole value
	Got   string // the JSON type it has: Kind(v)
	Want  string // what it should be, such as "a string"
}

func (e *TypeError) Error() string {
	where := "the value"
	if e.Field != "" {
		where = "field " + e.Field
	}
	return where + " is " + article(e.Got) + ", not " + e.Want
}

// Kind names the JSON type of a plain value: object, array, string, number, boolean or null.
func Kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "boolean"
	}
	return "non-JSON value"
}

func article(kind string) string {
	if kind == "array" || kind == "object" {
		return "an " + kind
	}
	if kind == "null" {
		return kind
	}
	return "a " + kind
}

// Fields reads typed values out of plain values as encoding/json fills a
// struct: null and absent fields give the zero value, and the first value of
// the wrong type is kept in Err (a *TypeError) while reading goes on.
type Fields struct {
	Err error
}

func (f *Fields) fail(field string, v any, want string) {
	if f.Err == nil {
		f.Err = &TypeError{Field: field, Got: Kind(v), Want: want}
	}
}

// Object reads an object; nil when v is null.
func (f *Fields) Object(v any, field string) map[string]any {
	switch x := v.(type) {
	case nil:
	case map[string]any:
		return x
	default:
		f.fail(field, v, "an object")
	}
	return nil
}

// Array reads an array; nil when v is null.
func (f *Fields) Array(v any, field string) []any {
	switch x := v.(type) {
	case nil:
	case []any:
		return x
	default:
		f.fail(field, v, "an array")
	}
	return nil
}

// String reads a string.
func (f *Fields) String(v any, field string) string {
	switch x := v.(type) {
	case nil:
	case string:
		return x
	default:
		f.fail(field, v, "a string")
	}
	return ""
}

// OptString reads a string that may be null or absent (nil).
func (f *Fields) OptString(v any, field string) *string {
	if v == nil {
		return nil
	}
	s := f.String(v, field)
	return &s
}

// Bool reads a boolean.
func (f *Fields) Bool(v any, field string) bool {
	switch x := v.(type) {
	case nil:
	case bool:
		return x
	default:
		f.fail(field, v, "a boolean")
	}
	return false
}

// Float reads a number.
func (f *Fields) Float(v any, field string) float64 {
	switch x := v.(type) {
	case nil:
	case float64:
		return x
	default:
		f.fail(field, v, "a number")
	}
	return 0
}

// Int reads a whole number that fits an int32 (what config and envelope fields hold).
func (f *Fields) Int(v any, field string) int {
	switch x := v.(type) {
	case nil:
	case float64:
		if x == math.Trunc(x) && x >= math.MinInt32 && x <= math.MaxInt32 {
			return int(x)
		}
		if f.Err == nil {
			f.Err = &TypeError{Field: field, Got: "number " + strconv.FormatFloat(x, 'g', -1, 64), Want: "a whole number from -2147483648 to 2147483647"}
		}
	default:
		f.fail(field, v, "a whole number")
	}
	return 0
}

// Strings reads an array of strings; nil when v is null.
func (f *Fields) Strings(v any, field string) []string {
	a := f.Array(v, field)
	if a == nil {
		return nil
	}
	out := make([]string, len(a))
	for i, e := range a {
		out[i] = f.String(e, Index(field, i))
	}
	return out
}

// Key is the path of an object member: field + "." + key, or key at the top.
func Key(field, key string) string {
	if field == "" {
		return key
	}
	return field + "." + key
}

// Index is the path of an array element: field + "[i]".
func Index(field string, i int) string {
	return field + "[" + strconv.Itoa(i) + "]"
}
