package config_test

import (
	"strconv"
	"testing"

	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/limits"
)

// A config whose lists are longer than the runtime takes is refused with
// LIMIT_EXCEEDED naming the field; at the limit it is valid.
func TestValidateLimits(t *testing.T) {
	origins := func(n int) []string {
		list := make([]string, n)
		for i := range list {
			list[i] = "https://cdn" + strconv.Itoa(i) + ".example.com"
		}
		return list
	}
	remotes := func(n int) config.RemoteList {
		list := make(config.RemoteList, n)
		for i := range list {
			list[i] = config.Remote{Name: "r" + strconv.Itoa(i), Entry: "https://cdn.example.com/r" + strconv.Itoa(i) + "/remoteEntry.js"}
		}
		return list
	}
	versions := func(n int) config.ShareEntries {
		list := make(config.ShareEntries, n)
		for i := range list {
			list[i] = config.ShareArgs{Version: "1.0." + strconv.Itoa(i)}
		}
		return list
	}
	packages := func(n int) map[string]config.ShareEntries {
		m := make(map[string]config.ShareEntries, n)
		for i := range n {
			m["pkg-"+strconv.Itoa(i)] = config.ShareEntries{{Version: "1.0.0"}}
		}
		return m
	}
	tests := []struct {
		name      string
		cfg       config.Config
		wantField string // "" when valid
	}{
		{"shared entries at the limit", config.Config{Shared: map[string]config.ShareEntries{"p": versions(limits.SharedEntries)}}, ""},
		{"shared entries over the limit", config.Config{Shared: map[string]config.ShareEntries{"p": versions(limits.SharedEntries / 2), "q": versions(limits.SharedEntries/2 + 1)}}, "shared"},
		{"shared packages over the limit", config.Config{Shared: packages(limits.SharedEntries + 1)}, "shared"},
		{"remotes at the limit", config.Config{Remotes: remotes(limits.Remotes)}, ""},
		{"remotes over the limit", config.Config{Remotes: remotes(limits.Remotes + 1)}, "remotes"},
		{"allowedOrigins at the limit", config.Config{Security: config.Security{AllowedOrigins: origins(limits.Origins)}}, ""},
		{"allowedOrigins over the limit", config.Config{Security: config.Security{AllowedOrigins: origins(limits.Origins + 1)}}, "security.allowedOrigins"},
		{"retry domains over the limit", config.Config{Retry: &config.Retry{Domains: origins(limits.Origins + 1)}}, "retry.domains"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.cfg.Name = "shell"
			err := tt.cfg.Validate()
			if tt.wantField == "" {
				if err != nil {
					t.Fatalf("Validate = %v, want it valid", err)
				}
				return
			}
			coded := errcode.As(err, "")
			if err == nil || coded.Code != errcode.LimitExceeded {
				t.Fatalf("Validate = %v, want %s", err, errcode.LimitExceeded)
			}
			if coded.Details["field"] != tt.wantField {
				t.Errorf("details.field = %v, want %s", coded.Details["field"], tt.wantField)
			}
		})
	}
}
