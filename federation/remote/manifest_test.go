package remote_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/limits"
	"github.com/fedwasm/fedwasm/federation/remote"
)

const manifestOK = `{"id":"mf_enhanced","name":"mf_enhanced","metaData":{"name":"mf_enhanced","type":"app",
 "buildInfo":{"buildVersion":"1.0.0","buildName":"mf-enhanced"},
 "remoteEntry":{"name":"remoteEntry.js","path":"","type":"global"},"globalName":"mf_enhanced","publicPath":"auto"},
 "shared":[{"id":"mf_enhanced:react","name":"react","version":"19.1.0","singleton":true,"requiredVersion":"^19.1.0","hash":"","assets":{}}],
 "remotes":[],"exposes":[{"id":"mf_enhanced:Recommendations","name":"Recommendations","path":"./Recommendations","assets":{}}]}`

func TestParseManifest(t *testing.T) {
	m, err := remote.ParseManifest([]byte(manifestOK), "http://127.0.0.1:8083/app/mf-manifest.json?v=3#x")
	if err != nil {
		t.Fatal(err)
	}
	entry, err := m.EntryURL("http://127.0.0.1:8083/app/mf-manifest.json?v=3#x", resolveRFC3986)
	if err != nil || entry != "http://127.0.0.1:8083/app/remoteEntry.js" {
		t.Fatalf("EntryURL = %q, %v", entry, err)
	}
	if m.EntryType() != "var" || m.MetaData.GlobalName != "mf_enhanced" || len(m.Shared) != 1 || m.Shared[0].Version != "19.1.0" {
		t.Fatalf("parsed %+v", m)
	}
}

// resolveRFC3986 is net/url's reference resolution, which agrees with the
// browser's new URL(ref, base) on these tables; the bridge passes the
// browser's own (jsbridge tests it in Chromium).
func resolveRFC3986(ref, base string) (string, error) {
	b, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	r, err := url.Parse(ref)
	if err != nil {
		return "", err
	}
	return b.ResolveReference(r).String(), nil
}

func TestManifestEntryURL(t *testing.T) {
	const manifestURL = "http://h.test/r/mf-manifest.json?v=3#frag"
	cases := []struct{ name, publicPath, path, entry, want string }{
		{"absolute publicPath", "http://cdn.test/app/", "", "remoteEntry.js", "http://cdn.test/app/remoteEntry.js"},
		{"absolute-path publicPath", "/static/", "js", "remoteEntry.js", "http://h.test/static/js/remoteEntry.js"},
		{"auto is the manifest's directory, without its query and fragment", "auto", "/js/", "remoteEntry.js", "http://h.test/r/js/remoteEntry.js"},
		{"empty publicPath is auto", "", "", "entry.mjs", "http://h.test/r/entry.mjs"},
		{"relative publicPath", "assets/", "", "remoteEntry.js", "http://h.test/r/assets/remoteEntry.js"},
		{"dot publicPath", "./", "", "remoteEntry.js", "http://h.test/r/remoteEntry.js"},
		{"parent publicPath", "../shared/", "", "remoteEntry.js", "http://h.test/shared/remoteEntry.js"},
		{"parents above the root stop at it", "../../../x/", "", "remoteEntry.js", "http://h.test/x/remoteEntry.js"},
		{"dot segments in the path", "auto", "a/../b/./c", "remoteEntry.js", "http://h.test/r/b/c/remoteEntry.js"},
		{"protocol-relative publicPath takes the manifest's scheme", "//cdn.test/mf/", "", "remoteEntry.js", "http://cdn.test/mf/remoteEntry.js"},
		{"publicPath without a trailing slash: its last segment is replaced", "http://cdn.test/app", "", "remoteEntry.js", "http://cdn.test/remoteEntry.js"},
		{"publicPath's query and fragment are dropped", "https://cdn.test/app/?token=1#f", "", "remoteEntry.js", "https://cdn.test/app/remoteEntry.js"},
		{"entry name with a query and fragment", "auto", "", "remoteEntry.js?v=9#x", "http://h.test/r/remoteEntry.js?v=9#x"},
		{"absolute entry name", "auto", "", "https://other.test/e.js", "https://other.test/e.js"},
		{"absolute-path entry name", "http://cdn.test/app/", "", "/e.js", "http://cdn.test/e.js"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			json := `{"metaData":{"remoteEntry":{"name":"` + c.entry + `","path":"` + c.path + `","type":"module"},"publicPath":"` + c.publicPath + `"},"shared":[],"exposes":[]}`
			m, err := remote.ParseManifest([]byte(json), manifestURL)
			if err != nil {
				t.Fatalf("%s: %v", json, err)
			}
			if got, err := m.EntryURL(manifestURL, resolveRFC3986); err != nil || got != c.want {
				t.Errorf("publicPath %q path %q name %q: EntryURL = %q (%v), want %q", c.publicPath, c.path, c.entry, got, err, c.want)
			}
			if m.EntryType() != "module" {
				t.Errorf("type module maps to %q", m.EntryType())
			}
		})
	}
}

func TestManifestEntryURLNamesTheField(t *testing.T) {
	cases := []struct{ name, manifestURL, publicPath, field, message string }{
		{"unusable manifest URL", "http://[bad/mf-manifest.json", "auto", "", `the manifest http://[bad/mf-manifest.json has no usable URL: `},
		{"publicPath that is no URL", "http://h.test/mf-manifest.json", "http://[bad/", "metaData.publicPath", `the manifest http://h.test/mf-manifest.json field metaData.publicPath "http://[bad/" is not a URL: `},
		{"entry that makes no URL", "http://h.test/mf-manifest.json", "auto", "metaData.remoteEntry", `the manifest http://h.test/mf-manifest.json field metaData.remoteEntry does not make a URL: `},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			entry := "e.js"
			if c.field == "metaData.remoteEntry" {
				entry = "%zz"
			}
			m, err := remote.ParseManifest([]byte(`{"metaData":{"remoteEntry":{"name":"`+entry+`"},"globalName":"g","publicPath":"`+c.publicPath+`"},"shared":[],"exposes":[]}`), c.manifestURL)
			if err != nil {
				t.Fatal(err)
			}
			got, err := m.EntryURL(c.manifestURL, resolveRFC3986)
			coded := errcode.As(err, "")
			if err == nil || coded.Code != errcode.RemoteInvalidManifest || coded.Details["field"] != c.field || !strings.HasPrefix(coded.Message, c.message) {
				t.Fatalf("EntryURL = %q, %v; want %s naming field %q: %s...", got, err, errcode.RemoteInvalidManifest, c.field, c.message)
			}
		})
	}
}

func TestParseManifestNamesTheField(t *testing.T) {
	cases := []struct{ name, json, field string }{
		{"not JSON", `<html>`, ""},
		{"getPublicPath needs eval", `{"metaData":{"remoteEntry":{"name":"e.js"},"globalName":"g","getPublicPath":"return window.x"},"shared":[],"exposes":[]}`, "metaData.getPublicPath"},
		{"no publicPath", `{"metaData":{"remoteEntry":{"name":"e.js"},"globalName":"g"},"shared":[],"exposes":[]}`, "metaData.publicPath"},
		{"no remoteEntry name", `{"metaData":{"remoteEntry":{},"globalName":"g","publicPath":"auto"},"shared":[],"exposes":[]}`, "metaData.remoteEntry.name"},
		{"no globalName", `{"metaData":{"remoteEntry":{"name":"e.js","type":"global"},"publicPath":"auto"},"shared":[],"exposes":[]}`, "metaData.globalName"},
		{"no exposes", `{"metaData":{"remoteEntry":{"name":"e.js"},"globalName":"g","publicPath":"auto"},"shared":[]}`, "exposes"},
		{"no shared", `{"metaData":{"remoteEntry":{"name":"e.js"},"globalName":"g","publicPath":"auto"},"exposes":[]}`, "shared"},
		{"an entry integrity that is not SRI", `{"metaData":{"remoteEntry":{"name":"e.js","integrity":"sha384-short"},"globalName":"g","publicPath":"auto"},"shared":[],"exposes":[]}`, "metaData.remoteEntry.integrity"},
		{"an entry integrity that is not a string", `{"metaData":{"remoteEntry":{"name":"e.js","integrity":1},"globalName":"g","publicPath":"auto"},"shared":[],"exposes":[]}`, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := remote.ParseManifest([]byte(c.json), "http://h.test/mf-manifest.json")
			coded := errcode.As(err, "")
			if err == nil || coded.Code != errcode.RemoteInvalidManifest || coded.Details["field"] != c.field {
				t.Fatalf("err = %v (field %v), want REMOTE_INVALID_MANIFEST naming %q", err, coded.Details["field"], c.field)
			}
		})
	}
}

func TestParseManifestEntryIntegrity(t *testing.T) {
	const sri = "sha384-ywB1P0WjXou1oD1pmsZQBycsMqsO3tFjGotgWkP/W+2AhgcroefMI1i67KE0yCWn"
	m, err := remote.ParseManifest([]byte(`{"metaData":{"remoteEntry":{"name":"e.js","integrity":"`+sri+`"},"globalName":"g","publicPath":"auto"},"shared":[],"exposes":[]}`), "http://h.test/mf-manifest.json")
	if err != nil || m.MetaData.RemoteEntry.Integrity != sri {
		t.Fatalf("remoteEntry.integrity = %q, %v; want %q", m.MetaData.RemoteEntry.Integrity, err, sri)
	}
}

func TestParseManifestTypeErrorSaysWhere(t *testing.T) {
	_, err := remote.ParseManifest([]byte(`{"metaData":{"remoteEntry":{"name":"e.js"},"globalName":"g","publicPath":"auto"},"shared":[{"name":"react","version":19}],"exposes":[]}`), "http://h.test/mf-manifest.json")
	want := "the manifest http://h.test/mf-manifest.json is not JSON of the mf-manifest.json shape: field shared[0].version is a number, not a string"
	if coded := errcode.As(err, ""); coded.Code != errcode.RemoteInvalidManifest || coded.Message != want {
		t.Fatalf("err = %v, want REMOTE_INVALID_MANIFEST: %s", err, want)
	}
}

func FuzzParseManifest(f *testing.F) {
	f.Add([]byte(manifestOK))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := remote.ParseManifest(data, "http://h.test/r/mf-manifest.json")
		if err == nil {
			_, _ = m.EntryURL("http://h.test/r/mf-manifest.json", resolveRFC3986) // never panics on an accepted manifest
		}
	})
}

// A manifest listing more than limits.SharedEntries shared entries is refused
// with LIMIT_EXCEEDED naming the manifest, before its entries are read.
func TestParseManifestSharedLimit(t *testing.T) {
	for _, tt := range []struct {
		n        int
		wantCode string
	}{{limits.SharedEntries - 1, ""}, {limits.SharedEntries, errcode.LimitExceeded}} { // and manifestOK's own entry
		shared := make([]string, tt.n)
		for i := range shared {
			shared[i] = `{"name":"p","version":"1.0.` + strconv.Itoa(i) + `"}`
		}
		data := strings.Replace(manifestOK, `"shared":[`, `"shared":[`+strings.Join(shared, ",")+`,`, 1)
		_, err := remote.ParseManifest([]byte(data), "https://cdn.example.com/mf-manifest.json")
		if errcode.CodeOf(err) != tt.wantCode {
			t.Errorf("%d shared entries: ParseManifest = %v, want code %q", tt.n+1, err, tt.wantCode)
		}
		if tt.wantCode != "" && errcode.As(err, "").Details["manifest"] != "https://cdn.example.com/mf-manifest.json" {
			t.Errorf("details = %v, want the manifest's URL", errcode.As(err, "").Details)
		}
	}
}
