package semver

import (
	"regexp"
	"strings"
	"sync"
	"unicode/utf16"
)

// This file ports npm semver's internal/re.js (semver 7.8.6, the version
// pinned in package.json). The tokens keep npm's names and are built the way
// npm builds its "safe" regular expressions, the ones its Range, Comparator
// and SemVer classes use: `\s*` becomes `\s{0,1}`, `\d*` `\d{0,256}`, and a
// run of identifier characters [a-zA-Z0-9-] is limited to 250. Those limits
// decide some answers (npm does not read "1.2.x-" followed by a 300-letter
// prerelease as an x-range), so they are kept.
//
// Bounded repetitions make large automata, which Go's regexp runs slowly.
// Every bounded atom (\d, [a-zA-Z-], [a-zA-Z0-9-]) only matches identifier
// characters, so on a string whose longest run of identifier characters is at
// most 250 the bounded and the unbounded expressions match alike.
// regexpsFor picks the small unbounded set for such strings and the exact
// bounded set, compiled on first need, for the others. Whitespace bounds
// (\s{0,1}) are kept in both.
//
// JavaScript's \s is Unicode whitespace while Go's is ASCII; jsSpaceClass is
// the JavaScript set, used wherever npm writes \s or calls trim().

// jsSpaceClass is the body of a character class matching what JavaScript's \s
// and String.prototype.trim treat as whitespace (npm's WHITESPACE_CHARACTERS).
const jsSpaceClass = `\t\n\v\f\r \x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}\x{feff}`

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

// npmRegexps holds the compiled tokens of re.js that the range grammar uses.
type npmRegexps struct {
	full        *regexp.Regexp // FULL: a strict version
	xRange      *regexp.Regexp // XRANGE: [op] partial version with x/X/*
	tilde       *regexp.Regexp // TILDE
	tildeTrim   *regexp.Regexp // TILDETRIM (global)
	caret       *regexp.Regexp // CARET
	caretTrim   *regexp.Regexp // CARETTRIM (global)
	comparator  *regexp.Regexp // COMPARATOR
	hyphenRange *regexp.Regexp // HYPHENRANGE
	star        *regexp.Regexp // STAR (first match only)
	gte0        *regexp.Regexp // GTE0
	build       *regexp.Regexp // BUILD, safe form (first match only)
	buildStrip  *regexp.Regexp // BUILD, unbounded form (global): Range's BUILDSTRIPRE
}

var (
	// unboundedRegexps and exactRegexps compile on first use, so a page that
	// never parses a range does not pay for them.
	unboundedRegexps = sync.OnceValue(func() *npmRegexps { return compileNpmRegexps(false) })
	exactRegexps     = sync.OnceValue(func() *npmRegexps { return compileNpmRegexps(true) })
)

// regexpsFor returns the expressions to match against subject (or any part of
// it): the unbounded ones when they match as npm's bounded ones do.
func regexpsFor(subject string) *npmRegexps {
	run := 0
	for i := 0; i < len(subject); i++ {
		if c := subject[i]; c == '-' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' {
			if run++; run > maxSafeBuildLength {
				return exactRegexps()
			}
		} else {
			run = 0
		}
	}
	return unboundedRegexps()
}

// safe applies npm's makeSafeRegex to a token source (its digit and
// identifier bounds only if bounded) and translates \s into the JavaScript
// whitespace class.
func safe(src string, bounded bool) string {
	const letterDashNumber = `[a-zA-Z0-9-]`
	replacements := []string{
		`\s*`, `[` + jsSpaceClass + `]{0,1}`,
		`\s+`, `[` + jsSpaceClass + `]{1,1}`,
	}
	if bounded {
		replacements = append(replacements,
			`\d*`, `\d{0,256}`,
			`\d+`, `\d{1,256}`,
			letterDashNumber+`*`, letterDashNumber+`{0,250}`,
			letterDashNumber+`+`, letterDashNumber+`{1,250}`,
		)
	}
	return strings.ReplaceAll(strings.NewReplacer(replacements...).Replace(src), `\s`, jsSpaceClass)
}

func compileNpmRegexps(bounded bool) *npmRegexps {
	const (
		letterDashNumber     = `[a-zA-Z0-9-]`
		numericIdentifier    = `0|[1-9]\d*`
		nonNumericIdentifier = `\d*[a-zA-Z-]` + letterDashNumber + `*`
		mainVersion          = `(` + numericIdentifier + `)\.(` + numericIdentifier + `)\.(` + numericIdentifier + `)`
		prereleaseIdentifier = `(?:` + nonNumericIdentifier + `|` + numericIdentifier + `)`
		prerelease           = `(?:-(` + prereleaseIdentifier + `(?:\.` + prereleaseIdentifier + `)*))`
		buildIdentifier      = letterDashNumber + `+`
		build                = `(?:\+(` + buildIdentifier + `(?:\.` + buildIdentifier + `)*))`
		fullPlain            = `v?` + mainVersion + prerelease + `?` + build + `?`
		gtlt                 = `((?:<|>)?=?)`
		xRangeIdentifier     = numericIdentifier + `|x|X|\*`
		xRangePlain          = `[v=\s]*(` + xRangeIdentifier + `)` +
			`(?:\.(` + xRangeIdentifier + `)` +
			`(?:\.(` + xRangeIdentifier + `)` +
			`(?:` + prerelease + `)?` + build + `?` +
			`)?)?`
		loneTilde = `(?:~>?)`
		loneCaret = `(?:\^)`
	)
	c := func(src string) *regexp.Regexp { return regexp.MustCompile(safe(src, bounded)) }
	return &npmRegexps{
		full:        c(`^` + fullPlain + `$`),
		xRange:      c(`^` + gtlt + `\s*` + xRangePlain + `$`),
		tilde:       c(`^` + loneTilde + xRangePlain + `$`),
		tildeTrim:   c(`(\s*)` + loneTilde + `\s+`),
		caret:       c(`^` + loneCaret + xRangePlain + `$`),
		caretTrim:   c(`(\s*)` + loneCaret + `\s+`),
		comparator:  c(`^` + gtlt + `\s*(` + fullPlain + `)$|^$`),
		hyphenRange: c(`^\s*(` + xRangePlain + `)\s+-\s+(` + xRangePlain + `)\s*$`),
		star:        c(`(<|>)?=?\s*\*`),
		gte0:        c(`^\s*>=\s*0\.0\.0\s*$`),
		build:       c(build),
		buildStrip:  regexp.MustCompile(build),
	}
}

// isJSSpace reports whether r is whitespace to JavaScript's trim() and \s.
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

// replaceFirst is JavaScript's s.replace(re, repl) for a non-global re:
// only the leftmost match is replaced, by repl's result for its submatches.
func replaceFirst(re *regexp.Regexp, s string, repl func(m []string) string) string {
	loc := re.FindStringSubmatchIndex(s)
	if loc == nil {
		return s
	}
	m := make([]string, len(loc)/2)
	for i := range m {
		if loc[2*i] >= 0 {
			m[i] = s[loc[2*i]:loc[2*i+1]]
		}
	}
	return s[:loc[0]] + repl(m) + s[loc[1]:]
}
