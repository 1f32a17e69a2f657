package broker_test

import (
	"strings"
	"testing"

	"github.com/fedwasm/fedwasm/federation/broker"
)

func TestRegistryTracksItemsPerOwner(t *testing.T) {
	r := broker.NewRegistry()
	a := r.Add(broker.Item{Kind: broker.Listener, Owner: "cart", Name: "cart:open"})
	b := r.Add(broker.Item{Kind: broker.Listener, Owner: "cart", Name: "auth:logout"})
	c := r.Add(broker.Item{Kind: broker.Subscription, Owner: "products", Name: "cart"})
	if got := r.InLifetime(0); len(got) != 3 || got[0] != a || got[1] != b || got[2] != c {
		t.Fatalf("InLifetime(0) (items registered outside a scope) = %v, want [%d %d %d] oldest first", got, a, b, c)
	}
	rep := r.Snapshot()
	if rep.Owners["cart"][broker.Listener] != 2 || rep.Owners["products"][broker.Subscription] != 1 {
		t.Fatalf("owners = %v", rep.Owners)
	}
	if !r.Remove(a) || r.Remove(a) {
		t.Fatal("Remove should report true once, then false")
	}
	r.Remove(b)
	r.Remove(c)
	if rep := r.Snapshot(); len(rep.Owners) != 0 {
		t.Fatalf("after removing everything owners = %v, want none", rep.Owners)
	}
}

func TestRegistryCounters(t *testing.T) {
	r := broker.NewRegistry()
	r.CountEmitted()
	r.CountEmitted()
	r.CountReceived()
	r.CountListenerError()
	r.Drop(broker.DropTooLarge, 1)
	r.Drop(broker.DropTooLarge, 1)
	r.Drop(broker.DropRateLimited, 40)
	r.Drop(broker.DropRateLimited, 0)
	rep := r.Snapshot()
	if rep.Emitted != 2 || rep.Received != 1 || rep.ListenerErrors != 1 || rep.Dropped[broker.DropTooLarge] != 2 || rep.Dropped[broker.DropRateLimited] != 40 {
		t.Fatalf("counters = %+v", rep)
	}
}

func TestDecodeEnvelope(t *testing.T) {
	big := `{"v":2,"type":"x","tab":"t","detail":"` + strings.Repeat("a", 3*broker.MaxMessageLength) + `"}`
	cases := []struct {
		name, json, wantReason string
	}{
		{"valid", `{"v":2,"type":"cart:open","tab":"t1","detail":{"id":1}}`, ""},
		{"valid without detail", `{"v":2,"type":"auth:logout","tab":"t1"}`, ""},
		{"not an object", `"hello"`, broker.DropBadShape},
		{"not JSON", `{`, broker.DropBadShape},
		{"unknown version (the first runtime's)", `{"v":1,"type":"x","tab":"t"}`, broker.DropBadVersion},
		{"no version", `{"type":"x","tab":"t"}`, broker.DropBadVersion},
		{"type with a space", `{"v":2,"type":"a b","tab":"t"}`, broker.DropBadEventType},
		{"empty type", `{"v":2,"type":"","tab":"t"}`, broker.DropBadEventType},
		{"type not a string", `{"v":2,"type":5,"tab":"t"}`, broker.DropBadShape},
		{"no tab", `{"v":2,"type":"x"}`, broker.DropBadShape},
		{"too large", big, broker.DropTooLarge},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env, reason, err := broker.DecodeEnvelope([]byte(c.json))
			if reason != c.wantReason || (err == nil) != (c.wantReason == "") {
				t.Fatalf("reason = %q, err = %v; want reason %q", reason, err, c.wantReason)
			}
			if err == nil && (env.V != broker.EnvelopeVersion || env.Type == "" || env.Tab == "") {
				t.Fatalf("decoded %+v", env)
			}
		})
	}
}

func TestValidateEventType(t *testing.T) {
	for _, typ := range []string{"cart:open", "a", strings.Repeat("x", 128)} {
		if err := broker.ValidateEventType(typ); err != nil {
			t.Errorf("%q: %v", typ, err)
		}
	}
	for _, typ := range []string{"", "a b", "tab\there", strings.Repeat("x", 129)} {
		if err := broker.ValidateEventType(typ); err == nil {
			t.Errorf("%q was accepted", typ)
		}
	}
}

// FuzzDecodeEnvelope: arbitrary bytes never panic, and an accepted envelope
// always has the known version, a valid type and a tab.
func FuzzDecodeEnvelope(f *testing.F) {
	for _, seed := range []string{`{"v":2,"type":"cart:open","tab":"t1","detail":{"id":1}}`, `{"v":2}`, `[]`, `null`, `{"v":2,"type":" ","tab":""}`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		env, reason, err := broker.DecodeEnvelope(data)
		if err != nil {
			if reason == "" {
				t.Fatalf("error %v without a drop reason", err)
			}
			return
		}
		if env.V != broker.EnvelopeVersion || broker.ValidateEventType(env.Type) != nil || env.Tab == "" {
			t.Fatalf("accepted a bad envelope %+v", env)
		}
	})
}

func TestScopesGroupItemsForRelease(t *testing.T) {
	r := broker.NewRegistry()
	s1, _ := r.OpenMount("cart")
	s2, _ := r.OpenMount("cart") // a second mount of the same remote
	a := r.Add(broker.Item{Kind: broker.Listener, Owner: "cart", Name: "x", Lifetime: s1})
	b := r.Add(broker.Item{Kind: broker.Subscription, Owner: "cart", Name: "cart", Lifetime: s2})
	r.Add(broker.Item{Kind: broker.Listener, Owner: "cart", Name: "y"}) // not in a scope
	if got := r.InLifetime(s1); len(got) != 1 || got[0] != a {
		t.Fatalf("InLifetime(s1) = %v, want [%d]", got, a)
	}
	if got := r.InLifetime(s2); len(got) != 1 || got[0] != b {
		t.Fatalf("InLifetime(s2) = %v, want [%d]", got, b)
	}
	if owner, ok := r.LifetimeOwner(s1); !ok || owner != "cart" {
		t.Fatalf("LifetimeOwner(s1) = %q, %v", owner, ok)
	}
	if n := r.Snapshot().Scopes["cart"]; n != 2 {
		t.Fatalf("open scopes of cart = %d, want 2", n)
	}
	if !r.EndLifetime(s1) || r.EndLifetime(s1) {
		t.Fatal("EndLifetime should report true once, then false")
	}
	if _, ok := r.LifetimeOwner(s1); ok {
		t.Fatal("a closed scope still has an owner")
	}
	if n := r.Snapshot().Scopes["cart"]; n != 1 {
		t.Fatalf("open scopes of cart = %d, want 1", n)
	}
}
