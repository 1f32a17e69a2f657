package share_test

import (
	"strconv"
	"testing"

	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/limits"
	"github.com/fedwasm/fedwasm/federation/share"
)

// versionsOf is n providers of pkg, versions 1.0.<first> … 1.0.<first+n-1>, from from.
func versionsOf(pkg, from string, first, n int) []share.Provider {
	ps := make([]share.Provider, n)
	for i := range ps {
		ps[i] = share.Provider{Package: pkg, Version: "1.0." + strconv.Itoa(first+i), From: from}
	}
	return ps
}

// RegisterAll takes a package up to limits.VersionsPerPackage versions in its
// scope, all or none: a batch that would go over, or holds an invalid
// provider, registers nothing.
func TestRegisterAllLimits(t *testing.T) {
	const max = limits.VersionsPerPackage
	tests := []struct {
		name     string
		before   []share.Provider // registered first, must succeed
		batch    []share.Provider
		wantCode string
	}{
		{name: "the limit in one batch", batch: versionsOf("p", "a", 0, max)},
		{name: "one over in one batch", batch: versionsOf("p", "a", 0, max+1), wantCode: errcode.LimitExceeded},
		{name: "one over across batches", before: versionsOf("p", "a", 0, max-1), batch: versionsOf("p", "a", max-1, 2), wantCode: errcode.LimitExceeded},
		{name: "known versions again at the limit", before: versionsOf("p", "a", 0, max), batch: versionsOf("p", "b", 0, 10)},
		{name: "repeats of one new version count once", before: versionsOf("p", "a", 0, max-1),
			batch: append(versionsOf("p", "b", max-1, 1), versionsOf("p", "c", max-1, 1)...)},
		{name: "other packages and scopes have their own", before: versionsOf("p", "a", 0, max),
			batch: append(versionsOf("q", "a", 0, 5), share.Provider{Package: "p", Version: "9.9.9", Scope: "other"})},
		{name: "an invalid provider registers none", batch: append(versionsOf("p", "a", 0, 3), share.Provider{Package: "p", Version: "nope"}),
			wantCode: errcode.ShareInvalidVersion},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := share.NewScopes("")
			if _, err := s.RegisterAll(tt.before); err != nil {
				t.Fatalf("registering before: %v", err)
			}
			before := providerCount(s)
			got, err := s.RegisterAll(tt.batch)
			if errcode.CodeOf(err) != tt.wantCode {
				t.Fatalf("RegisterAll = %v, want code %q", err, tt.wantCode)
			}
			if err != nil {
				if got != nil {
					t.Errorf("RegisterAll returned %d results with its error", len(got))
				}
				if after := providerCount(s); after != before {
					t.Errorf("a refused batch changed the scopes: %d providers before, %d after", before, after)
				}
				return
			}
			if len(got) != len(tt.batch) {
				t.Fatalf("RegisterAll returned %d results for %d providers", len(got), len(tt.batch))
			}
		})
	}
}

// providerCount is how many providers s reports in all its packages.
func providerCount(s *share.Scopes) int {
	n := 0
	for _, p := range s.Snapshot() {
		n += len(p.Providers)
	}
	return n
}

// An entry adopted from the live scope is refused once its package has
// limits.VersionsPerPackage versions.
func TestAdoptLimit(t *testing.T) {
	s := share.NewScopes("")
	if _, err := s.RegisterAll(versionsOf("p", "a", 0, limits.VersionsPerPackage)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Adopt(share.Provider{Package: "p", Version: "1.0.0", From: "container"}); err != nil {
		t.Errorf("adopting a known version: %v", err)
	}
	if _, err := s.Adopt(share.Provider{Package: "p", Version: "2.0.0", From: "container"}); errcode.CodeOf(err) != errcode.LimitExceeded {
		t.Errorf("adopting one version too many = %v, want %s", err, errcode.LimitExceeded)
	}
}

// The scopes hold at most limits.Providers providers, however many calls
// registered them.
func TestProvidersLimit(t *testing.T) {
	s := share.NewScopes("")
	for i := 0; i < limits.Providers/limits.SharedEntries; i++ {
		if _, err := s.RegisterAll(versionsOf("pkg-"+strconv.Itoa(i), "a", 0, limits.SharedEntries)); err != nil {
			t.Fatalf("batch %d: %v", i, err)
		}
	}
	if _, _, err := s.Register(share.Provider{Package: "one-more", Version: "1.0.0", From: "a"}); errcode.CodeOf(err) != errcode.LimitExceeded {
		t.Errorf("provider %d = %v, want %s", limits.Providers+1, err, errcode.LimitExceeded)
	}
}
