package federation

import (
	"github.com/fedwasm/fedwasm/federation/broker"
	"github.com/fedwasm/fedwasm/federation/store"
)

// The shared stores, through the runtime (see store.Registry).

// ProvideStore offers a store instance under its name for caller c, and
// returns the entry as provided. e.Owner is the owner the call names ("" for
// none); the owner it is provided as is the one c acts as (see
// broker.Registry.Acting). A store declared for another owner, or provided
// by another owner, is refused; the page's top-level API provides a store
// once, a scope may replace its own.
func (r *Runtime) ProvideStore(e store.Entry[any], c broker.Caller) (store.Entry[any], error) {
	owner, err := r.broker.Acting(c, e.Owner, r.stores.DeclaredOwner(e.Name))
	if err != nil {
		return e, err
	}
	e.Owner = owner
	return e, r.stores.Provide(e, !c.Page())
}

// Store returns the store provided under name.
func (r *Runtime) Store(name string) (store.Entry[any], bool) { return r.stores.Lookup(name) }

// WaitStore waits for the store called name; cancel stops waiting.
func (r *Runtime) WaitStore(name string) (<-chan store.Entry[any], func()) {
	return r.stores.Wait(name)
}

// WithdrawStore withdraws owner's store called name.
func (r *Runtime) WithdrawStore(name, owner string) bool { return r.stores.Withdraw(name, owner) }
