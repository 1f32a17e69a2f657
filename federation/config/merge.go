package config

import (
	"maps"
	"slices"
	"strconv"

	"github.com/fedwasm/fedwasm/federation/errcode"
)

// Addition is what a later init adds to the page's config (see Merge).
type Addition struct {
	// Remotes are next's remotes whose names the config does not list yet,
	// in next's order.
	Remotes []Remote
	// Shared are next's shared entries whose version the config does not
	// list yet for their package and scope, by package name, then in
	// next's order.
	Shared []AddedShare
}

// AddedShare is one shared entry a later init adds: its package, its place
// in next's list for that package, and its args (validated).
type AddedShare struct {
	Package string
	Index   int
	Args    ShareArgs
}

// Merge decides what a later init(config) adds to first, the config the page
// was initialized with, as Module Federation 2.0's init does when the
// instance exists (ModuleFederation.initOptions):
//   - next must have first's name: a host has one name (MF's RUNTIME-010);
//     another is INIT_NAME_MISMATCH;
//   - its remotes with a new name are added; one with a name first lists is
//     left as it is (MF registers them without force);
//   - its shared entries with a version new for their package and scope are
//     added; one whose version first lists is left (MF appends an entry only
//     when no entry has its version);
//   - bootstrap, shareStrategy, retry, security and ownership are the page's
//     policy, applied once: next may leave them out or repeat them unchanged,
//     and any other value is CONFIG_INVALID naming the field, so a later init
//     never loosens security.allowedOrigins or security.plugins.
//
// next is as Decode read it, not yet validated; Merge validates it. On an
// error nothing is to be added.
func Merge(first, next Config) (Addition, error) {
	if next.Name != first.Name {
		return Addition{}, errcode.New(errcode.InitNameMismatch, map[string]any{"name": next.Name, "initialized": first.Name, "mfCode": "RUNTIME-010"},
			"init(config) names the host "+strconv.Quote(next.Name)+", but this page is initialized as "+strconv.Quote(first.Name)+
				" (Module Federation's RUNTIME-010: the name of an instance cannot change); a page has one host: call init with the name "+strconv.Quote(first.Name)+" to add remotes, shared modules and plugins")
	}
	strategy := next.ShareStrategy // Validate fills the default in
	if err := next.Validate(); err != nil {
		return Addition{}, err
	}
	field := ""
	switch {
	case next.Bootstrap != "" && next.Bootstrap != first.Bootstrap:
		field = "bootstrap"
	case strategy != "" && strategy != first.ShareStrategy:
		field = "shareStrategy"
	case next.Retry != nil && (first.Retry == nil || !sameRetry(*next.Retry, *first.Retry)):
		field = "retry"
	case !next.Security.isZero() && !sameSecurity(next.Security, first.Security):
		field = "security"
	case !next.Ownership.isZero() && !sameOwnership(next.Ownership, first.Ownership):
		field = "ownership"
	}
	if field != "" {
		return Addition{}, invalid(field, "differs from the one the page was initialized with; a later init adds remotes, shared modules and plugins, and may repeat "+field+" only unchanged: change it in the first init (the page's config)")
	}
	var add Addition
	known := map[string]bool{}
	for _, r := range first.Remotes {
		known[r.Name] = true
	}
	for _, r := range next.Remotes {
		if !known[r.Name] {
			known[r.Name] = true
			add.Remotes = append(add.Remotes, r)
		}
	}
	listed := map[string]bool{} // package, scope and version
	for pkg, list := range first.Shared {
		for _, a := range list {
			listed[pkg+"\x00"+a.Scope+"\x00"+a.Version] = true
		}
	}
	for _, pkg := range slices.Sorted(maps.Keys(next.Shared)) {
		for i, args := range next.Shared[pkg] {
			if key := pkg + "\x00" + args.Scope + "\x00" + args.Version; !listed[key] {
				listed[key] = true
				add.Shared = append(add.Shared, AddedShare{Package: pkg, Index: i, Args: args})
			}
		}
	}
	return add, nil
}

// With returns c with add's remotes and shared entries appended: the config
// as the page now holds it.
func (c Config) With(add Addition) Config {
	c.Remotes = append(slices.Clip(c.Remotes), add.Remotes...)
	shared := make(map[string]ShareEntries, len(c.Shared)+len(add.Shared))
	for pkg, list := range c.Shared {
		shared[pkg] = slices.Clip(list)
	}
	for _, s := range add.Shared {
		shared[s.Package] = append(shared[s.Package], s.Args)
	}
	c.Shared = shared
	return c
}

func sameRetry(a, b Retry) bool {
	return a.Times == b.Times && a.DelayMs == b.DelayMs && a.TimeoutMs == b.TimeoutMs && slices.Equal(a.Domains, b.Domains)
}

func (s Security) isZero() bool {
	return len(s.AllowedOrigins) == 0 && !s.RequireIntegrity && s.Nonce == "" && len(s.Plugins) == 0
}

func sameSecurity(a, b Security) bool {
	return slices.Equal(a.AllowedOrigins, b.AllowedOrigins) && a.RequireIntegrity == b.RequireIntegrity && a.Nonce == b.Nonce && slices.Equal(a.Plugins, b.Plugins)
}

func (o Ownership) isZero() bool { return len(o.Stores) == 0 && len(o.Events) == 0 }

func sameOwnership(a, b Ownership) bool {
	return maps.Equal(a.Stores, b.Stores) && maps.Equal(a.Events, b.Events)
}
