package plugin

import (
	"strconv"

	"github.com/fedwasm/fedwasm/federation/errcode"
)

// ValueKind is what a plugin's return is, as far as the rules care.
type ValueKind uint8

// The kinds of JS value the rules tell apart.
const (
	Undefined ValueKind = iota
	Null
	False
	Function
	Object // a plain object: Object.prototype.toString gives [object Object] (MF's isObject)
	Other  // anything else: true, a number, a string, an array, a Response, an element, …
)

// Value describes one JS value a plugin returned (or the args object) to
// the rules: the bridge reads it, guarded, and never hands over the value.
type Value struct {
	Kind ValueKind
	// Truthy is JavaScript's truthiness (Undefined, Null and False are
	// never truthy; 0, NaN and "" are Other and not truthy).
	Truthy bool
	// SameAsArgs: the value === the hook's first argument (MF's AsyncHook
	// treats such a return of a one-argument hook as no result).
	SameAsArgs bool
	// Class is the value's class where a hook takes one ("Response",
	// "HTMLScriptElement"; "" otherwise).
	Class string
	// Keys are an Object's enumerable keys (for…in), at most MaxKeys: the
	// keys the next listener's return must hold in a waterfall.
	Keys []string
	// Has reports whether key is in the value (JS's `in`); nil for none.
	Has func(key string) bool
}

// MaxKeys bounds the keys of a waterfall's data the rules compare: MF's
// argument objects have at most eight, so more is a hostile object.
const MaxKeys = 64

// Verdict is a finished run's outcome.
type Verdict struct {
	// From is the listener (index into the order the bridge called them)
	// whose return is the result; -1: the args (a waterfall's data as
	// given) or, for Sync and Async hooks, no result.
	From int
	// Plugin names the plugin whose return is the result ("" for none).
	Plugin string
	// Abort: an Async hook's listener returned false, and the result is false.
	Abort bool
	// Failed is a waterfall's failure: a listener threw or returned what
	// the kind refuses. MF's onerror throws it; the stage decides what
	// it means (loadRemote's go to errorLoadRemote).
	Failed *errcode.Error
	// Contained are listeners' failures that did not end the run (a throw
	// in a Sync or Async hook counts as no result), to be reported.
	Contained []*errcode.Error
}

// Result reports whether the verdict has a result (From ≥ 0 or Abort).
func (v Verdict) Result() bool { return v.From >= 0 || v.Abort }

// Run applies h's kind's rules to its listeners' returns, one at a time, in
// registration order: Start, then Returned or Threw per listener while
// Done is false, then Verdict.
type Run struct {
	hook     Hook
	oneArg   bool
	dataKeys []string
	dataHas  func(string) bool
	verdict  Verdict
	done     bool
}

// Start begins a run of h. args is the first argument (a waterfall's data),
// nArgs how many arguments the hook is called with.
func Start(h Hook, args Value, nArgs int) *Run {
	r := &Run{hook: h, oneArg: nArgs == 1, verdict: Verdict{From: -1}}
	r.dataKeys, r.dataHas = boundKeys(args.Keys), args.Has
	return r
}

// Done reports whether no further listener runs.
func (r *Run) Done() bool { return r.done }

// Returned applies the rules to listener i (plugin names it) returning v.
func (r *Run) Returned(i int, plugin string, v Value) {
	if r.done {
		return
	}
	switch r.hook.Kind {
	case Sync:
		if v.Kind != Undefined {
			r.verdict.From, r.verdict.Plugin = i, plugin
		}
	case Async:
		switch {
		case v.Kind == False:
			r.verdict.From, r.verdict.Plugin, r.verdict.Abort, r.done = i, plugin, true, true
		case v.Kind == Undefined, r.oneArg && v.SameAsArgs:
		default:
			r.verdict.From, r.verdict.Plugin = i, plugin
		}
	case SyncWaterfall, AsyncWaterfall:
		if v.Kind == Undefined {
			return
		}
		if !r.acceptable(v) {
			r.fail(plugin, "A plugin returned an unacceptable value for the \""+r.hook.TypeName()+"\" type.", "returned")
			return
		}
		if !v.SameAsArgs {
			r.verdict.From, r.verdict.Plugin = i, plugin
			r.dataKeys, r.dataHas = boundKeys(v.Keys), v.Has
		}
	}
}

// acceptable is MF's checkReturnData: an object, holding every key of the
// data it replaces (the data itself always is).
func (r *Run) acceptable(v Value) bool {
	if v.Kind != Object {
		return false
	}
	if v.SameAsArgs {
		return true
	}
	for _, key := range r.dataKeys {
		if v.Has == nil || !v.Has(key) {
			return false
		}
	}
	return true
}

// Threw records that listener i (plugin names it) threw or rejected with
// cause. In a waterfall that ends the run, as MF's onerror does; in a Sync
// or Async hook it is contained: reported, and counted as no result.
func (r *Run) Threw(i int, plugin, cause string) {
	if r.done {
		return
	}
	if r.hook.Kind.Waterfall() {
		r.fail(plugin, cause, "threw")
		return
	}
	r.verdict.Contained = append(r.verdict.Contained, Failure(r.hook.Name, plugin, "threw", cause))
}

func (r *Run) fail(plugin, cause, how string) {
	r.verdict.Failed, r.done = Failure(r.hook.Name, plugin, how, cause), true
}

// Verdict is the run's outcome.
func (r *Run) Verdict() Verdict { return r.verdict }

// boundKeys keeps at most MaxKeys keys.
func boundKeys(keys []string) []string {
	if len(keys) > MaxKeys {
		return keys[:MaxKeys]
	}
	return keys
}

// Failure is the PLUGIN_HOOK_FAILED error of plugin's hook, which threw
// (how "threw"), returned what the hook cannot take ("returned") or did
// not settle in time ("timed out"), with cause.
func Failure(hook, plugin, how, cause string) *errcode.Error {
	cause = errcode.Clip(cause, 500)
	what := "threw: " + cause
	switch how {
	case "returned":
		what = "returned a value it cannot take: " + cause
	case "timed out":
		what = "did not settle in time: " + cause
	}
	return errcode.New(errcode.PluginHookFailed, map[string]any{"plugin": plugin, "hook": hook, "cause": cause},
		"plugin "+strconv.Quote(plugin)+"'s "+hook+" hook "+what+"; fedwasm went on as Module Federation does. Fix the plugin, or remove it")
}
