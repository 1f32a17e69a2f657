package semver_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/fedwasm/fedwasm/federation/semver"
)

// FuzzParseRange checks that ParseRange never panics, that a parsed range
// keeps its input, that Contains never panics, and that the desugared form
// (npm's validRange) is itself a range that desugars to the same comparators
// and contains the same versions.
func FuzzParseRange(f *testing.F) {
	for i, r := range curatedRanges {
		f.Add(r, curatedVersions[i%len(curatedVersions)])
	}
	probes := []semver.Version{}
	for _, s := range curatedVersions {
		if v, err := semver.ParseVersion(s); err == nil {
			probes = append(probes, v)
		}
	}
	f.Fuzz(func(t *testing.T, rangeStr, versionStr string) {
		r, err := semver.ParseRange(rangeStr)
		if err != nil {
			return
		}
		if r.String() != rangeStr {
			t.Fatalf("ParseRange(%q).String() = %q", rangeStr, r.String())
		}
		versions := probes
		if v, err := semver.ParseVersion(versionStr); err == nil {
			versions = append(slices.Clip(probes), v)
		}

		sets := r.Comparators()
		var alternatives []string
		for _, comps := range sets {
			alternatives = append(alternatives, strings.Join(comps, " "))
		}
		normalized := strings.Join(alternatives, "||")
		again, err := semver.ParseRange(normalized)
		if err != nil {
			t.Fatalf("ParseRange(%q) desugars to %q, which does not parse: %v", rangeStr, normalized, err)
		}
		if !slices.EqualFunc(again.Comparators(), sets, slices.Equal) {
			t.Fatalf("ParseRange(%q) desugars to %q, which desugars to %q", rangeStr, sets, again.Comparators())
		}
		for _, v := range versions {
			if r.Contains(v) != again.Contains(v) {
				t.Fatalf("ParseRange(%q).Contains(%q) = %v, but its desugared form %q says %v",
					rangeStr, v, r.Contains(v), normalized, again.Contains(v))
			}
		}
	})
}
