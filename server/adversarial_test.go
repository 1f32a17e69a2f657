package server_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"log/slog"
	"maps"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fedwasm/fedwasm/server"
)

// hostile is one hostile request: the bytes sent over a raw TCP connection
// (so nothing a client library refuses is left out) and the rule its answer
// keeps. Every answer must also be below 500, except where rule allows the
// two statuses HTTP prescribes before any handler runs (505 for an HTTP
// version other than 1.x, 501 for a transfer coding it does not know).
type hostile struct {
	name string
	raw  string
	head bool                                       // a HEAD request: the response has no body
	rule func(r *http.Response, body []byte) string // what broke, "" when nothing did
}

// adversarialServer is a Site on a real loopback server as fedwasm serve
// runs it (files on disk, a public origin, NewHTTPServer) with short limits.
type adversarialServer struct {
	addr, origin string
	errorLog     *syncBuilder // net/http's own log: a handler panic shows here
	health       *http.Client
}

// adversarialHeaderTimeout is short, so the slow clients are dropped soon,
// and long enough that a loaded machine still delivers every hostile
// request's bytes within it (a request whose header time runs out is closed
// without an answer).
const adversarialHeaderTimeout = time.Second

func startAdversarialServer(t *testing.T) *adversarialServer {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, siteFS); err != nil {
		t.Fatal(err)
	}
	ln, err := server.ListenLoopback("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &adversarialServer{addr: ln.Addr().String(), origin: "http://" + ln.Addr().String(), errorLog: &syncBuilder{},
		health: &http.Client{Timeout: 5 * time.Second}}
	h, err := server.NewSite(os.DirFS(dir), server.Site{Policy: server.Policy{AllowedOrigins: []string{"http://shell.test"}},
		Version: "adversarial", PublicOrigin: s.origin, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	srv := server.NewHTTPServer(h, server.Limits{ReadHeaderTimeout: adversarialHeaderTimeout, ReadTimeout: 2 * adversarialHeaderTimeout,
		IdleTimeout: 2 * adversarialHeaderTimeout})
	srv.ErrorLog = log.New(s.errorLog, "", 0)
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return s
}

// healthy reports what is wrong with /healthz ("" when it answers ok).
func (s *adversarialServer) healthy() string {
	resp, err := s.health.Get(s.origin + "/healthz")
	if err != nil {
		return err.Error()
	}
	defer resp.Body.Close()
	var body struct{ Status string }
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || resp.StatusCode != 200 || body.Status != "ok" {
		return fmt.Sprintf("/healthz: status %d, %+v, %v", resp.StatusCode, body, err)
	}
	return ""
}

// send writes in.raw on a new connection and reads one response.
func (s *adversarialServer) send(in hostile) (*http.Response, []byte, error) {
	conn, err := net.Dial("tcp", s.addr)
	if err != nil {
		return nil, nil, err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	go func() { _, _ = io.WriteString(conn, in.raw) }() // the server may answer before it has read it all
	method := http.MethodGet
	if in.head {
		method = http.MethodHead
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: method})
	if err != nil {
		return nil, nil, err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	return resp, body, err
}

// The rules.

func status(want ...int) func(*http.Response, []byte) string {
	return func(r *http.Response, _ []byte) string {
		if slices.Contains(want, r.StatusCode) {
			return ""
		}
		return fmt.Sprintf("status %d, want one of %v", r.StatusCode, want)
	}
}

func below500(r *http.Response, _ []byte) string {
	if r.StatusCode >= 500 {
		return fmt.Sprintf("status %d", r.StatusCode)
	}
	return ""
}

func all(rules ...func(*http.Response, []byte) string) func(*http.Response, []byte) string {
	return func(r *http.Response, body []byte) string {
		for _, rule := range rules {
			if broke := rule(r, body); broke != "" {
				return broke
			}
		}
		return ""
	}
}

func allowsSiteMethods(r *http.Response, _ []byte) string {
	if got := r.Header.Get("Allow"); got != "GET, HEAD, OPTIONS" {
		return fmt.Sprintf("status %d with Allow %q, want GET, HEAD, OPTIONS", r.StatusCode, got)
	}
	return ""
}

// notLeaking: no byte of a file outside the served directories (the registry
// file, /etc/passwd) reaches the client.
func notLeaking(r *http.Response, body []byte) string {
	for _, secret := range []string{`"hosts"`, "root:"} {
		if bytes.Contains(body, []byte(secret)) {
			return fmt.Sprintf("status %d, the body holds %q", r.StatusCode, secret)
		}
	}
	return ""
}

// sameOriginRedirect: a redirect (net/http's ServeMux cleans paths with one)
// stays on the site: its Location is a path that no browser reads as another
// host ("//host" or "/\host").
func sameOriginRedirect(r *http.Response, _ []byte) string {
	if r.StatusCode < 300 || r.StatusCode > 399 {
		return ""
	}
	loc := r.Header.Get("Location")
	if !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") || strings.HasPrefix(loc, "/\\") {
		return fmt.Sprintf("status %d to %q, another origin", r.StatusCode, loc)
	}
	return ""
}

// request is a request line and headers (Host: 127.0.0.1 unless host says otherwise).
func request(method, target string, headers ...string) string {
	host := "Host: 127.0.0.1\r\n"
	for _, h := range headers {
		if strings.HasPrefix(strings.ToLower(h), "host:") {
			host = ""
		}
	}
	return method + " " + target + " HTTP/1.1\r\n" + host + strings.Join(append(headers, "Connection: close"), "\r\n") + "\r\n\r\n"
}

// hostileInputs is the replayed set: each byte in each place of a path (raw
// and percent-encoded), broken escapes, long URIs and names, traversals,
// methods, headers, HTTP versions, forged hosts and binary garbage.
func hostileInputs(origin string) []hostile {
	var in []hostile
	add := func(name, raw string, rule func(*http.Response, []byte) string) {
		in = append(in, hostile{name: name, raw: raw, rule: all(rule, notLeaking)})
	}
	for _, prefix := range []string{"/fedwasm/", "/remotes/", "/", "/federation.json/"} {
		for b := range 256 {
			c := byte(b)
			bad := c < 0x20 || c == 0x7f || c >= 0x80 // a control byte, or a byte alone that is not UTF-8
			escaped := fmt.Sprintf("%sx%%%02Xy.js", prefix, c)
			if bad {
				add("escaped byte "+escaped, request("GET", escaped), status(400))
			} else {
				add("escaped byte "+escaped, request("GET", escaped), below500)
			}
			raw := prefix + "x" + string([]byte{c}) + "y.js"
			if bad || c == ' ' {
				add(fmt.Sprintf("raw byte %#02x after %s", c, prefix), request("GET", raw), status(400))
			} else {
				add(fmt.Sprintf("raw byte %#02x after %s", c, prefix), request("GET", raw), below500)
			}
		}
	}
	for _, escape := range []string{"%", "%z", "%zz", "%0", "%0g", "%g0", "%%", "%%30%30", "%u0000", "%c3%28", "%e2%82", "%f0%9f%98", "%c0%80", "%ed%bf%bf"} {
		for _, at := range []string{"/fedwasm/", "/federation.json", "/"} {
			add("escape "+escape+" at "+at, request("GET", at+escape), status(400))
		}
	}
	for _, n := range []int{server.MaxURIBytes + 1, 9000, 16 << 10, 32 << 10, 60 << 10} {
		add(fmt.Sprintf("a %d-byte path", n), request("GET", "/fedwasm/"+strings.Repeat("a", n)), status(414))
		add(fmt.Sprintf("a %d-byte query", n), request("GET", "/federation.json?host="+strings.Repeat("h", n)), status(414))
	}
	for _, n := range []int{70 << 10, 200 << 10, 1 << 20} { // above MaxHeaderBytes: net/http answers first
		add(fmt.Sprintf("a %d-byte path", n), request("GET", "/fedwasm/"+strings.Repeat("a", n)), status(414, 431))
	}
	add("a path just under the limit", request("GET", "/fedwasm/"+strings.Repeat("a", server.MaxURIBytes-100)), status(404))
	for _, n := range []int{255, 256, 300, 1000, 4000} {
		add(fmt.Sprintf("a %d-byte file name", n), request("GET", "/fedwasm/"+strings.Repeat("n", n)), status(404))
	}
	for _, depth := range []int{100, 1000, 2000} {
		add(fmt.Sprintf("a path %d directories deep", depth), request("GET", "/remotes/"+strings.Repeat("d/", depth)+"x.js"), status(404))
	}
	for _, p := range []string{"/fedwasm/../registry.json", "/fedwasm/..%2fregistry.json", "/fedwasm/%2e%2e/registry.json", "/fedwasm/%2e%2e%2fregistry.json",
		"/remotes/../../../../etc/passwd", "/remotes/..%2f..%2f..%2f..%2fetc%2fpasswd", "/fedwasm/..\\registry.json", "/fedwasm/..%5cregistry.json",
		"/fedwasm/%252e%252e/registry.json", "//registry.json", "/fedwasm//../registry.json", "/./registry.json", "/registry.json",
		"/fedwasm/....//registry.json", "/fedwasm/%2e%2e%5c%2e%2e%5cetc%5cpasswd", "/remotes/%c0%ae%c0%ae/registry.json", "/fedwasm/.%00./registry.json"} {
		add("traversal "+p, request("GET", p), below500)
	}
	for _, p := range []string{"//evil.example/..", "/..//evil.example", "/.//evil.example/", "/..//\\evil.example", "/fedwasm/..//\\evil.example/x",
		"/./%2f%2fevil.example", "/fedwasm/.././/evil.example"} {
		add("redirect "+p, request("GET", p), all(below500, sameOriginRedirect))
	}
	for _, m := range []string{"POST", "PUT", "DELETE", "PATCH", "TRACE", "PROPFIND", "MKCOL", "LOCK", "BREW", "get", "Get", "SEARCH", "QUERY",
		strings.Repeat("X", 4000)} {
		for _, target := range []string{"/fedwasm/loader.js", "/federation.json?host=shell", "/healthz", "/nothing"} {
			add(fmt.Sprintf("method %.20s on %s", m, target), request(m, target, "Content-Length: 0"), all(status(405), allowsSiteMethods))
		}
	}
	for _, target := range []string{"/fedwasm/loader.js", "/federation.json?host=shell", "/healthz", "/nothing", "*"} {
		add("OPTIONS "+target, request("OPTIONS", target), all(status(200, 204), allowsSiteMethodsUnlessAsterisk(target)))
		add("OPTIONS from another origin "+target, request("OPTIONS", target, "Origin: http://evil.example"), all(status(200, 204), allowsSiteMethodsUnlessAsterisk(target)))
		add("preflight from another origin "+target, request("OPTIONS", target, "Origin: http://evil.example", "Access-Control-Request-Method: GET"),
			status(200, 405))
	}
	for _, m := range []string{"G@T", "GET\x00", "GE T", "\x00", "G\xffT", "(GET)"} {
		add(fmt.Sprintf("method %q", m), request(m, "/fedwasm/loader.js"), status(400))
	}
	add("CONNECT", "CONNECT 127.0.0.1:443 HTTP/1.1\r\nHost: 127.0.0.1:443\r\n\r\n", below500)
	add("CONNECT to a path", request("CONNECT", "/fedwasm/loader.js"), below500)
	add("GET *", request("GET", "*"), below500)
	add("an absolute-form target", request("GET", "http://127.0.0.1/fedwasm/loader.js"), status(200))
	add("an empty target", "GET  HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", status(400))
	add("a relative target", request("GET", "fedwasm/loader.js"), status(400))
	add("no version", "GET /fedwasm/loader.js\r\nHost: 127.0.0.1\r\n\r\n", status(400))
	for _, v := range []string{"HTTP/1.0", "HTTP/1.2", "HTTP/1.10", "HTTP/1", "HTTP/1.1.1", "HTTP/11", "FOO/1.1", "http/1.1", "HTTP/-1.1", "HTTP/1.1 extra"} {
		add("version "+v, "GET /fedwasm/loader.js "+v+"\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", below500)
	}
	for _, v := range []string{"HTTP/0.9", "HTTP/2.0", "HTTP/3.0", "HTTP/9.9"} {
		add("version "+v, "GET /fedwasm/loader.js "+v+"\r\nHost: 127.0.0.1\r\n\r\n", status(400, http.StatusHTTPVersionNotSupported))
	}
	add("the HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", status(400, 405, http.StatusHTTPVersionNotSupported))
	headerCases := []struct {
		name    string
		headers []string
		rule    func(*http.Response, []byte) string
	}{
		{"5,000 headers", slices.Repeat([]string{"X-Flood: 0123456789"}, 5000), status(431)},
		{"one 100 KB header", []string{"X-Big: " + strings.Repeat("b", 100<<10)}, status(431)},
		{"one 10 KB header", []string{"X-Big: " + strings.Repeat("b", 10<<10)}, status(200)},
		{"a NUL in a value", []string{"X-Nul: a\x00b"}, status(400)},
		{"a CR in a value", []string{"X-Cr: a\rb"}, status(400)},
		{"invalid UTF-8 in a value", []string{"X-Bytes: \xff\xfe"}, status(200)},
		{"a space in a name", []string{"X Bad: 1"}, status(400)},
		{"no colon", []string{"X-NoColon"}, status(400)},
		{"an empty name", []string{": 1"}, status(400)},
		{"two Host headers", []string{"Host: 127.0.0.1", "Host: evil.example"}, status(400)},
		{"no Host", []string{"Host:"}, below500},
		{"a Host with a space", []string{"Host: evil example"}, status(400)},
		{"a Host with a slash", []string{"Host: evil.example/x"}, status(400)},
		{"a Host with a NUL", []string{"Host: evil\x00.example"}, status(400)},
		{"Content-Length and Transfer-Encoding", []string{"Content-Length: 5", "Transfer-Encoding: chunked"}, below500},
		{"a negative Content-Length", []string{"Content-Length: -1"}, status(400)},
		{"two Content-Lengths", []string{"Content-Length: 1", "Content-Length: 2"}, status(400)},
		{"a huge Content-Length", []string{"Content-Length: 99999999999999999999"}, status(400)},
		{"an unknown transfer coding", []string{"Transfer-Encoding: gzip, chunked"}, status(400, http.StatusNotImplemented)},
		{"a folded header", []string{"X-Folded: a", " b"}, below500},
		{"a Range that does not parse", []string{"Range: bytes=zz-"}, below500},
		{"10,000 ranges", []string{"Range: bytes=" + strings.TrimSuffix(strings.Repeat("0-0,", 10000), ",")}, status(200, 206, 416, 431)},
		{"an Accept-Encoding list", []string{"Accept-Encoding: " + strings.Repeat("br;q=0.5, gzip;q=x, ", 500)}, status(200)},
		{"an If-None-Match list", []string{"If-None-Match: " + strings.Repeat(`"x", `, 2000)}, status(200)},
		{"an If-Modified-Since that does not parse", []string{"If-Modified-Since: yesterday"}, status(200)},
	}
	for _, c := range headerCases {
		add("headers: "+c.name, request("GET", "/fedwasm/loader.js", c.headers...), c.rule)
	}
	for _, c := range []struct {
		target string
		status int
	}{{"/fedwasm/loader.js", 200}, {"/fedwasm/x%00", 400}, {"/fedwasm/%ff", 400}, {"/fedwasm/" + strings.Repeat("a", 9000), 414},
		{"/federation.json?host=shell", 200}, {"/healthz", 200}, {"/nothing", 404}} {
		in = append(in, hostile{name: "HEAD " + c.target[:min(len(c.target), 40)], raw: request("HEAD", c.target), head: true, rule: status(c.status)})
	}
	add("a chunked body that does not parse", "POST /fedwasm/loader.js HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", status(400, 405))
	add("a body on GET", request("GET", "/fedwasm/loader.js", "Content-Length: 5")+"abcde", status(200))
	// A forged host must not reach the registry's answer.
	onPublicOrigin := func(r *http.Response, body []byte) string {
		if r.StatusCode != 200 || bytes.Contains(body, []byte("evil")) || !bytes.Contains(body, []byte(`"entry": "`+origin+`/remotes/`)) {
			return fmt.Sprintf("status %d, body %.300s: want the entries on %s", r.StatusCode, body, origin)
		}
		return ""
	}
	for _, headers := range [][]string{{"Host: evil.example"}, {"Host: evil.example:443"}, {"Host: 127.0.0.1", "X-Forwarded-Host: evil.example"},
		{"Host: 127.0.0.1", "Forwarded: host=evil.example;proto=https"}, {"Host: 127.0.0.1", "X-Forwarded-Proto: evil"}, {"Host: [::1]"}, {"Host: evil.example."}} {
		add("forged host: "+strings.Join(headers, ", "), request("GET", "/federation.json?host=shell", headers...), onPublicOrigin)
	}
	add("forged host: an absolute-form target", request("GET", "http://evil.example/federation.json?host=shell"), onPublicOrigin)
	add("forged host: an https absolute-form target", request("GET", "https://evil.example/federation.json?host=shell"), onPublicOrigin)
	// Garbage: a seeded generator, so a failure replays.
	rng := rand.New(rand.NewPCG(18, 5))
	for i := range 200 {
		junk := make([]byte, 1+rng.IntN(2000))
		for j := range junk {
			junk[j] = byte(rng.UintN(256))
		}
		add(fmt.Sprintf("garbage #%d (%d bytes)", i, len(junk)), string(junk)+"\r\n\r\n", status(400, 431))
	}
	add("a TLS ClientHello", "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03"+strings.Repeat("\x00", 40)+"\r\n\r\n", status(400))
	return in
}

// allowsSiteMethodsUnlessAsterisk: net/http answers "OPTIONS *" itself (200,
// no Allow); any other OPTIONS says what the site allows.
func allowsSiteMethodsUnlessAsterisk(target string) func(*http.Response, []byte) string {
	if target == "*" {
		return below500
	}
	return allowsSiteMethods
}

// TestAdversarialHTTP replays hostile requests against a real server on
// 127.0.0.1 and checks /healthz after each. A failure is an answer that broke
// its rule; a crash is a handler panic (net/http logs it and drops the
// connection) or a server that no longer answers /healthz.
func TestAdversarialHTTP(t *testing.T) {
	s := startAdversarialServer(t)
	var (
		inputs, failures, crashes int
		problems                  []string
	)
	fail := func(format string, args ...any) {
		failures++
		problems = append(problems, fmt.Sprintf(format, args...))
	}
	crash := func(format string, args ...any) {
		crashes++
		problems = append(problems, "CRASH "+fmt.Sprintf(format, args...))
	}
	checkServer := func(after string) {
		if problem := s.healthy(); problem != "" {
			crash("after %s the server is not healthy: %s", after, problem)
		}
		if strings.Contains(s.errorLog.String(), "panic") {
			crash("after %s net/http logged a panic: %s", after, s.errorLog)
		}
	}

	statuses := map[int]int{}
	for _, in := range hostileInputs(s.origin) {
		inputs++
		resp, body, err := s.send(in)
		if err != nil {
			fail("%s: no response: %v", in.name, err)
		} else {
			statuses[resp.StatusCode]++
			if broke := in.rule(resp, body); broke != "" {
				fail("%s: %s", in.name, broke)
			}
		}
		checkServer(in.name)
	}

	// Pipelined requests on one connection are each answered.
	inputs++
	if problem := pipelined(s, 100); problem != "" {
		fail("100 pipelined requests: %s", problem)
	}
	checkServer("100 pipelined requests")

	// Slow and silent clients: each connection is closed once the header
	// timeout has passed, and the server answers others meanwhile.
	const slow = 40
	closedIn := make(chan time.Duration, slow*2)
	var wg sync.WaitGroup
	for i := range slow * 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			closedIn <- holdOpen(s.addr, i%2 == 0)
		}()
	}
	time.Sleep(adversarialHeaderTimeout / 2)
	if problem := s.healthy(); problem != "" {
		crash("with %d slow clients connected the server is not healthy: %s", slow*2, problem)
	}
	wg.Wait()
	close(closedIn)
	for took := range closedIn {
		inputs++
		if took > adversarialHeaderTimeout+2*time.Second {
			fail("a slow or silent client was held for %v, want at most the header timeout (%v) and a margin", took, adversarialHeaderTimeout)
		}
	}
	checkServer("the slow clients")

	var counts []string
	for _, code := range slices.Sorted(maps.Keys(statuses)) {
		counts = append(counts, fmt.Sprintf("%d:%d", code, statuses[code]))
	}
	t.Logf("adversarial class=http statuses %s", strings.Join(counts, " "))
	t.Logf("adversarial class=http inputs=%d failures=%d crashes=%d", inputs, failures, crashes)
	if failures+crashes > 0 {
		t.Errorf("%d failures and %d crashes; the first:\n%s", failures, crashes, strings.Join(problems[:min(len(problems), 30)], "\n"))
	}
}

// pipelined writes n requests for loader.js at once and reads n answers.
func pipelined(s *adversarialServer, n int) string {
	conn, err := net.Dial("tcp", s.addr)
	if err != nil {
		return err.Error()
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	go func() {
		_, _ = io.WriteString(conn, strings.Repeat("GET /fedwasm/loader.js HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", n))
	}()
	br := bufio.NewReader(conn)
	for i := range n {
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			return fmt.Sprintf("answer %d: %v", i+1, err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			return fmt.Sprintf("answer %d: status %d", i+1, resp.StatusCode)
		}
	}
	return ""
}

// holdOpen connects and either trickles header lines (slowHeaders) or sends
// nothing, until the server closes the connection; it returns how long that took.
func holdOpen(addr string, slowHeaders bool) time.Duration {
	start := time.Now()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return 0
	}
	defer conn.Close()
	_ = conn.SetDeadline(start.Add(10 * time.Second))
	closed := make(chan struct{})
	go func() {
		_, _ = io.Copy(io.Discard, conn)
		close(closed)
	}()
	if slowHeaders {
		_, _ = io.WriteString(conn, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
	}
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-closed:
			return time.Since(start)
		case <-tick.C:
			if slowHeaders {
				_, _ = io.WriteString(conn, "X-Slow: 1\r\n")
			}
		}
	}
}
