// Package semver is fedwasm's one place for version and range semantics. It
// parses with Masterminds/semver/v3; callers never use that library directly,
// so npm-compatible corrections live here and nowhere else.
package semver

import (
	"strings"

	msemver "github.com/Masterminds/semver/v3"
)

// Version is a parsed version that remembers the string it came from.
type Version struct {
	raw string
	v   *msemver.Version
}

// ParseVersion parses a version such as "19.1.0". The share-scope key "0"
// (webpack's "unknown version") parses as 0.0.0.
func ParseVersion(s string) (Version, error) {
	v, err := msemver.NewVersion(strings.TrimSpace(s))
	if err != nil {
		return Version{}, err
	}
	return Version{raw: s, v: v}, nil
}

// String returns the version as it was written.
func (v Version) String() string { return v.raw }

// Compare returns -1, 0 or +1 as v is lower than, equal to or higher than o.
func (v Version) Compare(o Version) int { return v.v.Compare(o.v) }

// Range is a parsed npm range such as "^19.0.0" or ">=1.2 <2 || 3.x".
type Range struct {
	raw string
	c   *msemver.Constraints
}

// ParseRange parses an npm range. "" and "*" match every release.
func ParseRange(s string) (Range, error) {
	raw := strings.TrimSpace(s)
	if raw == "" {
		raw = "*"
	}
	c, err := msemver.NewConstraint(raw)
	if err != nil {
		return Range{}, err
	}
	return Range{raw: s, c: c}, nil
}

// String returns the range as it was written.
func (r Range) String() string { return r.raw }

// Contains reports whether v satisfies the range.
func (r Range) Contains(v Version) bool { return r.c.Check(v.v) }
