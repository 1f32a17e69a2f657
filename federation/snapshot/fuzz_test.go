package snapshot_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/fedwasm/fedwasm/federation"
	"github.com/fedwasm/fedwasm/federation/snapshot"
)

// FuzzResolve feeds any config and manifest bytes to Resolve: it never
// panics, the same inputs give the same snapshot, and what it hands the page
// holds together (absolute URLs, every mapped package a share the host got
// at that URL, a preload for each).
func FuzzResolve(f *testing.F) {
	f.Add(demoLike, []byte(nil))
	f.Add(withManifest(`{"name":"checkout","entry":"https://checkout.example/mf-manifest.json"}`),
		manifest(`{"name":"dayjs","version":"1.11.9"},{"name":"react","version":"19.2.0","singleton":true}`, ""))
	f.Add(`{"name":"h","shared":{"a":[{"version":"1.0.0","import":"/a.js"},{"version":"2.0.0-rc.1","import":"//x/a.js","from":"z"}]},"remotes":[{"name":"m","entry":"/m.json"}]}`,
		[]byte(`{"metaData":{"remoteEntry":{"name":"e.mjs","type":"module"},"publicPath":"/p/"},"shared":[{"name":"a","version":"1.5.0"}]}`))
	f.Fuzz(func(t *testing.T, cfg string, manifestBody []byte) {
		in := snapshot.Inputs{Config: []byte(cfg), Base: base, Runtime: federation.Version, Fetched: map[string]snapshot.Fetched{}}
		for _, u := range []string{"https://checkout.example/mf-manifest.json", "https://shop.example/m.json"} {
			in.Fetched[u] = snapshot.Fetched{Response: snapshot.Response{Body: manifestBody, ContentType: "application/json"}}
		}
		s, err := snapshot.Resolve(in)
		if err != nil {
			return
		}
		again, err := snapshot.Resolve(in)
		if err != nil {
			t.Fatalf("the second Resolve of the same inputs failed: %v", err)
		}
		a, _ := json.Marshal(s)
		b, _ := json.Marshal(again)
		if !bytes.Equal(a, b) {
			t.Fatalf("the same inputs gave two snapshots:\n%s\n%s", a, b)
		}
		preloaded := map[string]bool{}
		for _, p := range s.Preload {
			if !absolute(p.URL) || (p.Rel != "modulepreload" && !(p.Rel == "preload" && p.As == "script")) {
				t.Fatalf("preload %+v", p)
			}
			preloaded[p.URL] = true
		}
		for pkg, u := range s.ImportMap.Imports {
			found := false
			for _, sh := range s.Shares {
				found = found || (sh.Package == pkg && sh.Scope == "default" && sh.URL == u && sh.Error == nil)
			}
			if !found || !absolute(u) || !preloaded[u] {
				t.Fatalf("import map %s → %s: no share of the host's at that URL, or not preloaded: %s", pkg, u, a)
			}
		}
	})
}

func absolute(u string) bool {
	return strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://")
}
