package federation

import (
	"maps"
	"slices"
	"strconv"

	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/load"
	"github.com/fedwasm/fedwasm/federation/share"
)

// ImportMap decides the host's import map: every configured package of the
// default scope that has an import, mapped to the import URL of the provider
// resolved for the host (its own declared rules), so a bare import gets the
// module loadShare hands out (browsers key modules by URL). importURL gives
// a provider's URL ("" when it has none, such as a remote's container: such
// a package is left out, as is one whose choice is the consumer's fallback
// or an error, which loading it reports). The URLs are as configured; the
// caller makes them absolute. The in-page runtime and the server's snapshot
// both write this map.
func (r *Runtime) ImportMap(shares []ConfiguredShare, importURL func(share.ProviderID) string) map[string]string {
	imports := map[string]string{}
	host := r.HostName()
	for _, s := range shares {
		if s.Args.Scope != config.DefaultScope || s.Args.Import == "" {
			continue
		}
		if _, done := imports[s.Package]; done {
			continue
		}
		choice, err := r.Resolve(r.Consumer(s.Package, s.Args.Scope, host))
		if err != nil || choice.UseFallback {
			continue
		}
		if url := importURL(choice.ID); url != "" {
			imports[s.Package] = url
		}
	}
	return imports
}

// ImportMapDisagreements compares the import map the runtime decides
// (ImportMap, its URLs made absolute) with the rules the page's own import
// maps give already (the server's snapshot, written into the page or by the
// loader). Browsers keep the first rule for a specifier, so where the two
// differ a bare import of the package gets the page's module while loadShare
// hands out the runtime's: two instances of what should be one. Each such
// package is a SNAPSHOT_DISAGREES warning, in package order.
func ImportMapDisagreements(decided, page map[string]string) []*errcode.Error {
	var out []*errcode.Error
	for _, pkg := range slices.Sorted(maps.Keys(decided)) {
		pageURL, mapped := page[pkg]
		if !mapped || pageURL == decided[pkg] {
			continue
		}
		out = append(out, errcode.New(errcode.SnapshotDisagrees,
			map[string]any{"package": pkg, "page": pageURL, "runtime": decided[pkg]},
			"the page's import map (the server's snapshot) maps "+strconv.Quote(pkg)+" to "+pageURL+
				", but the runtime resolves it to "+decided[pkg]+": bare imports of it get the page's module and loadShare the runtime's. "+
				"Serve the page and its config from the same registry, and make share rules part of the host's config"))
	}
	return out
}

// EarlyEntryDisagreement compares the entry URL the page loaded remote from
// before the runtime ran (the server's snapshot marked it early, and loader.js
// loaded it) with the entry the runtime resolves for it. They differ when the
// page's snapshot came from other inputs than the runtime's config: the page
// keeps the module it got, and loads through the runtime get the runtime's.
// The result is a SNAPSHOT_DISAGREES warning, or nil when they agree.
func EarlyEntryDisagreement(remote, page, runtime string) *errcode.Error {
	if page == runtime {
		return nil
	}
	return errcode.New(errcode.SnapshotDisagrees, map[string]any{"remote": remote, "page": page, "runtime": runtime},
		"remote "+strconv.Quote(remote)+" was loaded from "+page+" before the runtime ran (the server's snapshot), but the runtime resolves its entry to "+runtime+
			": what the page got early is the snapshot's, later loads get the runtime's. Serve the page and its config from the same registry")
}

// NativeImports is what a Native Federation remote's bare imports of its
// shared packages resolve to, as NativeImportMap decides it.
type NativeImports struct {
	// Imports maps each shared package to the URL of its module; written
	// as the import map's scope for the remote's directory, so the rules
	// apply to the remote's modules only and the host's map stays as it is.
	Imports map[string]string
	// Chosen is each package's provider, to be recorded as handed out to
	// the remote once its module is in (the remote's own copy when none
	// importable was chosen).
	Chosen []share.ProviderID
	// Singleton says, for each of Chosen, whether the remote asked for a
	// singleton (the first handed to a singleton consumer stays in use).
	Singleton []bool
	// Warnings are choices made with a warning (a version outside the
	// remote's range without strictVersion, a choice the page cannot
	// import by URL).
	Warnings []*errcode.Error
}

// NativeImportMap decides the imports of Native Federation remote rem whose
// remoteEntry.json shares shares (ids: their providers, from ProvideNative):
// each package's version is resolved for the remote as for any consumer,
// with the requiredVersion, singleton and strictVersion its remoteEntry.json
// declares, so the host's singleton is shared and inspect() says why. The
// package then maps to the chosen provider's URL (importURL; "" when it has
// none the page can import, such as a module given by get: the remote then
// keeps its own copy, with a SHARE_NOT_IMPORTABLE warning). A choice the
// rules refuse (a strictVersion mismatch) is the error: the remote is not
// loaded, as Native Federation refuses it too.
func (r *Runtime) NativeImportMap(rem config.Remote, shares []load.NativeShare, ids []share.ProviderID, importURL func(share.ProviderID) string) (NativeImports, error) {
	out := NativeImports{Imports: map[string]string{}}
	for i, s := range shares {
		if _, done := out.Imports[s.Consumer.Package]; done {
			continue
		}
		choice, err := r.Resolve(s.Consumer)
		if err != nil {
			return out, err
		}
		if choice.Warning != nil {
			out.Warnings = append(out.Warnings, choice.Warning)
		}
		url, id := importURL(choice.ID), choice.ID
		if url == "" && ids[i] != 0 {
			out.Warnings = append(out.Warnings, errcode.New(errcode.ShareNotImportable,
				map[string]any{"remote": rem.Name, "package": s.Consumer.Package, "chosenVersion": choice.Provider.Version, "chosenFrom": choice.Provider.From, "own": s.File.URL},
				"Native Federation remote "+strconv.Quote(rem.Name)+" shares "+strconv.Quote(s.Consumer.Package)+", which resolved to "+choice.Provider.Version+" from "+strconv.Quote(choice.Provider.From)+
					", a module the page cannot import by URL (registered with get or lib, or a container's); the remote's bare imports of "+strconv.Quote(s.Consumer.Package)+
					" get its own copy, "+s.Provider.Version+" at "+s.File.URL+". Give the host's shared "+strconv.Quote(s.Consumer.Package)+" an import URL to share one module"))
			url, id = s.File.URL, ids[i]
		}
		if url == "" {
			continue // neither the choice nor the remote's own file can be imported: the remote's import fails and says which
		}
		out.Imports[s.Consumer.Package] = url
		out.Chosen, out.Singleton = append(out.Chosen, id), append(out.Singleton, s.Consumer.Singleton)
	}
	return out, nil
}
