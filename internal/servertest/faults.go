// Package servertest is test support for fedwasm's browser tests: a
// fault-injecting middleware and a JSON document handler.
package servertest

import (
	"bytes"
	"fmt"
	"mime"
	"net"
	"net/http"
	"path"
	"sync"
	"time"
)

// Fault is what Faults does to the requests of one path. Faults combine:
// Latency and Hold are waited first, then the response is a Reset, a Status, a
// Truncate or a Body, in that order of precedence (one of them at most
// applies; Latency alone delays an otherwise normal response).
type Fault struct {
	// Latency delays the response (the wait ends early if the client goes away).
	Latency time.Duration
	// Hold, when not nil, delays the response until it is closed (or the
	// client goes away): a test decides when a request in flight completes.
	Hold <-chan struct{}
	// Status answers with this HTTP status (e.g. 503) and a short text body,
	// keeping the headers the wrapped handler sets (CORS, caching), as a
	// failing CDN edge in front of the same origin would.
	Status int
	// Reset closes the connection without any response (a TCP reset where the
	// connection allows it).
	Reset bool
	// Truncate sends the wrapped handler's status and headers with the
	// Content-Length of its full body, then half the body, then closes the
	// connection.
	Truncate bool
	// Body replaces the response body: the answer is 200 with the wrapped
	// handler's headers (CORS, caching) and this body, whether or not the
	// wrapped handler has the path. A path that exists only in the fault
	// config is a synthetic file.
	Body []byte
	// ContentType is Body's type; empty: by the path's extension.
	ContentType string
	// Times applies the fault to the first Times requests of the path only
	// (later ones pass through: a transient fault a retry heals); 0: always.
	Times int
	// After lets the first After requests of the path pass through; the fault
	// applies from the next one on (a file that changes between two fetches).
	After int
}

// Faults is a fault-injecting middleware for tests: it wraps a handler and
// applies a Fault to the requests whose URL path (without the query) has one.
// Requests are counted per path (GET and HEAD; CORS preflights pass through
// uncounted), and Hits reports the counts. It is safe for concurrent use.
type Faults struct {
	next  http.Handler
	mu    sync.Mutex
	rules map[string]Fault
	hits  map[string]int
}

// NewFaults wraps next with rules, keyed by URL path ("/remote.js").
func NewFaults(next http.Handler, rules map[string]Fault) *Faults {
	f := &Faults{next: next, rules: map[string]Fault{}, hits: map[string]int{}}
	for p, rule := range rules {
		f.rules[p] = rule
	}
	return f
}

// Set replaces the rule of path; the zero Fault removes it.
func (f *Faults) Set(path string, rule Fault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if rule.isZero() {
		delete(f.rules, path)
		return
	}
	f.rules[path] = rule
}

// Hits returns how many GET or HEAD requests path has had (with or without a fault).
func (f *Faults) Hits(path string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.hits[path]
}

// ResetHits forgets the counts, so Times applies afresh.
func (f *Faults) ResetHits() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.hits = map[string]int{}
}

func (rule Fault) isZero() bool {
	return rule.Latency == 0 && rule.Hold == nil && rule.Status == 0 && !rule.Reset && !rule.Truncate && rule.Body == nil && rule.ContentType == "" && rule.Times == 0 && rule.After == 0
}

// take counts a request of path and returns the fault that applies to it.
func (f *Faults) take(r *http.Request) (Fault, bool) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return Fault{}, false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.hits[r.URL.Path]++
	rule, ok := f.rules[r.URL.Path]
	if !ok || (rule.Times > 0 && f.hits[r.URL.Path] > rule.Times) || f.hits[r.URL.Path] <= rule.After {
		return Fault{}, false
	}
	return rule, true
}

func (f *Faults) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rule, ok := f.take(r)
	if !ok {
		f.next.ServeHTTP(w, r)
		return
	}
	if rule.Latency > 0 {
		timer := time.NewTimer(rule.Latency)
		select {
		case <-timer.C:
		case <-r.Context().Done():
			timer.Stop()
			return
		}
	}
	if rule.Hold != nil {
		select {
		case <-rule.Hold:
		case <-r.Context().Done():
			return
		}
	}
	switch {
	case rule.Reset:
		resetConnection(w)
	case rule.Status != 0:
		rec := f.record(r)
		copyHeaders(w.Header(), rec.header)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(rule.Status)
		_, _ = fmt.Fprintf(w, "fault injected: HTTP %d %s\n", rule.Status, http.StatusText(rule.Status))
	case rule.Truncate:
		rec := f.record(r)
		copyHeaders(w.Header(), rec.header)
		body := rec.body.Bytes()
		w.Header().Set("Content-Length", fmt.Sprint(len(body)))
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(rec.status)
		if r.Method != http.MethodHead {
			_, _ = w.Write(body[:len(body)/2])
		}
		if fl, ok := w.(http.Flusher); ok {
			fl.Flush()
		}
		// The server closes the connection without finishing the response.
		panic(http.ErrAbortHandler)
	case rule.Body != nil:
		rec := f.record(r)
		copyHeaders(w.Header(), rec.header)
		ct := rule.ContentType
		if ct == "" {
			ct = mime.TypeByExtension(path.Ext(r.URL.Path))
		}
		if ct == "" {
			ct = "application/octet-stream"
		}
		w.Header().Set("Content-Type", ct)
		w.Header().Set("Content-Length", fmt.Sprint(len(rule.Body)))
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusOK)
		if r.Method != http.MethodHead {
			_, _ = w.Write(rule.Body)
		}
	default:
		f.next.ServeHTTP(w, r)
	}
}

// record runs the wrapped handler for r, unconditionally (no 304), into memory.
func (f *Faults) record(r *http.Request) *recorder {
	r = r.Clone(r.Context())
	for _, h := range []string{"If-None-Match", "If-Modified-Since", "If-Match", "If-Unmodified-Since", "If-Range", "Range"} {
		r.Header.Del(h)
	}
	rec := &recorder{header: http.Header{}, status: http.StatusOK}
	f.next.ServeHTTP(rec, r)
	return rec
}

// copyHeaders copies the recorded headers, except those that describe the
// recorded body rather than the response Faults sends.
func copyHeaders(dst, src http.Header) {
	for k, v := range src {
		switch http.CanonicalHeaderKey(k) {
		case "Content-Length", "Content-Type", "Content-Encoding", "Etag", "Last-Modified", "Accept-Ranges", "Content-Range":
			continue
		}
		dst[k] = append([]string(nil), v...)
	}
	if ct := src.Get("Content-Type"); ct != "" {
		dst.Set("Content-Type", ct)
	}
}

// resetConnection closes the client's connection without a response: a TCP
// reset (SO_LINGER 0) where the connection can be hijacked, else the
// server's own abort.
func resetConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	_ = conn.Close()
}

// recorder is an in-memory http.ResponseWriter.
type recorder struct {
	header      http.Header
	status      int
	wroteHeader bool
	body        bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if !r.wroteHeader {
		r.status, r.wroteHeader = status, true
	}
}

func (r *recorder) Write(p []byte) (int, error) {
	r.WriteHeader(http.StatusOK)
	return r.body.Write(p)
}
