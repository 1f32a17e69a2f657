package federation_test

import (
	"testing"

	"github.com/fedwasm/fedwasm/federation"
	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/limits"
	"github.com/fedwasm/fedwasm/federation/share"
)

// RegisterShared takes at most limits.SharedEntries entries per call, all or
// none, and registers them in order with their declared rules.
func TestRegisterSharedLimits(t *testing.T) {
	tests := []struct {
		name     string
		entries  []federation.SharedEntry
		wantCode string
	}{
		{name: "the limit", entries: onePackage(limits.SharedEntries)},
		{name: "one over", entries: onePackage(limits.SharedEntries + 1), wantCode: errcode.LimitExceeded},
		{name: "an invalid entry registers none", wantCode: errcode.ShareInvalidVersion,
			entries: append(onePackage(3), federation.SharedEntry{Package: "p", Args: config.ShareArgs{Version: "x", Scope: "default", From: "host"}})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := federation.New("test")
			got, err := r.RegisterShared(tt.entries)
			if errcode.CodeOf(err) != tt.wantCode {
				t.Fatalf("RegisterShared = %v, want code %q", err, tt.wantCode)
			}
			if err != nil {
				if _, err := r.Resolve(share.Consumer{Package: "p", From: "host"}); errcode.CodeOf(err) != errcode.ShareNotFound {
					t.Errorf("after a refused call, Resolve = %v, want %s (nothing registered)", err, errcode.ShareNotFound)
				}
				return
			}
			if len(got) != len(tt.entries) {
				t.Fatalf("%d results for %d entries", len(got), len(tt.entries))
			}
			for i, reg := range got {
				if p, ok := r.Provider(reg.ID); !ok || p.Version != tt.entries[i].Args.Version || !reg.Active {
					t.Fatalf("entry %d: provider %+v, active %v", i, p, reg.Active)
				}
			}
		})
	}
}
