package semver_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/fedwasm/fedwasm/federation/semver"
)

// generatedRanges is how many random ranges the corpus adds (four versions
// each) to the curated cross product.
const generatedRanges = 2500

// knownDisagreements lists every question on which this package knowingly
// gives another answer than npm, and why. TestDifferentialAgainstNpm fails on
// a disagreement missing from it and on an entry that no longer disagrees.
//
// It is empty: on the whole corpus this package gives npm's answer.
// ParseVersion's documented extension is not a disagreement: it accepts the
// partial releases npm's valid rejects ("1.2"), and compareWithNpm checks
// that it reads them as npm reads them padded ("1.2.0") and accepts nothing
// else npm rejects.
var knownDisagreements = []disagreement{}

// disagreement is one answer of npm's that this package does not give.
type disagreement struct {
	Range, Version string
	Question       string // "validRange", "valid", "satisfies" or "ParseVersion" (against npm's valid)
	Npm, Ours      string
	Reason         string
}

func (d disagreement) key() string { return d.Question + "\x00" + d.Range + "\x00" + d.Version }

func (d disagreement) String() string {
	return fmt.Sprintf("%s(range %q, version %q): npm says %s, fedwasm says %s", d.Question, d.Range, d.Version, d.Npm, d.Ours)
}

// npmAnswer is one line of testdata/oracle.cjs's output.
type npmAnswer struct {
	ValidRange *string `json:"validRange"`
	Valid      *string `json:"valid"`
	Satisfies  bool    `json:"satisfies"`
}

// TestDifferentialAgainstNpm asks npm's semver (node_modules/semver, pinned in
// package.json) and this package the same questions: is the range valid and
// what does it desugar to, is the version valid, does the version satisfy the
// range.
func TestDifferentialAgainstNpm(t *testing.T) {
	pairs := corpus(generatedRanges)
	if len(pairs) < 10000 {
		t.Fatalf("corpus has %d pairs, want at least 10000", len(pairs))
	}
	answers := askNpm(t, pairs)
	checkAnyRangePrereleases(t, pairs, answers)

	known := map[string]bool{}
	for _, d := range knownDisagreements {
		known[d.key()] = true
	}
	seen := map[string]bool{}
	var unexpected []string
	for _, d := range compareWithNpm(pairs, answers) {
		if known[d.key()] {
			seen[d.key()] = true
			continue
		}
		unexpected = append(unexpected, d.String())
	}
	for _, d := range knownDisagreements {
		if !seen[d.key()] {
			t.Errorf("knownDisagreements: %s no longer disagrees with npm (or left the corpus); remove it", d)
		}
	}
	if len(unexpected) > 0 {
		shown := unexpected[:min(len(unexpected), 60)]
		t.Fatalf("%d disagreements with npm semver on %d pairs (fix them, or list them with a reason in knownDisagreements):\n%s",
			len(unexpected), len(pairs), strings.Join(shown, "\n"))
	}

	ranges, validRanges, validVersions, satisfied := map[string]bool{}, 0, 0, 0
	for i, p := range pairs {
		if !ranges[p.Range] && answers[i].ValidRange != nil {
			validRanges++
		}
		ranges[p.Range] = true
		if answers[i].Valid != nil {
			validVersions++
		}
		if answers[i].Satisfies {
			satisfied++
		}
	}
	t.Logf("%d pairs (%d ranges, %d valid to npm; %d valid versions; %d satisfied): fedwasm gives npm's answer to every question",
		len(pairs), len(ranges), validRanges, validVersions, satisfied)
}

// checkAnyRangePrereleases requires the corpus to ask npm whether the
// ranges that read "any release" admit prereleases, and npm to say no: a
// prerelease needs a comparator naming a prerelease of its own
// major.minor.patch, and these ranges have none.
func checkAnyRangePrereleases(t *testing.T, pairs []corpusPair, answers []npmAnswer) {
	t.Helper()
	index := map[corpusPair]int{}
	for i, p := range pairs {
		index[p] = i
	}
	for _, r := range []string{"*", "x", "X", "", ">=0.0.0"} {
		for _, v := range []string{"1.0.0-alpha", "1.0.0-beta.2", "1.2.4-rc.1", "2.0.0-0"} {
			i, ok := index[corpusPair{r, v}]
			switch {
			case !ok:
				t.Errorf("the corpus does not ask satisfies(%q, %q)", v, r)
			case answers[i].Satisfies:
				t.Errorf("npm's satisfies(%q, %q) is true; the corpus expects npm to exclude prereleases", v, r)
			}
		}
	}
}

// compareWithNpm returns every question on which this package's answer is
// not npm's. Each distinct range and version is parsed once.
func compareWithNpm(pairs []corpusPair, answers []npmAnswer) []disagreement {
	var found []disagreement
	ranges := map[string]*semver.Range{}
	versions := map[string]*semver.Version{}
	for i, p := range pairs {
		npm := answers[i]
		r, seen := ranges[p.Range]
		if !seen {
			if parsed, err := semver.ParseRange(p.Range); err == nil {
				r = &parsed
			}
			ranges[p.Range] = r
			if npmSays, ours := describeRange(npm.ValidRange), ourValidRange(r); npmSays != ours {
				found = append(found, disagreement{Range: p.Range, Question: "validRange", Npm: npmSays, Ours: ours})
			}
		}
		v, seen := versions[p.Version]
		if !seen {
			if parsed, err := semver.ParseStrictVersion(p.Version); err == nil {
				v = &parsed
			}
			versions[p.Version] = v
			if npmSays, ours := describeVersion(npm.Valid), ourValid(v); npmSays != ours {
				found = append(found, disagreement{Version: p.Version, Question: "valid", Npm: npmSays, Ours: ours})
			}
			if npmSays, ours := describeVersion(npm.Valid), ourLenientVersion(p.Version); npmSays != ours && !isPartialRelease(p.Version, ours) {
				found = append(found, disagreement{Version: p.Version, Question: "ParseVersion", Npm: npmSays, Ours: ours})
			}
		}
		// npm's satisfies is false for an invalid range or version.
		if ours := r != nil && v != nil && r.Contains(*v); ours != npm.Satisfies {
			found = append(found, disagreement{Range: p.Range, Version: p.Version, Question: "satisfies",
				Npm: fmt.Sprint(npm.Satisfies), Ours: fmt.Sprint(ours)})
		}
	}
	return found
}

// describeRange prints npm's validRange answer: the desugared range or null.
func describeRange(validRange *string) string {
	if validRange == nil {
		return "null"
	}
	return fmt.Sprintf("%q", *validRange)
}

// ourValidRange is this package's validRange: the desugared form of the
// range ParseRange returned (nil on error), printed as npm prints it.
func ourValidRange(r *semver.Range) string {
	if r == nil {
		return "null"
	}
	var alternatives []string
	for _, comps := range r.Comparators() {
		alternatives = append(alternatives, strings.Join(comps, " "))
	}
	formatted := strings.Join(alternatives, "||")
	if formatted == "" {
		formatted = "*"
	}
	return fmt.Sprintf("%q", formatted)
}

// describeVersion prints npm's valid answer as "valid" or "null".
func describeVersion(valid *string) string {
	if valid == nil {
		return "null"
	}
	return "valid " + *valid
}

// ourValid is this package's valid: the version ParseStrictVersion returned
// (nil on error) as npm prints it.
func ourValid(v *semver.Version) string {
	if v == nil {
		return "null"
	}
	return "valid " + semver.Canonical(*v)
}

// isJSWhitespace is JavaScript's trim() set (npm's WHITESPACE_CHARACTERS).
func isJSWhitespace(r rune) bool {
	return strings.ContainsRune("\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff", r)
}

// partialReleaseInput is ParseVersion's documented extension over npm: "1",
// "1.2", "v1.2", with surrounding whitespace.
var partialReleaseInput = regexp.MustCompile(`^v?(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))?$`)

// ourLenientVersion is ParseVersion's answer, printed like ourValid's.
func ourLenientVersion(s string) string {
	v, err := semver.ParseVersion(s)
	if err != nil {
		return "null"
	}
	return "valid " + semver.Canonical(v)
}

// isPartialRelease reports whether ours is ParseVersion's documented
// extension at work: s is a partial release and reads as it padded with ".0".
func isPartialRelease(s, ours string) bool {
	s = strings.TrimFunc(s, isJSWhitespace)
	if !partialReleaseInput.MatchString(s) {
		return false
	}
	padded := strings.TrimPrefix(s, "v")
	for strings.Count(padded, ".") < 2 {
		padded += ".0"
	}
	return ours == "valid "+padded
}

// oracleFix says how to give the differential tests what they need.
const oracleFix = "the differential tests against npm's semver need Node.js and the packages of package-lock.json: npm ci enables them (./build.sh test runs it)"

// oracleMissing skips the test (plain go test on a fresh clone has no npm
// packages) saying what enables it, or fails it when FEDWASM_REQUIRE_NPM is
// set, as ./build.sh test does, so the oracle cannot go missing in CI unseen.
func oracleMissing(t testing.TB, problem string) {
	t.Helper()
	if os.Getenv("FEDWASM_REQUIRE_NPM") != "" {
		t.Fatalf("%s; %s", problem, oracleFix)
	}
	t.Skipf("%s; %s", problem, oracleFix)
}

// oracleCommand is node running testdata/oracle.cjs with args, after
// checking that node and npm's semver are installed.
func oracleCommand(t testing.TB, args ...string) *exec.Cmd {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		oracleMissing(t, "node is not on PATH: "+err.Error())
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "node_modules", "semver", "package.json")); err != nil {
		oracleMissing(t, "npm's semver is not installed: "+err.Error())
	}
	return exec.Command(node, append([]string{filepath.Join("testdata", "oracle.cjs")}, args...)...)
}

// checkOracleHeader checks the oracle's first line: the semver it loaded
// must be the one package.json pins.
func checkOracleHeader(t testing.TB, line []byte) {
	t.Helper()
	var header struct{ Semver string }
	if err := json.Unmarshal(line, &header); err != nil {
		t.Fatalf("oracle header %q: %v", line, err)
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if pinned := pinnedSemver(t, root); header.Semver != pinned {
		t.Fatalf("node_modules/semver is %s but package.json pins %s; %s", header.Semver, pinned, oracleFix)
	}
}

// askNpm runs testdata/oracle.cjs once for the whole corpus.
func askNpm(t testing.TB, pairs []corpusPair) []npmAnswer {
	t.Helper()
	var in bytes.Buffer
	enc := json.NewEncoder(&in)
	for _, p := range pairs {
		if err := enc.Encode(p); err != nil {
			t.Fatal(err)
		}
	}
	cmd := oracleCommand(t)
	cmd.Stdin = &in
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node testdata/oracle.cjs: %v\n%s\n%s", err, stderr.String(), oracleFix)
	}

	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	if !sc.Scan() {
		t.Fatalf("oracle printed nothing; stderr:\n%s", stderr.String())
	}
	checkOracleHeader(t, sc.Bytes())
	answers := make([]npmAnswer, 0, len(pairs))
	for sc.Scan() {
		var a npmAnswer
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			t.Fatalf("oracle line %d %q: %v", len(answers)+2, sc.Text(), err)
		}
		answers = append(answers, a)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(answers) != len(pairs) {
		t.Fatalf("oracle answered %d of %d pairs", len(answers), len(pairs))
	}
	return answers
}

// pinnedSemver is the exact semver version package.json's devDependencies pin.
func pinnedSemver(t testing.TB, root string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, "package.json"))
	if err != nil {
		t.Fatal(err)
	}
	var pkg struct {
		DevDependencies map[string]string `json:"devDependencies"`
	}
	if err := json.Unmarshal(data, &pkg); err != nil {
		t.Fatalf("package.json: %v", err)
	}
	pinned := pkg.DevDependencies["semver"]
	if !regexp.MustCompile(`^\d+\.\d+\.\d+$`).MatchString(pinned) {
		t.Fatalf(`package.json must pin "semver" in devDependencies to an exact version, not %q`, pinned)
	}
	return pinned
}
