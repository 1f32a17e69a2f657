package remote_test

import (
	"testing"

	"github.com/fedwasm/fedwasm/federation/errcode"
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
	entry, err := m.EntryURL("http://127.0.0.1:8083/app/mf-manifest.json?v=3#x")
	if err != nil || entry != "http://127.0.0.1:8083/app/remoteEntry.js" {
		t.Fatalf("EntryURL = %q, %v", entry, err)
	}
	if m.EntryType() != "var" || m.MetaData.GlobalName != "mf_enhanced" || len(m.Shared) != 1 || m.Shared[0].Version != "19.1.0" {
		t.Fatalf("parsed %+v", m)
	}
}

func TestManifestEntryURL(t *testing.T) {
	cases := []struct{ publicPath, path, name, want string }{
		{"http://cdn.test/app/", "", "remoteEntry.js", "http://cdn.test/app/remoteEntry.js"},
		{"/static/", "js", "remoteEntry.js", "http://h.test/static/js/remoteEntry.js"},
		{"auto", "/js/", "remoteEntry.js", "http://h.test/r/js/remoteEntry.js"},
		{"", "", "entry.mjs", "http://h.test/r/entry.mjs"},
	}
	for _, c := range cases {
		json := `{"metaData":{"remoteEntry":{"name":"` + c.name + `","path":"` + c.path + `","type":"module"},"publicPath":"` + c.publicPath + `"},"shared":[],"exposes":[]}`
		m, err := remote.ParseManifest([]byte(json), "http://h.test/r/mf-manifest.json")
		if err != nil {
			t.Fatalf("%s: %v", json, err)
		}
		if got, err := m.EntryURL("http://h.test/r/mf-manifest.json"); err != nil || got != c.want {
			t.Errorf("publicPath %q path %q: EntryURL = %q (%v), want %q", c.publicPath, c.path, got, err, c.want)
		}
		if m.EntryType() != "module" {
			t.Errorf("type module maps to %q", m.EntryType())
		}
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
			_, _ = m.EntryURL("http://h.test/r/mf-manifest.json") // never panics on an accepted manifest
		}
	})
}
