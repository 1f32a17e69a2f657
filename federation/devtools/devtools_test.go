package devtools_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/federation/devtools"
	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/jsonv"
	"github.com/fedwasm/fedwasm/federation/remote"
	"github.com/fedwasm/fedwasm/federation/share"
)

func TestOverrides(t *testing.T) {
	for _, tc := range []struct {
		name, stored string
		want         map[string]string
	}{
		{"overrides object", `{"overrides":{"cart":"http://localhost:3001/mf-manifest.json"},"enableFastRefresh":true}`,
			map[string]string{"cart": "http://localhost:3001/mf-manifest.json"}},
		{"flat object", `{"cart":"1.2.3","n":1,"e":""}`, map[string]string{"cart": "1.2.3"}},
		{"not JSON", `{oops`, nil},
		{"not an object", `["cart"]`, nil},
		{"empty", ``, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := devtools.Overrides(tc.stored)
			if len(got) != len(tc.want) || (len(got) > 0 && !reflect.DeepEqual(got, tc.want)) {
				t.Fatalf("Overrides(%s) = %v, want %v", tc.stored, got, tc.want)
			}
		})
	}
}

// allowOnly is load.Loader.Check's origin rule for a list of origins.
func allowOnly(origins ...string) func(config.Remote) error {
	return func(r config.Remote) error {
		for _, o := range origins {
			if strings.HasPrefix(r.Entry, o+"/") {
				return nil
			}
		}
		return errcode.New(errcode.OriginNotAllowed, nil, "not in security.allowedOrigins")
	}
}

func TestApply(t *testing.T) {
	cart := config.Remote{Name: "cart", Entry: "https://cart.example/remoteEntry.js", Type: "var", ShareScope: "default", EntryGlobalName: "cart"}
	pinned := cart
	pinned.Integrity = "sha384-x"
	aliased := cart
	esm := cart
	esm.Type = "esm"
	manifest := cart
	manifest.Type = "manifest"
	aliased.Name, aliased.Alias = "cart-app", "cart"
	for _, tc := range []struct {
		name   string
		remote config.Remote
		rule   string
		check  func(config.Remote) error
		entry  string // the entry registered
		typ    string
		code   string // the warning's code, "" for none
		reason string
	}{
		{"allowed manifest", cart, "http://localhost:3001/mf-manifest.json", allowOnly("http://localhost:3001"),
			"http://localhost:3001/mf-manifest.json", "manifest", errcode.DevtoolsOverride, ""},
		{"allowed script", cart, "http://localhost:3001/remoteEntry.js", allowOnly("http://localhost:3001"),
			"http://localhost:3001/remoteEntry.js", "var", errcode.DevtoolsOverride, ""},
		{"esm stays esm", esm, "http://localhost:3001/remoteEntry.js", allowOnly("http://localhost:3001"),
			"http://localhost:3001/remoteEntry.js", "esm", errcode.DevtoolsOverride, ""},
		{"manifest to script", manifest, "http://localhost:3001/remoteEntry.js", allowOnly("http://localhost:3001"),
			"http://localhost:3001/remoteEntry.js", "var", errcode.DevtoolsOverride, ""},
		{"by alias", aliased, "http://localhost:3001/remoteEntry.js", allowOnly("http://localhost:3001"),
			"http://localhost:3001/remoteEntry.js", "var", errcode.DevtoolsOverride, ""},
		{"origin refused", cart, "http://localhost:3001/mf-manifest.json", allowOnly("https://cart.example"),
			cart.Entry, "var", errcode.DevtoolsOverrideRefused, "origin"},
		{"integrity required", cart, "http://localhost:3001/mf-manifest.json",
			func(config.Remote) error { return errcode.New(errcode.IntegrityRequired, nil, "no integrity") },
			cart.Entry, "var", errcode.DevtoolsOverrideRefused, "integrity"},
		{"pinned", pinned, "http://localhost:3001/mf-manifest.json", allowOnly("http://localhost:3001"),
			cart.Entry, "var", errcode.DevtoolsOverrideRefused, "integrity"},
		{"version", cart, "1.2.3", allowOnly("http://localhost:3001"), cart.Entry, "var", errcode.DevtoolsOverrideRefused, "version"},
		{"same entry", cart, cart.Entry, allowOnly("https://cart.example"), cart.Entry, "var", "", ""},
		{"plain error from check", cart, "http://localhost:3001/x.js", func(config.Remote) error { return errors.New("no") },
			cart.Entry, "var", errcode.DevtoolsOverrideRefused, "origin"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			other := config.Remote{Name: "products", Entry: "https://products.example/remoteEntry.js"}
			got, warnings := devtools.Apply([]config.Remote{tc.remote, other}, map[string]string{"cart": tc.rule}, tc.check)
			if got[0].Entry != tc.entry || got[0].Type != tc.typ {
				t.Errorf("registered %s (%s), want %s (%s)", got[0].Entry, got[0].Type, tc.entry, tc.typ)
			}
			if got[0].Name != tc.remote.Name || got[0].EntryGlobalName != "cart" || got[0].Integrity != tc.remote.Integrity {
				t.Errorf("registered %+v: name, global or integrity changed", got[0])
			}
			if got[1] != other {
				t.Errorf("a remote no rule names changed: %+v", got[1])
			}
			if tc.code == "" {
				if len(warnings) != 0 {
					t.Fatalf("warnings %v, want none", warnings)
				}
				return
			}
			if len(warnings) != 1 || warnings[0].Code != tc.code {
				t.Fatalf("warnings %v, want one %s", warnings, tc.code)
			}
			w := warnings[0]
			if w.Details["remote"] != tc.remote.Name || w.Details["override"] != tc.rule && w.Details["override"] != tc.entry {
				t.Errorf("details %v", w.Details)
			}
			if tc.reason != "" && w.Details["reason"] != tc.reason {
				t.Errorf("reason %v, want %s (%s)", w.Details["reason"], tc.reason, w.Message)
			}
		})
	}
	if got, w := devtools.Apply([]config.Remote{cart}, nil, nil); len(w) != 0 || got[0] != cart {
		t.Errorf("no rules: %v %v", got, w)
	}
}

const assets = `{"css":{"async":[],"sync":[]},"js":{"async":[],"sync":[]}}`

func TestGlobal(t *testing.T) {
	pub := "https://cart.example/"
	var m remote.Manifest
	m.Name = "cart"
	m.MetaData.RemoteEntry.Name, m.MetaData.RemoteEntry.Path, m.MetaData.RemoteEntry.Type = "remoteEntry.js", "", "global"
	m.MetaData.GlobalName, m.MetaData.PublicPath = "cart_app", &pub
	m.Shared = []remote.ManifestShared{{Name: "react", Version: "18.3.1"}}
	m.Exposes = []remote.ManifestExpose{{Name: "Cart", Path: "./Cart"}}
	state := devtools.State{
		Host: "shop",
		Remotes: []remote.Report{
			{Remote: config.Remote{Name: "cart", Entry: "https://cart.example/mf-manifest.json", Type: "manifest", EntryGlobalName: "cart"}, State: remote.Loaded},
			{Remote: config.Remote{Name: "badge", Entry: "https://badge.example/badge.js", Type: "module", EntryGlobalName: "badge"}, State: remote.Registered},
		},
		Manifest: func(name string) (remote.Manifest, bool) { return m, name == "cart" },
		Shares: []share.PackageReport{{Scope: "default", Package: "react",
			Providers: []share.Provider{
				{Package: "react", Version: "18.3.1", Scope: "default", From: "shop", Loaded: true, InUse: true},
				{Package: "react", Version: "19.0.0", Scope: "default", From: "cart", Loading: true},
			},
			Consumers: []share.ConsumerReport{
				{Consumer: share.Consumer{Package: "react", Scope: "default", From: "shop"}, Got: "18.3.1", GotFrom: "shop"},
				{Consumer: share.Consumer{Package: "react", Scope: "default", From: "cart"}, Got: "18.3.1", GotFrom: "shop"},
			}}},
		Rules: func(scope, pkg, from string) config.ShareConfig {
			return config.ShareConfig{Singleton: true, RequiredVersion: config.RequiredVersion{Range: "^18.0.0"}}
		},
		Strategy: "version-first",
	}
	// The text parses, and is written as jsonv.Marshal writes its value.
	parsed, keys := global(t, state)
	if want := []string{"cart:https://cart.example/mf-manifest.json", "badge:https://badge.example/badge.js", "shop"}; !reflect.DeepEqual(keys, want) {
		t.Errorf("keys %v, want %v", keys, want)
	}
	info := string(jsonv.Marshal(parsed["moduleInfo"]))
	for _, want := range []string{
		`"shop":{"buildVersion":"","remoteEntry":"","remoteTypes":"","remoteTypesZip":"","remotesInfo":{"badge":{"matchedVersion":"https://badge.example/badge.js"},"cart":{"matchedVersion":"https://cart.example/mf-manifest.json"}},"shared":[{"assets":`,
		`"sharedName":"react","version":"18.3.1"}],"version":""}`,
		`"cart:https://cart.example/mf-manifest.json":{"buildVersion":"","globalName":"cart_app","modules":[{"assets":`,
		`"moduleName":"Cart","modulePath":"./Cart"}],"publicPath":"https://cart.example/","remoteEntry":"remoteEntry.js","remoteEntryType":"global"`,
		`"badge:https://badge.example/badge.js":{"buildVersion":"","globalName":"badge","modules":[],"remoteEntry":"https://badge.example/badge.js","remoteEntryType":"module"`,
	} {
		if !strings.Contains(info, want) {
			t.Errorf("moduleInfo lacks %s\n%s", want, info)
		}
	}
	// The cart lists each version it provides once: 18.3.1 (its manifest) and 19.0.0 (the scope).
	if !strings.Contains(info, `"shared":[{"assets":`+assets+`,"sharedName":"react","version":"18.3.1"},{"assets":`+assets+`,"sharedName":"react","version":"19.0.0"}],"version":""}`) {
		t.Errorf("the cart's shared list is not 18.3.1 and 19.0.0\n%s", info)
	}
	shared := string(jsonv.Marshal(parsed["share"]))
	want := `{"default":{"react":{"18.3.1":{"deps":[],"eager":false,"from":"shop","loaded":true,"loading":null,"scope":["default"],"shareConfig":{"eager":false,"requiredVersion":"^18.0.0","singleton":true,"strictVersion":false},"strategy":"version-first","useIn":["shop","cart"],"version":"18.3.1"},` +
		`"19.0.0":{"deps":[],"eager":false,"from":"cart","loaded":false,"loading":true,"scope":["default"],"shareConfig":{"eager":false,"requiredVersion":"^18.0.0","singleton":true,"strictVersion":false},"strategy":"version-first","useIn":[],"version":"19.0.0"}}}}`
	if shared != want {
		t.Errorf("Share =\n%s\nwant\n%s", shared, want)
	}
	if parsed, _ := global(t, devtools.State{Host: "h"}); string(jsonv.Marshal(parsed)) != `{"moduleInfo":{"h":{"buildVersion":"","remoteEntry":"","remoteTypes":"","remoteTypesZip":"","remotesInfo":{},"shared":[],"version":""}},"share":{}}` {
		got := string(jsonv.Marshal(parsed))
		t.Errorf("empty host: %s", got)
	}
}

// global is devtools.Global's text parsed (it must be JSON).
func global(t *testing.T, s devtools.State) (map[string]any, []string) {
	t.Helper()
	text, keys := devtools.Global(s)
	v, err := jsonv.Parse(text)
	if err != nil {
		t.Fatalf("Global wrote no JSON (%v):\n%s", err, text)
	}
	return v.(map[string]any), keys
}

// A Native Federation remote shows as what it is: ES modules named by its
// remoteEntry.json, its exposes as modules.
func TestGlobalNativeFederationRemote(t *testing.T) {
	m := remote.Manifest{Name: "nfRemote", Native: &remote.NativeEntry{Name: "nfRemote", Exposes: []remote.NativeExpose{{Key: "./Button", OutFileName: "Button-FWK4WPCS.js"}}}}
	state := devtools.State{
		Host:     "shop",
		Remotes:  []remote.Report{{Remote: config.Remote{Name: "nfRemote", Entry: "https://nf.example/remoteEntry.json", Type: "manifest", EntryGlobalName: "nfRemote"}, State: remote.Loaded}},
		Manifest: func(name string) (remote.Manifest, bool) { return m, name == "nfRemote" },
	}
	parsed, _ := global(t, state)
	info := string(jsonv.Marshal(parsed["moduleInfo"]))
	want := `"nfRemote:https://nf.example/remoteEntry.json":{"buildVersion":"","globalName":"nfRemote","modules":[{"assets":` + assets +
		`,"moduleName":"Button","modulePath":"./Button"}],"remoteEntry":"https://nf.example/remoteEntry.json","remoteEntryType":"esm"`
	if !strings.Contains(info, want) {
		t.Errorf("moduleInfo lacks %s\n%s", want, info)
	}
}
