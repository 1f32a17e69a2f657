package share_test

import (
	"slices"
	"testing"

	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/share"
)

// divergence is a case where webpack 5's share runtime and the MF 2.0 runtime
// (@module-federation/runtime-core) answer differently
// (shared/reference/module-federation.md §1.5, §2.6–2.8, §7), with the answer
// fedwasm chose and why. Each case runs with the providers registered in the
// given order and in reverse: fedwasm's answer never depends on order.
type divergence struct {
	resolveCase
	webpack, mf, why string
}

func divergences() []divergence {
	return []divergence{
		{
			resolveCase: resolveCase{
				name:        "non-singleton, highest version outside the range",
				providers:   []share.Provider{prov("lodash", "4.1.0", "a"), prov("lodash", "4.9.0", "b"), prov("lodash", "5.0.0", "c")},
				consumer:    consumer("lodash", "shell", "^4.0.0"),
				wantVersion: "4.9.0", wantFrom: "b", wantRule: share.RuleHighestSatisfying,
			},
			webpack: "highest satisfying: 4.9.0 (findSatisfyingVersion)",
			mf:      "candidate 5.0.0 fails, then the FIRST satisfying in registration order: 4.1.0",
			why:     "webpack's rule: the answer must not depend on which remote registered first",
		},
		{
			resolveCase: resolveCase{
				name:        "non-singleton, nothing satisfies, not strict, no fallback",
				providers:   []share.Provider{prov("lodash", "3.10.1", "a"), prov("lodash", "2.4.2", "b")},
				consumer:    consumer("lodash", "shell", "^4.0.0"),
				wantVersion: "3.10.1", wantFrom: "a", wantRule: share.RuleMismatchAllowed, wantWarning: errcode.ShareNoSatisfying,
				wantInMsg: []string{"lodash", "^4.0.0", "shell", "3.10.1 from a", "2.4.2 from b"},
			},
			webpack: "warns \"No satisfying version\" and uses the latest",
			mf:      "returns false (bundler falls back to its local copy) or loads the consumer's own copy",
			why:     "like webpack, and the warning reaches the console, inspect() and a fedwasm:warning event",
		},
		{
			resolveCase: resolveCase{
				name:      "non-singleton, nothing satisfies, strictVersion, no fallback",
				providers: []share.Provider{prov("lodash", "3.10.1", "a")},
				consumer:  strict(consumer("lodash", "shell", "^4.0.0")),
				wantErr:   errcode.ShareNoSatisfying,
				wantInMsg: []string{"lodash", "^4.0.0", "shell", "3.10.1 from a"},
			},
			webpack: "throws (loadStrictVersion without fallback)",
			mf:      "strictVersion has no effect on non-singletons",
			why:     "strictVersion means strict; a silent wrong copy is the bug users report",
		},
		{
			resolveCase: resolveCase{
				name:         "non-singleton, nothing satisfies, consumer has a fallback",
				providers:    []share.Provider{prov("lodash", "3.10.1", "a")},
				consumer:     withFallback(strict(consumer("lodash", "shell", "^4.0.0"))),
				wantFallback: true, wantRule: share.RuleFallback,
			},
			webpack: "the local fallback module",
			mf:      "false, then the bundler's local fallback getter",
			why:     "the consumer's own copy is the safe answer when it brought one",
		},
		{
			resolveCase: resolveCase{
				name:        "singleton, a lower version already loaded, registered after a higher one",
				providers:   []share.Provider{prov("react", "19.1.0", "checkout"), loaded(prov("react", "18.2.0", "shell"))},
				consumer:    singleton(consumer("react", "cart", "")),
				wantVersion: "18.2.0", wantFrom: "shell", wantRule: share.RuleAlreadyLoaded,
			},
			webpack: "findSingletonVersionKey keeps a loaded entry only if met earlier in key order",
			mf:      "findSingletonVersionOrderByVersion: same reduce, depends on object key order",
			why:     "a loaded singleton stays whatever the order: a second copy is the failure singletons exist to prevent",
		},
		{
			resolveCase: resolveCase{
				name:        "loaded-first strategy prefers a loaded non-singleton inside the range",
				strategy:    config.LoadedFirst,
				providers:   []share.Provider{loaded(prov("dayjs", "1.11.0", "shell")), prov("dayjs", "1.11.13", "cart")},
				consumer:    consumer("dayjs", "checkout", "^1.11.0"),
				wantVersion: "1.11.0", wantFrom: "shell", wantRule: share.RuleLoadedFirst,
			},
			webpack: "no strategies: highest satisfying 1.11.13",
			mf:      "loaded-first: findSingletonVersionOrderByLoaded picks the loaded 1.11.0",
			why:     "MF's loaded-first, opt-in; version-first (webpack's answer) stays the default",
		},
		{
			resolveCase: resolveCase{
				name:        "the unknown version key \"0\"",
				providers:   []share.Provider{prov("legacy-lib", "0", "old"), prov("legacy-lib", "1.0.0", "new")},
				consumer:    consumer("legacy-lib", "shell", ""),
				wantVersion: "1.0.0", wantFrom: "new", wantRule: share.RuleHighest,
			},
			webpack: "\"0\" compares lowest",
			mf:      "special-cases prev === '0' in its reduce (always replaced)",
			why:     "\"0\" is version 0.0.0: lowest, by ordinary comparison, no special case",
		},
	}
}

func TestWebpackMFDivergences(t *testing.T) {
	for _, d := range divergences() {
		for _, order := range []string{"as listed", "reversed"} {
			t.Run(d.name+"/"+order, func(t *testing.T) {
				tt := d.resolveCase
				if order == "reversed" {
					tt.providers = slices.Clone(tt.providers)
					slices.Reverse(tt.providers)
				}
				s := share.NewScopes(tt.strategy)
				for _, p := range tt.providers {
					id, _, err := s.Register(p)
					if err != nil {
						t.Fatal(err)
					}
					if p.Loaded {
						s.MarkLoaded(id)
					}
				}
				ch, err := s.Resolve(tt.consumer)
				checkChoice(t, tt, ch, err)
				if t.Failed() {
					t.Logf("webpack: %s\nMF 2.0: %s\nfedwasm: %s", d.webpack, d.mf, d.why)
				}
			})
		}
	}
}

// The same-version replacement rule: webpack's register (loaded is never
// replaced; eager beats non-eager; else the larger 'from'). MF 2.0 adds "an
// entry whose strategy is loaded-first is never replaced"; fedwasm has no
// per-entry strategy and keeps webpack's rule.
func TestSameVersionReplacementFollowsWebpack(t *testing.T) {
	cases := []struct {
		name      string
		first     share.Provider
		second    share.Provider
		loadFirst bool
		wantFrom  string
	}{
		{"larger from wins", prov("react", "19.1.0", "alpha"), prov("react", "19.1.0", "beta"), false, "beta"},
		{"smaller from loses", prov("react", "19.1.0", "beta"), prov("react", "19.1.0", "alpha"), false, "beta"},
		{"eager beats non-eager", eager(prov("react", "19.1.0", "alpha")), prov("react", "19.1.0", "zeta"), false, "alpha"},
		{"loaded is never replaced", prov("react", "19.1.0", "alpha"), eager(prov("react", "19.1.0", "zeta")), true, "alpha"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := share.NewScopes("")
			id, _, _ := s.Register(c.first)
			if c.loadFirst {
				s.MarkLoaded(id)
			}
			if _, _, err := s.Register(c.second); err != nil {
				t.Fatal(err)
			}
			got := activeFor(s, config.DefaultScope, "react")
			if len(got) != 1 || got[0].From != c.wantFrom {
				t.Fatalf("active = %+v, want from %q", got, c.wantFrom)
			}
		})
	}
}
