package jsonv_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/fedwasm/fedwasm/federation/jsonv"
)

// jsonSeeds are texts the differential tests and the fuzz target start from.
var jsonSeeds = []string{
	`null`, `true`, `false`, `0`, `-0`, `1.5e3`, `-12.25E-2`, `1e400`, `01`, `1.`, `-`, `.5`, `1e`, `+1`,
	`""`, `"a\"b\\c\/d\b\f\n\r\t"`, `"\u00e9\u2028\ud83d\ude00"`, `"\ud800"`, `"\ud800\u0041"`, `"\udc00x"`,
	`"\u12"`, `"\x"`, "\"tab\there\"", "\"\xff\xfe\"", `"<a href='x'>&amp;</a>"`, `"é😀"`,
	`{}`, `[]`, `{"a":1,"b":[true,null,{"c":"d"}]}`, `{"a":1,"a":2}`, `[1,2,]`, `{"a":1,}`, `{"a" 1}`, `{a:1}`,
	`[`, `{`, `{"a":`, `["a"`, ` [ 1 , 2 ] `, `{"a":1} x`, `1 2`, `nul`, `tru`, `[1e-7, 1e21, 123456789012345678901234, 5e-324]`,
	`{"schemaVersion":2,"state":{"n":1},"writtenAt":5,"tab":"t"}`, "\t\n\r {\"k\" : [ ] } \n",
}

// TestParseMatchesEncodingJSON: Parse accepts exactly what json.Unmarshal
// into an any accepts, with the same values, and Marshal writes what
// json.Marshal writes for them.
func TestParseMatchesEncodingJSON(t *testing.T) {
	for _, s := range jsonSeeds {
		t.Run(s, func(t *testing.T) { differential(t, []byte(s)) })
	}
}

func differential(t *testing.T, data []byte) {
	t.Helper()
	var want any
	wantErr := json.Unmarshal(data, &want)
	got, err := jsonv.Parse(data)
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("Parse(%q) err = %v, encoding/json err = %v", data, err, wantErr)
	}
	if err != nil {
		var syntax *jsonv.SyntaxError
		if !errors.As(err, &syntax) || syntax.Offset < 0 || syntax.Offset > len(data) {
			t.Fatalf("Parse(%q) error %v is not a SyntaxError with an offset in the input", data, err)
		}
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Parse(%q) = %#v, encoding/json gives %#v", data, got, want)
	}
	wantText, _ := json.Marshal(want)
	if gotText := jsonv.Marshal(got); !bytes.Equal(gotText, wantText) {
		t.Fatalf("Marshal(Parse(%q)) = %s, json.Marshal gives %s", data, gotText, wantText)
	}
	if jsonv.Valid(data) != json.Valid(data) {
		t.Fatalf("Valid(%q) = %v, json.Valid = %v", data, jsonv.Valid(data), json.Valid(data))
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range jsonSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(differential)
}

func TestParseErrorsSayWhereAndWhat(t *testing.T) {
	cases := []struct {
		in     string
		want   string
		offset int
	}{
		{`{"a":}`, "unexpected character '}' looking for the beginning of a value", 5},
		{`[1,2`, "unexpected end of JSON input after an array element", 4},
		{`{"a":1} x`, "unexpected character 'x' after the JSON value", 8},
		{`"a\qb"`, `invalid escape 'q' in a string`, 3},
		{`1e400`, "number 1e400 does not fit a float64", 0},
		{``, "unexpected end of JSON input", 0},
	}
	for _, c := range cases {
		_, err := jsonv.Parse([]byte(c.in))
		var syntax *jsonv.SyntaxError
		if !errors.As(err, &syntax) || syntax.Msg != c.want || syntax.Offset != c.offset {
			t.Errorf("Parse(%q) = %#v, want %q at offset %d", c.in, err, c.want, c.offset)
		}
	}
	deep := strings.Repeat("[", 10002) + strings.Repeat("]", 10002)
	if _, err := jsonv.Parse([]byte(deep)); err == nil || !strings.Contains(err.Error(), "nested deeper") {
		t.Errorf("10002 nested arrays: err = %v, want a depth error", err)
	}
}

func TestMarshalPlainValues(t *testing.T) {
	cases := []struct {
		v    any
		want string
	}{
		{map[string]any{"b": []string{"x", "<y>"}, "a": 3, "c": int64(-4), "d": math.NaN()}, `{"a":3,"b":["x","\u003cy\u003e"],"c":-4,"d":null}`},
		{[]any{1e-7, 1e21, 0.1, math.Copysign(0, -1), 100.0}, `[1e-7,1e+21,0.1,-0,100]`},
		{"\u2028\x01\b", `"\u2028\u0001\b"`},
		{struct{}{}, `null`},
	}
	for _, c := range cases {
		if got := string(jsonv.Marshal(c.v)); got != c.want {
			t.Errorf("Marshal(%#v) = %s, want %s", c.v, got, c.want)
		}
	}
}

func TestFieldsTypeErrors(t *testing.T) {
	doc, err := jsonv.Parse([]byte(`{"s":"x","n":1.5,"i":7,"b":true,"a":["p",2],"o":{},"z":null}`))
	if err != nil {
		t.Fatal(err)
	}
	m := doc.(map[string]any)
	var f jsonv.Fields
	if f.String(m["s"], "s") != "x" || f.Int(m["i"], "i") != 7 || !f.Bool(m["b"], "b") || f.Float(m["n"], "n") != 1.5 ||
		f.Object(m["o"], "o") == nil || f.String(m["z"], "z") != "" || f.OptString(m["z"], "z") != nil || f.Object(m["z"], "z") != nil || f.Err != nil {
		t.Fatalf("reading well-typed fields: err %v", f.Err)
	}
	cases := []struct {
		read func(f *jsonv.Fields)
		want string
	}{
		{func(f *jsonv.Fields) { f.String(m["n"], "remotes[0].entry") }, "field remotes[0].entry is a number, not a string"},
		{func(f *jsonv.Fields) { f.Int(m["n"], "retry.times") }, "field retry.times is a number 1.5, not a whole number from -2147483648 to 2147483647"},
		{func(f *jsonv.Fields) { f.Strings(m["a"], "domains") }, "field domains[1] is a number, not a string"},
		{func(f *jsonv.Fields) { f.Object(m["a"], "") }, "the value is an array, not an object"},
		{func(f *jsonv.Fields) { f.Array(m["o"], "keys") }, "field keys is an object, not an array"},
		{func(f *jsonv.Fields) { f.Bool(m["s"], "x"); f.Float(m["s"], "y") }, "field x is a string, not a boolean"},
		{func(f *jsonv.Fields) { f.Float(m["z"], "y"); f.Bool(m["z"], "x") }, ""},
	}
	for _, c := range cases {
		var f jsonv.Fields
		c.read(&f)
		got := ""
		if f.Err != nil {
			got = f.Err.Error()
		}
		if got != c.want {
			t.Errorf("error %q, want %q", got, c.want)
		}
	}
	if jsonv.Key("", "a") != "a" || jsonv.Key("a", "b") != "a.b" || jsonv.Index("a", 2) != "a[2]" {
		t.Error("Key/Index paths")
	}
}

type plainPoint struct{ x int }

func (p *plainPoint) Plain() map[string]any {
	if p == nil {
		return nil
	}
	return map[string]any{"x": p.x}
}

func TestMarshalGoValues(t *testing.T) {
	var nilPoint *plainPoint
	cases := []struct {
		v    any
		want string
	}{
		{map[string]any{"p": &plainPoint{x: 2}, "nilp": nilPoint}, `{"nilp":null,"p":{"x":2}}`},
		{[]any{map[string]int{"b": 1, "a": 2}, map[string]string{"k": "v"}, map[string]int(nil), []string(nil), []any(nil), map[string]any(nil)}, `[{"a":2,"b":1},{"k":"v"},null,null,null,null]`},
	}
	for _, c := range cases {
		if got := string(jsonv.Marshal(c.v)); got != c.want {
			t.Errorf("Marshal(%#v) = %s, want %s", c.v, got, c.want)
		}
	}
}

// ParseOpaque accepts and refuses exactly what Parse does, and leaves the
// opaque key's value unbuilt.
func TestParseOpaqueAgreesWithParse(t *testing.T) {
	for _, text := range []string{
		`{"v":2,"detail":{"a":[1,2,{"b":"c"}],"d":"\u00e9"}}`, `{"detail":[1,2,3],"x":{"detail":5}}`, `{"detail":"s"}`,
		`{"detail":{"a":}}`, `{"detail":[1,]}`, `{"detail":"\x"}`, `{"detail":` + strings.Repeat("[", 1000) + strings.Repeat("]", 1000) + `}`,
		`{"detail":1} x`, `[{"detail":1}]`, `{}`, `{"detail":null}`,
	} {
		full, fullErr := jsonv.Parse([]byte(text))
		opaque, opaqueErr := jsonv.ParseOpaque([]byte(text), "detail")
		if (fullErr == nil) != (opaqueErr == nil) {
			t.Errorf("%.60s: Parse err %v, ParseOpaque err %v", text, fullErr, opaqueErr)
			continue
		}
		if fullErr != nil {
			continue
		}
		m, isObject := opaque.(map[string]any)
		if !isObject {
			if string(jsonv.Marshal(full)) != string(jsonv.Marshal(opaque)) {
				t.Errorf("%s: %v and %v", text, full, opaque)
			}
			continue
		}
		if d, has := m["detail"]; has && d != (jsonv.Opaque{}) {
			t.Errorf("%s: detail built as %v", text, d)
		}
		if x, ok := m["x"]; ok && string(jsonv.Marshal(x)) != `{"detail":5}` {
			t.Errorf("%s: a nested detail key was left out: %v", text, x)
		}
	}
}
