package config_test

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/limits"
)

// TestUnknownKeysWarn: every key Decode does not read is a CONFIG_UNKNOWN_KEY
// warning naming its path, the key likely meant and what to do; the config
// still decodes and validates.
func TestUnknownKeysWarn(t *testing.T) {
	tests := []struct {
		name        string
		json        string
		wantField   string
		wantSuggest string // "" when none is given
		unsupported bool
		wantMessage []string
	}{
		{
			name:        "sharedConfig in an array entry",
			json:        `{"name":"h","shared":{"react":[{"version":"19.1.0","sharedConfig":{"singleton":true}}]}}`,
			wantField:   "shared.react[0].sharedConfig",
			wantSuggest: "shareConfig",
			wantMessage: []string{"federation config key shared.react[0].sharedConfig is unknown", `did you mean "shareConfig"?`, "Rename it, or remove it"},
		},
		{
			name:        "sharedConfig in a single entry is named as Validate names it",
			json:        `{"name":"h","shared":{"react":{"version":"19.1.0","sharedConfig":{}}}}`,
			wantField:   "shared.react[0].sharedConfig",
			wantSuggest: "shareConfig",
		},
		{
			name:        "requiredVerison: two letters swapped",
			json:        `{"name":"h","shared":{"react":{"version":"19.1.0","shareConfig":{"requiredVerison":"^19.0.0"}}}}`,
			wantField:   "shared.react[0].shareConfig.requiredVerison",
			wantSuggest: "requiredVersion",
		},
		{
			name:        "remote for remotes",
			json:        `{"name":"h","remote":[{"name":"a","entry":"a.js"}]}`,
			wantField:   "remote",
			wantSuggest: "remotes",
		},
		{
			name:        "entryGlobal is too far from entryGlobalName: the remote's keys are listed",
			json:        `{"name":"h","remotes":[{"name":"a","entry":"a.js","entryGlobal":"g"}]}`,
			wantField:   "remotes[0].entryGlobal",
			wantMessage: []string{"the keys of a remote are name, entry, type, alias, integrity, shareScope, entryGlobalName", "rename it to one of them, or remove it"},
		},
		{
			name:        "a key in another case",
			json:        `{"name":"h","remotes":[{"name":"a","entry":"a.js","ENTRYGLOBALNAME":"g"}]}`,
			wantField:   "remotes[0].ENTRYGLOBALNAME",
			wantSuggest: "entryGlobalName",
		},
		{
			name:        "top level",
			json:        `{"name":"h","sharedStrategy":"loaded-first"}`,
			wantField:   "sharedStrategy",
			wantSuggest: "shareStrategy",
		},
		{
			name:        "retry",
			json:        `{"name":"h","retry":{"time":3}}`,
			wantField:   "retry.time",
			wantSuggest: "times",
		},
		{
			name:        "security",
			json:        `{"name":"h","security":{"allowedOrigin":["https://a.example"]}}`,
			wantField:   "security.allowedOrigin",
			wantSuggest: "allowedOrigins",
		},
		{
			name:        "ownership",
			json:        `{"name":"h","ownership":{"store":{"cart":"h"}}}`,
			wantField:   "ownership.store",
			wantSuggest: "stores",
		},
		{
			name:        "nothing close",
			json:        `{"name":"h","retry":{"backoff":2}}`,
			wantField:   "retry.backoff",
			wantMessage: []string{"the keys of retry are times, delayMs, timeoutMs, domains"},
		},
		{
			name:        "webpack's share options belong in shareConfig",
			json:        `{"name":"h","shared":{"react":{"version":"19.1.0","singleton":true}}}`,
			wantField:   "shared.react[0].singleton",
			wantSuggest: "shareConfig.singleton",
			wantMessage: []string{"belongs in shared.react[0].shareConfig.singleton, so fedwasm ignores it here: move it there"},
		},
		{
			name:        "webpack's shareScope on a share is its scope",
			json:        `{"name":"h","shared":{"react":{"version":"19.1.0","shareScope":"legacy"}}}`,
			wantField:   "shared.react[0].shareScope",
			wantSuggest: "scope",
		},
		{
			name:        "MF 2.0 plugins: not supported, and what to use",
			json:        `{"name":"h","plugins":["./retry-plugin.js"]}`,
			wantField:   "plugins",
			unsupported: true,
			wantMessage: []string{"is a Module Federation option fedwasm does not support, so it has no effect", "fedwasm.use", "security.plugins"},
		},
		{
			name:        "MF 2.0 share strategy",
			json:        `{"name":"h","shared":{"react":{"version":"19.1.0","strategy":"loaded-first"}}}`,
			wantField:   "shared.react[0].strategy",
			unsupported: true,
			wantMessage: []string{"does not support", "the config's shareStrategy applies to every share"},
		},
		{
			name:        "MF 2.0 shareConfig layer",
			json:        `{"name":"h","shared":{"react":{"version":"19.1.0","shareConfig":{"layer":"ui"}}}}`,
			wantField:   "shared.react[0].shareConfig.layer",
			unsupported: true,
			wantMessage: []string{"does not support", "remove it"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := config.Parse([]byte(tt.json))
			if err != nil {
				t.Fatalf("Parse: %v (an unknown key must not refuse the config)", err)
			}
			if len(c.Warnings) != 1 {
				t.Fatalf("warnings = %v, want one", c.Warnings)
			}
			w := c.Warnings[0]
			if w.Code != errcode.ConfigUnknownKey || w.Details["field"] != tt.wantField {
				t.Errorf("warning = %s %v, want %s at %s", w.Code, w.Details, errcode.ConfigUnknownKey, tt.wantField)
			}
			if got, _ := w.Details["suggestion"].(string); got != tt.wantSuggest {
				t.Errorf("suggestion = %q, want %q (%s)", got, tt.wantSuggest, w.Message)
			}
			if got := w.Details["unsupported"] == true; got != tt.unsupported {
				t.Errorf("unsupported = %v, want %v", got, tt.unsupported)
			}
			if tt.wantSuggest != "" && !strings.Contains(tt.wantSuggest, ".") {
				tt.wantMessage = append(tt.wantMessage, "did you mean "+strconv.Quote(tt.wantSuggest)+"?")
			}
			for _, part := range append(tt.wantMessage, tt.wantField) {
				if !strings.Contains(w.Message, part) {
					t.Errorf("message %q does not say %q", w.Message, part)
				}
			}
		})
	}
}

// TestKnownKeysDoNotWarn: configs fedwasm documents, writes or serves have
// no unknown key.
func TestKnownKeysDoNotWarn(t *testing.T) {
	docs := map[string]string{
		"design example": designExample,
		"every key": `{"name":"h","bootstrap":"/b.js","shareStrategy":"loaded-first",
			"shared":{"react":[{"version":"19.1.0","import":"/r.js","scope":"s","from":"h","shareConfig":{"singleton":true,"requiredVersion":false,"strictVersion":true,"eager":true}}]},
			"remotes":[{"name":"a","entry":"a.js","type":"esm","alias":"b","integrity":"sha384-x","shareScope":"s","entryGlobalName":"g"}],
			"retry":{"times":1,"delayMs":2,"timeoutMs":3,"domains":[]},
			"security":{"allowedOrigins":[],"requireIntegrity":true,"nonce":"n","plugins":["*"]},
			"ownership":{"stores":{"cart":"h"},"events":{"cart:add":"h"}}}`,
		// What fedwasm's server adds to a config it serves: the loader
		// reads the snapshot, and a remote's version is for people.
		"as the registry serves it": `{"name":"h","remotes":[{"name":"a","entry":"a.js","version":"1.0.0"}],"snapshot":{"format":1}}`,
		// The names in these objects are the user's.
		"names": `{"name":"h","shared":{"sharedConfig":{"version":"1.0.0"}},"remotes":{"remote":"remote@/r.js"},"ownership":{"stores":{"store":"h"}}}`,
	}
	for _, file := range []string{"../../cmd/fedwasm/testdata/federation.json"} {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		docs[file] = string(data)
	}
	for name, doc := range docs {
		c, err := config.Decode([]byte(doc))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(c.Warnings) != 0 {
			t.Errorf("%s: warnings %v, want none", name, c.Warnings)
		}
	}
}

// TestUnknownKeysBounded: a config with many unknown keys gets
// limits.ConfigWarnings of them, in the order of their paths, and one
// warning that says there are more; huge keys get no suggestion and a short
// message.
func TestUnknownKeysBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"name":"h"`)
	const n = 5000
	for i := range n {
		b.WriteString(`,"k` + strconv.Itoa(100000+i) + `":1`)
	}
	long := strings.Repeat("é", 100_000)
	b.WriteString(`,"retry":{"` + long + `":1}}`)
	c, err := config.Parse([]byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Warnings) != limits.ConfigWarnings+1 {
		t.Fatalf("%d warnings, want %d", len(c.Warnings), limits.ConfigWarnings+1)
	}
	if got := c.Warnings[0].Details["field"]; got != "k100000" {
		t.Errorf("first warning at %v, want k100000", got)
	}
	last := c.Warnings[limits.ConfigWarnings]
	if last.Code != errcode.ConfigUnknownKey || last.Details["field"] != nil || !strings.Contains(last.Message, "more unknown keys than those listed") {
		t.Errorf("last warning = %v", last)
	}

	c, err = config.Parse([]byte(`{"name":"h","retry":{"` + long + `":1}}`))
	if err != nil || len(c.Warnings) != 1 {
		t.Fatalf("Parse = %v, %v", c.Warnings, err)
	}
	if w := c.Warnings[0]; len(w.Message) > 400 || w.Details["suggestion"] != "" || w.Details["field"] != "retry."+long {
		t.Errorf("a long key's warning: %d bytes, details.suggestion %v", len(w.Message), w.Details["suggestion"])
	}
}
