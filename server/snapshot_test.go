package server_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fedwasm/fedwasm/federation/integrity/sha"
	"github.com/fedwasm/fedwasm/federation/snapshot"
	"github.com/fedwasm/fedwasm/server"
)

// manifestServer serves a real mf-manifest.json on loopback and counts the
// requests for it.
func manifestServer(t *testing.T, shared string) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var served atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/mf-manifest.json" {
			http.NotFound(w, r)
			return
		}
		served.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"id":"checkout","name":"checkout","metaData":{"remoteEntry":{"name":"remoteEntry.js","path":"","type":"global"},
		"globalName":"checkout_app","publicPath":"auto"},"shared":[`+shared+`],"exposes":[]}`)
	}))
	t.Cleanup(srv.Close)
	return srv, &served
}

// snapshotRegistry is a registry whose host shell shares react and a package
// whose name would end a <script> if written unescaped, uses an ES-module
// remote with a file, a manifest remote at manifestURL and one that is down.
func snapshotRegistry(manifestURL, downURL, bootstrap string) string {
	return `{
  "remotes": {
    "cart": { "entry": "/remotes/cart.js", "type": "esm", "version": "1.0.0", "file": "cart.js" },
    "checkout": { "entry": "` + manifestURL + `" },
    "down": { "entry": "` + downURL + `" }
  },
  "hosts": {
    "shell": { "config": { "bootstrap": "` + bootstrap + `",
      "shared": { "react": { "version": "19.1.0", "import": "/vendor/react.js", "shareConfig": { "singleton": true, "requiredVersion": "^19.0.0" } },
                  "</script><script>alert(1)</script>": { "version": "1.0.0", "import": "/vendor/x.js" } } },
      "remotes": ["cart", "checkout", "down"] }
  }
}`
}

type siteUnderTest struct {
	url      string
	registry string // the registry file
}

func startSnapshotSite(t *testing.T, pages map[string]string, csp string) (siteUnderTest, *atomic.Int32) {
	t.Helper()
	manifests, served := manifestServer(t, `{"name":"dayjs","version":"1.11.9"}`)
	down := httptest.NewServer(http.NotFoundHandler())
	downURL := down.URL + "/mf-manifest.json"
	down.Close() // nothing listens there now
	dir := t.TempDir()
	for name, body := range map[string]string{"cart.js": "export const cart = 1;\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	path := writeRegistry(t, dir, snapshotRegistry(manifests.URL+"/mf-manifest.json", downURL, "/host/bootstrap.js"))
	policy := server.Policy{ContentSecurityPolicy: csp}
	reg, err := server.NewRegistry(path, policy, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	server.SetCheckEvery(reg, time.Millisecond)
	pagesDir := t.TempDir()
	for name, body := range pages {
		if err := os.WriteFile(filepath.Join(pagesDir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	site := httptest.NewServer(server.Site{Registry: reg, Policy: policy, Pages: os.DirFS(pagesDir), PublicOrigin: "https://shop.example"}.Handler())
	t.Cleanup(site.Close)
	return siteUnderTest{url: site.URL, registry: path}, served
}

func getDoc(t *testing.T, url string) map[string]json.RawMessage {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc map[string]json.RawMessage
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v", url, resp.StatusCode, err)
	}
	return doc
}

func TestFederationJSONSnapshot(t *testing.T) {
	site, served := startSnapshotSite(t, nil, "")
	doc := getDoc(t, site.url+"/federation.json?host=shell")
	for _, field := range []string{"name", "bootstrap", "shared", "remotes"} {
		if _, ok := doc[field]; !ok {
			t.Errorf("federation.json lost its %q field (older loaders read it): %s", field, doc)
		}
	}
	var snap snapshot.Snapshot
	if err := json.Unmarshal(doc["snapshot"], &snap); err != nil {
		t.Fatalf("snapshot: %v in %s", err, doc["snapshot"])
	}
	if snap.V != snapshot.FormatVersion || snap.Host != "shell" || snap.Bootstrap != "https://shop.example/host/bootstrap.js" {
		t.Errorf("snapshot v %d host %q bootstrap %q", snap.V, snap.Host, snap.Bootstrap)
	}
	if got := snap.ImportMap.Imports["react"]; got != "https://shop.example/vendor/react.js" {
		t.Errorf("react maps to %q", got)
	}
	status := map[string]snapshot.Remote{}
	for _, r := range snap.Remotes {
		status[r.Name] = r
	}
	if c := status["cart"]; c.Status != snapshot.RemoteReady || c.Entry != "https://shop.example/remotes/cart.js" || c.Integrity != sha.Of([]byte("export const cart = 1;\n")) {
		t.Errorf("cart %+v", c)
	}
	if c := status["checkout"]; c.Status != snapshot.RemoteReady || c.Type != "var" || !strings.HasSuffix(c.Entry, "/remoteEntry.js") || c.EntryGlobalName != "checkout_app" {
		t.Errorf("checkout %+v, want the entry its manifest names", c)
	}
	if d := status["down"]; d.Status != snapshot.RemoteUnreachable || d.Error == nil {
		t.Errorf("down %+v, want unreachable with why", d)
	}
	// The cache: the same inputs again fetch nothing and give the same hash.
	again := getDoc(t, site.url+"/federation.json?host=shell")
	var snap2 snapshot.Snapshot
	_ = json.Unmarshal(again["snapshot"], &snap2)
	if served.Load() != 1 || snap2.Hash != snap.Hash {
		t.Errorf("second request: manifest fetched %d times in all, hash %s then %s; want 1 fetch, one hash", served.Load(), snap.Hash, snap2.Hash)
	}
	// A registry edit changes the snapshot at the next request.
	edited, _ := os.ReadFile(site.registry)
	edited = []byte(strings.Replace(string(edited), "/host/bootstrap.js", "/host/bootstrap2.js", 1))
	if err := os.WriteFile(site.registry, edited, 0o644); err != nil {
		t.Fatal(err)
	}
	future := time.Now().Add(2 * time.Second)
	if err := os.Chtimes(site.registry, future, future); err != nil {
		t.Fatal(err)
	}
	time.Sleep(5 * time.Millisecond)
	var snap3 snapshot.Snapshot
	_ = json.Unmarshal(getDoc(t, site.url+"/federation.json?host=shell")["snapshot"], &snap3)
	if snap3.Hash == snap.Hash || snap3.Bootstrap != "https://shop.example/host/bootstrap2.js" {
		t.Errorf("after the edit: hash %s (was %s), bootstrap %q", snap3.Hash, snap.Hash, snap3.Bootstrap)
	}
}

const hostPage = `<!doctype html>
<html><head>
  <!-- <script src="/fedwasm/loader.js" data-config="/federation.json?host=other"> -->
  <title>shop</title>
  <script nonce="__CSP_NONCE__" src="/fedwasm/loader.js" data-config="/federation.json?host=shell"></script>
</head><body></body></html>`

func TestHostPage(t *testing.T) {
	site, _ := startSnapshotSite(t, map[string]string{"index.html": hostPage, "plain.html": "<p>no loader</p>",
		"stranger.html": `<script src="/fedwasm/loader.js" data-config="/federation.json?host=nobody"></script>`},
		"script-src 'nonce-"+server.NonceToken+"'")
	resp, err := http.Get(site.url + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	page := string(body)
	nonce := regexp.MustCompile(`'nonce-([^']+)'`).FindStringSubmatch(resp.Header.Get("Content-Security-Policy"))
	if resp.StatusCode != 200 || nonce == nil || resp.Header.Get("Cache-Control") != "no-store" || resp.Header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("GET /: %d, headers %v", resp.StatusCode, resp.Header)
	}
	loader := strings.Index(page, `<script nonce="`+nonce[1]+`" src="/fedwasm/loader.js"`)
	importMap := strings.Index(page, `<script type="importmap" nonce="`+nonce[1]+`">`)
	snapTag := `<script type="application/json" id="fedwasm-snapshot" nonce="` + nonce[1] + `">`
	snapAt := strings.Index(page, snapTag)
	if loader < 0 || importMap < 0 || snapAt < 0 || !(importMap < snapAt && snapAt < loader) {
		t.Fatalf("want the import map, then the snapshot, before the loader tag; got\n%s", page)
	}
	if strings.Index(page, "<!--") > importMap {
		t.Errorf("the tags went into or before the comment:\n%s", page)
	}
	for _, link := range []string{
		`<link rel="modulepreload" href="https://shop.example/vendor/react.js" crossorigin="anonymous" nonce="` + nonce[1] + `">`,
		`<link rel="modulepreload" href="https://shop.example/host/bootstrap.js" crossorigin="anonymous" nonce="` + nonce[1] + `">`,
		`<link rel="modulepreload" href="https://shop.example/remotes/cart.js" integrity="` + sha.Of([]byte("export const cart = 1;\n")) + `" crossorigin="anonymous" nonce="` + nonce[1] + `">`,
	} {
		if at := strings.Index(page, link); at < 0 || at > loader {
			t.Errorf("no %s before the loader tag in\n%s", link, page)
		}
	}
	if !regexp.MustCompile(`<link rel="preload" as="script" href="http://127\.0\.0\.1:\d+/remoteEntry\.js" nonce="`).MatchString(page) {
		t.Errorf("no preload as=script of the manifest remote's classic entry in\n%s", page)
	}
	if strings.Contains(page, "<script>alert(1)") || strings.Count(page, "</script>") != 3 {
		t.Errorf("data broke out of its <script>:\n%s", page)
	}
	// The snapshot in the page is federation.json's.
	text := page[snapAt+len(snapTag):]
	text = text[:strings.Index(text, "</script>")]
	var inPage, served snapshot.Snapshot
	if err := json.Unmarshal([]byte(text), &inPage); err != nil {
		t.Fatalf("the page's snapshot does not parse: %v\n%s", err, text)
	}
	_ = json.Unmarshal(getDoc(t, site.url+"/federation.json?host=shell")["snapshot"], &served)
	if inPage.Hash != served.Hash || len(inPage.Shares) != 2 || inPage.Shares[0].Package != "</script><script>alert(1)</script>" {
		t.Errorf("the page's snapshot %s differs from federation.json's %s, or lost the odd package: %+v", inPage.Hash, served.Hash, inPage.Shares)
	}

	for path, want := range map[string]string{"/plain.html": "<p>no loader</p>", "/stranger.html": `<script src="/fedwasm/loader.js" data-config="/federation.json?host=nobody"></script>`} {
		resp, err := http.Get(site.url + path)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || string(got) != want {
			t.Errorf("GET %s: %d %q, want the page unchanged", path, resp.StatusCode, got)
		}
	}
	for _, path := range []string{"/missing.html", "/index.txt", "/sub/", "/fedwasm-snapshot"} {
		resp, err := http.Get(site.url + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, resp.StatusCode)
		}
	}
}
