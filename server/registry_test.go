package server_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/integrity/sha"
	"github.com/fedwasm/fedwasm/server"
)

const registryJSON = `{
  "remotes": {
    "cart":  { "entry": "http://127.0.0.1:8081/cart.js", "type": "esm", "version": "1.4.2", "file": "cart.js" },
    "promo": { "entry": "http://127.0.0.1:8081/promo.js", "type": "esm" }
  },
  "hosts": {
    "shell": { "config": { "bootstrap": "/app.js" }, "remotes": ["cart", "promo"] }
  }
}`

func writeRegistry(t *testing.T, dir, body string) string {
	t.Helper()
	path := filepath.Join(dir, "registry.json")
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestParseRegistry(t *testing.T) {
	dir := t.TempDir()
	cartJS := []byte("export function mount() {}\n")
	if err := os.WriteFile(filepath.Join(dir, "cart.js"), cartJS, 0o644); err != nil {
		t.Fatal(err)
	}
	hosts, err := server.ParseRegistry([]byte(registryJSON), dir)
	if err != nil {
		t.Fatal(err)
	}
	shell := hosts["shell"]
	if shell.Name != "shell" || shell.Bootstrap != "/app.js" || len(shell.Remotes) != 2 {
		t.Fatalf("shell = %+v", shell)
	}
	if cart := shell.Remotes[0]; cart.Name != "cart" || cart.Integrity != sha.Of(cartJS) || cart.Type != "esm" {
		t.Errorf("cart = %+v, want its file's sha384", cart)
	}
	if promo := shell.Remotes[1]; promo.Integrity != "" {
		t.Errorf("promo has no file, so no integrity; got %q", promo.Integrity)
	}
}

func TestParseRegistryIntegrityWithoutFile(t *testing.T) {
	want := sha.Of([]byte("export function mount() {}\n"))
	hosts, err := server.ParseRegistry([]byte(`{"remotes":{"cart":{"entry":"/remotes/cart.js","type":"esm","integrity":"`+want+`"}},`+
		`"hosts":{"shell":{"config":{},"remotes":["cart"]}}}`), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if got := hosts["shell"].Remotes[0].Integrity; got != want {
		t.Errorf("integrity %q, want the registry's %q", got, want)
	}
}

func TestParseRegistryNamesTheField(t *testing.T) {
	cases := []struct{ name, json, field string }{
		{"unknown remote in a host", `{"remotes":{},"hosts":{"shell":{"config":{},"remotes":["cart"]}}}`, "hosts.shell.remotes[0]"},
		{"remote without entry", `{"remotes":{"cart":{"type":"esm"}},"hosts":{}}`, "remotes.cart.entry"},
		{"unreadable file", `{"remotes":{"cart":{"entry":"http://x/c.js","file":"missing.js"}},"hosts":{}}`, "remotes.cart.file"},
		{"remotes inside a host config", `{"remotes":{},"hosts":{"shell":{"config":{"remotes":[{"name":"a","entry":"x"}]},"remotes":[]}}}`, "hosts.shell.config.remotes"},
		{"bad host config", `{"remotes":{},"hosts":{"shell":{"config":{"shareStrategy":"fastest"},"remotes":[]}}}`, "hosts.shell.config.shareStrategy"},
		{"unknown field", `{"remotes":{},"hosts":{},"extra":1}`, ""},
		{"file and integrity", `{"remotes":{"cart":{"entry":"http://x/c.js","file":"c.js","integrity":"sha384-AAAA"}},"hosts":{}}`, "remotes.cart"},
		{"integrity that is no SRI metadata", `{"remotes":{"cart":{"entry":"http://x/c.js","integrity":"md5-abc"}},"hosts":{}}`, "remotes.cart.integrity"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := server.ParseRegistry([]byte(c.json), t.TempDir())
			coded := errcode.As(err, "")
			if err == nil || coded.Code != errcode.ConfigInvalid || coded.Details["field"] != c.field {
				t.Fatalf("err = %v (field %v), want CONFIG_INVALID naming %q", err, coded.Details["field"], c.field)
			}
		})
	}
}

func TestRegistryServesHostsAndFollowsEdits(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "cart.js"), []byte("export {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	path := writeRegistry(t, dir, registryJSON)
	logs := &strings.Builder{}
	reg, err := server.NewRegistry(path, server.Policy{AllowedOrigins: []string{"http://127.0.0.1:8080"}}, slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(reg)
	defer srv.Close()
	get := func(query, etag string) (*http.Response, config.Config) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/federation.json?"+query, nil)
		req.Header.Set("Origin", "http://127.0.0.1:8080")
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		var cfg config.Config
		if resp.StatusCode == http.StatusOK {
			if err := json.Unmarshal(body, &cfg); err != nil {
				t.Fatalf("body %s: %v", body, err)
			}
		}
		return resp, cfg
	}

	resp, cfg := get("host=shell", "")
	if resp.StatusCode != http.StatusOK || len(cfg.Remotes) != 2 || resp.Header.Get("Access-Control-Allow-Origin") != "http://127.0.0.1:8080" {
		t.Fatalf("status %d, %d remotes, CORS %q", resp.StatusCode, len(cfg.Remotes), resp.Header.Get("Access-Control-Allow-Origin"))
	}
	if resp.Header.Get("Cache-Control") != "no-cache" || resp.Header.Get("ETag") == "" {
		t.Errorf("headers %v: want no-cache and an ETag", resp.Header)
	}
	if again, _ := get("host=shell", resp.Header.Get("ETag")); again.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: status %d, want 304", again.StatusCode)
	}
	if missing, _ := get("host=nobody", ""); missing.StatusCode != http.StatusNotFound {
		t.Errorf("unknown host: status %d, want 404", missing.StatusCode)
	}

	// A deploy adds a remote: the next request after the 1 s check sees it.
	time.Sleep(1100 * time.Millisecond)
	edited := strings.Replace(registryJSON, `"remotes": ["cart", "promo"]`, `"remotes": ["cart", "promo", "badge"]`, 1)
	edited = strings.Replace(edited, `"promo": { "entry"`, `"badge": { "entry": "http://127.0.0.1:8081/badge.js", "type": "esm" },
    "promo": { "entry"`, 1)
	writeRegistry(t, dir, edited)
	future := time.Now().Add(2 * time.Second)
	_ = os.Chtimes(path, future, future)
	if _, cfg := get("host=shell", ""); len(cfg.Remotes) != 3 || cfg.Remotes[2].Name != "badge" {
		t.Fatalf("after the edit the host has %d remotes (%+v), want badge added", len(cfg.Remotes), cfg.Remotes)
	}

	// A broken edit keeps the last good registry and is logged.
	time.Sleep(1100 * time.Millisecond)
	writeRegistry(t, dir, `{ "remotes": `)
	later := time.Now().Add(4 * time.Second)
	_ = os.Chtimes(path, later, later)
	if resp, cfg := get("host=shell", ""); resp.StatusCode != http.StatusOK || len(cfg.Remotes) != 3 {
		t.Fatalf("after a broken edit: status %d, %d remotes; want the last good registry", resp.StatusCode, len(cfg.Remotes))
	}
	if !strings.Contains(logs.String(), "registry reload failed") {
		t.Errorf("the broken edit was not logged: %s", logs.String())
	}
}

func TestParseRegistryRefuses(t *testing.T) {
	const remotes = `"remotes": { "cart": { "entry": "/remotes/cart.js", "type": "esm" } }`
	host := func(config string) string {
		return `{ ` + remotes + `, "hosts": { "shell": { "config": ` + config + `, "remotes": ["cart"] } } }`
	}
	entry := func(e string) string {
		data, _ := json.Marshal(e)
		return `{ "remotes": { "cart": { "entry": ` + string(data) + `, "type": "esm" } }, "hosts": { "shell": { "config": {}, "remotes": ["cart"] } } }`
	}
	cases := []struct{ name, json, field string }{
		{"null", `null`, "hosts"},
		{"an empty object", `{}`, "hosts"},
		{"no hosts", `{"hosts":{}}`, "hosts"},
		{"remotes and no host", `{ ` + remotes + ` }`, "hosts"},
		{"a null host", `{ ` + remotes + `, "hosts": { "shell": null } }`, "hosts.shell"},
		{"a null remote", `{ "remotes": { "cart": null }, "hosts": { "shell": { "config": {}, "remotes": [] } } }`, "remotes.cart"},
		{"more after the object", `{ ` + remotes + `, "hosts": { "shell": { "config": {}, "remotes": [] } } } {}`, ""},
		{"a javascript: entry", entry("javascript:alert(document.domain)//.js"), "remotes.cart.entry"},
		{"a JavaScript: entry in capitals", entry("JavaScript:alert(1)"), "remotes.cart.entry"},
		{"a data: entry", entry("data:text/javascript,alert(1)"), "remotes.cart.entry"},
		{"a blob: entry", entry("blob:http://127.0.0.1:8080/0b7c-4e"), "remotes.cart.entry"},
		{"a file: entry", entry("file:///etc/passwd.js"), "remotes.cart.entry"},
		{"a javascript: entry in webpack's global@url form", entry("cart@javascript:alert(1)//.js"), "remotes.cart.entry"},
		{"a scheme hidden by a tab", entry("java\tscript:alert(1)"), "remotes.cart.entry"},
		{"a scheme behind a space", entry(" javascript:alert(1)"), "remotes.cart.entry"},
		{"a newline", entry("/remotes/cart.js\n"), "remotes.cart.entry"},
		{"a backslash", entry("/\\evil.example/cart.js"), "remotes.cart.entry"},
		{"http without a host", entry("http:cart.js"), "remotes.cart.entry"},
		{"https with an empty host", entry("https:///cart.js"), "remotes.cart.entry"},
		{"a javascript: bootstrap", host(`{ "bootstrap": "javascript:alert(1)" }`), "hosts.shell.config.bootstrap"},
		{"a data: shared import", host(`{ "shared": { "react": { "version": "19.1.0", "import": "data:text/javascript,export default 1" } } }`),
			"hosts.shell.config.shared.react[0].import"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := server.ParseRegistry([]byte(c.json), t.TempDir())
			if err == nil {
				t.Fatalf("the registry was accepted; want CONFIG_INVALID naming %q", c.field)
			}
			if coded := errcode.As(err, ""); coded.Code != errcode.ConfigInvalid || coded.Details["field"] != c.field {
				t.Fatalf("err = %v (field %v), want CONFIG_INVALID naming %q", err, coded.Details["field"], c.field)
			}
		})
	}
	for _, ok := range []string{"/remotes/cart.js", "remotes/cart.js", "./cart.js", "//cdn.example/cart.js", "HTTPS://cdn.example/cart.js",
		"http://127.0.0.1:8081/cart.js", "cart@http://127.0.0.1:8081/remoteEntry.js", "/remotes/cart.js?v=1#x"} {
		if _, err := server.ParseRegistry([]byte(entry(ok)), t.TempDir()); err != nil {
			t.Errorf("entry %q: %v", ok, err)
		}
	}
}

// healthReport is /healthz's body.
type healthReport struct {
	Status   string
	Version  string
	Registry *struct {
		Status    string
		RefusedAt time.Time
		Error     struct {
			Code    string
			Message string
			Details map[string]any
		}
	}
}

// TestRegistryRefusedEdits edits a served registry into each kind of broken
// file: the last good one keeps being served, the refusal is logged once and
// /healthz reports it with its code until a good edit.
func TestRegistryRefusedEdits(t *testing.T) {
	dir := t.TempDir()
	good := `{ "remotes": { "cart": { "entry": "/remotes/cart.js", "type": "esm", "version": "1.0.0" } },
  "hosts": { "shell": { "config": { "bootstrap": "/app.js" }, "remotes": ["cart"] } } }`
	path := writeRegistry(t, dir, good)
	logs := &syncBuilder{}
	reg, err := server.NewRegistry(path, server.Policy{}, slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	server.SetCheckEvery(reg, 0)
	site := server.Site{Runtime: siteFS, Registry: reg, Version: "1.2.3", PublicOrigin: "https://shop.example"}.Handler()
	get := func(target string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		site.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://127.0.0.1"+target, nil))
		return rec
	}
	health := func() healthReport {
		t.Helper()
		rec := get("/healthz")
		var h healthReport
		if err := json.Unmarshal(rec.Body.Bytes(), &h); rec.Code != 200 || err != nil {
			t.Fatalf("/healthz: %d %s (%v)", rec.Code, rec.Body, err)
		}
		return h
	}
	edit := func(body string, n int) {
		writeRegistry(t, dir, body)
		at := time.Now().Add(time.Duration(n) * time.Second)
		if err := os.Chtimes(path, at, at); err != nil {
			t.Fatal(err)
		}
	}
	if h := health(); h.Status != "ok" || h.Registry != nil {
		t.Fatalf("before any edit: %+v", h)
	}
	edits := []struct{ name, body, field string }{
		{"null", `null`, "hosts"},
		{"an empty object", `{}`, "hosts"},
		{"no hosts", `{"hosts":{}}`, "hosts"},
		{"host-less", `{ "remotes": { "cart": { "entry": "/remotes/cart.js" } } }`, "hosts"},
		{"a javascript: entry", strings.Replace(good, `"/remotes/cart.js"`, `"javascript:alert(1)"`, 1), "remotes.cart.entry"},
		{"a data: entry", strings.Replace(good, `"/remotes/cart.js"`, `"data:text/javascript,alert(1)"`, 1), "remotes.cart.entry"},
		{"not JSON", `{ "remotes": `, ""},
	}
	for i, e := range edits {
		t.Run(e.name, func(t *testing.T) {
			edit(e.body, i+1)
			for range 3 { // asked again and again, the edit stays refused and is logged once
				rec := get("/federation.json?host=shell")
				if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"entry": "https://shop.example/remotes/cart.js"`) {
					t.Fatalf("federation.json after the edit: %d %s; want the last good registry", rec.Code, rec.Body)
				}
				h := health()
				if h.Status != "degraded" || h.Registry == nil || h.Registry.Status != "refused" || h.Registry.Error.Code != errcode.ConfigInvalid ||
					h.Registry.Error.Details["field"] != e.field || h.Registry.RefusedAt.IsZero() || h.Version != "1.2.3" {
					t.Fatalf("/healthz %+v; want degraded, the registry refused with CONFIG_INVALID naming %q", h, e.field)
				}
			}
			if n := strings.Count(logs.String(), "registry reload failed"); n != i+1 {
				t.Errorf("%d refusals logged after %d refused edits:\n%s", n, i+1, logs)
			}
		})
	}
	edit(strings.Replace(good, `"1.0.0"`, `"1.1.0"`, 1), len(edits)+1)
	if rec := get("/federation.json?host=shell"); !strings.Contains(rec.Body.String(), `"version": "1.1.0"`) {
		t.Fatalf("after a good edit: %s", rec.Body)
	}
	if h := health(); h.Status != "ok" || h.Registry != nil {
		t.Errorf("after a good edit /healthz says %+v, want ok", h)
	}
}

// syncBuilder is a strings.Builder a logger and a test share.
type syncBuilder struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuilder) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuilder) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// A key of a host's config that has no effect is logged when the registry
// is read (the page is served the config without it), and the registry
// still loads.
func TestRegistryLogsUnknownKeys(t *testing.T) {
	dir := t.TempDir()
	path := writeRegistry(t, dir, `{"remotes":{},"hosts":{"shell":{"config":{"retry":{"time":1}},"remotes":[]}}}`)
	logs := &strings.Builder{}
	reg, err := server.NewRegistry(path, server.Policy{}, slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	for _, part := range []string{"level=WARN", "host=shell", "code=CONFIG_UNKNOWN_KEY", "field=retry.time", `did you mean \"times\"?`} {
		if !strings.Contains(logs.String(), part) {
			t.Errorf("log lacks %s:\n%s", part, logs)
		}
	}
	if _, ok := reg.Host("shell"); !ok {
		t.Error("the host is not served")
	}
}
