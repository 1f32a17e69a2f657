//go:build js && wasm

package jsbridge

import (
	"errors"
	"github.com/fedwasm/fedwasm/jsbridge/internal/jsutil"
	"strconv"
	"strings"
	"sync"
	"syscall/js"

	"github.com/fedwasm/fedwasm/federation"
	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/jsonv"
	"github.com/fedwasm/fedwasm/federation/load"
	"github.com/fedwasm/fedwasm/federation/share"
	"github.com/fedwasm/fedwasm/federation/surface"
)

// HostHooksGlobal names the object loader.js sets just before it starts Go:
// { importModule(url): Promise<module>, publish(raw): void, broker, settle,
// ... }. Go has no dynamic import() of its own, and a Go function cannot
// throw into its JS caller, so the loader supplies the first and wraps the
// API for the second. Publish takes the object and deletes the global, in
// the same turn the loader set it, so no page code can reach or replace a
// hook.
const HostHooksGlobal = "__fedwasm_host"

// Bridge connects one federation.Runtime to the page.
type Bridge struct {
	rt    *federation.Runtime
	hooks js.Value

	ready           js.Value
	resolveReady    js.Value
	loads           flights
	fetches         pendingFetches // the page's fetches of remote entries and manifests under way
	live            liveScopes     // the live share scope objects and how each provider's module is obtained
	warned          onceKeys       // warnOnce keys
	ev              events
	lc              lifecycle
	released        js.Func  // released(id): a tracked item was released from JS
	took            js.Func  // took(id, stack): code called a live scope entry's get (tookEntry)
	entryGet        js.Func  // get() of every entry fedwasm writes, bound to its provider's id (publishEntries)
	settlers        js.Value // the loader's settle functions (the page's fast paths), or undefined
	settleScript    js.Func  // settleEntryScript, the entry <script>s' load and error listener
	ttPolicy        js.Value // the Trusted Types policy "fedwasm", taken or made by Publish
	ttCheck         js.Func  // its createScriptURL
	plugins         plugins  // fedwasm.use(plugin), in order
	manifests       manifests
	natives         nativeRemotes
	earlyRemotes    js.Value       // loader.js's host.earlyRemotes: remote name → the entry URL it loaded before Go ran
	query           queryHub       // fedwasm.query's connections and channels
	persistOnce     sync.Once      // makes persistRulesObj and persistReportFn
	persistRulesObj js.Value       // broker.PersistRules for broker.js
	persistReportFn js.Func        // report(reason, err, id) of every persisted store
	dt              devtoolsGlobal // window.__FEDERATION__ for Module Federation's devtools, and their proxy's rules
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

// Publish builds the fedwasm API for rt and hands it to the loader (or, when
// Go was started without loader.js, sets window.fedwasm directly). A page has
// one runtime: whoever publishes another retires this one first.
func Publish(rt *federation.Runtime) *Bridge {
	b := &Bridge{
		rt: rt, hooks: js.Global().Get(HostHooksGlobal),
		live: liveScopes{handles: map[share.ProviderID]shareHandle{}, objects: map[string]js.Value{}, entries: map[string]liveEntry{}},
	}
	js.Global().Delete(HostHooksGlobal)
	b.ready, b.resolveReady, _ = jsutil.NewPromise()
	b.took = jsutil.SyncFunc("shareScope entry get", b.tookEntry)
	b.entryGet = b.entryGetFunc()
	b.settleScript = js.FuncOf(settleEntryScript)
	if b.hooks.Type() == js.TypeObject {
		b.settlers = jsutil.Property(b.hooks, "settle")
	}
	b.startTrustedTypes()
	b.adoptScopes()
	b.startLifecycle()
	b.startEvents()
	api := b.api()
	if b.hooks.Type() == js.TypeObject && b.hooks.Get("publish").Type() == js.TypeFunction {
		b.hooks.Call("publish", api)
	} else {
		js.Global().Set("fedwasm", api)
	}
	return b
}

// Retire closes the bridge's channels, so it no longer hears or answers
// other tabs; a bridge another one replaces is retired.
func (b *Bridge) Retire() {
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
	api := methodsObject("window.fedwasm", surface.API, map[string]js.Func{
		"init":             jsutil.AsyncFunc("init", b.init),
		"initOptions":      jsutil.AsyncFunc("initOptions", b.initOptions),
		"registerShared":   jsutil.SyncFunc("registerShared", b.registerShared),
		"loadShare":        jsutil.AsyncFunc("loadShare", asPage(b.loadShare)),
		"loadShareSync":    jsutil.SyncFunc("loadShareSync", asPage(b.loadShareSync)),
		"shareScope":       jsutil.SyncFunc("shareScope", b.shareScope),
		"registerRemotes":  jsutil.SyncFunc("registerRemotes", b.registerRemotes),
		"loadRemote":       jsutil.AsyncFunc("loadRemote", b.loadRemote),
		"preloadRemote":    jsutil.AsyncFunc("preloadRemote", b.preloadRemote),
		"inspect":          jsutil.SyncFunc("inspect", b.inspect),
		"stores.provide":   jsutil.SyncFunc("stores.provide", asPage(b.provideStore)),
		"stores.get":       jsutil.AsyncFunc("stores.get", asPage(b.getStore)),
		"events.on":        jsutil.SyncFunc("events.on", asPage(b.on)),
		"events.emit":      jsutil.SyncFunc("events.emit", asPage(b.emit)),
		"query.connect":    jsutil.SyncFunc("query.connect", asPage(b.connectQuery)),
		"query.invalidate": jsutil.SyncFunc("query.invalidate", b.invalidateQuery),
		"use":              jsutil.SyncFunc("use", b.use),
		"scope":            jsutil.SyncFunc("scope", b.scope),
		"mount":            jsutil.AsyncFunc("mount", b.mount),
	}, func(fn js.Value) js.Value { return fn })
	api.Set("version", b.rt.Version)
	api.Set("ready", b.ready)
	return api
}

// methodsObject builds an API object from the functions of surface's list:
// each path ("stores.provide") set from fns through bind, groups made as
// needed. surface's list is what the loader's stand-in answers by, so a
// function the list does not name, or a name without a function, is a bug
// caught at the first start, never a silent difference.
func methodsObject(what string, list []surface.Method, fns map[string]js.Func, bind func(js.Value) js.Value) js.Value {
	if len(fns) != len(list) {
		panic("jsbridge: " + what + " has " + strconv.Itoa(len(fns)) + " functions and surface lists " + strconv.Itoa(len(list)))
	}
	api := jsutil.Object()
	groups := map[string]js.Value{}
	for _, m := range list {
		fn, ok := fns[m.Path]
		if !ok {
			panic("jsbridge: surface lists " + what + "." + m.Path + ", which has no function")
		}
		target, key := api, m.Path
		if group, method, ok := strings.Cut(m.Path, "."); ok {
			if groups[group].IsUndefined() {
				groups[group] = jsutil.Object()
				api.Set(group, groups[group])
			}
			target, key = groups[group], method
		}
		target.Set(key, bind(fn.Value))
	}
	return api
}

// configText is init's argument as JSON text: the text itself when it is a
// string (the loader hands over the config file as it came, so it is decoded
// once, by config.Decode), else the object as JSON.stringify reads it, less
// what f takes aside (the functions and modules JSON cannot carry).
func configText(v js.Value, f *configFuncs) ([]byte, error) {
	if v.Type() == js.TypeString {
		return []byte(v.String()), nil
	}
	const what = "init(config)"
	value, ok, err := jsutil.PlainValueAside(what, v, f.aside)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errcode.New(errcode.InvalidArgument, map[string]any{"argument": what}, what+" must be a plain object")
	}
	return jsonv.Marshal(value), nil
}

// inspect implements fedwasm.inspect(): the runtime's state, with what the
// page did on its own since (events emitted on the page's fast path,
// consumers that took entries from the live scope).
func (b *Bridge) inspect(js.Value, []js.Value) (any, error) {
	if n := b.settle("takeEmitted"); n.Type() == js.TypeNumber {
		b.rt.CountEmittedN(n.Int())
	}
	b.syncAll()
	b.devtoolsChanged()
	return b.rt.Snapshot(), nil
}

// init applies a config, loads the shared modules it names and resolves ready.
func (b *Bridge) init(_ js.Value, args []js.Value) (any, error) {
	return nil, b.applyConfig(jsutil.Arg(args, 0), false)
}

// initOptions is Module Federation 2.0's init: the first call is init, a
// later one merges its config into the page's as the core decides
// (federation.Runtime.InitOptions).
func (b *Bridge) initOptions(_ js.Value, args []js.Value) (any, error) {
	return nil, b.applyConfig(jsutil.Arg(args, 0), true)
}

// applyConfig reads a config (an object or its JSON text) and applies it:
// as the page's one init, or with merge as InitOptions decides.
func (b *Bridge) applyConfig(arg js.Value, merge bool) error {
	var funcs configFuncs
	text, err := configText(arg, &funcs)
	if err != nil {
		coded := errcode.As(err, errcode.ConfigInvalid)
		if coded.Code == errcode.LimitExceeded {
			return coded
		}
		return errcode.New(errcode.ConfigInvalid, coded.Details, coded.Message)
	}
	cfg, err := config.Decode(text)
	if err != nil {
		return err
	}
	// Before Init: a key that has no effect may be why Init refuses the
	// config ("verison" for version).
	for _, w := range cfg.Warnings {
		b.warn(w)
	}
	plugins, err := funcs.check()
	if err != nil {
		return err
	}
	initHook := func() {}
	registerPlugins := func() {
		for _, p := range plugins { // as fedwasm.use(p), in order
			if err := b.addPlugin(p); err != nil {
				b.warn(errcode.As(err, errcode.LimitExceeded))
			}
		}
		initHook = b.initHooks(arg)
		b.registerRemoteHooks(cfg.Remotes)
	}
	// A first init registers its plugins before the config is applied, as MF
	// registers them; a merge only once the core has accepted it, so a
	// refused merge registers nothing.
	merging := merge && b.rt.Config() != nil
	if !merging {
		registerPlugins()
	}
	// Module Federation's devtools may redirect a remote (their proxy), as
	// far as the config's security admits (devtools.Apply).
	policy := load.PolicyOf(&cfg)
	if merging {
		policy = load.PolicyOf(b.rt.Config()) // a merge keeps the page's security
	}
	cfg.Remotes = b.applyDevtoolsRules(cfg.Remotes, policy)
	var done federation.Initialized
	if merge {
		done, err = b.rt.InitOptions(cfg)
	} else {
		done.Shares, done.Displaced, err = b.rt.Init(cfg)
	}
	if err != nil {
		return err // ready stays pending: a corrected init may follow
	}
	if merging {
		registerPlugins()
	}
	for _, lifetime := range done.Displaced {
		owner, _ := b.rt.LifetimeOwner(lifetime)
		b.dispose(lifetime)
		b.warn(errcode.New(errcode.OwnerClaimed, map[string]any{"owner": owner},
			"fedwasm.scope("+strconv.Quote(owner)+") was claimed before init, but the config hands "+strconv.Quote(owner)+" out (the host's name, or a remote's for its mounts); that scope was disposed"))
	}
	b.settle("forgetShares")    // the host's declared rules apply from now on
	b.settle("forgetEmitTypes") // and its owned event types
	var active []share.ProviderID
	for _, s := range done.Shares {
		b.setHandle(s.ID, b.handleOf(s, &funcs))
		if s.Active {
			active = append(active, s.ID)
		}
	}
	// The import map first: shared modules may import each other by bare
	// specifier (react-dom imports 'react'), so it must exist before they
	// load, and the entries of the providers it maps are published loaded.
	b.writeImportMap(done.Shares, b.nonce())
	b.publishEntries(active)
	b.preloadConfiguredShares(done.Shares)
	if !done.Merged {
		b.rt.MarkReady()
	}
	initHook()
	b.devtoolsChanged()
	if !done.Merged {
		b.resolveReady.Invoke()
	}
	return nil
}

// preloadConfiguredShares resolves each configured package the host loads
// by an import URL or a get of the config object for the host and loads the
// chosen module, all in parallel, so they are loaded before ready (or before
// a merging init resolves): a loaded entry stays chosen, so a container
// initialized later with the scope takes the host's module rather than
// replacing it with its own copy (webpack's rule). An entry with a lib is
// loaded from the start (handleOf) and is not loaded here.
// A failure is a warning: the page boots, and loadShare of that package
// reports the failure (and tries again).
func (b *Bridge) preloadConfiguredShares(shares []federation.ConfiguredShare) {
	host := b.rt.HostName()
	seen := map[[2]string]bool{}
	var wg sync.WaitGroup
	for _, s := range shares {
		key := [2]string{s.Args.Scope, s.Package}
		if h, _ := b.handle(s.ID); seen[key] || (s.Args.Import == "" && h.get.IsUndefined()) {
			continue
		}
		seen[key] = true
		wg.Add(1)
		go func(pkg, scope string) {
			defer wg.Done()
			loadErr, panicErr := jsutil.Guard("init preload", func() error {
				_, _, err := b.resolveAndLoad(b.rt.Consumer(pkg, scope, host), js.Undefined(), nil)
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
	b.live.mu.Lock()
	defer b.live.mu.Unlock()
	b.live.handles[id] = h
}

func (b *Bridge) handle(id share.ProviderID) (shareHandle, bool) {
	b.live.mu.Lock()
	defer b.live.mu.Unlock()
	h, ok := b.live.handles[id]
	return h, ok
}

// warn reports w on the console, in inspect() and as a fedwasm:warning event.
func (b *Bridge) warn(w *errcode.Error) {
	b.rt.Warn(w)
	errValue := jsutil.ErrorValue(w)
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
	v, _ := jsutil.Guard("settle."+name, func() js.Value {
		if fn := jsutil.Property(b.settlers, name); fn.Type() == js.TypeFunction {
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

// importModule runs the loader's import() on url and waits for the module.
func (b *Bridge) importModule(url string) (js.Value, error) {
	promise, err := b.startImport(url)
	if err != nil {
		return js.Undefined(), err
	}
	return jsutil.Await(promise)
}

// startImport starts the loader's import() of url.
func (b *Bridge) startImport(url string) (js.Value, error) {
	if b.hooks.Type() != js.TypeObject || b.hooks.Get("importModule").Type() != js.TypeFunction {
		return js.Undefined(), errcode.New(errcode.ImportUnavailable, map[string]any{"url": url},
			"cannot import "+url+": the runtime was started without loader.js, which supplies import(); start it with <script src=\".../loader.js\">")
	}
	return jsutil.Guard("importModule", func() js.Value { return b.hooks.Call("importModule", url) })
}
