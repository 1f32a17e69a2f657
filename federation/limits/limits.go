// Package limits holds the bounds on input the runtime takes from callers: the
// page's API calls, configs, manifests and the live share scope. Every loop
// over such input is bounded by one of these, checked before the loop starts,
// and going over one is a LIMIT_EXCEEDED error (Exceeded), so no input can
// make the runtime work or allocate without end. loader/README.md lists them
// for users.
package limits

import (
	"strconv"

	"github.com/fedwasm/fedwasm/federation/errcode"
)

// The limits. Each is far above what a real page needs and far below what
// would stall a page: every one was chosen so that input at the limit is
// handled in well under a second.
const (
	// SharedEntries bounds the providers one registration declares:
	// registerShared's entries (and its packages), the config's "shared",
	// and a remote manifest's "shared" list.
	SharedEntries = 10_000

	// VersionsPerPackage bounds the versions one package has in one share
	// scope; each resolution of the package weighs all of them.
	VersionsPerPackage = 10_000

	// Providers bounds the providers the share scopes hold in all, however
	// many calls registered them (including entries adopted from the live
	// scope objects).
	Providers = 100_000

	// Remotes bounds the remotes the runtime holds, the remotes one config or
	// registerRemotes call lists, and the names one preloadRemote call lists.
	Remotes = 1_000

	// Origins bounds the config's security.allowedOrigins and retry.domains.
	Origins = 1_000

	// Plugins bounds the plugins fedwasm.use registers.
	Plugins = 100

	// ScopesListed bounds the share scopes one loadShare's scope option
	// lists (Module Federation 2.0's shareInfo.scope array).
	ScopesListed = 16
	// Owned bounds the stores, and the event types, the config's ownership
	// block gives owners.
	Owned = 10_000

	// ValueDepth bounds how deeply the objects and arrays of a plain-data
	// argument (registerRemotes' remotes, init's config object) nest. A
	// cycle is as deep as it is walked, so it stops here too.
	ValueDepth = 100

	// Values bounds the values (objects, arrays, strings, numbers, booleans,
	// nulls) one plain-data argument holds in all.
	Values = 100_000

	// UseIn bounds the consumer names read from one live scope entry's
	// useIn list (MF 2.0's record of who took it), and the takes loader.js
	// records of a snapshot entry before the runtime runs.
	UseIn = 256

	// ConfigWarnings bounds the CONFIG_UNKNOWN_KEY warnings one config
	// gets; one more then says there are more. Going over it is no error:
	// the config loads, and its keys are looked at no more than once.
	ConfigWarnings = 20

	// WaitingCalls bounds the calls the loader's stand-in for window.fedwasm
	// holds in line until the runtime runs.
	WaitingCalls = 10_000
)

// Exceeded is the LIMIT_EXCEEDED error for input over a limit: where is
// the call or field it came in ("fedwasm.preloadRemote(names)"), what counts
// it, as a plural ("names"), got how many it has and limit the bound; fix
// says what to do instead.
func Exceeded(where, what string, got, limit int, fix string) *errcode.Error {
	return errcode.New(errcode.LimitExceeded, map[string]any{"where": where, "what": what, "got": got, "limit": limit},
		where+": "+strconv.Itoa(got)+" "+what+", over the limit of "+strconv.Itoa(limit)+"; "+fix)
}

// Check is Exceeded when got is over limit, else nil: the check a caller
// makes once, before it loops over got items.
func Check(where, what string, got, limit int, fix string) error {
	if got > limit {
		return Exceeded(where, what, got, limit, fix)
	}
	return nil
}

// Length reads an array length from the page as a count to check: a
// length that is not a whole number from 0 to 2^53-1 (a Proxy may report
// anything) has no count, and ok is false. Read it once and use the count,
// never the length again.
func Length(length float64) (n int, ok bool) {
	if length != length || length < 0 || length > 1<<53-1 || length != float64(int64(length)) {
		return 0, false
	}
	return int(length), true
}
