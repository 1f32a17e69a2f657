package demo

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/server"
)

// RegistryFile is the registry the demo writes at start: the host's config
// (Config with the origins Start picked) and its remotes by name. The host
// origin serves /federation.json from it, re-read when it changes, so
// editing it (a deploy adding or moving a remote) reaches the next page load
// without a restart.
func (d *Demo) RegistryFile() string { return d.registry }

// newRegistry writes the registry for d.Config into a new temporary
// directory (removed by Close) and opens it.
func (d *Demo) newRegistry(root string, policy server.Policy, log *slog.Logger) (*server.Registry, error) {
	root, err := filepath.Abs(root) // the registry lives elsewhere: its files are named absolutely
	if err != nil {
		return nil, fmt.Errorf("demo: the repository root: %w", err)
	}
	data, err := json.MarshalIndent(registryOf(d.Config, root), "", "  ")
	if err != nil {
		return nil, fmt.Errorf("demo: encoding the registry: %w", err)
	}
	dir, err := os.MkdirTemp("", "fedwasm-demo-registry-")
	if err != nil {
		return nil, fmt.Errorf("demo: a directory for the registry: %w", err)
	}
	d.registry = filepath.Join(dir, "registry.json")
	if err := os.WriteFile(d.registry, data, 0o644); err != nil {
		return nil, errors.Join(fmt.Errorf("demo: writing the registry: %w", err), d.removeRegistry())
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	reg, err := server.NewRegistry(d.registry, policy, log)
	if err != nil {
		return nil, errors.Join(err, d.removeRegistry())
	}
	return reg, nil
}

// remoteFiles are the files the demo serves as each remote's entry, relative
// to the repository root: the registry computes their sha384 integrity, so
// the runtime refuses an entry whose bytes changed after the registry was
// built (the recommendations remote has no file: it is down).
var remoteFiles = map[string]string{
	"cart":     "dist/demo-remote/cart.js",
	"products": "dist/demo-remote/products.js",
	"badge":    "demo-remote/badge.js",
	"promo":    "demo-remote/promo.js",
}

// remoteVersion is the deployed version the demo's registry names for each
// remote (the demo deploys them together).
const remoteVersion = "1.0.0"

// registryOf turns a host config into a registry listing that host and its
// remotes, with the version and entry file of those the demo serves (root is
// the repository root).
func registryOf(cfg config.Config, root string) server.RegistryFile {
	reg := server.RegistryFile{Remotes: map[string]server.RegistryRemote{}, Hosts: map[string]server.RegistryHost{}}
	host := server.RegistryHost{Config: cfg}
	host.Config.Remotes = nil
	for _, r := range cfg.Remotes {
		entry := server.RegistryRemote{Entry: r.Entry, Type: r.Type, Alias: r.Alias, EntryGlobalName: r.EntryGlobalName, ShareScope: r.ShareScope}
		if file, ok := remoteFiles[r.Name]; ok {
			entry.Version, entry.File = remoteVersion, filepath.Join(root, file)
		}
		reg.Remotes[r.Name] = entry
		host.Remotes = append(host.Remotes, r.Name)
	}
	reg.Hosts[cfg.Name] = host
	return reg
}

// removeRegistry deletes the directory newRegistry made.
func (d *Demo) removeRegistry() error {
	if d.registry == "" {
		return nil
	}
	return os.RemoveAll(filepath.Dir(d.registry))
}
