// Package semver is fedwasm's one place for version and range semantics.
//
// npm's semver package (7.8.6, pinned in package.json) is the reference:
// ParseRange accepts exactly the ranges npm's validRange accepts and
// Range.Contains gives npm's satisfies(version, range) answer with default
// options (loose=false, includePrerelease=false). Versions and the npm range
// grammar (x-ranges, ^, ~, hyphen ranges, ||, operator spacing) and npm's rule
// for prereleases are implemented here with the standard library only:
// Masterminds/semver/v3, which this package used to parse versions with,
// disagrees with npm on many of them and costs the wasm its dependencies
// (database/sql/driver, encoding/json). The differences, each with a test,
// are listed in mastermindsDivergences in divergence_test.go (a native test
// that asks Masterminds itself); differential_test.go checks a generated
// corpus against npm itself.
//
// The one deliberate extension over npm is ParseVersion's: it also reads a
// partial release "1" or "1.2" (webpack's share-scope key "0" is an unknown
// version) as 1.0.0 or 1.2.0. ParseStrictVersion is npm's semver.valid.
package semver

import (
	"cmp"
	"errors"
	"strconv"
	"strings"
	"sync"
)

// Version is a parsed version that remembers the string it came from.
// The zero Version is 0.0.0.
type Version struct {
	raw                 string
	major, minor, patch uint64
	prerelease          []string
}

// ParseVersion parses a provided version such as "19.1.0". It accepts what
// ParseStrictVersion accepts and, unlike npm, a partial release: "1" and "1.2"
// read as 1.0.0 and 1.2.0, so the share-scope key "0" (webpack's "unknown
// version") parses as 0.0.0.
func ParseVersion(s string) (Version, error) {
	v, err := ParseStrictVersion(s)
	if err == nil || jsLength(s) > maxLength {
		return v, err
	}
	// The extension: "1" or "1.2", optionally with npm's "v" prefix, without
	// leading zeros.
	major, minor, ok := matchPartialRelease(jsTrim(s))
	if !ok {
		return Version{}, err
	}
	if v, err = ParseStrictVersion(major + "." + cmp.Or(minor, "0") + ".0"); err != nil {
		return Version{}, err
	}
	v.raw = s
	return v, nil
}

// ParseStrictVersion parses a version exactly as npm's semver.parse does with
// default options: surrounding whitespace and a leading "v" are allowed, the
// rest must be SemVer 2.0.0 with major, minor and patch at most 2^53-1 and
// the whole string at most 256 characters. It rejects "1.2", "=1.2.3",
// "01.2.3" and "1.2.3.4".
func ParseStrictVersion(s string) (Version, error) {
	if jsLength(s) > maxLength {
		return Version{}, errors.New("version " + quotePrefix(s, 20) + "... is longer than " + strconv.Itoa(maxLength) + " characters")
	}
	m, ok := matchFull(jsTrim(s))
	if !ok {
		return Version{}, errors.New(strconv.Quote(s) + ` is not a version (want major.minor.patch, e.g. "1.2.3" or "1.2.3-beta.1")`)
	}
	v := Version{raw: s}
	numbers := [3]*uint64{&v.major, &v.minor, &v.patch}
	for i, part := range [3]string{"major", "minor", "patch"} {
		n, err := strconv.ParseUint(m[i], 10, 64)
		if err != nil || n > maxSafeInteger {
			return Version{}, errors.New(strconv.Quote(s) + ": " + part + " version " + m[i] +
				" is larger than " + strconv.FormatUint(maxSafeInteger, 10))
		}
		*numbers[i] = n
	}
	if m[3] != "" {
		v.prerelease = strings.Split(m[3], ".")
	}
	return v, nil
}

// quotePrefix is fmt's %.Nq: the first n characters of s, quoted.
func quotePrefix(s string, n int) string {
	for i := range s {
		if n--; n < 0 {
			return strconv.Quote(s[:i])
		}
	}
	return strconv.Quote(s)
}

// String returns the version as it was written.
func (v Version) String() string { return v.raw }

// canonical is npm's SemVer.version: major.minor.patch[-prerelease], without
// a "v" and without build metadata.
func (v Version) canonical() string {
	s := strconv.FormatUint(v.major, 10) + "." + strconv.FormatUint(v.minor, 10) + "." + strconv.FormatUint(v.patch, 10)
	if len(v.prerelease) > 0 {
		s += "-" + strings.Join(v.prerelease, ".")
	}
	return s
}

// Compare returns -1, 0 or +1 as v is lower than, equal to or higher than o,
// in npm's order: build metadata is ignored, a prerelease is lower than its
// release, and prerelease identifiers compare as npm's compareIdentifiers.
func (v Version) Compare(o Version) int {
	if c := compareUint(v.major, o.major); c != 0 {
		return c
	}
	if c := compareUint(v.minor, o.minor); c != 0 {
		return c
	}
	if c := compareUint(v.patch, o.patch); c != 0 {
		return c
	}
	return comparePrerelease(v.prerelease, o.prerelease)
}

func (v Version) sameRelease(o Version) bool {
	return v.major == o.major && v.minor == o.minor && v.patch == o.patch
}

func compareUint(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// comparePrerelease is npm's SemVer.comparePre.
func comparePrerelease(a, b []string) int {
	switch {
	case len(a) > 0 && len(b) == 0:
		return -1
	case len(a) == 0 && len(b) > 0:
		return 1
	}
	for i := 0; ; i++ {
		switch {
		case i >= len(a) && i >= len(b):
			return 0
		case i >= len(b):
			return 1
		case i >= len(a):
			return -1
		case a[i] == b[i]:
			continue
		}
		// npm returns the first differing identifiers' order, even when
		// compareIdentifiers calls them equal (two numbers beyond 2^53).
		return compareIdentifiers(a[i], b[i])
	}
}

// compareIdentifiers is npm's compareIdentifiers: numeric identifiers are
// compared as JavaScript numbers and sort before alphanumeric ones, which
// compare as strings.
func compareIdentifiers(a, b string) int {
	aNum, bNum := isDigits(a), isDigits(b)
	switch {
	case aNum && bNum:
		fa, _ := strconv.ParseFloat(a, 64)
		fb, _ := strconv.ParseFloat(b, 64)
		switch {
		case fa < fb:
			return -1
		case fa > fb:
			return 1
		}
		return 0
	case aNum:
		return -1
	case bNum:
		return 1
	}
	return strings.Compare(a, b)
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// Range is a parsed npm range such as "^19.0.0" or ">=1.2 <2 || 3.x".
// The zero Range contains no version.
type Range struct {
	raw string
	set [][]comparator
}

// ParseRange parses an npm range, accepting exactly what npm's validRange
// accepts: "", "*" and "x" match every release; "^1.2", "~1.2.3", "1.x",
// "1.2.3 - 2", ">=1.2 <2", "a || b" desugar as npm does. Unlike
// Masterminds, it rejects "!=1.2.3", ">=1.2.3, <2" and "x.1", and accepts
// "1.2.3 || " and "^=1.2.3".
func ParseRange(s string) (Range, error) {
	if r, ok := ranges.get(s); ok {
		return r, nil
	}
	set, err := parseRangeSet(s)
	if err != nil {
		return Range{}, err
	}
	r := Range{raw: s, set: set}
	ranges.put(s, r)
	return r, nil
}

// rangeCacheSize bounds the parsed ranges kept: a page names few distinct
// ranges, and parsing one is most of the cost of a resolution.
const rangeCacheSize = 1024

// ranges caches parsed ranges by their text. A Range is never modified after
// parsing, so cached values are shared safely.
var ranges = rangeCache{m: map[string]Range{}}

type rangeCache struct {
	mu sync.Mutex
	m  map[string]Range
}

func (c *rangeCache) get(s string) (Range, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r, ok := c.m[s]
	return r, ok
}

func (c *rangeCache) put(s string, r Range) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= rangeCacheSize {
		clear(c.m) // bounded: start over rather than track recency
	}
	c.m[s] = r
}

// String returns the range as it was written.
func (r Range) String() string { return r.raw }

// Contains reports whether v satisfies the range, as npm's
// satisfies(v, range) does: some ||-alternative's comparators all hold, and a
// prerelease v also needs a comparator in that alternative naming a
// prerelease of the same major.minor.patch, so "^1.2.3-beta.2" contains
// "1.2.3-beta.4" but not "1.2.4-beta.1", and "*" contains no prerelease.
func (r Range) Contains(v Version) bool {
	for _, comps := range r.set {
		if testSet(comps, v) {
			return true
		}
	}
	return false
}

// Comparators returns the range desugared into npm's comparator sets, one
// slice per ||-alternative, each comparator as npm prints it (">=1.2.0",
// "<2.0.0-0"; "" matches any release). "^1.2 || 3.x" gives
// [[">=1.2.0" "<2.0.0-0"] [">=3.0.0" "<4.0.0-0"]]. It explains a match
// or a mismatch; strings.Join of each set with " ", joined with "||", is
// npm's validRange result (which prints "" as "*").
func (r Range) Comparators() [][]string {
	out := make([][]string, len(r.set))
	for i, comps := range r.set {
		out[i] = make([]string, len(comps))
		for k, c := range comps {
			out[i][k] = c.String()
		}
	}
	return out
}

// Satisfies is npm's satisfies(version, range) with default options for two
// strings. The version must be one npm accepts (see ParseStrictVersion); an
// invalid range or version gives false and an error saying which.
func Satisfies(rangeStr, versionStr string) (bool, error) {
	r, err := ParseRange(rangeStr)
	if err != nil {
		return false, err
	}
	v, err := ParseStrictVersion(versionStr)
	if err != nil {
		return false, err
	}
	return r.Contains(v), nil
}
