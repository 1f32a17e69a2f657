package federation

import (
	"github.com/fedwasm/fedwasm/federation/config"
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
