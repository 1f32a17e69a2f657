package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/integrity"
)

// RegistryFile is the registry's source: the remotes a deployment knows and
// which hosts use them. A deploy edits it (new entry URL, version, file); the
// hosts' HTML never changes, since every page load asks /federation.json.
//
//	{ "remotes": { "cart": { "entry": "https://cdn/cart.3f9a1c2b.js", "type": "esm",
//	                         "version": "1.4.2", "file": "cart/dist/cart.3f9a1c2b.js" } },
//	  "hosts":   { "shell": { "config": { "name": "shell", "bootstrap": "/app.js", ... },
//	                          "remotes": ["cart"] } } }
type RegistryFile struct {
	Remotes map[string]RegistryRemote `json:"remotes"`
	Hosts   map[string]RegistryHost   `json:"hosts"`
}

// RegistryRemote is one remote's current deployment.
type RegistryRemote struct {
	Entry           string `json:"entry"`
	Type            string `json:"type,omitempty"`
	Version         string `json:"version,omitempty"`
	EntryGlobalName string `json:"entryGlobalName,omitempty"`
	ShareScope      string `json:"shareScope,omitempty"`
	// File is the entry's bytes on disk (relative to the registry file); its
	// sha384 becomes the remote's integrity. Without it no integrity is sent.
	File string `json:"file,omitempty"`
}

// RegistryHost is one host: its config (without remotes) and the remotes it uses.
type RegistryHost struct {
	Config  config.Config `json:"config"`
	Remotes []string      `json:"remotes"`
}

// ParseRegistry decodes and checks a registry, computing each remote's
// integrity from its file (dir is where relative files are found). Errors
// carry code CONFIG_INVALID and name the field.
func ParseRegistry(data []byte, dir string) (map[string]config.Config, error) {
	var reg RegistryFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&reg); err != nil {
		return nil, registryInvalid("", "is not a registry of the expected shape: %v", err)
	}
	remotes := map[string]config.Remote{}
	for _, name := range sortedNames(reg.Remotes) {
		r := reg.Remotes[name]
		field := "remotes." + name
		remote := config.Remote{Name: name, Entry: r.Entry, Type: r.Type, EntryGlobalName: r.EntryGlobalName, ShareScope: r.ShareScope}
		if err := remote.Validate(field); err != nil {
			return nil, err
		}
		if r.File != "" {
			path := r.File
			if !filepath.IsAbs(path) {
				path = filepath.Join(dir, path)
			}
			body, err := os.ReadFile(path)
			if err != nil {
				return nil, registryInvalid(field+".file", "cannot be read: %v", err)
			}
			remote.Integrity = integrity.Of(body)
		}
		remotes[name] = remote
	}
	hosts := map[string]config.Config{}
	for _, name := range sortedNames(reg.Hosts) {
		h := reg.Hosts[name]
		cfg := h.Config
		if cfg.Name == "" {
			cfg.Name = name
		}
		if len(cfg.Remotes) > 0 {
			return nil, registryInvalid("hosts."+name+".config.remotes", "must be empty: list the host's remotes by name in hosts.%s.remotes", name)
		}
		for i, rn := range h.Remotes {
			r, ok := remotes[rn]
			if !ok {
				return nil, registryInvalid(fmt.Sprintf("hosts.%s.remotes[%d]", name, i), "names remote %q, which the registry does not list", rn)
			}
			cfg.Remotes = append(cfg.Remotes, r)
		}
		if err := cfg.Validate(); err != nil {
			coded := errcode.As(err, errcode.ConfigInvalid)
			if field, _ := coded.Details["field"].(string); field != "" {
				coded.Details["field"] = "hosts." + name + ".config." + field
			}
			return nil, coded
		}
		hosts[name] = cfg
	}
	return hosts, nil
}

func registryInvalid(field, format string, args ...any) error {
	where := "the registry"
	if field != "" {
		where += " field " + field
	}
	return errcode.New(errcode.ConfigInvalid, map[string]any{"field": field}, "%s %s", where, fmt.Sprintf(format, args...))
}

func sortedNames[V any](m map[string]V) []string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Registry serves GET /federation.json?host=<name> from a registry file. The
// file is read again when it changes (checked at most once per second), so a
// deploy that edits it reaches the next page load without a restart; a file
// that no longer parses is reported and the last good registry kept.
type Registry struct {
	path   string
	policy Policy
	log    *slog.Logger

	mu      sync.Mutex
	hosts   map[string]config.Config
	modTime time.Time
	checked time.Time
}

// NewRegistry reads the registry at path; it must parse at start.
func NewRegistry(path string, policy Policy, log *slog.Logger) (*Registry, error) {
	if log == nil {
		log = slog.Default()
	}
	r := &Registry{path: path, policy: policy, log: log}
	if err := r.reload(true); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *Registry) reload(force bool) error {
	info, err := os.Stat(r.path)
	if err != nil {
		return fmt.Errorf("registry %s: %w", r.path, err)
	}
	if !force && info.ModTime().Equal(r.modTime) {
		return nil
	}
	data, err := os.ReadFile(r.path)
	if err != nil {
		return fmt.Errorf("registry %s: %w", r.path, err)
	}
	hosts, err := ParseRegistry(data, filepath.Dir(r.path))
	if err != nil {
		return err
	}
	r.hosts, r.modTime = hosts, info.ModTime()
	return nil
}

// Host returns the current config of host name.
func (r *Registry) Host(name string) (config.Config, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if time.Since(r.checked) >= time.Second {
		r.checked = time.Now()
		if err := r.reload(false); err != nil {
			r.log.Error("registry reload failed; serving the last good registry", "path", r.path, "err", err)
		}
	}
	cfg, ok := r.hosts[name]
	return cfg, ok
}

// ServeHTTP answers /federation.json?host=<name> with that host's config.
func (r *Registry) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.policy.wrap(func(w http.ResponseWriter, req *http.Request) {
		name := req.URL.Query().Get("host")
		cfg, ok := r.Host(name)
		if !ok {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			_ = json.NewEncoder(w).Encode(errcode.New(errcode.ConfigInvalid, map[string]any{"host": name},
				"the registry has no host %q; ask for /federation.json?host=<name> with a host it lists", name))
			return
		}
		h, err := JSON(cfg, Policy{})
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		h.ServeHTTP(w, req)
	}).ServeHTTP(w, req)
}
