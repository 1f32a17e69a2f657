// Package config is the federation config: the JSON file the loader reads and
// the object fedwasm.init takes (DESIGN §3). Parse validates it and names the
// offending field in every error.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"sort"

	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/semver"
)

// Config is one host's federation configuration.
type Config struct {
	Name          string                  `json:"name"`
	Bootstrap     string                  `json:"bootstrap,omitempty"`
	ShareStrategy string                  `json:"shareStrategy,omitempty"`
	Shared        map[string]ShareEntries `json:"shared,omitempty"`
	Remotes       []Remote                `json:"remotes,omitempty"`
	Retry         *Retry                  `json:"retry,omitempty"` // nil: the defaults
	Security      Security                `json:"security,omitempty"`
}

// Retry says how remote entries and manifests are fetched again after a failure.
type Retry struct {
	Times     int      `json:"times"`               // retries after the first attempt (default 2 when there is no retry block)
	DelayMs   int      `json:"delayMs,omitempty"`   // the first retry's delay, doubled for each next one; 0: 300
	TimeoutMs int      `json:"timeoutMs,omitempty"` // one attempt's limit; 0: 8000
	Domains   []string `json:"domains,omitempty"`   // origins to fail over to, e.g. "https://cdn2.example.com"
}

// Security holds the page's security settings.
type Security struct {
	// AllowedOrigins, when set, are the only origins remotes may load from.
	AllowedOrigins []string `json:"allowedOrigins,omitempty"`
	// RequireIntegrity makes a remote without an integrity hash an error.
	RequireIntegrity bool `json:"requireIntegrity,omitempty"`
	// Nonce is the CSP nonce put on every script element the runtime adds
	// (the import map); loader.js passes its own script's nonce when this is empty.
	Nonce string `json:"nonce,omitempty"`
}

// ShareEntries is the list of providers one package has; JSON accepts a single
// object or an array of them.
type ShareEntries []ShareArgs

// ShareArgs describes one provided version of a shared package.
type ShareArgs struct {
	Version     string      `json:"version"`
	Import      string      `json:"import,omitempty"`
	Scope       string      `json:"scope,omitempty"`
	From        string      `json:"from,omitempty"`
	ShareConfig ShareConfig `json:"shareConfig"`
}

// ShareConfig holds the consumer-side rules a provider declares for itself.
type ShareConfig struct {
	Singleton       bool            `json:"singleton,omitempty"`
	RequiredVersion RequiredVersion `json:"requiredVersion"`
	StrictVersion   bool            `json:"strictVersion,omitempty"`
	Eager           bool            `json:"eager,omitempty"`
}

// RequiredVersion is an npm range, or false ("any version will do").
type RequiredVersion struct {
	Range    string
	Disabled bool
}

// Remote is one remote the host may load.
type Remote struct {
	Name            string `json:"name"`
	Entry           string `json:"entry"`
	Type            string `json:"type,omitempty"`
	Alias           string `json:"alias,omitempty"`
	Integrity       string `json:"integrity,omitempty"`
	ShareScope      string `json:"shareScope,omitempty"`
	EntryGlobalName string `json:"entryGlobalName,omitempty"`
}

// DefaultScope is the share scope used when none is named.
const DefaultScope = "default"

// Strategies a config may name.
const (
	VersionFirst = "version-first"
	LoadedFirst  = "loaded-first"
)

// RemoteTypes lists the accepted Remote.Type values.
var RemoteTypes = []string{"var", "module", "esm", "manifest"}

// Validate checks every field and fills defaults. The first problem found is returned.
func (c *Config) Validate() error {
	if c.Name == "" {
		return invalid("name", "is required: the host's name, used as 'from' for what it provides")
	}
	switch c.ShareStrategy {
	case "":
		c.ShareStrategy = VersionFirst
	case VersionFirst, LoadedFirst:
	default:
		return invalid("shareStrategy", "is %q; use %q or %q", c.ShareStrategy, VersionFirst, LoadedFirst)
	}
	for _, pkg := range sortedKeys(c.Shared) {
		if pkg == "" {
			return invalid("shared", "has an empty package name")
		}
		for i := range c.Shared[pkg] {
			if err := c.Shared[pkg][i].Validate(fmt.Sprintf("shared.%s[%d]", pkg, i), c.Name); err != nil {
				return err
			}
		}
	}
	if c.Retry != nil {
		if err := c.Retry.validate(); err != nil {
			return err
		}
	}
	for i, o := range c.Security.AllowedOrigins {
		if err := validOrigin(o); err != nil {
			return invalid(fmt.Sprintf("security.allowedOrigins[%d]", i), "%q %v", o, err)
		}
	}
	seen := map[string]bool{}
	for i := range c.Remotes {
		r := &c.Remotes[i]
		field := fmt.Sprintf("remotes[%d]", i)
		if err := r.Validate(field); err != nil {
			return err
		}
		if seen[r.Name] {
			return invalid(field+".name", "%q is listed twice; remote names must be unique", r.Name)
		}
		seen[r.Name] = true
	}
	return nil
}

// Validate checks one share entry and fills its defaults (scope, from).
// field names the entry in errors; host is the default 'from'.
func (s *ShareArgs) Validate(field, host string) error {
	if s.Version == "" {
		return invalid(field+".version", "is required: the exact version this entry provides, e.g. \"19.1.0\"")
	}
	if _, err := semver.ParseVersion(s.Version); err != nil {
		return invalid(field+".version", "%q is not a version: %v", s.Version, err)
	}
	if !s.ShareConfig.RequiredVersion.Disabled && s.ShareConfig.RequiredVersion.Range != "" {
		if _, err := semver.ParseRange(s.ShareConfig.RequiredVersion.Range); err != nil {
			return invalid(field+".shareConfig.requiredVersion", "%q is not an npm range: %v", s.ShareConfig.RequiredVersion.Range, err)
		}
	}
	if s.Scope == "" {
		s.Scope = DefaultScope
	}
	if s.From == "" {
		s.From = host
	}
	return nil
}

// Validate checks one remote and fills its defaults (type, shareScope, entryGlobalName).
func (r *Remote) Validate(field string) error {
	if r.Name == "" {
		return invalid(field+".name", "is required")
	}
	if r.Entry == "" {
		return invalid(field+".entry", "is required: the URL of the remote's entry (remoteEntry.js, mf-manifest.json or an ES module)")
	}
	if r.Type == "" {
		r.Type = "var"
		if bytes.HasSuffix([]byte(r.Entry), []byte(".json")) {
			r.Type = "manifest"
		}
	}
	known := false
	for _, t := range RemoteTypes {
		known = known || t == r.Type
	}
	if !known {
		return invalid(field+".type", "%q is not a remote type; use one of %v", r.Type, RemoteTypes)
	}
	if r.ShareScope == "" {
		r.ShareScope = DefaultScope
	}
	if r.EntryGlobalName == "" {
		r.EntryGlobalName = r.Name
	}
	return nil
}

// Defaults of Retry.
const (
	DefaultRetryTimes     = 2
	DefaultRetryDelayMs   = 300
	DefaultRetryTimeoutMs = 8000
)

// validate checks the retry block without changing it (defaults apply in RetryPolicy).
func (r *Retry) validate() error {
	switch {
	case r.Times < 0 || r.Times > 10:
		return invalid("retry.times", "is %d; use 0 to 10", r.Times)
	case r.DelayMs < 0 || r.DelayMs > 60000:
		return invalid("retry.delayMs", "is %d; use 0 to 60000", r.DelayMs)
	case r.TimeoutMs < 0 || r.TimeoutMs > 120000:
		return invalid("retry.timeoutMs", "is %d; use 0 (the default, %d) to 120000", r.TimeoutMs, DefaultRetryTimeoutMs)
	}
	for i, d := range r.Domains {
		if err := validOrigin(d); err != nil {
			return invalid(fmt.Sprintf("retry.domains[%d]", i), "%q %v", d, err)
		}
	}
	return nil
}

// RetryPolicy is the retry block with its defaults applied.
func (c *Config) RetryPolicy() Retry {
	if c == nil || c.Retry == nil {
		return Retry{Times: DefaultRetryTimes, DelayMs: DefaultRetryDelayMs, TimeoutMs: DefaultRetryTimeoutMs}
	}
	r := *c.Retry
	if r.DelayMs == 0 {
		r.DelayMs = DefaultRetryDelayMs
	}
	if r.TimeoutMs == 0 {
		r.TimeoutMs = DefaultRetryTimeoutMs
	}
	return r
}

// validOrigin checks "scheme://host[:port]" with nothing after it.
func validOrigin(o string) error {
	u, err := url.Parse(o)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
		return errors.New("is not an origin such as \"https://cdn.example.com\"")
	}
	return nil
}

func invalid(field, format string, args ...any) error {
	return errcode.New(errcode.ConfigInvalid, map[string]any{"field": field},
		"federation config field %s %s", field, fmt.Sprintf(format, args...))
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
