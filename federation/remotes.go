package federation

import (
	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/federation/remote"
)

// The remotes, through the runtime (see remote.Registry).

// RegisterRemotes adds remotes, all or none (force replaces same-named ones),
// and holds their names for their mounts: a name the host or a scope holds
// is refused with OWNER_CLAIMED.
func (r *Runtime) RegisterRemotes(remotes []config.Remote, force bool) error {
	names := make([]string, len(remotes))
	for i, rem := range remotes {
		names[i] = rem.Name
	}
	if err := r.broker.CheckMountable(names); err != nil {
		return err
	}
	if err := r.remotes.Register(remotes, force); err != nil {
		return err
	}
	return r.broker.HoldForMounts(names)
}

// PluginsAllowed reports whether fedwasm.use plugins may change how remote
// name is loaded: the config's security.plugins names it (or "*").
func (r *Runtime) PluginsAllowed(name string) bool {
	cfg := r.Config()
	return cfg != nil && cfg.Security.AllowsPlugins(name)
}

// MatchRemote maps a request id ("cart/CartStore") to its remote and expose.
func (r *Runtime) MatchRemote(id string) (config.Remote, string, error) { return r.remotes.Match(id) }

// RemoteRequested counts a request for remote name and marks it loading;
// atMs is the time on the page's monotonic clock (performance.now()).
func (r *Runtime) RemoteRequested(name string, atMs float64) { r.remotes.Request(name, atMs) }

// RemoteFinished records the outcome of loading remote name, at atMs on the
// clock RemoteRequested was given.
func (r *Runtime) RemoteFinished(name string, err error, atMs float64) {
	r.remotes.Finish(name, err, atMs)
}

// LearnRemoteType records the type found for a remote whose config left it open.
func (r *Runtime) LearnRemoteType(name, typ string) { r.remotes.LearnType(name, typ) }

// RemoteOfScript names the remote whose files scriptURL belongs to.
func (r *Runtime) RemoteOfScript(scriptURL string, absolute func(string) string) (string, bool) {
	return r.remotes.OwnerOfScript(scriptURL, absolute)
}

// RemoteOfContainer names the remote whose container is called name.
func (r *Runtime) RemoteOfContainer(name string) (string, bool) {
	return r.remotes.ByContainerName(name)
}

// RemoteReports lists every remote as inspect() shows it.
func (r *Runtime) RemoteReports() []remote.Report { return r.remotes.Snapshot() }
