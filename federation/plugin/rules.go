package plugin

import (
	"slices"
	"strconv"

	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/retry"
)

// Lifecycle is errorLoadRemote's lifecycle argument: where a load failed.
type Lifecycle string

// The lifecycles errorLoadRemote declares, and where fedwasm emits each.
const (
	// BeforeRequest: a beforeRequest listener failed. The return, an object
	// with an id, replaces the request.
	BeforeRequest Lifecycle = "beforeRequest"
	// AfterResolve: a manifest's fetch or parse failed. The return is used
	// as the manifest's JSON.
	AfterResolve Lifecycle = "afterResolve"
	// BeforeLoadShare: the container of a remote that provides a chosen
	// shared version failed to load. The return is used as the container.
	BeforeLoadShare Lifecycle = "beforeLoadShare"
	// OnLoad: any other failure of loadRemote. The return is its result.
	OnLoad Lifecycle = "onLoad"
)

// Action is what the stage does with errorLoadRemote's verdict.
type Action uint8

// What errorLoadRemote's return makes the stage do.
const (
	Rethrow Action = iota + 1 // the original error stands
	Use                       // the return is used as the lifecycle says
	Skip                      // the remote is left out, silently (beforeLoadShare)
)

// Recover is what errorLoadRemote's run (v: the verdict's result value, or
// Undefined without one) makes lifecycle do, as MF's runtime-core does:
// a truthy return is used, anything else rethrows the original error, but
// for beforeLoadShare, where the remote is skipped. An observer listener
// returning undefined leaves another's fallback in place (the Async rules:
// the last non-undefined return wins); false ends the run with no fallback.
func Recover(lifecycle Lifecycle, v Value) Action {
	if v.Truthy {
		return Use
	}
	if lifecycle == BeforeLoadShare {
		return Skip
	}
	return Rethrow
}

// Gated reports whether h, emitted for a remote, runs only when the
// config's security.plugins names that remote: a hook whose return changes
// what loads (Hook.ChangesLoad), and errorLoadRemote where its return is
// loaded as the remote's manifest (afterResolve) or used as its container
// (beforeLoadShare). errorLoadRemote's other fallbacks stand in for a load
// that failed, and run for every remote, as before plugins were gated.
func Gated(h Hook, lifecycle Lifecycle) bool {
	return h.ChangesLoad || h.Name == "errorLoadRemote" && (lifecycle == AfterResolve || lifecycle == BeforeLoadShare)
}

// EntryErrorRecoverable reports whether an entry load that failed with code
// goes to loadEntryError. MF calls it for RUNTIME-008 only (the script or
// import failed), never for a missing global (RUNTIME-001); fedwasm's
// counterpart is REMOTE_LOAD_FAILED, after its own retries. A refusal by
// the security policy or an integrity mismatch is not a failure a retry can
// heal, and a plugin must not be asked to work around it.
func EntryErrorRecoverable(code string) bool { return code == errcode.RemoteLoadFailed }

// minRecoveryAttempts is how many attempts' time limits loadEntryError gets
// at least: @module-federation/retry-plugin retries 3 times, a second apart,
// by default, which must fit when the host turned fedwasm's own retries off.
const minRecoveryAttempts = 5

// EntryRecoveryTime bounds how long loadEntryError may take, given the plan
// of fedwasm's own attempts (retry.Plan): as long as those had (their time
// limits and delays together), and at least minRecoveryAttempts of their
// time limit. Each of the plugin's getRemoteEntry calls is one attempt,
// bounded by the time limit on its own.
func EntryRecoveryTime(plan []retry.Attempt) retry.Millis {
	var own, limit retry.Millis
	for _, a := range plan {
		own += a.Timeout + a.Delay
		limit = a.Timeout
	}
	return max(own, minRecoveryAttempts*limit)
}

// ManifestFallbackAllowed reports whether a manifest load that failed with
// code goes to errorLoadRemote (lifecycle afterResolve), whose return is
// then used as the manifest: MF emits it when the manifest's fetch or its
// JSON failed. A remote pinned by integrity (pinned) is not: its integrity
// covers the manifest, and a plugin's manifest would name unchecked code.
// Nor is a refusal by the security policy.
func ManifestFallbackAllowed(code string, pinned bool) bool {
	return !pinned && (code == errcode.RemoteLoadFailed || code == errcode.RemoteInvalidManifest)
}

// Used reports whether a return of class (Value.Class) is what hook takes
// as its result: fetch takes a Response (anything else falls back to
// fetch), createScript an HTMLScriptElement (the bridge reads it out of
// {script, timeout} first), getModuleFactory and onLoad a function,
// loadEntry and loadEntryError any truthy value (the container).
func Used(hook string, v Value) bool {
	switch hook {
	case "fetch":
		return v.Class == "Response"
	case "createScript":
		return v.Class == "HTMLScriptElement"
	case "getModuleFactory", "onLoad":
		return v.Kind == Function
	case "loadEntry", "loadEntryError":
		return v.Truthy
	}
	return false
}

// ThrowFails reports whether a listener's throw in hook fails the request
// the hook took over, as the rejection does in MF, rather than counting as
// no result: a fetch listener makes the manifest request itself, and one
// that throws has given it up (@module-federation/retry-plugin throws once
// its retries are spent), so fedwasm must not fetch it again behind it.
// The attempt fails, and fedwasm's own retries and errorLoadRemote
// (lifecycle afterResolve) follow as for any failed manifest.
func ThrowFails(hook string, v Verdict) bool {
	return hook == "fetch" && !v.Result() && len(v.Contained) > 0
}

// Report is what Check found in a plugin object.
type Report struct {
	Name        string
	Hooks       []string         // the hooks it has that fedwasm calls, in Catalog's order
	Unsupported []string         // the MF hooks it has that fedwasm never calls
	Warnings    []*errcode.Error // unknown keys (CONFIG_UNKNOWN_KEY) and unsupported hooks (PLUGIN_HOOK_UNSUPPORTED)
}

// Plain is the report as inspect() lists it: the plugin's name, the hooks
// fedwasm calls and the MF hooks it never calls.
func (r Report) Plain() map[string]any {
	list := func(names []string) []any {
		out := make([]any, len(names))
		for i, n := range names {
			out[i] = n
		}
		return out
	}
	return map[string]any{"name": r.Name, "hooks": list(r.Hooks), "unsupported": list(r.Unsupported)}
}

// maxKeyWarnings bounds the unknown-key warnings of one plugin.
const maxKeyWarnings = 8

// Check checks a plugin object: name is its name (named: it is a non-empty
// string), ownKeys its own enumerable keys (at most MaxKeys are read), and
// hook tells, for each Catalog name, whether the plugin holds a function
// there ("function"), nothing (""), or something else (its type). A
// plugin with no name, or a hook that is not a function, is refused; an own
// key that is no hook and not name, version or apply is a warning naming
// the nearest known key; an MF hook fedwasm does not call is a warning.
func Check(name string, named bool, ownKeys []string, hook func(name string) string) (Report, error) {
	if !named || name == "" {
		return Report{}, errcode.New(errcode.InvalidArgument, nil, "fedwasm.use(plugin): plugin.name must be a non-empty string (Module Federation requires a name and takes one plugin per name)")
	}
	rep := Report{Name: name}
	for _, h := range Catalog {
		switch t := hook(h.Name); t {
		case "":
		case "function":
			if h.Support == Unsupported {
				rep.Unsupported = append(rep.Unsupported, h.Name)
				rep.Warnings = append(rep.Warnings, unsupported(name, h))
			} else {
				rep.Hooks = append(rep.Hooks, h.Name)
			}
		default:
			return Report{}, errcode.New(errcode.InvalidArgument, map[string]any{"plugin": name, "hook": h.Name},
				"fedwasm.use(plugin): plugin "+strconv.Quote(name)+"'s "+h.Name+" must be a function, not "+t)
		}
	}
	known := KnownKeys()
	unknown := 0
	for _, key := range boundKeys(ownKeys) {
		if slices.Contains(known, key) {
			continue
		}
		if unknown++; unknown > maxKeyWarnings {
			break
		}
		rep.Warnings = append(rep.Warnings, unknownKey(name, key, known))
	}
	return rep, nil
}

// KnownKeys are the keys a plugin object may have: name, version, apply and
// every hook of the Catalog.
func KnownKeys() []string {
	keys := []string{"name", "version", "apply"}
	for _, h := range Catalog {
		keys = append(keys, h.Name)
	}
	return keys
}

func unsupported(plugin string, h Hook) *errcode.Error {
	return errcode.New(errcode.PluginHookUnsupported, map[string]any{"plugin": plugin, "hook": h.Name, "owner": h.Owner, "reason": h.Stage},
		"plugin "+strconv.Quote(plugin)+" has Module Federation's "+h.Name+" hook, which fedwasm never calls: "+h.Stage+". The plugin's other hooks run")
}

func unknownKey(plugin, key string, known []string) *errcode.Error {
	shown := errcode.Clip(key, 100)
	near := config.Suggest(key, known)
	what := "is neither a Module Federation hook nor name, version or apply, so nothing calls it"
	if near != "" {
		what += ": did you mean " + strconv.Quote(near) + "? Rename it, or remove it"
	}
	return errcode.New(errcode.ConfigUnknownKey, map[string]any{"field": "plugin " + plugin + "." + shown, "plugin": plugin, "key": shown, "suggestion": near, "unsupported": false},
		"plugin "+strconv.Quote(plugin)+"'s key "+strconv.Quote(shown)+" "+what)
}
