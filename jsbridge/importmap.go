//go:build js && wasm

package jsbridge

import (
	"errors"
	"github.com/fedwasm/fedwasm/jsbridge/internal/jsutil"
	"strconv"
	"syscall/js"

	"github.com/fedwasm/fedwasm/federation"
	"github.com/fedwasm/fedwasm/federation/jsonv"
	"github.com/fedwasm/fedwasm/federation/share"
)

// writeImportMap adds a <script type="importmap"> with the map the core
// decides (federation.Runtime.ImportMap: each configured package of the
// default scope, mapped to the URL of the provider resolved for the host), so
// a bare `import ... from 'zustand'` in a plain ES-module remote gets the very
// module instance loadShare returns (the browser keys modules by URL).
// It runs before the configured shares are preloaded (they may import each
// other by bare specifier) and so before the bootstrap imports anything.
// Each provider the map names is marked loaded before its entry is
// published: the page is committed to it from now on (a bare import gets
// it, as the server's snapshot map already gives it), and webpack's register
// replaces an entry not yet loaded with a container's copy of the same
// version (from a larger uniqueName), which would split a singleton while
// the preload is under way.
func (b *Bridge) writeImportMap(shares []federation.ConfiguredShare, nonce string) {
	imports := b.rt.ImportMap(shares, func(id share.ProviderID) string {
		h, _ := b.handle(id)
		if h.importURL != "" {
			b.rt.MarkLoaded(id)
		}
		return h.importURL
	})
	present, _ := mappedAlready()
	for pkg, url := range imports {
		imports[pkg] = absoluteURL(url)
	}
	for _, w := range federation.ImportMapDisagreements(imports, present) {
		b.warn(w)
	}
	for pkg := range present {
		delete(imports, pkg)
	}
	if len(imports) == 0 {
		return
	}
	b.appendImportMap(map[string]any{"imports": imports}, nonce)
}

// pinIntegrity adds an import map whose one entry gives url's integrity, so
// the browser checks the bytes of the import() that follows Go's own check:
// that check digests one fetch and import() makes another, which a server
// could answer with other bytes. Browsers merge import maps; the first
// integrity given for a URL stays (a server-written one, for instance).
func (b *Bridge) pinIntegrity(url, integrity string) {
	if _, pinned := mappedAlready(); pinned[url] {
		return
	}
	b.appendImportMap(map[string]any{"integrity": map[string]any{url: integrity}}, b.nonce())
}

// mappedAlready returns the specifiers the page's import maps give already,
// each with the URL of its first rule (a URL resolved against the page, as
// the browser reads it), and the URLs they give integrity for: a page served
// by server.Site carries the map of its snapshot before the loader's tag.
// Browsers keep the first rule for each and warn about every later one, so
// the runtime writes only what is missing. A map that is not JSON counts for
// nothing.
func mappedAlready() (imports map[string]string, integrity map[string]bool) {
	imports, integrity = map[string]string{}, map[string]bool{}
	_, _ = jsutil.Guard("import maps", func() error {
		list := js.Global().Get("document").Call("querySelectorAll", `script[type="importmap"]`)
		n, err := jsutil.LengthOf("import maps", list)
		if err != nil {
			return err
		}
		base := js.Global().Get("document").Get("baseURI").String()
		for i := range n {
			text := list.Call("item", i).Get("textContent")
			if text.Type() != js.TypeString {
				continue
			}
			parsed, err := jsonv.Parse([]byte(text.String()))
			if err != nil {
				continue
			}
			m, _ := parsed.(map[string]any)
			for key, url := range asObject(m["imports"]) {
				if _, later := imports[key]; later {
					continue
				}
				if s, ok := url.(string); ok {
					if abs, err := resolveURL(s, base); err == nil {
						imports[key] = abs
					}
				}
			}
			for key := range asObject(m["integrity"]) {
				integrity[key] = true
			}
		}
		return nil
	})
	return imports, integrity
}

// asObject is v as a JSON object, nil when it is none.
func asObject(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// appendImportMap adds <script type="importmap" nonce> with importMap as its
// text, a TrustedScript from the policy "fedwasm" where the page enforces
// Trusted Types.
func (b *Bridge) appendImportMap(importMap map[string]any, nonce string) {
	script := createElement("script")
	script.Call("setAttribute", "type", "importmap")
	if nonce != "" {
		script.Set("nonce", nonce)
	}
	script.Set("textContent", b.trusted("createScript", string(jsonv.Marshal(importMap))))
	appendToHead(script)
}

// createElement is document.createElement(tag).
func createElement(tag string) js.Value {
	return js.Global().Get("document").Call("createElement", tag)
}

// appendToHead appends el to document.head.
func appendToHead(el js.Value) {
	js.Global().Get("document").Get("head").Call("appendChild", el)
}

// absoluteURL resolves a path-like URL against the page, as loader.js does
// before it imports, so the import map names the same URL the module has.
func absoluteURL(url string) string {
	return js.Global().Get("URL").New(url, js.Global().Get("document").Get("baseURI")).Get("href").String()
}

// resolveURL resolves ref against the absolute URL base with the browser's
// URL parser (new URL(ref, base).href), the remote.Resolver manifests use.
func resolveURL(ref, base string) (string, error) {
	u, err := jsutil.Guard("URL", func() js.Value { return js.Global().Get("URL").New(ref, base) })
	if err != nil {
		return "", errors.New("the browser's URL parser rejects " + strconv.Quote(ref) + " against " + strconv.Quote(base))
	}
	return u.Get("href").String(), nil
}

// urlOrigin is an absolute URL's origin as the browser computes it
// ("https://cdn.example.com", without a default port); ok is false for a URL
// the browser cannot parse or one with an opaque one (data:, about:).
func urlOrigin(raw string) (origin string, ok bool) {
	u, err := jsutil.Guard("URL", func() js.Value { return js.Global().Get("URL").New(raw) })
	if err != nil {
		return "", false
	}
	if origin = u.Get("origin").String(); origin == "null" {
		return "", false
	}
	return origin, true
}
