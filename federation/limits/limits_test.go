package limits_test

import (
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/limits"
)

func TestLength(t *testing.T) {
	tests := []struct {
		length float64
		want   int
		ok     bool
	}{
		{0, 0, true},
		{3, 3, true},
		{1e9, 1_000_000_000, true}, // a count, however large: the caller's Check refuses it
		{1<<53 - 1, 1<<53 - 1, true},
		{1 << 53, 0, false},
		{-1, 0, false},
		{1.5, 0, false},
		{math.NaN(), 0, false},
		{math.Inf(1), 0, false},
		{math.Inf(-1), 0, false},
	}
	for _, tt := range tests {
		got, ok := limits.Length(tt.length)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Length(%v) = %d, %v; want %d, %v", tt.length, got, ok, tt.want, tt.ok)
		}
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name       string
		got, limit int
		wantErr    bool
	}{
		{"under", 999, 1000, false},
		{"at the limit", 1000, 1000, false},
		{"one over", 1001, 1000, true},
		{"a Proxy's length", 1_000_000_000, 1000, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := limits.Check("fedwasm.preloadRemote(names)", "names", tt.got, tt.limit, "pass fewer names")
			if (err != nil) != tt.wantErr {
				t.Fatalf("Check(%d, %d) = %v, want error %v", tt.got, tt.limit, err, tt.wantErr)
			}
			if err == nil {
				return
			}
			coded := errcode.As(err, "")
			if coded.Code != errcode.LimitExceeded {
				t.Errorf("code = %s, want %s", coded.Code, errcode.LimitExceeded)
			}
			if coded.Details["got"] != tt.got || coded.Details["limit"] != tt.limit || coded.Details["what"] != "names" ||
				coded.Details["where"] != "fedwasm.preloadRemote(names)" {
				t.Errorf("details = %v", coded.Details)
			}
			for _, part := range []string{"fedwasm.preloadRemote(names)", "over the limit of 1000", "pass fewer names"} {
				if !strings.Contains(coded.Message, part) {
					t.Errorf("message %q does not say %q", coded.Message, part)
				}
			}
		})
	}
}

// The table in loader/README.md, which users read, gives every limit with
// its value.
func TestReadmeListsTheLimits(t *testing.T) {
	readme, err := os.ReadFile("../../loader/README.md")
	if err != nil {
		t.Fatal(err)
	}
	all := map[string]int{
		"SharedEntries": limits.SharedEntries, "VersionsPerPackage": limits.VersionsPerPackage, "Providers": limits.Providers,
		"Remotes": limits.Remotes, "Origins": limits.Origins, "Plugins": limits.Plugins, "ScopesListed": limits.ScopesListed,
		"ValueDepth": limits.ValueDepth, "Values": limits.Values, "UseIn": limits.UseIn, "Owned": limits.Owned,
		"WaitingCalls": limits.WaitingCalls, "ConfigWarnings": limits.ConfigWarnings,
	}
	rows := map[string]string{} // name → value as written
	for _, line := range strings.Split(string(readme), "\n") {
		cells := strings.Split(line, "|")
		if len(cells) > 3 && strings.HasPrefix(strings.TrimSpace(cells[1]), "`") {
			rows[strings.Trim(strings.TrimSpace(cells[1]), "`")] = strings.TrimSpace(cells[2])
		}
	}
	for name, value := range all {
		written, ok := rows[name]
		if !ok {
			t.Errorf("loader/README.md's table has no row for %s", name)
			continue
		}
		if got, err := strconv.Atoi(strings.ReplaceAll(written, ",", "")); err != nil || got != value {
			t.Errorf("loader/README.md gives %s as %q, the constant is %d", name, written, value)
		}
	}
	if len(rows) != len(all) {
		t.Errorf("loader/README.md's table has %d rows, want %d (one per limit)", len(rows), len(all))
	}
}
