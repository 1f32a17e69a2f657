package semver

import "strings"

// This file ports npm semver's internal/trim-comparator-whitespace.js
// (7.8.6), which replaced the COMPARATORTRIM regular expression of earlier
// versions with a linear scan that keeps its answers: it removes the
// whitespace between an operator and the version after it, so "> 1.2.3"
// becomes ">1.2.3", "> =1.2.3" becomes ">=1.2.3" and "> = 1.2" stays apart.
//
// npm indexes UTF-16 code units and this port indexes bytes; every character
// the scan looks for is one code unit, and whitespace, the only one outside
// ASCII, is decoded where it is looked for, so both see the same matches.

// trimComparatorWhitespace is npm's trimComparatorWhitespace.
func trimComparatorWhitespace(s string) string {
	sc := scanner(s)
	var b strings.Builder
	copyFrom, cursor := 0, 0
	for cursor < len(sc) {
		matchStart := cursor
		if c := sc.at(cursor); c == '<' || c == '>' {
			cursor++
		} else if sc.versionPrefixLen(cursor) == 0 && !isVersionStart(c) {
			cursor++
			continue
		}
		// A v/=/whitespace run is consumed once, even when no version follows.
		for n := sc.versionPrefixLen(cursor); n > 0; n = sc.versionPrefixLen(cursor) {
			cursor += n
		}
		if !isVersionStart(sc.at(cursor)) {
			continue
		}
		if ws := sc.removableWhitespace(matchStart); ws >= 0 {
			b.WriteString(s[copyFrom:ws])
			copyFrom = ws + sc.spaceAt(ws)
		}
		// The whole version is skipped, so a prerelease's trailing v is not
		// read as the prefix of another version.
		cursor = sc.versionEnd(cursor)
	}
	if copyFrom == 0 {
		return s
	}
	b.WriteString(s[copyFrom:])
	return b.String()
}

func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// isIdentifierCharacter: a letter, digit or hyphen, as in "beta-1".
func isIdentifierCharacter(c byte) bool { return isDigit(c) || isLetter(c) || c == '-' }

// versionPrefixLen is the length in bytes of the v, = or whitespace
// character at i, which may come before a version, or 0.
func (sc scanner) versionPrefixLen(i int) int {
	if c := sc.at(i); c == 'v' || c == '=' {
		return 1
	}
	return sc.spaceAt(i)
}

// isVersionStart: a digit or a wildcard.
func isVersionStart(c byte) bool { return isDigit(c) || c == 'x' || c == 'X' || c == '*' }

// digitsEnd is npm's findDigitsEndIndex: at most limit digits.
func (sc scanner) digitsEnd(start, limit int) int {
	end := start
	for end-start < limit && isDigit(sc.at(end)) {
		end++
	}
	return end
}

// numberEnd is npm's findVersionNumberEndIndex: strict numbers stop after a
// leading zero.
func (sc scanner) numberEnd(start int, loose bool) int {
	if !loose && sc.at(start) == '0' {
		return start + 1
	}
	if loose {
		return sc.digitsEnd(start, maxLength)
	}
	return sc.digitsEnd(start, maxLength+1)
}

// prereleaseIdentifierEnd is npm's findPrereleaseIdentifierEndIndex.
func (sc scanner) prereleaseIdentifierEnd(start int, loose bool) int {
	digitsEnd := sc.digitsEnd(start, maxLength)
	if c := sc.at(digitsEnd); isLetter(c) || c == '-' {
		end := digitsEnd + 1
		limit := end + maxSafeBuildLength
		for end < limit && isIdentifierCharacter(sc.at(end)) {
			end++
		}
		return end
	}
	return sc.numberEnd(start, loose)
}

// prereleaseEnd is npm's findPrereleaseEndIndex.
func (sc scanner) prereleaseEnd(start int, loose bool) int {
	hyphen := sc.at(start) == '-'
	if !loose && !hyphen {
		return start
	}
	identifierStart := start
	if hyphen {
		identifierStart++
	}
	end := sc.prereleaseIdentifierEnd(identifierStart, loose)
	if end == identifierStart {
		if !loose || !hyphen {
			return start
		}
		// In loose syntax a lone hyphen can itself be the identifier.
		end = sc.prereleaseIdentifierEnd(start, loose)
	}
	for sc.at(end) == '.' {
		next := sc.prereleaseIdentifierEnd(end+1, loose)
		if next == end+1 {
			break
		}
		end = next
	}
	return end
}

// buildIdentifierEnd is npm's findBuildIdentifierEndIndex: at most limit
// identifier characters (npm's MAX_SAFE_BUILD_LENGTH).
func (sc scanner) buildIdentifierEnd(start, limit int) int {
	end := start
	for end-start < limit && isIdentifierCharacter(sc.at(end)) {
		end++
	}
	return end
}

// buildEnd is npm's findBuildEndIndex, with identifiers of at most limit
// characters.
func (sc scanner) buildEnd(start, limit int) int {
	if sc.at(start) != '+' {
		return start
	}
	end := sc.buildIdentifierEnd(start+1, limit)
	if end == start+1 {
		return start
	}
	for sc.at(end) == '.' {
		next := sc.buildIdentifierEnd(end+1, limit)
		if next == end+1 {
			break
		}
		end = next
	}
	return end
}

// looseFullVersionEnd is npm's findLooseFullVersionEndIndex.
func (sc scanner) looseFullVersionEnd(start int) int {
	end := start
	for component := range 3 {
		next := sc.numberEnd(end, true)
		if next == end {
			return start
		}
		end = next
		if component < 2 {
			if sc.at(end) != '.' {
				return start
			}
			end++
		}
	}
	return sc.buildEnd(sc.prereleaseEnd(end, true), maxSafeBuildLength)
}

// partialComponentEnd is npm's findPartialVersionComponentEndIndex.
func (sc scanner) partialComponentEnd(start int) int {
	if isDigit(sc.at(start)) {
		return sc.numberEnd(start, false)
	}
	if isVersionStart(sc.at(start)) {
		return start + 1
	}
	return start
}

// partialVersionEnd is npm's findPartialVersionEndIndex.
func (sc scanner) partialVersionEnd(start int) int {
	end := sc.partialComponentEnd(start)
	for range 2 {
		if sc.at(end) != '.' {
			return end
		}
		next := sc.partialComponentEnd(end + 1)
		if next == end+1 {
			return end
		}
		end = next
	}
	return sc.buildEnd(sc.prereleaseEnd(end, false), maxSafeBuildLength)
}

// versionEnd is npm's findVersionEndIndex.
func (sc scanner) versionEnd(start int) int {
	if end := sc.looseFullVersionEnd(start); end != start {
		return end
	}
	return sc.partialVersionEnd(start)
}

// removableWhitespace is npm's findRemovableWhitespaceIndex: the whitespace
// right after an operator at matchStart, or -1.
func (sc scanner) removableWhitespace(matchStart int) int {
	p := sc.optionalSpaceEnd(matchStart)
	if c := sc.at(p); c == '<' || c == '>' {
		p++
	}
	if sc.at(p) == '=' {
		p++
	}
	if sc.spaceAt(p) > 0 {
		return p
	}
	return -1
}
