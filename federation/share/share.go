// Package share is the share scope: which provider of a shared package each
// consumer gets, by the rules of DESIGN §4 (webpack-compatible version choice,
// singletons, requiredVersion, strictVersion), and why. It holds metadata only;
// the module objects themselves live with the caller, keyed by ProviderID.
package share

import (
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/limits"
	"github.com/fedwasm/fedwasm/federation/semver"
)

// ProviderID identifies one registered provider for the caller's module table.
type ProviderID uint64

// Provider is one version of a package offered to a share scope.
type Provider struct {
	Package string `json:"package"`
	Version string `json:"version"`
	Scope   string `json:"scope"`
	From    string `json:"from"`
	Eager   bool   `json:"eager"`
	Loaded  bool   `json:"loaded"` // evaluated, or handed out to a consumer
	Loading bool   `json:"loading"`
	InUse   bool   `json:"inUse"` // the singleton instance: handed out to a singleton consumer first
}

// Consumer is one request for a shared package.
type Consumer struct {
	Package         string `json:"package"`
	Scope           string `json:"scope"`
	From            string `json:"from"`
	RequiredVersion string `json:"requiredVersion,omitempty"` // "" accepts any version; "*" any release, no prerelease (npm)
	Singleton       bool   `json:"singleton"`
	StrictVersion   bool   `json:"strictVersion"`
	Eager           bool   `json:"eager"`
	HasFallback     bool   `json:"hasFallback"`
}

// Rule names the reason a choice was made; inspect() shows it.
type Rule string

// The rules Resolve can apply.
const (
	RuleHighest           Rule = "highest"            // no range asked for: the highest version
	RuleHighestSatisfying Rule = "highest-satisfying" // the highest version inside the range
	RuleInUse             Rule = "in-use"             // the singleton instance already handed out stays
	RuleAlreadyLoaded     Rule = "already-loaded"     // a loaded singleton stays
	RuleLoadedFirst       Rule = "loaded-first"       // loaded-first strategy preferred a loaded entry
	RuleMismatchAllowed   Rule = "mismatch-allowed"   // outside the range, but not strict: warned
	RuleFallback          Rule = "fallback"           // the consumer's own fallback
	RuleTakenFromScope    Rule = "taken-from-scope"   // a container took the entry from the live scope by its own rules
)

// Choice is Resolve's answer.
type Choice struct {
	ID          ProviderID     `json:"-"`
	Provider    Provider       `json:"provider"`
	Rule        Rule           `json:"rule"`
	Reason      string         `json:"reason"` // the rule applied to this case, in words
	UseFallback bool           `json:"useFallback"`
	Warning     *errcode.Error `json:"warning,omitempty"`
}

type entry struct {
	id ProviderID
	Provider
	version semver.Version
}

// inUse is the singleton instance of one package in one scope: the provider
// first handed out to a singleton consumer, and that consumer.
type inUse struct {
	entry *entry
	by    string
}

// Scopes holds every named share scope. It is safe for concurrent use.
type Scopes struct {
	mu        sync.Mutex
	strategy  string
	next      ProviderID
	byID      map[ProviderID]*entry
	scopes    map[string]map[string]map[string]*entry // scope → package → version key → active entry
	consumers map[string]ConsumerReport               // latest result per consumer key
	inUse     map[string]inUse                        // scope\x00package → its singleton instance, once handed out
	gen       uint64                                  // bumped by every change that can alter a choice
	memo      map[Consumer]memoized                   // choices made at generation gen
}

// memoized is a Resolve outcome and the generation it was computed at.
type memoized struct {
	gen    uint64
	choice Choice
	err    error
}

// NewScopes returns empty scopes that choose versions by strategy
// (config.VersionFirst or config.LoadedFirst).
func NewScopes(strategy string) *Scopes {
	if strategy == "" {
		strategy = config.VersionFirst
	}
	return &Scopes{
		strategy:  strategy,
		byID:      map[ProviderID]*entry{},
		scopes:    map[string]map[string]map[string]*entry{},
		consumers: map[string]ConsumerReport{},
		inUse:     map[string]inUse{},
		memo:      map[Consumer]memoized{},
	}
}

// SetStrategy changes the version-choice strategy for later resolutions.
func (s *Scopes) SetStrategy(strategy string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.strategy = strategy
	s.gen++
}

// Register offers p to its scope and returns its ID and whether it became the
// active entry for its version. For the same version key webpack's rule
// decides: a loaded entry is never replaced; otherwise an eager entry beats a
// non-eager one; otherwise the larger 'from' wins.
func (s *Scopes) Register(p Provider) (ProviderID, bool, error) {
	r, err := s.RegisterAll([]Provider{p})
	if err != nil {
		return 0, false, err
	}
	return r[0].ID, r[0].Active, nil
}

// Registered is what RegisterAll did with one provider: the ID it has and
// whether it became the active entry for its version.
type Registered struct {
	ID     ProviderID
	Active bool
}

// RegisterAll registers ps in order, each as Register does, all or none: an
// invalid provider, or providers that would take a package over
// limits.VersionsPerPackage versions in its scope or the scopes over
// limits.Providers, register nothing. Its cost grows with len(ps) only.
func (s *Scopes) RegisterAll(ps []Provider) ([]Registered, error) {
	ps = append([]Provider(nil), ps...)
	versions := make([]semver.Version, len(ps))
	for i := range ps {
		v, err := checkProvider(&ps[i])
		if err != nil {
			return nil, err
		}
		versions[i] = v
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.checkRoom(ps); err != nil {
		return nil, err
	}
	out := make([]Registered, len(ps))
	for i, p := range ps {
		out[i].ID, out[i].Active = s.add(p, versions[i], false)
	}
	return out, nil
}

// Adopt registers p as the active entry for its version unconditionally: it
// mirrors an entry that JS code (a webpack container's init) already wrote
// into the live scope object, where webpack's own rule has decided.
func (s *Scopes) Adopt(p Provider) (ProviderID, error) {
	v, err := checkProvider(&p)
	if err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.checkRoom([]Provider{p}); err != nil {
		return 0, err
	}
	id, _ := s.add(p, v, true)
	return id, nil
}

// checkProvider checks p's package and version and fills its default scope.
func checkProvider(p *Provider) (semver.Version, error) {
	v, err := semver.ParseVersion(p.Version)
	if err != nil {
		return v, errcode.New(errcode.ShareInvalidVersion,
			map[string]any{"package": p.Package, "version": p.Version, "from": p.From},
			"shared "+strconv.Quote(p.Package)+" from "+strconv.Quote(p.From)+" has version "+strconv.Quote(p.Version)+", which is not a version ("+err.Error()+"); provide an exact version such as \"1.2.3\"")
	}
	if p.Package == "" {
		return v, errcode.New(errcode.InvalidArgument, map[string]any{"from": p.From},
			"a shared module from "+strconv.Quote(p.From)+" has no package name; pass registerShared({ <package>: {...} })")
	}
	if p.Scope == "" {
		p.Scope = config.DefaultScope
	}
	return v, nil
}

// checkRoom refuses ps when registering them would take the scopes over
// limits.Providers, or a package over limits.VersionsPerPackage versions in
// its scope (counting the versions ps add that it has not yet). s.mu is held.
func (s *Scopes) checkRoom(ps []Provider) error {
	if err := limits.Check("share scopes", "shared providers", len(s.byID)+len(ps), limits.Providers,
		"a page holds at most "+strconv.Itoa(limits.Providers)+" shared providers; register fewer"); err != nil {
		return err
	}
	most := 0 // the most versions a package of ps has now
	for _, p := range ps {
		most = max(most, len(s.scopes[p.Scope][p.Package]))
	}
	if most+len(ps) <= limits.VersionsPerPackage {
		return nil // room even if every one is a new version of that package
	}
	offered := map[[2]string]int{} // scope, package → providers ps offer
	for _, p := range ps {
		offered[[2]string{p.Scope, p.Package}]++
	}
	for pkg, n := range offered {
		if len(s.scopes[pkg[0]][pkg[1]])+n <= limits.VersionsPerPackage {
			continue // room even if every one is a new version
		}
		versions := map[string]bool{}
		for v := range s.scopes[pkg[0]][pkg[1]] {
			versions[v] = true
		}
		for _, p := range ps {
			if p.Scope == pkg[0] && p.Package == pkg[1] {
				versions[p.Version] = true
			}
		}
		if len(versions) > limits.VersionsPerPackage {
			return limits.Exceeded("share scope "+strconv.Quote(pkg[0]), "versions of "+strconv.Quote(pkg[1]), len(versions), limits.VersionsPerPackage,
				"provide at most "+strconv.Itoa(limits.VersionsPerPackage)+" versions of one package")
		}
	}
	return nil
}

// add registers p (checked, version v) and reports whether it became the
// active entry for its version; adopt makes it so. s.mu is held.
func (s *Scopes) add(p Provider, v semver.Version, adopt bool) (ProviderID, bool) {
	s.gen++
	s.next++
	e := &entry{id: s.next, Provider: p, version: v}
	s.byID[e.id] = e
	pkgs := s.scopes[p.Scope]
	if pkgs == nil {
		pkgs = map[string]map[string]*entry{}
		s.scopes[p.Scope] = pkgs
	}
	versions := pkgs[p.Package]
	if versions == nil {
		versions = map[string]*entry{}
		pkgs[p.Package] = versions
	}
	active := versions[p.Version]
	if adopt || active == nil || (!active.Loaded && replaces(e, active)) {
		versions[p.Version] = e
		return e.id, true
	}
	return e.id, false
}

func replaces(candidate, active *entry) bool {
	if candidate.Eager != active.Eager {
		return candidate.Eager
	}
	return candidate.From > active.From
}

// MarkLoading records that provider id's module is being loaded.
func (s *Scopes) MarkLoading(id ProviderID) { s.setState(id, true, false) }

// MarkLoaded records that provider id's module has been loaded.
func (s *Scopes) MarkLoaded(id ProviderID) { s.setState(id, false, true) }

// MarkFailed records that loading provider id's module failed (it may be tried again).
func (s *Scopes) MarkFailed(id ProviderID) { s.setState(id, false, false) }

func (s *Scopes) setState(id ProviderID, loading, loaded bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e := s.byID[id]; e != nil && !e.Loaded && (e.Loading != loading || e.Loaded != loaded) {
		e.Loading, e.Loaded = loading, loaded
		s.gen++
	}
}

// HandOut records that provider id's module was handed to consumer, which
// asked for it as a singleton or not. A handed-out module is loaded; the first
// one handed to a singleton consumer becomes the package's singleton instance,
// which every later singleton consumer gets (DESIGN §4: a singleton handed out
// stays), whatever is registered or loaded after it.
func (s *Scopes) HandOut(id ProviderID, consumer string, singleton bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.handOut(id, consumer, singleton)
}

func (s *Scopes) handOut(id ProviderID, consumer string, singleton bool) {
	e := s.byID[id]
	if e == nil {
		return
	}
	if !e.Loaded || e.Loading {
		e.Loaded, e.Loading = true, false
		s.gen++
	}
	key := e.Scope + "\x00" + e.Package
	if _, taken := s.inUse[key]; singleton && !taken {
		e.InUse = true
		s.inUse[key] = inUse{entry: e, by: consumer}
		s.gen++
	}
}

// Took records that consumer (a container, by its own runtime's rules) took
// provider id's entry from the live share scope, so inspect() lists it among
// the package's consumers; singleton says whether the package is shared as a
// singleton, which makes the entry the singleton instance if none is yet.
func (s *Scopes) Took(id ProviderID, consumer string, singleton bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.byID[id]
	if e == nil {
		return
	}
	s.handOut(id, consumer, singleton)
	c := Consumer{Package: e.Package, Scope: e.Scope, From: consumer, Singleton: singleton}
	key := c.Scope + "\x00" + c.Package + "\x00" + c.From
	if prev, ok := s.consumers[key]; ok && prev.Rule != RuleTakenFromScope {
		return // it asked through fedwasm too: that report says more
	}
	s.consumers[key] = ConsumerReport{Consumer: c, Got: e.Version, GotFrom: e.From, Rule: RuleTakenFromScope,
		Reason: consumer + " took " + e.Version + " from " + e.From + " from the live share scope, chosen by its own runtime's rules"}
}

// Settled reports whether c's answer can no longer change: c is a singleton
// consumer that got id, the package's singleton instance, inside its range
// (so without a warning). A singleton handed out stays, so such an answer
// may be reused without resolving again, until c's rules change.
func (s *Scopes) Settled(c Consumer, id ProviderID) bool {
	if !c.Singleton || c.HasFallback {
		return false
	}
	if c.Scope == "" {
		c.Scope = config.DefaultScope
	}
	s.mu.Lock()
	instance, ok := s.inUse[c.Scope+"\x00"+c.Package]
	s.mu.Unlock()
	if !ok || instance.entry.id != id {
		return false
	}
	rng, hasRange, err := rangeOf(c)
	return err == nil && (!hasRange || rng.Contains(instance.entry.version))
}

// ActiveID returns the provider that is the active entry for version of pkg in scope.
func (s *Scopes) ActiveID(scope, pkg, version string) (ProviderID, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e := s.scopes[scope][pkg][version]; e != nil {
		return e.id, true
	}
	return 0, false
}

// FirstHolding is the first of scopes in which pkg has a provider, as
// Module Federation 2.0's getRegisteredShare looks through a consumer's list
// of scopes; the first of them when none has one (so a miss names it).
func (s *Scopes) FirstHolding(pkg string, scopes []string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, scope := range scopes {
		if len(s.scopes[scope][pkg]) > 0 {
			return scope
		}
	}
	if len(scopes) == 0 {
		return config.DefaultScope
	}
	return scopes[0]
}

// Lookup returns the provider registered under id.
func (s *Scopes) Lookup(id ProviderID) (Provider, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.byID[id]
	if e == nil {
		return Provider{}, false
	}
	return e.Provider, true
}

// Resolve chooses the provider c gets, records the outcome for Snapshot and
// returns it. A choice outside c's range that is allowed carries a Warning.
func (s *Scopes) Resolve(c Consumer) (Choice, error) {
	if c.Scope == "" {
		c.Scope = config.DefaultScope
	}
	rng, hasRange, err := rangeOf(c)
	if err != nil {
		return Choice{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if m, ok := s.memo[c]; ok && m.gen == s.gen {
		return m.choice, m.err // nothing changed since: the same answer, already reported
	}
	candidates := s.candidates(c)
	choice, err := s.choose(c, candidates, rng, hasRange)
	if err == nil {
		choice.Reason = reason(c, choice, candidates, rng, hasRange, s.inUse[c.Scope+"\x00"+c.Package].by)
	}
	if len(s.memo) >= maxMemo {
		clear(s.memo)
	}
	s.memo[c] = memoized{gen: s.gen, choice: choice, err: err}
	report := ConsumerReport{Consumer: c, Rule: choice.Rule, Reason: choice.Reason, Warning: choice.Warning}
	if err != nil {
		report.Error = errcode.As(err, errcode.ShareNotFound)
	} else if !choice.UseFallback {
		report.Got, report.GotFrom = choice.Provider.Version, choice.Provider.From
	}
	s.consumers[c.Scope+"\x00"+c.Package+"\x00"+c.From] = report
	return choice, err
}

// rangeOf is the range c asks for; hasRange is false when any version will
// do. Only an absent requiredVersion (webpack's requiredVersion: false) skips
// the range check: "*" is an npm range like any other, and like npm's and
// webpack's satisfy it admits no prerelease.
func rangeOf(c Consumer) (rng semver.Range, hasRange bool, err error) {
	if c.RequiredVersion == "" {
		return rng, false, nil
	}
	if rng, err = semver.ParseRange(c.RequiredVersion); err != nil {
		return rng, false, errcode.New(errcode.ShareInvalidRange,
			map[string]any{"package": c.Package, "requiredVersion": c.RequiredVersion, "consumer": c.From},
			strconv.Quote(c.From)+" asked for shared "+strconv.Quote(c.Package)+" with requiredVersion "+strconv.Quote(c.RequiredVersion)+", which is not an npm range ("+err.Error()+"); fix the range")
	}
	return rng, true, nil
}

// maxMemo bounds the memoized choices (distinct consumers seen since the last change).
const maxMemo = 4096

// candidates lists the active providers c may get, highest version first.
func (s *Scopes) candidates(c Consumer) []*entry {
	var list []*entry
	for _, e := range s.scopes[c.Scope][c.Package] {
		if c.Eager && !e.Eager {
			continue
		}
		list = append(list, e)
	}
	sort.Slice(list, func(i, j int) bool {
		if d := list[i].version.Compare(list[j].version); d != 0 {
			return d > 0
		}
		return list[i].Version < list[j].Version
	})
	return list
}

func (s *Scopes) choose(c Consumer, candidates []*entry, rng semver.Range, hasRange bool) (Choice, error) {
	if len(candidates) == 0 {
		if c.HasFallback {
			return Choice{Rule: RuleFallback, UseFallback: true}, nil
		}
		if c.Eager && len(s.scopes[c.Scope][c.Package]) > 0 {
			return Choice{}, errcode.New(errcode.ShareNotFound,
				map[string]any{"package": c.Package, "scope": c.Scope, "consumer": c.From, "eager": true},
				"shared module "+strconv.Quote(c.Package)+" in scope "+strconv.Quote(c.Scope)+" is not available for eager consumption by "+strconv.Quote(c.From)+": no provider is eager; mark a provider eager (shareConfig.eager) or consume it asynchronously")
		}
		return Choice{}, errcode.New(errcode.ShareNotFound,
			map[string]any{"package": c.Package, "scope": c.Scope, "consumer": c.From},
			"shared module "+strconv.Quote(c.Package)+" is not provided in share scope "+strconv.Quote(c.Scope)+" (asked for by "+strconv.Quote(c.From)+"); register it in the host config's \"shared\", with fedwasm.registerShared, or give loadShare a fallback")
	}
	if c.Singleton {
		pick, rule := candidates[0], RuleHighest
		if instance, ok := s.inUse[c.Scope+"\x00"+c.Package]; ok {
			pick, rule = instance.entry, RuleInUse
		} else if loaded := firstLoaded(candidates); loaded != nil {
			pick, rule = loaded, RuleAlreadyLoaded
		}
		if !hasRange || rng.Contains(pick.version) {
			return choiceOf(pick, rule), nil
		}
		mismatch := errcode.New(errcode.ShareSingletonMismatch, s.details(c, pick, candidates),
			"singleton "+strconv.Quote(c.Package)+": version "+pick.Version+" from "+strconv.Quote(pick.From)+" is in use, but "+strconv.Quote(c.From)+" requires "+strconv.Quote(c.RequiredVersion)+" (available: "+available(candidates)+"); align the consumer's requiredVersion with the provided version, or provide a satisfying version before the singleton loads")
		if c.StrictVersion {
			return Choice{}, mismatch
		}
		ch := choiceOf(pick, RuleMismatchAllowed)
		ch.Warning = mismatch
		return ch, nil
	}
	var satisfying []*entry
	for _, e := range candidates {
		if !hasRange || rng.Contains(e.version) {
			satisfying = append(satisfying, e)
		}
	}
	if len(satisfying) > 0 {
		rule := RuleHighestSatisfying
		if !hasRange {
			rule = RuleHighest
		}
		if s.strategy == config.LoadedFirst {
			if loaded := firstLoadedOrLoading(satisfying); loaded != nil {
				return choiceOf(loaded, RuleLoadedFirst), nil
			}
		}
		return choiceOf(satisfying[0], rule), nil
	}
	if c.HasFallback {
		return Choice{Rule: RuleFallback, UseFallback: true}, nil
	}
	noMatch := errcode.New(errcode.ShareNoSatisfying, s.details(c, candidates[0], candidates),
		"no version of shared "+strconv.Quote(c.Package)+" in scope "+strconv.Quote(c.Scope)+" satisfies "+strconv.Quote(c.RequiredVersion)+" required by "+strconv.Quote(c.From)+" (available: "+available(candidates)+"); provide a satisfying version, widen the range, or give loadShare a fallback")
	if c.StrictVersion {
		return Choice{}, noMatch
	}
	ch := choiceOf(candidates[0], RuleMismatchAllowed)
	ch.Warning = noMatch
	return ch, nil
}

// reason explains a choice in one sentence for inspect(); inUseBy is the
// consumer the package's singleton instance was first handed to.
func reason(c Consumer, ch Choice, candidates []*entry, rng semver.Range, hasRange bool, inUseBy string) string {
	offered := strconv.Itoa(len(candidates)) + " provided (" + available(candidates) + ")"
	if len(candidates) == 0 {
		offered = "none provided"
	}
	v := ch.Provider.Version + " from " + ch.Provider.From
	switch ch.Rule {
	case RuleFallback:
		if hasRange && len(candidates) > 0 {
			return "no version satisfies " + c.RequiredVersion + " (" + offered + "): the consumer's fallback was used"
		}
		return offered + ": the consumer's fallback was used"
	case RuleInUse:
		return "singleton in use: " + v + " was handed to " + inUseBy + " first, and every later consumer gets the same instance (" + offered + ")"
	case RuleAlreadyLoaded:
		return "singleton already loaded: " + v + " stays (" + offered + ")"
	case RuleLoadedFirst:
		return "loaded-first strategy: " + v + " is loaded and satisfies " + c.RequiredVersion + " (" + offered + ")"
	case RuleMismatchAllowed:
		return v + " does not satisfy " + c.RequiredVersion + " but strictVersion is off, so it was used with a warning (" + offered + ")"
	case RuleHighestSatisfying:
		n := 0
		for _, e := range candidates {
			if rng.Contains(e.version) {
				n++
			}
		}
		return "highest of " + strconv.Itoa(n) + " version(s) satisfying " + c.RequiredVersion + ": " + v + " (" + offered + ")"
	default:
		if c.Singleton {
			return "singleton, none loaded yet: the highest, " + v + " (" + offered + ")"
		}
		return "no range asked for: the highest, " + v + " (" + offered + ")"
	}
}

func (s *Scopes) details(c Consumer, chosen *entry, candidates []*entry) map[string]any {
	versions := make([]string, len(candidates))
	for i, e := range candidates {
		versions[i] = e.Version + " from " + e.From
	}
	return map[string]any{
		"package": c.Package, "scope": c.Scope, "consumer": c.From, "requiredVersion": c.RequiredVersion,
		"chosenVersion": chosen.Version, "chosenFrom": chosen.From, "available": versions,
	}
}

// firstLoaded returns the highest loaded entry of list (sorted highest first).
func firstLoaded(list []*entry) *entry {
	for _, e := range list {
		if e.Loaded {
			return e
		}
	}
	return nil
}

// firstLoadedOrLoading returns the highest entry that is loaded or loading.
func firstLoadedOrLoading(list []*entry) *entry {
	if e := firstLoaded(list); e != nil {
		return e
	}
	for _, e := range list {
		if e.Loading {
			return e
		}
	}
	return nil
}

func choiceOf(e *entry, rule Rule) Choice {
	return Choice{ID: e.id, Provider: e.Provider, Rule: rule}
}

func available(list []*entry) string {
	parts := make([]string, len(list))
	for i, e := range list {
		parts[i] = e.Version + " from " + e.From
	}
	return strings.Join(parts, ", ")
}
