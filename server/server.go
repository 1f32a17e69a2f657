// Package server is fedwasm's HTTP side: an http.Handler that serves the
// runtime, host and remote files and configs with the headers federation needs
// (application/wasm, CORS from an allowlist, immutable caching for
// content-hashed files and no-cache for entry files).
package server

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"mime"
	"net"
	"net/http"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Policy is what a handler adds to every response.
type Policy struct {
	// AllowedOrigins may read responses cross-origin (CORS). Others get no CORS headers.
	AllowedOrigins []string
	// ContentSecurityPolicy is sent with HTML pages when set. Where it contains
	// NonceToken, each page response gets a fresh nonce there and in place of
	// NoncePlaceholder in the page, so the page's own script tags (and the
	// scripts the runtime adds with that nonce) are allowed.
	ContentSecurityPolicy string
}

// NonceToken marks where a CSP nonce goes in Policy.ContentSecurityPolicy.
const NonceToken = "{nonce}"

// NoncePlaceholder in an HTML page is replaced by the response's CSP nonce.
const NoncePlaceholder = "__CSP_NONCE__"

// contentHashed matches names with a content hash, such as app.3f9a1c2b.js.
var contentHashed = regexp.MustCompile(`\.[0-9a-f]{8,}\.[a-z0-9]+$`)

func init() {
	// The system MIME table may lack these; federation depends on them.
	_ = mime.AddExtensionType(".wasm", "application/wasm")
	_ = mime.AddExtensionType(".js", "text/javascript; charset=utf-8")
	_ = mime.AddExtensionType(".mjs", "text/javascript; charset=utf-8")
	_ = mime.AddExtensionType(".json", "application/json")
}

// Files serves fsys with p's headers. Content-hashed names are cached for a
// year as immutable; every other file is revalidated on each use (no-cache).
func Files(fsys fs.FS, p Policy) http.Handler {
	files := http.FileServerFS(fsys)
	return p.wrap(func(w http.ResponseWriter, r *http.Request) {
		name := path.Base(r.URL.Path)
		if contentHashed.MatchString(name) {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "no-cache")
		}
		isPage := strings.HasSuffix(r.URL.Path, "/") || strings.HasSuffix(name, ".html")
		if isPage && strings.Contains(p.ContentSecurityPolicy, NonceToken) {
			p.servePageWithNonce(w, r, fsys)
			return
		}
		if isPage && p.ContentSecurityPolicy != "" {
			w.Header().Set("Content-Security-Policy", p.ContentSecurityPolicy)
		}
		files.ServeHTTP(w, r)
	})
}

// servePageWithNonce serves an HTML page with a fresh CSP nonce in the
// Content-Security-Policy header and in place of NoncePlaceholder in the page.
func (p Policy) servePageWithNonce(w http.ResponseWriter, r *http.Request, fsys fs.FS) {
	name := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
	if name == "" || strings.HasSuffix(r.URL.Path, "/") {
		name = path.Join(name, "index.html")
	}
	page, err := fs.ReadFile(fsys, name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	var random [16]byte
	if _, err := rand.Read(random[:]); err != nil {
		http.Error(w, "server: no randomness for a CSP nonce", http.StatusInternalServerError)
		return
	}
	nonce := base64.StdEncoding.EncodeToString(random[:])
	h := w.Header()
	h.Set("Content-Security-Policy", strings.ReplaceAll(p.ContentSecurityPolicy, NonceToken, nonce))
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store") // the nonce is per response
	_, _ = w.Write([]byte(strings.ReplaceAll(string(page), NoncePlaceholder, nonce)))
}

// JSON serves v as a JSON document, revalidated on each use through its ETag.
func JSON(v any, p Policy) (http.Handler, error) {
	body, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("server: encoding JSON document: %w", err)
	}
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	modified := time.Now()
	return p.wrap(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-cache")
		w.Header().Set("ETag", etag)
		http.ServeContent(w, r, "", modified, strings.NewReader(string(body)))
	}), nil
}

// wrap adds the headers every response gets and answers CORS preflights.
func (p Policy) wrap(next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		if origin := r.Header.Get("Origin"); origin != "" {
			h.Add("Vary", "Origin")
			if slices.Contains(p.AllowedOrigins, origin) {
				h.Set("Access-Control-Allow-Origin", origin)
				if r.Method == http.MethodOptions {
					h.Set("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
					h.Set("Access-Control-Allow-Headers", r.Header.Get("Access-Control-Request-Headers"))
					h.Set("Access-Control-Max-Age", "600")
					w.WriteHeader(http.StatusNoContent)
					return
				}
			}
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			h.Set("Allow", "GET, HEAD, OPTIONS")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		next(w, r)
	})
}

// ListenLoopback listens on addr, which must name a loopback host: fedwasm's
// development servers never bind other interfaces.
func ListenLoopback(addr string) (net.Listener, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("server: address %q is not host:port: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, fmt.Errorf("server: address %q is not on loopback; use 127.0.0.1:<port>", addr)
	}
	return net.Listen("tcp", addr)
}
