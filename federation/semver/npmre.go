package semver

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// This file ports the tokens of npm semver's internal/re.js (semver 7.8.6,
// the version pinned in package.json) that the range grammar uses, as
// hand-written matchers instead of regular expressions (the regexp package
// and its Unicode tables cost runtime.wasm about 90 KB brotli). Each matcher
// is named after its token and gives the answer npm's "safe" expression
// gives, the one its Range, Comparator and SemVer classes use: a run of
// digits is limited to 256 (`\d{0,256}`), one of identifier characters
// [a-zA-Z0-9-] to 250, and `\s*` / `\s+` to one whitespace character. Those
// limits decide some answers (npm does not read "1.2.x-" followed by a
// 300-letter prerelease as an x-range), so they are kept.
//
// Two facts make the matchers simple. Every token that matches a version is
// anchored, or followed by whitespace, and no character a version is made of
// is whitespace; so the regular expression's backtracking never finds a
// second way to match, and a greedy left-to-right scan that stops where npm's
// expression would stop gives the same answer and the same submatches.
//
// JavaScript's \s is Unicode whitespace; isJSSpace is that set, used wherever
// npm writes \s or calls trim().

const (
	// maxLength is npm's MAX_LENGTH: longer version strings are invalid.
	maxLength = 256
	// maxSafeInteger is JavaScript's Number.MAX_SAFE_INTEGER, npm's bound on
	// major, minor and patch.
	maxSafeInteger = 1<<53 - 1
	// maxSafeBuildLength is npm's MAX_SAFE_BUILD_LENGTH, the bound on a run of
	// identifier characters in its safe expressions.
	maxSafeBuildLength = maxLength - 6
)

// isJSSpace reports whether r is whitespace to JavaScript's trim() and \s
// (npm's WHITESPACE_CHARACTERS).
func isJSSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff:
		return true
	}
	return r >= 0x2000 && r <= 0x200a
}

// jsTrim is JavaScript's String.prototype.trim.
func jsTrim(s string) string { return strings.TrimFunc(s, isJSSpace) }

// jsSplitSpaces is JavaScript's s.split(/\s+/): empty strings at the ends
// are kept.
func jsSplitSpaces(s string) []string {
	var words []string
	wordStart, inSpace := 0, false
	for i, r := range s {
		switch space := isJSSpace(r); {
		case space && !inSpace:
			words = append(words, s[wordStart:i])
			inSpace = true
		case !space && inSpace:
			wordStart, inSpace = i, false
		}
	}
	if inSpace {
		wordStart = len(s)
	}
	return append(words, s[wordStart:])
}

// jsCollapseSpaces is JavaScript's s.replace(/\s+/g, ' ').
func jsCollapseSpaces(s string) string { return strings.Join(jsSplitSpaces(s), " ") }

// jsLength is JavaScript's s.length: the number of UTF-16 code units.
func jsLength(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// scanner is a string being matched. Positions are byte offsets; every
// character a token names is ASCII except whitespace, which spaceAt decodes.
// Its ...End methods return the position after what they matched, or their
// start position on no match, like npm's find...EndIndex functions.
type scanner string

// at is the byte at i, or 0 past the end (npm's undefined): no token
// matches 0, so a NUL in the input and the end of it act alike.
func (sc scanner) at(i int) byte {
	if i < len(sc) {
		return sc[i]
	}
	return 0
}

// spaceAt is the length in bytes of the JavaScript whitespace character at
// i, or 0 if there is none.
func (sc scanner) spaceAt(i int) int {
	if i >= len(sc) {
		return 0
	}
	if c := sc[i]; c < utf8.RuneSelf {
		if c == ' ' || '\t' <= c && c <= '\r' {
			return 1
		}
		return 0
	}
	if r, size := utf8.DecodeRuneInString(string(sc[i:])); isJSSpace(r) {
		return size
	}
	return 0
}

// spaceBefore is the length in bytes of the JavaScript whitespace character
// ending at i, or 0 if there is none.
func (sc scanner) spaceBefore(i int) int {
	if r, size := utf8.DecodeLastRuneInString(string(sc[:i])); size > 0 && isJSSpace(r) {
		return size
	}
	return 0
}

// optionalSpaceEnd matches `\s{0,1}`, npm's safe `\s*`.
func (sc scanner) optionalSpaceEnd(i int) int { return i + sc.spaceAt(i) }

// versionPrefixEnd matches `[v=\s]*`, the prefix XRANGEPLAIN allows.
func (sc scanner) versionPrefixEnd(i int) int {
	for {
		switch {
		case sc.at(i) == 'v' || sc.at(i) == '=':
			i++
		case sc.spaceAt(i) > 0:
			i += sc.spaceAt(i)
		default:
			return i
		}
	}
}

// operatorEnd matches GTLT, `((?:<|>)?=?)`.
func (sc scanner) operatorEnd(i int) int {
	if c := sc.at(i); c == '<' || c == '>' {
		i++
	}
	if sc.at(i) == '=' {
		i++
	}
	return i
}

// versionParts are the submatches of a matched version, as written: major,
// minor, patch, prerelease and build, "" where npm's is undefined.
type versionParts [5]string

// mainVersionEnd matches MAINVERSION, `(N)\.(N)\.(N)` with N npm's
// NUMERICIDENTIFIER, storing the numbers in parts.
func (sc scanner) mainVersionEnd(start int, parts *versionParts) int {
	end := start
	for component := range 3 {
		if component > 0 {
			if sc.at(end) != '.' {
				return start
			}
			end++
		}
		next := sc.numberEnd(end, false)
		if next == end {
			return start
		}
		parts[component] = string(sc[end:next])
		end = next
	}
	return end
}

// prereleaseAndBuildEnd matches `(?:PRERELEASE)?BUILD?`, storing the
// prerelease and build identifiers in parts.
func (sc scanner) prereleaseAndBuildEnd(start int, parts *versionParts) int {
	end := sc.prereleaseEnd(start, false)
	if end != start {
		parts[3] = string(sc[start+1 : end])
	}
	buildEnd := sc.buildEnd(end, maxSafeBuildLength)
	if buildEnd != end {
		parts[4] = string(sc[end+1 : buildEnd])
	}
	return buildEnd
}

// fullPlainEnd matches FULLPLAIN, `v?MAINVERSION PRERELEASE? BUILD?`.
func (sc scanner) fullPlainEnd(start int, parts *versionParts) int {
	end := start
	if sc.at(end) == 'v' {
		end++
	}
	if next := sc.mainVersionEnd(end, parts); next != end {
		return sc.prereleaseAndBuildEnd(next, parts)
	}
	return start
}

// xRangePlainEnd matches XRANGEPLAIN after its `[v=\s]*` prefix: one to
// three XRANGEIDENTIFIERs (a number, x, X or *), and after three a
// prerelease and build.
func (sc scanner) xRangePlainEnd(start int, parts *versionParts) int {
	end := sc.partialComponentEnd(start)
	if end == start {
		return start
	}
	parts[0] = string(sc[start:end])
	for component := 1; component < 3; component++ {
		if sc.at(end) != '.' {
			return end
		}
		next := sc.partialComponentEnd(end + 1)
		if next == end+1 {
			return end
		}
		parts[component] = string(sc[end+1 : next])
		end = next
	}
	return sc.prereleaseAndBuildEnd(end, parts)
}

// matchFull matches FULL, `^FULLPLAIN$`, against a trimmed version.
func matchFull(s string) (versionParts, bool) {
	var parts versionParts
	sc := scanner(s)
	end := sc.fullPlainEnd(0, &parts)
	return parts, end != 0 && end == len(s)
}

// matchComparator matches COMPARATOR, `^GTLT\s*(FULLPLAIN)$|^$`: the
// operator and the version as written ("" for the empty comparator).
func matchComparator(s string) (operator, version string, ok bool) {
	if s == "" {
		return "", "", true
	}
	sc := scanner(s)
	opEnd := sc.operatorEnd(0)
	versionStart := sc.optionalSpaceEnd(opEnd)
	var parts versionParts
	end := sc.fullPlainEnd(versionStart, &parts)
	if end == versionStart || end != len(s) {
		return "", "", false
	}
	return s[:opEnd], s[versionStart:], true
}

// matchXRange matches XRANGE, `^GTLT\s*XRANGEPLAIN$`, returning the
// submatches npm's replaceXRange receives: the whole match, the operator,
// major, minor, patch and prerelease.
func matchXRange(s string) ([]string, bool) {
	sc := scanner(s)
	opEnd := sc.operatorEnd(0)
	start := sc.versionPrefixEnd(sc.optionalSpaceEnd(opEnd))
	var parts versionParts
	if end := sc.xRangePlainEnd(start, &parts); end == start || end != len(s) {
		return nil, false
	}
	return []string{s, s[:opEnd], parts[0], parts[1], parts[2], parts[3]}, true
}

// matchLone matches TILDE (`^~>?XRANGEPLAIN$`, lone "~") or CARET
// (`^\^XRANGEPLAIN$`, lone "^"), returning the submatches npm's replaceTilde
// and replaceCaret receive: the whole match, major, minor, patch and
// prerelease.
func matchLone(s string, lone byte) ([]string, bool) {
	sc := scanner(s)
	if sc.at(0) != lone {
		return nil, false
	}
	start := 1
	if lone == '~' && sc.at(start) == '>' {
		start++
	}
	start = sc.versionPrefixEnd(start)
	var parts versionParts
	if end := sc.xRangePlainEnd(start, &parts); end == start || end != len(s) {
		return nil, false
	}
	return []string{s, parts[0], parts[1], parts[2], parts[3]}, true
}

// matchHyphenRange matches HYPHENRANGE,
// `^\s*(XRANGEPLAIN)\s+-\s+(XRANGEPLAIN)\s*$`, returning the submatches npm's
// hyphenReplace receives: the whole match, then for from and to the
// version as written, major, minor, patch, prerelease and build.
func matchHyphenRange(s string) ([]string, bool) {
	sc := scanner(s)
	fromStart := sc.optionalSpaceEnd(0)
	start := sc.versionPrefixEnd(fromStart)
	var from versionParts
	fromEnd := sc.xRangePlainEnd(start, &from)
	if fromEnd == start {
		return nil, false
	}
	sep := sc.spaceAt(fromEnd)
	if sep == 0 || sc.at(fromEnd+sep) != '-' || sc.spaceAt(fromEnd+sep+1) == 0 {
		return nil, false
	}
	toStart := fromEnd + sep + 1 + sc.spaceAt(fromEnd+sep+1)
	start = sc.versionPrefixEnd(toStart)
	var to versionParts
	toEnd := sc.xRangePlainEnd(start, &to)
	if toEnd == start || sc.optionalSpaceEnd(toEnd) != len(s) {
		return nil, false
	}
	m := make([]string, 0, 13)
	m = append(m, s, s[fromStart:fromEnd])
	m = append(m, from[:]...)
	m = append(m, s[toStart:toEnd])
	return append(m, to[:]...), true
}

// replaceLoneTrim is TILDETRIM's or CARETTRIM's global replacement
// (`(\s*)~>?\s+` by "$1~", `(\s*)\^\s+` by "$1^"): the whitespace after a
// lone "~", "~>" or "^" goes, and "~>" becomes "~".
func replaceLoneTrim(s string, lone byte) string {
	sc := scanner(s)
	var b strings.Builder
	copied := 0
	for i := 0; i < len(s); i++ {
		opStart := i
		if sc.at(opStart) != lone {
			opStart = sc.optionalSpaceEnd(i)
			if opStart == i || sc.at(opStart) != lone {
				continue
			}
		}
		end := opStart + 1
		if lone == '~' && sc.at(end) == '>' && sc.spaceAt(end+1) > 0 {
			end++
		}
		space := sc.spaceAt(end)
		if space == 0 {
			continue
		}
		b.WriteString(s[copied:opStart])
		b.WriteByte(lone)
		copied = end + space
		i = copied - 1
	}
	if copied == 0 {
		return s
	}
	b.WriteString(s[copied:])
	return b.String()
}

// replaceStar is npm's replaceStars after its trim: the first STAR match,
// `(<|>)?=?\s*\*`, goes. The match ends at the first "*" and starts as far
// left as the operator and whitespace before it reach.
func replaceStar(s string) string {
	star := strings.IndexByte(s, '*')
	if star < 0 {
		return s
	}
	sc := scanner(s)
	start := star - sc.spaceBefore(star)
	if start > 0 && s[start-1] == '=' {
		start--
	}
	if start > 0 && (s[start-1] == '<' || s[start-1] == '>') {
		start--
	}
	return s[:start] + s[star+1:]
}

// replaceGTE0 is npm's replaceGTE0 with default options: a trimmed
// comparator matching GTE0, `^\s*>=\s*0\.0\.0\s*$`, becomes "".
func replaceGTE0(comp string) string {
	comp = jsTrim(comp)
	sc := scanner(comp)
	i := sc.optionalSpaceEnd(0)
	if !strings.HasPrefix(comp[i:], ">=") {
		return comp
	}
	i = sc.optionalSpaceEnd(i + 2)
	if !strings.HasPrefix(comp[i:], "0.0.0") || sc.optionalSpaceEnd(i+5) != len(comp) {
		return comp
	}
	return ""
}

// stripBuild removes BUILD (`\+(BUILDIDENTIFIER(?:\.BUILDIDENTIFIER)*)`):
// every match if global (Range's unbounded BUILDSTRIPRE), else only the
// first (parseComparator's safe BUILD, identifiers of at most 250
// characters).
func stripBuild(s string, global bool) string {
	limit := maxSafeBuildLength
	if global {
		limit = len(s)
	}
	sc := scanner(s)
	var b strings.Builder
	copied := 0
	for i := 0; i < len(s); {
		plus := strings.IndexByte(s[i:], '+')
		if plus < 0 {
			break
		}
		i += plus
		end := sc.buildEnd(i, limit)
		if end == i {
			i++
			continue
		}
		b.WriteString(s[copied:i])
		copied, i = end, end
		if !global {
			break
		}
	}
	if copied == 0 {
		return s
	}
	b.WriteString(s[copied:])
	return b.String()
}

// matchPartialRelease matches ParseVersion's extension beyond npm,
// `^v?(0|[1-9][0-9]*)(?:\.(0|[1-9][0-9]*))?$`: "1" or "1.2", without
// leading zeros. minor is "" when absent.
func matchPartialRelease(s string) (major, minor string, ok bool) {
	sc := scanner(s)
	start := 0
	if sc.at(0) == 'v' {
		start = 1
	}
	end := sc.releaseNumberEnd(start)
	if end == start {
		return "", "", false
	}
	major = s[start:end]
	if end == len(s) {
		return major, "", true
	}
	if s[end] != '.' {
		return "", "", false
	}
	minorEnd := sc.releaseNumberEnd(end + 1)
	if minorEnd == end+1 || minorEnd != len(s) {
		return "", "", false
	}
	return major, s[end+1 : minorEnd], true
}

// releaseNumberEnd matches `0|[1-9][0-9]*`, without npm's bound on digits.
func (sc scanner) releaseNumberEnd(start int) int {
	if sc.at(start) == '0' {
		return start + 1
	}
	return sc.digitsEnd(start, len(sc))
}
