package broker_test

import (
	"strings"
	"testing"

	"github.com/fedwasm/fedwasm/federation/broker"
	"github.com/fedwasm/fedwasm/federation/errcode"
)

// TestOwnersAreHeldOnce: each owner name has one holder; a second claim is
// refused, whoever makes it, and disposing the scope gives the name up.
func TestOwnersAreHeldOnce(t *testing.T) {
	r := broker.NewRegistry()
	r.Declare("shell", []string{"cart"}, nil)
	cartTeam, err := r.Claim("cart-team")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		owner, heldBy string
	}{
		{"cart-team", "scope"},
		{"shell", "host"},
		{"cart", "remote"},
	} {
		_, err := r.Claim(c.owner)
		coded := errcode.As(err, "")
		if errcode.CodeOf(err) != errcode.OwnerClaimed || coded.Details["heldBy"] != c.heldBy || !strings.Contains(coded.Message, `"`+c.owner+`"`) {
			t.Errorf("Claim(%q) = %v (details %v), want OWNER_CLAIMED held by %s", c.owner, err, coded.Details, c.heldBy)
		}
	}
	for _, bad := range []string{"", broker.PageOwner, strings.Repeat("x", broker.MaxOwnerLength+1)} {
		if _, err := r.Claim(bad); errcode.CodeOf(err) != errcode.InvalidArgument {
			t.Errorf("Claim(%.20q) = %v, want INVALID_ARGUMENT", bad, err)
		}
	}
	if !r.EndLifetime(cartTeam) {
		t.Fatal("EndLifetime of the claiming scope reported it closed already")
	}
	again, err := r.Claim("cart-team")
	if err != nil {
		t.Fatalf("after dispose the name is free again: %v", err)
	}
	if r.EndLifetime(cartTeam) {
		t.Fatal("ending the old lifetime again reported true")
	}
	if _, err := r.Claim("cart-team"); errcode.CodeOf(err) != errcode.OwnerClaimed {
		t.Fatalf("ending a stale lifetime gave the new holder's name up: %v", err)
	}
	if owner, ok := r.LifetimeOwner(again); !ok || owner != "cart-team" {
		t.Fatalf("LifetimeOwner = %q, %v", owner, ok)
	}
}

// TestRemoteNamesAreHeldForMounts: a remote's name is handed to its mounts
// (any number of them), never to fedwasm.scope; registering a remote under a
// name a scope holds is refused.
func TestRemoteNamesAreHeldForMounts(t *testing.T) {
	r := broker.NewRegistry()
	early, err := r.Claim("cart")
	if err != nil {
		t.Fatal(err)
	}
	taken := r.Declare("shell", []string{"cart", "products"}, nil)
	if len(taken) != 1 || taken[0] != early {
		t.Fatalf("Declare took %v, want the early claim of cart [%d]", taken, early)
	}
	a, errA := r.OpenMount("cart")
	b, errB := r.OpenMount("cart")
	if errA != nil || errB != nil || a == b {
		t.Fatalf("two mounts of cart: %d, %v; %d, %v", a, errA, b, errB)
	}
	r.EndLifetime(a)
	if _, err := r.Claim("cart"); errcode.CodeOf(err) != errcode.OwnerClaimed {
		t.Fatalf("after an unmount, Claim(cart) = %v, want OWNER_CLAIMED: a remote's name stays with its mounts", err)
	}
	if _, err := r.OpenMount("shell"); errcode.CodeOf(err) != errcode.OwnerClaimed {
		t.Fatalf("OpenMount(shell) = %v, want OWNER_CLAIMED", err)
	}
	team, _ := r.Claim("team")
	if err := r.HoldForMounts([]string{"later", "team"}); errcode.CodeOf(err) != errcode.OwnerClaimed {
		t.Fatalf("HoldForMounts over a claimed name = %v, want OWNER_CLAIMED", err)
	}
	if _, err := r.Claim("later"); err != nil {
		t.Fatalf("a refused HoldForMounts reserved a name: %v", err)
	}
	if err := r.HoldForMounts([]string{"cart", "extra"}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Claim("extra"); errcode.CodeOf(err) != errcode.OwnerClaimed {
		t.Fatalf("Claim(extra) after HoldForMounts = %v", err)
	}
	r.EndLifetime(team)
}

// TestActing: the owner a call acts as, and the owners it may name.
func TestActing(t *testing.T) {
	r := broker.NewRegistry()
	r.Declare("shell", []string{"cart"}, nil)
	hostile, _ := r.Claim("hostile")
	page := broker.Caller{}
	scope := broker.Caller{Lifetime: hostile, Owner: "hostile"}
	cases := []struct {
		name            string
		c               broker.Caller
		named, declared string
		want, wantCode  string
	}{
		{"the page, nothing declared", page, "", "", broker.PageOwner, ""},
		{"the page, declared for the host", page, "", "shell", "shell", ""},
		{"the page naming the host for what is declared for it", page, "shell", "shell", "shell", ""},
		{"the page naming the host for what is not declared", page, "shell", "", "", errcode.OwnerNotHeld},
		{"the page naming a remote", page, "cart", "", "", errcode.OwnerNotHeld},
		{"the page, declared for a remote", page, "", "cart", broker.PageOwner, ""},
		{"the page naming itself", page, broker.PageOwner, "", broker.PageOwner, ""},
		{"a scope", scope, "", "", "hostile", ""},
		{"a scope naming itself", scope, "hostile", "", "hostile", ""},
		{"a scope naming another team", scope, "cart-team", "", "", errcode.OwnerNotHeld},
		{"a scope naming the host", scope, "shell", "shell", "", errcode.OwnerNotHeld},
		{"a scope, declared for the host", scope, "", "shell", "hostile", ""},
	}
	for _, c := range cases {
		got, err := r.Acting(c.c, c.named, c.declared)
		if got != c.want || errcode.CodeOf(err) != c.wantCode {
			t.Errorf("%s: Acting = %q, %v; want %q, code %q", c.name, got, err, c.want, c.wantCode)
		}
	}
}

// TestOwnedEventTypes: an owned type is emitted by its owner only, in the
// page and from other tabs; other types by anyone.
func TestOwnedEventTypes(t *testing.T) {
	r := broker.NewRegistry()
	r.Declare("shell", []string{"cart"}, map[string]string{"auth:logout": "shell", "order:placed": "cart"})
	mount, _ := r.OpenMount("cart")
	hostile, _ := r.Claim("hostile")
	page := broker.Caller{}
	cart := broker.Caller{Lifetime: mount, Owner: "cart"}
	evil := broker.Caller{Lifetime: hostile, Owner: "hostile"}
	cases := []struct {
		c              broker.Caller
		typ            string
		want, wantCode string
	}{
		{page, "auth:logout", "shell", ""},
		{cart, "auth:logout", "", errcode.EventOwned},
		{evil, "auth:logout", "", errcode.EventOwned},
		{cart, "order:placed", "cart", ""},
		{page, "order:placed", "", errcode.EventOwned},
		{evil, "order:placed", "", errcode.EventOwned},
		{page, "cart:open", broker.PageOwner, ""},
		{evil, "cart:open", "hostile", ""},
	}
	for _, c := range cases {
		got, err := r.Emitter(c.c, c.typ)
		if got != c.want || errcode.CodeOf(err) != c.wantCode {
			t.Errorf("%q emits %s: %q, %v; want %q, code %q", c.c.Owner, c.typ, got, err, c.want, c.wantCode)
		}
	}
	senders := []struct {
		typ, sender, wantReason string
	}{
		{"auth:logout", "shell", ""},
		{"auth:logout", "hostile", broker.DropNotOwner},
		{"auth:logout", "", broker.DropNotOwner},
		{"order:placed", "cart", ""},
		{"order:placed", "shell", broker.DropNotOwner},
		{"cart:open", "", ""},
		{"cart:open", "anyone", ""},
	}
	for _, s := range senders {
		reason, err := r.CheckSender(s.typ, s.sender)
		if reason != s.wantReason || (err != nil) != (s.wantReason != "") {
			t.Errorf("CheckSender(%s, %q) = %q, %v; want %q", s.typ, s.sender, reason, err, s.wantReason)
		}
	}
}

func TestEnvelopeCarriesItsSender(t *testing.T) {
	env, _, err := broker.DecodeEnvelope([]byte(`{"v":2,"type":"auth:logout","tab":"t","owner":"shell"}`))
	if err != nil || env.Owner != "shell" {
		t.Fatalf("DecodeEnvelope = %+v, %v", env, err)
	}
	if _, reason, _ := broker.DecodeEnvelope([]byte(`{"v":2,"type":"x","tab":"t","owner":5}`)); reason != broker.DropBadShape {
		t.Fatalf("an owner that is not a string: reason %q, want %s", reason, broker.DropBadShape)
	}
}
