package config_test

import (
	"strings"
	"testing"

	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/federation/errcode"
)

// Module Federation 2.0's shapes of a remote: each is read as fedwasm's
// equivalent, or refused with CONFIG_INVALID naming the field and saying
// what to give instead; the config's remotes and registerRemotes' list
// (DecodeRemotes) decide alike.
func TestMFRemoteShapes(t *testing.T) {
	tests := []struct {
		name      string
		remote    string
		wantType  string // after Validate
		wantScope string
		field     string // of the CONFIG_INVALID; "" when accepted
		message   []string
	}{
		{name: "type global is var", remote: `{"name":"a","entry":"http://x/remoteEntry.js","type":"global"}`, wantType: "var", wantScope: "default"},
		{name: "type global on a path that says json is still var", remote: `{"name":"a","entry":"http://x/e.json","type":"global"}`, wantType: "var", wantScope: "default"},
		{name: "a list of one share scope is that scope", remote: `{"name":"a","entry":"http://x/e.js","shareScope":["legacy"]}`, wantType: "var", wantScope: "legacy"},
		{name: "a list of several share scopes is refused", remote: `{"name":"a","entry":"http://x/e.js","shareScope":["default","other"]}`,
			field: "shareScope", message: []string{"lists 2 share scopes", "one share scope", "give one name"}},
		{name: "an empty list of share scopes is refused", remote: `{"name":"a","entry":"http://x/e.js","shareScope":[]}`, field: "shareScope"},
		{name: "a list with a number is a type error", remote: `{"name":"a","entry":"http://x/e.js","shareScope":[1]}`, field: "shareScope[0]"},
		{name: "name and version, no entry", remote: `{"name":"cart","version":"1.2.0"}`,
			field: "entry", message: []string{`remote "cart" gives only a version ("1.2.0")`, "snapshot service", "give its entry", "registry"}},
		{name: "a version beside an entry is the registry's, and kept quiet", remote: `{"name":"a","entry":"http://x/e.js","version":"1.2.0"}`, wantType: "var", wantScope: "default"},
		{name: "another type is refused, and the message names global", remote: `{"name":"a","entry":"http://x/e.js","type":"script"}`,
			field: "type", message: []string{`"script" is not a remote type`, `MF 2.0's "global", which is "var"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			check := func(prefix string, remotes []config.Remote, err error) {
				t.Helper()
				if err == nil {
					err = remotes[0].Validate(prefix + "[0]")
				}
				if tt.field == "" {
					if err != nil {
						t.Fatalf("%s: %v", prefix, err)
					}
					if r := remotes[0]; r.Type != tt.wantType || r.ShareScope != tt.wantScope {
						t.Errorf("%s: type %q, shareScope %q; want %q, %q", prefix, r.Type, r.ShareScope, tt.wantType, tt.wantScope)
					}
					return
				}
				coded := errcode.As(err, "")
				if coded == nil || coded.Code != errcode.ConfigInvalid || coded.Details["field"] != prefix+"[0]."+tt.field {
					t.Fatalf("%s: error %v (details %v), want CONFIG_INVALID at %s[0].%s", prefix, err, coded.Details, prefix, tt.field)
				}
				for _, m := range tt.message {
					if !strings.Contains(coded.Message, m) {
						t.Errorf("%s: message %q lacks %q", prefix, coded.Message, m)
					}
				}
			}
			remotes, _, err := config.DecodeRemotes([]byte("[" + tt.remote + "]"))
			check("", remotes, err)
			c, err := config.Decode([]byte(`{"name":"h","remotes":[` + tt.remote + `]}`))
			check("remotes", c.Remotes, err)
		})
	}
}

// registerRemotes' list warns of unknown keys as the config does, with the
// same suggestion, and also when it is refused.
func TestDecodeRemotesWarns(t *testing.T) {
	tests := []struct {
		json, field, suggestion string
	}{
		{`[{"name":"a","entry":"a.js","entyr":"b.js"}]`, "[0].entyr", "entry"},
		{`[{"name":"a","entry":"a.js"},{"name":"b","entry":"b.js","sharedScope":"x"}]`, "[1].sharedScope", "shareScope"},
		{`[{"name":"a","entry":1,"Type":"var"}]`, "[0].Type", "type"},
	}
	for _, tt := range tests {
		_, warnings, _ := config.DecodeRemotes([]byte(tt.json))
		if len(warnings) != 1 || warnings[0].Code != errcode.ConfigUnknownKey || warnings[0].Details["field"] != tt.field || warnings[0].Details["suggestion"] != tt.suggestion {
			t.Errorf("DecodeRemotes(%s) warnings = %v, want one at %s suggesting %s", tt.json, warnings, tt.field, tt.suggestion)
		}
	}
	if _, warnings, err := config.DecodeRemotes([]byte(`[{"name":"a","entry":"a.js","version":"1.0.0","type":"global","shareScope":["x"]}]`)); err != nil || len(warnings) != 0 {
		t.Errorf("MF 2.0's keys warn: %v, %v", warnings, err)
	}
}

// registerShared's entries (read by the bridge from JS) warn of unknown
// keys as the config's shares do; get and lib are known there.
func TestKeyWarningsShareEntry(t *testing.T) {
	tests := []struct {
		name                    string
		keys, shareConfigKeys   []string
		wantFields, wantSuggest []string
	}{
		{"get and lib are known", []string{"version", "get", "lib", "import", "scope", "from", "shareConfig"}, []string{"singleton", "requiredVersion", "strictVersion", "eager"}, nil, nil},
		{"sharedConfig", []string{"version", "sharedConfig"}, nil, []string{"shared.react[0].sharedConfig"}, []string{"shareConfig"}},
		{"webpack's singleton on the share", []string{"version", "lib", "singleton"}, nil, []string{"shared.react[0].singleton"}, []string{"shareConfig.singleton"}},
		{"a misspelled shareConfig key", []string{"version", "shareConfig"}, []string{"singelton"}, []string{"shared.react[0].shareConfig.singelton"}, []string{"singleton"}},
		{"MF 2.0's strategy is unsupported", []string{"version", "strategy"}, nil, []string{"shared.react[0].strategy"}, []string{""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var w config.KeyWarnings
			w.ShareEntry("shared.react[0]", set(tt.keys), set(tt.shareConfigKeys))
			list := w.List()
			if len(list) != len(tt.wantFields) {
				t.Fatalf("warnings = %v, want %d", list, len(tt.wantFields))
			}
			for i, e := range list {
				if e.Code != errcode.ConfigUnknownKey || e.Details["field"] != tt.wantFields[i] || e.Details["suggestion"] != tt.wantSuggest[i] {
					t.Errorf("warning %d = %v %v, want field %s suggesting %q", i, e, e.Details, tt.wantFields[i], tt.wantSuggest[i])
				}
			}
		})
	}
	var w config.KeyWarnings
	for range 30 {
		w.ShareEntry("shared.x[0]", set([]string{"version", "a1", "a2"}), nil)
	}
	if n := len(w.List()); n != 21 {
		t.Errorf("%d warnings from one call, want the bound (20) and one that says there are more", n)
	}
}

func set(keys []string) map[string]any {
	m := map[string]any{}
	for _, k := range keys {
		m[k] = nil
	}
	return m
}
