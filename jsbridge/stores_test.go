//go:build js && wasm

package jsbridge

import (
	"math"
	"strings"
	"syscall/js"
	"testing"
	"time"
)

// storeReport returns inspect().stores' entry for name, or undefined.
func (e *env) storeReport(name string) js.Value {
	e.t.Helper()
	stores := e.inspect().Get("stores")
	for i := 0; i < stores.Length(); i++ {
		if str(stores.Index(i), "name") == name {
			return stores.Index(i)
		}
	}
	return js.Undefined()
}

// stores.get returns the very object provided, to every consumer.
func TestStoresProvideGetIdentity(t *testing.T) {
	e := newEnv(t)
	cart := obj("items", arr())
	hook := resolvedWith(cart) // a function store, like a zustand hook
	if got := e.scopeCall(e.claim("cart-mfe"), "stores.provide", "cart", cart, obj("version", "1.2.0")); !got.IsUndefined() {
		t.Fatalf("stores.provide returned %s, want undefined", describe(got))
	}
	notThrown(t, e.call("stores.provide", "useCart", hook))
	for _, opts := range []js.Value{js.Undefined(), obj("owner", "products"), obj("requiredVersion", "^1.0.0", "timeoutMs", 100)} {
		if got := resolves(t, e.call("stores.get", "cart", opts)); !same(got, cart) {
			t.Fatalf("stores.get(cart, %s) = %s, want the provided object", stringify(opts), describe(got))
		}
	}
	if got := resolves(t, e.call("stores.get", "useCart")); !same(got, hook) {
		t.Fatalf("stores.get(useCart) = %s, want the provided function", describe(got))
	}
	rep := e.storeReport("cart")
	if str(rep, "owner") != "cart-mfe" || str(rep, "version") != "1.2.0" || !rep.Get("provided").Bool() || rep.Get("waiting").Int() != 0 {
		t.Errorf("inspect() store report = %s, want owner cart-mfe, version 1.2.0, provided, 0 waiting", stringify(rep))
	}
	if got := str(e.storeReport("useCart"), "owner"); got != "(page)" {
		t.Errorf("owner of a store the page provides = %q, want (page): owners never default to the host's name", got)
	}
}

// stores.get before provide waits, shows up in inspect() as waiting, and
// resolves once the store is provided.
func TestStoresGetWaitsForProvide(t *testing.T) {
	e := newEnv(t)
	first := e.call("stores.get", "cart")
	second := e.call("stores.get", "cart", obj("owner", "products", "timeoutMs", 3000))
	waitFor(t, "two waiters in inspect()", func() bool {
		return e.storeReport("cart").Type() == js.TypeObject && e.storeReport("cart").Get("waiting").Int() == 2
	})
	rep := e.storeReport("cart")
	if rep.Get("provided").Bool() {
		t.Errorf("store reported provided before provide: %s", stringify(rep))
	}
	if state(t, first) != "pending" {
		t.Fatal("stores.get settled before the store was provided")
	}
	cart := obj("items", arr())
	notThrown(t, e.scopeCall(e.claim("cart-mfe"), "stores.provide", "cart", cart, obj("owner", "cart-mfe")))
	for i, p := range []js.Value{first, second} {
		if got := resolves(t, p); !same(got, cart) {
			t.Fatalf("waiter %d got %s, want the provided object", i, describe(got))
		}
	}
	rep = e.storeReport("cart")
	if rep.Get("waiting").Int() != 0 || !rep.Get("provided").Bool() || str(rep, "owner") != "cart-mfe" {
		t.Errorf("inspect() store report after provide = %s", stringify(rep))
	}
}

// An unprovided store times out with STORE_TIMEOUT naming the store, and the
// waiter is removed.
func TestStoresGetTimeout(t *testing.T) {
	e := newEnv(t)
	start := time.Now()
	err := rejects(t, e.call("stores.get", "session", obj("timeoutMs", 40, "owner", "cart")), "STORE_TIMEOUT")
	if elapsed := time.Since(start); elapsed < 30*time.Millisecond {
		t.Errorf("rejected after %v, before timeoutMs", elapsed)
	}
	if got := str(err, "details", "store"); got != "session" {
		t.Errorf("details.store = %q, want session", got)
	}
	if got := str(err, "details", "consumer"); got != "cart" {
		t.Errorf("details.consumer = %q, want cart", got)
	}
	if msg := err.Get("message").String(); !strings.Contains(msg, `"session"`) {
		t.Errorf("message %q does not name the store", msg)
	}
	if rep := e.storeReport("session"); rep.Type() == js.TypeObject && rep.Get("waiting").Int() != 0 {
		t.Errorf("inspect() still counts a waiter after the timeout: %s", stringify(rep))
	}
	// Providing it later works, and a new get gets it.
	s := obj()
	notThrown(t, e.call("stores.provide", "session", s))
	if got := resolves(t, e.call("stores.get", "session", obj("timeoutMs", 40))); !same(got, s) {
		t.Fatalf("stores.get after provide = %s", describe(got))
	}
}

// timeoutMs: 0 means "do not wait": a provided store is returned, a missing one times out.
func TestStoresGetZeroTimeout(t *testing.T) {
	e := newEnv(t)
	s := obj()
	notThrown(t, e.call("stores.provide", "cart", s))
	for i := 0; i < 40; i++ {
		if got := resolves(t, e.call("stores.get", "cart", obj("timeoutMs", 0))); !same(got, s) {
			t.Fatalf("attempt %d: got %s", i, describe(got))
		}
	}
	rejects(t, e.call("stores.get", "missing", obj("timeoutMs", 0)), "STORE_TIMEOUT")
}

// timeoutMs: Infinity waits (it must not overflow into an immediate timeout).
func TestStoresGetInfiniteTimeout(t *testing.T) {
	e := newEnv(t)
	p := e.call("stores.get", "late", obj("timeoutMs", math.Inf(1)))
	waitFor(t, "the waiter", func() bool {
		return e.storeReport("late").Type() == js.TypeObject && e.storeReport("late").Get("waiting").Int() == 1
	})
	time.Sleep(20 * time.Millisecond)
	if got := state(t, p); got != "pending" {
		t.Fatalf("stores.get with timeoutMs Infinity is %s before provide, want pending", got)
	}
	s := obj()
	notThrown(t, e.call("stores.provide", "late", s))
	if got := resolves(t, p); !same(got, s) {
		t.Fatalf("got %s", describe(got))
	}
}

// Another owner cannot replace a store (STORE_OWNED, returned marked to be
// thrown); the first store stays; its owner may replace it through its scope.
func TestStoresOwned(t *testing.T) {
	e := newEnv(t)
	first, second, third := obj("n", 1), obj("n", 2), obj("n", 3)
	cartMFE := e.claim("cart-mfe")
	notThrown(t, e.scopeCall(cartMFE, "stores.provide", "cart", first, obj("version", "1.0.0")))
	err := thrown(t, e.scopeCall(e.claim("products"), "stores.provide", "cart", second), "STORE_OWNED")
	if str(err, "details", "owner") != "cart-mfe" || str(err, "details", "refused") != "products" || str(err, "details", "store") != "cart" {
		t.Errorf("details = %s, want store cart, owner cart-mfe, refused products", stringify(err.Get("details")))
	}
	// The page's top-level fedwasm acts as "(page)": refused too.
	thrown(t, e.call("stores.provide", "cart", second), "STORE_OWNED")
	if got := resolves(t, e.call("stores.get", "cart")); !same(got, first) {
		t.Fatalf("after the refused provide, stores.get = %s, want the first store", describe(got))
	}
	if got := str(e.storeReport("cart"), "owner"); got != "cart-mfe" {
		t.Errorf("owner = %q, want cart-mfe", got)
	}
	notThrown(t, e.scopeCall(cartMFE, "stores.provide", "cart", third, obj("owner", "cart-mfe", "version", "1.1.0")))
	if got := resolves(t, e.call("stores.get", "cart")); !same(got, third) {
		t.Fatalf("after the owner's replacement, stores.get = %s, want it", describe(got))
	}
}

// requiredVersion is checked against the provided version.
func TestStoresVersion(t *testing.T) {
	e := newEnv(t)
	s := obj()
	notThrown(t, e.scopeCall(e.claim("cart-mfe"), "stores.provide", "cart", s, obj("version", "1.2.0")))
	notThrown(t, e.call("stores.provide", "unversioned", obj()))
	tests := []struct {
		store, required, code string
	}{
		{"cart", "^1.0.0", ""},
		{"cart", "1.2.x", ""},
		{"cart", "*", ""},
		{"cart", "^2.0.0", "STORE_VERSION_MISMATCH"},
		{"cart", "<1.2.0", "STORE_VERSION_MISMATCH"},
		{"unversioned", "^1.0.0", "STORE_VERSION_MISMATCH"},
		{"cart", "^^1", "INVALID_ARGUMENT"},
	}
	for _, tc := range tests {
		p := e.call("stores.get", tc.store, obj("requiredVersion", tc.required, "owner", "products", "timeoutMs", 100))
		if tc.code == "" {
			if got := resolves(t, p); !same(got, s) {
				t.Errorf("stores.get(%s, %s) = %s", tc.store, tc.required, describe(got))
			}
			continue
		}
		err := rejects(t, p, tc.code)
		if tc.code == "STORE_VERSION_MISMATCH" {
			if str(err, "details", "requiredVersion") != tc.required || str(err, "details", "consumer") != "products" {
				t.Errorf("details = %s", stringify(err.Get("details")))
			}
		}
	}
	// A waiting get is checked when the store arrives.
	p := e.call("stores.get", "later", obj("requiredVersion", "^3.0.0"))
	notThrown(t, e.call("stores.provide", "later", obj(), obj("version", "2.0.0")))
	rejects(t, p, "STORE_VERSION_MISMATCH")
}

// Bad arguments to stores.provide and stores.get are coded errors, never panics.
func TestStoresBadArguments(t *testing.T) {
	provide := []struct {
		name string
		args []any
		code string
	}{
		{"number store", []any{"cart", 5}, "STORE_INVALID"},
		{"string store", []any{"cart", "store"}, "STORE_INVALID"},
		{"null store", []any{"cart", js.Null()}, "STORE_INVALID"},
		{"missing store", []any{"cart"}, "STORE_INVALID"},
		{"boolean store", []any{"cart", true}, "STORE_INVALID"},
		{"bad version", []any{"cart", obj(), obj("version", "one")}, "STORE_INVALID"},
		{"number name", []any{5, obj()}, "INVALID_ARGUMENT"},
		{"empty name", []any{"", obj()}, "INVALID_ARGUMENT"},
		{"no arguments", nil, "INVALID_ARGUMENT"},
		{"string options", []any{"cart", obj(), "1.0.0"}, "INVALID_ARGUMENT"},
		{"version a number", []any{"cart", obj(), obj("version", 1)}, "INVALID_ARGUMENT"},
		{"owner a number", []any{"cart", obj(), obj("owner", 1)}, "INVALID_ARGUMENT"},
	}
	for _, tc := range provide {
		t.Run("provide "+tc.name, func(t *testing.T) {
			e := newEnv(t)
			thrown(t, e.call("stores.provide", tc.args...), tc.code)
			if rep := e.storeReport("cart"); rep.Type() == js.TypeObject {
				t.Errorf("a refused provide registered %s", stringify(rep))
			}
			notThrown(t, e.call("stores.provide", "cart", obj()))
		})
	}
	get := []struct {
		name string
		args []any
	}{
		{"no arguments", nil},
		{"number name", []any{1}},
		{"empty name", []any{""}},
		{"string options", []any{"cart", "^1.0.0"}},
		{"timeoutMs a string", []any{"cart", obj("timeoutMs", "100")}},
		{"timeoutMs negative", []any{"cart", obj("timeoutMs", -1)}},
		{"requiredVersion a number", []any{"cart", obj("requiredVersion", 1)}},
		{"owner a boolean", []any{"cart", obj("owner", true)}},
	}
	for _, tc := range get {
		t.Run("get "+tc.name, func(t *testing.T) {
			e := newEnv(t)
			rejects(t, e.call("stores.get", tc.args...), "INVALID_ARGUMENT")
			s := obj()
			notThrown(t, e.call("stores.provide", "cart", s))
			if got := resolves(t, e.call("stores.get", "cart")); !same(got, s) {
				t.Fatalf("stores.get after the bad call = %s", describe(got))
			}
		})
	}
}
