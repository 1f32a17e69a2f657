package servertest_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/fedwasm/fedwasm/internal/servertest"
	"github.com/fedwasm/fedwasm/server"
)

const faultEntry = "export const ok = true; // a remote entry of some length, so that half of it is visible\n"

// faultServer serves faultEntry at /remote.js (with CORS for the host origin)
// through Faults with rules.
func faultServer(t *testing.T, rules map[string]servertest.Fault) (*httptest.Server, *servertest.Faults) {
	t.Helper()
	files := server.Files(fstest.MapFS{"remote.js": {Data: []byte(faultEntry)}}, server.Policy{AllowedOrigins: []string{"http://host.test"}})
	faults := servertest.NewFaults(files, rules)
	srv := httptest.NewServer(faults)
	t.Cleanup(srv.Close)
	return srv, faults
}

type faultResult struct {
	status  int
	body    string
	header  http.Header
	err     error // the request's
	readErr error // reading the body's
	took    time.Duration
}

func faultGet(t *testing.T, url string, header ...string) faultResult {
	t.Helper()
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 5 * time.Second}
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Origin", "http://host.test")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return faultResult{err: err, took: time.Since(start)}
	}
	defer resp.Body.Close()
	body, readErr := io.ReadAll(resp.Body)
	return faultResult{status: resp.StatusCode, body: string(body), header: resp.Header, readErr: readErr, took: time.Since(start)}
}

func TestFaults(t *testing.T) {
	const notJSON = "<!doctype html><p>this is not the manifest</p>"
	const throwing = "var broken = { init() { throw new Error('init exploded') }, get() {} };\n"
	cases := []struct {
		name  string
		rules map[string]servertest.Fault
		path  string
		check func(t *testing.T, r faultResult)
	}{
		{"a path without a rule passes through", map[string]servertest.Fault{"/other.js": {Status: 503}}, "/remote.js", func(t *testing.T, r faultResult) {
			if r.err != nil || r.status != 200 || r.body != faultEntry {
				t.Errorf("got %d %q (%v), want 200 with the file", r.status, r.body, r.err)
			}
		}},
		{"latency delays a normal response", map[string]servertest.Fault{"/remote.js": {Latency: 150 * time.Millisecond}}, "/remote.js", func(t *testing.T, r faultResult) {
			if r.status != 200 || r.body != faultEntry || r.took < 150*time.Millisecond {
				t.Errorf("got %d %q after %v, want 200 with the file after at least 150ms", r.status, r.body, r.took)
			}
		}},
		{"status answers 503 with the handler's CORS headers", map[string]servertest.Fault{"/remote.js": {Status: 503}}, "/remote.js", func(t *testing.T, r faultResult) {
			if r.status != 503 || !strings.Contains(r.body, "503") {
				t.Errorf("got %d %q, want 503", r.status, r.body)
			}
			if got := r.header.Get("Access-Control-Allow-Origin"); got != "http://host.test" {
				t.Errorf("Access-Control-Allow-Origin = %q, want the handler's http://host.test", got)
			}
			if got := r.header.Get("Cache-Control"); got != "no-store" {
				t.Errorf("Cache-Control = %q, want no-store", got)
			}
		}},
		{"reset closes the connection without a response", map[string]servertest.Fault{"/remote.js": {Reset: true}}, "/remote.js", func(t *testing.T, r faultResult) {
			if r.err == nil {
				t.Errorf("got %d %q, want a connection error", r.status, r.body)
			}
		}},
		{"truncate declares the full length and sends half", map[string]servertest.Fault{"/remote.js": {Truncate: true}}, "/remote.js", func(t *testing.T, r faultResult) {
			if r.err != nil || r.status != 200 {
				t.Fatalf("got %d (%v), want the status line and headers", r.status, r.err)
			}
			if !errors.Is(r.readErr, io.ErrUnexpectedEOF) {
				t.Errorf("reading the body: %v, want unexpected EOF", r.readErr)
			}
			if r.body != faultEntry[:len(faultEntry)/2] {
				t.Errorf("body %q, want the first half %q", r.body, faultEntry[:len(faultEntry)/2])
			}
		}},
		{"body replaces the content and keeps the handler's headers", map[string]servertest.Fault{"/remote.js": {Body: []byte("window.notAContainer = 1;")}}, "/remote.js", func(t *testing.T, r faultResult) {
			if r.status != 200 || r.body != "window.notAContainer = 1;" {
				t.Errorf("got %d %q, want 200 with the replaced body", r.status, r.body)
			}
			if !strings.HasPrefix(r.header.Get("Content-Type"), "text/javascript") || r.header.Get("Access-Control-Allow-Origin") != "http://host.test" {
				t.Errorf("headers %v, want text/javascript and the CORS header", r.header)
			}
		}},
		{"body serves a synthetic file the handler lacks", map[string]servertest.Fault{"/broken.js": {Body: []byte(throwing)}}, "/broken.js", func(t *testing.T, r faultResult) {
			if r.status != 200 || r.body != throwing || !strings.HasPrefix(r.header.Get("Content-Type"), "text/javascript") {
				t.Errorf("got %d %q (%s), want 200 with the synthetic script", r.status, r.body, r.header.Get("Content-Type"))
			}
		}},
		{"body with a content type: a manifest that is not JSON", map[string]servertest.Fault{"/mf-manifest.json": {Body: []byte(notJSON), ContentType: "application/json"}}, "/mf-manifest.json", func(t *testing.T, r faultResult) {
			if r.status != 200 || r.body != notJSON || r.header.Get("Content-Type") != "application/json" {
				t.Errorf("got %d %q (%s), want 200 application/json with the wrong body", r.status, r.body, r.header.Get("Content-Type"))
			}
		}},
		{"the query does not matter", map[string]servertest.Fault{"/remote.js": {Status: 500}}, "/remote.js?fedwasm-retry=1", func(t *testing.T, r faultResult) {
			if r.status != 500 {
				t.Errorf("got %d, want 500", r.status)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			srv, faults := faultServer(t, c.rules)
			c.check(t, faultGet(t, srv.URL+c.path))
			if got := faults.Hits(strings.SplitN(c.path, "?", 2)[0]); got != 1 {
				t.Errorf("Hits = %d, want 1", got)
			}
		})
	}
}

func TestFaultsBodyIgnoresConditionalRequests(t *testing.T) {
	srv, _ := faultServer(t, map[string]servertest.Fault{"/remote.js": {Body: []byte("replaced")}})
	first := faultGet(t, srv.URL+"/remote.js")
	if first.header.Get("ETag") != "" || first.header.Get("Last-Modified") != "" {
		t.Errorf("a replaced body carries the file's validators: %v", first.header)
	}
	r := faultGet(t, srv.URL+"/remote.js", "If-Modified-Since", time.Now().Add(time.Hour).UTC().Format(http.TimeFormat))
	if r.status != 200 || r.body != "replaced" {
		t.Errorf("a conditional request got %d %q, want 200 with the replaced body", r.status, r.body)
	}
}

// TestFaultsTimes is how a transient fault is healed by a retry, and After a
// file that changes after the first fetch.
func TestFaultsTimes(t *testing.T) {
	cases := []struct {
		name  string
		fault servertest.Fault
		want  []int // statuses of consecutive requests; 0: a connection error
	}{
		{"503 for the first request only", servertest.Fault{Status: 503, Times: 1}, []int{503, 200, 200}},
		{"reset twice", servertest.Fault{Reset: true, Times: 2}, []int{0, 0, 200}},
		{"always", servertest.Fault{Status: 502}, []int{502, 502, 502}},
		{"fine once, then 503", servertest.Fault{Status: 503, After: 1}, []int{200, 503, 503}},
		{"503 for the second request only", servertest.Fault{Status: 503, After: 1, Times: 2}, []int{200, 503, 200}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv, faults := faultServer(t, map[string]servertest.Fault{"/remote.js": c.fault})
			for i, want := range c.want {
				r := faultGet(t, srv.URL+"/remote.js")
				if r.status != want {
					t.Errorf("request %d: status %d (%v), want %d", i+1, r.status, r.err, want)
				}
			}
			if got := faults.Hits("/remote.js"); got != len(c.want) {
				t.Errorf("Hits = %d, want %d", got, len(c.want))
			}
			faults.ResetHits()
			if r := faultGet(t, srv.URL+"/remote.js"); r.status != c.want[0] {
				t.Errorf("after ResetHits the first request got %d, want %d again", r.status, c.want[0])
			}
		})
	}
}

func TestFaultsCountsConcurrentRequestsExactly(t *testing.T) {
	const n, times = 40, 7
	srv, faults := faultServer(t, map[string]servertest.Fault{"/remote.js": {Status: 503, Times: times}})
	var wg sync.WaitGroup
	statuses := make(chan int, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses <- faultGet(t, srv.URL+"/remote.js").status
		}()
	}
	wg.Wait()
	close(statuses)
	count := map[int]int{}
	for s := range statuses {
		count[s]++
	}
	if count[503] != times || count[200] != n-times {
		t.Errorf("statuses %v, want %d × 503 and %d × 200", count, times, n-times)
	}
	if got := faults.Hits("/remote.js"); got != n {
		t.Errorf("Hits = %d, want %d", got, n)
	}
}

func TestFaultsSetAndPreflight(t *testing.T) {
	srv, faults := faultServer(t, nil)
	faults.Set("/remote.js", servertest.Fault{Status: 503})
	if r := faultGet(t, srv.URL+"/remote.js"); r.status != 503 {
		t.Errorf("after Set: %d, want 503", r.status)
	}
	req, _ := http.NewRequest(http.MethodOptions, srv.URL+"/remote.js", nil)
	req.Header.Set("Origin", "http://host.test")
	req.Header.Set("Access-Control-Request-Method", "GET")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent || faults.Hits("/remote.js") != 1 {
		t.Errorf("a preflight got %d and counted (hits %d); want 204 from the handler, uncounted", resp.StatusCode, faults.Hits("/remote.js"))
	}
	faults.Set("/remote.js", servertest.Fault{})
	if r := faultGet(t, srv.URL+"/remote.js"); r.status != 200 {
		t.Errorf("after removing the rule: %d, want 200", r.status)
	}
}

func TestFaultsHoldUntilReleased(t *testing.T) {
	hold := make(chan struct{})
	srv, faults := faultServer(t, map[string]servertest.Fault{"/remote.js": {Hold: hold}})
	time.AfterFunc(150*time.Millisecond, func() { close(hold) })
	r := faultGet(t, srv.URL+"/remote.js")
	if r.status != 200 || r.body != faultEntry || r.took < 150*time.Millisecond {
		t.Errorf("got %d %q after %v, want 200 with the file once the hold was released (150ms)", r.status, r.body, r.took)
	}
	if got := faults.Hits("/remote.js"); got != 1 {
		t.Errorf("Hits = %d, want 1", got)
	}
}
