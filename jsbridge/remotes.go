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
	"github.com/fedwasm/fedwasm/federation/limits"
	"github.com/fedwasm/fedwasm/federation/load"
	"github.com/fedwasm/fedwasm/federation/remote"
	"github.com/fedwasm/fedwasm/federation/retry"
	"github.com/fedwasm/fedwasm/federation/share"
)

// registerRemotes implements fedwasm.registerRemotes(remotes, { force }).
// A list longer than limits.Remotes is refused before its remotes are read.
func (b *Bridge) registerRemotes(_ js.Value, args []js.Value) (any, error) {
	const call = "fedwasm.registerRemotes(remotes)"
	if list := jsutil.Arg(args, 0); jsutil.IsArray(list) {
		n, err := jsutil.LengthOf(call, list)
		if err == nil {
			err = limits.Check(call, "remotes given at once", n, limits.Remotes, "a page holds at most "+strconv.Itoa(limits.Remotes)+" remotes")
		}
		if err != nil {
			return nil, err
		}
	}
	text, err := jsutil.JSONText(jsutil.Arg(args, 0), "registerRemotes(remotes)")
	if err != nil {
		return nil, err
	}
	remotes, warnings, err := config.DecodeRemotes(text)
	for _, w := range warnings { // also when refused: the key may be why
		b.warn(w)
	}
	if err != nil {
		return nil, jsutil.ArgumentError("registerRemotes", err)
	}
	o, err := jsutil.OptionsArg("registerRemotes", args, 1)
	if err != nil {
		return nil, err
	}
	force, err := o.Bool("force", false)
	if err != nil {
		return nil, err
	}
	remotes = b.applyDevtoolsRules(remotes, load.PolicyOf(b.rt.Config()))
	b.registerRemoteHooks(remotes)
	if err := b.rt.RegisterRemotes(remotes, force); err != nil {
		return nil, jsutil.ArgumentError("registerRemotes", err)
	}
	b.devtoolsChanged()
	if force {
		for _, r := range remotes {
			b.loads.forget(remoteLoadKey(r.Name))
			b.loads.forget(manifestLoadKey(r.Name))
		}
	}
	return nil, nil
}

func remoteLoadKey(name string) string { return "remote:" + name }

// loadRemote implements fedwasm.loadRemote(id): "name" or "name/Expose". A
// webpack or MF container (type var, module or manifest, or an ES module that
// exports init and get) is loaded once, initialized once with the live share
// scope, and asked for the expose; a plain ES module is itself the remote.
func (b *Bridge) loadRemote(_ js.Value, args []js.Value) (any, error) {
	id, err := jsutil.StringArg("loadRemote", "the remote id", args, 0)
	if err != nil {
		return nil, err
	}
	return b.loadRemoteWithPlugins(id, b.loadRemoteByID)
}

// loadRemoteByID is loadRemote without the plugins' hooks; rewrite (may be
// nil) lets afterResolve change where the remote is loaded from.
func (b *Bridge) loadRemoteByID(id string, rewrite rewriteRemote) (js.Value, error) {
	remote, expose, err := b.rt.MatchRemote(id)
	if err != nil {
		return js.Undefined(), err
	}
	if rewrite != nil {
		if remote, err = rewrite(remote, expose); err != nil {
			return js.Undefined(), err
		}
	}
	entry, err := b.ensureRemote(remote)
	if err != nil {
		return js.Undefined(), err
	}
	if m, native := b.manifests.get(remote.Name); native && m.Native != nil {
		return b.loadNative(remote, m, expose)
	}
	if !isContainer(entry) {
		if expose != "." {
			return js.Undefined(), errcode.New(errcode.RemoteExposeMissing, map[string]any{"remote": remote.Name, "expose": expose},
				"loadRemote("+strconv.Quote(id)+"): remote "+strconv.Quote(remote.Name)+" is a plain ES module without exposes; call loadRemote("+strconv.Quote(remote.Name)+") and use its exports")
		}
		return entry, nil
	}
	return b.getExpose(id, remote, entry, expose)
}

// entryTypeOf decides the type of a remote whose entry URL's path does not
// say, by the Content-Type the entry is served with: it is fetched as a
// manifest (so a manifest is fetched once, and manifestOf has it), and a
// response that is not JSON makes it a var script, which the browser then
// loads as one. A path that says costs no such fetch. The registry keeps the
// type, so inspect() shows it and later loads do not ask again.
func (b *Bridge) entryTypeOf(r config.Remote) (string, error) {
	typ := "manifest"
	_, err := b.manifestOf(r)
	if errors.Is(err, load.ErrNotManifest) {
		typ, err = "var", nil
	}
	if err != nil {
		return "", err
	}
	b.rt.LearnRemoteType(r.Name, typ)
	return typ, nil
}

// manifestLoadKey is the flights key of a remote's manifest.
func manifestLoadKey(name string) string { return "manifest:" + name }

// manifestOf fetches a manifest remote's mf-manifest.json (or Native
// Federation remoteEntry.json) once and registers the versions its shared
// list names, so they take part in choosing before the remote's entry (or
// exposed module) is downloaded.
func (b *Bridge) manifestOf(r config.Remote) (remote.Manifest, error) {
	_, err := b.loads.do(manifestLoadKey(r.Name), func() (js.Value, error) {
		m, err := b.loader().Manifest(load.PolicyOf(b.rt.Config()), r)
		if err != nil && !errors.Is(err, load.ErrNotManifest) {
			if fallback, ok := b.manifestFromPlugins(r, err); ok {
				m, err = fallback, nil
			}
		}
		if err != nil {
			return js.Undefined(), err
		}
		b.manifests.put(r.Name, m)
		b.devtoolsChanged()
		if m.Native != nil {
			b.registerNativeShared(r, m)
		} else {
			b.registerManifestShared(r, m)
		}
		return js.Undefined(), nil
	})
	if err != nil {
		return remote.Manifest{}, err
	}
	m, _ := b.manifests.get(r.Name)
	return m, nil
}

// manifests are the MF 2.0 manifests fetched so far, by remote name.
type manifests struct {
	mu       sync.Mutex
	byRemote map[string]remote.Manifest
}

func (ms *manifests) put(name string, m remote.Manifest) {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	if ms.byRemote == nil {
		ms.byRemote = map[string]remote.Manifest{}
	}
	ms.byRemote[name] = m
}

func (ms *manifests) get(name string) (remote.Manifest, bool) {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	m, ok := ms.byRemote[name]
	return m, ok
}

// remoteOfGlobal names the remote whose manifest gave globalName.
func (ms *manifests) remoteOfGlobal(globalName string) (string, bool) {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	for name, m := range ms.byRemote {
		if m.MetaData.GlobalName == globalName {
			return name, true
		}
	}
	return "", false
}

// registerManifestShared registers each version a manifest says its remote
// provides (Runtime.ProvideFromManifest; its container writes the real entry
// when initialized, and loadViaContainer takes it from there), after reading
// back what JS code wrote for those packages. Unusable items are skipped with
// a warning.
func (b *Bridge) registerManifestShared(r config.Remote, m remote.Manifest) {
	synced := map[string]bool{}
	for _, s := range m.Shared {
		if !synced[s.Name] {
			synced[s.Name] = true
			b.syncScope(r.ShareScope, s.Name)
		}
	}
	ids, errs := b.rt.ProvideFromManifest(r, m)
	for _, err := range errs {
		b.warn(errcode.As(err, errcode.ShareInvalidVersion))
	}
	for _, id := range ids {
		b.setHandle(id, shareHandle{container: r.Name})
	}
}

// loadEntry loads what remote's entry gives — the container global of a var
// script, or the exports of an ES module (a module container or a plain
// module) — as federation/load decides: the policy applies to the manifest
// (Manifest) and again to the entry it names (Entry), then the attempts.
func (b *Bridge) loadEntry(r config.Remote) (js.Value, error) {
	l, policy := b.loader(), load.PolicyOf(b.rt.Config())
	if r.Type == "" {
		typ, err := b.entryTypeOf(r)
		if err != nil {
			return js.Undefined(), err
		}
		r.Type = typ
	}
	if r.Type == "manifest" {
		m, err := b.manifestOf(r)
		if err == nil && m.Native != nil {
			return js.Null(), nil // a Native Federation remote: its modules are imported one per expose (loadNative)
		}
		if err == nil {
			r, err = l.FromManifest(r, m)
		}
		if err != nil {
			return js.Undefined(), err
		}
	}
	b.checkEarlyEntry(r)
	if entry, ok := b.entryFromPlugins(r); ok {
		return entry, nil
	}
	entry, err := l.Entry(policy, r)
	if err != nil {
		if recovered, ok := b.recoverEntry(r, policy, err); ok {
			return recovered, nil
		}
	}
	return entry, err
}

// checkEarlyEntry reports SNAPSHOT_DISAGREES when loader.js loaded remote r
// before the runtime ran from another entry than the one r resolves to.
func (b *Bridge) checkEarlyEntry(r config.Remote) {
	if b.earlyRemotes.Type() != js.TypeObject {
		return
	}
	if page := jsutil.Property(b.earlyRemotes, r.Name); page.Type() == js.TypeString {
		if w := federation.EarlyEntryDisagreement(r.Name, page.String(), absoluteURL(r.Entry)); w != nil {
			b.warnOnce("early entry:"+r.Name, w)
		}
	}
}

// ensureRemote loads and initializes a remote's entry (once), records the
// outcome for inspect(), and returns the container or module.
func (b *Bridge) ensureRemote(r config.Remote) (js.Value, error) {
	b.rt.RemoteRequested(r.Name, jsutil.Uptime())
	entry, err := b.loads.do(remoteLoadKey(r.Name), func() (js.Value, error) { return b.loadEntry(r) })
	if err == nil && isContainer(entry) {
		err = b.initContainer(r, entry)
	}
	b.rt.RemoteFinished(r.Name, err, jsutil.Uptime()) // the outcome of loading and initializing, as inspect() shows it
	b.devtoolsChanged()
	return entry, err
}

// loadViaContainer loads a version a remote's manifest listed: the remote's
// container is loaded and initialized, which writes its real entry into the
// live scope; that entry is adopted and loaded.
func (b *Bridge) loadViaContainer(id share.ProviderID, p share.Provider, remoteName string) (js.Value, error) {
	r, _, err := b.rt.MatchRemote(remoteName)
	if err == nil {
		_, err = b.ensureRemote(r)
		if err != nil {
			if container, ok := b.containerFromPlugins(r, err); ok {
				err = b.initContainer(r, container)
			}
		}
	}
	if err != nil {
		return js.Undefined(), errcode.New(errcode.ShareLoadFailed, map[string]any{"package": p.Package, "version": p.Version, "remote": remoteName, "cause": err.Error()},
			"shared "+strconv.Quote(p.Package)+" "+p.Version+" is provided by remote "+strconv.Quote(remoteName)+", which could not be loaded: "+err.Error())
	}
	b.syncScope(p.Scope, p.Package)
	active, ok := b.rt.ActiveProvider(p.Scope, p.Package, p.Version)
	if !ok || active == id {
		return js.Undefined(), errcode.New(errcode.ShareLoadFailed, map[string]any{"package": p.Package, "version": p.Version, "remote": remoteName},
			"remote "+strconv.Quote(remoteName)+"'s manifest lists shared "+strconv.Quote(p.Package)+" "+p.Version+", but its container provided no such entry when initialized; rebuild the remote so its manifest matches")
	}
	provider, _ := b.rt.Provider(active)
	return b.loadProvider(active, provider)
}

// preloadRemote implements fedwasm.preloadRemote(names): manifest remotes
// have their manifest fetched (their shared versions then take part in
// choosing); other remotes are loaded and initialized. Names may be strings
// or { nameOrAlias } objects, as in MF.
func (b *Bridge) preloadRemote(_ js.Value, args []js.Value) (any, error) {
	list := jsutil.Arg(args, 0)
	if !jsutil.IsArray(list) {
		return nil, errcode.New(errcode.InvalidArgument, nil, "fedwasm.preloadRemote(names): names must be an array of remote names, not "+list.Type().String())
	}
	const call = "fedwasm.preloadRemote(names)"
	n, err := jsutil.LengthOf(call, list)
	if err != nil {
		return nil, err
	}
	if err := limits.Check(call, "names", n, limits.Remotes, "pass at most "+strconv.Itoa(limits.Remotes)+" remote names per call"); err != nil {
		return nil, err
	}
	each, after := b.preloadHooks(list)
	var errs []string
	for i := 0; i < n; i++ {
		item := jsutil.Property(list, i)
		if item.Type() == js.TypeObject {
			item = jsutil.Property(item, "nameOrAlias")
		}
		if item.Type() != js.TypeString {
			return nil, errcode.New(errcode.InvalidArgument, map[string]any{"index": i}, "fedwasm.preloadRemote(names): names["+strconv.Itoa(i)+"] must be a remote name")
		}
		r, _, err := b.rt.MatchRemote(item.String())
		if err == nil {
			each(r)
		}
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
		err := errcode.New(errcode.RemoteLoadFailed, map[string]any{"failed": errs},
			"fedwasm.preloadRemote: "+strconv.Itoa(len(errs))+" remote(s) could not be preloaded: ["+strings.Join(errs, " ")+"]")
		after(err)
		return nil, err
	}
	after(nil)
	return nil, nil
}

// initContainer calls container.init(shareScope) once per remote, with the
// live share scope object the runtime resolves against.
func (b *Bridge) initContainer(r config.Remote, container js.Value) error {
	_, err := b.loads.do("init:"+r.Name, func() (js.Value, error) {
		scope := b.scopeObject(r.ShareScope)
		if !b.plugins.empty() { // observed: every container gets the one live scope
			hostScopes := jsutil.Object()
			hostScopes.Set(r.ShareScope, scope)
			b.observe(emission{hook: "initContainerShareScopeMap"}, b.hookArgs("shareScope", scope, "options", jsutil.Object(), "scopeName", r.ShareScope, "hostShareScopeMap", hostScopes))
		}
		v, err := jsutil.Guard("container.init", func() js.Value { return container.Call("init", scope) })
		if err == nil {
			_, err = awaitWithin(v, b.containerCallTime())
		}
		if err != nil {
			return js.Undefined(), errcode.New(errcode.RemoteInitFailed, map[string]any{"remote": r.Name, "cause": err.Error()},
				"remote "+strconv.Quote(r.Name)+": its container's init(shareScope) threw: "+err.Error()+"; the remote cannot share modules with this host. Check its shared config")
		}
		return js.Undefined(), nil
	})
	return err
}

// getFailure describes what a container's get failed with for the core:
// a rejection's error name, message and request (the chunk URL webpack's
// ChunkLoadError carries), or a throw's text.
func getFailure(err error) load.GetFailure {
	rejected, ok := errors.AsType[jsutil.Rejection](err)
	if !ok {
		return load.GetFailure{Message: err.Error()}
	}
	f := load.GetFailure{Message: rejected.Error()}
	if name, ok := jsutil.SafeProperty(rejected.Reason, "name"); ok && name.Type() == js.TypeString {
		f.Name = name.String()
	}
	if request, ok := jsutil.SafeProperty(rejected.Reason, "request"); ok && request.Type() == js.TypeString {
		f.Request = request.String()
	}
	return f
}

// containerCallTime bounds how long a container's init or get may take to
// settle: one load attempt's time limit (retry.timeoutMs), so a container
// that never answers cannot leave loadRemote pending.
func (b *Bridge) containerCallTime() retry.Millis {
	return retry.Millis(load.PolicyOf(b.rt.Config()).Retry.TimeoutMs)
}

// getExpose asks the container for expose and runs the module factory.
func (b *Bridge) getExpose(id string, r config.Remote, container js.Value, expose string) (js.Value, error) {
	v, fromPlugin := b.moduleFactoryFromPlugins(r, container, expose)
	var err error
	if !fromPlugin {
		v, err = jsutil.Guard("container.get", func() js.Value { return container.Call("get", expose) })
		if err == nil {
			v, err = awaitWithin(v, b.containerCallTime())
		}
	}
	if errors.Is(err, load.ErrTimeout) {
		return js.Undefined(), errcode.New(errcode.RemoteLoadFailed, map[string]any{"remote": r.Name, "expose": expose, "cause": err.Error()},
			"loadRemote("+strconv.Quote(id)+"): remote "+strconv.Quote(r.Name)+"'s container.get("+strconv.Quote(expose)+") did not settle ("+err.Error()+"); the remote's code hangs; fix it, or raise retry.timeoutMs")
	}
	if err != nil {
		return js.Undefined(), load.ExposeFailed(id, r, expose, getFailure(err))
	}
	if v.Type() != js.TypeFunction {
		return js.Undefined(), load.ExposeMissing(id, r, expose, "get returned no module factory")
	}
	module, err := jsutil.Guard("module factory", func() js.Value { return v.Invoke() })
	if err != nil {
		return js.Undefined(), errcode.New(errcode.RemoteLoadFailed, map[string]any{"remote": r.Name, "expose": expose, "cause": err.Error()},
			"loadRemote("+strconv.Quote(id)+"): running the exposed module "+strconv.Quote(expose)+" threw: "+err.Error())
	}
	return module, nil
}
