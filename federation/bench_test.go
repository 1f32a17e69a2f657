package federation_test

import (
	"strconv"
	"testing"

	"github.com/fedwasm/fedwasm/federation"
	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/federation/share"
)

// onePackage is n providers of one package, versions 1.0.0 … 1.0.<n-1>:
// what registerShared({ p: [n entries] }) hands the core.
func onePackage(n int) []federation.SharedEntry {
	entries := make([]federation.SharedEntry, n)
	for i := range entries {
		entries[i] = federation.SharedEntry{Package: "p", Loaded: true,
			Args: config.ShareArgs{Version: "1.0." + strconv.Itoa(i), Scope: config.DefaultScope, From: "host"}}
	}
	return entries
}

// BenchmarkRegisterOnePackage registers 1,000 and 10,000 versions of one
// package in a fresh runtime per op: with one RegisterShared call (what
// registerShared does) and with one RegisterShare call per entry. Both must
// grow linearly: ns/entry stays flat from 1,000 to 10,000. Before timing, each
// size checks that the package resolves to its highest version.
func BenchmarkRegisterOnePackage(b *testing.B) {
	for _, n := range []int{1_000, 10_000} {
		entries := onePackage(n)
		want := "1.0." + strconv.Itoa(n-1)
		check := func(b *testing.B, r *federation.Runtime) {
			if got, err := r.Resolve(share.Consumer{Package: "p", From: "host"}); err != nil || got.Provider.Version != want {
				b.Fatalf("after registering %d versions, Resolve = %+v, %v; want %s", n, got.Provider, err, want)
			}
		}
		measure := func(b *testing.B, register func() *federation.Runtime) {
			check(b, register())
			for b.Loop() {
				register()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/entry")
		}
		b.Run("one-call/n="+strconv.Itoa(n), func(b *testing.B) {
			measure(b, func() *federation.Runtime {
				r := federation.New("bench")
				if _, err := r.RegisterShared(entries); err != nil {
					b.Fatal(err)
				}
				return r
			})
		})
		b.Run("per-entry/n="+strconv.Itoa(n), func(b *testing.B) {
			measure(b, func() *federation.Runtime {
				r := federation.New("bench")
				for _, e := range entries {
					if _, _, err := r.RegisterShare(e.Package, e.Args, e.Loaded); err != nil {
						b.Fatal(err)
					}
				}
				return r
			})
		})
	}
}
