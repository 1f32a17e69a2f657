package snapshot_test

import (
	"testing"

	"github.com/fedwasm/fedwasm/federation"
	"github.com/fedwasm/fedwasm/federation/snapshot"
)

// BenchmarkResolve is one snapshot of a demo-like host (what a worker, which
// keeps nothing between requests, computes per request).
func BenchmarkResolve(b *testing.B) {
	in := snapshot.Inputs{Config: []byte(demoLike), Base: base, Runtime: federation.Version}
	for b.Loop() {
		if _, err := snapshot.Resolve(in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHash is the cost of naming the inputs: what a cached snapshot
// costs per request.
func BenchmarkHash(b *testing.B) {
	in := snapshot.Inputs{Config: []byte(demoLike), Base: base, Runtime: federation.Version}
	for b.Loop() {
		_ = in.Hash()
	}
}
