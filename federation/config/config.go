// Package config is the federation config: the JSON file the loader reads and
// the object fedwasm.init takes (DESIGN §3). Parse validates it and names the
// offending field in every error.
package config

import (
	"errors"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/fedwasm/fedwasm/federation/broker"
	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/integrity"
	"github.com/fedwasm/fedwasm/federation/jsonv"
	"github.com/fedwasm/fedwasm/federation/limits"
	"github.com/fedwasm/fedwasm/federation/semver"
)

// Config is one host's federation configuration.
type Config struct {
	Name          string                  `json:"name"`
	Bootstrap     string                  `json:"bootstrap,omitempty"`
	ShareStrategy string                  `json:"shareStrategy,omitempty"`
	Shared        map[string]ShareEntries `json:"shared,omitempty"`
	Remotes       RemoteList              `json:"remotes,omitempty"`
	Retry         *Retry                  `json:"retry,omitempty"` // nil: the defaults
	Security      Security                `json:"security,omitempty"`
	Ownership     Ownership               `json:"ownership,omitempty"`

	// Warnings are what Decode noticed and accepted: a CONFIG_UNKNOWN_KEY
	// for each key it does not read. They are not part of the config's JSON.
	Warnings []*errcode.Error `json:"-"`
}

// Ownership declares what only one owner may do: provide a store, emit an
// event type. An owner is the host (its name; the host's code acts through
// the page's top-level fedwasm), a remote (its name; its code acts through
// the scope fedwasm.mount hands it), or any other name, held by the one
// fedwasm.scope(name) that claimed it.
type Ownership struct {
	Stores map[string]string `json:"stores,omitempty"` // store name → its owner
	Events map[string]string `json:"events,omitempty"` // event type → the owner that alone emits it
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
	// Plugins names the remotes whose loads fedwasm.use plugins may change
	// (beforeRequest, afterResolve, onLoad); "*" is every remote. Empty: none.
	// errorLoadRemote runs for every failed load.
	Plugins []string `json:"plugins,omitempty"`
}

// AllowsPlugins reports whether plugins may change how remote name is loaded.
func (s Security) AllowsPlugins(name string) bool {
	return slices.Contains(s.Plugins, "*") || slices.Contains(s.Plugins, name)
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

// RemoteList is the config's remotes in the order they are tried for a
// request id. JSON accepts an array of remote objects, or webpack's and MF
// 2.0's object form { "cart": "cart@http://…/remoteEntry.js" }, read in the
// order of its sorted names.
type RemoteList []Remote

// Remote is one remote the host may load.
type Remote struct {
	Name  string `json:"name"`
	Entry string `json:"entry"`
	// Type is one of RemoteTypes; Validate leaves it "" when neither the
	// config nor the entry URL's path says, and the loader decides by the
	// entry's Content-Type (TypeForContentType).
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

// TypeGlobal is Module Federation 2.0's name (its default) for a classic
// script that sets its container as a global: Validate makes it "var".
const TypeGlobal = "global"

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
		return invalid("shareStrategy", "is "+strconv.Quote(c.ShareStrategy)+"; use "+strconv.Quote(VersionFirst)+" or "+strconv.Quote(LoadedFirst))
	}
	if err := c.checkLimits(); err != nil {
		return err
	}
	for _, pkg := range slices.Sorted(maps.Keys(c.Shared)) {
		if pkg == "" {
			return invalid("shared", "has an empty package name")
		}
		for i := range c.Shared[pkg] {
			if err := c.Shared[pkg][i].Validate("shared."+pkg+"["+strconv.Itoa(i)+"]", c.Name); err != nil {
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
		canonical, err := canonicalOrigin(o)
		if err != nil {
			return invalid("security.allowedOrigins["+strconv.Itoa(i)+"]", strconv.Quote(o)+" "+err.Error())
		}
		c.Security.AllowedOrigins[i] = canonical
	}
	for i, name := range c.Security.Plugins {
		if name == "" {
			return invalid("security.plugins["+strconv.Itoa(i)+"]", "is empty; name a remote, or \"*\" for every remote")
		}
	}
	if err := c.Ownership.validate(); err != nil {
		return err
	}
	seen := map[string]bool{}
	for i := range c.Remotes {
		r := &c.Remotes[i]
		field := "remotes[" + strconv.Itoa(i) + "]"
		if err := r.Validate(field); err != nil {
			return err
		}
		if seen[r.Name] {
			return invalid(field+".name", strconv.Quote(r.Name)+" is listed twice; remote names must be unique")
		}
		seen[r.Name] = true
	}
	return nil
}

// checkLimits refuses a config whose lists are longer than the runtime
// takes (see package limits), before anything loops over them.
func (c *Config) checkLimits() error {
	entries := 0
	for _, list := range c.Shared {
		entries += max(len(list), 1) // a package with no entry still counts
	}
	var domains int
	if c.Retry != nil {
		domains = len(c.Retry.Domains)
	}
	for _, l := range []struct {
		field      string
		got, limit int
		what       string
	}{
		{"shared", entries, limits.SharedEntries, "shared entries"},
		{"remotes", len(c.Remotes), limits.Remotes, "remotes"},
		{"security.allowedOrigins", len(c.Security.AllowedOrigins), limits.Origins, "origins"},
		{"retry.domains", domains, limits.Origins, "origins"},
		{"security.plugins", len(c.Security.Plugins), limits.Remotes, "remotes"},
		{"ownership.stores", len(c.Ownership.Stores), limits.Owned, "stores"},
		{"ownership.events", len(c.Ownership.Events), limits.Owned, "event types"},
	} {
		if l.got > l.limit {
			err := limits.Exceeded("federation config field "+l.field, l.what, l.got, l.limit, "list at most "+strconv.Itoa(l.limit)+" "+l.what)
			err.Details["field"] = l.field
			return err
		}
	}
	return nil
}

// validate checks the owners and what they own: store names, event types
// and owner names as the broker reads them.
func (o Ownership) validate() error {
	for _, name := range slices.Sorted(maps.Keys(o.Stores)) {
		if name == "" {
			return invalid("ownership.stores", "has an empty store name")
		}
		if err := broker.ValidateOwner(o.Stores[name]); err != nil {
			return invalid(jsonv.Key("ownership.stores", name), errcode.As(err, "").Message)
		}
	}
	for _, typ := range slices.Sorted(maps.Keys(o.Events)) {
		if err := broker.ValidateEventType(typ); err != nil {
			return invalid("ownership.events", errcode.As(err, "").Message)
		}
		if err := broker.ValidateOwner(o.Events[typ]); err != nil {
			return invalid(jsonv.Key("ownership.events", typ), errcode.As(err, "").Message)
		}
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
		return invalid(field+".version", strconv.Quote(s.Version)+" is not a version: "+err.Error())
	}
	if !s.ShareConfig.RequiredVersion.Disabled && s.ShareConfig.RequiredVersion.Range != "" {
		if _, err := semver.ParseRange(s.ShareConfig.RequiredVersion.Range); err != nil {
			return invalid(field+".shareConfig.requiredVersion", strconv.Quote(s.ShareConfig.RequiredVersion.Range)+" is not an npm range: "+err.Error())
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
	if global, url, ok, problem := splitGlobalEntry(r.Entry); problem != "" {
		return invalid(field+".entry", strconv.Quote(r.Entry)+" of remote "+strconv.Quote(r.Name)+" "+problem)
	} else if ok {
		if r.EntryGlobalName != "" && r.EntryGlobalName != global {
			return invalid(field+".entryGlobalName", strconv.Quote(r.EntryGlobalName)+" contradicts the global "+strconv.Quote(global)+" that entry "+strconv.Quote(r.Entry)+" names; give the global name once")
		}
		r.Entry, r.EntryGlobalName = url, global
	}
	switch r.Type {
	case "":
		r.Type = typeOfPath(r.Entry) // "" when the path does not say: the loader asks the response
	case TypeGlobal:
		r.Type = "var" // MF 2.0's name for it
	}
	if r.Type != "" && !slices.Contains(RemoteTypes, r.Type) {
		return invalid(field+".type", strconv.Quote(r.Type)+" is not a remote type; use one of ["+strings.Join(RemoteTypes, " ")+"] (or MF 2.0's \"global\", which is \"var\")")
	}
	if r.ShareScope == "" {
		r.ShareScope = DefaultScope
	}
	if r.EntryGlobalName == "" {
		r.EntryGlobalName = r.Name
	}
	if r.Integrity != "" {
		if _, _, err := integrity.Parse(r.Integrity); err != nil {
			return invalid(field+".integrity", "is not Subresource Integrity metadata: "+err.Error()+`; use "sha384-<base64 digest>" (the registry computes it)`)
		}
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
		return invalid("retry.times", "is "+strconv.Itoa(r.Times)+"; use 0 to 10")
	case r.DelayMs < 0 || r.DelayMs > 60000:
		return invalid("retry.delayMs", "is "+strconv.Itoa(r.DelayMs)+"; use 0 to 60000")
	case r.TimeoutMs < 0 || r.TimeoutMs > 120000:
		return invalid("retry.timeoutMs", "is "+strconv.Itoa(r.TimeoutMs)+"; use 0 (the default, "+strconv.Itoa(DefaultRetryTimeoutMs)+") to 120000")
	}
	for i, d := range r.Domains {
		canonical, err := canonicalOrigin(d)
		if err != nil {
			return invalid("retry.domains["+strconv.Itoa(i)+"]", strconv.Quote(d)+" "+err.Error())
		}
		r.Domains[i] = canonical
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

// canonicalOrigin checks that o is an origin: http:// or https://, a host (a
// name, an IPv4 address or a bracketed IPv6 address), an optional port, and
// at most a "/" after it. It returns it as browsers write an origin (URL's
// origin): scheme and host in lower case, no default port, no "/", so
// comparing it with a page's origin is exact.
func canonicalOrigin(o string) (string, error) {
	scheme, rest, ok := "", "", false
	for _, s := range []string{"http://", "https://"} {
		if len(o) > len(s) && strings.EqualFold(o[:len(s)], s) {
			scheme, rest, ok = s, o[len(s):], true
		}
	}
	host, port := strings.TrimSuffix(rest, "/"), ""
	if strings.HasPrefix(host, "[") {
		end := strings.IndexByte(host, ']')
		if end < 2 || !onlyBytes(host[1:end], "0123456789abcdefABCDEF:.") {
			ok = false
		} else {
			host, port = host[:end+1], host[end+1:]
		}
	} else if i := strings.LastIndexByte(host, ':'); i >= 0 {
		host, port = host[:i], host[i:]
	}
	if port != "" && (port[0] != ':' || len(port) < 2 || len(port) > 6 || !onlyBytes(port[1:], "0123456789")) {
		ok = false
	}
	host = strings.ToLower(host)
	if !ok || host == "" || (host[0] != '[' && !onlyBytes(host, "abcdefghijklmnopqrstuvwxyz0123456789-._")) {
		return "", errors.New("is not an origin such as \"https://cdn.example.com\"")
	}
	if n, err := strconv.Atoi(strings.TrimPrefix(port, ":")); port != "" && (err != nil || n > 65535) {
		return "", errors.New("has port " + port[1:] + ", above 65535")
	}
	if (scheme == "http://" && port == ":80") || (scheme == "https://" && port == ":443") {
		port = ""
	}
	return scheme + host + port, nil
}

// onlyBytes reports whether every byte of s is one of allowed's.
func onlyBytes(s, allowed string) bool {
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(allowed, s[i]) < 0 {
			return false
		}
	}
	return true
}

func invalid(field, problem string) error {
	return errcode.New(errcode.ConfigInvalid, map[string]any{"field": field},
		"federation config field "+field+" "+problem)
}
