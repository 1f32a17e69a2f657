//go:build js && wasm

package jsbridge

import (
	"github.com/fedwasm/fedwasm/jsbridge/internal/jsutil"
	"maps"
	"strconv"
	"strings"
	"sync"
	"syscall/js"

	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/jsonv"
	"github.com/fedwasm/fedwasm/federation/limits"
	"github.com/fedwasm/fedwasm/federation/remote"
	"github.com/fedwasm/fedwasm/federation/share"
)

// The live share scope: fedwasm.shareScope(name) is the object webpack
// containers get in container.init(scope), shaped scope[pkg][version] =
// { get, from, eager, loaded }. Go writes the entries of providers it
// registers, and before every resolution it reads the package's entries back,
// adopting those JS code wrote directly (webpack's register rule already chose
// them). An entry's get() returns a factory, or a Promise of one, whose call
// returns the module, as webpack expects.

// liveScopes is the one mirror of the live share scope objects: each scope's
// object by name, the entry objects seen in them, and how each provider's
// module is obtained.
type liveScopes struct {
	mu      sync.Mutex
	handles map[share.ProviderID]shareHandle
	objects map[string]js.Value  // live share scope objects by name
	entries map[string]liveEntry // scope/package/version → the entry object seen there
}

// scopeObject returns the live object of scope name, creating it on first use.
func (b *Bridge) scopeObject(name string) js.Value {
	b.live.mu.Lock()
	defer b.live.mu.Unlock()
	if o, ok := b.live.objects[name]; ok {
		return o
	}
	o := newDictionary()
	b.live.objects[name] = o
	return o
}

// hasScopeObject says whether the live scope object name exists, without
// making it.
func (b *Bridge) hasScopeObject(name string) bool {
	b.live.mu.Lock()
	defer b.live.mu.Unlock()
	_, ok := b.live.objects[name]
	return ok
}

// newDictionary returns an object without a prototype, so keys such as
// "__proto__" are ordinary keys (no prototype pollution from package names).
func newDictionary() js.Value {
	return jsutil.Dictionary()
}

// shareScope implements fedwasm.shareScope(name = "default").
func (b *Bridge) shareScope(_ js.Value, args []js.Value) (any, error) {
	name := "default"
	if v := jsutil.Arg(args, 0); !v.IsUndefined() && !v.IsNull() {
		s, err := jsutil.StringArg("shareScope", "the scope name", args, 0)
		if err != nil {
			return nil, err
		}
		name = s
	}
	return b.scopeObject(name), nil
}

func entryKey(scope, pkg, version string) string { return scope + "\x00" + pkg + "\x00" + version }

// publishEntries writes the entries of providers ids into their live scope
// objects, in order (a later entry for the same version replaces an earlier
// one, as in the core). Its cost grows with len(ids) only, and is a few
// crossings per entry: the entry objects come from one JSON.parse, each
// entry's get is the bridge's one entryGet bound to its provider's id (no
// js.Func per entry), and each package's versions object is looked up once.
func (b *Bridge) publishEntries(ids []share.ProviderID) {
	if len(ids) == 0 {
		return
	}
	providers := make([]share.Provider, len(ids))
	text := []byte{'['}
	for i, id := range ids {
		p, _ := b.rt.Provider(id)
		providers[i] = p
		if i > 0 {
			text = append(text, ',')
		}
		// version: MF 2.0 containers write back into scope[pkg][entry.version]
		text = jsonv.AppendString(append(text, `{"from":`...), p.From)
		text = strconv.AppendBool(append(text, `,"eager":`...), p.Eager)
		text = jsonv.AppendString(append(text, `,"version":`...), p.Version)
		if p.Loaded {
			text = append(text, `,"loaded":1`...)
		}
		text = append(text, '}')
	}
	objects := jsutil.ParseJSON(string(append(text, ']')))
	report, bindGet, getKey := b.reporter(), jsutil.Binder(b.entryGet.Value), jsutil.Key("get")
	versionsOf := map[[2]string]js.Value{}
	live := make([]liveEntry, len(ids))
	for i, id := range ids {
		p := providers[i]
		entry := objects.Index(i)
		jsutil.SetProperty(entry, getKey, report(id, bindGet.Invoke(js.Null(), int(id))))
		versions, ok := versionsOf[[2]string{p.Scope, p.Package}]
		if !ok {
			versions = b.versionsObject(p.Scope, p.Package)
			versionsOf[[2]string{p.Scope, p.Package}] = versions
		}
		versions.Set(p.Version, entry)
		live[i] = liveEntry{id: id, object: entry}
	}
	var replaced []liveEntry
	b.live.mu.Lock()
	for i, p := range providers {
		key := entryKey(p.Scope, p.Package, p.Version)
		if prev, ok := b.live.entries[key]; ok && prev.snapshot {
			prev.id = ids[i]
			replaced = append(replaced, prev)
		}
		b.live.entries[key] = live[i]
	}
	b.live.mu.Unlock()
	for _, prev := range replaced {
		b.replayTakes(prev)
	}
}

// replayTakes records the gets of a snapshot entry the loader wrote as takes
// of the provider whose entry replaced it (prev.id).
func (b *Bridge) replayTakes(prev liveEntry) {
	if !jsutil.IsArray(prev.stacks) {
		return
	}
	for i, n := 0, b.readAtMost(prev.stacks.Length(), limits.UseIn, "loader.js", "takes of a snapshot entry"); i < n; i++ {
		b.recordTake(prev.id, prev.stacks.Index(i))
	}
}

// versionsObject returns scope[pkg] of the live scope object, creating it.
func (b *Bridge) versionsObject(scope, pkg string) js.Value {
	object := b.scopeObject(scope)
	versions := jsutil.Property(object, pkg)
	if versions.Type() != js.TypeObject {
		versions = newDictionary()
		object.Set(pkg, versions)
	}
	return versions
}

// entryGetFunc is entryFactory as a JS function, the bridge's entryGet:
// publishEntries binds it to each provider's id.
func (b *Bridge) entryGetFunc() js.Func {
	return js.FuncOf(func(_ js.Value, args []js.Value) any {
		return b.entryFactory(share.ProviderID(jsutil.Arg(args, 0).Int()))
	})
}

// entryFactory is what the get() of provider id's entry, as fedwasm wrote
// it, returns: a factory at once when the module is at hand (eager consumers
// need that), else a Promise of one.
func (b *Bridge) entryFactory(id share.ProviderID) any {
	if m, ok := b.loads.peek(shareLoadKey(id)); ok {
		return factoryOf(m)
	}
	if h, ok := b.handle(id); ok && h.lib.Type() == js.TypeFunction {
		return h.lib // MF 2.0's lib: () => module is a factory already
	} else if ok && !h.lib.IsUndefined() {
		return factoryOf(h.lib)
	}
	promise, resolve, reject := jsutil.NewPromise()
	go func() {
		p, _ := b.rt.Provider(id)
		m, err := b.loadProvider(id, p)
		if err != nil {
			reject.Invoke(jsutil.ErrorValue(err))
			return
		}
		resolve.Invoke(factoryOf(m))
	}()
	return promise
}

// factoryOf returns a JS function that returns module, without calling into Go.
func factoryOf(module js.Value) js.Value { return jsutil.Constant(module) }

// liveEntry is an entry object of the live scope and the provider it stands for.
type liveEntry struct {
	id     share.ProviderID
	object js.Value
	// snapshot marks an entry loader.js wrote from the server's snapshot
	// before Go ran: it stands for the host's configured provider, whose
	// own entry replaces it when init registers it, so it is never adopted
	// as one JS code wrote. stacks are the stacks of the calls to its get()
	// so far, replayed as takes of that provider (tookEntry) when it does.
	snapshot bool
	stacks   js.Value
}

// adoptScopes takes the share scope objects loader.js filled from the
// snapshot before Go ran (host.shareScopes, by scope name) and the entries it
// wrote into them (host.snapshotEntries, each { scope, package, version,
// entry }). The webpack containers it initialized hold those objects, and a
// container initialized again with another object throws, so each becomes
// its scope's live object. Entries containers wrote there are read back as
// any JS-written entry is.
func (b *Bridge) adoptScopes() {
	if b.hooks.Type() != js.TypeObject {
		return
	}
	b.earlyRemotes = jsutil.Property(b.hooks, "earlyRemotes")
	scopes := jsutil.Property(b.hooks, "shareScopes")
	if scopes.Type() != js.TypeObject {
		return
	}
	objects := map[string]js.Value{}
	names := jsutil.Keys(scopes)
	for i, n := 0, b.readAtMost(names.Length(), limits.SharedEntries, "loader.js", "share scopes"); i < n; i++ {
		if o := jsutil.Property(scopes, names.Index(i)); o.Type() == js.TypeObject {
			objects[names.Index(i).String()] = o
		}
	}
	written := map[string]liveEntry{}
	if entries := jsutil.Property(b.hooks, "snapshotEntries"); jsutil.IsArray(entries) {
		for i, n := 0, b.readAtMost(entries.Length(), limits.Providers, "loader.js", "snapshot entries"); i < n; i++ {
			e := entries.Index(i)
			scope, pkg, version := jsutil.Property(e, "scope"), jsutil.Property(e, "package"), jsutil.Property(e, "version")
			if scope.Type() == js.TypeString && pkg.Type() == js.TypeString && version.Type() == js.TypeString {
				written[entryKey(scope.String(), pkg.String(), version.String())] = liveEntry{object: jsutil.Property(e, "entry"), snapshot: true, stacks: jsutil.Property(e, "stacks")}
			}
		}
	}
	b.live.mu.Lock()
	defer b.live.mu.Unlock()
	maps.Copy(b.live.objects, objects)
	maps.Copy(b.live.entries, written)
}

// syncScope reads scope[pkg] back from the live object: entries JS code wrote
// or replaced are adopted as providers, and a loaded mark JS code set is
// recorded. Entries that cannot be used are reported once as warnings.
func (b *Bridge) syncScope(scope, pkg string) {
	versions := jsutil.Property(b.scopeObject(scope), pkg)
	if versions.Type() != js.TypeObject {
		return
	}
	keys := jsutil.Keys(versions)
	n := b.readAtMost(keys.Length(), limits.VersionsPerPackage, "share scope "+strconv.Quote(scope), "versions of "+strconv.Quote(pkg))
	for i := 0; i < n; i++ {
		versionKey := keys.Index(i)
		version := versionKey.String()
		entry := jsutil.Property(versions, versionKey)
		if entry.Type() != js.TypeObject {
			continue
		}
		key := entryKey(scope, pkg, version)
		b.live.mu.Lock()
		known, ok := b.live.entries[key]
		b.live.mu.Unlock()
		if ok && known.object.Equal(entry) {
			if known.snapshot {
				continue
			}
			if jsutil.Property(entry, jsutil.Key("loaded")).Truthy() {
				b.rt.MarkLoaded(known.id)
			}
			continue
		}
		b.adoptEntry(scope, pkg, version, entry)
	}
}

// adoptEntry registers an entry JS code wrote into the live scope.
func (b *Bridge) adoptEntry(scope, pkg, version string, entry js.Value) {
	key := entryKey(scope, pkg, version)
	get := jsutil.Property(entry, "get")
	from := jsutil.Property(entry, "from")
	p := share.Provider{Package: pkg, Version: version, Scope: scope, From: "(unknown)"}
	if from.Type() == js.TypeString {
		p.From = from.String()
	}
	if get.Type() != js.TypeFunction {
		b.warnOnce(key, errcode.New(errcode.ShareInvalidEntry, map[string]any{"package": pkg, "version": version, "scope": scope, "from": p.From},
			"share scope "+strconv.Quote(scope)+": the entry "+pkg+" "+version+" from "+strconv.Quote(p.From)+" has no get function and is ignored; write { get, from, eager } entries (webpack's shape)"))
		return
	}
	p.Eager = jsutil.Property(entry, "eager").Truthy()
	if sc := jsutil.Property(entry, "shareConfig"); sc.Type() == js.TypeObject {
		p.Eager = p.Eager || jsutil.Property(sc, "eager").Truthy() // MF 2.0 records keep eager here
	}
	p.Loaded = jsutil.Property(entry, "loaded").Truthy() || jsutil.Property(entry, "lib").Type() == js.TypeFunction
	id, err := b.rt.Adopt(p)
	if err != nil {
		b.warnOnce(key, errcode.As(err, errcode.ShareInvalidVersion))
		return
	}
	b.setHandle(id, shareHandle{webpackGet: get})
	entry.Set("get", b.reportingGet(id, get))
	b.live.mu.Lock()
	b.live.entries[key] = liveEntry{id: id, object: entry}
	b.live.mu.Unlock()
}

// reportingGet wraps get, an entry's get() in the live scope, so that a call
// (by a container, or page code) is recorded as that caller taking provider
// id (see tookEntry). Without broker.js (Go started without the loader) get
// is used as it is and nothing is recorded.
func (b *Bridge) reportingGet(id share.ProviderID, get js.Value) js.Value {
	return b.reporter()(id, get)
}

// reporter is reportingGet with broker.js's wrapper looked up once, for
// wrapping many entries.
func (b *Bridge) reporter() func(share.ProviderID, js.Value) js.Value {
	wrap, err := b.brokerPrimitive("reportingGet", "shareScope")
	return func(id share.ProviderID, get js.Value) js.Value {
		if err != nil {
			return get
		}
		wrapped, err := jsutil.Guard("reportingGet", func() js.Value { return wrap.Invoke(get, b.took, int(id)) })
		if err != nil {
			return get
		}
		return wrapped
	}
}

// tookEntry is reportingGet's report took(id, stack): the code that called
// the entry's get() took provider id. The caller is the remote whose files
// the stack's calling script belongs to, else the host.
func (b *Bridge) tookEntry(_ js.Value, args []js.Value) (any, error) {
	b.recordTake(share.ProviderID(jsutil.Arg(args, 0).Int()), jsutil.Arg(args, 1))
	return nil, nil
}

// recordTake records that the code whose call stack is stack took provider id.
func (b *Bridge) recordTake(id share.ProviderID, stack js.Value) {
	consumer := b.rt.HostName()
	if stack.Type() == js.TypeString { // at most 16 KiB: reportingGet and loader.js cut it
		if caller, ok := remote.CallerURL(stack.String()); ok {
			if name, ok := b.rt.RemoteOfScript(caller, absoluteURL); ok {
				consumer = name
			}
		}
	}
	b.rt.Took(id, consumer)
}

// recordUseIn records the consumers MF 2.0 runtimes listed in the useIn
// array of each entry of scope[pkg] they took (MF's own bookkeeping; an MF
// runtime that finds an entry's lib already set takes it without get()).
func (b *Bridge) recordUseIn(scope, pkg string) {
	b.live.mu.Lock()
	var known []liveEntry
	prefix := entryKey(scope, pkg, "")
	for key, e := range b.live.entries {
		if strings.HasPrefix(key, prefix) && !e.snapshot {
			known = append(known, e)
		}
	}
	b.live.mu.Unlock()
	for _, e := range known {
		useIn := jsutil.Property(e.object, "useIn")
		if !jsutil.IsArray(useIn) {
			continue
		}
		n, err := jsutil.LengthOf("share scope entry useIn", useIn)
		if err != nil {
			continue
		}
		for i := 0; i < min(n, limits.UseIn); i++ {
			if name := jsutil.Property(useIn, i); name.Type() == js.TypeString {
				b.rt.Took(e.id, b.remoteOfContainer(name.String()))
			}
		}
	}
}

// remoteOfContainer names the remote whose container is called name (its
// remote name, entryGlobalName, or the globalName its manifest gave), else
// name itself.
func (b *Bridge) remoteOfContainer(name string) string {
	if remoteName, ok := b.rt.RemoteOfContainer(name); ok {
		return remoteName
	}
	if remoteName, ok := b.manifests.remoteOfGlobal(name); ok {
		return remoteName
	}
	return name
}

// syncAll reads every package of every live scope back (see syncScope) and
// the consumers MF runtimes recorded in them, so inspect() is complete.
func (b *Bridge) syncAll() {
	b.live.mu.Lock()
	scopes := make(map[string]js.Value, len(b.live.objects))
	maps.Copy(scopes, b.live.objects)
	b.live.mu.Unlock()
	for name, object := range scopes {
		keys := jsutil.Keys(object)
		n := b.readAtMost(keys.Length(), limits.Providers, "share scope "+strconv.Quote(name), "packages")
		for i := 0; i < n; i++ {
			pkg := keys.Index(i).String()
			b.syncScope(name, pkg)
			b.recordUseIn(name, pkg)
		}
	}
}

// readAtMost is how many of n keys JS code wrote into a live scope object
// are read back: at most limit, the rest left unread with a LIMIT_EXCEEDED
// warning (once per where and what).
func (b *Bridge) readAtMost(n, limit int, where, what string) int {
	if n <= limit {
		return n
	}
	b.warnOnce("limit:"+where+":"+what, limits.Exceeded(where, what, n, limit,
		"only the first "+strconv.Itoa(limit)+" are read; the live share scope holds at most that many"))
	return limit
}

// markEntryLoaded sets loaded = 1 on provider id's live entry, as webpack's
// consumers do when they take an entry.
func (b *Bridge) markEntryLoaded(p share.Provider) {
	b.live.mu.Lock()
	known, ok := b.live.entries[entryKey(p.Scope, p.Package, p.Version)]
	b.live.mu.Unlock()
	if ok {
		known.object.Set("loaded", 1)
	}
}

// warnOnce reports w the first time key is seen.
func (b *Bridge) warnOnce(key string, w *errcode.Error) {
	if b.warned.first(key) {
		b.warn(w)
	}
}

// onceKeys remembers the keys seen so far.
type onceKeys struct {
	mu   sync.Mutex
	seen map[string]bool
}

// first reports whether key is seen for the first time.
func (o *onceKeys) first(key string) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.seen[key] {
		return false
	}
	if o.seen == nil {
		o.seen = map[string]bool{}
	}
	o.seen[key] = true
	return true
}
