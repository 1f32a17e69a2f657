package federation

import (
	"strconv"
	"sync"

	"github.com/fedwasm/fedwasm/federation/broker"
	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/jsonv"
	"github.com/fedwasm/fedwasm/federation/limits"
	"github.com/fedwasm/fedwasm/federation/plugin"
	"github.com/fedwasm/fedwasm/federation/remote"
	"github.com/fedwasm/fedwasm/federation/share"
	"github.com/fedwasm/fedwasm/federation/store"
)

// maxWarnings bounds the warnings Snapshot keeps (the most recent ones).
const maxWarnings = 100

// Runtime is one page's federation state: its config, share scopes, remotes,
// stores and the warnings raised so far. It is safe for concurrent use.
//
// It is the one door into the core for the bridge and the commands: the
// domains behind it (share scopes, remotes, stores, the broker) are reached
// through its methods, grouped by domain in shares.go, remotes.go, stores.go
// and messages.go.
type Runtime struct {
	Version string

	shares  *share.Scopes
	remotes *remote.Registry
	stores  *store.Registry[any]
	broker  *broker.Registry

	initMu       sync.Mutex // one Init or InitOptions at a time
	mu           sync.Mutex
	cfg          *config.Config
	ready        bool
	warnings     []*errcode.Error
	plugins      []plugin.Report                          // registered plugins, for Snapshot
	shareConfigs map[string]map[string]config.ShareConfig // scope\x00package → from → declared rules
}

// ConfiguredShare is a share from the config, with the ID it was registered
// under and whether it became the active entry for its version.
type ConfiguredShare struct {
	ID      share.ProviderID
	Active  bool
	Package string
	Index   int // the entry's place in the config's list for Package
	Args    config.ShareArgs
}

// New returns a runtime that has not been initialized.
func New(version string) *Runtime {
	return &Runtime{
		Version: version,
		shares:  share.NewScopes(config.VersionFirst),
		remotes: remote.NewRegistry(),
		stores:  store.NewRegistry[any](),
		broker:  broker.NewRegistry(),

		shareConfigs: map[string]map[string]config.ShareConfig{},
	}
}

// Init applies cfg: registers its shared modules and remotes, and its owners
// (broker.Registry.Declare, store.Registry.Declare). It may run once; a
// second call is refused with ALREADY_INITIALIZED. It returns the shares it
// registered and the scopes that had claimed a name the config hands out
// (the host's, a remote's): the caller releases what they registered.
func (r *Runtime) Init(cfg config.Config) ([]ConfiguredShare, []broker.LifetimeID, error) {
	r.initMu.Lock()
	defer r.initMu.Unlock()
	return r.initOnce(cfg)
}

func (r *Runtime) initOnce(cfg config.Config) ([]ConfiguredShare, []broker.LifetimeID, error) {
	shares, err := r.init(cfg)
	if err != nil {
		return nil, nil, err
	}
	remotes := make([]string, len(cfg.Remotes))
	for i, rem := range cfg.Remotes {
		remotes[i] = rem.Name
	}
	r.stores.Declare(cfg.Ownership.Stores)
	displaced := r.broker.Declare(cfg.Name, remotes, cfg.Ownership.Events)
	return shares, displaced, nil
}

func (r *Runtime) init(cfg config.Config) ([]ConfiguredShare, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.cfg != nil {
		return nil, errcode.New(errcode.AlreadyInitialized, map[string]any{"name": r.cfg.Name},
			"fedwasm is already initialized as "+strconv.Quote(r.cfg.Name)+"; init runs once per page (the loader calls it). Use registerShared or registerRemotes to add more")
	}
	// Remotes first: their registration is all or nothing and the last step
	// that can fail, so a refused config leaves the runtime uninitialized.
	if err := r.remotes.Register(cfg.Remotes, false); err != nil {
		return nil, err
	}
	r.cfg = &cfg
	r.shares.SetStrategy(cfg.ShareStrategy)
	var entries []SharedEntry
	for pkg, list := range cfg.Shared {
		for i, args := range list {
			entries = append(entries, SharedEntry{Package: pkg, Args: args, index: i})
		}
	}
	registered, err := r.registerShared(entries)
	if err != nil {
		return nil, err // not reached: Validate checked every version and the limits
	}
	shares := make([]ConfiguredShare, len(entries))
	for i, e := range entries {
		shares[i] = ConfiguredShare{ID: registered[i].ID, Active: registered[i].Active, Package: e.Package, Index: e.index, Args: e.Args}
	}
	return shares, nil
}

// Initialized is what InitOptions did.
type Initialized struct {
	// Merged: the page was initialized already and cfg was merged into its
	// config (config.Merge); else cfg initialized it, as Init does.
	Merged bool
	// Shares are the shares registered: all of cfg's for a first init, the
	// added ones for a merge (Index is the entry's place in cfg).
	Shares []ConfiguredShare
	// Displaced are the scopes a first init released (see Init).
	Displaced []broker.LifetimeID
}

// InitOptions is Module Federation 2.0's init (its initOptions): the first
// call initializes the page as Init does; each later one merges cfg into the
// page's config as config.Merge decides (the same name; new remotes and
// shared versions are added; the page's policy stays), all or nothing.
func (r *Runtime) InitOptions(cfg config.Config) (Initialized, error) {
	r.initMu.Lock()
	defer r.initMu.Unlock()
	first := r.Config()
	if first == nil {
		shares, displaced, err := r.initOnce(cfg)
		return Initialized{Shares: shares, Displaced: displaced}, err
	}
	add, err := config.Merge(*first, cfg)
	if err != nil {
		return Initialized{}, err
	}
	// Remotes first, as Init does: their registration is all or nothing.
	if err := r.RegisterRemotes(add.Remotes, false); err != nil {
		return Initialized{}, err
	}
	entries := make([]SharedEntry, len(add.Shared))
	for i, s := range add.Shared {
		entries[i] = SharedEntry{Package: s.Package, Args: s.Args, index: s.Index}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	registered, err := r.registerShared(entries)
	if err != nil {
		return Initialized{}, err
	}
	merged := first.With(add)
	r.cfg = &merged
	shares := make([]ConfiguredShare, len(entries))
	for i, e := range entries {
		shares[i] = ConfiguredShare{ID: registered[i].ID, Active: registered[i].Active, Package: e.Package, Index: e.index, Args: e.Args}
	}
	return Initialized{Merged: true, Shares: shares}, nil
}

// SharedEntry is one provider a registration declares: its package, its
// args (already validated), and whether its module is already at hand.
type SharedEntry struct {
	Package string
	Args    config.ShareArgs
	Loaded  bool
	index   int // its place in its package's list in the config (ConfiguredShare.Index)
}

// RegisterShared offers entries, all or none, and remembers the rules each
// declares for its own consumption. At most limits.SharedEntries are taken
// at once (LIMIT_EXCEEDED otherwise), and the share scopes' own limits apply
// (share.Scopes.RegisterAll). It returns, per entry, its provider ID and
// whether it became the active entry for its version (see
// share.Scopes.Register). Its cost grows with len(entries) only.
func (r *Runtime) RegisterShared(entries []SharedEntry) ([]share.Registered, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.registerShared(entries)
}

// RegisterShare offers one provider of pkg: RegisterShared of one entry.
func (r *Runtime) RegisterShare(pkg string, args config.ShareArgs, loaded bool) (share.ProviderID, bool, error) {
	registered, err := r.RegisterShared([]SharedEntry{{Package: pkg, Args: args, Loaded: loaded}})
	if err != nil {
		return 0, false, err
	}
	return registered[0].ID, registered[0].Active, nil
}

// registerShared is RegisterShared with r.mu held.
func (r *Runtime) registerShared(entries []SharedEntry) ([]share.Registered, error) {
	if err := limits.Check("registerShared", "shared entries", len(entries), limits.SharedEntries,
		"register at most "+strconv.Itoa(limits.SharedEntries)+" entries per call"); err != nil {
		return nil, err
	}
	providers := make([]share.Provider, len(entries))
	for i, e := range entries {
		providers[i] = share.Provider{Package: e.Package, Version: e.Args.Version, Scope: e.Args.Scope, From: e.Args.From,
			Eager: e.Args.ShareConfig.Eager, Loaded: e.Loaded}
	}
	registered, err := r.shares.RegisterAll(providers)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		key := e.Args.Scope + "\x00" + e.Package
		if r.shareConfigs[key] == nil {
			r.shareConfigs[key] = map[string]config.ShareConfig{}
		}
		if _, ok := r.shareConfigs[key][e.Args.From]; !ok {
			r.shareConfigs[key][e.Args.From] = e.Args.ShareConfig
		}
	}
	return registered, nil
}

// Consumer returns the consumer that from is when it asks for pkg without
// options: the rules from declared for pkg, else the host's, else none.
func (r *Runtime) Consumer(pkg, scope, from string) share.Consumer {
	if scope == "" {
		scope = config.DefaultScope
	}
	host := r.HostName()
	r.mu.Lock()
	declared := r.shareConfigs[scope+"\x00"+pkg]
	r.mu.Unlock()
	rules, ok := declared[from]
	if !ok {
		rules = declared[host]
	}
	c := share.Consumer{Package: pkg, Scope: scope, From: from, Singleton: rules.Singleton, StrictVersion: rules.StrictVersion, Eager: rules.Eager}
	if !rules.RequiredVersion.Disabled {
		c.RequiredVersion = rules.RequiredVersion.Range
	}
	return c
}

// Config returns the config Init applied, or nil.
func (r *Runtime) Config() *config.Config {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.cfg
}

// HostName is the name things are attributed to when no owner is given.
func (r *Runtime) HostName() string {
	if cfg := r.Config(); cfg != nil {
		return cfg.Name
	}
	return "host"
}

// MarkReady records that the share scope is initialized.
func (r *Runtime) MarkReady() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ready = true
}

// Warn records a warning for Snapshot, keeping the most recent ones.
func (r *Runtime) Warn(w *errcode.Error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.warnings = append(r.warnings, w)
	if len(r.warnings) > maxWarnings {
		r.warnings = r.warnings[len(r.warnings)-maxWarnings:]
	}
}

// AddPlugin records a registered plugin's report for Snapshot (at most
// limits.Plugins are registered).
func (r *Runtime) AddPlugin(rep plugin.Report) {
	r.mu.Lock()
	defer r.mu.Unlock()
	rep.Warnings = nil // reported as warnings already
	r.plugins = append(r.plugins, rep)
}

// Snapshot is the JSON-able state fedwasm.inspect() returns.
type Snapshot struct {
	Version  string                `json:"version"`
	Name     string                `json:"name"`
	Ready    bool                  `json:"ready"`
	Strategy string                `json:"shareStrategy"`
	Shares   []share.PackageReport `json:"shares"`
	Remotes  []remote.Report       `json:"remotes"`
	Stores   []store.Report        `json:"stores"`
	Broker   broker.Report         `json:"broker"`
	Warnings []*errcode.Error      `json:"warnings"`
	Plugins  []plugin.Report       `json:"plugins"`
}

// Snapshot reports the runtime's whole state.
func (r *Runtime) Snapshot() Snapshot {
	r.mu.Lock()
	warnings := append([]*errcode.Error{}, r.warnings...)
	plugins := append([]plugin.Report{}, r.plugins...)
	ready := r.ready
	strategy := config.VersionFirst
	if r.cfg != nil && r.cfg.ShareStrategy != "" {
		strategy = r.cfg.ShareStrategy
	}
	r.mu.Unlock()
	return Snapshot{
		Version: r.Version, Name: r.HostName(), Ready: ready, Strategy: strategy,
		Shares: r.shares.Snapshot(), Remotes: r.remotes.Snapshot(), Stores: r.stores.Snapshot(), Broker: r.broker.Snapshot(), Warnings: warnings,
		Plugins: plugins,
	}
}

// Plain is s's JSON form as plain values (see jsonv.Plainer): what the
// bridge hands to JS for inspect().
func (s Snapshot) Plain() map[string]any {
	return map[string]any{"version": s.Version, "name": s.Name, "ready": s.Ready, "shareStrategy": s.Strategy,
		"shares": plainList(s.Shares), "remotes": plainList(s.Remotes), "stores": plainList(s.Stores),
		"broker": s.Broker, "warnings": plainList(s.Warnings), "plugins": plainList(s.Plugins)}
}

// plainList is list as a []any of Plainers; nil stays nil (null).
func plainList[T jsonv.Plainer](list []T) any {
	if list == nil {
		return nil
	}
	out := make([]any, len(list))
	for i, e := range list {
		out[i] = e
	}
	return out
}
