//go:build js && wasm

package jsbridge

import (
	"strconv"
	"strings"
	"syscall/js"
	"testing"
	"time"

	"github.com/fedwasm/fedwasm/federation/limits"
	"github.com/fedwasm/fedwasm/federation/share"
	"github.com/fedwasm/fedwasm/jsbridge/internal/jsutil"
)

// quickly bounds how long the runtime may take to refuse hostile input: the
// refusals below check a length or a depth before looping, so they take a
// few crossings. Without the limits, the same calls froze the page for 16 s
// (Array(1e5).fill('nope')) to 311 s (a Proxy whose length is 1e9).
const quickly = 3 * time.Second

// lengthProxy returns new Proxy([], { get: (t, k) => k === 'length' ? length : item }):
// an array whose every read of length says length, and every item is item.
func lengthProxy(t *testing.T, length, item any) js.Value {
	get := funcOf(t, func(_ js.Value, args []js.Value) any {
		if k := jsutil.Arg(args, 1); k.Type() == js.TypeString && k.String() == "length" {
			return length
		}
		return item
	})
	return js.Global().Get("Proxy").New(arr(), obj("get", get))
}

// filled returns Array(n).fill(item).
func filled(n int, item any) js.Value {
	return js.Global().Get("Array").New(n).Call("fill", item)
}

// nested returns depth arrays nested in one another: [[[...[]...]]].
func nested(depth int) js.Value {
	v := arr()
	for i := 1; i < depth; i++ {
		v = arr(v)
	}
	return v
}

// oneVersionEach returns n entries of one package, versions 1.0.0 … 1.0.<n-1>,
// each with a lib that holds its index (made by one JSON.parse).
func oneVersionEach(n int) js.Value {
	items := make([]string, n)
	for i := range items {
		items[i] = `{"version":"1.0.` + strconv.Itoa(i) + `","lib":{"i":` + strconv.Itoa(i) + `}}`
	}
	return js.Global().Get("JSON").Call("parse", "["+strings.Join(items, ",")+"]")
}

// Hostile input to the calls that loop over what the page passes is refused
// with a coded error before any loop runs, quickly, and the runtime answers a
// normal call afterwards.
func TestHostileInputIsRefusedQuickly(t *testing.T) {
	tests := []struct {
		name  string
		input func(t *testing.T) js.Value // built before the clock starts
		call  func(e *env, input js.Value) js.Value
		sync  bool
		code  string
		what  string // details.what of a LIMIT_EXCEEDED
	}{
		{
			name:  "preloadRemote of a Proxy whose length is 1e9",
			input: func(t *testing.T) js.Value { return lengthProxy(t, 1e9, "x") },
			call:  func(e *env, in js.Value) js.Value { return e.call("preloadRemote", in) },
			code:  "LIMIT_EXCEEDED", what: "names",
		},
		{
			name:  "preloadRemote of Array(1e5).fill('nope')",
			input: func(*testing.T) js.Value { return filled(100_000, "nope") },
			call:  func(e *env, in js.Value) js.Value { return e.call("preloadRemote", in) },
			code:  "LIMIT_EXCEEDED", what: "names",
		},
		{
			name:  "preloadRemote of a Proxy whose length is not a count",
			input: func(t *testing.T) js.Value { return lengthProxy(t, -1, "x") },
			call:  func(e *env, in js.Value) js.Value { return e.call("preloadRemote", in) },
			code:  "INVALID_ARGUMENT",
		},
		{
			name:  "registerRemotes of a Proxy whose length is 1e9",
			input: func(t *testing.T) js.Value { return lengthProxy(t, 1e9, obj("name", "x", "entry", "/x.js")) },
			call:  func(e *env, in js.Value) js.Value { return e.call("registerRemotes", in) },
			sync:  true, code: "LIMIT_EXCEEDED", what: "remotes given at once",
		},
		{
			name: "registerRemotes of a remote whose list is a Proxy with length 1e9",
			input: func(t *testing.T) js.Value {
				return arr(obj("name", "x", "entry", "/x.js", "alias", lengthProxy(t, 1e9, "x")))
			},
			call: func(e *env, in js.Value) js.Value { return e.call("registerRemotes", in) },
			sync: true, code: "LIMIT_EXCEEDED", what: "values",
		},
		{
			name:  "registerRemotes of more remotes than a page holds",
			input: func(*testing.T) js.Value { return filled(limits.Remotes+1, obj("name", "x", "entry", "/x.js")) },
			call:  func(e *env, in js.Value) js.Value { return e.call("registerRemotes", in) },
			sync:  true, code: "LIMIT_EXCEEDED", what: "remotes given at once",
		},
		{
			name:  "registerRemotes of arrays nested 10,000 deep",
			input: func(*testing.T) js.Value { return nested(10_000) },
			call:  func(e *env, in js.Value) js.Value { return e.call("registerRemotes", in) },
			sync:  true, code: "LIMIT_EXCEEDED", what: "levels of nesting",
		},
		{
			name: "registerRemotes of a remote that contains itself",
			input: func(*testing.T) js.Value {
				r := obj("name", "x", "entry", "/x.js")
				r.Set("self", r)
				return arr(r)
			},
			call: func(e *env, in js.Value) js.Value { return e.call("registerRemotes", in) },
			sync: true, code: "LIMIT_EXCEEDED", what: "levels of nesting",
		},
		{
			name:  "init of a config nested 10,000 deep",
			input: func(*testing.T) js.Value { return obj("name", "shell", "remotes", nested(10_000)) },
			call:  func(e *env, in js.Value) js.Value { return e.call("init", in) },
			code:  "LIMIT_EXCEEDED", what: "levels of nesting",
		},
		{
			name: "registerShared of a package whose list is a Proxy with length 1e9",
			input: func(t *testing.T) js.Value {
				return obj("p", lengthProxy(t, 1e9, obj("version", "1.0.0", "lib", obj())))
			},
			call: func(e *env, in js.Value) js.Value { return e.call("registerShared", in) },
			sync: true, code: "LIMIT_EXCEEDED", what: "shared entries",
		},
		{
			name:  "registerShared of one entry more than the limit",
			input: func(*testing.T) js.Value { return obj("p", oneVersionEach(limits.SharedEntries+1)) },
			call:  func(e *env, in js.Value) js.Value { return e.call("registerShared", in) },
			sync:  true, code: "LIMIT_EXCEEDED", what: "shared entries",
		},
		{
			name: "registerShared of more packages than the limit",
			input: func(*testing.T) js.Value {
				shared := obj()
				entry := obj("version", "1.0.0", "lib", obj())
				for i := 0; i <= limits.SharedEntries; i++ {
					shared.Set("pkg-"+strconv.Itoa(i), entry)
				}
				return shared
			},
			call: func(e *env, in js.Value) js.Value { return e.call("registerShared", in) },
			sync: true, code: "LIMIT_EXCEEDED", what: "packages",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			input := tc.input(t)
			start := time.Now()
			var err js.Value
			if tc.sync {
				err = thrown(t, tc.call(e, input), tc.code)
			} else {
				err = rejects(t, tc.call(e, input), tc.code)
			}
			if took := time.Since(start); took > quickly {
				t.Errorf("refusing took %v, want under %v", took, quickly)
			}
			if tc.what != "" {
				if got := str(err, "details", "what"); got != tc.what {
					t.Errorf("details.what = %q, want %q (message: %s)", got, tc.what, jsutil.Message(err))
				}
			}
			// The runtime answers a normal call afterwards, and nothing of the
			// refused call was registered.
			lib := module("vue")
			notThrown(t, e.call("registerShared", obj("vue", obj("version", "3.5.0", "lib", lib))))
			if got := resolves(t, e.call("loadShare", "vue")); !same(got, lib) {
				t.Fatalf("loadShare after the refusal returned %s", describe(got))
			}
			rejects(t, e.call("loadShare", "p"), "SHARE_NOT_FOUND")
			rejects(t, e.call("loadRemote", "x"), "REMOTE_UNKNOWN")
		})
	}
}

// registerShared of 10,000 versions of one package, the limit, is taken in
// one call: the core resolves the package to its highest version, and the
// live scope holds every version.
func TestRegisterSharedAtTheLimit(t *testing.T) {
	e := newEnv(t)
	notThrown(t, e.call("registerShared", obj("p", oneVersionEach(limits.SharedEntries))))
	want := "1.0." + strconv.Itoa(limits.SharedEntries-1)
	if got, err := e.rt.Resolve(share.Consumer{Package: "p", From: "host"}); err != nil || got.Provider.Version != want {
		t.Fatalf("Resolve(p) = %+v, %v; want %s", got.Provider, err, want)
	}
	if n := js.Global().Get("Object").Call("keys", e.call("shareScope").Get("p")).Length(); n != limits.SharedEntries {
		t.Errorf("the live scope holds %d versions of p, want %d", n, limits.SharedEntries)
	}
}

// fedwasm.use takes at most limits.Plugins plugins; the next is refused.
func TestPluginsLimit(t *testing.T) {
	e := newEnv(t)
	for i := 0; i < limits.Plugins; i++ {
		notThrown(t, e.call("use", obj("name", "plugin-"+strconv.Itoa(i))))
	}
	err := thrown(t, e.call("use", obj("name", "one-too-many")), "LIMIT_EXCEEDED")
	if got := str(err, "details", "what"); got != "plugins" {
		t.Errorf("details.what = %q, want plugins", got)
	}
	notThrown(t, e.call("use", obj("name", "plugin-0"))) // a plugin already there is still ignored quietly
}

// A plain-data argument is read as JSON.stringify reads it: toJSON is
// called, functions and undefined leave objects and are null in arrays.
func TestPlainDataArgumentReadsLikeJSON(t *testing.T) {
	e := newEnv(t)
	toJSON := js.Global().Get("Function").Get("prototype").Get("bind").Call("call", js.Global().Get("JSON").Get("parse"), js.Null(),
		`{"name":"late","entry":"http://127.0.0.1:9/late.js"}`)
	remotes := arr(
		obj("name", "cart", "entry", "http://127.0.0.1:9/cart.js", "extra", js.Global().Get("Object"), "skipped", js.Undefined()),
		obj("toJSON", toJSON),
	)
	notThrown(t, e.call("registerRemotes", remotes))
	names := map[string]bool{}
	reports := e.inspect().Get("remotes")
	for i := 0; i < reports.Length(); i++ {
		names[reports.Index(i).Get("name").String()] = true
	}
	if !names["cart"] || !names["late"] || len(names) != 2 {
		t.Errorf("registered remotes %v, want cart and late (from toJSON)", names)
	}
}
