//go:build js && wasm

package jsbridge

import (
	"errors"
	"github.com/fedwasm/fedwasm/jsbridge/internal/jsutil"
	"strconv"
	"strings"
	"sync"
	"syscall/js"

	"github.com/fedwasm/fedwasm/federation/integrity"
	"github.com/fedwasm/fedwasm/federation/load"
	"github.com/fedwasm/fedwasm/federation/retry"
)

// platform is the page as federation/load's Platform: fetch with a time
// limit, crypto.subtle, the loader's import(), <script> elements (one per
// URL), the page's globals and the browser's URL parser. federation/load
// decides what to load, from where, how often and whether to trust it.
type platform struct{ b *Bridge }

// loader is the bridge's remote loader over the page.
func (b *Bridge) loader() load.Loader[js.Value] { return load.Loader[js.Value]{Platform: platform{b}} }

// body is a fetched body: a Uint8Array, the response's Content-Type, and
// where it came from (response.url and response.redirected).
type body struct {
	bytes       js.Value
	contentType string
	url         string
	redirected  bool
}

// Bytes copies the body into Go.
func (b body) Bytes() []byte {
	data := make([]byte, b.bytes.Length())
	js.CopyBytesToGo(data, b.bytes)
	return data
}

// ContentType is the response's Content-Type ("" without one).
func (b body) ContentType() string { return b.contentType }

// URL is the response's URL after redirects.
func (b body) URL() string { return b.url }

// Redirected is the response's redirected.
func (b body) Redirected() bool { return b.redirected }

func (p platform) Fetch(url string, timeout retry.Millis) (load.Body, error) {
	return p.b.fetches.fetchBody(url, timeout)
}

func (p platform) Digest(b load.Body, alg string) ([]byte, error) {
	return subtleDigest(b.(body).bytes)(alg)
}

func (p platform) PinIntegrity(url, sri string) { p.b.pinIntegrity(url, sri) }

func (p platform) Import(url string, timeout retry.Millis) (js.Value, error) {
	promise, err := p.b.startImport(url)
	if err != nil {
		return js.Undefined(), err
	}
	return awaitWithin(promise, timeout) // the browser's module map runs one URL once
}

// RunScript runs the classic script at url and waits until it has run. A
// second <script> for the same URL would run the entry again and replace its
// global (two containers, two of every module-level store), so, as
// webpack's __webpack_require__.l and MF's createScript do, a <script>
// already on the page for that URL is used: one the runtime added that has
// run, or one still loading (the runtime's own for another remote of the
// same entry, or one a webpack runtime added for a remote it consumes), which
// is waited for. prepare runs before a new element is added and gives its
// integrity: federation/load fetches the entry there and checks where it
// came from, and the integrity binds the element to the bytes it checked.
func (p platform) RunScript(url, sri string, timeout retry.Millis, prepare func() (string, error)) (threw string, err error) {
	el := findEntryScript(url, sri)
	switch {
	case el.IsNull():
		bound, err := prepare()
		if err != nil {
			return "", err
		}
		return p.b.injectScript(url, bound, timeout)
	case el.Call("getAttribute", entryScriptAttr).String() != "loaded":
		return waitForScript(el, url, timeout, nil)
	}
	return "", nil
}

// Abandon aborts the fetches of urls still under way and removes the
// <script>s the runtime added for them, so the next load fetches the entry
// afresh (a fixed deploy heals) rather than wait on them.
func (p platform) Abandon(urls []string) {
	for _, url := range urls {
		p.b.fetches.abandon(url)
		if el := findEntryScript(url, ""); !el.IsNull() && el.Call("hasAttribute", entryScriptAttr).Bool() {
			el.Call("remove")
		}
	}
}

func (p platform) Container(name string) (js.Value, bool) {
	if name == "" {
		return js.Undefined(), false
	}
	v := jsutil.Property(js.Global(), name)
	return v, isContainer(v)
}

func (p platform) Absolute(url string) string               { return absoluteURL(url) }
func (p platform) Resolve(ref, base string) (string, error) { return resolveURL(ref, base) }
func (p platform) Origin(url string) (string, bool)         { return urlOrigin(url) }
func (p platform) Sleep(d retry.Millis)                     { <-jsutil.After(float64(d)).Expired }

// timeoutError is an attempt that ran out of time, saying what and after how
// long; errors.Is(err, load.ErrTimeout) holds for it.
type timeoutError struct{ msg string }

func (e timeoutError) Error() string { return e.msg }
func (e timeoutError) Unwrap() error { return load.ErrTimeout }

// entryScriptAttr marks the <script> elements the runtime adds for remote
// entries: "loading" until the script has run, then "loaded". A failed one is
// removed, so a retry adds a fresh element rather than waiting on a dead one.
const entryScriptAttr = "data-fedwasm-entry"

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

// pendingFetches are the fetches under way, by URL. One that runs out of
// time is not aborted: the retry of its URL waits for it rather than start
// a second request for the same bytes, as an import() or a <script> under
// way is waited for, until the load gives up (Abandon aborts it). Loads of
// one URL at the same time share its request.
type pendingFetches struct {
	sync.Mutex
	byURL map[string]*pendingFetch
}

// pendingFetch is a fetch under way: done closes when body and err are set.
type pendingFetch struct {
	done  chan struct{}
	abort js.Value // its AbortController
	body  body
	err   error
}

// fetchBody GETs url (CORS, following redirects) and returns its body,
// Content-Type and where it came from, waiting up to timeout: running out
// of time is a timeoutError, and the request goes on (pendingFetches).
func (pending *pendingFetches) fetchBody(rawURL string, timeout retry.Millis) (body, error) {
	pending.Lock()
	f := pending.byURL[rawURL]
	if f == nil {
		if pending.byURL == nil {
			pending.byURL = map[string]*pendingFetch{}
		}
		f = &pendingFetch{done: make(chan struct{}), abort: js.Global().Get("AbortController").New()}
		pending.byURL[rawURL] = f
		go func() {
			f.body, f.err = fetchOnce(rawURL, f.abort)
			pending.Lock()
			if pending.byURL[rawURL] == f {
				delete(pending.byURL, rawURL)
			}
			pending.Unlock()
			close(f.done)
		}()
	}
	pending.Unlock()
	timer := jsutil.After(float64(timeout))
	defer timer.Stop()
	select {
	case <-f.done:
		return f.body, f.err
	case <-timer.Expired:
		return body{}, timeoutError{"fetching " + rawURL + " " + load.ErrTimeout.Error() + " after " + timeout.String()}
	}
}

// abandon aborts the fetch of url under way, if any.
func (pending *pendingFetches) abandon(rawURL string) {
	pending.Lock()
	f := pending.byURL[rawURL]
	delete(pending.byURL, rawURL)
	pending.Unlock()
	if f != nil {
		f.abort.Call("abort")
	}
}

// fetchOnce GETs url (CORS) with ctrl's abort signal and reads its body.
func fetchOnce(rawURL string, ctrl js.Value) (body, error) {
	init := jsutil.Object()
	init.Set("mode", "cors")
	init.Set("credentials", "same-origin")
	init.Set("signal", ctrl.Get("signal"))
	resp, err := jsutil.Guard("fetch", func() js.Value { return js.Global().Call("fetch", rawURL, init) })
	if err == nil {
		resp, err = jsutil.Await(resp)
	}
	if err != nil {
		return body{}, errors.New("fetching " + rawURL + ": " + err.Error())
	}
	return readResponse(rawURL, resp)
}

// readResponse reads a Response to rawURL: an HTTP error status is a
// failure. A Response a plugin made is read the same way, guarded (its
// getters are page code).
func readResponse(rawURL string, resp js.Value) (body, error) {
	if ok, _ := jsutil.SafeProperty(resp, "ok"); !ok.Truthy() {
		status, _ := jsutil.SafeProperty(resp, "status")
		code := "no status"
		if status.Type() == js.TypeNumber {
			code = strconv.Itoa(status.Int())
		}
		return body{}, errors.New("fetching " + rawURL + ": HTTP " + code)
	}
	contentType := ""
	if ct, _ := jsutil.Guard("response.headers", func() js.Value { return jsutil.Property(resp, "headers").Call("get", "Content-Type") }); ct.Type() == js.TypeString {
		contentType = ct.String()
	}
	buf, err := jsutil.Guard("response.arrayBuffer", func() js.Value { return resp.Call("arrayBuffer") })
	if err == nil {
		buf, err = jsutil.Await(buf)
	}
	if err != nil {
		return body{}, errors.New("reading " + rawURL + ": " + err.Error())
	}
	bytes, err := jsutil.Guard("new Uint8Array", func() js.Value { return js.Global().Get("Uint8Array").New(buf) })
	if err != nil {
		return body{}, errors.New("reading " + rawURL + ": " + err.Error())
	}
	url, _ := jsutil.SafeProperty(resp, "url")
	urlText := ""
	if url.Type() == js.TypeString {
		urlText = url.String()
	}
	redirected, _ := jsutil.SafeProperty(resp, "redirected")
	return body{bytes: bytes, contentType: contentType, url: urlText, redirected: redirected.Truthy()}, nil
}

// subtleDigest digests body with crypto.subtle.digest, so the wasm needs none
// of Go's crypto.
func subtleDigest(body js.Value) integrity.Digester {
	return func(alg string) ([]byte, error) {
		subtle := jsutil.Property(jsutil.Property(js.Global(), "crypto"), "subtle")
		if subtle.Type() != js.TypeObject {
			return nil, errors.New("this page has no crypto.subtle")
		}
		name := "SHA-" + strings.TrimPrefix(alg, "sha")
		digest, err := jsutil.Guard("crypto.subtle.digest", func() js.Value { return subtle.Call("digest", name, body) })
		if err == nil {
			digest, err = jsutil.Await(digest)
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
// waits until it has run, and returns what it threw while it ran. An element that fails is removed
// (by settleEntryScript); one that runs out of time is left to the caller.
func (b *Bridge) injectScript(rawURL, sri string, timeout retry.Millis) (threw string, err error) {
	el := b.scriptFromPlugins(rawURL, &timeout)
	el.Set("async", true)
	el.Call("setAttribute", entryScriptAttr, "loading")
	if nonce := b.nonce(); nonce != "" {
		el.Set("nonce", nonce)
	}
	if sri != "" {
		el.Set("integrity", sri)
		el.Set("crossOrigin", "anonymous")
	}
	if _, err := jsutil.Guard("script src", func() js.Value { el.Set("src", b.trusted("createScriptURL", rawURL)); return el }); err != nil {
		return "", load.Final{Err: err} // Trusted Types refused the URL
	}
	settle := b.settleScript
	el.Call("addEventListener", "load", settle)
	el.Call("addEventListener", "error", settle)
	return waitForScript(el, rawURL, timeout, func() { appendToHead(el) })
}

// settleEntryScript is the runtime's entry <script>s' own load and error
// listener, added before any attempt waits on them, so an element's state
// holds whenever it settles, with or without an attempt still waiting: one
// that has run is marked loaded, one that failed is removed, so a later
// attempt adds a fresh element rather than wait on a dead one.
func settleEntryScript(_ js.Value, args []js.Value) any {
	event := jsutil.Arg(args, 0)
	el := event.Get("target")
	if event.Get("type").String() == "load" {
		el.Call("setAttribute", entryScriptAttr, "loaded")
	} else {
		el.Call("remove")
	}
	return nil
}

// waitForScript waits up to timeout for the <script> el to fire load (it has
// run) or error, and returns what it threw while it ran; start, when not
// nil, runs once the listeners are on (it appends a new element). The listeners are added, not assigned: a webpack
// runtime waiting on the same element has its own onload and onerror.
func waitForScript(el js.Value, rawURL string, timeout retry.Millis, start func()) (threw string, err error) {
	done := make(chan error, 1)
	// The page's error event for the script's URL, which fires while it
	// runs (before load), says what it threw.
	want, thrown := absoluteURL(rawURL), make(chan string, 1)
	onThrow := js.FuncOf(func(_ js.Value, a []js.Value) any {
		event := jsutil.Arg(a, 0)
		if file, ok := jsutil.SafeProperty(event, "filename"); !ok || file.Type() != js.TypeString || file.String() != want {
			return nil
		}
		message := "an exception"
		if m, ok := jsutil.SafeProperty(event, "message"); ok && m.Type() == js.TypeString {
			message = m.String()
		}
		select {
		case thrown <- message:
		default:
		}
		return nil
	})
	defer onThrow.Release()
	js.Global().Call("addEventListener", "error", onThrow)
	defer js.Global().Call("removeEventListener", "error", onThrow)
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
	timer := jsutil.After(float64(timeout))
	defer timer.Stop()
	select {
	case err := <-done:
		select {
		case threw = <-thrown:
		default:
		}
		return threw, err
	case <-timer.Expired:
		return "", timeoutError{"the script " + rawURL + " " + load.ErrTimeout.Error() + " after " + timeout.String()}
	}
}

// awaitWithin waits up to d for v, a Promise page code may never settle,
// and holds nothing of Go's once it returns (jsutil.AwaitWithin).
func awaitWithin(v js.Value, d retry.Millis) (js.Value, error) {
	value, settled, err := jsutil.AwaitWithin(v, float64(d))
	if !settled {
		return js.Undefined(), timeoutError{load.ErrTimeout.Error() + " after " + d.String()}
	}
	return value, err
}

// within waits up to d for what result gives (a load already started, a
// body being read); a timeout is load.ErrTimeout, its message starting with
// doing. result's goroutine runs on after a timeout until result returns,
// so its own waits on page code must be bounded (awaitWithin).
func within[T any](doing string, result func() (T, error), d retry.Millis) (T, error) {
	type outcome struct {
		v   T
		err error
	}
	ch := make(chan outcome, 1)
	go func() { v, err := result(); ch <- outcome{v, err} }()
	timer := jsutil.After(float64(d))
	defer timer.Stop()
	select {
	case o := <-ch:
		return o.v, o.err
	case <-timer.Expired:
		var none T
		return none, timeoutError{doing + load.ErrTimeout.Error() + " after " + d.String()}
	}
}

// isContainer reports whether v has a webpack container's init and get.
func isContainer(v js.Value) bool {
	t := v.Type()
	return (t == js.TypeObject || t == js.TypeFunction) &&
		jsutil.Property(v, "init").Type() == js.TypeFunction && jsutil.Property(v, "get").Type() == js.TypeFunction
}
