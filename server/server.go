// Package server is fedwasm's HTTP side: an http.Handler that serves the
// runtime, host and remote files and configs with the headers federation needs
// (application/wasm, CORS from an allowlist, immutable caching for
// content-hashed files and no-cache for entry files).
package server

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"hash/crc64"
	"io"
	"io/fs"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
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
// Every file gets a strong ETag from its content (so If-None-Match gets 304
// on net/http and on a Workers isolate alike, where embedded files have no
// modification time).
func Files(fsys fs.FS, p Policy) http.Handler {
	fsys = impossibleAsMissing{fsys}
	files := http.FileServerFS(fsys)
	tags := &etags{m: map[string]etag{}}
	return p.wrap(func(w http.ResponseWriter, r *http.Request) {
		name := path.Base(r.URL.Path)
		w.Header().Set("Cache-Control", cacheControl(name))
		isPage := strings.HasSuffix(r.URL.Path, "/") || strings.HasSuffix(name, ".html")
		if isPage && strings.Contains(p.ContentSecurityPolicy, NonceToken) {
			p.servePageWithNonce(w, r, fsys)
			return
		}
		if isPage && p.ContentSecurityPolicy != "" {
			w.Header().Set("Content-Security-Policy", p.ContentSecurityPolicy)
		}
		if servePrecompressed(w, r, fsys, tags) {
			return
		}
		if name := strings.TrimPrefix(path.Clean(r.URL.Path), "/"); name != "" && !strings.HasSuffix(r.URL.Path, "/") {
			if f, err := fsys.Open(name); err == nil {
				if tag := tags.of(name, f); tag != "" {
					w.Header().Set("ETag", tag)
				}
				f.Close()
			}
		}
		files.ServeHTTP(w, r)
	})
}

// cacheControl is a served file's Cache-Control: a year, immutable, for a
// content-hashed name; revalidated on every use (no-cache) otherwise.
func cacheControl(name string) string {
	if contentHashed.MatchString(name) {
		return "public, max-age=31536000, immutable"
	}
	return "no-cache"
}

// impossibleAsMissing is a file system whose names that cannot exist there
// (too long for the file system, or not valid names) are reported as missing:
// http.FileServer answers any other open error with 500.
type impossibleAsMissing struct{ fs.FS }

func (f impossibleAsMissing) Open(name string) (fs.File, error) {
	file, err := f.FS.Open(name)
	if err != nil && (errors.Is(err, fs.ErrInvalid) || errors.Is(err, syscall.ENAMETOOLONG)) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return file, err
}

// etags memoizes the ETags of files by name, size and modification time.
type etags struct {
	mu sync.Mutex
	m  map[string]etag // by file name: one entry per file, replaced when it changes
}

type etag struct {
	size    int64
	modTime time.Time
	tag     string
}

// of returns the ETag of f, a regular file named name ("" for anything else),
// and leaves f at its start when f can seek.
func (t *etags) of(name string, f fs.File) string {
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() {
		return ""
	}
	t.mu.Lock()
	known, ok := t.m[name]
	t.mu.Unlock()
	if ok && known.size == info.Size() && known.modTime.Equal(info.ModTime()) {
		return known.tag
	}
	tag, err := contentETag(f, info.Size())
	if err != nil {
		return ""
	}
	if seeker, ok := f.(io.Seeker); ok {
		if _, err := seeker.Seek(0, io.SeekStart); err != nil {
			return ""
		}
	}
	t.mu.Lock()
	t.m[name] = etag{info.Size(), info.ModTime(), tag}
	t.mu.Unlock()
	return tag
}

var crcTable = crc64.MakeTable(crc64.ECMA)

// contentETag is the strong ETag of size bytes read from r: the size and
// the CRC-64 of the content, so a file has the same tag on every deployment.
func contentETag(r io.Reader, size int64) (string, error) {
	h := crc64.New(crcTable)
	if _, err := io.Copy(h, r); err != nil {
		return "", err
	}
	return `"` + strconv.FormatInt(size, 36) + "-" + strconv.FormatUint(h.Sum64(), 36) + `"`, nil
}

// precompressed lists the encodings served from files beside the original
// (name.br, name.gz), most preferred first.
var precompressed = []struct{ encoding, suffix string }{{"br", ".br"}, {"gzip", ".gz"}}

// servePrecompressed serves name.br or name.gz in place of name when the
// client accepts that encoding and the file exists; it reports whether it did.
func servePrecompressed(w http.ResponseWriter, r *http.Request, fsys fs.FS, tags *etags) bool {
	name := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
	if name == "" || name == "." || strings.HasSuffix(r.URL.Path, "/") {
		return false
	}
	accept := strings.Join(r.Header.Values("Accept-Encoding"), ",") // one header may arrive as several values (syumai/workers splits them)
	for _, p := range precompressed {
		if !acceptsEncoding(accept, p.encoding) {
			continue
		}
		f, err := fsys.Open(name + p.suffix)
		if err != nil {
			continue
		}
		defer f.Close()
		info, err := f.Stat()
		seeker, ok := f.(io.ReadSeeker)
		if err != nil || !ok {
			return false
		}
		h := w.Header()
		h.Add("Vary", "Accept-Encoding")
		h.Set("Content-Encoding", p.encoding)
		if tag := tags.of(name+p.suffix, f); tag != "" {
			h.Set("ETag", tag)
		}
		if ct := mime.TypeByExtension(path.Ext(name)); ct != "" {
			h.Set("Content-Type", ct)
		}
		http.ServeContent(w, r, "", info.ModTime(), seeker)
		return true
	}
	w.Header().Add("Vary", "Accept-Encoding")
	return false
}

// acceptsEncoding reports whether an Accept-Encoding header allows enc
// (listed with a q-value above 0; "*" does not count).
func acceptsEncoding(header, enc string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), enc) {
			continue
		}
		q := 1.0
		for _, param := range strings.Split(params, ";") {
			if k, v, ok := strings.Cut(strings.TrimSpace(param), "="); ok && strings.TrimSpace(k) == "q" {
				if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
					q = f
				}
			}
		}
		return q > 0
	}
	return false
}

// Logged logs every request with log/slog: method, path, status, bytes and duration.
func Logged(h http.Handler, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(rec, r)
		log.Info("request", "method", r.Method, "path", r.URL.Path, "status", rec.status, "bytes", rec.bytes,
			"ms", float64(time.Since(start).Microseconds())/1000, "origin", r.Header.Get("Origin"))
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (s *statusRecorder) WriteHeader(code int) { s.status = code; s.ResponseWriter.WriteHeader(code) }

func (s *statusRecorder) Write(b []byte) (int, error) {
	n, err := s.ResponseWriter.Write(b)
	s.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer (hijack, flush).
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

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
	nonce, err := p.pageHeaders(w.Header())
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	_, _ = w.Write([]byte(strings.ReplaceAll(string(page), NoncePlaceholder, nonce)))
}

// pageHeaders sets the headers of an HTML page: its content type, and the
// Content-Security-Policy when p has one. Where the policy holds NonceToken,
// it returns the fresh nonce put there (the page carries it in place of
// NoncePlaceholder), and the page is no-store, since the nonce is per
// response; otherwise it is no-cache.
func (p Policy) pageHeaders(h http.Header) (nonce string, err error) {
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	if p.ContentSecurityPolicy == "" {
		return "", nil
	}
	if !strings.Contains(p.ContentSecurityPolicy, NonceToken) {
		h.Set("Content-Security-Policy", p.ContentSecurityPolicy)
		return "", nil
	}
	var random [16]byte
	if _, err := rand.Read(random[:]); err != nil {
		return "", errors.New("server: no randomness for a CSP nonce")
	}
	nonce = base64.StdEncoding.EncodeToString(random[:])
	h.Set("Content-Security-Policy", strings.ReplaceAll(p.ContentSecurityPolicy, NonceToken, nonce))
	h.Set("Cache-Control", "no-store")
	return nonce, nil
}

// wrap adds the headers every response gets, answers a URI no file can have
// with 400 or 414 (checkURI), CORS preflights, and OPTIONS with what the
// site allows; next gets GET and HEAD.
func (p Policy) wrap(next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		if checkURI(w, r) {
			return
		}
		origin := r.Header.Get("Origin")
		if origin != "" {
			h.Add("Vary", "Origin")
			if slices.Contains(p.AllowedOrigins, origin) {
				h.Set("Access-Control-Allow-Origin", origin)
				if r.Method == http.MethodOptions {
					h.Set("Access-Control-Allow-Methods", allowedMethods)
					h.Set("Access-Control-Allow-Headers", strings.Join(r.Header.Values("Access-Control-Request-Headers"), ", "))
					h.Set("Access-Control-Max-Age", "600")
					w.WriteHeader(http.StatusNoContent)
					return
				}
			}
		}
		preflight := origin != "" && r.Header.Get("Access-Control-Request-Method") != ""
		if r.Method == http.MethodOptions && !preflight {
			h.Set("Allow", allowedMethods) // OPTIONS asks what the resource allows
			w.WriteHeader(http.StatusNoContent)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			h.Set("Allow", allowedMethods)
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
