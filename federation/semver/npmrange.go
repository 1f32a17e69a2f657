package semver

import (
	"errors"
	"strconv"
	"strings"
)

// This file ports npm semver's classes/range.js and classes/comparator.js
// (7.8.6) with default options. Each function names the npm function it
// follows; the steps and their order are npm's, because npm's answers for odd
// input ("=1.2.3 - 2", "~> 1.2", "1.2.3 - x") come from that order.

// comparator is one npm Comparator: an operator ("", "<", "<=", ">", ">=")
// and a version; a nil version matches anything (npm's ANY, printed "").
type comparator struct {
	operator string
	version  *Version
	value    string // npm's Comparator.value: operator and canonical version
}

// nullSet is npm's comparator that no version satisfies.
const nullSet = "<0.0.0-0"

// String is npm's Comparator.value.
func (c comparator) String() string { return c.value }

// test is npm's Comparator.test.
func (c comparator) test(v Version) bool {
	if c.version == nil {
		return true
	}
	d := v.Compare(*c.version)
	switch c.operator {
	case "<":
		return d < 0
	case "<=":
		return d <= 0
	case ">":
		return d > 0
	case ">=":
		return d >= 0
	}
	return d == 0
}

// testSet is npm's testSet: every comparator holds, and a prerelease version
// needs a comparator with a prerelease of its own major.minor.patch.
func testSet(comps []comparator, v Version) bool {
	for _, c := range comps {
		if !c.test(v) {
			return false
		}
	}
	if len(v.prerelease) == 0 {
		return true
	}
	for _, c := range comps {
		if c.version != nil && len(c.version.prerelease) > 0 && c.version.sameRelease(v) {
			return true
		}
	}
	return false
}

// parseComparator is npm's Comparator constructor.
func parseComparator(comp string) (comparator, error) {
	comp = strings.Join(jsSplitSpaces(jsTrim(comp)), " ")
	operator, version, ok := matchComparator(comp)
	if !ok {
		return comparator{}, errors.New("invalid comparator " + strconv.Quote(comp))
	}
	c := comparator{operator: operator}
	if c.operator == "=" {
		c.operator = ""
	}
	if version == "" {
		return c, nil
	}
	v, err := ParseStrictVersion(version)
	if err != nil {
		return comparator{}, &wrappedError{"comparator " + strconv.Quote(comp), err}
	}
	c.version = &v
	c.value = c.operator + v.canonical()
	return c, nil
}

// parseRangeSet is npm's Range constructor: whitespace runs become one space,
// the range splits on "||", and null sets and "*" alternatives are dropped
// the way npm drops them.
func parseRangeSet(input string) ([][]comparator, error) {
	raw := jsCollapseSpaces(jsTrim(input))
	var set [][]comparator
	for _, alternative := range strings.Split(raw, "||") {
		comps, err := parseAlternative(jsTrim(alternative))
		if err != nil {
			return nil, err
		}
		if len(comps) > 0 {
			set = append(set, comps)
		}
	}
	if len(set) == 0 {
		return nil, errors.New("no comparators")
	}
	if len(set) == 1 {
		return set, nil
	}
	var satisfiable [][]comparator
	for _, comps := range set {
		if comps[0].String() != nullSet {
			satisfiable = append(satisfiable, comps)
		}
	}
	if len(satisfiable) == 0 {
		return set[:1], nil
	}
	for _, comps := range satisfiable {
		if len(comps) == 1 && comps[0].version == nil {
			return [][]comparator{comps}, nil
		}
	}
	return satisfiable, nil
}

// parseAlternative is npm's Range.parseRange: one ||-alternative to its
// comparators.
func parseAlternative(r string) ([]comparator, error) {
	r = stripBuild(r, true)
	if m, ok := matchHyphenRange(r); ok {
		r = desugarHyphen(m)
	}
	r = trimComparatorWhitespace(r)
	r = replaceLoneTrim(r, '~')
	r = replaceLoneTrim(r, '^')

	words := strings.Split(r, " ")
	for i, w := range words {
		words[i] = desugarWord(w)
	}
	list := jsSplitSpaces(strings.Join(words, " "))

	comps := make([]comparator, 0, len(list))
	for _, s := range list {
		c, err := parseComparator(replaceGTE0(s))
		if err != nil {
			return nil, err
		}
		comps = append(comps, c)
	}

	var unique []comparator
	seen := map[string]bool{}
	for _, c := range comps {
		if c.String() == nullSet {
			return []comparator{c}, nil
		}
		if !seen[c.String()] {
			seen[c.String()] = true
			unique = append(unique, c)
		}
	}
	if len(unique) > 1 && seen[""] {
		withoutAny := unique[:0]
		for _, c := range unique {
			if c.version != nil {
				withoutAny = append(withoutAny, c)
			}
		}
		unique = withoutAny
	}
	return unique, nil
}

// desugarWord is npm's parseComparator (the range.js function): carets,
// tildes, x-ranges and stars in one space-separated word become plain
// comparators.
func desugarWord(w string) string {
	w = stripBuild(w, false)
	w = mapWords(jsTrim(w), func(s string) string {
		if m, ok := matchLone(s, '^'); ok {
			return desugarCaret(m)
		}
		return s
	})
	w = mapWords(jsTrim(w), func(s string) string {
		if m, ok := matchLone(s, '~'); ok {
			return desugarTilde(m)
		}
		return s
	})
	w = mapWords(w, func(s string) string {
		s = jsTrim(s)
		if m, ok := matchXRange(s); ok {
			return desugarXRange(m)
		}
		return s
	})
	return replaceStar(jsTrim(w))
}

// mapWords is JavaScript's s.split(/\s+/).map(f).join(' ').
func mapWords(s string, f func(string) string) string {
	words := jsSplitSpaces(s)
	for i, w := range words {
		words[i] = f(w)
	}
	return strings.Join(words, " ")
}

// isX is npm's isX: a missing component or x, X, *.
func isX(id string) bool { return id == "" || id == "x" || id == "X" || id == "*" }

// plusOne is JavaScript's `${+n + 1}` for a decimal component n. Above 2^53
// JavaScript's answer differs, but npm rejects every such component, and so
// does ParseStrictVersion for this one.
func plusOne(n string) string {
	digits := []byte(n)
	for i := len(digits) - 1; i >= 0; i-- {
		if digits[i] < '9' {
			digits[i]++
			return string(digits)
		}
		digits[i] = '0'
	}
	return "1" + string(digits)
}

// desugarCaret is npm's replaceCaret; m holds CARET's submatches:
// major, minor, patch, prerelease.
func desugarCaret(m []string) string {
	major, minor, patch, pre := m[1], m[2], m[3], m[4]
	switch {
	case isX(major):
		return ""
	case isX(minor):
		return ">=" + major + ".0.0 <" + plusOne(major) + ".0.0-0"
	case isX(patch):
		if major == "0" {
			return ">=" + major + "." + minor + ".0 <" + major + "." + plusOne(minor) + ".0-0"
		}
		return ">=" + major + "." + minor + ".0 <" + plusOne(major) + ".0.0-0"
	}
	from := ">=" + major + "." + minor + "." + patch
	if pre != "" {
		from += "-" + pre
	}
	switch {
	case major == "0" && minor == "0":
		return from + " <" + major + "." + minor + "." + plusOne(patch) + "-0"
	case major == "0":
		return from + " <" + major + "." + plusOne(minor) + ".0-0"
	}
	return from + " <" + plusOne(major) + ".0.0-0"
}

// desugarTilde is npm's replaceTilde; m holds TILDE's submatches:
// major, minor, patch, prerelease.
func desugarTilde(m []string) string {
	major, minor, patch, pre := m[1], m[2], m[3], m[4]
	switch {
	case isX(major):
		return ""
	case isX(minor):
		return ">=" + major + ".0.0 <" + plusOne(major) + ".0.0-0"
	case isX(patch):
		return ">=" + major + "." + minor + ".0 <" + major + "." + plusOne(minor) + ".0-0"
	}
	from := ">=" + major + "." + minor + "." + patch
	if pre != "" {
		from += "-" + pre
	}
	return from + " <" + major + "." + plusOne(minor) + ".0-0"
}

// desugarXRange is npm's replaceXRange; m holds XRANGE's submatches:
// operator, major, minor, patch, prerelease.
func desugarXRange(m []string) string {
	whole, op, major, minor, patch := m[0], m[1], m[2], m[3], m[4]
	if (isX(major) && !isX(minor)) || (isX(minor) && patch != "" && !isX(patch)) {
		return whole
	}
	xMajor := isX(major)
	xMinor := xMajor || isX(minor)
	anyX := xMinor || isX(patch)
	if op == "=" && anyX {
		op = ""
	}
	switch {
	case xMajor:
		if op == ">" || op == "<" {
			return nullSet
		}
		return "*"
	case op != "" && anyX:
		if xMinor {
			minor = "0"
		}
		patch = "0"
		switch op {
		case ">":
			op = ">="
			if xMinor {
				major = plusOne(major)
			} else {
				minor = plusOne(minor)
			}
		case "<=":
			op = "<"
			if xMinor {
				major = plusOne(major)
			} else {
				minor = plusOne(minor)
			}
		}
		pre := ""
		if op == "<" {
			pre = "-0"
		}
		return op + major + "." + minor + "." + patch + pre
	case xMinor:
		return ">=" + major + ".0.0 <" + plusOne(major) + ".0.0-0"
	case anyX:
		return ">=" + major + "." + minor + ".0 <" + major + "." + plusOne(minor) + ".0-0"
	}
	return whole
}

// desugarHyphen is npm's hyphenReplace; m holds HYPHENRANGE's submatches:
// from (as written), its major, minor, patch, prerelease, build, then the
// same six for to. A full "from" is kept as written, prefix included, so
// npm turns "=1.2.3 - 2" into the invalid ">==1.2.3".
func desugarHyphen(m []string) string {
	from, fMajor, fMinor, fPatch := m[1], m[2], m[3], m[4]
	to, tMajor, tMinor, tPatch, tPre := m[7], m[8], m[9], m[10], m[11]
	switch {
	case isX(fMajor):
		from = ""
	case isX(fMinor):
		from = ">=" + fMajor + ".0.0"
	case isX(fPatch):
		from = ">=" + fMajor + "." + fMinor + ".0"
	default:
		from = ">=" + from
	}
	switch {
	case isX(tMajor):
		to = ""
	case isX(tMinor):
		to = "<" + plusOne(tMajor) + ".0.0-0"
	case isX(tPatch):
		to = "<" + tMajor + "." + plusOne(tMinor) + ".0-0"
	case tPre != "":
		to = "<=" + tMajor + "." + tMinor + "." + tPatch + "-" + tPre
	default:
		to = "<=" + to
	}
	return jsTrim(from + " " + to)
}

// wrappedError is an error with what was being parsed in front of it.
type wrappedError struct {
	context string
	err     error
}

func (e *wrappedError) Error() string { return e.context + ": " + e.err.Error() }

func (e *wrappedError) Unwrap() error { return e.err }
