package config_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/fedwasm/fedwasm/federation/config"
)

// TestRemoteValidateWebpackEntry: an entry in webpack's "global@url" form
// (ContainerReferencePlugin's remotes, split at the first "@" as webpack's
// extractUrlAndGlobal does) gives the container's global name and the URL; an
// "@" that belongs to a URL is left alone; what is neither is refused, naming
// the field, so it is never fetched.
func TestRemoteValidateWebpackEntry(t *testing.T) {
	tests := []struct {
		name       string
		remote     config.Remote
		wantEntry  string
		wantGlobal string
		wantType   string
		wantField  string
		wantInMsg  []string
	}{
		{name: "absolute http URL", remote: config.Remote{Name: "cart", Entry: "cart@http://127.0.0.1:8081/remoteEntry.js"},
			wantEntry: "http://127.0.0.1:8081/remoteEntry.js", wantGlobal: "cart", wantType: "var"},
		{name: "global differs from the remote's name", remote: config.Remote{Name: "shop", Entry: "shop_v2@https://cdn.example.com/shop/remoteEntry.js"},
			wantEntry: "https://cdn.example.com/shop/remoteEntry.js", wantGlobal: "shop_v2", wantType: "var"},
		{name: "absolute URL without a file suffix", remote: config.Remote{Name: "a", Entry: "a@https://cdn.example.com/a/entry"},
			wantEntry: "https://cdn.example.com/a/entry", wantGlobal: "a", wantType: ""},
		{name: "manifest URL", remote: config.Remote{Name: "mf", Entry: "mf_enhanced@http://127.0.0.1:8081/mf-manifest.json"},
			wantEntry: "http://127.0.0.1:8081/mf-manifest.json", wantGlobal: "mf_enhanced", wantType: "manifest"},
		{name: "root-relative path", remote: config.Remote{Name: "wp-var", Entry: "wp_var@/fixtures/wp-var/remoteEntry.js"},
			wantEntry: "/fixtures/wp-var/remoteEntry.js", wantGlobal: "wp_var", wantType: "var"},
		{name: "relative path with a query", remote: config.Remote{Name: "app", Entry: "app@remotes/app.js?v=3", Type: "module"},
			wantEntry: "remotes/app.js?v=3", wantGlobal: "app", wantType: "module"},
		{name: "dot-relative module", remote: config.Remote{Name: "m", Entry: "$m-1@./remoteEntry.mjs#x", Type: "module"},
			wantEntry: "./remoteEntry.mjs#x", wantGlobal: "$m-1", wantType: "module"},
		{name: "protocol-relative URL", remote: config.Remote{Name: "c", Entry: "c@//cdn.example.com/c.js"},
			wantEntry: "//cdn.example.com/c.js", wantGlobal: "c", wantType: "var"},
		{name: "an explicit entryGlobalName that agrees", remote: config.Remote{Name: "cart", Entry: "cart@http://h/remoteEntry.js", EntryGlobalName: "cart"},
			wantEntry: "http://h/remoteEntry.js", wantGlobal: "cart", wantType: "var"},
		{name: "@ in an absolute URL's path is not the form", remote: config.Remote{Name: "p", Entry: "https://cdn.jsdelivr.net/npm/pkg@1.2.3/remoteEntry.js"},
			wantEntry: "https://cdn.jsdelivr.net/npm/pkg@1.2.3/remoteEntry.js", wantGlobal: "p", wantType: "var"},
		{name: "@ in a URL's user info is not the form", remote: config.Remote{Name: "p", Entry: "http://user@127.0.0.1/remoteEntry.js"},
			wantEntry: "http://user@127.0.0.1/remoteEntry.js", wantGlobal: "p", wantType: "var"},
		{name: "@ in a relative path is not the form", remote: config.Remote{Name: "p", Entry: "./pkg@1/remoteEntry.js"},
			wantEntry: "./pkg@1/remoteEntry.js", wantGlobal: "p", wantType: "var"},

		{name: "nothing after @", remote: config.Remote{Name: "cart", Entry: "cart@"},
			wantField: "r.entry", wantInMsg: []string{`"cart@"`, `remote "cart"`, "global@url"}},
		{name: "a version, not a URL", remote: config.Remote{Name: "cart", Entry: "cart@1.2.3"},
			wantField: "r.entry", wantInMsg: []string{`"cart@1.2.3"`, "URL"}},
		{name: "a path without a script or manifest suffix", remote: config.Remote{Name: "cart", Entry: "cart@/remoteEntry"},
			wantField: "r.entry", wantInMsg: []string{".js", ".mjs", ".json"}},
		{name: "another scheme", remote: config.Remote{Name: "cart", Entry: "cart@ftp://h/remoteEntry.js"},
			wantField: "r.entry", wantInMsg: []string{`"cart@ftp://h/remoteEntry.js"`}},
		{name: "a javascript: URL", remote: config.Remote{Name: "cart", Entry: "cart@javascript:alert(1)//.js"},
			wantField: "r.entry"},
		{name: "http without a host", remote: config.Remote{Name: "cart", Entry: "cart@http://"},
			wantField: "r.entry"},
		{name: "no global before @", remote: config.Remote{Name: "cart", Entry: "@http://h/remoteEntry.js"},
			wantField: "r.entry"},
		{name: "a scoped MF name", remote: config.Remote{Name: "cart", Entry: "@shop/cart@http://h/mf-manifest.json"},
			wantField: "r.entry", wantInMsg: []string{"entryGlobalName"}},
		{name: "a global that is not a name", remote: config.Remote{Name: "cart", Entry: "my cart@http://h/remoteEntry.js"},
			wantField: "r.entry"},
		{name: "a conflicting entryGlobalName", remote: config.Remote{Name: "cart", Entry: "cart@http://h/remoteEntry.js", EntryGlobalName: "shop"},
			wantField: "r.entryGlobalName", wantInMsg: []string{`"shop"`, `"cart"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.remote
			err := r.Validate("r")
			if tt.wantField != "" {
				checkFieldError(t, err, tt.wantField, tt.wantInMsg...)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.Entry != tt.wantEntry || r.EntryGlobalName != tt.wantGlobal || r.Type != tt.wantType {
				t.Errorf("entry, global, type = %q, %q, %q; want %q, %q, %q", r.Entry, r.EntryGlobalName, r.Type, tt.wantEntry, tt.wantGlobal, tt.wantType)
			}
			again := r
			if err := again.Validate("r"); err != nil || again != r {
				t.Errorf("a second Validate gives %#v, %v; want it unchanged", again, err)
			}
		})
	}
}

// TestRemotesObjectForm: the config's remotes may be webpack's and MF's
// object form, { name: "global@url" }, in the wasm decoder and in
// encoding/json alike, and so may registerRemotes' argument.
func TestRemotesObjectForm(t *testing.T) {
	doc := `{"name":"host","remotes":{"wp-var":"wp_var@http://127.0.0.1:8081/wp-var/remoteEntry.js","cart":"cart@http://127.0.0.1:8082/mf-manifest.json"}}`
	want := []config.Remote{
		{Name: "cart", Entry: "http://127.0.0.1:8082/mf-manifest.json", Type: "manifest", ShareScope: "default", EntryGlobalName: "cart"},
		{Name: "wp-var", Entry: "http://127.0.0.1:8081/wp-var/remoteEntry.js", Type: "var", ShareScope: "default", EntryGlobalName: "wp_var"},
	}
	c, err := config.Parse([]byte(doc))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if !reflect.DeepEqual([]config.Remote(c.Remotes), want) {
		t.Errorf("Parse remotes =\n%#v\nwant\n%#v", c.Remotes, want)
	}
	var native config.Config
	if err := json.Unmarshal([]byte(doc), &native); err != nil {
		t.Fatalf("encoding/json: %v", err)
	}
	if err := native.Validate(); err != nil || !reflect.DeepEqual([]config.Remote(native.Remotes), want) {
		t.Errorf("encoding/json then Validate = %#v, %v; want %#v", native.Remotes, err, want)
	}
	remotes, _, err := config.DecodeRemotes([]byte(`{"cart":"cart@http://h/remoteEntry.js"}`))
	if err != nil || len(remotes) != 1 || remotes[0].Name != "cart" || remotes[0].Entry != "cart@http://h/remoteEntry.js" {
		t.Errorf("DecodeRemotes(object form) = %#v, %v", remotes, err)
	}

	for _, bad := range []struct{ json, field string }{
		{`{"name":"h","remotes":{"cart":1}}`, "remotes.cart"},
		{`{"name":"h","remotes":{"cart":["cart@http://a/e.js","cart@http://b/e.js"]}}`, "remotes.cart"},
		{`{"name":"h","remotes":"cart@http://a/e.js"}`, "remotes"},
		{`{"name":"h","remotes":{"cart":"cart@nowhere"}}`, "remotes.cart"},
		{`{"name":"h","remotes":{"cart":"http://a/e.js"}}`, "remotes.cart"},
	} {
		_, err := config.Parse([]byte(bad.json))
		checkFieldError(t, err, bad.field)
		if err := json.Unmarshal([]byte(bad.json), new(config.Config)); err == nil {
			t.Errorf("encoding/json accepts %s", bad.json)
		}
	}
}

// TestRemotesNativeFederationManifest: Native Federation's host reads its
// remotes from federation.manifest.json, { name: remoteEntry.json URL } or
// (v4) { name: { url, integrity } }; that object is a config's remotes as it
// is, each a manifest remote fedwasm reads as a remoteEntry.json.
func TestRemotesNativeFederationManifest(t *testing.T) {
	const sri = "sha384-S7SfuVR/NCiDd09mu7j78qUr4eqlA0+p3qab4V6hO7ATnofR3yGZT13EoyaOg0bW"
	doc := `{"name":"shell","remotes":{"mfe1":"http://localhost:3001/remoteEntry.json","mfe2":{"url":"https://cdn.example.com/mfe2/remoteEntry.json","integrity":"` + sri + `"},
		"mfe3":"https://cdn.jsdelivr.net/npm/mfe3@1.2.0/dist/remoteEntry.json"}}`
	want := []config.Remote{
		{Name: "mfe1", Entry: "http://localhost:3001/remoteEntry.json", Type: "manifest", ShareScope: "default", EntryGlobalName: "mfe1"},
		{Name: "mfe2", Entry: "https://cdn.example.com/mfe2/remoteEntry.json", Type: "manifest", ShareScope: "default", Integrity: sri, EntryGlobalName: "mfe2"},
		{Name: "mfe3", Entry: "https://cdn.jsdelivr.net/npm/mfe3@1.2.0/dist/remoteEntry.json", Type: "manifest", ShareScope: "default", EntryGlobalName: "mfe3"},
	}
	c, err := config.Parse([]byte(doc))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if !reflect.DeepEqual([]config.Remote(c.Remotes), want) {
		t.Errorf("Parse remotes =\n%#v\nwant\n%#v", c.Remotes, want)
	}
	remotes, _, err := config.DecodeRemotes([]byte(`{"mfe1":{"url":"http://localhost:3001/remoteEntry.json"}}`))
	if err != nil || len(remotes) != 1 || remotes[0].Entry != "http://localhost:3001/remoteEntry.json" {
		t.Errorf("DecodeRemotes(federation.manifest.json) = %#v, %v", remotes, err)
	}
	for _, bad := range []struct{ json, field string }{
		{`{"name":"h","remotes":{"mfe1":{}}}`, "remotes.mfe1.url"},
		{`{"name":"h","remotes":{"mfe1":{"url":1}}}`, "remotes.mfe1.url"},
		{`{"name":"h","remotes":{"mfe1":{"url":"http://a/remoteEntry.json","integrity":"md5-x"}}}`, "remotes[0].integrity"},
		{`{"name":"h","remotes":{"mfe1":"javascript:alert(1)//x.json"}}`, "remotes.mfe1"},
		{`{"name":"h","remotes":{"mfe1":"http://a/remoteEntry.js"}}`, "remotes.mfe1"},
	} {
		_, err := config.Parse([]byte(bad.json))
		checkFieldError(t, err, bad.field)
	}
	_, warnings, err := config.DecodeRemotes([]byte(`{"mfe1":{"url":"http://a/remoteEntry.json","intergrity":"x"}}`))
	if err != nil || len(warnings) != 1 || !strings.Contains(warnings[0].Message, "integrity") {
		t.Errorf("a misspelled key: warnings %v, %v; want one naming integrity", warnings, err)
	}
}
