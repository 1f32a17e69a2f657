package federation

import "github.com/fedwasm/fedwasm/federation/broker"

// The broker's bookkeeping, through the runtime (see broker.Registry):
// what each owner registered, lifetimes, and message counts.

// Track records an item (a listener, subscription, store or channel).
func (r *Runtime) Track(it broker.Item) broker.ItemID { return r.broker.Add(it) }

// Untrack forgets item id; it reports whether it was tracked.
func (r *Runtime) Untrack(id broker.ItemID) bool { return r.broker.Remove(id) }

// ClaimScope opens a lifetime for owner for fedwasm.scope(owner), refused
// while anyone holds owner (see broker.Registry.Claim).
func (r *Runtime) ClaimScope(owner string) (broker.LifetimeID, error) { return r.broker.Claim(owner) }

// OpenMount opens a lifetime of remote name for one of its mounts.
func (r *Runtime) OpenMount(name string) (broker.LifetimeID, error) { return r.broker.OpenMount(name) }

// ActingOwner returns the owner c acts as in a call that names owner named
// ("" for none), or OWNER_NOT_HELD (see broker.Registry.Acting).
func (r *Runtime) ActingOwner(c broker.Caller, named string) (string, error) {
	return r.broker.Acting(c, named, "")
}

// Emitter returns the owner c emits event type typ as, or EVENT_OWNED.
func (r *Runtime) Emitter(c broker.Caller, typ string) (string, error) {
	return r.broker.Emitter(c, typ)
}

// CheckSender checks the sender of another tab's message of type typ (see
// broker.Registry.CheckSender).
func (r *Runtime) CheckSender(typ, sender string) (string, error) {
	return r.broker.CheckSender(typ, sender)
}

// LifetimeOwner returns the owner of a lifetime that has not ended.
func (r *Runtime) LifetimeOwner(id broker.LifetimeID) (string, bool) {
	return r.broker.LifetimeOwner(id)
}

// InLifetime lists what was registered through lifetime id, oldest first.
func (r *Runtime) InLifetime(id broker.LifetimeID) []broker.ItemID { return r.broker.InLifetime(id) }

// EndLifetime ends lifetime id.
func (r *Runtime) EndLifetime(id broker.LifetimeID) bool { return r.broker.EndLifetime(id) }

// CountEmitted counts an event emitted in this page.
func (r *Runtime) CountEmitted() { r.broker.CountEmitted() }

// CountEmittedN counts n events the page emitted on its own.
func (r *Runtime) CountEmittedN(n int) { r.broker.CountEmittedN(n) }

// CountReceived counts a valid message from another tab.
func (r *Runtime) CountReceived() { r.broker.CountReceived() }

// CountListenerError counts a listener that threw.
func (r *Runtime) CountListenerError() { r.broker.CountListenerError() }

// Drop counts n messages from another tab dropped for reason.
func (r *Runtime) Drop(reason string, n int) { r.broker.Drop(reason, n) }
