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

func TestParseRegistryNamesTheField(t *testing.T) {
	cases := []struct{ name, json, field string }{
		{"unknown remote in a host", `{"remotes":{},"hosts":{"shell":{"config":{},"remotes":["cart"]}}}`, "hosts.shell.remotes[0]"},
		{"remote without entry", `{"remotes":{"cart":{"type":"esm"}},"hosts":{}}`, "remotes.cart.entry"},
		{"unreadable file", `{"remotes":{"cart":{"entry":"http://x/c.js","file":"missing.js"}},"hosts":{}}`, "remotes.cart.file"},
		{"remotes inside a host config", `{"remotes":{},"hosts":{"shell":{"config":{"remotes":[{"name":"a","entry":"x"}]},"remotes":[]}}}`, "hosts.shell.config.remotes"},
		{"bad host config", `{"remotes":{},"hosts":{"shell":{"config":{"shareStrategy":"fastest"},"remotes":[]}}}`, "hosts.shell.config.shareStrategy"},
		{"unknown field", `{"remotes":{},"hosts":{},"extra":1}`, ""},
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
