//go:build js && wasm

package jsbridge

import (
	"strings"
	"syscall/js"
	"testing"
)

// importMaps returns the <script type="importmap"> elements of the document.
func importMaps() []js.Value {
	list := js.Global().Get("document").Call("querySelectorAll", `script[type="importmap"]`)
	out := make([]js.Value, list.Length())
	for i := range out {
		out[i] = list.Index(i)
	}
	return out
}

// newImportMaps records the import maps present now and returns a function
// listing those added since; the added ones are removed when the test ends,
// so tests that call init stay independent.
func newImportMaps(t *testing.T) func() []js.Value {
	before := importMaps()
	added := func() []js.Value {
		var out []js.Value
		for _, el := range importMaps() {
			old := false
			for _, b := range before {
				old = old || same(el, b)
			}
			if !old {
				out = append(out, el)
			}
		}
		return out
	}
	t.Cleanup(func() {
		for _, el := range added() {
			el.Call("remove")
		}
	})
	return added
}

// importerOf returns host hooks whose importModule resolves every URL to a
// fresh module, with nonce set on the hooks object when it is not "".
func importerOf(t *testing.T, nonce string) js.Value {
	im := newImporter(t, func(url string) js.Value {
		return js.Global().Get("Promise").Call("resolve", module(url))
	})
	hooks := im.hooks()
	if nonce != "" {
		hooks.Set("nonce", nonce)
	}
	return hooks
}

// absolute returns new URL(path, document.baseURI).href.
func absolute(path string) string {
	return js.Global().Get("URL").New(path, js.Global().Get("document").Get("baseURI")).Get("href").String()
}

// onlyImportMap fails the test unless exactly one import map was added, in
// document.head, and returns it with its parsed "imports".
func onlyImportMap(t *testing.T, added func() []js.Value) (el, imports js.Value) {
	t.Helper()
	maps := added()
	if len(maps) != 1 {
		t.Fatalf("init added %d import maps, want exactly 1", len(maps))
	}
	el = maps[0]
	if !same(el.Get("parentNode"), js.Global().Get("document").Get("head")) {
		t.Errorf("the import map is not a child of document.head")
	}
	parsed := js.Global().Get("JSON").Call("parse", el.Get("textContent"))
	if keys := js.Global().Get("Object").Call("keys", parsed); keys.Length() != 1 || keys.Index(0).String() != "imports" {
		t.Errorf("import map JSON = %s, want only an \"imports\" key", stringify(parsed))
	}
	imports = parsed.Get("imports")
	if imports.Type() != js.TypeObject {
		t.Fatalf("import map JSON = %s, want an imports object", stringify(parsed))
	}
	return el, imports
}

// checkImports fails the test unless imports maps exactly want (package → path,
// resolved against document.baseURI).
func checkImports(t *testing.T, imports js.Value, want map[string]string) {
	t.Helper()
	if n := js.Global().Get("Object").Call("keys", imports).Length(); n != len(want) {
		t.Errorf("import map imports = %s, want %d entries", stringify(imports), len(want))
	}
	for pkg, path := range want {
		if got, w := str(imports, pkg), absolute(path); got != w {
			t.Errorf("import map imports[%q] = %q, want %q", pkg, got, w)
		}
	}
}

// init writes one import map for the configured shares with an import URL,
// carrying the loader's nonce.
func TestImportMapWrittenWithHooksNonce(t *testing.T) {
	added := newImportMaps(t)
	e := newEnvWithHooks(t, importerOf(t, "abc123"))
	resolves(t, e.call("init", obj("name", "shell", "shared", obj(
		"x", obj("version", "1.0.0", "import", "/vendor/x.js")))))
	resolves(t, e.api.Get("ready"))
	el, imports := onlyImportMap(t, added)
	checkImports(t, imports, map[string]string{"x": "/vendor/x.js"})
	if got := str(el, "nonce"); got != "abc123" {
		t.Errorf("import map .nonce = %q, want abc123 (hooks.nonce)", got)
	}
	if got := str(el, "type"); got != "importmap" {
		t.Errorf("script.type = %q, want importmap", got)
	}
	// The map names the URL of the very module loadShare returns.
	got := resolves(t, e.call("loadShare", "x"))
	if name := str(got, "name"); name != "/vendor/x.js" {
		t.Errorf("loadShare(x) = %s, want the module imported from /vendor/x.js", describe(got))
	}
}

// config.security.nonce wins over the loader's hooks.nonce.
func TestImportMapConfigNonceWins(t *testing.T) {
	added := newImportMaps(t)
	e := newEnvWithHooks(t, importerOf(t, "abc123"))
	resolves(t, e.call("init", obj("name", "shell",
		"security", obj("nonce", "cfg-nonce"),
		"shared", obj("x", obj("version", "1.0.0", "import", "/vendor/x.js")))))
	el, imports := onlyImportMap(t, added)
	checkImports(t, imports, map[string]string{"x": "/vendor/x.js"})
	if got := str(el, "nonce"); got != "cfg-nonce" {
		t.Errorf("import map .nonce = %q, want cfg-nonce (config.security.nonce)", got)
	}
}

// Without any nonce the import map has none.
func TestImportMapWithoutNonce(t *testing.T) {
	added := newImportMaps(t)
	e := newEnvWithHooks(t, importerOf(t, ""))
	resolves(t, e.call("init", obj("name", "shell", "shared", obj(
		"x", obj("version", "1.0.0", "import", "/vendor/x.js"),
		"y", obj("version", "2.0.0", "import", "vendor/y.js"),
		"z", obj("version", "3.0.0", "import", "http://127.0.0.1:8091/z.js")))))
	el, imports := onlyImportMap(t, added)
	checkImports(t, imports, map[string]string{"x": "/vendor/x.js", "y": "vendor/y.js", "z": "http://127.0.0.1:8091/z.js"})
	if got := str(el, "nonce"); got != "" {
		t.Errorf("import map .nonce = %q, want empty", got)
	}
	if el.Call("hasAttribute", "nonce").Bool() {
		t.Errorf("import map has a nonce attribute, want none")
	}
}

// No configured share with an import URL: no import map.
func TestImportMapNotWrittenWithoutImports(t *testing.T) {
	for _, tc := range []struct {
		name   string
		config js.Value
	}{
		{"no shared", obj("name", "shell")},
		{"shares without import", obj("name", "shell", "shared", obj("x", obj("version", "1.0.0")))},
		{"only a non-default scope", obj("name", "shell", "shared", obj(
			"y", obj("version", "2.0.0", "import", "/vendor/y.js", "scope", "legacy")))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			added := newImportMaps(t)
			e := newEnvWithHooks(t, importerOf(t, "abc123"))
			resolves(t, e.call("init", tc.config))
			resolves(t, e.api.Get("ready"))
			if n := len(added()); n != 0 {
				t.Fatalf("init added %d import maps, want none", n)
			}
		})
	}
}

// A share in a non-default scope is not mapped (a bare import names the
// default scope's module).
func TestImportMapSkipsNonDefaultScope(t *testing.T) {
	added := newImportMaps(t)
	e := newEnvWithHooks(t, importerOf(t, "abc123"))
	resolves(t, e.call("init", obj("name", "shell", "shared", obj(
		"x", obj("version", "1.0.0", "import", "/vendor/x.js"),
		"y", obj("version", "2.0.0", "import", "/vendor/y.js", "scope", "legacy"),
		"w", arr(
			obj("version", "1.0.0", "import", "/vendor/w-default.js"),
			obj("version", "9.0.0", "import", "/vendor/w-legacy.js", "scope", "legacy"))))))
	_, imports := onlyImportMap(t, added)
	checkImports(t, imports, map[string]string{"x": "/vendor/x.js", "w": "/vendor/w-default.js"})
	// The legacy share is still loadable in its own scope.
	if got := resolves(t, e.call("loadShare", "y", obj("scope", "legacy"))); str(got, "name") != "/vendor/y.js" {
		t.Errorf("loadShare(y, legacy) = %s", describe(got))
	}
}

// The map names the provider the host gets: the highest version's URL.
func TestImportMapMapsChosenProvider(t *testing.T) {
	added := newImportMaps(t)
	e := newEnvWithHooks(t, importerOf(t, ""))
	resolves(t, e.call("init", obj("name", "shell", "shared", obj(
		"x", arr(
			obj("version", "1.0.0", "import", "/vendor/x1.js"),
			obj("version", "2.1.0", "import", "/vendor/x2.js"),
			obj("version", "1.5.0", "import", "/vendor/x15.js"))))))
	_, imports := onlyImportMap(t, added)
	checkImports(t, imports, map[string]string{"x": "/vendor/x2.js"})
	if got := resolves(t, e.call("loadShare", "x")); str(got, "name") != "/vendor/x2.js" {
		t.Errorf("loadShare(x) = %s, want the module of /vendor/x2.js", describe(got))
	}
}

// TestIsImportMap: the Trusted Types policy the runtime makes without the
// loader turns only import maps into script text.
func TestIsImportMap(t *testing.T) {
	cases := []struct {
		text string
		want bool
	}{
		{`{"imports":{"react":"/vendor/react.js"}}`, true},
		{`{"integrity":{"https://cdn.test/cart.js":"sha384-x"}}`, true},
		{`{"imports":{},"scopes":{},"integrity":{}}`, true},
		{`{}`, true},
		{`{"imports":{},"run":1}`, false},
		{`alert(1)`, false},
		{`["imports"]`, false},
		{`"imports"`, false},
		{`{"imports":{}} alert(1)`, false},
		{``, false},
	}
	for _, c := range cases {
		if got := isImportMap(c.text); got != c.want {
			t.Errorf("isImportMap(%q) = %v, want %v", c.text, got, c.want)
		}
	}
}

// A page served by server.Site carries the import map of its snapshot before
// the loader: init writes only the specifiers it lacks, and an integrity it
// gives already is not pinned again (browsers keep the first rule and warn
// about each later one).
func TestImportMapLeavesOutWhatThePageMaps(t *testing.T) {
	added := newImportMaps(t)
	server := js.Global().Get("document").Call("createElement", "script")
	server.Call("setAttribute", "type", "importmap")
	server.Set("textContent", `{"imports":{"x":"`+absolute("/vendor/x.js")+`"},"integrity":{"https://cdn.example/e.js":"sha384-c2VydmVy"}}`)
	js.Global().Get("document").Get("head").Call("appendChild", server)
	e := newEnvWithHooks(t, importerOf(t, ""))
	resolves(t, e.call("init", obj("name", "shell", "shared", obj(
		"x", obj("version", "1.0.0", "import", "/vendor/x.js"),
		"y", obj("version", "1.0.0", "import", "/vendor/y.js")))))
	maps := added()
	if len(maps) != 2 || !same(maps[0], server) {
		t.Fatalf("%d import maps after init, want the page's and one the runtime added", len(maps))
	}
	parsed := js.Global().Get("JSON").Call("parse", maps[1].Get("textContent"))
	checkImports(t, parsed.Get("imports"), map[string]string{"y": "/vendor/y.js"})

	e.bridge.pinIntegrity("https://cdn.example/e.js", "sha384-b3RoZXI")
	if n := len(added()); n != 2 {
		t.Errorf("pinIntegrity of a URL the page pins added a map (%d maps now)", n)
	}
	e.bridge.pinIntegrity("https://cdn.example/f.js", "sha384-Zg")
	if maps := added(); len(maps) != 3 || !strings.Contains(maps[2].Get("textContent").String(), "https://cdn.example/f.js") {
		t.Errorf("pinIntegrity of a URL nobody pins added %d maps, want its own", len(maps)-2)
	}
}
