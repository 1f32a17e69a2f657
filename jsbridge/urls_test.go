//go:build js && wasm

package jsbridge

import (
	"testing"

	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/remote"
)

func TestResolveURL(t *testing.T) {
	const base = "http://h.test/r/mf-manifest.json?v=3#frag"
	cases := []struct{ name, ref, base, want string }{
		{"relative path", "remoteEntry.js", base, "http://h.test/r/remoteEntry.js"},
		{"dot directory drops the base's query and fragment", "./", base, "http://h.test/r/"},
		{"parent", "../shared/e.js", base, "http://h.test/shared/e.js"},
		{"parents above the root stop at it", "../../../x/e.js", base, "http://h.test/x/e.js"},
		{"dot segments", "a/../b/./c/e.js", base, "http://h.test/r/b/c/e.js"},
		{"absolute path", "/static/e.js", base, "http://h.test/static/e.js"},
		{"protocol-relative takes the base's scheme", "//cdn.test/mf/e.js", base, "http://cdn.test/mf/e.js"},
		{"absolute URL", "https://other.test/e.js", base, "https://other.test/e.js"},
		{"query and fragment of the reference", "e.js?v=9#x", base, "http://h.test/r/e.js?v=9#x"},
		{"query only keeps the base's path", "?v=9", base, "http://h.test/r/mf-manifest.json?v=9"},
		{"fragment only keeps the base's query", "#top", base, "http://h.test/r/mf-manifest.json?v=3#top"},
		{"base without a trailing slash: its last segment is replaced", "e.js", "http://cdn.test/app", "http://cdn.test/e.js"},
		{"host is lowercased and the default port dropped", "E.js", "HTTP://CDN.test:80/a/", "http://cdn.test/a/E.js"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := resolveURL(c.ref, c.base)
			if err != nil || got != c.want {
				t.Errorf("resolveURL(%q, %q) = %q, %v; want %q", c.ref, c.base, got, err, c.want)
			}
		})
	}
	for _, bad := range []struct{ ref, base string }{
		{"e.js", "not a url"},
		{"http://[bad/", base},
		{"//", base},
	} {
		want := `the browser's URL parser rejects "` + bad.ref + `" against "` + bad.base + `"`
		if got, err := resolveURL(bad.ref, bad.base); err == nil || err.Error() != want {
			t.Errorf("resolveURL(%q, %q) = %q, %v; want the error %s", bad.ref, bad.base, got, err, want)
		}
	}
}

func TestURLOrigin(t *testing.T) {
	cases := []struct {
		url, want string
		ok        bool
	}{
		{"https://cdn.example.com/app/e.js?v=1#x", "https://cdn.example.com", true},
		{"http://127.0.0.1:8081/remoteEntry.js", "http://127.0.0.1:8081", true},
		{"http://a.test:80/e.js", "http://a.test", true},
		{"HTTPS://A.Test/e.js", "https://a.test", true},
		{"http://[::1]:9000/", "http://[::1]:9000", true},
		{"data:text/javascript,1", "", false},
		{"/relative/e.js", "", false},
		{"http://[bad/", "", false},
	}
	for _, c := range cases {
		if got, ok := urlOrigin(c.url); got != c.want || ok != c.ok {
			t.Errorf("urlOrigin(%q) = %q, %v; want %q, %v", c.url, got, ok, c.want, c.ok)
		}
	}
}

// TestManifestEntryURLInBrowser: a manifest's entry is resolved with the
// browser's URL parser, and one it rejects is a REMOTE_INVALID_MANIFEST
// naming the field.
func TestManifestEntryURLInBrowser(t *testing.T) {
	const manifestURL = "http://h.test/r/mf-manifest.json?v=3"
	cases := []struct{ publicPath, path, entry, want, field string }{
		{"auto", "js", "remoteEntry.js", "http://h.test/r/js/remoteEntry.js", ""},
		{"../cdn/", "", "remoteEntry.js?v=2", "http://h.test/cdn/remoteEntry.js?v=2", ""},
		{"//cdn.test/mf/", "/a/", "e.mjs", "http://cdn.test/mf/a/e.mjs", ""},
		{"https://cdn.test/app/", "", "remoteEntry.js", "https://cdn.test/app/remoteEntry.js", ""},
		{"http://[bad/", "", "remoteEntry.js", "", "metaData.publicPath"},
		{"auto", "", "//", "", "metaData.remoteEntry"},
	}
	for _, c := range cases {
		doc := `{"metaData":{"remoteEntry":{"name":"` + c.entry + `","path":"` + c.path + `","type":"module"},"publicPath":"` + c.publicPath + `"},"shared":[],"exposes":[]}`
		m, err := remote.ParseManifest([]byte(doc), manifestURL)
		if err != nil {
			t.Fatalf("%s: %v", doc, err)
		}
		got, err := m.EntryURL(manifestURL, resolveURL)
		if c.field == "" {
			if err != nil || got != c.want {
				t.Errorf("publicPath %q path %q name %q: EntryURL = %q, %v; want %q", c.publicPath, c.path, c.entry, got, err, c.want)
			}
			continue
		}
		if coded := errcode.As(err, ""); err == nil || coded.Code != errcode.RemoteInvalidManifest || coded.Details["field"] != c.field {
			t.Errorf("publicPath %q name %q: EntryURL = %q, %v; want %s naming %s", c.publicPath, c.entry, got, err, errcode.RemoteInvalidManifest, c.field)
		}
	}
}
