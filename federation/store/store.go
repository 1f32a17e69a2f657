// Package store is the store broker's bookkeeping: which owner provided which
// named store at which version, and who is waiting for it. The store object
// itself is an opaque handle H (a js.Value in the browser); updates to it never
// pass through here.
package store

import (
	"sort"
	"strconv"
	"sync"

	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/semver"
)

// Entry is one provided store.
type Entry[H any] struct {
	Name    string
	Owner   string
	Version string
	Handle  H
}

// Registry maps store names to entries. It is safe for concurrent use.
type Registry[H any] struct {
	mu       sync.Mutex
	declared map[string]string // store name → the owner the config gives it
	entries  map[string]Entry[H]
	waiters  map[string]map[int]chan Entry[H]
	nextW    int
}

// NewRegistry returns an empty registry.
func NewRegistry[H any]() *Registry[H] {
	return &Registry[H]{entries: map[string]Entry[H]{}, waiters: map[string]map[int]chan Entry[H]{}}
}

// Declare gives each named store to its owner (the config's
// ownership.stores): no other owner may provide it.
func (r *Registry[H]) Declare(owners map[string]string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.declared = make(map[string]string, len(owners))
	for name, owner := range owners {
		r.declared[name] = owner
	}
}

// DeclaredOwner returns the owner the config gives store name, or "".
func (r *Registry[H]) DeclaredOwner(name string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.declared[name]
}

// Provide registers e. A name declared for another owner, or already
// provided by another owner, is refused with STORE_OWNED and the first entry
// stays. The same owner may replace its own store when mayReplace (it acts
// through its scope); otherwise (the page's top-level API) what was
// provided stays. Everyone waiting for the name receives the entry.
func (r *Registry[H]) Provide(e Entry[H], mayReplace bool) error {
	if e.Name == "" {
		return errcode.New(errcode.InvalidArgument, map[string]any{"owner": e.Owner},
			"stores.provide was called by "+strconv.Quote(e.Owner)+" without a store name; pass a non-empty name")
	}
	if e.Version != "" {
		if _, err := semver.ParseVersion(e.Version); err != nil {
			return errcode.New(errcode.StoreInvalid, map[string]any{"store": e.Name, "owner": e.Owner, "version": e.Version},
				"store "+strconv.Quote(e.Name)+" from "+strconv.Quote(e.Owner)+" has version "+strconv.Quote(e.Version)+", which is not a version ("+err.Error()+"); pass an exact version such as \"1.0.0\"")
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if owner, ok := r.declared[e.Name]; ok && owner != e.Owner {
		return errcode.New(errcode.StoreOwned, map[string]any{"store": e.Name, "owner": owner, "refused": e.Owner},
			"store "+strconv.Quote(e.Name)+" belongs to "+strconv.Quote(owner)+" (the config's ownership.stores); "+strconv.Quote(e.Owner)+" cannot provide it. Get it with fedwasm.stores.get("+strconv.Quote(e.Name)+") instead, or provide yours under another name")
	}
	if prev, ok := r.entries[e.Name]; ok && prev.Owner != e.Owner {
		return errcode.New(errcode.StoreOwned, map[string]any{"store": e.Name, "owner": prev.Owner, "refused": e.Owner},
			"store "+strconv.Quote(e.Name)+" belongs to "+strconv.Quote(prev.Owner)+"; "+strconv.Quote(e.Owner)+" cannot replace it. Get it with fedwasm.stores.get("+strconv.Quote(e.Name)+") instead, or provide it under another name")
	} else if ok && !mayReplace {
		return errcode.New(errcode.StoreOwned, map[string]any{"store": e.Name, "owner": prev.Owner, "refused": e.Owner},
			"store "+strconv.Quote(e.Name)+" of "+strconv.Quote(prev.Owner)+" is provided already, and the page's top-level fedwasm provides a store once; replace it through its owner's scope (fedwasm.scope, or the scope a mount hands a remote), or get it with fedwasm.stores.get("+strconv.Quote(e.Name)+")")
	}
	r.entries[e.Name] = e
	for id, ch := range r.waiters[e.Name] {
		ch <- e
		delete(r.waiters[e.Name], id)
	}
	return nil
}

// Withdraw removes the store name if owner provided it (a disposed scope
// takes its stores with it) and reports whether it did.
func (r *Registry[H]) Withdraw(name, owner string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if e, ok := r.entries[name]; ok && e.Owner == owner {
		delete(r.entries, name)
		return true
	}
	return false
}

// Lookup returns the entry named name, if provided.
func (r *Registry[H]) Lookup(name string) (Entry[H], bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	e, ok := r.entries[name]
	return e, ok
}

// Wait returns a channel that receives the entry once name is provided (at
// once if it already is) and a cancel function that stops waiting.
func (r *Registry[H]) Wait(name string) (<-chan Entry[H], func()) {
	ch := make(chan Entry[H], 1)
	r.mu.Lock()
	defer r.mu.Unlock()
	if e, ok := r.entries[name]; ok {
		ch <- e
		return ch, func() {}
	}
	if r.waiters[name] == nil {
		r.waiters[name] = map[int]chan Entry[H]{}
	}
	r.nextW++
	id := r.nextW
	r.waiters[name][id] = ch
	return ch, func() {
		r.mu.Lock()
		defer r.mu.Unlock()
		delete(r.waiters[name], id)
		if len(r.waiters[name]) == 0 {
			delete(r.waiters, name)
		}
	}
}

// CheckVersion returns STORE_VERSION_MISMATCH when e's version does not
// satisfy requiredVersion ("" accepts any).
func CheckVersion[H any](e Entry[H], requiredVersion, consumer string) error {
	if requiredVersion == "" || requiredVersion == "*" {
		return nil
	}
	details := map[string]any{"store": e.Name, "owner": e.Owner, "version": e.Version, "requiredVersion": requiredVersion, "consumer": consumer}
	rng, err := semver.ParseRange(requiredVersion)
	if err != nil {
		return errcode.New(errcode.InvalidArgument, details,
			"stores.get("+strconv.Quote(e.Name)+") by "+strconv.Quote(consumer)+": requiredVersion "+strconv.Quote(requiredVersion)+" is not an npm range ("+err.Error()+"); fix the range")
	}
	v, err := semver.ParseVersion(e.Version)
	if err != nil || !rng.Contains(v) {
		shown := e.Version
		if shown == "" {
			shown = "(none)"
		}
		return errcode.New(errcode.StoreVersionMismatch, details,
			"store "+strconv.Quote(e.Name)+" from "+strconv.Quote(e.Owner)+" has version "+shown+", but "+strconv.Quote(consumer)+" requires "+strconv.Quote(requiredVersion)+"; update the consumer's requiredVersion or have "+strconv.Quote(e.Owner)+" provide a matching version")
	}
	return nil
}

// Report is one store as inspect() shows it.
type Report struct {
	Name     string `json:"name"`
	Owner    string `json:"owner,omitempty"`
	Version  string `json:"version,omitempty"`
	Provided bool   `json:"provided"`
	Waiting  int    `json:"waiting"`
}

// Snapshot reports every provided or awaited store, sorted by name.
func (r *Registry[H]) Snapshot() []Report {
	r.mu.Lock()
	defer r.mu.Unlock()
	byName := map[string]*Report{}
	for name, e := range r.entries {
		byName[name] = &Report{Name: name, Owner: e.Owner, Version: e.Version, Provided: true}
	}
	for name, ws := range r.waiters {
		if byName[name] == nil {
			byName[name] = &Report{Name: name}
		}
		byName[name].Waiting = len(ws)
	}
	out := make([]Report, 0, len(byName))
	for _, rep := range byName {
		out = append(out, *rep)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Plain is r's JSON form as plain values (see jsonv.Plainer).
func (r Report) Plain() map[string]any {
	m := map[string]any{"name": r.Name, "provided": r.Provided, "waiting": r.Waiting}
	if r.Owner != "" {
		m["owner"] = r.Owner
	}
	if r.Version != "" {
		m["version"] = r.Version
	}
	return m
}
