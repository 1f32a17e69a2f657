package semver_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/fedwasm/fedwasm/federation/semver"
)

// TestComparators pins npm's desugaring (new Range(r).set, as printed by
// npm 7.8.6) for the forms package.json ranges use.
func TestComparators(t *testing.T) {
	tests := []struct {
		rng  string
		want string // sets joined by "||", comparators by " "
	}{
		{"^1.2.3", ">=1.2.3 <2.0.0-0"},
		{"^0.2.3", ">=0.2.3 <0.3.0-0"},
		{"^0.0.3", ">=0.0.3 <0.0.4-0"},
		{"^0.0", "<0.1.0-0"},
		{"^0.x", "<1.0.0-0"},
		{"^1.2.3-beta.2", ">=1.2.3-beta.2 <2.0.0-0"},
		{"~1.2", ">=1.2.0 <1.3.0-0"},
		{"~>1.2.3", ">=1.2.3 <1.3.0-0"},
		{"~> 1.2", ">=1.2.0 <1.3.0-0"},
		{"1.2.*", ">=1.2.0 <1.3.0-0"},
		{"", ""},
		{"x.x.x", ""},
		{">1.2", ">=1.3.0"},
		{"<=1.2", "<1.3.0-0"},
		{"<1.2", "<1.2.0-0"},
		{"> =1.2.3", ">=1.2.3"},
		{"1.2 - 2", ">=1.2.0 <3.0.0-0"},
		{"1.2.3 - 2.3", ">=1.2.3 <2.4.0-0"},
		{"* - 2", "<3.0.0-0"},
		{"1.2.3 - *", ">=1.2.3"},
		{"1.2.3+build.5", "1.2.3"},
		{"1.2.3 1.2.3", "1.2.3"},
		{">=0.0.0 <1", "<1.0.0-0"},
		{">=1.2.3 <2 || 3.x", ">=1.2.3 <2.0.0-0||>=3.0.0 <4.0.0-0"},
		{"<0.0.0-0 || 1.x", ">=1.0.0 <2.0.0-0"},
		{"* || 1.2.3", ""},
		{">* || <*", "<0.0.0-0"},
	}
	for _, tt := range tests {
		t.Run(tt.rng, func(t *testing.T) {
			r, err := semver.ParseRange(tt.rng)
			if err != nil {
				t.Fatal(err)
			}
			var sets []string
			for _, comps := range r.Comparators() {
				sets = append(sets, strings.Join(comps, " "))
			}
			if got := strings.Join(sets, "||"); got != tt.want {
				t.Errorf("ParseRange(%q).Comparators() = %q, npm's set is %q", tt.rng, got, tt.want)
			}
		})
	}
}

// TestParseVersionPartialRelease: ParseVersion's one extension over npm reads
// "1" and "1.2" as 1.0.0 and 1.2.0; ParseStrictVersion, like npm, rejects them.
func TestParseVersionPartialRelease(t *testing.T) {
	rng, err := semver.ParseRange("^1.2.0")
	if err != nil {
		t.Fatal(err)
	}
	for in, full := range map[string]string{"1.2": "1.2.0", "v1.2": "1.2.0", " 1.2 ": "1.2.0", "1": "1.0.0", "0": "0.0.0"} {
		partial, err := semver.ParseVersion(in)
		if err != nil {
			t.Fatalf("ParseVersion(%q): %v", in, err)
		}
		want, _ := semver.ParseVersion(full)
		if partial.Compare(want) != 0 || rng.Contains(partial) != rng.Contains(want) {
			t.Errorf("ParseVersion(%q) does not act as %s", in, full)
		}
		if _, err := semver.ParseStrictVersion(in); err == nil {
			t.Errorf("ParseStrictVersion(%q) accepted a partial version; npm's valid rejects it", in)
		}
	}
	for _, in := range []string{"01.2", "1.02", "1.", ".1", "1.2-beta", "=1.2", "v", "1.x"} {
		if _, err := semver.ParseVersion(in); err == nil {
			t.Errorf("ParseVersion(%q) accepted it", in)
		}
	}
}

// TestSatisfiesErrors: Satisfies answers false with an error naming what is
// wrong, as npm's satisfies answers false.
func TestSatisfiesErrors(t *testing.T) {
	tests := []struct {
		rng, version, errContains string
	}{
		{"!=1.2.3", "1.2.4", `invalid comparator "!=1.2.3"`},
		{"> = 1.2", "1.3.0", `invalid comparator ">="`}, // npm: "Invalid comparator: >="
		{"<=9007199254740991", "1.0.0", "9007199254740992"},
		{"^1.2.3", "1.2", `"1.2" is not a version`},
		{"^1.2.3", "", `"" is not a version`},
	}
	for _, tt := range tests {
		ok, err := semver.Satisfies(tt.rng, tt.version)
		if ok || err == nil || !strings.Contains(err.Error(), tt.errContains) {
			t.Errorf("Satisfies(%q, %q) = %v, %v; want false and an error containing %q", tt.rng, tt.version, ok, err, tt.errContains)
		}
	}
	if ok, err := semver.Satisfies(" ^1.2.3 ", " v1.9.0 "); !ok || err != nil {
		t.Errorf(`Satisfies(" ^1.2.3 ", " v1.9.0 ") = %v, %v; want true`, ok, err)
	}
}

// TestZeroValues: the zero Range contains nothing and the zero Version is
// 0.0.0; neither panics.
func TestZeroValues(t *testing.T) {
	var r semver.Range
	var v semver.Version
	zero, _ := semver.ParseVersion("0.0.0")
	if r.Contains(v) || r.Contains(zero) {
		t.Error("the zero Range contains a version")
	}
	if got := v.Compare(zero); got != 0 {
		t.Errorf("zero Version compared with 0.0.0 = %d", got)
	}
	if got := fmt.Sprint(r.Comparators()); got != "[]" {
		t.Errorf("zero Range Comparators() = %s", got)
	}
}
