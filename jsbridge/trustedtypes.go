//go:build js && wasm

package jsbridge

import (
	"github.com/fedwasm/fedwasm/jsbridge/internal/jsutil"
	"slices"
	"syscall/js"

	"github.com/fedwasm/fedwasm/federation/jsonv"
)

// trusted passes value through the Trusted Types policy "fedwasm"'s create
// method: "createScriptURL" admits registered remotes' origins only,
// "createScript" import maps only. Without a policy (the page has no Trusted
// Types, or its CSP refused "fedwasm"; the browser decides) it is value itself.
func (b *Bridge) trusted(create, value string) any {
	if b.ttPolicy.Type() != js.TypeObject { // set once by Publish, before any call
		return value
	}
	return b.ttPolicy.Call(create, value)
}

// isImportMap reports whether text is a JSON object with no keys but an
// import map's (imports, scopes, integrity): script text that runs nothing.
func isImportMap(text string) bool {
	v, err := jsonv.Parse([]byte(text))
	m, ok := v.(map[string]any)
	if err != nil || !ok {
		return false
	}
	for key := range m {
		if key != "imports" && key != "scopes" && key != "integrity" {
			return false
		}
	}
	return true
}

// startTrustedTypes takes the Trusted Types policy "fedwasm" that loader.js
// made (its createScriptURL asks admitScriptURL for every URL but its own
// files, its createScript asks admitScript: isImportMap), or makes one when
// Go runs without the loader.
func (b *Bridge) startTrustedTypes() {
	tt := js.Global().Get("trustedTypes")
	if tt.Type() != js.TypeObject {
		return
	}
	b.ttCheck = js.FuncOf(func(_ js.Value, args []js.Value) any { return b.admitScriptURL(jsutil.Arg(args, 0).String()) })
	if b.hooks.Type() == js.TypeObject {
		b.hooks.Set("admitScriptURL", b.ttCheck)
		b.hooks.Set("admitScript", js.FuncOf(func(_ js.Value, args []js.Value) any {
			text := jsutil.Arg(args, 0)
			return text.Type() == js.TypeString && isImportMap(text.String())
		}))
		b.ttPolicy = b.hooks.Get("trustedTypesPolicy")
		return
	}
	options := jsutil.Object()
	admitted := js.FuncOf(func(_ js.Value, args []js.Value) any {
		if raw := jsutil.Arg(args, 0).String(); b.admitScriptURL(raw) {
			return raw
		}
		return "about:blank#fedwasm-refused" // Go cannot throw into JS: a URL that loads nothing
	})
	options.Set("createScriptURL", admitted)
	importMapsOnly := js.FuncOf(func(_ js.Value, args []js.Value) any {
		if text := jsutil.Arg(args, 0).String(); isImportMap(text) {
			return text
		}
		return "" // Go cannot throw into JS: an empty script
	})
	options.Set("createScript", importMapsOnly)
	b.ttPolicy, _ = jsutil.Guard("trustedTypes.createPolicy", func() js.Value { return tt.Call("createPolicy", "fedwasm", options) })
}

// admitScriptURL is the policy's check: a script URL must be on a registered
// remote's origin or a failover domain.
func (b *Bridge) admitScriptURL(raw string) bool {
	origin, ok := urlOrigin(raw)
	if !ok {
		return false
	}
	for _, rep := range b.rt.RemoteReports() {
		if entryOrigin, ok := urlOrigin(absoluteURL(rep.Entry)); ok && entryOrigin == origin {
			return true
		}
	}
	return slices.Contains(b.rt.Config().RetryPolicy().Domains, origin)
}

// nonce is the CSP nonce for scripts the runtime adds: config.security.nonce,
// else the loader's own.
func (b *Bridge) nonce() string {
	if cfg := b.rt.Config(); cfg != nil && cfg.Security.Nonce != "" {
		return cfg.Security.Nonce
	}
	if b.hooks.Type() == js.TypeObject {
		if n := b.hooks.Get("nonce"); n.Type() == js.TypeString {
			return n.String()
		}
	}
	return ""
}
