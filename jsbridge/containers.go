//go:build js && wasm

package jsbridge

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall/js"
	"time"

	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/integrity"
	"github.com/fedwasm/fedwasm/federation/jsonv"
	"github.com/fedwasm/fedwasm/federation/remote"
	"github.com/fedwasm/fedwasm/federation/retry"
	"github.com/fedwasm/fedwasm/federation/share"
)

// Loading remote entries. Every attempt has a time limit; failed attempts are
// retried per the config's retry policy (failover domains, doubling delays,
// a cache-busting query for ES modules); an integrity, when given, is checked
// in Go against the fetched bytes before the browser runs them (fail-closed),
// and set on the script so the browser checks it again.

// errTimeout marks an attempt that ran out of time.
var errTimeout = errors.New("timed out")

// timeoutError is an attempt that ran out of time, saying what and after how
// long; errors.Is(err, errTimeout) holds for it.
type timeoutError struct{ msg string }

func (e timeoutError) Error() string { return e.msg }
func (e timeoutError) Unwrap() error { return errTimeout }

// loadEntry loads what remote's entry gives: the container global of a var
// script, or the exports of an ES module (a module container or a plain
// module). A manifest is read first to find the entry.
func (b *Bridge) loadEntry(r config.Remote) (js.Value, error) {
	if err := b.checkRemotePolicy(r); err != nil {
		return js.Undefined(), err
	}
	if r.Type == "manifest" {
		manifest, err := b.manifestOf(r)
		if err != nil {
			return js.Undefined(), err
		}
		entryURL, err := manifest.EntryURL(absoluteURL(r.Entry), resolveURL)
		if err != nil {
			return js.Undefined(), err
		}
		r.Entry, r.Type, r.Integrity = entryURL, manifest.EntryType(), "" // the manifest's integrity covered the manifest
		if manifest.MetaData.GlobalName != "" {
			r.EntryGlobalName = manifest.MetaData.GlobalName
		}
	}
	esModule := r.Type != "var"
	if !esModule {
		if existing := js.Global().Get(r.EntryGlobalName); isContainer(existing) {
			return existing, nil // already on the page: no script is loaded (as MF does)
		}
	}
	var timedOut []js.Value // the runtime's <script>s attempts gave up on
	entry, err := b.withRetries(r, esModule, func(a retry.Attempt) (js.Value, error) {
		if !esModule {
			container, el, err := b.loadScriptEntry(r, a)
			if errors.Is(err, errTimeout) {
				timedOut = append(timedOut, el)
			}
			return container, err
		}
		if r.Integrity != "" {
			if err := b.checkEntryBytes(r, a); err != nil {
				return js.Undefined(), err
			}
			b.pinIntegrity(absoluteURL(a.URL), r.Integrity)
		}
		return withinTime(b.importModule(a.URL), a.Timeout) // the browser's module map runs one URL once
	})
	if err != nil {
		// A script that ran out of time is kept while the retries of its URL
		// wait for it (the browser would run it even if it were removed, and
		// a second one would run the entry again); once the load has failed,
		// the next load adds a fresh one rather than wait on one that may
		// never answer.
		for _, el := range timedOut {
			if el.Call("getAttribute", entryScriptAttr).String() == "loading" {
				el.Call("remove")
			}
		}
	}
	return entry, err
}

// checkEntryBytes fetches the entry at a.URL and checks it against
// r.Integrity before the browser runs it.
func (b *Bridge) checkEntryBytes(r config.Remote, a retry.Attempt) error {
	body, err := b.fetchBody(a.URL, a.Timeout)
	if err != nil {
		return err
	}
	return checkIntegrity(r, a.URL, "", body)
}

// entryScriptAttr marks the <script> elements the runtime adds for remote
// entries: "loading" until the script has run, then "loaded". A failed one is
// removed, so a retry adds a fresh element rather than waiting on a dead one.
const entryScriptAttr = "data-fedwasm-entry"

// loadScriptEntry runs a var entry's script at a.URL and returns the container
// it defined. A second <script> for the same URL would run the entry again and
// replace its global (two containers, two of every module-level store), so, as
// webpack's __webpack_require__.l and MF's createScript do, a <script> already
// on the page for that URL is used: one the runtime added that has run, or one
// still loading (the runtime's own for another remote of the same entry, or
// one a webpack runtime added for a remote it consumes), which is waited for.
func (b *Bridge) loadScriptEntry(r config.Remote, a retry.Attempt) (container, el js.Value, err error) {
	el = findEntryScript(a.URL, r.Integrity)
	switch {
	case el.IsNull():
		if r.Integrity != "" {
			if err := b.checkEntryBytes(r, a); err != nil {
				return js.Undefined(), el, err
			}
		}
		el, err = b.injectScript(a.URL, r.Integrity, a.Timeout)
	case el.Call("getAttribute", entryScriptAttr).String() != "loaded":
		err = waitForScript(el, a.URL, a.Timeout, nil)
	}
	if err != nil {
		return js.Undefined(), el, err
	}
	container = js.Global().Get(r.EntryGlobalName)
	if !isContainer(container) {
		if el.Call("hasAttribute", entryScriptAttr).Bool() {
			el.Call("remove") // the next load fetches the entry afresh (a fixed deploy heals)
		}
		return js.Undefined(), el, finalError{errcode.New(errcode.RemoteContainerMissing,
			map[string]any{"remote": r.Name, "url": a.URL, "global": r.EntryGlobalName},
			"remote "+strconv.Quote(r.Name)+": "+a.URL+" loaded but defined no container window."+r.EntryGlobalName+" with init and get; check the remote's library name (entryGlobalName) and type")}
	}
	return container, el, nil
}

// findEntryScript returns the page's <script> whose resolved src is rawURL,
// or null. With an integrity, only a script carrying that integrity counts:
// one the browser did not check against it is not taken for one it did.
func findEntryScript(rawURL, sri string) js.Value {
	want := absoluteURL(rawURL)
	scripts := js.Global().Get("document").Get("scripts")
	for i := 0; i < scripts.Length(); i++ {
		s := scripts.Index(i)
		if s.Get("src").String() == want && (sri == "" || s.Call("getAttribute", "integrity").String() == sri) {
			return s
		}
	}
	return js.Null()
}

// finalError is an attempt's failure that retrying cannot cure.
type finalError struct{ error }

func (f finalError) Unwrap() error { return f.error }

// withRetries runs attempt for each planned URL until one succeeds; the
// error after the last names every URL tried.
func (b *Bridge) withRetries(r config.Remote, esModule bool, attempt func(retry.Attempt) (js.Value, error)) (js.Value, error) {
	var tried []string
	var last error
	codes := map[string]bool{}
	for _, a := range retry.Plan(absoluteURL(r.Entry), b.rt.Config().RetryPolicy(), esModule) {
		if a.Delay > 0 {
			time.Sleep(a.Delay)
		}
		if esModule && errors.Is(last, errTimeout) && sameOrigin(tried[len(tried)-1], a.URL) {
			// The import that ran out of time is still under way: importing
			// its URL again waits for it, where a cache-busting URL would
			// fetch and run a second instance of the module.
			a.URL = tried[len(tried)-1]
		}
		tried = append(tried, a.URL)
		v, err := attempt(a)
		if err == nil {
			return v, nil
		}
		last = err
		codes[errcode.CodeOf(err)] = true
		var final finalError
		if errors.As(err, &final) {
			return js.Undefined(), final.error
		}
	}
	var coded *errcode.Error
	if len(codes) == 1 && errors.As(last, &coded) && coded.Code == errcode.RemoteInvalidManifest {
		coded.Details["urls"] = tried // every attempt got the same bad manifest: say so, not just "failed"
		return js.Undefined(), coded
	}
	return js.Undefined(), errcode.New(errcode.RemoteLoadFailed,
		map[string]any{"remote": r.Name, "type": r.Type, "urls": tried, "cause": last.Error()},
		"remote "+strconv.Quote(r.Name)+" could not be loaded after "+strconv.Itoa(len(tried))+" attempt(s) ("+last.Error()+"); tried ["+strings.Join(tried, " ")+"]. Check that it is up and allows CORS from this origin; the host keeps running")
}

// sameOrigin reports whether two absolute URLs have the same origin.
func sameOrigin(a, b string) bool {
	originA, okA := urlOrigin(a)
	originB, okB := urlOrigin(b)
	return okA && okB && originA == originB
}

// checkRemotePolicy applies security.requireIntegrity and security.allowedOrigins.
func (b *Bridge) checkRemotePolicy(r config.Remote) error {
	cfg := b.rt.Config()
	if cfg == nil {
		return nil
	}
	sec := cfg.Security
	if sec.RequireIntegrity && r.Integrity == "" {
		return errcode.New(errcode.IntegrityRequired, map[string]any{"remote": r.Name},
			"remote "+strconv.Quote(r.Name)+" has no integrity, and security.requireIntegrity is on; add its sha384 integrity to the config (the registry computes it)")
	}
	if len(sec.AllowedOrigins) == 0 {
		return nil
	}
	if origin, ok := urlOrigin(absoluteURL(r.Entry)); !ok || !slices.Contains(sec.AllowedOrigins, origin) {
		return errcode.New(errcode.OriginNotAllowed, map[string]any{"remote": r.Name, "entry": r.Entry, "allowedOrigins": sec.AllowedOrigins},
			"remote "+strconv.Quote(r.Name)+" is served from "+r.Entry+", which is not in security.allowedOrigins ["+strings.Join(sec.AllowedOrigins, " ")+"]; add the origin or load the remote from an allowed one")
	}
	return nil
}

// manifestOf fetches a manifest remote's mf-manifest.json once and registers
// the versions its shared list names, so they take part in choosing before
// the remote's entry is downloaded.
func (b *Bridge) manifestOf(r config.Remote) (remote.Manifest, error) {
	_, err := b.loads.do("manifest:"+r.Name, func() (js.Value, error) {
		m, err := b.fetchManifest(r)
		if err != nil {
			return js.Undefined(), err
		}
		b.mu.Lock()
		b.manifests[r.Name] = m
		b.mu.Unlock()
		b.registerManifestShared(r, m)
		return js.Undefined(), nil
	})
	if err != nil {
		return remote.Manifest{}, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.manifests[r.Name], nil
}

// registerManifestShared registers each version a manifest's shared list
// names, provided by the remote (its container writes the real entry when
// initialized; loadViaContainer takes it from there). Unusable items are
// skipped with a warning.
func (b *Bridge) registerManifestShared(r config.Remote, m remote.Manifest) {
	for _, s := range m.Shared {
		b.syncScope(r.ShareScope, s.Name)
		id, _, err := b.rt.Shares.Register(share.Provider{Package: s.Name, Version: s.Version, Scope: r.ShareScope, From: r.Name})
		if err != nil {
			b.warn(errcode.As(err, errcode.ShareInvalidVersion))
			continue
		}
		b.setHandle(id, shareHandle{container: r.Name})
	}
}

// ensureRemote loads and initializes a remote's entry (once), records the
// outcome for inspect(), and returns the container or module.
func (b *Bridge) ensureRemote(r config.Remote) (js.Value, error) {
	b.rt.Remotes.Request(r.Name)
	entry, err := b.loads.do(remoteLoadKey(r.Name), func() (js.Value, error) { return b.loadEntry(r) })
	if err == nil && isContainer(entry) {
		err = b.initContainer(r, entry)
	}
	b.rt.Remotes.Finish(r.Name, err) // the outcome of loading and initializing, as inspect() shows it
	return entry, err
}

// loadViaContainer loads a version a remote's manifest listed: the remote's
// container is loaded and initialized, which writes its real entry into the
// live scope; that entry is adopted and loaded.
func (b *Bridge) loadViaContainer(id share.ProviderID, p share.Provider, remoteName string) (js.Value, error) {
	r, _, err := b.rt.Remotes.Match(remoteName)
	if err == nil {
		_, err = b.ensureRemote(r)
	}
	if err != nil {
		return js.Undefined(), errcode.New(errcode.ShareLoadFailed, map[string]any{"package": p.Package, "version": p.Version, "remote": remoteName, "cause": err.Error()},
			"shared "+strconv.Quote(p.Package)+" "+p.Version+" is provided by remote "+strconv.Quote(remoteName)+", which could not be loaded: "+err.Error())
	}
	b.syncScope(p.Scope, p.Package)
	active, ok := b.rt.Shares.ActiveID(p.Scope, p.Package, p.Version)
	if !ok || active == id {
		return js.Undefined(), errcode.New(errcode.ShareLoadFailed, map[string]any{"package": p.Package, "version": p.Version, "remote": remoteName},
			"remote "+strconv.Quote(remoteName)+"'s manifest lists shared "+strconv.Quote(p.Package)+" "+p.Version+", but its container provided no such entry when initialized; rebuild the remote so its manifest matches")
	}
	provider, _ := b.rt.Shares.Lookup(active)
	return b.loadProvider(active, provider)
}

// preloadRemote implements fedwasm.preloadRemote(names): manifest remotes
// have their manifest fetched (their shared versions then take part in
// choosing); other remotes are loaded and initialized. Names may be strings
// or { nameOrAlias } objects, as in MF.
func (b *Bridge) preloadRemote(_ js.Value, args []js.Value) (any, error) {
	list := arg(args, 0)
	if !js.Global().Get("Array").Call("isArray", list).Bool() {
		return nil, errcode.New(errcode.InvalidArgument, nil, "fedwasm.preloadRemote(names): names must be an array of remote names, not "+list.Type().String())
	}
	var errs []string
	for i := 0; i < property(list, "length").Int(); i++ {
		item := property(list, i)
		if item.Type() == js.TypeObject {
			item = property(item, "nameOrAlias")
		}
		if item.Type() != js.TypeString {
			return nil, errcode.New(errcode.InvalidArgument, map[string]any{"index": i}, "fedwasm.preloadRemote(names): names["+strconv.Itoa(i)+"] must be a remote name")
		}
		r, _, err := b.rt.Remotes.Match(item.String())
		if err == nil && r.Type == "manifest" {
			_, err = b.manifestOf(r)
		} else if err == nil {
			_, err = b.ensureRemote(r)
		}
		if err != nil {
			errs = append(errs, errcode.As(err, errcode.RemoteLoadFailed).Message)
		}
	}
	if len(errs) > 0 {
		return nil, errcode.New(errcode.RemoteLoadFailed, map[string]any{"failed": errs},
			"fedwasm.preloadRemote: "+strconv.Itoa(len(errs))+" remote(s) could not be preloaded: ["+strings.Join(errs, " ")+"]")
	}
	return nil, nil
}

// fetchManifest fetches and checks a remote's mf-manifest.json, with retries.
func (b *Bridge) fetchManifest(r config.Remote) (remote.Manifest, error) {
	var manifest remote.Manifest
	_, err := b.withRetries(r, false, func(a retry.Attempt) (js.Value, error) {
		body, err := b.fetchBody(a.URL, a.Timeout)
		if err != nil {
			return js.Undefined(), err
		}
		if r.Integrity != "" {
			if err := checkIntegrity(r, a.URL, "the manifest ", body); err != nil {
				return js.Undefined(), err
			}
		}
		data := make([]byte, body.Length())
		js.CopyBytesToGo(data, body)
		m, err := remote.ParseManifest(data, a.URL)
		if err != nil {
			return js.Undefined(), err // a truncated or wrong body may be healed by the next attempt
		}
		manifest = m
		return js.Undefined(), nil
	})
	var coded *errcode.Error
	if errors.As(err, &coded) {
		coded.Details["stage"] = "manifest" // which fetch failed: the manifest, not the entry
	}
	return manifest, err
}

// fetchBody GETs url (CORS) within timeout and returns the body (a Uint8Array).
func (b *Bridge) fetchBody(rawURL string, timeout time.Duration) (js.Value, error) {
	ctrl := js.Global().Get("AbortController").New()
	timer := time.AfterFunc(timeout, func() { ctrl.Call("abort") })
	defer timer.Stop()
	init := js.Global().Get("Object").New()
	init.Set("mode", "cors")
	init.Set("credentials", "same-origin")
	init.Set("signal", ctrl.Get("signal"))
	resp, err := guard("fetch", func() js.Value { return js.Global().Call("fetch", rawURL, init) })
	if err == nil {
		resp, err = await(resp)
	}
	if err != nil {
		return js.Undefined(), errors.New("fetching " + rawURL + ": " + err.Error())
	}
	if !resp.Get("ok").Bool() {
		return js.Undefined(), errors.New("fetching " + rawURL + ": HTTP " + strconv.Itoa(resp.Get("status").Int()))
	}
	buf, err := await(resp.Call("arrayBuffer"))
	if err != nil {
		return js.Undefined(), errors.New("reading " + rawURL + ": " + err.Error())
	}
	return js.Global().Get("Uint8Array").New(buf), nil
}

// checkIntegrity checks body, fetched from url for remote r, against
// r.Integrity with the browser's crypto.subtle; what names the body in the
// message ("the manifest "). A mismatch, or a page without crypto.subtle, is
// final: the body is not used and not retried.
func checkIntegrity(r config.Remote, url, what string, body js.Value) error {
	err := integrity.Check(r.Integrity, subtleDigest(body))
	if err == nil {
		return nil
	}
	details := map[string]any{"remote": r.Name, "url": url, "integrity": r.Integrity, "cause": err.Error()}
	var unchecked *integrity.DigestError
	if errors.As(err, &unchecked) {
		return finalError{errcode.New(errcode.IntegrityUnavailable, details,
			"remote "+strconv.Quote(r.Name)+": "+what+url+" has an integrity, which could not be checked ("+err.Error()+"), so it was not used. Browsers give crypto.subtle only to secure contexts: serve the host over https (or from localhost)")}
	}
	used := "the remote was not run. Publish the new integrity with the new build, or fix what serves it"
	if what != "" {
		used = "it was not used"
	}
	return finalError{errcode.New(errcode.IntegrityMismatch, details,
		"remote "+strconv.Quote(r.Name)+": "+what+url+" does not match its integrity ("+err.Error()+"); "+used)}
}

// subtleDigest digests body with crypto.subtle.digest, so the wasm needs none
// of Go's crypto.
func subtleDigest(body js.Value) integrity.Digester {
	return func(alg string) ([]byte, error) {
		subtle := property(property(js.Global(), "crypto"), "subtle")
		if subtle.Type() != js.TypeObject {
			return nil, errors.New("this page has no crypto.subtle")
		}
		name := "SHA-" + strings.TrimPrefix(alg, "sha")
		digest, err := guard("crypto.subtle.digest", func() js.Value { return subtle.Call("digest", name, body) })
		if err == nil {
			digest, err = await(digest)
		}
		if err != nil {
			return nil, errors.New("crypto.subtle.digest(" + name + "): " + err.Error())
		}
		bytes := js.Global().Get("Uint8Array").New(digest)
		sum := make([]byte, bytes.Length())
		js.CopyBytesToGo(sum, bytes)
		return sum, nil
	}
}

// injectScript adds <script src=url> (marked with entryScriptAttr, with the
// page's nonce, the integrity and crossorigin=anonymous when an integrity is
// given, and a Trusted Types script URL where the page has Trusted Types),
// waits until it has run, and returns it. An element that fails is removed
// (by settleEntryScript); one that runs out of time is left to the caller.
func (b *Bridge) injectScript(rawURL, sri string, timeout time.Duration) (js.Value, error) {
	el := createElement("script")
	el.Set("async", true)
	el.Call("setAttribute", entryScriptAttr, "loading")
	if nonce := b.nonce(); nonce != "" {
		el.Set("nonce", nonce)
	}
	if sri != "" {
		el.Set("integrity", sri)
		el.Set("crossOrigin", "anonymous")
	}
	if _, err := guard("script src", func() js.Value { el.Set("src", b.trusted("createScriptURL", rawURL)); return el }); err != nil {
		return js.Undefined(), finalError{err} // Trusted Types refused the URL
	}
	settle := settleEntryScript()
	el.Call("addEventListener", "load", settle)
	el.Call("addEventListener", "error", settle)
	return el, waitForScript(el, rawURL, timeout, func() { appendToHead(el) })
}

// settleEntryScript is the runtime's entry <script>s' own load and error
// listener, added before any attempt waits on them, so an element's state
// holds whenever it settles, with or without an attempt still waiting: one
// that has run is marked loaded, one that failed is removed, so a later
// attempt adds a fresh element rather than wait on a dead one.
var settleEntryScript = sync.OnceValue(func() js.Func {
	return js.FuncOf(func(_ js.Value, args []js.Value) any {
		event := arg(args, 0)
		el := event.Get("target")
		if event.Get("type").String() == "load" {
			el.Call("setAttribute", entryScriptAttr, "loaded")
		} else {
			el.Call("remove")
		}
		return nil
	})
})

// waitForScript waits up to timeout for the <script> el to fire load (it has
// run) or error; start, when not nil, runs once the listeners are on (it
// appends a new element). The listeners are added, not assigned: a webpack
// runtime waiting on the same element has its own onload and onerror.
func waitForScript(el js.Value, rawURL string, timeout time.Duration, start func()) error {
	done := make(chan error, 1)
	onload := js.FuncOf(func(js.Value, []js.Value) any { done <- nil; return nil })
	onerror := js.FuncOf(func(js.Value, []js.Value) any {
		done <- errors.New("the script " + rawURL + " could not be loaded (network error, HTTP error or blocked)")
		return nil
	})
	defer onload.Release()
	defer onerror.Release()
	el.Call("addEventListener", "load", onload)
	el.Call("addEventListener", "error", onerror)
	defer el.Call("removeEventListener", "load", onload)
	defer el.Call("removeEventListener", "error", onerror)
	if start != nil {
		start()
	}
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case err := <-done:
		return err
	case <-timer.C:
		return timeoutError{"the script " + rawURL + " " + errTimeout.Error() + " after " + timeout.String()}
	}
}

// trusted passes value through the Trusted Types policy "fedwasm"'s create
// method: "createScriptURL" admits registered remotes' origins only,
// "createScript" import maps only. Without a policy (the page has no Trusted
// Types, or its CSP refused "fedwasm"; the browser decides) it is value itself.
func (b *Bridge) trusted(create, value string) any {
	b.mu.Lock()
	policy := b.ttPolicy
	b.mu.Unlock()
	if policy.Type() != js.TypeObject {
		return value
	}
	return policy.Call(create, value)
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
// files), or makes one when Go runs without the loader.
func (b *Bridge) startTrustedTypes() {
	tt := js.Global().Get("trustedTypes")
	if tt.Type() != js.TypeObject {
		return
	}
	b.ttCheck = js.FuncOf(func(_ js.Value, args []js.Value) any { return b.admitScriptURL(arg(args, 0).String()) })
	if b.hooks.Type() == js.TypeObject {
		b.hooks.Set("admitScriptURL", b.ttCheck)
		b.ttPolicy = b.hooks.Get("trustedTypesPolicy")
		return
	}
	options := js.Global().Get("Object").New()
	admitted := js.FuncOf(func(_ js.Value, args []js.Value) any {
		if raw := arg(args, 0).String(); b.admitScriptURL(raw) {
			return raw
		}
		return "about:blank#fedwasm-refused" // Go cannot throw into JS: a URL that loads nothing
	})
	options.Set("createScriptURL", admitted)
	importMapsOnly := js.FuncOf(func(_ js.Value, args []js.Value) any {
		if text := arg(args, 0).String(); isImportMap(text) {
			return text
		}
		return "" // Go cannot throw into JS: an empty script
	})
	options.Set("createScript", importMapsOnly)
	b.ttPolicy, _ = guard("trustedTypes.createPolicy", func() js.Value { return tt.Call("createPolicy", "fedwasm", options) })
}

// admitScriptURL is the policy's check: a script URL must be on a registered
// remote's origin or a failover domain.
func (b *Bridge) admitScriptURL(raw string) bool {
	origin, ok := urlOrigin(raw)
	if !ok {
		return false
	}
	for _, rep := range b.rt.Remotes.Snapshot() {
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

// withinTime waits for the result of an already-started load, up to d.
func withinTime(result func() (js.Value, error), d time.Duration) (js.Value, error) {
	type outcome struct {
		v   js.Value
		err error
	}
	ch := make(chan outcome, 1)
	go func() { v, err := result(); ch <- outcome{v, err} }()
	select {
	case o := <-ch:
		return o.v, o.err
	case <-time.After(d):
		return js.Undefined(), timeoutError{errTimeout.Error() + " after " + d.String()}
	}
}

// isContainer reports whether v has a webpack container's init and get.
func isContainer(v js.Value) bool {
	t := v.Type()
	return (t == js.TypeObject || t == js.TypeFunction) &&
		property(v, "init").Type() == js.TypeFunction && property(v, "get").Type() == js.TypeFunction
}

// initContainer calls container.init(shareScope) once per remote, with the
// live share scope object the runtime resolves against.
func (b *Bridge) initContainer(r config.Remote, container js.Value) error {
	_, err := b.loads.do("init:"+r.Name, func() (js.Value, error) {
		scope := b.scopeObject(r.ShareScope)
		v, err := guard("container.init", func() js.Value { return container.Call("init", scope) })
		if err == nil {
			_, err = await(v)
		}
		if err != nil {
			return js.Undefined(), errcode.New(errcode.RemoteInitFailed, map[string]any{"remote": r.Name, "cause": err.Error()},
				"remote "+strconv.Quote(r.Name)+": its container's init(shareScope) threw: "+err.Error()+"; the remote cannot share modules with this host. Check its shared config")
		}
		return js.Undefined(), nil
	})
	return err
}

// getExpose asks the container for expose and runs the module factory.
func (b *Bridge) getExpose(id string, r config.Remote, container js.Value, expose string) (js.Value, error) {
	missing := func(cause string) error {
		return errcode.New(errcode.RemoteExposeMissing, map[string]any{"remote": r.Name, "expose": expose, "cause": cause},
			"loadRemote("+strconv.Quote(id)+"): remote "+strconv.Quote(r.Name)+" does not expose "+strconv.Quote(expose)+" ("+cause+"); check the id against the remote's exposes")
	}
	v, err := guard("container.get", func() js.Value { return container.Call("get", expose) })
	if err == nil {
		v, err = await(v)
	}
	if err != nil {
		return js.Undefined(), missing(err.Error())
	}
	if v.Type() != js.TypeFunction {
		return js.Undefined(), missing("get returned no module factory")
	}
	module, err := guard("module factory", func() js.Value { return v.Invoke() })
	if err != nil {
		return js.Undefined(), errcode.New(errcode.RemoteLoadFailed, map[string]any{"remote": r.Name, "expose": expose, "cause": err.Error()},
			"loadRemote("+strconv.Quote(id)+"): running the exposed module "+strconv.Quote(expose)+" threw: "+err.Error())
	}
	return module, nil
}
