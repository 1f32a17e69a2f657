package semver

import "testing"

// benchRanges are ranges as package.json files write them, and some that
// npm rejects.
var benchRanges = []string{
	"^19.1.0", "~1.2.3", ">=1.2.3 <2.0.0", "1.x || >=2.5.0 || 5.0.0 - 7.2.3", "1.2.3 - 2.3.4", "*", "",
	"^0.0.3-beta.2", "~> 1.2", ">= 1.2.3 < 2", "1.2.3+build.5", "^1.2.3 || ^2", "latest", "!=1.2.3", "1.2.x-beta",
}

// benchVersions are provided versions, valid and not.
var benchVersions = []string{"19.1.0", "1.2.3-beta.1", "v1.2.3", " 1.2.3 ", "1.2.3+build.5", "0", "1.2", "latest", "01.2.3"}

// BenchmarkParseRange parses every benchRange once per op, without the cache
// ParseRange keeps.
func BenchmarkParseRange(b *testing.B) {
	for b.Loop() {
		for _, r := range benchRanges {
			_, _ = parseRangeSet(r)
		}
	}
}

// BenchmarkParseVersion parses every benchVersion once per op.
func BenchmarkParseVersion(b *testing.B) {
	for b.Loop() {
		for _, v := range benchVersions {
			_, _ = ParseVersion(v)
		}
	}
}
