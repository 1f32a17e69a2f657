// Package surface declares window.fedwasm's methods, each by its path and by
// what a call gives back. jsbridge builds the API Go publishes from it, and
// the build writes it into loader.js, whose stand-in for the API answers
// calls made before Go runs by the same list: what a call returns decides how
// it can wait (a promise, a release function, a scope whose calls wait in
// turn), so no call is refused or lost for coming early.
package surface

// Returns is what a call gives back, as the stand-in must give it before the
// runtime answers.
type Returns string

const (
	// Promise: the call waits in line; its promise settles with the runtime's answer.
	Promise Returns = "promise"
	// Nothing: the call waits in line; a failure is reported (console and
	// fedwasm:error), as there is no caller left to throw to.
	Nothing Returns = "nothing"
	// Release: the call waits in line; the function it returns undoes it,
	// before or after the runtime has made it.
	Release Returns = "release"
	// Scope: the call waits in line; the scoped API it returns has the
	// methods of Scope, which wait in turn.
	Scope Returns = "scope"
	// Value: a synchronous answer only the runtime (or, for a share, the
	// snapshot) can give; before either can, the call throws NOT_READY.
	Value Returns = "value"
)

// Method is one of the API's functions: its path from the API object
// ("stores.provide") and what it returns.
type Method struct {
	Path    string  `json:"path"`
	Returns Returns `json:"returns"`
	// Settles names the promises a Release function carries
	// (query.connect's handoff), which the stand-in's function carries too.
	Settles []string `json:"settles,omitempty"`
	// Reroutes says the call can change what a later load gets (a share
	// registered, a remote replaced, a plugin's hooks): once one waits in
	// line, the stand-in no longer answers loads from the snapshot.
	Reroutes bool `json:"reroutes,omitempty"`
}

// API is window.fedwasm's functions (its values, version and ready, and the
// loader's own inspector are not calls into Go).
var API = []Method{
	{Path: "init", Returns: Promise},
	// initOptions is Module Federation 2.0's init (mf.js calls it): the first
	// call initializes, a later one merges (federation.Runtime.InitOptions).
	{Path: "initOptions", Returns: Promise, Reroutes: true},
	{Path: "registerShared", Returns: Nothing, Reroutes: true},
	{Path: "loadShare", Returns: Promise},
	{Path: "loadShareSync", Returns: Value},
	{Path: "shareScope", Returns: Value},
	{Path: "registerRemotes", Returns: Nothing, Reroutes: true},
	{Path: "loadRemote", Returns: Promise},
	{Path: "preloadRemote", Returns: Promise},
	{Path: "inspect", Returns: Value},
	{Path: "stores.provide", Returns: Nothing},
	{Path: "stores.get", Returns: Promise},
	{Path: "events.on", Returns: Release},
	{Path: "events.emit", Returns: Nothing},
	{Path: "query.connect", Returns: Release, Settles: []string{"handoff"}},
	{Path: "query.invalidate", Returns: Nothing},
	{Path: "use", Returns: Nothing, Reroutes: true},
	{Path: "scope", Returns: Scope},
	{Path: "mount", Returns: Promise},
}

// ScopeAPI is the functions of the API a scope hands out (fedwasm.scope and
// a remote's mount); its owner is a value.
var ScopeAPI = []Method{
	{Path: "loadShare", Returns: Promise},
	{Path: "loadShareSync", Returns: Value},
	{Path: "loadRemote", Returns: Promise},
	{Path: "stores.provide", Returns: Nothing},
	{Path: "stores.get", Returns: Promise},
	{Path: "stores.subscribe", Returns: Release},
	{Path: "events.on", Returns: Release},
	{Path: "events.emit", Returns: Nothing},
	{Path: "query.connect", Returns: Release, Settles: []string{"handoff"}},
	{Path: "dispose", Returns: Nothing},
}
