//go:build js && wasm

package jsbridge

import (
	"errors"
	"github.com/fedwasm/fedwasm/jsbridge/internal/jsutil"
	"slices"
	"strconv"
	"syscall/js"

	"github.com/fedwasm/fedwasm/federation"
	"github.com/fedwasm/fedwasm/federation/broker"
	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/limits"
	"github.com/fedwasm/fedwasm/federation/share"
)

// registerShared implements fedwasm.registerShared({pkg: ShareArgs | ShareArgs[]}).
// Every entry is checked before any is registered: a bad entry registers
// nothing. At most limits.SharedEntries entries (and packages) are read, each
// array's length once, before its items; the live scope is read back once
// per package, so the call's cost grows with its entries only.
func (b *Bridge) registerShared(_ js.Value, args []js.Value) (any, error) {
	const call = "fedwasm.registerShared(shared)"
	shared := jsutil.Arg(args, 0)
	if shared.Type() != js.TypeObject {
		return nil, errcode.New(errcode.InvalidArgument, nil,
			"fedwasm.registerShared: expected an object { <package>: { version, get | lib | import, shareConfig } }, got "+shared.Type().String())
	}
	tooMany := "register at most " + strconv.Itoa(limits.SharedEntries) + " entries per call"
	keys := jsutil.Keys(shared)
	packages := keys.Length() // Object.keys made a real array: its length is what it holds
	if err := limits.Check(call, "packages", packages, limits.SharedEntries, tooMany); err != nil {
		return nil, err
	}
	var entries []federation.SharedEntry
	var handles []shareHandle
	var unknown config.KeyWarnings
	defer func() { // also when refused: a key may be why ("verison")
		for _, w := range unknown.List() {
			b.warn(w)
		}
	}()
	for i := 0; i < packages; i++ {
		key := keys.Index(i)
		pkg := key.String()
		list := jsutil.Property(shared, key)
		n, isList := 1, jsutil.IsArray(list)
		if isList {
			var err error
			if n, err = jsutil.LengthOf(call, list); err != nil {
				return nil, err
			}
		}
		if err := limits.Check(call, "shared entries", len(entries)+n, limits.SharedEntries, tooMany); err != nil {
			return nil, err
		}
		entries, handles = slices.Grow(entries, n), slices.Grow(handles, n)
		for j := 0; j < n; j++ {
			entry := list
			if isList {
				entry = jsutil.Property(list, j)
			}
			field := "shared." + pkg + "[" + strconv.Itoa(j) + "]"
			if entry.Type() == js.TypeObject {
				unknown.ShareEntry(field, keySet(entry), keySet(jsutil.Property(entry, "shareConfig")))
			}
			a, h, err := b.shareEntry(field, entry)
			if err != nil {
				return nil, jsutil.ArgumentError("registerShared", err)
			}
			entries = append(entries, federation.SharedEntry{Package: pkg, Args: a, Loaded: !h.lib.IsUndefined()})
			handles = append(handles, h)
		}
	}
	b.settle("forgetShares") // declared rules may change what a consumer gets
	synced := map[[2]string]bool{}
	for _, e := range entries {
		if key := [2]string{e.Args.Scope, e.Package}; !synced[key] {
			synced[key] = true
			b.syncScope(e.Args.Scope, e.Package) // decide against what JS code already wrote
		}
	}
	registered, err := b.rt.RegisterShared(entries)
	if err != nil {
		return nil, jsutil.ArgumentError("registerShared", err)
	}
	var active []share.ProviderID
	for i, r := range registered {
		b.setHandle(r.ID, handles[i])
		if r.Active {
			active = append(active, r.ID)
		}
	}
	b.publishEntries(active)
	b.devtoolsChanged()
	return nil, nil
}

// ownKeys is Object.keys(v), its first most names; none when v is not an
// object or a Proxy's trap throws.
func ownKeys(v js.Value, most int) []string {
	if t := v.Type(); t != js.TypeObject && t != js.TypeFunction {
		return nil
	}
	keys, err := jsutil.Guard("Object.keys", func() js.Value { return jsutil.Keys(v) })
	if err != nil {
		return nil
	}
	names := make([]string, 0, min(keys.Length(), most))
	for i := 0; i < cap(names); i++ {
		names = append(names, keys.Index(i).String())
	}
	return names
}

// keySet is the set of v's keys (the values are not read), at most
// limits.Values of them (a warning for each of a million keys helps no
// one); nil when v is not an object.
func keySet(v js.Value) map[string]any {
	if v.Type() != js.TypeObject {
		return nil
	}
	names := ownKeys(v, limits.Values)
	set := make(map[string]any, len(names))
	for _, name := range names {
		set[name] = nil
	}
	return set
}

// shareEntry reads and validates one ShareArgs object.
func (b *Bridge) shareEntry(field string, entry js.Value) (config.ShareArgs, shareHandle, error) {
	var a config.ShareArgs
	var h shareHandle
	call := "registerShared(" + field + ")"
	o, err := jsutil.OptionsArg(call, []js.Value{entry}, 0)
	if err != nil {
		return a, h, err
	}
	if a.Version, err = o.String("version", ""); err != nil {
		return a, h, err
	}
	if a.Import, err = o.String("import", ""); err != nil {
		return a, h, err
	}
	if a.Scope, err = o.String("scope", ""); err != nil {
		return a, h, err
	}
	if a.From, err = o.String("from", ""); err != nil {
		return a, h, err
	}
	if h.get, err = o.Func("get"); err != nil {
		return a, h, err
	}
	h.lib, h.importURL = o.Field("lib"), a.Import
	if h.lib.IsNull() {
		h.lib = js.Undefined()
	}
	if h.get.IsUndefined() && h.lib.IsUndefined() && a.Import == "" {
		return a, h, errcode.New(errcode.InvalidArgument, map[string]any{"field": field},
			"fedwasm.registerShared: "+field+" gives no way to obtain the module; set one of get, lib or import")
	}
	sc, err := jsutil.OptionsArg(call+".shareConfig", []js.Value{o.Field("shareConfig")}, 0)
	if err != nil {
		return a, h, err
	}
	if a.ShareConfig, err = shareConfigOf(sc); err != nil {
		return a, h, err
	}
	return a, h, a.Validate(field, b.rt.HostName())
}

// shareConfigOf reads { singleton, requiredVersion: string | false, strictVersion, eager }.
func shareConfigOf(o jsutil.Options) (config.ShareConfig, error) {
	var sc config.ShareConfig
	var err error
	if sc.Singleton, err = o.Bool("singleton", false); err != nil {
		return sc, err
	}
	if sc.StrictVersion, err = o.Bool("strictVersion", false); err != nil {
		return sc, err
	}
	if sc.Eager, err = o.Bool("eager", false); err != nil {
		return sc, err
	}
	if rv := o.Field("requiredVersion"); rv.Type() == js.TypeBoolean && !rv.Bool() {
		sc.RequiredVersion.Disabled = true
	} else if sc.RequiredVersion.Range, err = o.String("requiredVersion", ""); err != nil {
		return sc, err
	}
	return sc, nil
}

// loadShare implements fedwasm.loadShare(pkg, opts): it resolves the provider
// the consumer gets and returns that provider's module object.
func (b *Bridge) loadShare(by broker.Caller, _ js.Value, args []js.Value) (any, error) {
	c, fallback, err := b.consumerOf("loadShare", by, args)
	if err != nil {
		return nil, err
	}
	module, id, err := b.resolveAndLoad(c, fallback, b.shareHooks(c))
	if err == nil && b.rt.Settled(c, id) && by.Page() {
		b.settle("share", jsutil.Arg(args, 0), jsutil.Arg(args, 1), module)
	}
	return module, err
}

// loadShareSync implements fedwasm.loadShareSync(pkg, opts): the module when
// it is at hand without waiting, else SHARE_NOT_LOADED.
func (b *Bridge) loadShareSync(by broker.Caller, _ js.Value, args []js.Value) (any, error) {
	c, fallback, err := b.consumerOf("loadShareSync", by, args)
	if err != nil {
		return nil, err
	}
	choice, err := b.resolve(c)
	if err != nil {
		return nil, err
	}
	notLoaded := func(what string) error {
		return errcode.New(errcode.ShareNotLoaded,
			map[string]any{"package": c.Package, "consumer": c.From, "version": choice.Provider.Version, "from": choice.Provider.From},
			"loadShareSync("+strconv.Quote(c.Package)+") by "+strconv.Quote(c.From)+": "+what+" is not loaded yet; use await fedwasm.loadShare("+strconv.Quote(c.Package)+"), or give the share an \"import\" URL in the host config so it is loaded before fedwasm.ready")
	}
	if choice.UseFallback {
		v, err := jsutil.Guard("loadShareSync fallback", func() js.Value { return fallback.Invoke() })
		if err != nil {
			return nil, err
		}
		if jsutil.IsThenable(v) {
			ignoreRejection(v) // the caller was told to use loadShare; do not leave it unhandled
			return nil, notLoaded("its fallback (which returned a Promise)")
		}
		return v, nil
	}
	key := shareLoadKey(choice.ID)
	if m, ok := b.loads.peek(key); ok {
		return b.handOut(c, choice.ID, m, args, by.Page()), nil
	}
	h, _ := b.handle(choice.ID)
	what := c.Package + " " + choice.Provider.Version + " from " + strconv.Quote(choice.Provider.From)
	o, err := h.obtain()
	if err != nil {
		return nil, err
	}
	if !o.atHand {
		if !o.pending.IsUndefined() {
			b.settleLater(choice.ID, choice.Provider, o)
		}
		return nil, notLoaded(what)
	}
	module := o.module
	b.markEntryLoaded(choice.Provider)
	return b.handOut(c, choice.ID, b.loads.offer(key, module), args, by.Page()), nil
}

// handOut records that loadShareSync(args) handed provider id's module to
// c, and settles the answer in the page when it can no longer change and
// the call came from the page's fedwasm (page): only the page's calls have a
// fast path to settle (a scope's are bound to its lifetime, which may end).
func (b *Bridge) handOut(c share.Consumer, id share.ProviderID, module js.Value, args []js.Value, page bool) js.Value {
	b.rt.HandOut(id, c.From, c.Singleton)
	b.devtoolsChanged()
	if b.rt.Settled(c, id) && page {
		b.settle("share", jsutil.Arg(args, 0), jsutil.Arg(args, 1), module)
	}
	return module
}

// consumerOf reads loadShare's (pkg, opts) into a consumer and its fallback.
// The consumer is opts.from, else the calling scope's owner, else the host;
// options left out take the rules the consumer declared for the package.
func (b *Bridge) consumerOf(call string, by broker.Caller, args []js.Value) (share.Consumer, js.Value, error) {
	none := js.Undefined()
	pkg, err := jsutil.StringArg(call, "the package name", args, 0)
	if err != nil {
		return share.Consumer{}, none, err
	}
	o, err := jsutil.OptionsArg(call, args, 1)
	if err != nil {
		return share.Consumer{}, none, err
	}
	scope, err := b.consumerScope(call, pkg, o)
	if err != nil {
		return share.Consumer{}, none, err
	}
	consumer := by.Owner
	if by.Page() {
		consumer = b.rt.HostName()
	}
	from, err := o.String("from", consumer)
	if err != nil {
		return share.Consumer{}, none, err
	}
	c := b.rt.Consumer(pkg, scope, from)
	if c.Singleton, err = o.Bool("singleton", c.Singleton); err != nil {
		return c, none, err
	}
	if c.StrictVersion, err = o.Bool("strictVersion", c.StrictVersion); err != nil {
		return c, none, err
	}
	if rv := o.Field("requiredVersion"); rv.Type() == js.TypeBoolean && !rv.Bool() {
		c.RequiredVersion = ""
	} else if c.RequiredVersion, err = o.String("requiredVersion", c.RequiredVersion); err != nil {
		return c, none, err
	}
	fallback, err := o.Func("fallback")
	if err != nil {
		return c, none, err
	}
	c.HasFallback = !fallback.IsUndefined()
	return c, fallback, nil
}

// consumerScope reads the scope option of a loadShare of pkg: a name, or
// Module Federation 2.0's list of names, of which the core takes the first
// that holds pkg (Runtime.ScopeOf), once what JS code wrote into each is
// read back.
func (b *Bridge) consumerScope(call, pkg string, o jsutil.Options) (string, error) {
	list := o.Field("scope")
	if !jsutil.IsArray(list) {
		return o.String("scope", config.DefaultScope)
	}
	n, err := jsutil.LengthOf(call, list)
	if err != nil {
		return "", err
	}
	if err := limits.Check("fedwasm."+call+" option \"scope\"", "share scopes", n, limits.ScopesListed, "list fewer scopes"); err != nil {
		return "", err
	}
	scopes := make([]string, n)
	for i := range scopes {
		v := jsutil.Property(list, i)
		if v.Type() != js.TypeString || v.String() == "" {
			return "", errcode.New(errcode.InvalidArgument, map[string]any{"call": call, "option": "scope", "index": i},
				"fedwasm."+call+": option \"scope\" lists share scope names; item "+strconv.Itoa(i)+" is a "+v.Type().String()+", not a name")
		}
		scopes[i] = v.String()
		if b.hasScopeObject(scopes[i]) {
			b.syncScope(scopes[i], pkg)
		}
	}
	return b.rt.ScopeOf(pkg, scopes), nil
}

// resolve brings the live scope object into the core and resolves c,
// reporting a warning if the choice carries one.
func (b *Bridge) resolve(c share.Consumer) (share.Choice, error) {
	b.syncScope(c.Scope, c.Package)
	choice, err := b.rt.Resolve(c)
	if err == nil && choice.Warning != nil {
		b.warn(choice.Warning)
	}
	return choice, err
}

// resolveAndLoad resolves c, reports any warning, and loads the chosen module
// (or calls the consumer's fallback when the resolution says so), which it
// hands out to c; it returns the module and the provider it came from (0 for
// a fallback). resolved, when not nil, is told the choice of a provider
// before it loads (the plugins' resolveShare).
func (b *Bridge) resolveAndLoad(c share.Consumer, fallback js.Value, resolved func(share.Choice)) (js.Value, share.ProviderID, error) {
	choice, err := b.resolve(c)
	if err != nil {
		return js.Undefined(), 0, err
	}
	if resolved != nil && !choice.UseFallback {
		resolved(choice)
	}
	if choice.UseFallback {
		v, err := jsutil.Guard("loadShare fallback", func() js.Value { return fallback.Invoke() })
		if err == nil {
			v, err = jsutil.Await(v)
		}
		if err != nil {
			return js.Undefined(), 0, errcode.New(errcode.ShareLoadFailed, map[string]any{"package": c.Package, "consumer": c.From, "cause": err.Error()},
				"the fallback "+strconv.Quote(c.From)+" passed to loadShare("+strconv.Quote(c.Package)+") failed: "+err.Error()+"; fix the fallback, or provide "+strconv.Quote(c.Package)+" in the share scope")
		}
		return v, 0, nil
	}
	module, err := b.loadProvider(choice.ID, choice.Provider)
	if err == nil {
		b.rt.HandOut(choice.ID, c.From, c.Singleton)
		b.devtoolsChanged()
	}
	return module, choice.ID, err
}

// loadProvider returns the module of provider id, loading it once.
func (b *Bridge) loadProvider(id share.ProviderID, p share.Provider) (js.Value, error) {
	return b.loads.do(shareLoadKey(id), func() (js.Value, error) {
		h, ok := b.handle(id)
		if !ok {
			return js.Undefined(), errcode.New(errcode.ShareLoadFailed, map[string]any{"package": p.Package, "version": p.Version},
				"shared "+strconv.Quote(p.Package)+" "+p.Version+" from "+strconv.Quote(p.From)+" has no module registered in this page; register it with get, lib or import")
		}
		if h.container != "" {
			return b.loadViaContainer(id, p, h.container)
		}
		return b.recordLoad(id, p, h.importURL, func() (js.Value, error) { return b.fetchModule(h) })
	})
}

// recordLoad runs fetch and records its outcome: loading, then loaded (and
// the live entry marked) or failed with a coded error.
func (b *Bridge) recordLoad(id share.ProviderID, p share.Provider, importURL string, fetch func() (js.Value, error)) (js.Value, error) {
	b.rt.MarkLoading(id)
	module, err := fetch()
	if err != nil {
		b.rt.MarkFailed(id)
		return js.Undefined(), errcode.New(errcode.ShareLoadFailed,
			map[string]any{"package": p.Package, "version": p.Version, "from": p.From, "import": importURL, "cause": err.Error()},
			"loading shared "+strconv.Quote(p.Package)+" "+p.Version+" from "+strconv.Quote(p.From)+" failed: "+err.Error()+"; check that the module's URL or get() works (the next loadShare tries again)")
	}
	b.rt.MarkLoaded(id)
	b.markEntryLoaded(p)
	return module, nil
}

// settleLater lets a load that loadShareSync started (a get() that returned a
// Promise) finish in the background, so a later loadShare reuses it instead of
// calling get() again, and a rejection is recorded rather than left unhandled.
// isFactory says the Promise yields a webpack factory rather than the module.
func (b *Bridge) settleLater(id share.ProviderID, p share.Provider, o obtained) {
	ignoreRejection(o.pending)
	go func() {
		_, _ = b.loads.do(shareLoadKey(id), func() (js.Value, error) {
			return b.recordLoad(id, p, "", o.finish)
		})
	}()
}

// ignoreRejection marks a Promise as handled (Function.prototype is a no-op),
// for Promises whose failure is reported another way.
func ignoreRejection(promise js.Value) {
	_, _ = jsutil.Guard("ignoreRejection", func() js.Value {
		return promise.Call("then", js.Undefined(), js.Global().Get("Function").Get("prototype"))
	})
}

// callFactory calls a webpack module factory and returns the module.
func callFactory(factory js.Value) (js.Value, error) {
	if factory.Type() != js.TypeFunction {
		return js.Undefined(), errors.New("the share scope entry's get() gave a " + factory.Type().String() + ", not a module factory")
	}
	return jsutil.Guard("shared factory()", func() js.Value { return factory.Invoke() })
}

func shareLoadKey(id share.ProviderID) string { return "share:" + strconv.FormatUint(uint64(id), 10) }
func (b *Bridge) fetchModule(h shareHandle) (js.Value, error) {
	o, err := h.obtain()
	switch {
	case err != nil:
		return js.Undefined(), err
	case o.atHand:
		return o.module, nil
	case !o.pending.IsUndefined(), o.factory:
		return o.finish()
	}
	return b.importModule(h.importURL)
}

// obtained is what calling a share handle's lib, get or webpack get gave,
// without waiting: the module at hand, or the Promise it waits on, or
// neither (an ES module URL, which only import() loads).
type obtained struct {
	module  js.Value // when atHand
	atHand  bool
	pending js.Value // a Promise of the module, or of its factory (a webpack get)
	factory bool     // pending gives a webpack module factory, not the module
}

// obtain calls h's lib, get or webpack get once.
//
// A lib that is a function is MF 2.0's form, lib: () => module, and is
// called for the module; any other lib is the module itself (fedwasm's
// form). So a module that is itself a function (a CommonJS export such as
// classnames) is given as lib: () => fn, as MF 2.0 requires too.
func (h shareHandle) obtain() (obtained, error) {
	switch {
	case h.lib.Type() == js.TypeFunction:
		return callForModule("shared lib()", h.lib)
	case !h.lib.IsUndefined():
		return obtained{module: h.lib, atHand: true}, nil
	case !h.get.IsUndefined():
		return callForModule("shared get()", h.get)
	case !h.webpackGet.IsUndefined():
		factory, err := jsutil.Guard("shared get()", func() js.Value { return h.webpackGet.Invoke() })
		if err != nil || factory.Type() != js.TypeFunction {
			return obtained{pending: factory, factory: true}, err
		}
		module, err := callFactory(factory)
		return obtained{module: module, atHand: err == nil}, err
	}
	return obtained{}, nil
}

// callForModule calls fn, a get or MF's lib, for the module or a Promise of it.
func callForModule(where string, fn js.Value) (obtained, error) {
	v, err := jsutil.Guard(where, func() js.Value { return fn.Invoke() })
	if err != nil || jsutil.IsThenable(v) {
		return obtained{pending: v}, err
	}
	return obtained{module: v, atHand: true}, nil
}

// finish waits for o.pending and returns the module.
func (o obtained) finish() (js.Value, error) {
	v, err := jsutil.Await(o.pending)
	if err != nil || !o.factory {
		return v, err
	}
	return callFactory(v)
}
