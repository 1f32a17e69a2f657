package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"maps"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/integrity/sha"
	"github.com/fedwasm/fedwasm/federation/snapshot"
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
	Alias           string `json:"alias,omitempty"`
	Version         string `json:"version,omitempty"`
	EntryGlobalName string `json:"entryGlobalName,omitempty"`
	ShareScope      string `json:"shareScope,omitempty"`
	// File is the entry's bytes on disk (relative to the registry file); its
	// sha384 becomes the remote's integrity.
	File string `json:"file,omitempty"`
	// Integrity is the entry's SRI metadata ("sha384-…") where its bytes are
	// not beside the registry (the Cloudflare worker's registry, whose entry
	// files are in Static Assets); a remote gives File or Integrity, not
	// both. With neither, no integrity is sent.
	Integrity string `json:"integrity,omitempty"`
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
	hosts, err := parseRegistry(data, filesIn(dir))
	if err != nil {
		return nil, err
	}
	configs := make(map[string]config.Config, len(hosts))
	for name, h := range hosts {
		configs[name] = h.Config
	}
	return configs, nil
}

// registryHost is a host's config as the registry serves it.
type registryHost struct {
	config.Config
	// Remotes shadows Config.Remotes in JSON so each remote carries its version.
	Remotes []registryEntry `json:"remotes,omitempty"`
	// Snapshot is the host's share scope resolved by the server
	// (federation/snapshot); absent where it could not be computed.
	Snapshot *snapshot.Snapshot `json:"snapshot,omitempty"`
}

// registryEntry is a remote in a served config: the runtime's fields and the
// deployed version (which config.Remote does not carry).
type registryEntry struct {
	config.Remote
	Version string `json:"version,omitempty"`
}

// parseRegistry is ParseRegistry with files read through read. A registry
// serves at least one host, and every URL it hands a page to run code from
// (entries, bootstraps, shared imports) is http(s) or a path.
func parseRegistry(data []byte, read func(file string) ([]byte, error)) (map[string]registryHost, error) {
	// RegistryFile's shape, with pointers so that a null host or remote is seen.
	var reg struct {
		Remotes map[string]*RegistryRemote `json:"remotes"`
		Hosts   map[string]*RegistryHost   `json:"hosts"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&reg); err != nil {
		return nil, registryInvalid("", "is not a registry of the expected shape: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, registryInvalid("", "has more after its object; a registry file is one JSON object")
	}
	remotes := map[string]registryEntry{}
	for _, name := range slices.Sorted(maps.Keys(reg.Remotes)) {
		r := reg.Remotes[name]
		field := "remotes." + name
		if r == nil {
			return nil, registryInvalid(field, "is null; give the remote's entry, or remove it")
		}
		if r.File != "" && r.Integrity != "" {
			return nil, registryInvalid(field, "gives both file and integrity; give file (the integrity is computed from it) or, where the file is not at hand, integrity")
		}
		remote := config.Remote{Name: name, Entry: r.Entry, Type: r.Type, Alias: r.Alias, EntryGlobalName: r.EntryGlobalName, ShareScope: r.ShareScope,
			Integrity: r.Integrity}
		if err := remote.Validate(field); err != nil {
			return nil, err
		}
		if err := checkCodeURL(field+".entry", remote.Entry); err != nil {
			return nil, err
		}
		if r.File != "" {
			body, err := read(r.File)
			if err != nil {
				return nil, registryInvalid(field+".file", "cannot be read: %v", err)
			}
			remote.Integrity = sha.Of(body)
		}
		remotes[name] = registryEntry{Remote: remote, Version: r.Version}
	}
	if len(reg.Hosts) == 0 {
		return nil, registryInvalid("hosts", `lists no host (the file is null, {} or has "hosts": {}); a registry serves the config of at least one host`)
	}
	hosts := map[string]registryHost{}
	for _, name := range slices.Sorted(maps.Keys(reg.Hosts)) {
		h := reg.Hosts[name]
		if h == nil {
			return nil, registryInvalid("hosts."+name, "is null; give the host's config and remotes, or remove it")
		}
		cfg := h.Config
		if cfg.Name == "" {
			cfg.Name = name
		}
		if err := checkHostURLs("hosts."+name+".config", cfg); err != nil {
			return nil, err
		}
		if len(cfg.Remotes) > 0 {
			return nil, registryInvalid("hosts."+name+".config.remotes", "must be empty: list the host's remotes by name in hosts.%s.remotes", name)
		}
		var entries []registryEntry
		for i, rn := range h.Remotes {
			r, ok := remotes[rn]
			if !ok {
				return nil, registryInvalid(fmt.Sprintf("hosts.%s.remotes[%d]", name, i), "names remote %q, which the registry does not list", rn)
			}
			cfg.Remotes = append(cfg.Remotes, r.Remote)
			entries = append(entries, r)
		}
		if err := cfg.Validate(); err != nil {
			coded := errcode.As(err, errcode.ConfigInvalid)
			if field, _ := coded.Details["field"].(string); field != "" {
				coded.Details["field"] = "hosts." + name + ".config." + field
			}
			return nil, coded
		}
		for i := range entries {
			entries[i].Remote = cfg.Remotes[i]
		}
		hosts[name] = registryHost{Config: cfg, Remotes: entries}
	}
	return hosts, nil
}

// checkHostURLs checks the URLs of cfg that a page runs as code: its bootstrap
// and its shared modules' imports (field names cfg in errors).
func checkHostURLs(field string, cfg config.Config) error {
	if cfg.Bootstrap != "" {
		if err := checkCodeURL(field+".bootstrap", cfg.Bootstrap); err != nil {
			return err
		}
	}
	for _, pkg := range slices.Sorted(maps.Keys(cfg.Shared)) {
		for i, share := range cfg.Shared[pkg] {
			if share.Import == "" {
				continue
			}
			if err := checkCodeURL(fmt.Sprintf("%s.shared.%s[%d].import", field, pkg, i), share.Import); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkCodeURL refuses a URL the registry would hand a page to run code from
// unless it is an absolute http(s) URL or a reference without a scheme (a
// path, resolved against the http(s) origin that serves it). Whitespace,
// control characters and backslashes are refused too: browsers drop the
// first two while parsing ("java\tscript:" is javascript:) and read "\" as
// "/" ("/\evil.example/x.js" is another origin).
func checkCodeURL(field, u string) error {
	for i := 0; i < len(u); i++ {
		if u[i] <= ' ' || u[i] == 0x7f || u[i] == '\\' {
			return registryInvalid(field, "%q holds %q at byte %d; browsers drop or rewrite it while parsing the URL, so it is refused", u, u[i], i)
		}
	}
	scheme, rest, ok := urlScheme(u)
	if !ok {
		return nil
	}
	switch strings.ToLower(scheme) {
	case "http", "https":
		if host, found := strings.CutPrefix(rest, "//"); found && host != "" && !strings.ContainsAny(host[:1], "/?#") {
			return nil
		}
		return registryInvalid(field, "%q is not an absolute URL with a host; write %s://<host>/<path>, or a path on the registry's origin", u, strings.ToLower(scheme))
	}
	return registryInvalid(field, "%q has scheme %q; code is loaded only from http(s) URLs or paths, never from javascript:, data:, blob: or other schemes", u, scheme+":")
}

// urlScheme splits a URL's scheme off as a browser reads it (RFC 3986: a
// letter, then letters, digits, "+", "-" or ".", then ":"); ok is false for
// a reference without one.
func urlScheme(u string) (scheme, rest string, ok bool) {
	for i := 0; i < len(u); i++ {
		c := u[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return u[:i], u[i+1:], true
		default:
			return "", "", false
		}
	}
	return "", "", false
}

func registryInvalid(field, format string, args ...any) error {
	where := "the registry"
	if field != "" {
		where += " field " + field
	}
	return errcode.New(errcode.ConfigInvalid, map[string]any{"field": field}, where+" "+fmt.Sprintf(format, args...))
}

// Registry serves GET /federation.json?host=<name> from a registry file. The
// file is read again when it changes (checked at most once per second), so a
// deploy that edits it reaches the next page load without a restart. An edit
// that is refused (it does not parse, lists no host, names a non-http(s)
// entry, ...) keeps the last good registry in use: it is logged once and
// reported by Refused (and so by /healthz) until the file changes again.
type Registry struct {
	source registrySource
	policy Policy
	log    *slog.Logger

	mu         sync.Mutex
	hosts      map[string]registryHost
	modTime    time.Time
	checked    time.Time
	checkEvery time.Duration    // how often the file is looked at: a second (tests shorten it)
	refused    *RegistryRefusal // nil while the file in use is the newest
	snapshots  *snapshots       // the hosts' snapshots, forgotten when the file changes
}

// RegistryRefusal is an edit of the registry file that was refused.
type RegistryRefusal struct {
	Err     *errcode.Error // why, with code CONFIG_INVALID and details.field where one is to blame
	ModTime time.Time      // the refused file's modification time (zero when it could not be read)
	At      time.Time      // when it was refused
}

// registrySource reads the registry file and the remote files it names.
type registrySource struct {
	where string                            // for messages
	stat  func() (time.Time, error)         // the file's modification time
	read  func() ([]byte, error)            // the file
	file  func(name string) ([]byte, error) // a remote's file, relative to the registry
}

// NewRegistry reads the registry at path; it must parse at start.
func NewRegistry(path string, policy Policy, log *slog.Logger) (*Registry, error) {
	return newRegistry(registrySource{
		where: path,
		stat: func() (time.Time, error) {
			info, err := os.Stat(path)
			if err != nil {
				return time.Time{}, err
			}
			return info.ModTime(), nil
		},
		read: func() ([]byte, error) { return os.ReadFile(path) },
		file: filesIn(filepath.Dir(path)),
	}, policy, log)
}

// filesIn reads files named relative to dir (or absolute).
func filesIn(dir string) func(string) ([]byte, error) {
	return func(name string) ([]byte, error) {
		if !filepath.IsAbs(name) {
			name = filepath.Join(dir, name)
		}
		return os.ReadFile(name)
	}
}

// NewRegistryFS reads the registry name in fsys (remote files are found
// beside it in fsys); it must parse at start. Edits are followed as with
// NewRegistry where fsys reports modification times (os.DirFS does; an
// embed.FS never changes).
func NewRegistryFS(fsys fs.FS, name string, policy Policy, log *slog.Logger) (*Registry, error) {
	dir := path.Dir(name)
	return newRegistry(registrySource{
		where: name,
		stat: func() (time.Time, error) {
			info, err := fs.Stat(fsys, name)
			if err != nil {
				return time.Time{}, err
			}
			return info.ModTime(), nil
		},
		read: func() ([]byte, error) { return fs.ReadFile(fsys, name) },
		file: func(file string) ([]byte, error) {
			full := path.Join(dir, file)
			if path.IsAbs(file) || !fs.ValidPath(full) {
				return nil, fmt.Errorf("%q is outside the registry's directory; give a path relative to it", file)
			}
			return fs.ReadFile(fsys, full)
		},
	}, policy, log)
}

func newRegistry(src registrySource, policy Policy, log *slog.Logger) (*Registry, error) {
	if log == nil {
		log = slog.Default()
	}
	r := &Registry{source: src, policy: policy, log: log, checkEvery: time.Second, snapshots: newSnapshots(nil)}
	modTime, err := r.source.stat()
	if err != nil {
		return nil, fmt.Errorf("registry %s: %w", r.source.where, err)
	}
	if err := r.load(modTime); err != nil {
		return nil, err
	}
	return r, nil
}

// load reads and parses the file and puts it in use.
func (r *Registry) load(modTime time.Time) error {
	data, err := r.source.read()
	if err != nil {
		return fmt.Errorf("registry %s: %w", r.source.where, err)
	}
	hosts, err := parseRegistry(data, r.source.file)
	if err != nil {
		return err
	}
	// The served config has only the keys fedwasm reads, so the page never
	// sees these: the log is where they are told.
	for _, name := range slices.Sorted(maps.Keys(hosts)) {
		for _, w := range hosts[name].Warnings {
			r.log.Warn("registry host config has a key that has no effect", "path", r.source.where, "host", name,
				"code", w.Code, "field", w.Details["field"], "err", w.Text())
		}
	}
	r.hosts, r.modTime = hosts, modTime
	if r.snapshots != nil {
		r.snapshots.forget()
	}
	return nil
}

// refresh re-reads the file if it changed, at most once per second; r.mu is held.
func (r *Registry) refresh() {
	if time.Since(r.checked) < r.checkEvery {
		return
	}
	r.checked = time.Now()
	modTime, err := r.source.stat()
	switch {
	case err != nil:
		err = fmt.Errorf("registry %s cannot be read: %w", r.source.where, err)
	case modTime.Equal(r.modTime):
		r.refused = nil // the file in use is the newest again
		return
	case r.refused != nil && modTime.Equal(r.refused.ModTime):
		return // this edit was refused already
	default:
		err = r.load(modTime)
	}
	if err == nil {
		r.refused = nil
		return
	}
	coded := errcode.As(err, errcode.ConfigInvalid)
	if r.refused == nil || !r.refused.ModTime.Equal(modTime) || r.refused.Err.Message != coded.Message {
		r.log.Error("registry reload failed; serving the last good registry", "path", r.source.where,
			"code", coded.Code, "field", coded.Details["field"], "err", coded.Text())
	}
	r.refused = &RegistryRefusal{Err: coded, ModTime: modTime, At: r.checked}
}

// Refused reports the last edit of the registry file that was refused, nil
// when the registry in use is the file's newest version.
func (r *Registry) Refused() *RegistryRefusal {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.refresh()
	return r.refused
}

// Host returns the current config of host name.
func (r *Registry) Host(name string) (config.Config, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.refresh()
	h, ok := r.hosts[name]
	return h.Config, ok
}

func (r *Registry) host(name string) (registryHost, time.Time, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.refresh()
	h, ok := r.hosts[name]
	return h, r.modTime, ok
}

// atOrigin is h with its entries that are paths ("/remotes/cart.js")
// resolved against origin, so a registry served next to its remotes needs no
// origin written in it; resolved reports whether any entry was.
func (h registryHost) atOrigin(origin string) (_ registryHost, resolved bool) {
	h.Remotes = slices.Clone(h.Remotes)
	for i, rem := range h.Remotes {
		if strings.HasPrefix(rem.Entry, "/") && !strings.HasPrefix(rem.Entry, "//") {
			h.Remotes[i].Entry = origin + rem.Entry
			resolved = true
		}
	}
	return h, resolved
}

// document encodes h at origin (atOrigin) with its snapshot, computed from
// that config, the text the page receives, at the same origin.
func (r *Registry) document(ctx context.Context, h registryHost, origin string) (body []byte, resolved bool, err error) {
	h, resolved = h.atOrigin(origin)
	body, err = json.MarshalIndent(h, "", "  ")
	if err != nil {
		return nil, resolved, err
	}
	s, err := r.snapshots.of(ctx, body, origin)
	if err != nil {
		// Not reached for a registry that parsed (its configs validate):
		// the page takes the static path, and init says why.
		r.log.Warn("no snapshot for host", "host", h.Name, "err", err)
		return body, resolved, nil
	}
	h.Snapshot = &s
	body, err = json.MarshalIndent(h, "", "  ")
	return body, resolved, err
}

// Snapshot returns the snapshot of host name (see federation/snapshot) at
// origin, the one /federation.json?host= serves there.
func (r *Registry) Snapshot(ctx context.Context, name, origin string) (snapshot.Snapshot, bool) {
	h, _, ok := r.host(name)
	if !ok {
		return snapshot.Snapshot{}, false
	}
	h, _ = h.atOrigin(origin)
	body, err := json.MarshalIndent(h, "", "  ")
	if err != nil {
		return snapshot.Snapshot{}, false
	}
	s, err := r.snapshots.of(ctx, body, origin)
	return s, err == nil
}

// requestOrigin is the scheme and host the request names (its Host header):
// anyone can send any, so it is used only where no public origin is set.
func requestOrigin(req *http.Request) string {
	scheme := "http"
	if req.TLS != nil || req.URL.Scheme == "https" {
		scheme = "https"
	}
	host := req.Host
	if host == "" {
		host = req.URL.Host
	}
	return scheme + "://" + host
}

// ServeHTTP answers /federation.json?host=<name> as ServedAt("") does.
func (r *Registry) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.ServedAt("").ServeHTTP(w, req)
}

// ServedAt answers /federation.json?host=<name> with that host's config
// (no-cache, with an ETag, so a page revalidates and gets 304 until a deploy
// changes the host's config), its path entries resolved against
// publicOrigin ("https://shop.example", see Site.PublicOrigin). With ""
// they are resolved against the origin each request names, and a response
// that depends on it says Vary: Host, so a cache does not hand one client's
// forged Host to everyone. A request without host= is an error.
func (r *Registry) ServedAt(publicOrigin string) http.Handler {
	return r.policy.wrap(func(w http.ResponseWriter, req *http.Request) {
		name := req.URL.Query().Get("host")
		if name == "" {
			writeError(w, http.StatusBadRequest, errcode.New(errcode.InvalidArgument, map[string]any{"param": "host"},
				"the request names no host; ask for /federation.json?host=<name> with the name of a host the registry lists"))
			return
		}
		host, modTime, ok := r.host(name)
		if !ok {
			writeError(w, http.StatusNotFound, errcode.New(errcode.ConfigInvalid, map[string]any{"host": name},
				fmt.Sprintf("the registry has no host %q; ask for /federation.json?host=<name> with a host it lists", name)))
			return
		}
		origin := publicOrigin
		if origin == "" {
			origin = requestOrigin(req)
		}
		body, resolved, err := r.document(req.Context(), host, origin)
		if err != nil {
			writeError(w, http.StatusInternalServerError, errcode.New(errcode.ConfigInvalid, map[string]any{"host": name},
				fmt.Sprintf("the registry's host %q cannot be encoded as JSON: %v", name, err)))
			return
		}
		sum := sha256.Sum256(body)
		h := w.Header()
		if resolved && publicOrigin == "" {
			h.Add("Vary", "Host")
		}
		h.Set("Content-Type", "application/json")
		h.Set("Cache-Control", "no-cache")
		h.Set("ETag", `"`+hex.EncodeToString(sum[:12])+`"`)
		http.ServeContent(w, req, "", modTime, bytes.NewReader(body))
	})
}

// writeError answers with a coded error as JSON.
func writeError(w http.ResponseWriter, status int, err *errcode.Error) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(err)
}
