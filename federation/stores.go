package federation

import "github.com/fedwasm/fedwasm/federation/store"

// The shared stores, through the runtime (see store.Registry).

// ProvideStore offers a store instance under its name; another owner's is refused.
func (r *Runtime) ProvideStore(e store.Entry[any]) error { return r.stores.Provide(e) }

// Store returns the store provided under name.
func (r *Runtime) Store(name string) (store.Entry[any], bool) { return r.stores.Lookup(name) }

// WaitStore waits for the store called name; cancel stops waiting.
func (r *Runtime) WaitStore(name string) (<-chan store.Entry[any], func()) {
	return r.stores.Wait(name)
}

// WithdrawStore withdraws owner's store called name.
func (r *Runtime) WithdrawStore(name, owner string) bool { return r.stores.Withdraw(name, owner) }
