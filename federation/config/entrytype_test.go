package config_test

import (
	"testing"

	"github.com/fedwasm/fedwasm/federation/config"
)

// TestRemoteTypeFromEntry: a remote's type is the declared one; else its
// entry URL's path (query and fragment ignored) says it: .json is a
// manifest, .js, .mjs and .cjs a script; else it stays "" and the response's
// Content-Type decides when the remote is loaded.
func TestRemoteTypeFromEntry(t *testing.T) {
	tests := []struct {
		entry, declared, want string
	}{
		{entry: "http://x/mf-manifest.json", want: "manifest"},
		{entry: "http://x/mf-manifest.json?v=2", want: "manifest"},
		{entry: "http://x/mf-manifest.json#top", want: "manifest"},
		{entry: "/remotes/cart/mf-manifest.json?v=2&t=1#x", want: "manifest"},
		{entry: "mf-manifest.json?v=2", want: "manifest"},
		{entry: "http://x/remoteEntry.js", want: "var"},
		{entry: "http://x/remoteEntry.js?v=2", want: "var"},
		{entry: "http://x/remoteEntry.js?manifest=a.json", want: "var"},
		{entry: "http://x/remoteEntry.mjs", want: "var"},
		{entry: "http://x/remoteEntry.cjs#a.json", want: "var"},
		{entry: "cart@http://x/mf-manifest.json?v=2", want: "manifest"},
		{entry: "http://x/remote", want: ""},
		{entry: "http://x/remote?file=mf-manifest.json", want: ""},
		{entry: "http://x/manifest#.json", want: ""},
		{entry: "http://x/", want: ""},
		{entry: "http://cdn.json", want: ""},
		{entry: "http://x/api/remotes/cart", want: ""},
		{entry: "http://x/mf-manifest.json?v=2", declared: "var", want: "var"},
		{entry: "http://x/remote", declared: "module", want: "module"},
	}
	for _, tt := range tests {
		t.Run(tt.entry+" "+tt.declared, func(t *testing.T) {
			r := config.Remote{Name: "cart", Entry: tt.entry, Type: tt.declared}
			if err := r.Validate("r"); err != nil {
				t.Fatal(err)
			}
			if r.Type != tt.want {
				t.Errorf("type = %q, want %q", r.Type, tt.want)
			}
		})
	}
}

// TestTypeForContentType: when the URL does not say, a JSON response is a
// manifest and anything else a script.
func TestTypeForContentType(t *testing.T) {
	for ct, want := range map[string]string{
		"application/json":                    "manifest",
		"application/json; charset=utf-8":     "manifest",
		"Application/JSON;charset=UTF-8":      "manifest",
		" application/json ":                  "manifest",
		"application/manifest+json":           "manifest",
		"application/vnd.mf.manifest+json":    "manifest",
		"text/json":                           "manifest",
		"application/javascript":              "var",
		"text/javascript; charset=utf-8":      "var",
		"application/x-javascript":            "var",
		"text/plain":                          "var",
		"":                                    "var",
		"application/jsonp":                   "var",
		"application/json-seq":                "var",
		"text/html; profile=application/json": "var",
	} {
		if got := config.TypeForContentType(ct); got != want {
			t.Errorf("TypeForContentType(%q) = %q, want %q", ct, got, want)
		}
	}
}
