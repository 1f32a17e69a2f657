package federation

import (
	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/federation/devtools"
	"github.com/fedwasm/fedwasm/federation/remote"
)

// DevtoolsState is the runtime's state as devtools.Global reads it;
// manifest gives the manifest the caller fetched for a remote, if any.
func (r *Runtime) DevtoolsState(manifest func(name string) (remote.Manifest, bool)) devtools.State {
	strategy := config.VersionFirst
	if cfg := r.Config(); cfg != nil && cfg.ShareStrategy != "" {
		strategy = cfg.ShareStrategy
	}
	return devtools.State{
		Host: r.HostName(), Remotes: r.remotes.Snapshot(), Manifest: manifest, Shares: r.shares.Snapshot(), Strategy: strategy,
		Rules: func(scope, pkg, from string) config.ShareConfig {
			r.mu.Lock()
			defer r.mu.Unlock()
			return r.shareConfigs[scope+"\x00"+pkg][from]
		},
	}
}
