//go:build js && wasm

package jsbridge

import (
	"errors"
	"sync"
	"syscall/js"

	"github.com/fedwasm/fedwasm/federation"
	"github.com/fedwasm/fedwasm/federation/broker"
	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/remote"
	"github.com/fedwasm/fedwasm/federation/share"
)

// HostHooksGlobal names the object loader.js sets before it starts Go:
// { importModule(url): Promise<module>, publish(raw): void }. Go has no
// dynamic import() of its own, and a Go function cannot throw into its JS
// caller, so the loader supplies the first and wraps the API for the second.
const HostHooksGlobal = "__fedwasm_host"

// Bridge connects one federation.Runtime to the page.
type Bridge struct {
	rt    *federation.Runtime
	hooks js.Value

	ready           js.Value
	resolveReady    js.Value
	loads           flights
	mu              sync.Mutex
	shareHandles    map[share.ProviderID]shareHandle
	scopes          map[string]js.Value  // live share scope objects by name
	entries         map[string]liveEntry // scope/package/version → the entry object seen there
	warned          map[string]bool      // warnOnce keys
	ev              events
	lc              lifecycle
	releases        map[broker.ItemID]func() // how to release each tracked item
	released        js.Func                  // released(id): a tracked item was released from JS
	took            js.Func                  // took(id, stack): code called a live scope entry's get (tookEntry)
	settlers        js.Value                 // the loader's settle functions (the page's fast paths), or undefined
	ttPolicy        js.Value                 // the Trusted Types policy "fedwasm", made on first use
	ttCheck         js.Func                  // its createScriptURL
	plugins         []js.Value               // fedwasm.use(plugin), in order
	manifests       map[string]remote.Manifest
	query           queryHub  // fedwasm.query's connections and channels
	persistOnce     sync.Once // makes persistRulesObj and persistReportFn
	persistRulesObj js.Value  // broker.PersistRules for broker.js
	persistReportFn js.Func   // report(reason, err, id) of every persisted store
}

// shareHandle is how a provider's module is obtained: a loaded lib, a get
// function returning the module, an ES module URL, or the get of a webpack
// entry (returning a factory, or a Promise of one).
type shareHandle struct {
	lib        js.Value
	get        js.Value
	importURL  string
	webpackGet js.Value
	container  string // a version a remote's manifest lists: its container provides it once initialized
}

// published is the page's current bridge: a page has one runtime, and
// publishing another retires the previous one's cross-tab channel.
var published *Bridge

// Publish builds the fedwasm API for rt and hands it to the loader (or, when
// Go was started without loader.js, sets window.fedwasm directly).
func Publish(rt *federation.Runtime) *Bridge {
	if published != nil {
		published.retire()
	}
	b := &Bridge{
		rt: rt, hooks: js.Global().Get(HostHooksGlobal),
		shareHandles: map[share.ProviderID]shareHandle{}, scopes: map[string]js.Value{},
		entries: map[string]liveEntry{}, warned: map[string]bool{}, manifests: map[string]remote.Manifest{},
	}
	b.ready, b.resolveReady, _ = newPromise()
	b.took = syncFunc("shareScope entry get", b.tookEntry)
	if b.hooks.Type() == js.TypeObject {
		b.settlers = property(b.hooks, "settle")
	}
	b.startTrustedTypes()
	b.startLifecycle()
	b.startEvents()
	api := b.api()
	if b.hooks.Type() == js.TypeObject && b.hooks.Get("publish").Type() == js.TypeFunction {
		b.hooks.Call("publish", api)
	} else {
		js.Global().Set("fedwasm", api)
	}
	published = b
	return b
}

// retire closes the channels of a bridge another one replaces, so it no
// longer hears or answers other tabs.
func (b *Bridge) retire() {
	if !b.ev.channel.IsUndefined() {
		b.ev.channel.Call("close")
	}
	b.query.mu.Lock()
	defer b.query.mu.Unlock()
	for _, ch := range b.query.channels {
		if !ch.IsUndefined() {
			ch.Call("close")
		}
	}
}

func (b *Bridge) api() js.Value {
	object := js.Global().Get("Object")
	api := object.New()
	api.Set("version", b.rt.Version)
	api.Set("ready", b.ready)
	api.Set("init", asyncFunc("init", b.init))
	api.Set("registerShared", syncFunc("registerShared", b.registerShared))
	api.Set("loadShare", asyncFunc("loadShare", b.loadShare))
	api.Set("loadShareSync", syncFunc("loadShareSync", b.loadShareSync))
	api.Set("shareScope", syncFunc("shareScope", b.shareScope))
	api.Set("registerRemotes", syncFunc("registerRemotes", b.registerRemotes))
	api.Set("loadRemote", asyncFunc("loadRemote", b.loadRemote))
	api.Set("preloadRemote", asyncFunc("preloadRemote", b.preloadRemote))
	api.Set("inspect", syncFunc("inspect", b.inspect))
	stores := object.New()
	stores.Set("provide", syncFunc("stores.provide", b.provideStore))
	stores.Set("get", asyncFunc("stores.get", b.getStore))
	api.Set("stores", stores)
	eventsAPI := object.New()
	eventsAPI.Set("on", syncFunc("events.on", b.on))
	eventsAPI.Set("emit", syncFunc("events.emit", b.emit))
	api.Set("events", eventsAPI)
	queryAPI := object.New()
	queryAPI.Set("connect", syncFunc("query.connect", b.connectQuery))
	queryAPI.Set("invalidate", syncFunc("query.invalidate", b.invalidateQuery))
	api.Set("query", queryAPI)
	api.Set("use", syncFunc("use", b.use))
	api.Set("scope", syncFunc("scope", b.scope))
	api.Set("mount", asyncFunc("mount", b.mount))
	return api
}

// configText is init's argument as JSON text: the text itself when it is a
// string (the loader hands over the config file as it came, so it is decoded
// once, by config.Decode), else the object's JSON.stringify.
func configText(v js.Value) ([]byte, error) {
	if v.Type() == js.TypeString {
		return []byte(v.String()), nil
	}
	return jsonText(v, "init(config)")
}

// inspect implements fedwasm.inspect(): the runtime's state, with what the
// page did on its own since (events emitted on the page's fast path,
// consumers that took entries from the live scope).
func (b *Bridge) inspect(js.Value, []js.Value) (any, error) {
	if n := b.settle("takeEmitted"); n.Type() == js.TypeNumber {
		b.rt.CountEmittedN(n.Int())
	}
	b.syncAll()
	return b.rt.Snapshot(), nil
}

// init applies a config, loads the shared modules it names and resolves ready.
func (b *Bridge) init(_ js.Value, args []js.Value) (any, error) {
	text, err := configText(arg(args, 0))
	if err != nil {
		return nil, errcode.New(errcode.ConfigInvalid, errcode.As(err, errcode.ConfigInvalid).Details, errcode.As(err, errcode.ConfigInvalid).Message)
	}
	cfg, err := config.Decode(text)
	if err != nil {
		return nil, err
	}
	shares, err := b.rt.Init(cfg)
	if err != nil {
		return nil, err // ready stays pending: a corrected init may follow
	}
	b.settle("forgetShares") // the host's declared rules apply from now on
	for _, s := range shares {
		b.setHandle(s.ID, shareHandle{importURL: s.Args.Import})
		if s.Active {
			p, _ := b.rt.Provider(s.ID)
			b.publishEntry(s.ID, p)
		}
	}
	// The import map first: shared modules may import each other by bare
	// specifier (react-dom imports 'react'), so it must exist before they load.
	b.writeImportMap(shares, b.nonce())
	b.preloadConfiguredShares(shares)
	b.rt.MarkReady()
	b.resolveReady.Invoke()
	return nil, nil
}

// preloadConfiguredShares resolves each configured package for the host and
// loads the chosen module, all in parallel, so they are loaded before ready.
// A failure is a warning: the page boots, and loadShare of that package
// reports the failure (and tries again).
func (b *Bridge) preloadConfiguredShares(shares []federation.ConfiguredShare) {
	host := b.rt.HostName()
	seen := map[[2]string]bool{}
	var wg sync.WaitGroup
	for _, s := range shares {
		key := [2]string{s.Args.Scope, s.Package}
		if seen[key] || s.Args.Import == "" {
			continue
		}
		seen[key] = true
		wg.Add(1)
		go func(pkg, scope string) {
			defer wg.Done()
			loadErr, panicErr := guard("init preload", func() error {
				_, _, err := b.resolveAndLoad(b.rt.Consumer(pkg, scope, host), js.Undefined())
				return err
			})
			if err := errors.Join(loadErr, panicErr); err != nil {
				b.warn(errcode.As(err, errcode.ShareLoadFailed))
			}
		}(s.Package, s.Args.Scope)
	}
	wg.Wait()
}

func (b *Bridge) setHandle(id share.ProviderID, h shareHandle) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.shareHandles[id] = h
}

func (b *Bridge) handle(id share.ProviderID) (shareHandle, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	h, ok := b.shareHandles[id]
	return h, ok
}

// warn reports w on the console, in inspect() and as a fedwasm:warning event.
func (b *Bridge) warn(w *errcode.Error) {
	b.rt.Warn(w)
	errValue := jsError(w)
	js.Global().Get("console").Call("warn", "[fedwasm] "+w.Error())
	b.dispatchEvent("fedwasm:warning", errValue, "")
}

// settle hands a decision to the page's fast paths (loader.js's
// settle[name]), so the same call again is answered in the page. Without
// the loader there are none, and nothing happens.
func (b *Bridge) settle(name string, args ...any) js.Value {
	if b.settlers.Type() != js.TypeObject {
		return js.Undefined()
	}
	v, _ := guard("settle."+name, func() js.Value {
		if fn := property(b.settlers, name); fn.Type() == js.TypeFunction {
			return fn.Invoke(args...)
		}
		return js.Undefined()
	})
	return v
}

// brokerPrimitive returns the named export of broker.js, which loader.js
// imports and hands over: the per-update parts of the broker run there.
func (b *Bridge) brokerPrimitive(name, call string) (js.Value, error) {
	fn := js.Undefined()
	if b.hooks.Type() == js.TypeObject {
		if mod := b.hooks.Get("broker"); mod.Type() == js.TypeObject {
			fn = mod.Get(name)
		}
	}
	if fn.Type() != js.TypeFunction {
		return js.Undefined(), errcode.New(errcode.ImportUnavailable, map[string]any{"call": call, "primitive": name},
			"fedwasm."+call+" needs broker.js's "+name+", which loader.js supplies; start the runtime with <script src=\".../loader.js\"> and serve broker.js beside it")
	}
	return fn, nil
}

// importModule runs the loader's import() on url and returns a function that
// waits for the module (so callers can bound the wait).
func (b *Bridge) importModule(url string) func() (js.Value, error) {
	promise, err := b.startImport(url)
	return func() (js.Value, error) {
		if err != nil {
			return js.Undefined(), err
		}
		return await(promise)
	}
}

// startImport starts the loader's import() of url.
func (b *Bridge) startImport(url string) (js.Value, error) {
	if b.hooks.Type() != js.TypeObject || b.hooks.Get("importModule").Type() != js.TypeFunction {
		return js.Undefined(), errcode.New(errcode.ImportUnavailable, map[string]any{"url": url},
			"cannot import "+url+": the runtime was started without loader.js, which supplies import(); start it with <script src=\".../loader.js\">")
	}
	return guard("importModule", func() js.Value { return b.hooks.Call("importModule", url) })
}
