package semver_test

import (
	"math/rand/v2"
	"strconv"
	"strings"
)

// A corpus pair is one (range, version) question for npm and for this package.
type corpusPair struct {
	Range   string `json:"range"`
	Version string `json:"version"`
}

// curatedRanges are ranges as people write them in package.json, and the
// ways they go wrong. Every one is asked against every curatedVersion.
var curatedRanges = []string{
	// exact versions, "=" and "v"
	"1.2.3", "=1.2.3", "v1.2.3", "=v1.2.3", "==1.2.3", "V1.2.3", " 1.2.3 ", "1.2.3+build.5", "1.2.3-beta.1", "=1.2.3-rc.0",
	// empty, stars, x-ranges and partial versions
	"", " ", "*", "x", "X", "x.x", "*.*.*", "x.x.x", "1", "1.x", "1.X", "1.*", "1.x.x", "1.2", "1.2.x", "1.2.*", "1.2.X",
	"0", "0.x", "0.0", "0.0.x", "x.1", "x.1.2", "1.x.3", "*.2", "1.2.x-beta", "1.2.3.x", "v1.x", "=1.x", "=*", "2.x.x+build",
	// carets
	"^1.2.3", "^1.2", "^1", "^1.x", "^1.2.x", "^0.2.3", "^0.2", "^0.0.3", "^0.0", "^0", "^0.0.0", "^0.x", "^0.0.x",
	"^1.2.3-beta.2", "^0.0.3-beta", "^0.2.3-rc.0", "^*", "^x", "^ 1.2.3", "^  1.2.3", "^^1", "^v1.2.3", "^=1.2.3", "^>1.2.3",
	// tildes
	"~1.2.3", "~1.2", "~1", "~1.x", "~0.2.3", "~0.0.3", "~0", "~1.2.3-beta", "~1.2.3-beta.2", "~>1.2", "~>1.2.3", "~> 1.2",
	"~ 1.2.3", "~*", "~x.1", "~~1", "~v1.2.3", "~=1.2",
	// comparators and spacing
	">1.2.3", ">=1.2.3", "<1.2.3", "<=1.2.3", ">1.2", ">=1.2", "<1.2", "<=1.2", ">1", "<=1", "<1", ">=0.0.0", ">=0.0.0-0",
	">= 1.2.3", "> 1.2.3", "< 2", "<= 2", ">=  1.2.3", "> = 1.2", ">==1.2.3", "=>1.2.3", ">>1", "<>1", "!=1.2.3", "!1.2.3",
	">=1.2.3 <2", ">=1.2.3  <2", ">=1.2.3\t<2", ">=1.2.3,<2", ">=1.2.3, <2", ">1.2.3 <1.2.3", ">=1.2.3 <=1.2.3", "<0.0.0-0",
	">*", "<*", ">=*", "<=*", ">x", "<x.x", ">1.x", "<=1.x", ">=1.x", "<1.x", ">0.x", "<=1.2.x", ">1.2.x", "=1.2.x",
	">= 0.0.0", " >=0.0.0 ", ">=0.0.0 || *", "x || X", "* >=0.0.0", ">=0.0.0-0 <3", "*.x", "X.X.X", "=x",
	">=1.0.0-alpha", ">=1.0.0-0", ">=19.0.0-rc.0", "<2.0.0-0", "<2.0.0-beta", ">1.2.3-beta.1 <1.2.3-rc",
	// hyphen ranges
	"1.2.3 - 2.3.4", "1.2 - 2.3.4", "1.2.3 - 2.3", "1.2.3 - 2", "1 - 2", "* - 2", "1.2.3 - *", "x - x", "1.2.3 - x",
	"1.2.3-beta - 2.3.4-rc", "v1.2.3 - v2.3.4", "=1.2.3 - 2", "1.2.3 - =2.3.4", "1.2.3 -2.3.4", "1.2.3- 2.3.4",
	"1.2.3-2.3.4", "1.2.3  -  2.3.4", "1.2.3 - 2.3.4 - 3", ">1.2.3 - 2", "1.2.3 - 2.3.4 <2.0.0", "^1 - 2",
	// unions
	"1.x || >=2.5.0 || 5.0.0 - 7.2.3", "^1.2.3 || ^2", "^1.2.3||^2", "^1.2.3 || 2.x", "1.2.3 || ", "|| 1.2.3", "||", " || ",
	"^1.2.3 ||| 2", "^1.2.3 | 2", "1 || || 2", "<0.0.0-0 || 1.x", "* || 1.2.3", "1.2.3 || *", ">1 <1 || 2",
	"^1.2.3-beta.2 || ^2.0.0-rc.1", "~1.2.3-beta || >=1.2.4",
	// build metadata, prereleases, odd identifiers
	"^1.2.3+build", "1.2.3-beta+exp.sha.5114f85", ">=1.2.3-0", "1.2.3-01", "1.2.3-beta..1", "1.2.3-", "1.2.3+",
	"1.2.3-alpha.1.beta", "1.2.3-x-y-z.-", "1.2.3-9007199254740993", "+build", "1.2.3 +build",
	// invalid and out-of-range input
	"latest", "next", "not a range", "1.2.3.4", "01.2.3", "1.02.3", "^01.2.3", "1.2.3 garbage", "a.b.c", "1..2",
	"9007199254740991.0.0", "9007199254740992.0.0", "<=9007199254740991", "^9007199254740991", "x.99999999999999999999",
	"\u00a0^1.2.3\u00a0", "^1.2.3\ufeff", ">=\u30001.2.3", "\u0085^1.2.3", "^1.2.3\n|| 2",
	// npm's bounds on a run of digits (256) and identifier characters (250)
	"1.2.x-" + strings.Repeat("a", 249), "1.2.x-" + strings.Repeat("a", 251), "1.2.x-" + strings.Repeat("a", 252),
	"1.2.x-" + strings.Repeat("a", 300), "1.2.x-1" + strings.Repeat("a", 250), "1.2.x-" + strings.Repeat("1", 256) + "a",
	"1.2.x-" + strings.Repeat("1", 257) + "a", "x.x.x-" + strings.Repeat("1", 300), ">1.2.x-" + strings.Repeat("a", 260) + " <2",
	"1.2.3 - 2.x-" + strings.Repeat("a", 251), "1.2.3+" + strings.Repeat("b", 300), "x." + strings.Repeat("9", 300),
}

// curatedVersions are provided versions, valid and not.
var curatedVersions = []string{
	"0.0.0", "0.0.1", "0.0.3", "0.0.4", "0.1.0", "0.2.3", "0.2.9", "0.3.0", "1.0.0", "1.2.2", "1.2.3", "1.2.4", "1.3.0",
	"1.9.9", "2.0.0", "2.3.4", "2.3.5", "2.4.0", "3.0.0", "6.0.0", "7.2.3", "7.2.4", "19.0.0", "19.1.0",
	"1.2.3-alpha", "1.2.3-beta", "1.2.3-beta.1", "1.2.3-beta.2", "1.2.3-beta.4", "1.2.3-beta.11", "1.2.3-rc", "1.2.3-rc.0",
	"1.2.3-0", "1.2.3-1", "1.2.3-alpha.1.beta", "1.2.4-beta.1", "1.3.0-0", "2.0.0-beta", "2.0.0-rc.1", "2.3.4-rc",
	"0.0.3-beta", "0.0.0-0", "19.0.0-rc.1", "1.0.0-alpha", "1.0.0-beta.2", "1.2.4-rc.1", "2.0.0-0", "0.0.1-alpha.0",
	"19.0.0-canary-7a2c704-20250101", "1.0.0-rc.1+build.7", "1.2.3+build.5", "1.2.3-beta+exp.sha.5114f85", "v1.2.3", "=1.2.3",
	" 1.2.3 ", "\t1.2.3\n", "\u00a01.2.3", "1.2.3\u0085",
	"", "1", "1.2", "0", "v1.2", "1.2.3.4", "01.2.3", "1.02.3", "1.2.3-01", "latest", "^1.2.3", "1.2.3-",
	"9007199254740991.0.0", "9007199254740992.0.0", "1.2.3-9007199254740993",
	"1.2.3-" + strings.Repeat("a", 250), "1.2.3-" + strings.Repeat("a", 251), " 1.2.3-" + strings.Repeat("a", 250),
}

// corpus returns the differential test's pairs: every curated range against
// every curated version, then size generated ranges, each against versions
// picked near its own numbers. The seed is fixed: the corpus is the same on
// every run.
func corpus(size int) []corpusPair {
	var pairs []corpusPair
	for _, r := range curatedRanges {
		for _, v := range curatedVersions {
			pairs = append(pairs, corpusPair{r, v})
		}
	}
	g := &generator{rng: rand.New(rand.NewPCG(20250915, 3))}
	for range size {
		r, releases := g.rangeString()
		for range 4 {
			pairs = append(pairs, corpusPair{r, g.versionNear(releases)})
		}
	}
	return pairs
}

// generator writes random ranges and versions from npm's grammar. A sloppy
// range also uses near misses of it (operators npm lacks, leading zeros,
// empty identifiers, stray separators); a tidy one only what npm accepts.
type generator struct {
	rng    *rand.Rand
	sloppy bool
}

func (g *generator) pick(options ...string) string { return options[g.rng.IntN(len(options))] }

func (g *generator) chance(percent int) bool { return g.rng.IntN(100) < percent }

// either picks from tidy, or in a sloppy range now and then from sloppy.
func (g *generator) either(tidy, sloppy []string) string {
	if g.sloppy && g.chance(30) {
		return g.pick(sloppy...)
	}
	return g.pick(tidy...)
}

// number is a version component: mostly small so that ranges and versions
// meet at their boundaries.
func (g *generator) number() string {
	switch n := g.rng.IntN(100); {
	case n < 85:
		return strconv.Itoa(g.rng.IntN(4))
	case n < 97 || !g.sloppy:
		return strconv.Itoa(4 + g.rng.IntN(20))
	}
	return g.pick("9007199254740991", "9007199254740992", "99999999999999999999", "00", "01", "007")
}

func (g *generator) prerelease() string {
	return g.either(
		[]string{"alpha", "beta", "beta.1", "beta.2", "beta.11", "rc.0", "rc.1", "0", "1", "alpha.1.beta", "x-y", "1a", "-", "x", "9007199254740993"},
		[]string{"01", "beta..1", "", "beta_1", "beta.01"})
}

func (g *generator) build() string {
	return g.either([]string{"build", "build.5", "exp.sha.5114f85", "001"}, []string{"", "a..b", "b_1"})
}

// partial is a possibly partial, possibly wildcarded version; it appends its
// numbers, as one release, to releases. In a tidy range, wildcards come last ("1.x.x",
// not "1.x.3").
func (g *generator) partial(releases *[][]string) string {
	parts := 1 + g.rng.IntN(3)
	if g.chance(50) {
		parts = 3
	}
	var b strings.Builder
	if g.chance(10) {
		b.WriteString(g.either([]string{"v", "=", " "}, []string{"V", "vv", "==", "v=", "=v"}))
	}
	wildcard := false
	var numbers []string
	defer func() { *releases = append(*releases, numbers) }()
	for i := range parts {
		if i > 0 {
			b.WriteByte('.')
		}
		if g.chance(15) || (wildcard && !g.sloppy) {
			wildcard = true
			b.WriteString(g.pick("x", "X", "*"))
			continue
		}
		n := g.number()
		numbers = append(numbers, n)
		b.WriteString(n)
	}
	if parts == 3 && g.chance(25) {
		b.WriteString("-" + g.prerelease())
	}
	if g.chance(8) {
		b.WriteString("+" + g.build())
	}
	if g.sloppy && g.chance(5) {
		b.WriteString(g.pick(".4", ".", "-", "a"))
	}
	return b.String()
}

// space is what people put between tokens: usually nothing or one space.
func (g *generator) space() string {
	switch n := g.rng.IntN(100); {
	case n < 60:
		return ""
	case n < 90:
		return " "
	}
	return g.pick("  ", "\t", "\u00a0", "\n", " \t ")
}

// comparator is one term of a comparator set. npm reads a hyphen range only
// as a whole ||-alternative, so a tidy range has one only when alone.
func (g *generator) comparator(releases *[][]string, alone bool) string {
	switch n := g.rng.IntN(100); {
	case n < 12 && (alone || g.sloppy):
		return g.partial(releases) + g.either([]string{" - ", "  -  "}, []string{" -", "- ", "-"}) + g.partial(releases)
	case n < 14:
		return g.either([]string{"*", "x", ""}, []string{"latest", "||", "-", "+build", ">", "^", "~"})
	}
	op := g.either(
		[]string{"", "", "=", "^", "^", "~", "~", "~>", ">", ">=", "<", "<="},
		[]string{"!=", "==", ">>", "=>", "> =", "<=>", "^~"})
	return op + g.space() + g.partial(releases)
}

// rangeString is a range of one to three ||-alternatives, and the releases
// (as their numbers) it names.
func (g *generator) rangeString() (string, [][]string) {
	g.sloppy = g.chance(30)
	var releases [][]string
	var alternatives []string
	for range 1 + g.rng.IntN(3) {
		var terms []string
		count := 1 + g.rng.IntN(3)
		for range count {
			terms = append(terms, g.comparator(&releases, count == 1))
		}
		alternatives = append(alternatives, strings.Join(terms, g.either([]string{" ", " ", " ", "  ", "\t"}, []string{",", ", "})))
	}
	r := strings.Join(alternatives, g.either([]string{" || ", " || ", "||", " ||", "|| ", "  ||  "}, []string{" ||| ", " | "}))
	if g.chance(10) {
		r = g.space() + r + g.space()
	}
	return r, releases
}

// versionNear is a version on or next to one of releases, the range's
// boundaries; sometimes an invalid one.
func (g *generator) versionNear(releases [][]string) string {
	if g.chance(5) {
		return g.pick("", "1", "1.2", "0", "v1.2.3", "=1.2.3", " 1.2.3 ", "1.2.3.4", "01.2.3", "latest", "1.2.3-01", "x")
	}
	var release []string
	if len(releases) > 0 {
		release = releases[g.rng.IntN(len(releases))]
	}
	nudged := g.rng.IntN(3)
	parts := make([]string, 3)
	for i := range parts {
		n := g.rng.IntN(4)
		if i < len(release) && !g.chance(10) {
			if k, err := strconv.Atoi(release[i]); err == nil && k <= 1000 {
				n = k
			}
		}
		if i == nudged {
			n = max(0, n+g.rng.IntN(3)-1)
		}
		parts[i] = strconv.Itoa(n)
	}
	v := strings.Join(parts, ".")
	if g.chance(30) {
		v += "-" + g.pick("alpha", "beta", "beta.1", "beta.2", "beta.11", "rc.0", "rc.1", "0", "1", "alpha.1.beta", "x-y")
	}
	if g.chance(5) {
		v += "+build.5"
	}
	return v
}
