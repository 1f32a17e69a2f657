package config_test

import (
	"strings"
	"testing"

	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/federation/errcode"
)

// firstConfig is the config a page was initialized with, validated as Init
// validates it.
func firstConfig(t *testing.T) config.Config {
	t.Helper()
	c, err := config.Decode([]byte(`{"name":"shell","shareStrategy":"loaded-first",
		"bootstrap":"/boot.js",
		"remotes":[{"name":"cart","entry":"http://127.0.0.1:9/cart/remoteEntry.js"}],
		"shared":{"react":{"version":"19.1.0","import":"/react.js"},
		          "zustand":[{"version":"5.0.0","import":"/z5.js"},{"version":"4.5.0","import":"/z4.js","scope":"legacy"}]},
		"retry":{"times":1,"domains":["http://127.0.0.1:10"]},
		"security":{"allowedOrigins":["http://127.0.0.1:9"],"plugins":["cart"]},
		"ownership":{"stores":{"cart":"cart"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	return c
}

// A later init of the same host adds what is new (Module Federation 2.0's
// initOptions): remotes by name, shared entries by package, scope and
// version; the page's policy keys may be left out or repeated unchanged, and
// any other value of them is refused naming the field; another name is
// INIT_NAME_MISMATCH carrying MF's RUNTIME-010.
func TestMerge(t *testing.T) {
	tests := []struct {
		name        string
		next        string
		wantRemotes []string // names added
		wantShared  []string // package@version/scope#index added
		code, field string   // of the refusal; "" when merged
	}{
		{name: "name only adds nothing", next: `{"name":"shell"}`},
		{name: "a new remote is added, a known one left",
			next:        `{"name":"shell","remotes":[{"name":"cart","entry":"http://127.0.0.1:9/other.js"},{"name":"products","entry":"http://127.0.0.1:9/p.js","type":"global"}]}`,
			wantRemotes: []string{"products"}},
		{name: "the same remote twice in next is refused as in a first config",
			next: `{"name":"shell","remotes":[{"name":"p","entry":"http://127.0.0.1:9/p.js"},{"name":"p","entry":"http://127.0.0.1:9/q.js"}]}`,
			code: errcode.ConfigInvalid, field: "remotes[1].name"},
		{name: "a known version is left, a new version and a new package added",
			next:       `{"name":"shell","shared":{"react":[{"version":"19.1.0","import":"/other.js"},{"version":"18.3.1","import":"/r18.js"}],"zod":{"version":"3.0.0","import":"/zod.js"}}}`,
			wantShared: []string{"react@18.3.1/default#1", "zod@3.0.0/default#0"}},
		{name: "a known version in another scope is new",
			next:       `{"name":"shell","shared":{"zustand":[{"version":"4.5.0","import":"/z4.js"},{"version":"5.0.0","import":"/z5.js","scope":"legacy"},{"version":"5.0.0","import":"/z5.js"}]}}`,
			wantShared: []string{"zustand@4.5.0/default#0", "zustand@5.0.0/legacy#1"}},
		{name: "policy repeated unchanged is accepted",
			next: `{"name":"shell","shareStrategy":"loaded-first","bootstrap":"/boot.js","retry":{"times":1,"domains":["http://127.0.0.1:10"]},
				"security":{"allowedOrigins":["http://127.0.0.1:9/"],"plugins":["cart"]},"ownership":{"stores":{"cart":"cart"}}}`},
		{name: "another name", next: `{"name":"other","remotes":[{"name":"x","entry":"http://127.0.0.1:9/x.js"}]}`, code: errcode.InitNameMismatch},
		{name: "no name", next: `{"remotes":[]}`, code: errcode.InitNameMismatch},
		{name: "another strategy", next: `{"name":"shell","shareStrategy":"version-first"}`, code: errcode.ConfigInvalid, field: "shareStrategy"},
		{name: "another bootstrap", next: `{"name":"shell","bootstrap":"/evil.js"}`, code: errcode.ConfigInvalid, field: "bootstrap"},
		{name: "looser allowed origins", next: `{"name":"shell","security":{"allowedOrigins":["http://127.0.0.1:9","https://evil.example"],"plugins":["cart"]}}`, code: errcode.ConfigInvalid, field: "security"},
		{name: "plugins for every remote", next: `{"name":"shell","security":{"plugins":["*"]}}`, code: errcode.ConfigInvalid, field: "security"},
		{name: "other retry", next: `{"name":"shell","retry":{"times":5}}`, code: errcode.ConfigInvalid, field: "retry"},
		{name: "other ownership", next: `{"name":"shell","ownership":{"stores":{"cart":"evil"}}}`, code: errcode.ConfigInvalid, field: "ownership"},
		{name: "an invalid entry is refused whole", next: `{"name":"shell","remotes":[{"name":"p","entry":"http://127.0.0.1:9/p.js"}],"shared":{"x":{"version":"not a version"}}}`,
			code: errcode.ConfigInvalid, field: "shared.x[0].version"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			next, err := config.Decode([]byte(tt.next))
			if err != nil {
				t.Fatal(err)
			}
			add, err := config.Merge(firstConfig(t), next)
			if tt.code != "" {
				coded := errcode.As(err, "")
				if coded == nil || coded.Code != tt.code || (tt.field != "" && coded.Details["field"] != tt.field) {
					t.Fatalf("Merge = %v (details %v), want %s at %q", err, detailsOf(coded), tt.code, tt.field)
				}
				if tt.code == errcode.InitNameMismatch && (coded.Details["mfCode"] != "RUNTIME-010" || !strings.Contains(coded.Message, `initialized as "shell"`)) {
					t.Errorf("INIT_NAME_MISMATCH = %q %v, want RUNTIME-010 and the page's name", coded.Message, coded.Details)
				}
				if len(add.Remotes)+len(add.Shared) != 0 {
					t.Errorf("a refused merge adds %v", add)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var remotes, shared []string
			for _, r := range add.Remotes {
				remotes = append(remotes, r.Name)
			}
			for _, s := range add.Shared {
				shared = append(shared, s.Package+"@"+s.Args.Version+"/"+s.Args.Scope+"#"+string(rune('0'+s.Index)))
				if s.Args.From != "shell" {
					t.Errorf("%s's from = %q, want the host (validated)", s.Package, s.Args.From)
				}
			}
			if strings.Join(remotes, ",") != strings.Join(tt.wantRemotes, ",") || strings.Join(shared, ",") != strings.Join(tt.wantShared, ",") {
				t.Errorf("added remotes %v, shared %v; want %v, %v", remotes, shared, tt.wantRemotes, tt.wantShared)
			}
		})
	}
}

// With appends an addition without changing the config it was made from.
func TestConfigWith(t *testing.T) {
	first := firstConfig(t)
	next, _ := config.Decode([]byte(`{"name":"shell","remotes":[{"name":"p","entry":"http://127.0.0.1:9/p.js"}],"shared":{"react":{"version":"18.3.1","import":"/r18.js"}}}`))
	add, err := config.Merge(first, next)
	if err != nil {
		t.Fatal(err)
	}
	merged := first.With(add)
	if len(merged.Remotes) != 2 || merged.Remotes[1].Name != "p" || len(merged.Shared["react"]) != 2 || merged.ShareStrategy != "loaded-first" {
		t.Errorf("merged = %+v", merged)
	}
	if len(first.Remotes) != 1 || len(first.Shared["react"]) != 1 {
		t.Errorf("With changed the config it was made from: %+v", first)
	}
}
