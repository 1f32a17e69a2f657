package federation

import (
	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/federation/load"
	"github.com/fedwasm/fedwasm/federation/remote"
	"github.com/fedwasm/fedwasm/federation/share"
)

// The share scope, through the runtime (see share.Scopes).

// Resolve chooses the provider c gets and records why.
func (r *Runtime) Resolve(c share.Consumer) (share.Choice, error) { return r.shares.Resolve(c) }

// ScopeOf is the share scope a consumer that lists scopes (MF 2.0's
// shareInfo.scope array) takes pkg from: the first holding it
// (share.Scopes.FirstHolding).
func (r *Runtime) ScopeOf(pkg string, scopes []string) string {
	return r.shares.FirstHolding(pkg, scopes)
}

// Provider returns the provider registered under id.
func (r *Runtime) Provider(id share.ProviderID) (share.Provider, bool) { return r.shares.Lookup(id) }

// ActiveProvider returns the active entry for version of pkg in scope.
func (r *Runtime) ActiveProvider(scope, pkg, version string) (share.ProviderID, bool) {
	return r.shares.ActiveID(scope, pkg, version)
}

// Adopt mirrors an entry JS code wrote into the live scope object, where
// webpack's own rule already chose it.
func (r *Runtime) Adopt(p share.Provider) (share.ProviderID, error) { return r.shares.Adopt(p) }

// ProvideFromManifest registers the versions remote rem's manifest m says it
// provides (load.Provided), so they take part in choosing before its entry
// is downloaded. It returns the providers registered; those whose version is
// not a version are refused, each with its error.
func (r *Runtime) ProvideFromManifest(rem config.Remote, m remote.Manifest) ([]share.ProviderID, []error) {
	var ids []share.ProviderID
	var errs []error
	for _, p := range load.Provided(rem, m) {
		id, _, err := r.shares.Register(p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ids = append(ids, id)
	}
	return ids, errs
}

// MarkLoading, MarkLoaded and MarkFailed record where loading provider id's
// module is.
func (r *Runtime) MarkLoading(id share.ProviderID) { r.shares.MarkLoading(id) }

// MarkLoaded records that provider id's module is evaluated.
func (r *Runtime) MarkLoaded(id share.ProviderID) { r.shares.MarkLoaded(id) }

// MarkFailed records that loading provider id's module failed.
func (r *Runtime) MarkFailed(id share.ProviderID) { r.shares.MarkFailed(id) }

// HandOut records that provider id's module was handed to consumer (see
// share.Scopes.HandOut: the first handed to a singleton consumer stays the
// singleton).
func (r *Runtime) HandOut(id share.ProviderID, consumer string, singleton bool) {
	r.shares.HandOut(id, consumer, singleton)
}

// Took records that consumer, a container, took provider id's entry from the
// live scope by its own rules; it counts as a singleton consumer when the
// rules declared for the package (its own, else the host's) say singleton.
func (r *Runtime) Took(id share.ProviderID, consumer string) {
	p, ok := r.shares.Lookup(id)
	if !ok {
		return
	}
	r.shares.Took(id, consumer, r.Consumer(p.Package, p.Scope, consumer).Singleton)
}

// Settled reports whether c's answer, provider id, can no longer change.
func (r *Runtime) Settled(c share.Consumer, id share.ProviderID) bool { return r.shares.Settled(c, id) }

// ProvideNative registers the versions a Native Federation remote's
// remoteEntry.json shares (load.NativeShares), so they take part in choosing
// as a manifest's do. ids[i] is shares[i]'s provider, 0 when none was
// registered: its file was refused under the policy, or its version is not
// a version (each such item has its error).
func (r *Runtime) ProvideNative(shares []load.NativeShare) (ids []share.ProviderID, errs []error) {
	ids = make([]share.ProviderID, len(shares))
	for i, s := range shares {
		if s.File.URL == "" {
			continue
		}
		id, _, err := r.shares.Register(s.Provider)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ids[i] = id
	}
	return ids, errs
}
