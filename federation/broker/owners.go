package broker

import (
	"strconv"

	"github.com/fedwasm/fedwasm/federation/errcode"
)

// Owners are capabilities, not labels. Each owner name is held by one
// holder, and only the holder acts as it:
//
//   - the host's name (the config's name) by the page's top-level fedwasm,
//     for what the config's ownership block gives the host;
//   - a registered remote's name by the runtime, which hands a lifetime of
//     it to each fedwasm.mount of that remote;
//   - any other name by the one fedwasm.scope(name) that claimed it, until
//     that scope is disposed.
//
// A second claim of a held name is refused (OWNER_CLAIMED), a call that
// names an owner its caller does not hold is refused (OWNER_NOT_HELD), and
// an event type the config gives an owner is emitted by that owner alone
// (EVENT_OWNED; from another tab, dropped as DropNotOwner).

// PageOwner is the owner the page's top-level fedwasm acts as where it does
// not act as the host: what it registers without a declaration is the
// page's, and nobody's scope can take it over.
const PageOwner = "(page)"

// MaxOwnerLength bounds an owner's name, in bytes.
const MaxOwnerLength = 128

// DropNotOwner is the drop reason of a cross-tab message whose type the
// config gives an owner, sent by another.
const DropNotOwner = "not-owner"

// Caller is who makes an API call: a scope (its lifetime and owner) or, with
// Lifetime 0, the page's top-level fedwasm.
type Caller struct {
	Lifetime LifetimeID
	Owner    string // the scope's owner; "" for the page
}

// Page reports whether the call came through the page's top-level fedwasm.
func (c Caller) Page() bool { return c.Lifetime == 0 }

// holding is how an owner name is held.
type holding int

const (
	heldByHost    holding = iota + 1 // the config's name: the page's top-level API
	heldForMounts                    // a registered remote's name: fedwasm.mount hands it out
	heldByScope                      // claimed by fedwasm.scope(name)
)

type holder struct {
	how      holding
	lifetime LifetimeID // heldByScope: the claiming scope
}

// ValidateOwner checks an owner name: 1 to MaxOwnerLength bytes, and not
// PageOwner, which names the page's own top-level API.
func ValidateOwner(owner string) error {
	if owner == "" || len(owner) > MaxOwnerLength || owner == PageOwner {
		return errcode.New(errcode.InvalidArgument, map[string]any{"owner": owner},
			"owner "+strconv.Quote(owner)+" is not valid: use 1 to "+strconv.Itoa(MaxOwnerLength)+" characters, other than "+strconv.Quote(PageOwner)+" (the page's own top-level fedwasm)")
	}
	return nil
}

// Declare applies the config's owners: host is held by the page's top-level
// API, each of remotes for its mounts, and events maps each owned event
// type to its owner. The config hands these names out, so a scope that
// claimed one of them first loses it: Declare returns those scopes'
// lifetimes, for the caller to end.
func (r *Registry) Declare(host string, remotes []string, events map[string]string) []LifetimeID {
	r.mu.Lock()
	defer r.mu.Unlock()
	var taken []LifetimeID
	hold := func(name string, how holding) {
		if h, ok := r.held[name]; ok && h.how == heldByScope {
			taken = append(taken, h.lifetime)
		}
		r.held[name] = holder{how: how}
	}
	for _, name := range remotes {
		hold(name, heldForMounts)
	}
	hold(host, heldByHost)
	r.host = host
	r.ownedEvents = make(map[string]string, len(events))
	for typ, owner := range events {
		r.ownedEvents[typ] = owner
	}
	return taken
}

// Claim opens a lifetime for owner: fedwasm.scope(owner), the one way to
// act as an owner nobody holds. While anyone holds it, the claim is refused
// with OWNER_CLAIMED; ending the lifetime gives the name up.
func (r *Registry) Claim(owner string) (LifetimeID, error) {
	if err := ValidateOwner(owner); err != nil {
		return 0, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if h, ok := r.held[owner]; ok {
		return 0, r.claimedError(owner, h, "fedwasm.scope("+strconv.Quote(owner)+")")
	}
	id := r.openLifetime(owner)
	r.held[owner] = holder{how: heldByScope, lifetime: id}
	return id, nil
}

// CheckMountable refuses, with OWNER_CLAIMED, remote names that the host
// or a scope holds: a remote's name is held for its mounts.
func (r *Registry) CheckMountable(names []string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.checkMountable(names)
}

func (r *Registry) checkMountable(names []string) error {
	for _, name := range names {
		if h, ok := r.held[name]; ok && h.how != heldForMounts {
			return r.claimedError(name, h, "registerRemotes (a remote called "+strconv.Quote(name)+")")
		}
	}
	return nil
}

// HoldForMounts reserves the names of remotes registered after the config
// for their mounts, all or none (see CheckMountable).
func (r *Registry) HoldForMounts(names []string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.checkMountable(names); err != nil {
		return err
	}
	for _, name := range names {
		r.held[name] = holder{how: heldForMounts}
	}
	return nil
}

// OpenMount opens a lifetime for the remote called name, for its mount: a
// remote's name is held for its mounts, and each mount gets a lifetime of
// it. A name the host or a scope holds is refused with OWNER_CLAIMED.
func (r *Registry) OpenMount(name string) (LifetimeID, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if h, ok := r.held[name]; ok && h.how != heldForMounts {
		return 0, r.claimedError(name, h, "fedwasm.mount of remote "+strconv.Quote(name))
	}
	r.held[name] = holder{how: heldForMounts}
	return r.openLifetime(name), nil
}

// claimedError is OWNER_CLAIMED for owner, held as h, refused to call.
func (r *Registry) claimedError(owner string, h holder, call string) error {
	by := map[holding]string{
		heldByHost:    "the host (the page's top-level fedwasm acts as it)",
		heldForMounts: "a remote of that name (fedwasm.mount hands its scope to the remote's mount)",
		heldByScope:   "the fedwasm.scope(" + strconv.Quote(owner) + ") that claimed it first",
	}[h.how]
	if owner == PageOwner {
		by = "the page's own top-level fedwasm"
	}
	return errcode.New(errcode.OwnerClaimed, map[string]any{"owner": owner, "heldBy": map[holding]string{heldByHost: "host", heldForMounts: "remote", heldByScope: "scope"}[h.how]},
		call+": owner "+strconv.Quote(owner)+" is held by "+by+"; only its holder acts as it. Keep the scope you were given, or use an owner name of your own")
}

// Acting returns the owner c acts as in a call that names owner named ("" for
// none) and touches something the config gives to declared ("" for nothing
// declared): a scope acts as its owner; the page's top-level API acts as the
// host for what the config gives the host, and as PageOwner otherwise.
// Naming an owner the caller does not act as is refused with OWNER_NOT_HELD.
func (r *Registry) Acting(c Caller, named, declared string) (string, error) {
	owner := c.Owner
	if c.Page() {
		owner = PageOwner
		r.mu.Lock()
		host := r.host
		r.mu.Unlock()
		if declared != "" && declared == host {
			owner = host
		}
	}
	if named != "" && named != owner {
		how := "a scope of " + strconv.Quote(owner) + " acts as " + strconv.Quote(owner) + " only"
		if c.Page() {
			how = "the page's top-level fedwasm acts as the host only for the stores and event types the config's ownership block gives it, and as " + strconv.Quote(PageOwner) + " otherwise"
		}
		return "", errcode.New(errcode.OwnerNotHeld, map[string]any{"owner": named, "caller": owner},
			"the call names owner "+strconv.Quote(named)+", which its caller does not hold: "+how+"; act as "+strconv.Quote(named)+" through the scope its holder was given (fedwasm.scope, or the one fedwasm.mount hands a remote)")
	}
	return owner, nil
}

// EventOwner returns the owner the config gives event type typ, or "".
func (r *Registry) EventOwner(typ string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.ownedEvents[typ]
}

// Emitter returns the owner c emits typ as (the sender cross-tab envelopes
// carry). An event type the config gives an owner is emitted by that owner
// alone: others are refused with EVENT_OWNED.
func (r *Registry) Emitter(c Caller, typ string) (string, error) {
	declared := r.EventOwner(typ)
	owner, err := r.Acting(c, "", declared)
	if err != nil {
		return "", err
	}
	if declared != "" && owner != declared {
		return "", errcode.New(errcode.EventOwned, map[string]any{"type": typ, "owner": declared, "refused": owner},
			"event type "+strconv.Quote(typ)+" belongs to "+strconv.Quote(declared)+" (the config's ownership.events); "+strconv.Quote(owner)+" cannot emit it. Listen to it instead, or emit an event type of your own")
	}
	return owner, nil
}

// CheckSender checks a message of event type typ that another tab sent as
// sender: a type the config gives an owner is accepted from that owner only.
// It returns the drop reason and why, or "" and nil.
func (r *Registry) CheckSender(typ, sender string) (string, error) {
	declared := r.EventOwner(typ)
	if declared == "" || sender == declared {
		return "", nil
	}
	return DropNotOwner, errcode.New(errcode.EventOwned, map[string]any{"type": typ, "owner": declared, "sender": sender},
		"event type "+strconv.Quote(typ)+" belongs to "+strconv.Quote(declared)+", but another tab sent it as "+strconv.Quote(sender))
}
