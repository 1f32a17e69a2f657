package store_test

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/store"
)

type handle struct{ id int }

func entry(name, owner, version string, id int) store.Entry[handle] {
	return store.Entry[handle]{Name: name, Owner: owner, Version: version, Handle: handle{id}}
}

func TestProvide(t *testing.T) {
	type step struct {
		e         store.Entry[handle]
		once      bool // provided by the page's top-level API, which cannot replace
		wantCode  string
		wantInMsg []string
	}
	tests := []struct {
		name     string
		declared map[string]string // the config's ownership.stores
		steps    []step
		want     map[string]store.Entry[handle] // Lookup results afterwards
	}{
		{
			name:  "provide then lookup",
			steps: []step{{e: entry("cart", "cart-mfe", "1.0.0", 1)}},
			want:  map[string]store.Entry[handle]{"cart": entry("cart", "cart-mfe", "1.0.0", 1)},
		},
		{
			name:  "no version is allowed",
			steps: []step{{e: entry("cart", "cart-mfe", "", 1)}},
			want:  map[string]store.Entry[handle]{"cart": entry("cart", "cart-mfe", "", 1)},
		},
		{
			name: "another owner is refused and the first stays",
			steps: []step{
				{e: entry("cart", "cart-mfe", "1.0.0", 1)},
				{e: entry("cart", "evil", "2.0.0", 2), wantCode: errcode.StoreOwned, wantInMsg: []string{`"cart"`, `"cart-mfe"`, `"evil"`}},
			},
			want: map[string]store.Entry[handle]{"cart": entry("cart", "cart-mfe", "1.0.0", 1)},
		},
		{
			name: "the same owner may replace its store",
			steps: []step{
				{e: entry("cart", "cart-mfe", "1.0.0", 1)},
				{e: entry("cart", "cart-mfe", "1.1.0", 2)},
			},
			want: map[string]store.Entry[handle]{"cart": entry("cart", "cart-mfe", "1.1.0", 2)},
		},
		{
			name: "what the page's top-level API provided stays, whoever provides it again",
			steps: []step{
				{e: entry("cart", "shell", "1.0.0", 1), once: true},
				{e: entry("cart", "shell", "1.1.0", 2), once: true, wantCode: errcode.StoreOwned, wantInMsg: []string{`"cart"`, "provides a store once"}},
				{e: entry("cart", "shell", "1.2.0", 3), wantCode: ""}, // through the owner's scope
			},
			want: map[string]store.Entry[handle]{"cart": entry("cart", "shell", "1.2.0", 3)},
		},
		{
			name: "a page store cannot be replaced by the page",
			steps: []step{
				{e: entry("draft", "(page)", "", 1), once: true},
				{e: entry("draft", "(page)", "", 2), once: true, wantCode: errcode.StoreOwned},
			},
			want: map[string]store.Entry[handle]{"draft": entry("draft", "(page)", "", 1)},
		},
		{
			name:     "a declared store is provided by its owner only",
			declared: map[string]string{"cart": "shell"},
			steps: []step{
				{e: entry("cart", "hostile", "1.0.0", 1), wantCode: errcode.StoreOwned, wantInMsg: []string{`"shell"`, "ownership.stores", `"hostile"`}},
				{e: entry("cart", "(page)", "1.0.0", 2), once: true, wantCode: errcode.StoreOwned},
				{e: entry("cart", "shell", "1.0.0", 3), once: true},
				{e: entry("other", "hostile", "1.0.0", 4)},
			},
			want: map[string]store.Entry[handle]{"cart": entry("cart", "shell", "1.0.0", 3), "other": entry("other", "hostile", "1.0.0", 4)},
		},
		{
			name: "owner comparison is exact (case sensitive)",
			steps: []step{
				{e: entry("cart", "cart-mfe", "1.0.0", 1)},
				{e: entry("cart", "Cart-mfe", "1.0.0", 2), wantCode: errcode.StoreOwned},
			},
			want: map[string]store.Entry[handle]{"cart": entry("cart", "cart-mfe", "1.0.0", 1)},
		},
		{
			name: "different names do not conflict",
			steps: []step{
				{e: entry("cart", "a", "1.0.0", 1)},
				{e: entry("user", "b", "1.0.0", 2)},
			},
			want: map[string]store.Entry[handle]{"cart": entry("cart", "a", "1.0.0", 1), "user": entry("user", "b", "1.0.0", 2)},
		},
		{
			name: "empty name is refused",
			steps: []step{
				{e: entry("", "a", "1.0.0", 1), wantCode: errcode.InvalidArgument, wantInMsg: []string{`"a"`}},
			},
			want: map[string]store.Entry[handle]{},
		},
		{
			name: "invalid version is refused",
			steps: []step{
				{e: entry("cart", "a", "one", 1), wantCode: errcode.StoreInvalid, wantInMsg: []string{`"cart"`, `"a"`, `"one"`}},
			},
			want: map[string]store.Entry[handle]{},
		},
		{
			name: "a refused replacement with a bad version is STORE_INVALID, the original stays",
			steps: []step{
				{e: entry("cart", "a", "1.0.0", 1)},
				{e: entry("cart", "a", "x.y", 2), wantCode: errcode.StoreInvalid},
			},
			want: map[string]store.Entry[handle]{"cart": entry("cart", "a", "1.0.0", 1)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := store.NewRegistry[handle]()
			r.Declare(tt.declared)
			for i, s := range tt.steps {
				err := r.Provide(s.e, !s.once)
				if errcode.CodeOf(err) != s.wantCode {
					t.Fatalf("step %d: Provide(%+v) = %v, want code %q", i, s.e, err, s.wantCode)
				}
				for _, w := range s.wantInMsg {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("step %d: message %q does not contain %s", i, err.Error(), w)
					}
				}
			}
			for name, want := range tt.want {
				got, ok := r.Lookup(name)
				if !ok || got != want {
					t.Errorf("Lookup(%q) = %+v, %v; want %+v", name, got, ok, want)
				}
			}
			if snap := r.Snapshot(); len(snap) != len(tt.want) {
				t.Errorf("Snapshot = %+v, want %d entries", snap, len(tt.want))
			}
		})
	}
}

func TestStoreOwnedDetails(t *testing.T) {
	r := store.NewRegistry[handle]()
	_ = r.Provide(entry("cart", "cart-mfe", "1.0.0", 1), true)
	err := r.Provide(entry("cart", "checkout", "1.0.0", 2), true)
	var coded *errcode.Error
	if !errors.As(err, &coded) {
		t.Fatalf("err = %v", err)
	}
	want := map[string]any{"store": "cart", "owner": "cart-mfe", "refused": "checkout"}
	if !reflect.DeepEqual(coded.Details, want) {
		t.Errorf("details = %v, want %v", coded.Details, want)
	}
}

func TestLookupMissing(t *testing.T) {
	r := store.NewRegistry[handle]()
	if e, ok := r.Lookup("nope"); ok || e != (store.Entry[handle]{}) {
		t.Errorf("Lookup of a missing store = %+v, %v", e, ok)
	}
}

func waitingFor(r *store.Registry[handle], name string) int {
	for _, rep := range r.Snapshot() {
		if rep.Name == name {
			return rep.Waiting
		}
	}
	return 0
}

func TestWaitAlreadyProvided(t *testing.T) {
	r := store.NewRegistry[handle]()
	want := entry("cart", "a", "1.0.0", 7)
	if err := r.Provide(want, true); err != nil {
		t.Fatal(err)
	}
	ch, cancel := r.Wait("cart")
	defer cancel()
	select {
	case got := <-ch:
		if got != want {
			t.Errorf("Wait got %+v, want %+v", got, want)
		}
	default:
		t.Fatal("Wait on a provided store did not deliver at once")
	}
	if n := waitingFor(r, "cart"); n != 0 {
		t.Errorf("Waiting = %d, want 0", n)
	}
	cancel() // cancelling twice is harmless
}

func TestWaitProvidedLater(t *testing.T) {
	r := store.NewRegistry[handle]()
	const waiters = 5
	chans := make([]<-chan store.Entry[handle], waiters)
	cancels := make([]func(), waiters)
	for i := range chans {
		chans[i], cancels[i] = r.Wait("cart")
	}
	if got := r.Snapshot(); len(got) != 1 || got[0] != (store.Report{Name: "cart", Waiting: waiters}) {
		t.Fatalf("Snapshot before provide = %+v", got)
	}
	for _, ch := range chans {
		select {
		case e := <-ch:
			t.Fatalf("received %+v before provide", e)
		default:
		}
	}
	want := entry("cart", "a", "1.0.0", 1)
	done := make(chan error)
	go func() { done <- r.Provide(want, true) }()
	for i, ch := range chans {
		select {
		case got := <-ch:
			if got != want {
				t.Errorf("waiter %d got %+v, want %+v", i, got, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("waiter %d never received the entry", i)
		}
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	for _, c := range cancels {
		c() // after delivery: no effect
	}
	if got := r.Snapshot(); len(got) != 1 || got[0] != (store.Report{Name: "cart", Owner: "a", Version: "1.0.0", Provided: true}) {
		t.Errorf("Snapshot after provide = %+v", got)
	}
	// Replacing the store later does not send to the old (already served) waiters.
	if err := r.Provide(entry("cart", "a", "1.1.0", 2), true); err != nil {
		t.Fatal(err)
	}
	for i, ch := range chans {
		select {
		case e := <-ch:
			t.Errorf("waiter %d received a second entry %+v", i, e)
		default:
		}
	}
}

func TestWaitCancel(t *testing.T) {
	r := store.NewRegistry[handle]()
	ch1, cancel1 := r.Wait("cart")
	ch2, cancel2 := r.Wait("cart")
	if n := waitingFor(r, "cart"); n != 2 {
		t.Fatalf("Waiting = %d, want 2", n)
	}
	cancel1()
	if n := waitingFor(r, "cart"); n != 1 {
		t.Fatalf("Waiting after one cancel = %d, want 1", n)
	}
	cancel1() // twice: harmless
	if n := waitingFor(r, "cart"); n != 1 {
		t.Fatalf("Waiting after a repeated cancel = %d, want 1", n)
	}
	cancel2()
	if n := waitingFor(r, "cart"); n != 0 {
		t.Fatalf("Waiting after both cancels = %d, want 0", n)
	}
	if snap := r.Snapshot(); len(snap) != 0 {
		t.Errorf("Snapshot after cancelling every waiter of an unprovided store = %+v, want empty", snap)
	}
	if err := r.Provide(entry("cart", "a", "1.0.0", 1), true); err != nil {
		t.Fatal(err)
	}
	for i, ch := range []<-chan store.Entry[handle]{ch1, ch2} {
		select {
		case e := <-ch:
			t.Errorf("cancelled waiter %d received %+v", i, e)
		default:
		}
	}
}

func TestWaitRefusedProvideDoesNotDeliver(t *testing.T) {
	r := store.NewRegistry[handle]()
	ch, cancel := r.Wait("cart")
	defer cancel()
	if err := r.Provide(entry("cart", "a", "bad version", 1), true); errcode.CodeOf(err) != errcode.StoreInvalid {
		t.Fatalf("err = %v", err)
	}
	select {
	case e := <-ch:
		t.Fatalf("waiter received refused entry %+v", e)
	default:
	}
	if n := waitingFor(r, "cart"); n != 1 {
		t.Errorf("Waiting = %d, want 1", n)
	}
}

func TestCheckVersion(t *testing.T) {
	tests := []struct {
		name      string
		version   string
		required  string
		wantCode  string
		wantInMsg []string
	}{
		{name: "empty range accepts", version: "1.0.0", required: ""},
		{name: "star accepts", version: "1.0.0", required: "*"},
		{name: "empty range accepts a store without version", version: "", required: ""},
		{name: "star accepts a store without version", version: "", required: "*"},
		{name: "satisfied", version: "1.4.0", required: "^1.2.0"},
		{name: "exact", version: "2.0.0", required: "2.0.0"},
		{name: "not satisfied", version: "2.0.0", required: "^1.0.0", wantCode: errcode.StoreVersionMismatch,
			wantInMsg: []string{`"cart"`, `"owner"`, "2.0.0", `"checkout"`, `"^1.0.0"`}},
		{name: "store without version does not satisfy a range", version: "", required: "^1.0.0", wantCode: errcode.StoreVersionMismatch,
			wantInMsg: []string{"(none)", `"^1.0.0"`}},
		{name: "bad range", version: "1.0.0", required: "^^1", wantCode: errcode.InvalidArgument,
			wantInMsg: []string{`"cart"`, `"checkout"`, `"^^1"`}},
		{name: "bad range with no store version", version: "", required: "not a range", wantCode: errcode.InvalidArgument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := entry("cart", "owner", tt.version, 1)
			err := store.CheckVersion(e, tt.required, "checkout")
			if errcode.CodeOf(err) != tt.wantCode {
				t.Fatalf("CheckVersion = %v, want code %q", err, tt.wantCode)
			}
			if err == nil {
				return
			}
			for _, w := range tt.wantInMsg {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("message %q does not contain %s", err.Error(), w)
				}
			}
			var coded *errcode.Error
			errors.As(err, &coded)
			want := map[string]any{"store": "cart", "owner": "owner", "version": tt.version, "requiredVersion": tt.required, "consumer": "checkout"}
			if !reflect.DeepEqual(coded.Details, want) {
				t.Errorf("details = %v, want %v", coded.Details, want)
			}
		})
	}
}

func TestSnapshotSorted(t *testing.T) {
	r := store.NewRegistry[handle]()
	_ = r.Provide(entry("zeta", "z", "", 1), true)
	_ = r.Provide(entry("alpha", "a", "1.0.0", 2), true)
	_, cancel := r.Wait("mid")
	defer cancel()
	_, cancel2 := r.Wait("alpha") // provided: delivered at once, not counted
	defer cancel2()
	want := []store.Report{
		{Name: "alpha", Owner: "a", Version: "1.0.0", Provided: true},
		{Name: "mid", Waiting: 1},
		{Name: "zeta", Owner: "z", Provided: true},
	}
	if got := r.Snapshot(); !reflect.DeepEqual(got, want) {
		t.Errorf("Snapshot = %+v, want %+v", got, want)
	}
	if got := store.NewRegistry[handle]().Snapshot(); got == nil || len(got) != 0 {
		t.Errorf("empty Snapshot = %#v, want a non-nil empty slice", got)
	}
}

// TestConcurrent exercises every method from many goroutines; run with -race.
func TestConcurrent(t *testing.T) {
	r := store.NewRegistry[handle]()
	const names = 10
	const goroutines = 8
	var wg sync.WaitGroup
	received := make(chan store.Entry[handle], names*goroutines)
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < names; i++ {
				name := fmt.Sprintf("s%d", i)
				ch, cancel := r.Wait(name)
				if g%2 == 0 {
					cancel()
				} else {
					wg.Add(1)
					go func() {
						defer wg.Done()
						defer cancel()
						select {
						case e := <-ch:
							received <- e
						case <-time.After(5 * time.Second):
							t.Errorf("waiter for %s timed out", name)
						}
					}()
				}
				// Every goroutine provides as "o0" or "o1"; the first owner of a name keeps it.
				_ = r.Provide(entry(name, fmt.Sprintf("o%d", g%2), "1.0.0", g), true)
				_, _ = r.Lookup(name)
				_ = r.Snapshot()
			}
		}(g)
	}
	wg.Wait()
	close(received)
	n := 0
	for e := range received {
		n++
		if got, _ := r.Lookup(e.Name); got.Owner != e.Owner {
			t.Errorf("waiter got %s from %q, but the store belongs to %q", e.Name, e.Owner, got.Owner)
		}
	}
	if n != names*goroutines/2 {
		t.Errorf("%d waiters served, want %d", n, names*goroutines/2)
	}
	for _, rep := range r.Snapshot() {
		if !rep.Provided || rep.Waiting != 0 {
			t.Errorf("after the run: %+v", rep)
		}
	}
}

func TestWithdraw(t *testing.T) {
	r := store.NewRegistry[string]()
	if err := r.Provide(store.Entry[string]{Name: "cart", Owner: "shell", Handle: "h"}, true); err != nil {
		t.Fatal(err)
	}
	if r.Withdraw("cart", "intruder") {
		t.Fatal("another owner withdrew the store")
	}
	if !r.Withdraw("cart", "shell") {
		t.Fatal("the owner could not withdraw its store")
	}
	if _, ok := r.Lookup("cart"); ok {
		t.Fatal("the store is still provided after Withdraw")
	}
	if err := r.Provide(store.Entry[string]{Name: "cart", Owner: "other", Handle: "h2"}, true); err != nil {
		t.Fatalf("after Withdraw another owner may provide the name: %v", err)
	}
}
