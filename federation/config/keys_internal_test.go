package config

import (
	"strings"
	"testing"
)

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"times", "times", 0},
		{"time", "times", 1},                      // insertion
		{"remotes", "remote", 1},                  // deletion
		{"shareConfog", "shareConfig", 1},         // substitution
		{"requiredVerison", "requiredVersion", 1}, // adjacent swap
		{"sharedConfig", "shareConfig", 1},
		{"ca", "abc", 3},                      // restricted: no edit of a swapped pair (true Damerau–Levenshtein: 2)
		{"entryGlobal", "entryGlobalName", 3}, // 4 insertions: more than 2
		{"abc", "xyz", 3},
		{"", "abc", 3},
		{"", "ab", 2},
		{"ENTRYGLOBALNAME", "entryGlobalName", 0}, // letters compared without case
		{"sharedconfig", "shareConfig", 1},
		{"@", "`", 1},                                         // but nothing else: these differ in the same bit
		{"É", "é", 1},                                         // and only ASCII letters: their second bytes differ
		{strings.Repeat("a", 65), strings.Repeat("a", 65), 3}, // over maxSuggestLen: not weighed
		{strings.Repeat("a", 64), strings.Repeat("a", 63) + "b", 1},
	}
	for _, tt := range tests {
		if got := editDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := editDistance(tt.b, tt.a); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.b, tt.a, got, tt.want)
		}
	}
}

func TestNearest(t *testing.T) {
	keys := []string{"times", "delayMs", "timeoutMs", "domains"}
	tests := []struct{ key, want string }{
		{"time", "times"},
		{"Times", "times"},
		{"TIMEOUTMS", "timeoutMs"}, // equal but for case, however many letters differ
		{"TIMEOUTM", "timeoutMs"},
		{"delay", "delayMs"}, // 2 insertions
		{"domain", "domains"},
		{"retries", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := nearest(tt.key, keys); got != tt.want {
			t.Errorf("nearest(%q) = %q, want %q", tt.key, got, tt.want)
		}
	}
}
