// Package plugin decides everything about Module Federation 2.0 runtime
// plugins in fedwasm: the catalog of MF's hook names (module-federation.md
// §2.12, with the 2.9.3 additions), each with its kind, its owner and what
// fedwasm does with it; the return rules of each kind (Run); what
// errorLoadRemote's return does in each lifecycle (Recover); and the check
// of a plugin object's keys (Check). The bridge describes each JS value a
// plugin returns as a Value and carries out the verdict; nothing here
// touches the page.
package plugin

// Kind is how a hook's listeners run and what their returns mean
// (runtime-core's utils/hooks).
type Kind uint8

// The four kinds of MF hooks.
const (
	Sync           Kind = iota + 1 // all listeners run; the last non-undefined return is the result
	Async                          // in order, awaited; false aborts; a return === the args object counts as none; the last non-undefined wins
	SyncWaterfall                  // each listener gets the data; undefined keeps it; a returned object must hold every key of the data
	AsyncWaterfall                 // as SyncWaterfall, each return awaited
)

// String is the kind's name in MF's source.
func (k Kind) String() string {
	switch k {
	case Sync:
		return "SyncHook"
	case Async:
		return "AsyncHook"
	case SyncWaterfall:
		return "SyncWaterfallHook"
	case AsyncWaterfall:
		return "AsyncWaterfallHook"
	}
	return "unknown"
}

// Waterfall reports whether k passes data from listener to listener.
func (k Kind) Waterfall() bool { return k == SyncWaterfall || k == AsyncWaterfall }

// Support is what fedwasm does with a hook.
type Support uint8

// What fedwasm does with a hook.
const (
	// Supported: called at Stage with MF's arguments, and its return used
	// as MF uses it.
	Supported Support = iota + 1
	// Observe: called at Stage with MF's arguments; its return is checked
	// by the kind's rules but not used (Stage says what decides instead).
	Observe
	// Unsupported: never called; a plugin that has it gets a one-time
	// PLUGIN_HOOK_UNSUPPORTED warning saying Stage (the reason).
	Unsupported
)

// String is the support's name in the docs and in inspect().
func (s Support) String() string {
	switch s {
	case Supported:
		return "supported"
	case Observe:
		return "observe-only"
	case Unsupported:
		return "unsupported"
	}
	return "unknown"
}

// Hook is one MF hook name as fedwasm knows it.
type Hook struct {
	Name  string
	Kind  Kind
	Owner string // the PluginSystem that declares it in runtime-core: hooks, remoteHandler, sharedHandler, snapshotHandler, loaderHook, bridgeHook
	// Type is the name MF's waterfall errors give the hook (its constructor
	// argument: "loadGlobalSnapshot" for loadSnapshot); Name otherwise.
	Type    string
	Support Support
	// Stage is where fedwasm calls it (Supported, Observe), or why it
	// does not (Unsupported).
	Stage string
	// ChangesLoad: its return changes what a remote loads (its entry, its
	// container, its manifest, its factory, its result), so it runs only
	// for remotes the config's security.plugins names (PLUGIN_NOT_ALLOWED
	// otherwise): a plugin is page code, and must not replace another
	// team's remote unless the host says so.
	ChangesLoad bool
}

const (
	notEmitted      = "fedwasm has no such step: "
	snapshotReason  = notEmitted + "fedwasm reads mf-manifest.json itself (federation/remote) and keeps no MF snapshot objects to hand a plugin"
	bridgeReason    = notEmitted + "it belongs to @module-federation/bridge-react's render and router bridge, which fedwasm does not include; mount remotes with fedwasm.mount"
	containerReason = notEmitted + "fedwasm initializes each container once with the live share scope and reports the outcome in inspect(); observe it there"
	exposeReason    = notEmitted + "fedwasm asks the container for the expose and runs its factory in one step (see getModuleFactory and onLoad)"
)

// Catalog is every hook of MF's runtime-core 2.9.3, in the order of
// module-federation.md §2.12.
var Catalog = []Hook{
	{Name: "beforeInit", Kind: SyncWaterfall, Owner: "hooks", Support: Observe, Stage: "fedwasm.init, before the config is applied; a returned userOptions is not applied: the config is the host's, and its security decides what plugins may change"},
	{Name: "init", Kind: Sync, Owner: "hooks", Support: Supported, Stage: "fedwasm.init, once the config is applied"},
	{Name: "beforeInitContainer", Kind: AsyncWaterfall, Owner: "hooks", Support: Unsupported, Stage: containerReason},
	{Name: "initContainer", Kind: AsyncWaterfall, Owner: "hooks", Support: Unsupported, Stage: containerReason},

	{Name: "beforeRegisterRemote", Kind: SyncWaterfall, Owner: "remoteHandler", Support: Observe, Stage: "fedwasm.init and fedwasm.registerRemotes, for each remote before it is registered; a returned remote is not applied: change where a remote loads in afterResolve, which security.plugins gates"},
	{Name: "registerRemote", Kind: SyncWaterfall, Owner: "remoteHandler", Support: Observe, Stage: "fedwasm.init and fedwasm.registerRemotes, for each remote after beforeRegisterRemote; a returned remote is not applied: change where a remote loads in afterResolve, which security.plugins gates"},
	{Name: "beforeRequest", Kind: AsyncWaterfall, Owner: "remoteHandler", Support: Supported, Stage: "fedwasm.loadRemote, first; a returned id is loaded instead", ChangesLoad: true},
	{Name: "afterMatchRemote", Kind: Async, Owner: "remoteHandler", Support: Unsupported, Stage: notEmitted + "fedwasm matches the id in Go; afterResolve follows the match with the same remote and expose"},
	{Name: "onLoad", Kind: Async, Owner: "remoteHandler", Support: Supported, Stage: "fedwasm.loadRemote, once the module is in; a returned function is loadRemote's result", ChangesLoad: true},
	{Name: "afterLoadRemote", Kind: Async, Owner: "remoteHandler", Support: Observe, Stage: "fedwasm.loadRemote, last, whether it loaded or failed"},
	{Name: "handlePreloadModule", Kind: Sync, Owner: "remoteHandler", Support: Observe, Stage: "fedwasm.preloadRemote, for each remote it preloads"},
	{Name: "errorLoadRemote", Kind: Async, Owner: "remoteHandler", Support: Supported, Stage: "every failed load, with lifecycle beforeRequest, afterResolve (a manifest fetch or parse failure), beforeLoadShare (a remote's container a shared version needs) or onLoad; what its return does depends on the lifecycle (Recover)"},
	{Name: "beforePreloadRemote", Kind: Async, Owner: "remoteHandler", Support: Observe, Stage: "fedwasm.preloadRemote, first"},
	{Name: "generatePreloadAssets", Kind: Async, Owner: "remoteHandler", Support: Observe, Stage: "fedwasm.preloadRemote, for each remote; fedwasm preloads the manifest or the entry, not an expose's assets, so returned assets are not loaded"},
	{Name: "afterPreloadRemote", Kind: Async, Owner: "remoteHandler", Support: Observe, Stage: "fedwasm.preloadRemote, last, with the results and the error"},
	{Name: "loadEntry", Kind: Async, Owner: "remoteHandler", Support: Supported, Stage: "loading a remote's entry, before fedwasm loads it; a truthy return is the container", ChangesLoad: true},

	{Name: "beforeRegisterShare", Kind: SyncWaterfall, Owner: "sharedHandler", Support: Unsupported, Stage: notEmitted + "shares are registered by Go from the config and registerShared; inspect() lists them"},
	{Name: "afterResolve", Kind: AsyncWaterfall, Owner: "sharedHandler", Support: Supported, Stage: "fedwasm.loadRemote, once the id matched a remote; a returned remoteInfo's entry, type and entryGlobalName are used", ChangesLoad: true},
	{Name: "beforeLoadShare", Kind: AsyncWaterfall, Owner: "sharedHandler", Support: Observe, Stage: "fedwasm.loadShare, before the version is chosen; the choice stays Go's (federation/share), so a returned shareInfo is not applied"},
	{Name: "loadShare", Kind: Async, Owner: "sharedHandler", Support: Observe, Stage: "fedwasm.loadShare, first (MF declares it and never emits it)"},
	{Name: "afterLoadShare", Kind: Sync, Owner: "sharedHandler", Support: Unsupported, Stage: notEmitted + "a loaded share is reported in inspect() (shares[].providers[].loaded)"},
	{Name: "errorLoadShare", Kind: Sync, Owner: "sharedHandler", Support: Unsupported, Stage: notEmitted + "fedwasm.loadShare rejects with a coded error (SHARE_*)"},
	{Name: "resolveShare", Kind: SyncWaterfall, Owner: "sharedHandler", Support: Observe, Stage: "fedwasm.loadShare, once Go chose a version (resolver() returns the chosen entry); a replaced resolver is not called: the choice stays Go's"},
	{Name: "initContainerShareScopeMap", Kind: SyncWaterfall, Owner: "sharedHandler", Support: Observe, Stage: "before a container's init, with the live share scope it gets; a returned shareScope is not used: every container gets the one live scope"},
	{Name: "afterRegisterShare", Kind: Sync, Owner: "sharedHandler", Support: Unsupported, Stage: notEmitted + "shares are registered by Go from the config and registerShared; inspect() lists them"},

	{Name: "beforeLoadRemoteSnapshot", Kind: Async, Owner: "snapshotHandler", Support: Unsupported, Stage: snapshotReason},
	{Name: "loadSnapshot", Kind: AsyncWaterfall, Owner: "snapshotHandler", Type: "loadGlobalSnapshot", Support: Unsupported, Stage: snapshotReason},
	{Name: "loadRemoteSnapshot", Kind: AsyncWaterfall, Owner: "snapshotHandler", Support: Unsupported, Stage: snapshotReason},
	{Name: "afterLoadSnapshot", Kind: AsyncWaterfall, Owner: "snapshotHandler", Support: Unsupported, Stage: snapshotReason},
	{Name: "beforeLoadManifest", Kind: Async, Owner: "snapshotHandler", Support: Unsupported, Stage: notEmitted + "use the fetch hook, which fedwasm calls for every manifest request"},
	{Name: "afterLoadManifest", Kind: Async, Owner: "snapshotHandler", Support: Unsupported, Stage: notEmitted + "a manifest's failure reaches errorLoadRemote (lifecycle afterResolve); inspect() shows the remote's manifest"},

	{Name: "getModuleInfo", Kind: Sync, Owner: "loaderHook", Support: Unsupported, Stage: snapshotReason},
	{Name: "createScript", Kind: Sync, Owner: "loaderHook", Support: Supported, Stage: "loading a classic-script entry (type var): a returned HTMLScriptElement, or {script, timeout}, is used when its src is the entry's URL; fedwasm adds its integrity, nonce and listeners", ChangesLoad: true},
	{Name: "createLink", Kind: Sync, Owner: "loaderHook", Support: Unsupported, Stage: notEmitted + "the runtime adds no <link> element: preload links come from the server's snapshot and loader.js, before Go and any plugin run"},
	{Name: "fetch", Kind: Async, Owner: "loaderHook", Support: Supported, Stage: "every manifest request: a returned Response is used, a throw fails the attempt, anything else falls back to fetch", ChangesLoad: true},
	{Name: "loadEntryError", Kind: Async, Owner: "loaderHook", Support: Supported, Stage: "a remote's entry failed to load after fedwasm's own retries (retry.times): getRemoteEntry tries again (at the URL getEntryUrl gives, under the same policy), and a truthy return is the container", ChangesLoad: true},
	{Name: "afterLoadEntry", Kind: Async, Owner: "loaderHook", Support: Unsupported, Stage: notEmitted + "inspect() reports each remote's load (remotes[].status, its error and timing)"},
	{Name: "beforeInitRemote", Kind: Async, Owner: "loaderHook", Support: Unsupported, Stage: containerReason},
	{Name: "afterInitRemote", Kind: Async, Owner: "loaderHook", Support: Unsupported, Stage: containerReason},
	{Name: "beforeGetExpose", Kind: Async, Owner: "loaderHook", Support: Unsupported, Stage: exposeReason},
	{Name: "afterGetExpose", Kind: Async, Owner: "loaderHook", Support: Unsupported, Stage: exposeReason},
	{Name: "beforeExecuteFactory", Kind: Async, Owner: "loaderHook", Support: Unsupported, Stage: exposeReason},
	{Name: "afterExecuteFactory", Kind: Async, Owner: "loaderHook", Support: Unsupported, Stage: exposeReason},
	{Name: "getModuleFactory", Kind: Async, Owner: "loaderHook", Support: Supported, Stage: "fedwasm.loadRemote, before container.get(expose): a returned function is the module factory", ChangesLoad: true},

	{Name: "beforeBridgeRender", Kind: Sync, Owner: "bridgeHook", Support: Unsupported, Stage: bridgeReason},
	{Name: "afterBridgeRender", Kind: Sync, Owner: "bridgeHook", Support: Unsupported, Stage: bridgeReason},
	{Name: "beforeBridgeDestroy", Kind: Sync, Owner: "bridgeHook", Support: Unsupported, Stage: bridgeReason},
	{Name: "afterBridgeDestroy", Kind: Sync, Owner: "bridgeHook", Support: Unsupported, Stage: bridgeReason},
	{Name: "afterBridgeRouteSync", Kind: Sync, Owner: "bridgeHook", Support: Unsupported, Stage: bridgeReason},
}

// Lookup returns the hook called name.
func Lookup(name string) (Hook, bool) {
	for _, h := range Catalog {
		if h.Name == name {
			return h, true
		}
	}
	return Hook{}, false
}

// TypeName is the name MF's waterfall messages give h.
func (h Hook) TypeName() string {
	if h.Type != "" {
		return h.Type
	}
	return h.Name
}
