package config_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/limits"
)

// designExample is the config from DESIGN §3 (with the ellipsis in the integrity
// filled in). "retry" and "security" are not part of config.Config yet and must
// be accepted (ignored), not refused.
const designExample = `{ "name": "shell",
  "bootstrap": "/host/bootstrap.js",
  "shareStrategy": "version-first",
  "shared": { "react": { "version": "19.1.0", "import": "/vendor/react.js",
              "shareConfig": { "singleton": true, "requiredVersion": "^19.0.0", "strictVersion": true } } },
  "remotes": [ { "name": "cart", "entry": "http://127.0.0.1:8081/mf-manifest.json", "integrity": "sha384-OLBgp1GsljhM2TJ+sbHjaiH9txEUvgdDTAzHv2P24donTt6/529l+9Ua0vFImLlb" } ],
  "retry": { "times": 3, "delayMs": 300, "timeoutMs": 8000, "domains": ["http://127.0.0.1:8091"] },
  "security": { "allowedOrigins": ["http://127.0.0.1:8081"], "requireIntegrity": false, "nonce": "" } }`

func TestParseValid(t *testing.T) {
	tests := []struct {
		name string
		json string
		want config.Config
	}{
		{
			name: "design example",
			json: designExample,
			want: config.Config{
				Name: "shell", Bootstrap: "/host/bootstrap.js", ShareStrategy: config.VersionFirst,
				Shared: map[string]config.ShareEntries{"react": {{
					Version: "19.1.0", Import: "/vendor/react.js", Scope: "default", From: "shell",
					ShareConfig: config.ShareConfig{Singleton: true, RequiredVersion: config.RequiredVersion{Range: "^19.0.0"}, StrictVersion: true},
				}}},
				Remotes: []config.Remote{{
					Name: "cart", Entry: "http://127.0.0.1:8081/mf-manifest.json", Type: "manifest", Integrity: "sha384-OLBgp1GsljhM2TJ+sbHjaiH9txEUvgdDTAzHv2P24donTt6/529l+9Ua0vFImLlb",
					ShareScope: "default", EntryGlobalName: "cart",
				}},
				Retry:    &config.Retry{Times: 3, DelayMs: 300, TimeoutMs: 8000, Domains: []string{"http://127.0.0.1:8091"}},
				Security: config.Security{AllowedOrigins: []string{"http://127.0.0.1:8081"}},
			},
		},
		{
			name: "name only: strategy defaults to version-first",
			json: `{"name":"host"}`,
			want: config.Config{Name: "host", ShareStrategy: config.VersionFirst},
		},
		{
			name: "loaded-first is kept",
			json: `{"name":"host","shareStrategy":"loaded-first"}`,
			want: config.Config{Name: "host", ShareStrategy: config.LoadedFirst},
		},
		{
			name: "shared as an array with explicit scope and from",
			json: `{"name":"host","shared":{"lodash":[
				{"version":"4.17.21"},
				{"version":"4.17.20","scope":"legacy","from":"other","shareConfig":{"eager":true}}]}}`,
			want: config.Config{Name: "host", ShareStrategy: config.VersionFirst, Shared: map[string]config.ShareEntries{"lodash": {
				{Version: "4.17.21", Scope: "default", From: "host"},
				{Version: "4.17.20", Scope: "legacy", From: "other", ShareConfig: config.ShareConfig{Eager: true}},
			}}},
		},
		{
			name: "requiredVersion false disables the check",
			json: `{"name":"host","shared":{"react":{"version":"18.2.0","shareConfig":{"requiredVersion":false}}}}`,
			want: config.Config{Name: "host", ShareStrategy: config.VersionFirst, Shared: map[string]config.ShareEntries{"react": {
				{Version: "18.2.0", Scope: "default", From: "host", ShareConfig: config.ShareConfig{RequiredVersion: config.RequiredVersion{Disabled: true}}},
			}}},
		},
		{
			name: "requiredVersion null is the same as absent",
			json: `{"name":"host","shared":{"react":{"version":"18.2.0","shareConfig":{"requiredVersion":null}}}}`,
			want: config.Config{Name: "host", ShareStrategy: config.VersionFirst, Shared: map[string]config.ShareEntries{"react": {
				{Version: "18.2.0", Scope: "default", From: "host"},
			}}},
		},
		{
			name: "requiredVersion empty string is accepted",
			json: `{"name":"host","shared":{"react":{"version":"18.2.0","shareConfig":{"requiredVersion":""}}}}`,
			want: config.Config{Name: "host", ShareStrategy: config.VersionFirst, Shared: map[string]config.ShareEntries{"react": {
				{Version: "18.2.0", Scope: "default", From: "host"},
			}}},
		},
		{
			name: "webpack unknown version key 0 is a version",
			json: `{"name":"host","shared":{"x":{"version":"0"}}}`,
			want: config.Config{Name: "host", ShareStrategy: config.VersionFirst, Shared: map[string]config.ShareEntries{"x": {
				{Version: "0", Scope: "default", From: "host"},
			}}},
		},
		{
			name: "remote types: a .json path is a manifest, .js a script; explicit type and names kept",
			json: `{"name":"host","remotes":[
				{"name":"a","entry":"http://x/mf-manifest.json"},
				{"name":"b","entry":"http://x/remoteEntry.js"},
				{"name":"c","entry":"http://x/entry.mjs","type":"esm","alias":"see","shareScope":"s2","entryGlobalName":"cGlobal"},
				{"name":"d","entry":"http://x/manifest.json?v=1"},
				{"name":"e","entry":"http://x/a.json","type":"module"}]}`,
			want: config.Config{Name: "host", ShareStrategy: config.VersionFirst, Remotes: []config.Remote{
				{Name: "a", Entry: "http://x/mf-manifest.json", Type: "manifest", ShareScope: "default", EntryGlobalName: "a"},
				{Name: "b", Entry: "http://x/remoteEntry.js", Type: "var", ShareScope: "default", EntryGlobalName: "b"},
				{Name: "c", Entry: "http://x/entry.mjs", Type: "esm", Alias: "see", ShareScope: "s2", EntryGlobalName: "cGlobal"},
				// The path decides, without its query.
				{Name: "d", Entry: "http://x/manifest.json?v=1", Type: "manifest", ShareScope: "default", EntryGlobalName: "d"},
				{Name: "e", Entry: "http://x/a.json", Type: "module", ShareScope: "default", EntryGlobalName: "e"},
			}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := config.Parse([]byte(tt.json))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse =\n%#v\nwant\n%#v", got, tt.want)
			}
			// Validate on an already validated config changes nothing.
			again := got
			if err := again.Validate(); err != nil {
				t.Fatalf("second Validate: %v", err)
			}
			if !reflect.DeepEqual(again, tt.want) {
				t.Errorf("second Validate changed the config:\n%#v", again)
			}
		})
	}
}

func TestParseInvalid(t *testing.T) {
	tests := []struct {
		name      string
		json      string
		wantField string
		wantInMsg []string
	}{
		{name: "not JSON", json: `{name:`, wantField: "", wantInMsg: []string{"not valid JSON"}},
		{name: "empty input", json: ``, wantField: ""},
		{name: "JSON array instead of object", json: `[]`, wantField: ""},
		{name: "missing name", json: `{}`, wantField: "name", wantInMsg: []string{"name", "required"}},
		{name: "empty name", json: `{"name":""}`, wantField: "name"},
		{name: "unknown strategy", json: `{"name":"h","shareStrategy":"first-come"}`, wantField: "shareStrategy",
			wantInMsg: []string{`"first-come"`, "version-first", "loaded-first"}},
		{name: "strategy is case sensitive", json: `{"name":"h","shareStrategy":"Version-First"}`, wantField: "shareStrategy"},
		{name: "empty package name", json: `{"name":"h","shared":{"":{"version":"1.0.0"}}}`, wantField: "shared"},
		{name: "missing version", json: `{"name":"h","shared":{"react":{}}}`, wantField: "shared.react[0].version",
			wantInMsg: []string{"shared.react[0].version", "required"}},
		{name: "bad version in array", json: `{"name":"h","shared":{"react":[{"version":"18.2.0"},{"version":"latest"}]}}`,
			wantField: "shared.react[1].version", wantInMsg: []string{`"latest"`, "not a version"}},
		{name: "bad range", json: `{"name":"h","shared":{"react":{"version":"18.2.0","shareConfig":{"requiredVersion":"^^18"}}}}`,
			wantField: "shared.react[0].shareConfig.requiredVersion", wantInMsg: []string{`"^^18"`, "npm range"}},
		{name: "null shared entry has no version", json: `{"name":"h","shared":{"react":null}}`, wantField: "shared.react[0].version"},
		{name: "first bad package in sorted order is reported", json: `{"name":"h","shared":{"zeta":{"version":"x"},"alpha":{"version":"y"}}}`,
			wantField: "shared.alpha[0].version"},
		{name: "remote without name", json: `{"name":"h","remotes":[{"name":"a","entry":"e.js"},{"entry":"e.js"}]}`,
			wantField: "remotes[1].name"},
		{name: "remote without entry", json: `{"name":"h","remotes":[{"name":"a"}]}`, wantField: "remotes[0].entry",
			wantInMsg: []string{"remotes[0].entry", "URL"}},
		{name: "remote unknown type", json: `{"name":"h","remotes":[{"name":"a","entry":"e.js","type":"system"}]}`,
			wantField: "remotes[0].type", wantInMsg: []string{`"system"`, "var", "module", "esm", "manifest"}},
		{name: "integrity that is not SRI metadata", json: `{"name":"h","remotes":[{"name":"a","entry":"e.js","integrity":"sha384-abc"}]}`,
			wantField: "remotes[0].integrity", wantInMsg: []string{`"abc" is not a base64 sha384 digest`, "sha384-<base64 digest>"}},
		{name: "integrity naming no known algorithm", json: `{"name":"h","remotes":[{"name":"a","entry":"e.js","integrity":"md5-abc"}]}`,
			wantField: "remotes[0].integrity", wantInMsg: []string{"names no sha256, sha384 or sha512 digest"}},
		{name: "duplicate remote names", json: `{"name":"h","remotes":[{"name":"a","entry":"1.js"},{"name":"b","entry":"2.js"},{"name":"a","entry":"3.js"}]}`,
			wantField: "remotes[2].name", wantInMsg: []string{`"a"`, "twice"}},
		// JSON of the wrong shape: the decoder's message says what is wrong.
		{name: "requiredVersion true", json: `{"name":"h","shared":{"react":{"version":"1.0.0","shareConfig":{"requiredVersion":true}}}}`,
			wantField: "shared.react[0].shareConfig.requiredVersion", wantInMsg: []string{"shared.react[0].shareConfig.requiredVersion", "a range string or false"}},
		{name: "remotes neither an array nor an object", json: `{"name":"h","remotes":"cart@http://h/e.js"}`, wantField: "remotes"},
		{name: "object form without a global", json: `{"name":"h","remotes":{"cart":"http://h/remoteEntry.js"}}`, wantField: "remotes.cart",
			wantInMsg: []string{`"http://h/remoteEntry.js"`, "global@url"}},
		{name: "shared not an object", json: `{"name":"h","shared":["react"]}`, wantField: "shared"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := config.Parse([]byte(tt.json))
			if err == nil {
				t.Fatalf("Parse succeeded with %#v, want CONFIG_INVALID", got)
			}
			var coded *errcode.Error
			if !errors.As(err, &coded) {
				t.Fatalf("error %T %v is not *errcode.Error", err, err)
			}
			if coded.Code != errcode.ConfigInvalid {
				t.Errorf("Code = %q, want %q", coded.Code, errcode.ConfigInvalid)
			}
			field, ok := coded.Details["field"]
			if !ok {
				t.Fatalf("details %v lack \"field\"", coded.Details)
			}
			if field != tt.wantField {
				t.Errorf("details.field = %q, want %q (message: %s)", field, tt.wantField, coded.Message)
			}
			for _, s := range tt.wantInMsg {
				if !strings.Contains(coded.Message, s) {
					t.Errorf("message %q does not contain %q", coded.Message, s)
				}
			}
			if !reflect.DeepEqual(got, config.Config{}) {
				t.Errorf("Parse returned a non-zero config on error: %#v", got)
			}
		})
	}
}

// TestParseTypeErrorNamesField: DESIGN/config doc says every error names the
// offending field, JSON of the wrong type included: details.field is its path
// with array indexes, as Validate's fields are.
func TestParseTypeErrorNamesField(t *testing.T) {
	tests := []struct {
		name      string
		json      string
		wantField string
	}{
		{name: "name is a number", json: `{"name":5}`, wantField: "name"},
		{name: "remote entry is a number", json: `{"name":"h","remotes":[{"name":"a","entry":1}]}`, wantField: "remotes[0].entry"},
		{name: "retry times is a fraction", json: `{"name":"h","retry":{"times":1.5}}`, wantField: "retry.times"},
		{name: "an origin is a number", json: `{"name":"h","security":{"allowedOrigins":["https://a.test",2]}}`, wantField: "security.allowedOrigins[1]"},
		{name: "a shared entry is a string", json: `{"name":"h","shared":{"react":["18.2.0"]}}`, wantField: "shared.react[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := config.Parse([]byte(tt.json))
			var coded *errcode.Error
			if !errors.As(err, &coded) || coded.Code != errcode.ConfigInvalid {
				t.Fatalf("err = %v, want CONFIG_INVALID", err)
			}
			if !strings.Contains(coded.Message, strings.Split(tt.wantField, ".")[0]) {
				t.Errorf("message %q does not name the field", coded.Message)
			}
			if coded.Details["field"] != tt.wantField {
				t.Errorf("details.field = %q, want %q", coded.Details["field"], tt.wantField)
			}
		})
	}
}

func TestParseTrailingData(t *testing.T) {
	// A config is one JSON object: anything after it is refused.
	_, err := config.Parse([]byte(`{"name":"h"} {"name":"other"}`))
	if errcode.As(err, "").Code != errcode.ConfigInvalid {
		t.Fatalf("Parse with trailing data = %v, want CONFIG_INVALID", err)
	}
}

// TestShareEntriesDecode: a package's shared value is one ShareArgs object or
// an array of them.
func TestShareEntriesDecode(t *testing.T) {
	tests := []struct {
		name    string
		json    string
		want    config.ShareEntries
		wantErr bool
	}{
		{name: "single object", json: `{"version":"1.0.0"}`, want: config.ShareEntries{{Version: "1.0.0"}}},
		{name: "single object with leading space", json: "  \n{\"version\":\"1.0.0\"}", want: config.ShareEntries{{Version: "1.0.0"}}},
		{name: "array", json: `[{"version":"1.0.0"},{"version":"2.0.0"}]`, want: config.ShareEntries{{Version: "1.0.0"}, {Version: "2.0.0"}}},
		{name: "array with leading space", json: ` [{"version":"1.0.0"}]`, want: config.ShareEntries{{Version: "1.0.0"}}},
		{name: "empty array", json: `[]`, want: config.ShareEntries{}},
		{name: "string", json: `"1.0.0"`, wantErr: true},
		{name: "number", json: `1`, wantErr: true},
		{name: "array of strings", json: `["1.0.0"]`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := config.Decode([]byte(`{"name":"h","shared":{"a":` + tt.json + `}}`))
			got := cfg.Shared["a"]
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if !tt.wantErr && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestRequiredVersionJSON(t *testing.T) {
	tests := []struct {
		name     string
		json     string
		want     config.RequiredVersion
		wantErr  bool
		marshals string
	}{
		{name: "range", json: `"^1.2.3"`, want: config.RequiredVersion{Range: "^1.2.3"}, marshals: `"^1.2.3"`},
		{name: "false", json: `false`, want: config.RequiredVersion{Disabled: true}, marshals: `false`},
		{name: "false with spaces", json: ` false `, want: config.RequiredVersion{Disabled: true}, marshals: `false`},
		{name: "null", json: `null`, want: config.RequiredVersion{}, marshals: `""`},
		{name: "empty string", json: `""`, want: config.RequiredVersion{}, marshals: `""`},
		{name: "true refused", json: `true`, wantErr: true},
		{name: "number refused", json: `18`, wantErr: true},
		{name: "object refused", json: `{}`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := config.Decode([]byte(`{"name":"h","shared":{"a":{"version":"1.0.0","shareConfig":{"requiredVersion":` + tt.json + `}}}}`))
			var got config.RequiredVersion
			if err == nil {
				got = cfg.Shared["a"][0].ShareConfig.RequiredVersion
			}
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if tt.wantErr {
				return
			}
			if got != tt.want {
				t.Errorf("got %#v, want %#v", got, tt.want)
			}
			b, err := json.Marshal(got)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tt.marshals {
				t.Errorf("Marshal = %s, want %s", b, tt.marshals)
			}
		})
	}
}

// TestConfigJSONRoundTrip: a parsed config marshals to JSON that parses back to
// the same config (the bridge hands the config to JS and back).
func TestConfigJSONRoundTrip(t *testing.T) {
	for _, in := range []string{
		designExample,
		`{"name":"h","shared":{"a":[{"version":"1.0.0","shareConfig":{"requiredVersion":false,"eager":true}},{"version":"2.0.0","scope":"s"}]}}`,
	} {
		c1, err := config.Parse([]byte(in))
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(c1)
		if err != nil {
			t.Fatal(err)
		}
		c2, err := config.Parse(b)
		if err != nil {
			t.Fatalf("Parse(Marshal(c)) = %v\n%s", err, b)
		}
		if !reflect.DeepEqual(c1, c2) {
			t.Errorf("round trip differs:\n%#v\n%#v", c1, c2)
		}
	}
}

func TestShareArgsValidate(t *testing.T) {
	tests := []struct {
		name      string
		args      config.ShareArgs
		host      string
		want      config.ShareArgs
		wantField string
	}{
		{name: "defaults", args: config.ShareArgs{Version: "1.0.0"}, host: "shell",
			want: config.ShareArgs{Version: "1.0.0", Scope: "default", From: "shell"}},
		{name: "explicit kept", args: config.ShareArgs{Version: "1.0.0", Scope: "s", From: "f"}, host: "shell",
			want: config.ShareArgs{Version: "1.0.0", Scope: "s", From: "f"}},
		{name: "disabled range is not parsed", args: config.ShareArgs{Version: "1.0.0", ShareConfig: config.ShareConfig{RequiredVersion: config.RequiredVersion{Range: "!!", Disabled: true}}}, host: "h",
			want: config.ShareArgs{Version: "1.0.0", Scope: "default", From: "h", ShareConfig: config.ShareConfig{RequiredVersion: config.RequiredVersion{Range: "!!", Disabled: true}}}},
		{name: "empty version", args: config.ShareArgs{}, host: "h", wantField: "x.version"},
		{name: "bad version", args: config.ShareArgs{Version: "1.2.3.4"}, host: "h", wantField: "x.version"},
		{name: "bad range", args: config.ShareArgs{Version: "1.0.0", ShareConfig: config.ShareConfig{RequiredVersion: config.RequiredVersion{Range: ">>1"}}}, host: "h", wantField: "x.shareConfig.requiredVersion"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := tt.args
			err := args.Validate("x", tt.host)
			if tt.wantField != "" {
				var coded *errcode.Error
				if !errors.As(err, &coded) || coded.Code != errcode.ConfigInvalid || coded.Details["field"] != tt.wantField {
					t.Fatalf("err = %v (details %v), want CONFIG_INVALID field %q", err, detailsOf(err), tt.wantField)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if args != tt.want {
				t.Errorf("got %#v, want %#v", args, tt.want)
			}
		})
	}
}

func TestRemoteValidate(t *testing.T) {
	tests := []struct {
		name      string
		remote    config.Remote
		want      config.Remote
		wantField string
	}{
		{name: "manifest inferred", remote: config.Remote{Name: "a", Entry: "/mf-manifest.json"},
			want: config.Remote{Name: "a", Entry: "/mf-manifest.json", Type: "manifest", ShareScope: "default", EntryGlobalName: "a"}},
		{name: "var inferred", remote: config.Remote{Name: "a", Entry: "/remoteEntry.js"},
			want: config.Remote{Name: "a", Entry: "/remoteEntry.js", Type: "var", ShareScope: "default", EntryGlobalName: "a"}},
		{name: "every known type accepted", remote: config.Remote{Name: "a", Entry: "/e.js", Type: "module"},
			want: config.Remote{Name: "a", Entry: "/e.js", Type: "module", ShareScope: "default", EntryGlobalName: "a"}},
		{name: "no name", remote: config.Remote{Entry: "/e.js"}, wantField: "r.name"},
		{name: "no entry", remote: config.Remote{Name: "a"}, wantField: "r.entry"},
		{name: "bad type", remote: config.Remote{Name: "a", Entry: "/e.js", Type: "VAR"}, wantField: "r.type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.remote
			err := r.Validate("r")
			if tt.wantField != "" {
				checkFieldError(t, err, tt.wantField)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r != tt.want {
				t.Errorf("got %#v, want %#v", r, tt.want)
			}
		})
	}
	for _, typ := range config.RemoteTypes {
		r := config.Remote{Name: "a", Entry: "/e", Type: typ}
		if err := r.Validate("r"); err != nil {
			t.Errorf("type %q refused: %v", typ, err)
		}
	}
}

// checkFieldError requires err to be CONFIG_INVALID for field, its message
// naming the field and containing each of wantInMsg.
func checkFieldError(t *testing.T, err error, field string, wantInMsg ...string) {
	t.Helper()
	var coded *errcode.Error
	if !errors.As(err, &coded) || coded.Code != errcode.ConfigInvalid || coded.Details["field"] != field {
		t.Fatalf("err = %v (details %v), want CONFIG_INVALID field %q", err, detailsOf(err), field)
	}
	for _, w := range append([]string{field}, wantInMsg...) {
		if !strings.Contains(coded.Message, w) {
			t.Errorf("message %q does not contain %s", coded.Message, w)
		}
	}
}

func detailsOf(err error) map[string]any {
	var coded *errcode.Error
	if errors.As(err, &coded) {
		return coded.Details
	}
	return nil
}

func FuzzConfigParse(f *testing.F) {
	seeds := []string{
		designExample,
		`{"name":"h"}`,
		`{}`,
		``,
		`null`,
		`[]`,
		`{"name":"h","shareStrategy":"loaded-first"}`,
		`{"name":"h","shared":{"react":[{"version":"18.2.0"},{"version":"19.0.0","shareConfig":{"requiredVersion":false,"singleton":true}}]}}`,
		`{"name":"h","shared":{"react":{"version":"0","scope":"s","from":"f","shareConfig":{"requiredVersion":"^1 || 2.x","eager":true}}}}`,
		`{"name":"h","shared":{"":{"version":"1"}}}`,
		`{"name":"h","shared":{"a":null}}`,
		`{"name":"h","remotes":[{"name":"a","entry":"x.json"},{"name":"b","entry":"y.js","type":"esm","alias":"bb"}]}`,
		`{"name":"h","remotes":[{"name":"a","entry":"x"},{"name":"a","entry":"y"}]}`,
		`{"name":"h","shared":{"a":{"version":"1.0.0","shareConfig":{"requiredVersion":true}}}}`,
		`{"name":"h"} trailing`,
		`{"name":"h","remotes":{"a":"g@/a.json","b":"b@http://x/pkg@1/b.js"}}`,
		`{"name":"h","remotes":[{"name":"a","entry":"a@a@1.js"},{"name":"b","entry":"b@http://x/e.js","entryGlobalName":"c"}]}`,
		`{"name":"h","sharedStrategy":1,"shared":{"r":{"version":"1.0.0","singleton":true,"sharedConfig":{},"shareConfig":{"layer":"x","Eager":1}}},"remotes":[{"name":"a","entry":"a.js","entryGlobal":"g","version":"1"}],"retry":{"time":1},"security":{"nonc":""},"ownership":{"store":{}},"snapshot":{}}`,
		`{"name":"h","\u00e9":1,"a\u0000b":2,"":3,"nAME":4}`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		// Decode never panics, and an unknown key is never an error: it is
		// a bounded number of CONFIG_UNKNOWN_KEY warnings.
		if d, err := config.Decode(data); err == nil {
			if len(d.Warnings) > limits.ConfigWarnings+1 {
				t.Fatalf("%d warnings, over the limit of %d and one", len(d.Warnings), limits.ConfigWarnings)
			}
			for i, w := range d.Warnings {
				// The last of limits.ConfigWarnings+1 says there are more
				// and names no field; the others each name one.
				_, hasField := w.Details["field"].(string)
				if w.Code != errcode.ConfigUnknownKey || hasField == (i == limits.ConfigWarnings) {
					t.Fatalf("warning %d, %v, is not a CONFIG_UNKNOWN_KEY with a field, or the one saying there are more", i, w)
				}
			}
		}
		c, err := config.Parse(data)
		if err != nil {
			var coded *errcode.Error
			if !errors.As(err, &coded) {
				t.Fatalf("error %T is not *errcode.Error: %v", err, err)
			}
			if coded.Code != errcode.ConfigInvalid {
				t.Fatalf("Code = %q, want CONFIG_INVALID", coded.Code)
			}
			if _, ok := coded.Details["field"].(string); !ok {
				t.Fatalf("details.field missing or not a string: %v", coded.Details)
			}
			return
		}
		if c.Name == "" || (c.ShareStrategy != config.VersionFirst && c.ShareStrategy != config.LoadedFirst) {
			t.Fatalf("Parse accepted an invalid config: %#v", c)
		}
		for pkg, entries := range c.Shared {
			for i, e := range entries {
				if e.Scope == "" || e.From == "" || e.Version == "" {
					t.Fatalf("shared %q[%d] has unfilled defaults: %#v", pkg, i, e)
				}
			}
		}
		for i, r := range c.Remotes {
			if r.ShareScope == "" || r.EntryGlobalName == "" {
				t.Fatalf("remotes[%d] has unfilled defaults: %#v", i, r)
			}
			if r.Type != "" && !slices.Contains(config.RemoteTypes, r.Type) {
				t.Fatalf("remotes[%d] has an unknown type: %#v", i, r)
			}
		}
		// Validate is idempotent: a validated config passes again, unchanged.
		snapshot, err := json.Marshal(c)
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("second Validate failed: %v", err)
		}
		again, _ := json.Marshal(c)
		if string(snapshot) != string(again) {
			t.Fatalf("second Validate changed the config:\n%s\n%s", snapshot, again)
		}
		// What Parse accepts, marshals to JSON that Parse accepts again, with the same result.
		c2, err := config.Parse(snapshot)
		if err != nil {
			t.Fatalf("Parse(Marshal(c)) failed: %v\n%s", err, snapshot)
		}
		if len(c2.Warnings) != 0 {
			t.Fatalf("the JSON fedwasm writes has unknown keys: %v\n%s", c2.Warnings, snapshot)
		}
		b2, _ := json.Marshal(c2)
		if string(b2) != string(snapshot) {
			t.Fatalf("round trip differs:\n%s\n%s", snapshot, b2)
		}
	})
}

func TestRetryConfigDefaultsAndValidation(t *testing.T) {
	c, err := config.Parse([]byte(`{"name":"h"}`))
	if err != nil {
		t.Fatal(err)
	}
	if p := c.RetryPolicy(); p.Times != config.DefaultRetryTimes || p.DelayMs != config.DefaultRetryDelayMs || p.TimeoutMs != config.DefaultRetryTimeoutMs {
		t.Errorf("defaults = %+v", p)
	}
	c, err = config.Parse([]byte(`{"name":"h","retry":{"times":0,"domains":["http://b.test"]}}`))
	if err != nil {
		t.Fatal(err)
	}
	if p := c.RetryPolicy(); p.Times != 0 || p.DelayMs != config.DefaultRetryDelayMs || len(p.Domains) != 1 {
		t.Errorf("an explicit times: 0 must stay 0, other defaults apply: %+v", p)
	}
	for _, bad := range []struct{ json, field string }{
		{`{"name":"h","retry":{"times":-1}}`, "retry.times"},
		{`{"name":"h","retry":{"timeoutMs":999999}}`, "retry.timeoutMs"},
		{`{"name":"h","retry":{"domains":["cdn.test"]}}`, "retry.domains[0]"},
		{`{"name":"h","retry":{"domains":["http://cdn.test/path"]}}`, "retry.domains[0]"},
		{`{"name":"h","security":{"allowedOrigins":["nope"]}}`, "security.allowedOrigins[0]"},
	} {
		_, err := config.Parse([]byte(bad.json))
		if err == nil {
			t.Errorf("%s was accepted", bad.json)
			continue
		}
		if f := errcode.As(err, "").Details["field"]; f != bad.field {
			t.Errorf("%s: field %q, want %q", bad.json, f, bad.field)
		}
	}
}

// TestOwnershipAndPlugins: the ownership block gives stores and event types
// to owners the broker accepts; security.plugins names remotes or "*".
func TestOwnershipAndPlugins(t *testing.T) {
	c, err := config.Parse([]byte(`{"name":"shell","ownership":{"stores":{"cart":"shell"},"events":{"auth:logout":"shell","order:placed":"cart"}},"security":{"plugins":["badge"]}}`))
	if err != nil {
		t.Fatal(err)
	}
	if c.Ownership.Stores["cart"] != "shell" || c.Ownership.Events["order:placed"] != "cart" || len(c.Ownership.Events) != 2 {
		t.Errorf("ownership = %+v", c.Ownership)
	}
	if !c.Security.AllowsPlugins("badge") || c.Security.AllowsPlugins("cart") {
		t.Errorf("plugins %v: badge allowed, cart not", c.Security.Plugins)
	}
	if !(config.Security{Plugins: []string{"*"}}).AllowsPlugins("cart") || (config.Security{}).AllowsPlugins("cart") {
		t.Error(`"*" allows every remote, no list allows none`)
	}
	for _, bad := range []struct{ json, field string }{
		{`{"name":"h","ownership":{"stores":{"cart":""}}}`, "ownership.stores.cart"},
		{`{"name":"h","ownership":{"stores":{"cart":"(page)"}}}`, "ownership.stores.cart"},
		{`{"name":"h","ownership":{"stores":{"":"h"}}}`, "ownership.stores"},
		{`{"name":"h","ownership":{"events":{"a b":"h"}}}`, "ownership.events"},
		{`{"name":"h","ownership":{"events":{"auth:logout":""}}}`, "ownership.events.auth:logout"},
		{`{"name":"h","security":{"plugins":[""]}}`, "security.plugins[0]"},
	} {
		_, err := config.Parse([]byte(bad.json))
		if errcode.CodeOf(err) != errcode.ConfigInvalid {
			t.Errorf("%s: %v, want CONFIG_INVALID", bad.json, err)
			continue
		}
		if f := errcode.As(err, "").Details["field"]; f != bad.field {
			t.Errorf("%s: field %q, want %q", bad.json, f, bad.field)
		}
	}
}

// TestOrigins: allowedOrigins and retry.domains accept origins only, and keep
// them as browsers write a page's origin (URL.origin), which they are
// compared with exactly.
func TestOrigins(t *testing.T) {
	const notOrigin = `is not an origin such as "https://cdn.example.com"`
	cases := []struct {
		origin string
		want   string // the canonical origin kept; "" when refused
		reason string // the refusal, after the quoted origin
	}{
		{"https://cdn.example.com", "https://cdn.example.com", ""},
		{"http://127.0.0.1:8081", "http://127.0.0.1:8081", ""},
		{"http://127.0.0.1:8081/", "http://127.0.0.1:8081", ""},
		{"HTTPS://CDN.test", "https://cdn.test", ""},
		{"https://CDN.Example.com:443/", "https://cdn.example.com", ""},
		{"http://cdn.test:80", "http://cdn.test", ""},
		{"https://cdn.test:80", "https://cdn.test:80", ""},
		{"http://[::1]:8080", "http://[::1]:8080", ""},
		{"http://[::ABCD]", "http://[::abcd]", ""},
		{"http://my_host.internal", "http://my_host.internal", ""},
		{"cdn.test", "", notOrigin},
		{"ftp://cdn.test", "", notOrigin},
		{"https://", "", notOrigin},
		{"https:///x", "", notOrigin},
		{"http://cdn.test/path", "", notOrigin},
		{"http://cdn.test?x=1", "", notOrigin},
		{"http://cdn.test#x", "", notOrigin},
		{"http://user@cdn.test", "", notOrigin},
		{"http://cdn.test:", "", notOrigin},
		{"http://cdn.test:80a", "", notOrigin},
		{"http://cdn.test:123456", "", notOrigin},
		{"http://cdn.test:99999", "", "has port 99999, above 65535"},
		{"http://[::1", "", notOrigin},
		{"http://[]:80", "", notOrigin},
		{"http://cdn test", "", notOrigin},
		{"//cdn.test", "", notOrigin},
	}
	for _, c := range cases {
		for _, field := range []string{"security.allowedOrigins[0]", "retry.domains[0]"} {
			quoted, _ := json.Marshal(c.origin)
			doc := `{"name":"h","security":{"allowedOrigins":[` + string(quoted) + `]}}`
			if field == "retry.domains[0]" {
				doc = `{"name":"h","retry":{"domains":[` + string(quoted) + `]}}`
			}
			cfg, err := config.Parse([]byte(doc))
			if c.want != "" {
				if err != nil {
					t.Errorf("%s %q: %v, want it accepted", field, c.origin, err)
					continue
				}
				kept := cfg.Security.AllowedOrigins
				if field == "retry.domains[0]" {
					kept = cfg.Retry.Domains
				}
				if len(kept) != 1 || kept[0] != c.want {
					t.Errorf("%s %q kept as %q, want %q", field, c.origin, kept, c.want)
				}
				continue
			}
			want := "federation config field " + field + " " + string(quoted) + " " + c.reason
			if coded := errcode.As(err, ""); err == nil || coded.Code != errcode.ConfigInvalid || coded.Message != want {
				t.Errorf("%s %q: err = %v, want %s: %s", field, c.origin, err, errcode.ConfigInvalid, want)
			}
		}
	}
}

// TestDecodeMatchesEncodingJSON: encoding/json users (the server's
// registry, the commands) get Decode's reading of a config — the one decoder
// runtime.wasm uses — and its refusals, coded CONFIG_INVALID with the field.
func TestDecodeMatchesEncodingJSON(t *testing.T) {
	docs := []struct {
		json    string
		wantErr bool
	}{
		{json: designExample},
		{json: `{"name":"h","shared":{"react":[{"version":"18.2.0"},{"version":"19.0.0","scope":"s","from":"f","import":"/r.js","shareConfig":{"requiredVersion":false,"singleton":true,"eager":true}}]}}`},
		{json: `{"name":"h","shared":{"a":null,"b":[],"c":{"shareConfig":null}},"remotes":[],"retry":null,"security":null}`},
		{json: `{"name":"h","remotes":[{"name":"a","entry":"x.json","type":"esm","alias":"b","integrity":"sha384-x","shareScope":"s","entryGlobalName":"g"}],"retry":{}}`},
		{json: `{"name":"h","retry":{"times":0,"delayMs":1,"timeoutMs":2,"domains":[]},"security":{"allowedOrigins":[],"requireIntegrity":true,"nonce":"n"}}`},
		{json: `{"name":"h","unknown":{"x":[1,2]}}`},
		{json: `null`},
		{json: `{"name":5}`, wantErr: true},
		{json: `{"name":"h","shared":{"a":"1.0.0"}}`, wantErr: true},
		{json: `{"name":"h","shared":{"a":{"shareConfig":{"requiredVersion":1}}}}`, wantErr: true},
		{json: `{"name":"h","retry":{"times":"2"}}`, wantErr: true},
		{json: `{"name":"h","security":{"requireIntegrity":"yes"}}`, wantErr: true},
		{json: `{"name":"h","remotes":[1]}`, wantErr: true},
		{json: `{"name":"h","remotes":{"b":"b@http://x/b.js","a":"g@/a.json"}}`},
		{json: `{"name":"h","remotes":{"a":1}}`, wantErr: true},
		{json: `{"name":"h","ownership":{"stores":{"cart":"h"},"events":{"auth:logout":"h","order:placed":"cart"}},"security":{"plugins":["cart","*"]}}`},
		{json: `{"name":"h","ownership":{"stores":{"cart":1}}}`, wantErr: true},
		{json: `{"name":"h","ownership":{"events":["auth:logout"]}}`, wantErr: true},
		{json: `{"name":"h","security":{"plugins":"cart"}}`, wantErr: true},
		{json: `{"name":"h","remotes":{"a":"/a.js"}}`, wantErr: true},
		{json: `[]`, wantErr: true},
	}
	for _, d := range docs {
		var want config.Config
		wantErr := json.Unmarshal([]byte(d.json), &want)
		got, err := config.Decode([]byte(d.json))
		if (err != nil) != d.wantErr || (wantErr != nil) != d.wantErr {
			t.Errorf("%s: Decode err = %v, encoding/json err = %v, want error %v", d.json, err, wantErr, d.wantErr)
			continue
		}
		if err == nil && !reflect.DeepEqual(got, want) {
			t.Errorf("%s: Decode =\n%#v\nencoding/json gives\n%#v", d.json, got, want)
		}
		if err != nil && (errcode.CodeOf(wantErr) != errcode.ConfigInvalid || errcode.As(wantErr, "").Details["field"] != errcode.As(err, "").Details["field"]) {
			t.Errorf("%s: encoding/json's error %v is not Decode's %v", d.json, wantErr, err)
		}
	}
	remotes, _, err := config.DecodeRemotes([]byte(`[{"name":"a","entry":"e.js"}]`))
	if err != nil || len(remotes) != 1 || remotes[0].Entry != "e.js" {
		t.Errorf("DecodeRemotes = %#v, %v", remotes, err)
	}
	if _, _, err := config.DecodeRemotes([]byte(`[{"name":"a","entry":1}]`)); errcode.As(err, "").Details["field"] != "[0].entry" {
		t.Errorf("DecodeRemotes of a numeric entry: %v, want field [0].entry", err)
	}
}
