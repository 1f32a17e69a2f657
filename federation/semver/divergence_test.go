package semver_test

import (
	"fmt"
	"strings"
	"testing"

	msemver "github.com/Masterminds/semver/v3"

	"github.com/fedwasm/fedwasm/federation/semver"
)

// mastermindsDivergences lists where plain Masterminds/semver/v3 v3.5.0, as
// this package used it before (NewVersion and NewConstraint on the
// strings.TrimSpace'd input, "" read as "*"), disagrees with npm's semver
// 7.8.6, and which answer this package now gives: npm's, in every row.
// The npm column was checked with node_modules/semver; the test checks the
// Masterminds column against Masterminds itself, so the list stays true.
//
// Questions: "valid" is npm's valid(version) (ParseStrictVersion here),
// "validRange" npm's validRange(range) (ParseRange), "satisfies" npm's
// satisfies(version, range) (Range.Contains), "compare" npm's
// compare(version, other) (Version.Compare).
var mastermindsDivergences = []struct {
	question         string
	rng, version     string // for "compare", rng holds the other version
	masterminds, npm string
	why              string
}{
	// Versions.
	{"valid", "", "01.2.3", "valid", "invalid", "leading zeros: Masterminds coerces them"},
	{"valid", "", "1.02.3", "valid", "invalid", "leading zeros: Masterminds coerces them"},
	{"valid", "", "1.2", "valid", "invalid", "partial version: Masterminds pads it (ParseVersion keeps this as fedwasm's one extension)"},
	{"valid", "", "9007199254740992.0.0", "valid", "invalid", "npm caps major, minor and patch at 2^53-1"},
	{"valid", "", strings.Repeat(" ", 300) + "1.2.3", "valid", "invalid", "npm rejects a version longer than 256 characters before trimming"},
	{"valid", "", "1.2.3\u0085", "valid", "invalid", "U+0085 is whitespace to Go's TrimSpace, not to JavaScript's trim"},
	{"valid", "", "\ufeff1.2.3", "invalid", "valid", "U+FEFF is whitespace to JavaScript's trim, not to Go's TrimSpace"},
	{"compare", "1.0.0-99999999999999999999", "1.0.0-10000000000000000000000", "-1", "1",
		"npm compares numeric prerelease identifiers as numbers at any length; Masterminds as strings beyond uint64"},

	// Range grammar.
	{"validRange", "!=1.2.3", "", "valid", "invalid", "npm has no != operator"},
	{"validRange", "=>1.2.3", "", "valid", "invalid", "npm has no => operator"},
	{"validRange", ">=1.2.3, <2", "", "valid", "invalid", "npm does not separate comparators with commas"},
	{"validRange", "x.1", "", "valid", "invalid", "npm rejects a number after a wildcard"},
	{"validRange", "1.x.3", "", "valid", "invalid", "npm rejects a number after a wildcard"},
	{"validRange", "1.2.3 - 2.3.4 <2.0.0", "", "valid", "invalid", "npm reads a hyphen range only as a whole ||-alternative"},
	{"validRange", "^01.2.3", "", "valid", "invalid", "leading zeros"},
	{"validRange", "<=9007199254740991", "", "valid", "invalid", "<=N desugars to <N+1.0.0-0, beyond 2^53-1"},
	{"validRange", "\u0085^1.2.3", "", "valid", "invalid", "U+0085 is not JavaScript whitespace"},
	{"validRange", "~>\u00a01.2", "", "invalid", "valid", "U+00A0 is JavaScript whitespace"},
	{"validRange", "1.2.3 || ", "", "invalid", "valid", "an empty ||-alternative is npm's *"},
	{"validRange", "||", "", "invalid", "valid", "an empty ||-alternative is npm's *"},
	{"validRange", "1.2.3 +build", "", "invalid", "valid", "npm strips build metadata anywhere in a range"},
	{"validRange", "^=1.2.3", "", "invalid", "valid", "npm allows = after ^ and ~"},
	{"validRange", "~=1.2", "", "invalid", "valid", "npm allows = after ^ and ~"},
	{"validRange", "= =2", "", "invalid", "valid", "npm joins an operator to the version after it across a space"},

	// What a range contains.
	{"satisfies", "^1.2.3-beta.2", "1.2.4-beta.1", "true", "false", "a prerelease needs a comparator with a prerelease of its own major.minor.patch"},
	{"satisfies", "~1.2.3-beta", "1.2.4-beta.1", "true", "false", "a prerelease needs a comparator with a prerelease of its own major.minor.patch"},
	{"satisfies", ">=1.0.0-alpha", "1.2.3-beta", "true", "false", "a prerelease needs a comparator with a prerelease of its own major.minor.patch"},
	{"satisfies", "<2.0.0-0", "1.2.3-alpha", "true", "false", "a prerelease needs a comparator with a prerelease of its own major.minor.patch"},
	{"satisfies", "1.2.3-beta - 2.3.4-rc", "2.0.0-beta", "true", "false", "a prerelease needs a comparator with a prerelease of its own major.minor.patch"},
	{"satisfies", "1.2.x-beta", "1.2.3-beta", "true", "false", "npm drops the prerelease of an x-range: 1.2.x-beta is >=1.2.0 <1.3.0-0"},
	{"satisfies", "^*", "1.2.3", "false", "true", "^* is npm's *"},
	{"satisfies", ">*", "1.2.3", "true", "false", ">* is npm's <0.0.0-0, which nothing satisfies"},
	{"satisfies", "<=*", "1.2.3", "false", "true", "<=* is npm's *"},
	{"satisfies", "1.2.3 - *", "1.2.4", "false", "true", "a wildcard end of a hyphen range is unbounded"},
	{"satisfies", "x - x", "1.2.3", "false", "true", "a wildcard end of a hyphen range is unbounded"},
}

// mastermindsAnswer is what plain Masterminds, as this package used it
// before, answers to one row's question.
func mastermindsAnswer(question, rng, version string) string {
	parseRange := func(s string) (*msemver.Constraints, error) {
		s = strings.TrimSpace(s)
		if s == "" {
			s = "*"
		}
		return msemver.NewConstraint(s)
	}
	parseVersion := func(s string) (*msemver.Version, error) { return msemver.NewVersion(strings.TrimSpace(s)) }
	switch question {
	case "valid":
		_, err := parseVersion(version)
		return validity(err)
	case "validRange":
		_, err := parseRange(rng)
		return validity(err)
	case "satisfies":
		c, err := parseRange(rng)
		if err != nil {
			return "range: " + err.Error()
		}
		v, err := parseVersion(version)
		if err != nil {
			return "version: " + err.Error()
		}
		return fmt.Sprint(c.Check(v))
	case "compare":
		a, aerr := parseVersion(version)
		b, berr := parseVersion(rng)
		if aerr != nil || berr != nil {
			return fmt.Sprint(aerr, berr)
		}
		return fmt.Sprint(a.Compare(b))
	}
	return "unknown question " + question
}

// ourAnswer is this package's answer to one row's question.
func ourAnswer(question, rng, version string) string {
	switch question {
	case "valid":
		_, err := semver.ParseStrictVersion(version)
		return validity(err)
	case "validRange":
		_, err := semver.ParseRange(rng)
		return validity(err)
	case "satisfies":
		ok, err := semver.Satisfies(rng, version)
		if err != nil {
			return err.Error()
		}
		return fmt.Sprint(ok)
	case "compare":
		a, aerr := semver.ParseVersion(version)
		b, berr := semver.ParseVersion(rng)
		if aerr != nil || berr != nil {
			return fmt.Sprint(aerr, berr)
		}
		return fmt.Sprint(a.Compare(b))
	}
	return "unknown question " + question
}

func validity(err error) string {
	if err != nil {
		return "invalid"
	}
	return "valid"
}

func TestMastermindsDivergences(t *testing.T) {
	for _, d := range mastermindsDivergences {
		t.Run(d.question+"/"+d.rng+"/"+d.version, func(t *testing.T) {
			if got := mastermindsAnswer(d.question, d.rng, d.version); got != d.masterminds {
				t.Errorf("Masterminds answers %s(%q, %q) with %s, the table says %s: update the table", d.question, d.rng, d.version, got, d.masterminds)
			}
			if got := ourAnswer(d.question, d.rng, d.version); got != d.npm {
				t.Errorf("%s(%q, %q) = %s, npm says %s (%s)", d.question, d.rng, d.version, got, d.npm, d.why)
			}
		})
	}
}
