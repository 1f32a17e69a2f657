//go:build js && wasm

package jsbridge

import (
	"sync"
	"syscall/js"

	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/load"
	"github.com/fedwasm/fedwasm/federation/remote"
	"github.com/fedwasm/fedwasm/federation/share"
	"github.com/fedwasm/fedwasm/jsbridge/internal/jsutil"
)

// nativeRemotes are the Native Federation remotes whose remoteEntry.json is
// in: what each shares (load.NativeShares) and the providers registered for
// it (Runtime.ProvideNative), by remote name.
type nativeRemotes struct {
	mu       sync.Mutex
	byRemote map[string]nativeShared
}

type nativeShared struct {
	shares []load.NativeShare
	ids    []share.ProviderID
}

func (n *nativeRemotes) put(name string, s nativeShared) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.byRemote == nil {
		n.byRemote = map[string]nativeShared{}
	}
	n.byRemote[name] = s
}

func (n *nativeRemotes) get(name string) nativeShared {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.byRemote[name]
}

// registerNativeShared registers the versions a Native Federation remote's
// remoteEntry.json shares, as registerManifestShared does a manifest's: each
// file the policy admits becomes a provider whose module is imported from
// its URL, with its integrity pinned for the browser. Refused files and
// unusable versions are warnings; the remote's own requests still resolve.
func (b *Bridge) registerNativeShared(r config.Remote, m remote.Manifest) {
	shares, errs := b.loader().NativeShares(load.PolicyOf(b.rt.Config()), r, m)
	synced := map[string]bool{}
	for _, s := range shares {
		if !synced[s.Provider.Package] {
			synced[s.Provider.Package] = true
			b.syncScope(s.Provider.Scope, s.Provider.Package)
		}
	}
	ids, registerErrs := b.rt.ProvideNative(shares)
	for _, err := range append(errs, registerErrs...) {
		b.warn(errcode.As(err, errcode.RemoteInvalidManifest))
	}
	for i, id := range ids {
		if id == 0 {
			continue
		}
		file := shares[i].File
		if file.Integrity != "" {
			b.pinIntegrity(file.URL, file.Integrity)
		}
		b.setHandle(id, shareHandle{importURL: file.URL})
	}
	b.natives.put(r.Name, nativeShared{shares: shares, ids: ids})
}

// loadNative implements loadRemote(id) for Native Federation remote r, once
// ensureRemote has its remoteEntry.json: the import map scope of its
// directory is written once (mapNativeImports), then the exposed file is
// imported as an ES-module entry is (federation/load: the policy, the file's
// integrity, retries). It answers with the module's exports; inspect() shows
// the outcome of the import as the remote's.
func (b *Bridge) loadNative(r config.Remote, m remote.Manifest, expose string) (js.Value, error) {
	// Keyed by the entry too: a remote registered again with force under
	// another remoteEntry.json gets its modules and its scope afresh.
	module, err := b.loads.do("native:"+r.Name+"\x00"+r.Entry+"\x00"+expose, func() (js.Value, error) {
		policy := load.PolicyOf(b.rt.Config())
		entry, err := b.loader().NativeExpose(policy, r, m, expose)
		if err == nil {
			err = b.mapNativeImports(r)
		}
		if err != nil {
			return js.Undefined(), err
		}
		return b.loader().Entry(policy, entry)
	})
	b.rt.RemoteFinished(r.Name, err, jsutil.Uptime())
	b.devtoolsChanged()
	return module, err
}

// mapNativeImports writes, once per remote, the import map scope the core
// decides for Native Federation remote r (Runtime.NativeImportMap), so its
// bare imports of shared packages resolve to the versions chosen for it. A
// written rule cannot be taken back, so each chosen provider counts as
// handed to the remote from then on.
func (b *Bridge) mapNativeImports(r config.Remote) error {
	_, err := b.loads.do("native-imports:"+r.Name+"\x00"+r.Entry, func() (js.Value, error) {
		shared := b.natives.get(r.Name)
		decided, err := b.rt.NativeImportMap(r, shared.shares, shared.ids, func(id share.ProviderID) string {
			if h, ok := b.handle(id); ok && h.importURL != "" {
				return absoluteURL(h.importURL)
			}
			return ""
		})
		if err != nil {
			return js.Undefined(), err
		}
		for _, w := range decided.Warnings {
			b.warn(w)
		}
		scopeURL, err := b.loader().NativeScopeURL(r)
		if err != nil {
			return js.Undefined(), err
		}
		if len(decided.Imports) > 0 {
			imports := map[string]any{}
			for pkg, url := range decided.Imports {
				imports[pkg] = url
			}
			b.appendImportMap(map[string]any{"scopes": map[string]any{scopeURL: imports}}, b.nonce())
		}
		for i, id := range decided.Chosen {
			b.rt.HandOut(id, r.Name, decided.Singleton[i])
		}
		return js.Undefined(), nil
	})
	return err
}
