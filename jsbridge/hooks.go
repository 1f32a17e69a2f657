//go:build js && wasm

package jsbridge

import (
	"errors"
	"sync"
	"syscall/js"

	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/load"
	"github.com/fedwasm/fedwasm/federation/plugin"
	"github.com/fedwasm/fedwasm/federation/remote"
	"github.com/fedwasm/fedwasm/federation/retry"
	"github.com/fedwasm/fedwasm/federation/share"
	"github.com/fedwasm/fedwasm/jsbridge/internal/jsutil"
)

// The stages where plugins' hooks run, each with MF's argument object
// (module-federation.md §2.4, §2.12); federation/plugin's Catalog says
// which hook runs where and what its return does.

// remoteNamed returns the name of the remote request id names, or "" when
// it names no registered remote.
func (b *Bridge) remoteNamed(id string) string {
	r, _, err := b.rt.MatchRemote(id)
	if err != nil {
		return ""
	}
	return r.Name
}

// remoteInfoObject is MF's remoteInfo for r.
func remoteInfoObject(r config.Remote) js.Value {
	info := jsutil.Object()
	info.Set("name", r.Name)
	info.Set("entry", r.Entry)
	info.Set("type", r.Type)
	info.Set("entryGlobalName", r.EntryGlobalName)
	info.Set("shareScope", r.ShareScope)
	if r.Alias != "" {
		info.Set("alias", r.Alias)
	}
	return info
}

// rewriteRemote is loadRemoteByID's afterResolve: given the matched remote
// and expose, it returns where the remote loads from.
type rewriteRemote func(r config.Remote, expose string) (config.Remote, error)

// loadRemoteWithPlugins runs loadRemote's lifecycle with the plugins'
// hooks around load, as MF's RemoteHandler.loadRemote does: beforeRequest
// (a failure goes to errorLoadRemote with lifecycle beforeRequest, whose
// return replaces the request), afterResolve, the load, onLoad (a returned
// function is the result), errorLoadRemote with lifecycle onLoad for any
// failure (a truthy return is the result), and afterLoadRemote last.
func (b *Bridge) loadRemoteWithPlugins(id string, loadByID func(string, rewriteRemote) (js.Value, error)) (js.Value, error) {
	if b.plugins.empty() {
		return loadByID(id, nil)
	}
	requested := id
	var matched config.Remote
	expose := ""
	info := js.Undefined()
	after := func(err error, recovered bool) {
		args := b.hookArgs("id", id, "expose", expose, "remote", info, "options", jsutil.Object())
		if err != nil {
			args.Set("error", jsutil.ErrorValue(err))
		}
		if recovered {
			args.Set("recovered", true)
		}
		b.observe(emission{hook: "afterLoadRemote"}, args)
	}
	fail := func(err error) (js.Value, error) {
		fallback, _ := b.runHook(emission{hook: "errorLoadRemote", remote: matched.Name, lifecycle: plugin.OnLoad},
			b.hookArgs("id", requested, "error", jsutil.ErrorValue(err), "from", "runtime", "lifecycle", string(plugin.OnLoad), "expose", expose, "remote", info))
		if plugin.Recover(plugin.OnLoad, describeReturn(fallback, js.Undefined())) == plugin.Use {
			after(err, true)
			return fallback, nil
		}
		after(err, false)
		return js.Undefined(), err
	}
	options := jsutil.Object()
	req, verdict := b.runHook(emission{hook: "beforeRequest", remote: b.remoteNamed(id)}, b.hookArgs("id", id, "options", options))
	if verdict.Failed != nil {
		fallback, _ := b.runHook(emission{hook: "errorLoadRemote", remote: b.remoteNamed(id), lifecycle: plugin.BeforeRequest},
			b.hookArgs("id", id, "options", options, "from", "runtime", "error", jsutil.ErrorValue(verdict.Failed), "lifecycle", string(plugin.BeforeRequest)))
		if plugin.Recover(plugin.BeforeRequest, describeReturn(fallback, js.Undefined())) != plugin.Use {
			return fail(verdict.Failed)
		}
		req = fallback
	}
	if newID, _ := jsutil.SafeProperty(req, "id"); newID.Type() == js.TypeString && newID.String() != "" {
		id = newID.String()
	}
	rewrite := func(r config.Remote, exp string) (config.Remote, error) {
		matched, expose, info = r, exp, remoteInfoObject(r)
		res, verdict := b.runHook(emission{hook: "afterResolve", remote: r.Name},
			b.hookArgs("id", id, "pkgNameOrAlias", r.Name, "expose", exp, "remote", info, "remoteInfo", info, "options", jsutil.Object()))
		if verdict.Failed != nil {
			return r, verdict.Failed
		}
		ri, _ := jsutil.SafeProperty(res, "remoteInfo")
		if ri.Type() != js.TypeObject {
			return r, nil
		}
		for field, dst := range map[string]*string{"entry": &r.Entry, "type": &r.Type, "entryGlobalName": &r.EntryGlobalName} {
			if v, _ := jsutil.SafeProperty(ri, field); v.Type() == js.TypeString && v.String() != "" {
				*dst = v.String()
			}
		}
		return r, nil
	}
	module, err := loadByID(id, rewrite)
	if err != nil {
		return fail(err)
	}
	replaced, _ := b.runHook(emission{hook: "onLoad", remote: matched.Name},
		b.hookArgs("id", id, "pkgNameOrAlias", matched.Name, "expose", expose, "remote", info, "exposeModule", module,
			"exposeModuleFactory", js.Undefined(), "options", b.hookArgs("remoteInfo", info, "host", js.Global().Get("fedwasm"))))
	if plugin.Used("onLoad", describeReturn(replaced, js.Undefined())) {
		module = replaced
	}
	after(nil, false)
	return module, nil
}

// entryFromPlugins runs the loadEntry hook for r: a truthy return is its
// container (or module), loaded by the plugin in fedwasm's place.
func (b *Bridge) entryFromPlugins(r config.Remote) (js.Value, bool) {
	e := emission{hook: "loadEntry", remote: r.Name}
	if !b.hasListeners(e) {
		return js.Undefined(), false
	}
	v, _ := b.runHook(e, b.hookArgs("remoteInfo", remoteInfoObject(r), "remoteEntryExports", js.Undefined(), "loaderHook", js.Undefined()))
	return v, plugin.Used("loadEntry", describeReturn(v, js.Undefined()))
}

// recoverEntry runs the loadEntryError hook once r's entry failed with
// cause after fedwasm's own attempts (retry.times, with its failover
// domains and cache-busting): fedwasm's retries are the host's policy and
// run first; a plugin's retries come after them, when they are spent, as
// MF calls loadEntryError once its own load gave up. getRemoteEntry makes
// one attempt per call (under the same policy and integrity, a fresh
// cache-busting query for an ES module, whose failed URL the browser
// keeps), so a plugin's retryTimes counts what it says, and the two
// budgets add rather than multiply. The hook's time is bounded by
// plugin.EntryRecoveryTime. A truthy return is the container.
func (b *Bridge) recoverEntry(r config.Remote, policy load.Policy, cause error) (js.Value, bool) {
	e := emission{hook: "loadEntryError", remote: r.Name}
	if !plugin.EntryErrorRecoverable(errcode.CodeOf(cause)) || !b.hasListeners(e) {
		return js.Undefined(), false
	}
	var mu sync.Mutex
	tries := policy.Retry.Times
	once := policy
	once.Retry.Times = 0
	getRemoteEntry := jsutil.AsyncFunc("getRemoteEntry", func(_ js.Value, args []js.Value) (any, error) {
		again := r
		info, _ := jsutil.SafeProperty(jsutil.Arg(args, 0), "remoteInfo")
		if entry, _ := jsutil.SafeProperty(info, "entry"); entry.Type() == js.TypeString && entry.String() != "" {
			again.Entry = entry.String()
		}
		// As MF's runtime-core: getEntryUrl(entry) is the URL to load (the
		// 2.x retry-plugin's domains and retryCount query); it goes through
		// the same policy as the entry, so it cannot widen where code comes from.
		rewrite, err := jsutil.Guard("getRemoteEntry getEntryUrl", func() js.Value {
			if f := jsutil.Property(jsutil.Arg(args, 0), "getEntryUrl"); f.Type() == js.TypeFunction {
				return f.Invoke(absoluteURL(again.Entry))
			}
			return js.Undefined()
		})
		if err != nil {
			return nil, err
		}
		if rewrite.Type() == js.TypeString && rewrite.String() != "" {
			again.Entry = rewrite.String()
		}
		if again.Type != "var" {
			mu.Lock()
			tries++
			n := tries
			mu.Unlock()
			again.Entry = retry.Plan(absoluteURL(again.Entry), config.Retry{Times: n}, true)[n].URL
		}
		return b.loader().Entry(once, again)
	})
	defer getRemoteEntry.Release()
	budget := plugin.EntryRecoveryTime(retry.Plan(r.Entry, policy.Retry, r.Type != "var"))
	v, _ := b.runHook(emission{hook: "loadEntryError", remote: r.Name, within: budget},
		b.hookArgs("getRemoteEntry", getRemoteEntry, "remoteInfo", remoteInfoObject(r), "remoteEntryExports", js.Undefined(),
			"globalLoading", jsutil.Dictionary(), "uniqueKey", r.Name+":"+r.Entry))
	return v, plugin.Used("loadEntryError", describeReturn(v, js.Undefined()))
}

// moduleFactoryFromPlugins runs the getModuleFactory hook before
// container.get(expose): a returned function is the module factory.
func (b *Bridge) moduleFactoryFromPlugins(r config.Remote, container js.Value, expose string) (js.Value, bool) {
	e := emission{hook: "getModuleFactory", remote: r.Name}
	if !b.hasListeners(e) {
		return js.Undefined(), false
	}
	v, _ := b.runHook(e, b.hookArgs("remoteEntryExports", container, "expose", expose, "moduleInfo", remoteInfoObject(r)))
	return v, plugin.Used("getModuleFactory", describeReturn(v, js.Undefined()))
}

// FetchManifest fetches r's manifest at url through the plugins' fetch hook
// (fetch(url, requestInit, remoteInfo)), as MF's snapshot handler does: a
// returned Response is read as the manifest, a throw fails the attempt
// (plugin.ThrowFails), anything else falls back to fetch. The hook and the
// reading are bounded by the attempt's time limit.
func (p platform) FetchManifest(r config.Remote, url string, timeout retry.Millis) (load.Body, error) {
	e := emission{hook: "fetch", remote: r.Name}
	if !p.b.hasListeners(e) {
		return p.Fetch(url, timeout)
	}
	got, err := within("", func() (js.Value, error) {
		init := jsutil.Object()
		init.Set("mode", "cors")
		init.Set("credentials", "same-origin")
		e.within = timeout
		v, verdict := p.b.runHook(e, url, init, remoteInfoObject(r))
		if plugin.ThrowFails("fetch", verdict) {
			return js.Undefined(), verdict.Contained[0]
		}
		return v, nil
	}, timeout)
	if err != nil {
		return nil, err
	}
	if !plugin.Used("fetch", describeReturn(got, js.Undefined())) {
		return p.Fetch(url, timeout)
	}
	b, err := within("reading ", func() (body, error) { return readResponse(url, got) }, timeout)
	if err != nil {
		return nil, errors.New("the Response a fetch plugin gave for " + url + ": " + err.Error())
	}
	return b, nil
}

// scriptFromPlugins runs the createScript hook for an entry <script> of
// rawURL: a returned HTMLScriptElement, or {script, timeout}, is used when
// its src is empty or rawURL (the policy was applied to rawURL: another URL
// would load unchecked code), and a timeout shorter than the attempt's
// applies. Otherwise it is a new element.
func (b *Bridge) scriptFromPlugins(rawURL string, timeout *retry.Millis) js.Value {
	owner, ok := b.rt.RemoteOfScript(rawURL, absoluteURL)
	if !ok {
		owner = rawURL // no remote: only security.plugins "*" lets plugins change it
	}
	e := emission{hook: "createScript", remote: owner}
	if !b.hasListeners(e) {
		return createElement("script")
	}
	v, verdict := b.runHook(e, b.hookArgs("url", rawURL, "attrs", jsutil.Object()))
	script := v
	if d := describeReturn(v, js.Undefined()); d.Class == "" && d.Kind == plugin.Object {
		script, _ = jsutil.SafeProperty(v, "script")
		if t, _ := jsutil.SafeProperty(v, "timeout"); t.Type() == js.TypeNumber && t.Float() > 0 && retry.Millis(t.Float()) < *timeout {
			*timeout = retry.Millis(t.Float())
		}
	}
	if !plugin.Used("createScript", describeReturn(script, js.Undefined())) {
		return createElement("script")
	}
	src, err := jsutil.Guard("createScript src", func() js.Value { return script.Call("getAttribute", "src") })
	if err != nil || (src.Type() == js.TypeString && src.String() != "" && absoluteURL(src.String()) != absoluteURL(rawURL)) {
		b.warn(plugin.Failure("createScript", verdict.Plugin, "returned", "a script for "+jsutil.Message(src)+", not the entry "+rawURL+"; fedwasm loaded the entry with its own element"))
		return createElement("script")
	}
	return script
}

// shareHooks runs loadShare and beforeLoadShare for consumer c of
// fedwasm.loadShare, and returns what runs resolveShare once loadShare has
// chosen (nil without its listeners). They observe: the version is Go's
// choice (federation/share), so beforeLoadShare's returned shareInfo and a
// resolver resolveShare's listeners replace are not used.
func (b *Bridge) shareHooks(c share.Consumer) (resolved func(share.Choice)) {
	if b.plugins.empty() {
		return nil
	}
	shareInfo := jsutil.Object()
	shareInfo.Set("scope", jsutil.ToJS([]any{c.Scope}))
	shareConfig := jsutil.Object()
	shareConfig.Set("singleton", c.Singleton)
	shareConfig.Set("requiredVersion", c.RequiredVersion)
	shareInfo.Set("shareConfig", shareConfig)
	shareInfo.Set("from", c.From)
	b.observe(emission{hook: "loadShare"}, b.hookArgs("pkgName", c.Package, "shareInfo", shareInfo))
	b.observe(emission{hook: "beforeLoadShare"}, b.hookArgs("pkgName", c.Package, "shareInfo", shareInfo, "shared", jsutil.Object()))
	if len(b.plugins.with("resolveShare")) == 0 {
		return nil
	}
	return func(choice share.Choice) { b.resolveShareHook(c, shareInfo, choice) }
}

// resolveShareHook runs resolveShare (observed) with the entry loadShare
// chose for c.
func (b *Bridge) resolveShareHook(c share.Consumer, shareInfo js.Value, choice share.Choice) {
	scope := b.scopeObject(c.Scope)
	chosen := js.Undefined()
	if versions, _ := jsutil.SafeProperty(scope, c.Package); versions.Type() == js.TypeObject {
		chosen, _ = jsutil.SafeProperty(versions, choice.Provider.Version)
	}
	resolver := js.FuncOf(func(js.Value, []js.Value) any { return chosen })
	defer resolver.Release()
	scopes := jsutil.Object()
	scopes.Set(c.Scope, scope)
	b.observe(emission{hook: "resolveShare"}, b.hookArgs("shareScopeMap", scopes, "scope", c.Scope, "pkgName", c.Package,
		"version", choice.Provider.Version, "shareInfo", shareInfo, "GlobalFederation", js.Undefined(), "resolver", resolver))
}

// initHooks runs beforeInit (observed: the config is the host's, so a
// returned userOptions is not applied) before fedwasm.init applies
// userOptions, and returns the function that runs init once it applied it.
func (b *Bridge) initHooks(userOptions js.Value) func() {
	if b.plugins.empty() {
		return func() {}
	}
	if userOptions.Type() == js.TypeString { // the loader hands over the config file's text
		if parsed, err := jsutil.Guard("JSON.parse", func() js.Value { return jsutil.ParseJSON(userOptions) }); err == nil {
			userOptions = parsed
		}
	}
	b.observe(emission{hook: "beforeInit"}, b.hookArgs("userOptions", userOptions, "options", userOptions, "shareInfo", jsutil.Object()))
	return func() { b.observe(emission{hook: "init"}, b.hookArgs("options", userOptions)) }
}

// registerRemoteHooks runs beforeRegisterRemote and registerRemote for
// each remote fedwasm.init or fedwasm.registerRemotes registers. They
// observe: a returned remote is not applied (where a remote loads from is
// changed in afterResolve, which security.plugins gates).
func (b *Bridge) registerRemoteHooks(remotes []config.Remote) {
	if b.plugins.empty() {
		return
	}
	for _, r := range remotes {
		b.observe(emission{hook: "beforeRegisterRemote"}, b.hookArgs("remote", remoteInfoObject(r)))
		b.observe(emission{hook: "registerRemote"}, b.hookArgs("remote", remoteInfoObject(r)))
	}
}

// preloadHooks runs beforePreloadRemote with preloadRemote's argument and
// returns what runs for each remote (handlePreloadModule,
// generatePreloadAssets: observed, fedwasm preloads the manifest or the
// entry) and after them (afterPreloadRemote, with the error).
func (b *Bridge) preloadHooks(ops js.Value) (each func(r config.Remote), after func(err error)) {
	if b.plugins.empty() {
		return func(config.Remote) {}, func(error) {}
	}
	b.observe(emission{hook: "beforePreloadRemote"}, b.hookArgs("preloadOps", ops, "options", jsutil.Object()))
	results := jsutil.Array()
	each = func(r config.Remote) {
		info := remoteInfoObject(r)
		b.observe(emission{hook: "handlePreloadModule"}, b.hookArgs("id", r.Name, "name", r.Name, "remote", info, "remoteSnapshot", js.Undefined(), "preloadConfig", jsutil.Object()))
		b.observe(emission{hook: "generatePreloadAssets"}, b.hookArgs("preloadOptions", jsutil.Object(), "remote", info, "remoteInfo", info, "globalSnapshot", js.Undefined(), "remoteSnapshot", js.Undefined()))
		results.Call("push", b.hookArgs("remote", info, "remoteInfo", info, "id", r.Name))
	}
	after = func(err error) {
		args := b.hookArgs("preloadOps", ops, "options", jsutil.Object(), "results", results)
		if err != nil {
			args.Set("error", jsutil.ErrorValue(err))
		}
		b.observe(emission{hook: "afterPreloadRemote"}, args)
	}
	return each, after
}

// manifestFromPlugins runs errorLoadRemote with lifecycle afterResolve once
// r's manifest failed with cause (plugin.ManifestFallbackAllowed): a truthy
// return is read as the manifest's JSON, which is then checked as a fetched
// one is. A return that is no manifest leaves cause, and is reported.
func (b *Bridge) manifestFromPlugins(r config.Remote, cause error) (remote.Manifest, bool) {
	e := emission{hook: "errorLoadRemote", remote: r.Name, lifecycle: plugin.AfterResolve}
	if !plugin.ManifestFallbackAllowed(errcode.CodeOf(cause), r.Integrity != "") || !b.hasListeners(e) {
		return remote.Manifest{}, false
	}
	url := absoluteURL(r.Entry)
	v, verdict := b.runHook(e, b.hookArgs("id", url, "error", jsutil.ErrorValue(cause), "from", "runtime",
		"lifecycle", string(plugin.AfterResolve), "remote", remoteInfoObject(r)))
	if plugin.Recover(plugin.AfterResolve, describeReturn(v, js.Undefined())) != plugin.Use {
		return remote.Manifest{}, false
	}
	text, err := jsutil.JSONText(v, "errorLoadRemote's manifest")
	var m remote.Manifest
	if err == nil {
		m, err = remote.ParseManifest(text, url)
	}
	if err != nil {
		b.warn(plugin.Failure("errorLoadRemote", verdict.Plugin, "returned", "a manifest for "+url+" that is not one ("+err.Error()+"); the manifest's own error stands"))
		return remote.Manifest{}, false
	}
	return m, true
}

// containerFromPlugins runs errorLoadRemote with lifecycle beforeLoadShare
// once the container of remote r, which provides a chosen shared version,
// failed to load with cause: a truthy return with init and get is used as
// the container; anything else skips it (the share's error stands).
func (b *Bridge) containerFromPlugins(r config.Remote, cause error) (js.Value, bool) {
	e := emission{hook: "errorLoadRemote", remote: r.Name, lifecycle: plugin.BeforeLoadShare}
	if !b.hasListeners(e) {
		return js.Undefined(), false
	}
	v, _ := b.runHook(e, b.hookArgs("id", r.Name, "error", jsutil.ErrorValue(cause), "from", "runtime",
		"lifecycle", string(plugin.BeforeLoadShare), "remote", remoteInfoObject(r)))
	if plugin.Recover(plugin.BeforeLoadShare, describeReturn(v, js.Undefined())) != plugin.Use {
		return js.Undefined(), false
	}
	ok, err := jsutil.Guard("isContainer", func() bool { return isContainer(v) })
	return v, err == nil && ok
}
