//go:build js && wasm

package jsbridge

import (
	"github.com/fedwasm/fedwasm/jsbridge/internal/jsutil"
	"runtime"
	"strconv"
	"sync"
	"syscall/js"

	"github.com/fedwasm/fedwasm/federation/broker"
	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/store"
	"github.com/fedwasm/fedwasm/federation/surface"
)

// Lifetimes: fedwasm.scope(owner) returns the API bound to owner for one
// lifetime (broker.LifetimeID), and scope.dispose() ends it, releasing
// everything registered through it: listeners, store subscriptions,
// provided stores. fedwasm.mount(id, element, props) loads a remote, gives
// its mount(element, props, scope) a lifetime of its own, and unmount() ends
// it. The page calls the object a scope (the API's name); in Go it is a
// lifetime, so "scope" keeps one meaning here: the share scope. A scope
// object costs no js.Func: its methods are the bridge's shared scoped
// functions bound to the lifetime's id (with the Function.prototype.bind
// taken at start, so page code never holds the unbound function). The id
// reaches the handlers as a broker.Caller, never through the options a
// caller passes, so no call can name a scope it was not given.

// callerHandler is an entry point that knows who calls it: the page's
// top-level fedwasm (broker.Caller{}) or a scope.
type callerHandler func(c broker.Caller, this js.Value, args []js.Value) (any, error)

// asPage is h as the page's top-level fedwasm calls it.
func asPage(h callerHandler) jsutil.Handler {
	return func(this js.Value, args []js.Value) (any, error) { return h(broker.Caller{}, this, args) }
}

// lifecycle holds the shared functions every scope object's methods are bound to.
type lifecycle struct {
	methods   map[string]js.Func // "loadShare", "stores.provide", ...: first argument is the lifetime id
	unmount   js.Func
	openMount js.Func // loader.js's hook for a remote it mounted before the runtime ran (openMount)
	mounted   js.Func // openMount's mounted(handle), bound to the lifetime
	releases  releases
	mu        sync.Mutex
	mounts    map[broker.LifetimeID]js.Value // a mounted remote's own handle, by its lifetime
	gcPending bool                           // releaseSoon has a collection scheduled
	ended     int                            // lifetimes ended so far
}

// releases holds how to release each tracked item.
type releases struct {
	mu   sync.Mutex
	undo map[broker.ItemID]func()
}

func (r *releases) set(release func(), ids ...broker.ItemID) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.undo == nil {
		r.undo = map[broker.ItemID]func(){}
	}
	for _, id := range ids {
		r.undo[id] = release
	}
}

func (r *releases) get(id broker.ItemID) func() {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.undo[id]
}

func (r *releases) forget(ids ...broker.ItemID) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, id := range ids {
		delete(r.undo, id)
	}
}

// releaseDelayMs is how soon after a scope is disposed Go's garbage collector
// runs (once for a burst of disposals).
const releaseDelayMs = 200

// releaseEvery is how many ended lifetimes make releaseSoon collect at once.
const releaseEvery = 32

func (b *Bridge) startLifecycle() {
	b.released = js.FuncOf(func(_ js.Value, args []js.Value) any {
		id := broker.ItemID(jsutil.Arg(args, 0).Int())
		b.rt.Untrack(id)
		b.lc.releases.forget(id)
		return nil
	})
	b.lc.mounts = map[broker.LifetimeID]js.Value{}
	b.lc.methods = map[string]js.Func{
		"loadShare":        jsutil.AsyncFunc("scope.loadShare", b.scoped(b.loadShare)),
		"loadShareSync":    jsutil.SyncFunc("scope.loadShareSync", b.scoped(b.loadShareSync)),
		"loadRemote":       jsutil.AsyncFunc("scope.loadRemote", b.scoped(b.loadRemoteAs)),
		"stores.provide":   jsutil.SyncFunc("scope.stores.provide", b.scoped(b.provideStore)),
		"stores.get":       jsutil.AsyncFunc("scope.stores.get", b.scoped(b.getStore)),
		"stores.subscribe": jsutil.SyncFunc("scope.stores.subscribe", b.scoped(b.subscribeStore)),
		"events.on":        jsutil.SyncFunc("scope.events.on", b.scoped(b.on)),
		"events.emit":      jsutil.SyncFunc("scope.events.emit", b.scoped(b.emit)),
		"query.connect":    jsutil.SyncFunc("scope.query.connect", b.scoped(b.connectQuery)),
		"dispose":          jsutil.SyncFunc("scope.dispose", b.disposeScoped),
	}
	b.lc.unmount = jsutil.AsyncFunc("unmount", b.unmount)
	b.lc.mounted = jsutil.SyncFunc("mounted", b.mountedHandle)
	b.lc.openMount = jsutil.SyncFunc("openMount", b.openMount)
	if b.hooks.Type() == js.TypeObject {
		b.hooks.Set("openMount", b.lc.openMount)
	}
}

// track registers it and stores the JS function that releases it, made by
// makeRelease (a broker.js tracked function that reports back through
// b.released). It returns that function.
func (b *Bridge) track(it broker.Item, makeRelease func(id broker.ItemID) js.Value) (js.Value, error) {
	id := b.rt.Track(it)
	release, err := jsutil.Guard("track", func() js.Value { return makeRelease(id) })
	if err != nil {
		b.rt.Untrack(id)
		return js.Undefined(), err
	}
	b.lc.releases.set(func() { release.Invoke() }, id)
	return release, nil
}

// ownerFor reads the owner option called name and returns the owner c acts
// as: naming an owner c does not act as is refused (OWNER_NOT_HELD).
func (b *Bridge) ownerFor(c broker.Caller, o jsutil.Options, name string) (string, error) {
	named, err := o.String(name, "")
	if err != nil {
		return "", err
	}
	return b.rt.ActingOwner(c, named)
}

func scopeDisposed(owner string) error {
	return errcode.New(errcode.ScopeDisposed, map[string]any{"owner": owner},
		"this fedwasm scope of "+strconv.Quote(owner)+" was disposed (or its remote unmounted); take a new one with fedwasm.scope("+strconv.Quote(owner)+")")
}

// scoped turns entry point h into a scoped method: its first argument is
// the scope's id, bound when the scope was made; h gets the scope as its
// caller, and the rest of the arguments.
func (b *Bridge) scoped(h callerHandler) jsutil.Handler {
	return func(this js.Value, args []js.Value) (any, error) {
		return b.callScoped(h, this, args)
	}
}

// callScoped is the body of every scoped method: one copy of it in the wasm,
// not one per method that scoped's closure would be inlined into.
func (b *Bridge) callScoped(h callerHandler, this js.Value, args []js.Value) (any, error) {
	lifetime := broker.LifetimeID(jsutil.Arg(args, 0).Int())
	owner, open := b.rt.LifetimeOwner(lifetime)
	if !open {
		return nil, scopeDisposed(owner)
	}
	return h(broker.Caller{Lifetime: lifetime, Owner: owner}, this, args[1:])
}

// loadRemoteAs is loadRemote through a scope, which changes nothing about it.
func (b *Bridge) loadRemoteAs(_ broker.Caller, this js.Value, args []js.Value) (any, error) {
	return b.loadRemote(this, args)
}

// scope implements fedwasm.scope(owner): the first claim of an owner nobody
// holds (OWNER_CLAIMED otherwise).
func (b *Bridge) scope(_ js.Value, args []js.Value) (any, error) {
	owner, err := jsutil.StringArg("scope", "the owner", args, 0)
	if err != nil {
		return nil, err
	}
	lifetime, err := b.rt.ClaimScope(owner)
	if err != nil {
		return nil, err
	}
	return b.scopeAPI(lifetime, owner), nil
}

// scopeAPI builds the object a scope hands out, wrapped for the page like
// the top-level API (see forPage), whether it goes to fedwasm.scope's caller
// or to a remote's mount.
func (b *Bridge) scopeAPI(id broker.LifetimeID, owner string) js.Value {
	api := methodsObject("a scope", surface.ScopeAPI, b.lc.methods, func(fn js.Value) js.Value {
		return jsutil.Binder(fn).Invoke(js.Null(), int(id))
	})
	api.Set("owner", owner)
	return b.forPage(api)
}

// forPage passes an API object through the loader's wrapper (host.wrap),
// which throws the Errors its synchronous methods return, since Go cannot
// throw into its JS caller. Without the loader the object is used as it is.
func (b *Bridge) forPage(api js.Value) js.Value {
	if b.hooks.Type() != js.TypeObject || b.hooks.Get("wrap").Type() != js.TypeFunction {
		return api
	}
	wrapped, err := jsutil.Guard("wrap", func() js.Value { return b.hooks.Call("wrap", api) })
	if err != nil {
		return api
	}
	return wrapped
}

// disposeScoped implements scope.dispose(); disposing twice is harmless.
func (b *Bridge) disposeScoped(_ js.Value, args []js.Value) (any, error) {
	b.dispose(broker.LifetimeID(jsutil.Arg(args, 0).Int()))
	return nil, nil
}

// dispose releases everything registered through scope, then closes it.
func (b *Bridge) dispose(lifetime broker.LifetimeID) {
	for _, id := range b.rt.InLifetime(lifetime) {
		release := b.lc.releases.get(id)
		if release == nil {
			b.rt.Untrack(id)
			continue
		}
		if _, err := jsutil.Guard("dispose", func() struct{} { release(); return struct{}{} }); err != nil {
			b.warn(errcode.As(err, errcode.JSException))
			b.rt.Untrack(id) // a failed undo must not keep the item counted forever
		}
	}
	b.rt.EndLifetime(lifetime)
	b.releaseSoon()
}

// releaseSoon runs Go's garbage collector releaseDelayMs after a lifetime
// ends, once for a burst of endings, and at once every releaseEvery endings.
// A js.Value keeps its JS object alive until Go finalizes it, and the Go heap
// grows too little for Go's own collections to come soon: without the
// delayed collection, 821–824 bytes of JS heap per mount/unmount cycle stayed
// behind until Go collected on its own; with it, 129–130. A fast burst left
// more and more behind between two collections (299–408 bytes per cycle on
// a quiet machine); collecting every releaseEvery endings too, 60–247. (Those
// are differences of two heap samples; e2e TestLeakOverMountCycles now fits a
// line through many: with neither collection the samples swing 870–1,160 KiB
// off it, with both they lie within 5 KiB and the heap stays level.)
func (b *Bridge) releaseSoon() {
	b.lc.mu.Lock()
	defer b.lc.mu.Unlock()
	b.lc.ended++
	if b.lc.ended%releaseEvery == 0 {
		go runtime.GC()
	}
	if b.lc.gcPending {
		return
	}
	b.lc.gcPending = true
	timer := jsutil.After(releaseDelayMs)
	go func() {
		<-timer.Expired
		b.lc.mu.Lock()
		b.lc.gcPending = false
		b.lc.mu.Unlock()
		runtime.GC()
	}()
}

// subscribeStore implements scope.stores.subscribe(nameOrStore, listener):
// a subscription the scope releases on dispose. Updates never pass Go.
func (b *Bridge) subscribeStore(c broker.Caller, _ js.Value, args []js.Value) (any, error) {
	target, listener := jsutil.Arg(args, 0), jsutil.Arg(args, 1)
	name := "(store)"
	if target.Type() == js.TypeString {
		name = target.String()
		e, ok := b.rt.Store(name)
		if !ok {
			return nil, errcode.New(errcode.StoreTimeout, map[string]any{"store": name},
				"stores.subscribe("+strconv.Quote(name)+"): no such store is provided yet; await scope.stores.get("+strconv.Quote(name)+") first")
		}
		target = e.Handle.(js.Value)
	}
	if target.Type() != js.TypeObject || jsutil.Property(target, "subscribe").Type() != js.TypeFunction || listener.Type() != js.TypeFunction {
		return nil, errcode.New(errcode.InvalidArgument, map[string]any{"store": name},
			"stores.subscribe(store, listener): store must be a store name or an object with subscribe(listener), and listener a function")
	}
	o, err := jsutil.OptionsArg("stores.subscribe", args, 2)
	if err != nil {
		return nil, err
	}
	owner, err := b.ownerFor(c, o, "owner")
	if err != nil {
		return nil, err
	}
	subscribe, err := b.brokerPrimitive("subscribe", "stores.subscribe")
	if err != nil {
		return nil, err
	}
	return b.track(broker.Item{Kind: broker.Subscription, Owner: owner, Name: name, Lifetime: c.Lifetime}, func(id broker.ItemID) js.Value {
		return subscribe.Invoke(target, listener, b.released, int(id))
	})
}

// trackProvidedStore makes a store provided through a scope go away with it.
func (b *Bridge) trackProvidedStore(e store.Entry[any], lifetime broker.LifetimeID) {
	if lifetime == 0 {
		return
	}
	id := b.rt.Track(broker.Item{Kind: broker.Store, Owner: e.Owner, Name: e.Name, Lifetime: lifetime})
	b.lc.releases.set(func() {
		b.rt.WithdrawStore(e.Name, e.Owner)
		b.rt.Untrack(id)
		b.lc.releases.forget(id)
	}, id)
}

// mount implements fedwasm.mount(id, element, props): the remote's module
// export mount(element, props, scope) runs with a scope of its own. If it
// throws, the element shows a fallback, the scope is released, and the
// Promise rejects with MOUNT_FAILED; the host keeps working.
func (b *Bridge) mount(this js.Value, args []js.Value) (any, error) {
	id, err := jsutil.StringArg("mount", "the remote id", args, 0)
	if err != nil {
		return nil, err
	}
	element := jsutil.Arg(args, 1)
	if element.Type() != js.TypeObject || jsutil.Property(element, "nodeType").Type() != js.TypeNumber || jsutil.Property(element, "nodeType").Int() != 1 {
		return nil, errcode.New(errcode.InvalidArgument, map[string]any{"id": id},
			"fedwasm.mount("+strconv.Quote(id)+", element): element must be a DOM element, not "+element.Type().String())
	}
	props := jsutil.Arg(args, 2)
	remote, _, err := b.rt.MatchRemote(id)
	if err != nil {
		return nil, err
	}
	module, err := b.loadRemote(this, args[:1])
	if err != nil {
		b.showFallback(element, id)
		return nil, err
	}
	lifetime, err := b.rt.OpenMount(remote.Name)
	if err != nil {
		b.showFallback(element, id)
		return nil, err
	}
	failed := func(cause error) error {
		b.dispose(lifetime)
		b.showFallback(element, id)
		coded := errcode.New(errcode.MountFailed, map[string]any{"id": id, "cause": cause.Error()},
			"fedwasm.mount("+strconv.Quote(id)+"): the remote's mount failed: "+cause.Error()+"; the element shows a fallback and the host keeps running; fix the remote's mount")
		js.Global().Get("console").Call("error", "[fedwasm] "+coded.Error())
		return coded
	}
	mountFn := jsutil.Property(module.(js.Value), "mount")
	if mountFn.Type() != js.TypeFunction {
		return nil, failed(errcode.New(errcode.RemoteExposeMissing, nil, "remote "+strconv.Quote(id)+" exports no mount(element, props, fedwasm) function"))
	}
	handle, err := jsutil.Guard("mount", func() js.Value { return mountFn.Invoke(element, props, b.scopeAPI(lifetime, remote.Name)) })
	if err == nil {
		handle, err = jsutil.Await(handle)
	}
	if err != nil {
		return nil, failed(err)
	}
	b.lc.mu.Lock()
	b.lc.mounts[lifetime] = handle
	b.lc.mu.Unlock()
	result := jsutil.Object()
	result.Set("unmount", jsutil.Binder(b.lc.unmount.Value).Invoke(js.Null(), int(lifetime)))
	return result, nil
}

// openMount is host.openMount(id), loader.js's hook for a remote whose
// mount it called before the runtime ran (the snapshot marks the remote
// early): the mount gets its lifetime now, as fedwasm.mount gives one, and
// the loader hands the returned scope to the stand-in scope the remote's
// mount was given (its calls waited in line for it). mounted(handle) records
// what the remote's mount returned, so unmount() ends the mount as it ends
// any other.
func (b *Bridge) openMount(_ js.Value, args []js.Value) (any, error) {
	id, err := jsutil.StringArg("openMount", "the remote id", args, 0)
	if err != nil {
		return nil, err
	}
	remote, _, err := b.rt.MatchRemote(id)
	if err != nil {
		return nil, err
	}
	lifetime, err := b.rt.OpenMount(remote.Name)
	if err != nil {
		return nil, err
	}
	b.lc.mu.Lock()
	b.lc.mounts[lifetime] = js.Undefined() // mounted(handle) replaces it
	b.lc.mu.Unlock()
	result := jsutil.Object()
	result.Set("scope", b.scopeAPI(lifetime, remote.Name))
	result.Set("unmount", jsutil.Binder(b.lc.unmount.Value).Invoke(js.Null(), int(lifetime)))
	result.Set("mounted", jsutil.Binder(b.lc.mounted.Value).Invoke(js.Null(), int(lifetime)))
	return result, nil
}

// mountedHandle records a remote's mount handle for the lifetime openMount
// opened, unless that mount has ended already.
func (b *Bridge) mountedHandle(_ js.Value, args []js.Value) (any, error) {
	lifetime := broker.LifetimeID(jsutil.Arg(args, 0).Int())
	b.lc.mu.Lock()
	defer b.lc.mu.Unlock()
	if _, open := b.lc.mounts[lifetime]; open {
		b.lc.mounts[lifetime] = jsutil.Arg(args, 1)
	}
	return nil, nil
}

// unmount calls the remote's own unmount (if its mount returned one), then
// releases the mount's scope. Unmounting twice is harmless.
func (b *Bridge) unmount(_ js.Value, args []js.Value) (any, error) {
	lifetime := broker.LifetimeID(jsutil.Arg(args, 0).Int())
	b.lc.mu.Lock()
	handle, mounted := b.lc.mounts[lifetime]
	delete(b.lc.mounts, lifetime)
	b.lc.mu.Unlock()
	if !mounted {
		return nil, nil
	}
	defer b.dispose(lifetime)
	if handle.Type() == js.TypeObject {
		if fn := jsutil.Property(handle, "unmount"); fn.Type() == js.TypeFunction {
			v, err := jsutil.Guard("unmount", func() js.Value { return fn.Call("call", handle) })
			if err == nil {
				_, err = jsutil.Await(v)
			}
			if err != nil {
				b.warn(errcode.New(errcode.MountFailed, map[string]any{"cause": err.Error()},
					"a remote's unmount threw: "+err.Error()+"; its scope was released anyway"))
			}
		}
	}
	return nil, nil
}

// showFallback puts a short notice in element in place of a remote that
// could not be shown.
func (b *Bridge) showFallback(element js.Value, id string) {
	_, _ = jsutil.Guard("fallback", func() struct{} {
		notice := js.Global().Get("document").Call("createElement", "div")
		notice.Set("className", "fedwasm-fallback")
		notice.Call("setAttribute", "role", "status")
		notice.Get("dataset").Set("fedwasmFallback", id)
		notice.Set("textContent", "This part of the page is unavailable right now.")
		element.Call("replaceChildren", notice)
		return struct{}{}
	})
}
