// Package jsonv reads and writes JSON as plain values (map[string]any, []any,
// string, float64, bool and nil: what encoding/json gives for an any) without
// reflection, so runtime.wasm does not link encoding/json, reflect and fmt.
// Fields reads typed values out of them and names the field of a wrong one.
package jsonv

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// maxDepth bounds nesting, as encoding/json does, so deep input cannot exhaust the stack.
const maxDepth = 10000

// SyntaxError is JSON text that does not parse; Offset is the byte where it failed.
type SyntaxError struct {
	Msg    string
	Offset int
}

func (e *SyntaxError) Error() string {
	return e.Msg + " at offset " + strconv.Itoa(e.Offset)
}

// Parse decodes data, one JSON text with nothing but space after it.
func Parse(data []byte) (any, error) { return parser{data: data}.whole() }

// whole reads p's data as one JSON text with nothing but space after it.
func (p parser) whole() (any, error) {
	p.space()
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	p.space()
	if p.i < len(p.data) {
		return nil, p.fail("unexpected " + p.char() + " after the JSON value")
	}
	return v, nil
}

// ParseOpaque decodes data like Parse, except that the value of the
// top-level object's key opaque is checked but not built: the result holds
// Opaque{} for it. A large value read only to be passed on (a cross-tab
// message's detail) then costs a scan, not a tree of maps and slices.
func ParseOpaque(data []byte, opaque string) (any, error) {
	return parser{data: data, opaque: opaque}.whole()
}

// Opaque stands for a value ParseOpaque checked without building it.
type Opaque struct{}

// Valid reports whether data is one JSON text.
func Valid(data []byte) bool {
	_, err := Parse(data)
	return err == nil
}

type parser struct {
	data    []byte
	i       int
	opaque  string // ParseOpaque's key
	discard int    // > 0: inside an opaque value, nothing is built
}

func (p *parser) fail(msg string) error { return &SyntaxError{Msg: msg, Offset: p.i} }

func (p *parser) char() string {
	if p.i >= len(p.data) {
		return "end of JSON input"
	}
	return "character " + strconv.QuoteRune(rune(p.data[p.i]))
}

func (p *parser) space() {
	for p.i < len(p.data) {
		switch p.data[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *parser) value(depth int) (any, error) {
	if depth > maxDepth {
		return nil, p.fail("JSON nested deeper than " + strconv.Itoa(maxDepth))
	}
	if p.i >= len(p.data) {
		return nil, p.fail("unexpected end of JSON input")
	}
	switch c := p.data[p.i]; {
	case c == '{':
		return p.object(depth)
	case c == '[':
		return p.array(depth)
	case c == '"':
		return p.string()
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	case c == 't':
		return true, p.literal("true")
	case c == 'f':
		return false, p.literal("false")
	case c == 'n':
		return nil, p.literal("null")
	}
	return nil, p.fail("unexpected " + p.char() + " looking for the beginning of a value")
}

func (p *parser) literal(word string) error {
	for k := 0; k < len(word); k++ {
		if p.i >= len(p.data) || p.data[p.i] != word[k] {
			return p.fail("unexpected " + p.char() + " in literal " + word)
		}
		p.i++
	}
	return nil
}

func (p *parser) object(depth int) (any, error) {
	p.i++ // {
	var m map[string]any
	if p.discard == 0 {
		m = map[string]any{}
	}
	p.space()
	if p.i < len(p.data) && p.data[p.i] == '}' {
		p.i++
		return m, nil
	}
	for {
		p.space()
		if p.i >= len(p.data) || p.data[p.i] != '"' {
			return nil, p.fail("unexpected " + p.char() + " looking for the beginning of an object key")
		}
		key, err := p.string()
		if err != nil {
			return nil, err
		}
		p.space()
		if p.i >= len(p.data) || p.data[p.i] != ':' {
			return nil, p.fail("unexpected " + p.char() + " after an object key")
		}
		p.i++
		p.space()
		opaque := depth == 0 && p.opaque != "" && key == p.opaque && p.discard == 0
		if opaque {
			p.discard++
		}
		v, err := p.value(depth + 1)
		if opaque {
			p.discard--
			v = Opaque{}
		}
		if err != nil {
			return nil, err
		}
		if m != nil {
			m[key] = v
		}
		p.space()
		if p.i < len(p.data) && p.data[p.i] == ',' {
			p.i++
			continue
		}
		if p.i < len(p.data) && p.data[p.i] == '}' {
			p.i++
			return m, nil
		}
		return nil, p.fail("unexpected " + p.char() + " after an object value")
	}
}

func (p *parser) array(depth int) (any, error) {
	p.i++ // [
	a := []any{}
	p.space()
	if p.i < len(p.data) && p.data[p.i] == ']' {
		p.i++
		return a, nil
	}
	for {
		p.space()
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		if p.discard == 0 {
			a = append(a, v)
		}
		p.space()
		if p.i < len(p.data) && p.data[p.i] == ',' {
			p.i++
			continue
		}
		if p.i < len(p.data) && p.data[p.i] == ']' {
			p.i++
			return a, nil
		}
		return nil, p.fail("unexpected " + p.char() + " after an array element")
	}
}

// string reads a string literal; invalid UTF-8 and lone surrogates become
// U+FFFD, as encoding/json does.
func (p *parser) string() (string, error) {
	p.i++ // "
	start := p.i
	for p.i < len(p.data) { // fast path: no escapes, ASCII
		c := p.data[p.i]
		if c == '"' {
			var s string
			if p.discard == 0 { // an opaque value's strings are checked, not copied
				s = string(p.data[start:p.i])
			}
			p.i++
			return s, nil
		}
		if c == '\\' || c < 0x20 || c >= utf8.RuneSelf {
			break
		}
		p.i++
	}
	buf := append([]byte(nil), p.data[start:p.i]...)
	for p.i < len(p.data) {
		c := p.data[p.i]
		switch {
		case c == '"':
			p.i++
			return string(buf), nil
		case c < 0x20:
			return "", p.fail("invalid control character " + strconv.QuoteRune(rune(c)) + " in a string")
		case c == '\\':
			r, err := p.escape()
			if err != nil {
				return "", err
			}
			buf = utf8.AppendRune(buf, r)
		case c < utf8.RuneSelf:
			buf = append(buf, c)
			p.i++
		default:
			r, size := utf8.DecodeRune(p.data[p.i:])
			buf = utf8.AppendRune(buf, r) // RuneError for invalid bytes
			p.i += size
		}
	}
	return "", p.fail("unexpected end of JSON input in a string")
}

func (p *parser) escape() (rune, error) {
	p.i++ // backslash
	if p.i >= len(p.data) {
		return 0, p.fail("unexpected end of JSON input in a string escape")
	}
	c := p.data[p.i]
	p.i++
	switch c {
	case '"', '\\', '/':
		return rune(c), nil
	case 'b':
		return '\b', nil
	case 'f':
		return '\f', nil
	case 'n':
		return '\n', nil
	case 'r':
		return '\r', nil
	case 't':
		return '\t', nil
	case 'u':
		r, ok := p.hex4()
		if !ok {
			return 0, p.fail("invalid \\u escape in a string")
		}
		if utf16.IsSurrogate(r) {
			save := p.i
			if p.i+1 < len(p.data) && p.data[p.i] == '\\' && p.data[p.i+1] == 'u' {
				p.i += 2
				if r2, ok := p.hex4(); ok {
					if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
						return d, nil
					}
				}
			}
			p.i = save
			return utf8.RuneError, nil
		}
		return r, nil
	}
	p.i--
	return 0, p.fail("invalid escape " + strconv.QuoteRune(rune(c)) + " in a string")
}

func (p *parser) hex4() (rune, bool) {
	if p.i+4 > len(p.data) {
		return 0, false
	}
	var r rune
	for _, c := range p.data[p.i : p.i+4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	p.i += 4
	return r, true
}

// number reads a number with JSON's grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (p *parser) number() (any, error) {
	start := p.i
	if p.data[p.i] == '-' {
		p.i++
	}
	switch {
	case p.i < len(p.data) && p.data[p.i] == '0':
		p.i++
	case p.i < len(p.data) && p.data[p.i] >= '1' && p.data[p.i] <= '9':
		p.digits()
	default:
		return nil, p.fail("unexpected " + p.char() + " in a number")
	}
	if p.i < len(p.data) && p.data[p.i] == '.' {
		p.i++
		if !p.digits() {
			return nil, p.fail("unexpected " + p.char() + " after the decimal point in a number")
		}
	}
	if p.i < len(p.data) && (p.data[p.i] == 'e' || p.data[p.i] == 'E') {
		p.i++
		if p.i < len(p.data) && (p.data[p.i] == '+' || p.data[p.i] == '-') {
			p.i++
		}
		if !p.digits() {
			return nil, p.fail("unexpected " + p.char() + " in a number's exponent")
		}
	}
	text := string(p.data[start:p.i])
	f, err := strconv.ParseFloat(text, 64)
	if err != nil {
		p.i = start
		return nil, p.fail("number " + text + " does not fit a float64")
	}
	return f, nil
}

func (p *parser) digits() bool {
	start := p.i
	for p.i < len(p.data) && p.data[p.i] >= '0' && p.data[p.i] <= '9' {
		p.i++
	}
	return p.i > start
}
