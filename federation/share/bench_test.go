package share_test

import (
	"fmt"
	"testing"

	"github.com/fedwasm/fedwasm/federation/share"
)

// The benchmark share scope: benchPackages packages (pkg-000 … pkg-199), each
// offered in benchProviders versions (1.0.0 … 5.0.0) by as many micro-frontends
// (mfe-1 … mfe-5).
const (
	benchPackages  = 200
	benchProviders = 5
)

func benchPackage(i int) string { return fmt.Sprintf("pkg-%03d", i) }

// benchProviderList is the 1000 providers in registration order.
func benchProviderList() []share.Provider {
	list := make([]share.Provider, 0, benchPackages*benchProviders)
	for i := range benchPackages {
		for v := 1; v <= benchProviders; v++ {
			list = append(list, share.Provider{
				Package: benchPackage(i), Version: fmt.Sprintf("%d.0.0", v), From: fmt.Sprintf("mfe-%d", v),
			})
		}
	}
	return list
}

func benchScopes(tb testing.TB) *share.Scopes {
	tb.Helper()
	s := share.NewScopes("")
	for _, p := range benchProviderList() {
		if _, _, err := s.Register(p); err != nil {
			tb.Fatal(err)
		}
	}
	return s
}

// BenchmarkResolve200x5 resolves one consumer per package per iteration (200
// resolutions per op) against 5 registered versions of each package.
func BenchmarkResolve200x5(b *testing.B) {
	cases := []struct {
		name      string
		singleton bool
		rng       string
		want      string // the version every consumer must get
		rule      share.Rule
	}{
		// A singleton with none loaded gets the highest version; ^5.0.0 accepts it.
		{"singleton-range", true, "^5.0.0", "5.0.0", share.RuleHighest},
		// A non-singleton gets the highest version inside its range.
		{"non-singleton-range", false, "^3.0.0", "3.0.0", share.RuleHighestSatisfying},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			s := benchScopes(b)
			consumers := make([]share.Consumer, benchPackages)
			for i := range consumers {
				consumers[i] = share.Consumer{Package: benchPackage(i), From: "shell", RequiredVersion: tc.rng, Singleton: tc.singleton}
			}
			for _, c := range consumers { // check the outcome once, outside the timed loop
				ch, err := s.Resolve(c)
				if err != nil || ch.Provider.Version != tc.want || ch.Rule != tc.rule || ch.Warning != nil {
					b.Fatalf("Resolve(%+v) = %s by rule %s (warning %v, err %v), want %s by rule %s",
						c, ch.Provider.Version, ch.Rule, ch.Warning, err, tc.want, tc.rule)
				}
			}
			b.Run("repeat", func(b *testing.B) { // the same consumers again, scope unchanged: memoized
				b.ReportAllocs()
				for b.Loop() {
					for _, c := range consumers {
						if _, err := s.Resolve(c); err != nil {
							b.Fatal(err)
						}
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchPackages), "ns/resolution")
			})
			b.Run("after-change", func(b *testing.B) { // the scope changed before each resolution
				b.ReportAllocs()
				for b.Loop() {
					for _, c := range consumers {
						s.SetStrategy("") // any change invalidates memoized choices
						if _, err := s.Resolve(c); err != nil {
							b.Fatal(err)
						}
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchPackages), "ns/resolution")
			})
		})
	}
}

// BenchmarkRegister200x5 builds the scopes: a new Scopes and 1000 Register
// calls (200 packages × 5 versions) per iteration.
func BenchmarkRegister200x5(b *testing.B) {
	providers := benchProviderList()
	b.ReportAllocs()
	for b.Loop() {
		s := share.NewScopes("")
		for _, p := range providers {
			if _, _, err := s.Register(p); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(providers)), "ns/register")
}
