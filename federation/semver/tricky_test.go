package semver_test

import (
	"bufio"
	"encoding/json"
	"io"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

// The ranges and versions here are built from the characters where a
// hand-written scanner and npm's regular expressions most easily part:
// every kind of whitespace JavaScript's \s and trim() know and characters
// that only look like it, digits from other scripts, numbers around npm's
// bounds (16 digits, 2^53, 256 characters), x, X and *, the v and =
// prefixes, and hyphen ranges. TestDifferentialTrickyCharacters asks npm
// about all of them at once; FuzzDifferentialAgainstNpm starts from some and
// asks npm about each input the fuzzer makes.

// trickySpaces are JavaScript's whitespace characters (npm's
// WHITESPACE_CHARACTERS) followed by characters that are not JavaScript
// whitespace although Go, Unicode or other languages call some of them
// space: U+0085, U+180E, U+200B, U+2060, U+00AD, the C0 separators, NUL.
var trickySpaces = []string{
	" ", "\t", "\n", "\v", "\f", "\r", "\u00a0", "\u1680", "\u2000", "\u2001", "\u2002", "\u2003", "\u2004", "\u2005",
	"\u2006", "\u2007", "\u2008", "\u2009", "\u200a", "\u2028", "\u2029", "\u202f", "\u205f", "\u3000", "\ufeff",
	"\u0085", "\u180e", "\u200b", "\u2060", "\u00ad", "\x1c", "\x1f", "\x00",
}

// trickyDigits look like digits to Unicode but not to JavaScript's \d:
// Arabic-Indic, fullwidth, superscript, N'Ko, Thai, and a mathematical
// digit outside the BMP (two UTF-16 code units).
var trickyDigits = []string{"\u0661", "\u0660", "\uff11", "\uff10", "\u00b2", "\u07c1", "\u0e51", "\U0001d7cf"}

// trickyLengths are digit and identifier run lengths around npm's bounds:
// MAX_SAFE_COMPONENT_LENGTH 16, MAX_SAFE_BUILD_LENGTH 250, MAX_LENGTH 256,
// and the 257 digits a strict number may have.
var trickyLengths = []int{15, 16, 17, 249, 250, 251, 255, 256, 257, 258, 300}

// trickyOperators are what may come before a version, valid or not.
var trickyOperators = []string{"", "=", "==", "v", "V", "=v", "v=", "vv", ">", ">=", "<", "<=", "=>", "~", "~>", "^", "^>", "~=", "^v"}

// trickyBodies are x-ranges and versions with wildcards in every position.
var trickyBodies = []string{
	"x", "X", "*", "1.x", "1.X.x", "1.*.*", "*.1", "x.x.x", "1.2.x", "1.2.*-beta", "1.2.X+b", "x.x.x-0", "1.2.3-x",
	"1.2.3-X.x", "0.x", "0.0.x", "1.x.3", "xx", "1.2.3.x", "01.x", "1.2.x.",
}

// trickyProbes are the versions each tricky range is asked about.
var trickyProbes = []string{"1.2.3", "2.0.0", "0.0.0", "1.2.3-beta", "1.3.0", "2.3.4-beta", "0.1.0", "3.4.5"}

// trickyCorpus returns the tricky ranges, each with three probe versions,
// and the tricky versions, each against a few ranges.
func trickyCorpus() []corpusPair {
	var ranges, versions []string
	for _, w := range trickySpaces {
		ranges = append(ranges,
			w+"1.2.3", "1.2.3"+w, w+"^1.2.3"+w, "^"+w+"1.2.3", "^"+w+w+"1", "~"+w+"1.2", "~>"+w+"1.2", "~"+w+">1.2",
			">="+w+"1.2.3", ">"+w+"="+w+"1.2", "<"+w+"2", "="+w+"1.2.3", "v"+w+"1.2.3", "="+w+"v"+w+"1",
			"1.2.3"+w+"-"+w+"2.3", "1.2.3 -"+w+"2", "1.2.3"+w+"- 2", "x"+w+"-"+w+"x", w+"1 - 2"+w,
			w+"*"+w, "<"+w+"*", ">="+w+"x", "*"+w+"1.2.3", "1.2.3"+w+"||"+w+"2", "1.2.3"+w+w+"<2", "1.x"+w+"<1.5",
			"^1.2.3"+w+"+build", "1.2.3+build"+w+"2", ">="+w+"0.0.0", w+">="+w+"0.0.0"+w, ">=0.0.0"+w+"<1",
			"1.2.3-beta"+w+"1", "1.2.3"+w+"+b", "^"+w, "~"+w, w)
		versions = append(versions, w+"1.2.3", "1.2.3"+w, w+"v1.2.3"+w, "1.2.3-a"+w+"b", "1.2"+w, w+w+"1.2.3", "v"+w+"1.2.3")
	}
	for _, d := range trickyDigits {
		ranges = append(ranges,
			d, "^"+d, d+".2.3", "1."+d+".3", "1.2."+d, "1.2.3-"+d, "1.2.3-a"+d, "1.2.3+"+d, "~1."+d, ">="+d+".0.0",
			"1."+d+" - 2", "1.2.x-"+d, "1"+d, d+"1.2.3")
		versions = append(versions, d+".2.3", "1.2.3-"+d, "1.2.3+"+d, "1.2."+d, "1"+d+".2.3")
	}
	for _, n := range trickyLengths {
		ones, nines, letters := "1"+strings.Repeat("0", n-1), strings.Repeat("9", n), strings.Repeat("a", n)
		for _, num := range []string{ones, nines} {
			ranges = append(ranges,
				num+".0.0", "0."+num+".0", "0.0."+num, "^"+num, "~0."+num, ">"+num, "<="+num+".x", num+".x",
				"1.2.3-"+num, "1.2.3-"+num+"a", "1.2.x-"+num, "1.2.x-"+num+"a", "x.x.x-"+num, "1.2.*-a."+num,
				"1.2.3-a."+num, num+" - 2", "1 - "+num, "1.2.x-"+num+" - 2", "1 - 2.x-"+num, "x."+num)
			versions = append(versions, num+".0.0", "1.2.3-"+num, "v"+num+".0.0", "0.0."+num)
		}
		ranges = append(ranges,
			"1.2.x-"+letters, "1.2.x-1"+letters, "1.2.3+"+letters, "1.2.3+"+letters+".b", "^1.2.3-"+letters,
			"1.2.3 - 2.x-"+letters, ">1.2.x-"+letters+" <2", "1.2.3-"+letters+" - 2")
		versions = append(versions, "1.2.3-"+letters, "1.2.3+"+letters, " 1.2.3-"+letters[:min(n, 250)]+" ")
	}
	for _, big := range []string{"9007199254740990", "9007199254740991", "9007199254740992", "9007199254740993"} {
		ranges = append(ranges, big+".0.0", "^"+big, "<="+big, ">"+big, "~"+big+".1", "1.2.3-"+big, ">1.2.3-"+big, big+".x")
		versions = append(versions, big+".0.0", "0."+big+".0", "1.2.3-"+big, "1.2.3-"+big+".1")
	}
	// Versions whose length is 256 or 257 UTF-16 code units only when
	// whitespace or a two-unit character is counted as JavaScript does.
	for _, pad := range []string{" ", "\u3000", "\ufeff", "\U0001d7cf"} {
		for _, units := range []int{255, 256, 257} {
			body := "1.2.3-" + strings.Repeat("a", units-6-utf16Units(pad))
			versions = append(versions, pad+body, body+pad)
		}
	}
	for _, op := range trickyOperators {
		for _, body := range trickyBodies {
			ranges = append(ranges, op+body, op+" "+body)
		}
	}
	ranges = append(ranges,
		"1 - 2 - 3", "1-2", "1 -2", "1- 2", " - 2", "1 - ", "- 1", "1.2.3-beta - 2", "1.2.3 - 2.3.4-", "1.2.3--a - 2",
		">1 - 2", "1 - <2", "^1 - 2", "1 - ~2", "1.2.3 - 2 || 3 - 4", "x - 1", "1 - X", "* - *", "1.x - 2.X", "=1 - =2",
		"v1.2.3 - v2", "1.2.3 - 2.3.4-beta+b", "1.2.3+b - 2+c", "v - 2", "1 - v", "= 1 - 2", "1 - = 2", "1.2.3 -  2",
		"~> 1", "~>  1", "~ > 1", "^ ^1", "~~ 1", "> * <", "<=*", ">= *", "=*", "* *", "**", "*1", "1*", "1.*-a",
		"1 - 2v", "1 - 2=", "1 - 2 v", "v1 - 2", "1v - 2", "1.2.3=*", "1.2.3>=*", "1.2.3<*", "1.2.3<=*", ">1.2.3=*",
		"1.2.3*", "*1.2.3", "=*1.2.3", "1.2.3**", "1.2.3=**", "^1.2.3*", "1.2.3-a*", "1.2.3+b*",
	)
	versions = append(versions, "vv1.2", "v1", "V1.2", "v01", "1.", ".1", "v 1.2", "=1.2", "1.2.", "1..2", "v1.2.x",
		"1.2-a", "1.2+b", "0.0", "00", "v0", "0.01")

	var pairs []corpusPair
	for i, r := range ranges {
		for k := range 3 {
			pairs = append(pairs, corpusPair{r, trickyProbes[(i+k)%len(trickyProbes)]})
		}
	}
	for i, v := range versions {
		for _, r := range []string{"*", ranges[i%len(ranges)], "^1.2.3-a"} {
			pairs = append(pairs, corpusPair{r, v})
		}
	}
	return pairs
}

// utf16Units is JavaScript's length of s.
func utf16Units(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r > 0xffff {
			n++
		}
	}
	return n
}

// TestDifferentialTrickyCharacters asks npm and this package about every
// tricky pair in one run of the oracle; any disagreement not listed in
// knownDisagreements fails.
func TestDifferentialTrickyCharacters(t *testing.T) {
	pairs := trickyCorpus()
	answers := askNpm(t, pairs)
	known := map[string]bool{}
	for _, d := range knownDisagreements {
		known[d.key()] = true
	}
	var unexpected []string
	for _, d := range compareWithNpm(pairs, answers) {
		if !known[d.key()] {
			unexpected = append(unexpected, d.String())
		}
	}
	if len(unexpected) > 0 {
		t.Fatalf("%d disagreements with npm semver on %d tricky pairs:\n%s",
			len(unexpected), len(pairs), strings.Join(unexpected[:min(len(unexpected), 60)], "\n"))
	}
	t.Logf("%d tricky pairs: fedwasm gives npm's answer to every question", len(pairs))
}

// FuzzDifferentialAgainstNpm asks npm (one node process answering line by
// line) and this package about each input and fails on any disagreement.
// Its seeds are a sample of the tricky corpus; `go test -fuzz
// FuzzDifferentialAgainstNpm` explores from them.
func FuzzDifferentialAgainstNpm(f *testing.F) {
	pairs := trickyCorpus()
	for i := 0; i < len(pairs); i += 97 {
		f.Add(pairs[i].Range, pairs[i].Version)
	}
	oracle := startLineOracle(f)
	f.Fuzz(func(t *testing.T, rangeStr, versionStr string) {
		if !utf8.ValidString(rangeStr) || !utf8.ValidString(versionStr) {
			t.Skip("JavaScript has no string for invalid UTF-8; npm cannot be asked")
		}
		pair := corpusPair{rangeStr, versionStr}
		for _, d := range compareWithNpm([]corpusPair{pair}, []npmAnswer{oracle.ask(t, pair)}) {
			t.Error(d)
		}
	})
}

// lineOracle is testdata/oracle.cjs --lines: one node process that answers
// each question as it is asked.
type lineOracle struct {
	mu  sync.Mutex
	in  io.WriteCloser
	out *bufio.Scanner
}

// startLineOracle starts the oracle and stops it when f's tests end.
func startLineOracle(f *testing.F) *lineOracle {
	f.Helper()
	cmd := oracleCommand(f, "--lines")
	in, err := cmd.StdinPipe()
	if err != nil {
		f.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		f.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		f.Fatalf("node testdata/oracle.cjs --lines: %v; %s", err, oracleFix)
	}
	f.Cleanup(func() {
		in.Close()
		if err := cmd.Wait(); err != nil {
			f.Errorf("node testdata/oracle.cjs --lines: %v\n%s", err, stderr.String())
		}
	})
	o := &lineOracle{in: in, out: bufio.NewScanner(stdout)}
	o.out.Buffer(make([]byte, 1<<20), 1<<20)
	if !o.out.Scan() {
		f.Fatalf("oracle printed nothing: %v\n%s", o.out.Err(), stderr.String())
	}
	checkOracleHeader(f, o.out.Bytes())
	return o
}

// ask is npm's answer to one question.
func (o *lineOracle) ask(t *testing.T, p corpusPair) npmAnswer {
	t.Helper()
	o.mu.Lock()
	defer o.mu.Unlock()
	line, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.in.Write(append(line, '\n')); err != nil {
		t.Fatalf("writing to the oracle: %v", err)
	}
	if !o.out.Scan() {
		t.Fatalf("the oracle stopped answering: %v", o.out.Err())
	}
	var a npmAnswer
	if err := json.Unmarshal(o.out.Bytes(), &a); err != nil {
		t.Fatalf("oracle answer %q: %v", o.out.Text(), err)
	}
	return a
}
