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
}

// API is window.fedwasm's functions (its values, version and ready, and the
// loader's own inspector are not calls into Go).
var API = []Method{
	{"init", Promise, nil},
	{"registerShared", Nothing, nil},
	{"loadShare", Promise, nil},
	{"loadShareSync", Value, nil},
	{"shareScope", Value, nil},
	{"registerRemotes", Nothing, nil},
	{"loadRemote", Promise, nil},
	{"preloadRemote", Promise, nil},
	{"inspect", Value, nil},
	{"stores.provide", Nothing, nil},
	{"stores.get", Promise, nil},
	{"events.on", Release, nil},
	{"events.emit", Nothing, nil},
	{"query.connect", Release, []string{"handoff"}},
	{"query.invalidate", Nothing, nil},
	{"use", Nothing, nil},
	{"scope", Scope, nil},
	{"mount", Promise, nil},
}

// ScopeAPI is the functions of the API a scope hands out (fedwasm.scope and
// a remote's mount); its owner is a value.
var ScopeAPI = []Method{
	{"loadShare", Promise, nil},
	{"loadShareSync", Value, nil},
	{"loadRemote", Promise, nil},
	{"stores.provide", Nothing, nil},
	{"stores.get", Promise, nil},
	{"stores.subscribe", Release, nil},
	{"events.on", Release, nil},
	{"events.emit", Nothing, nil},
	{"query.connect", Release, []string{"handoff"}},
	{"dispose", Nothing, nil},
}
