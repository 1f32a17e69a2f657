//go:build e2e

package e2e

// Remote failure never takes the host down (DESIGN §4). A host page on one
// loopback origin registers remotes on a second origin whose server injects
// faults (servertest.Faults): latency beyond the attempt's time limit, 503, a
// reset connection, a truncated body, wrong content, a container whose init
// throws, a manifest that is not JSON, a tampered file under an integrity, an
// origin that is not allowed, and a 503 that only the first request gets.
// For each the host boots, the healthy remote renders, fedwasm.mount of the
// failing remote rejects with a coded error and leaves its fallback, nothing
// is uncaught, and the transient fault is healed by a retry.

import (
	"context"
	"crypto/sha512"
	"encoding/base64"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/internal/browser"
	"github.com/fedwasm/fedwasm/internal/servertest"
	"github.com/fedwasm/fedwasm/server"
)

// faultRetry keeps the suite fast: 3 attempts of at most 500 ms, 50 and 100 ms apart.
var faultRetry = config.Retry{Times: 2, DelayMs: 50, TimeoutMs: 500}

const faultPageHTML = `<!doctype html>
<html><head><meta charset="utf-8"><title>fedwasm faults</title><link rel="icon" href="data:,"></head>
<body><main id="healthy"></main><section id="background"></section>
<script src="/fedwasm/loader.js" data-config="/federation.json"></script>
</body></html>
`

// faultRemote is one remote of the fault page and what its server does to it.
type faultRemote struct {
	name, path, typ string
	global          string // entryGlobalName of a var remote
	file            string // the file under testdata/faults/remotes the path serves ("" for synthetic ones)
	fault           servertest.Fault
	integrity       bool   // configure the integrity of file (the fault then serves other bytes)
	foreign         bool   // served from the host's origin, which security.allowedOrigins does not list
	wantCode        string // "" : mounts fine
	wantCause       string // a substring of error.details.cause
	wantHits        int    // requests the remote's path gets from one mount
	resentByBrowser bool   // Chromium may send a request again by itself (a reset on a reused keep-alive connection)
	netErr          string // what Chromium logs for each failed request ("" : nothing)
	blockedOnce     bool   // Chromium logs once that it blocked the bytes an import map's integrity refused
	uncaught        string // the exception the remote's code throws, which the page reports once
}

var faultRemoteJS = faultFile(filepath.Join(root, "e2e", "testdata", "faults", "remotes", "remote.js"))

// The fault host sets security.allowedOrigins, so each entry is fetched and
// checked (where it came from after redirects) before it runs, and its run is
// bound to the checked bytes: a fault shows in that fetch first, and an entry
// that runs costs two requests, the check and the run.
var faultRemotes = []faultRemote{
	{name: "healthy", path: "/healthy.js", typ: "esm", file: "remote.js"},
	{name: "spare", path: "/spare.js", typ: "esm", file: "remote.js"},
	// Each retry waits for the check's fetch that ran out of time (still
	// under way) rather than start a second one: one request. The answer
	// comes well after the last attempt gives up (about 1.65 s), so a loaded
	// machine's late timers do not let it in.
	{name: "slow", path: "/slow.js", typ: "esm", file: "remote.js", fault: servertest.Fault{Latency: 3 * time.Second},
		wantCode: "REMOTE_LOAD_FAILED", wantCause: "timed out after 500ms", wantHits: 1},
	{name: "down", path: "/down.js", typ: "esm", file: "remote.js", fault: servertest.Fault{Status: 503},
		wantCode: "REMOTE_LOAD_FAILED", wantCause: "HTTP 503", wantHits: 3,
		netErr: `the server responded with a status of 503 \(Service Unavailable\)`},
	{name: "reset", path: "/reset.js", typ: "esm", file: "remote.js", fault: servertest.Fault{Reset: true},
		wantCode: "REMOTE_LOAD_FAILED", wantCause: "Failed to fetch", wantHits: 3, resentByBrowser: true, netErr: `net::ERR_CONNECTION_RESET`},
	{name: "truncated", path: "/truncated.js", typ: "esm", file: "remote.js", fault: servertest.Fault{Truncate: true},
		wantCode: "REMOTE_LOAD_FAILED", wantCause: "Failed to fetch", wantHits: 3, netErr: `net::ERR_CONTENT_LENGTH_MISMATCH`},
	{name: "wrong", path: "/wrong.js", typ: "var", global: "widget", file: "widget.js",
		fault:    servertest.Fault{Body: []byte("// the wrong file: another library, no container\nvar otherLibrary = { version: '1.0.0' };\n")},
		wantCode: "REMOTE_CONTAINER_MISSING", wantHits: 2},
	// The entry is run bound to its checked bytes (integrity, CORS), so the
	// browser does not mute its exception: the error quotes it.
	{name: "throws", path: "/throws.js", typ: "var",
		fault:    servertest.Fault{Body: []byte("throw new Error('entry exploded');\nvar throws = { init() {}, get() {} };\n")},
		wantCode: "REMOTE_CONTAINER_MISSING", wantCause: "entry exploded", wantHits: 2, uncaught: "Uncaught Error: entry exploded"},
	{name: "broken", path: "/broken.js", typ: "var",
		fault:    servertest.Fault{Body: []byte("var broken = { init() { throw new Error('init exploded') }, get() {} };\n")},
		wantCode: "REMOTE_INIT_FAILED", wantCause: "init exploded", wantHits: 2},
	{name: "manifest", path: "/mf-manifest.json", typ: "manifest",
		fault:    servertest.Fault{Body: []byte("<!doctype html><p>Service temporarily unavailable</p>\n"), ContentType: "text/html; charset=utf-8"},
		wantCode: "REMOTE_INVALID_MANIFEST", wantHits: 3}, // every attempt failed the same way: its code is kept
	{name: "tampered", path: "/tampered.js", typ: "esm", file: "remote.js", integrity: true,
		fault:    servertest.Fault{Body: []byte(faultRemoteJS + "\nwindow.tampered = true;\n")},
		wantCode: "INTEGRITY_MISMATCH", wantHits: 1},
	// Good bytes for the integrity check's fetch, tampered ones for the
	// import() after it: the integrity pinned in an import map makes the
	// browser refuse them; the retry's check then sees them and stops.
	{name: "swapped", path: "/swapped.js", typ: "esm", file: "remote.js", integrity: true,
		fault:    servertest.Fault{Body: []byte(faultRemoteJS + "\nwindow.tampered = true;\n"), After: 1},
		wantCode: "INTEGRITY_MISMATCH", wantHits: 3, blockedOnce: true},
	{name: "foreign", path: "/foreign.js", typ: "esm", foreign: true, wantCode: "ORIGIN_NOT_ALLOWED"},
	{name: "transient", path: "/transient.js", typ: "esm", file: "remote.js", fault: servertest.Fault{Status: 503, Times: 1},
		wantHits: 3, netErr: `the server responded with a status of 503 \(Service Unavailable\)`},
}

// faultSite is the fault page's two origins and a browser on it.
type faultSite struct {
	hostURL, remoteURL string
	remote, host       *servertest.Faults
	b                  *browser.Browser
	ctx                context.Context
}

func startFaultSite(t *testing.T) *faultSite {
	t.Helper()
	remoteURL, serveRemote := listenOrigin(t)
	hostURL, serveHost := listenOrigin(t)
	s := &faultSite{hostURL: hostURL, remoteURL: remoteURL}

	// The remote origin: each remote's path serves its file, through its fault.
	files := server.Files(os.DirFS(filepath.Join(root, "e2e", "testdata", "faults", "remotes")), server.Policy{AllowedOrigins: []string{s.hostURL}})
	aliases := map[string]string{}
	rules := map[string]servertest.Fault{}
	cfg := config.Config{Name: "faults-host", Bootstrap: "/bootstrap.js", Retry: &faultRetry,
		Security: config.Security{AllowedOrigins: []string{s.remoteURL}}}
	for _, r := range faultRemotes {
		if r.file != "" {
			aliases[r.path] = "/" + r.file
		}
		rules[r.path] = r.fault
		origin := s.remoteURL
		if r.foreign {
			origin = s.hostURL
		}
		remote := config.Remote{Name: r.name, Entry: origin + r.path, Type: r.typ, EntryGlobalName: r.global}
		if r.integrity {
			sum := sha512.Sum384(faultFileBytes(t, filepath.Join(root, "e2e", "testdata", "faults", "remotes", r.file)))
			remote.Integrity = "sha384-" + base64.StdEncoding.EncodeToString(sum[:])
		}
		cfg.Remotes = append(cfg.Remotes, remote)
	}
	s.remote = servertest.NewFaults(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if to, ok := aliases[r.URL.Path]; ok {
			r = r.Clone(r.Context())
			r.URL.Path = to
		}
		files.ServeHTTP(w, r)
	}), rules)
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}

	// The host origin: the page, the runtime, the config and the bootstrap,
	// counted (a foreign remote must never be requested).
	configHandler, err := servertest.JSON(cfg)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/fedwasm/", http.StripPrefix("/fedwasm", server.Files(os.DirFS(filepath.Join(root, "dist", "fedwasm")), server.Policy{})))
	mux.Handle("/bootstrap.js", server.Files(os.DirFS(filepath.Join(root, "e2e", "testdata", "faults", "host")), server.Policy{}))
	mux.Handle("/federation.json", configHandler)
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write([]byte(faultPageHTML))
	})
	s.host = servertest.NewFaults(mux, nil)

	serveHost(s.host)
	serveRemote(s.remote)

	s.b, err = browser.Start(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.b.Close)
	ctx, cancel := context.WithTimeout(s.b.Context(), 90*time.Second)
	t.Cleanup(cancel)
	s.ctx = ctx
	return s
}

// boot loads the page (with query) and waits until its bootstrap is done; it
// returns the bootstrap-done mark's time since navigation start, in ms.
func (s *faultSite) boot(t *testing.T, query string) float64 {
	t.Helper()
	var booted bool
	if err := chromedp.Run(s.ctx,
		chromedp.Navigate(s.hostURL+"/"+query),
		chromedp.Poll(`window.faultsHost?.booted === true || document.querySelector('#fedwasm-error') !== null`, &booted,
			chromedp.WithPollingTimeout(20*time.Second), chromedp.WithPollingInterval(5*time.Millisecond)),
	); err != nil {
		t.Fatalf("the host did not boot: %v; page problems: %v", err, s.b.Problems())
	}
	if banner, err := browser.Text(s.ctx, "#fedwasm-error"); err == nil {
		t.Fatalf("the loader reported: %s", banner)
	}
	var state struct {
		Healthy  string
		Rendered string
		DoneMs   float64
	}
	if err := browser.Eval(s.ctx, `({ healthy: faultsHost.healthy, rendered: document.querySelector('#healthy').dataset.rendered ?? '',
		doneMs: performance.getEntriesByName('faults:bootstrap-done')[0].startTime })`, &state); err != nil {
		t.Fatal(err)
	}
	if state.Healthy != "mounted" || state.Rendered != "/healthy.js" {
		t.Fatalf("the healthy remote did not render: mount gave %q, #healthy rendered %q", state.Healthy, state.Rendered)
	}
	return state.DoneMs
}

// faultMountResult is what the page reports after fedwasm.mount of one remote.
type faultMountResult struct {
	Code, Message, Cause string
	Fallback             bool
	Rendered             string
	State                string
	StateCode            string
	Ms                   float64
	HealthyStill         bool
	RuntimeAnswers       bool
	Tampered             bool
}

const faultMountExpr = `(async (name) => {
	const el = document.createElement('section'); el.id = 'slot-' + name; document.body.append(el);
	const t0 = performance.now();
	const err = await fedwasm.mount(name, el).then(() => null, (e) => e);
	const ms = performance.now() - t0;
	const report = fedwasm.inspect().remotes.find((r) => r.name === name);
	const again = await fedwasm.loadRemote('healthy').then((m) => typeof m.mount === 'function', () => false);
	return { code: err?.code ?? '', message: err?.message ?? '', cause: String(err?.details?.cause ?? ''),
		fallback: el.querySelector('[data-fedwasm-fallback]') !== null, rendered: el.dataset.rendered ?? '',
		state: report.state, stateCode: report.error?.code ?? '', ms,
		healthyStill: document.querySelector('#healthy').dataset.rendered === '/healthy.js',
		runtimeAnswers: again, tampered: window.tampered === true };
})(%q)`

func TestFaultInjectedRemotes(t *testing.T) {
	s := startFaultSite(t)
	var table []string
	for _, r := range faultRemotes {
		if r.name == "healthy" || r.name == "spare" {
			continue
		}
		t.Run(r.name, func(t *testing.T) {
			s.remote.ResetHits()
			s.host.ResetHits()
			_ = s.b.Problems()
			s.boot(t, "")
			// A remote no one asked for is never fetched at startup.
			for _, other := range faultRemotes {
				if hits := s.remote.Hits(other.path); other.name != "healthy" && hits != 0 {
					t.Errorf("booting fetched %s %d time(s), though nothing asked for it", other.path, hits)
				}
			}
			res := eval[faultMountResult](t, s.ctx, fmt.Sprintf(faultMountExpr, r.name))
			hits := s.remote.Hits(r.path)
			if r.foreign {
				hits = s.host.Hits(r.path)
			}
			outcome := res.Code
			if outcome == "" {
				outcome = "mounted (" + res.State + ")"
			}
			table = append(table, fmt.Sprintf("%-10s %-44s → %-26s cause %q; %d request(s), %.0f ms", r.name, describeFault(r), outcome, faultClip(res.Cause, 90), hits, res.Ms))

			if res.Code != r.wantCode {
				t.Errorf("mount rejected with %q (%s), want %q", res.Code, res.Message, r.wantCode)
			}
			if !strings.Contains(res.Cause, r.wantCause) {
				t.Errorf("error.details.cause %q does not contain %q", res.Cause, r.wantCause)
			}
			if r.wantCode != "" {
				if !res.Fallback {
					t.Error("the failed mount left no [data-fedwasm-fallback] in its element")
				}
				t.Run("inspect shows the failure", func(t *testing.T) {
					if res.State == "failed" && res.StateCode == r.wantCode {
						return
					}
					t.Errorf("inspect() shows the remote %s with %q, want failed with %s", res.State, res.StateCode, r.wantCode)
				})
			} else {
				if res.Rendered != r.path || res.Fallback {
					t.Errorf("the healed remote rendered %q (fallback %v), want %s rendered", res.Rendered, res.Fallback, r.path)
				}
				if res.State != "loaded" {
					t.Errorf("inspect() shows the healed remote %s, want loaded", res.State)
				}
			}
			if maxHits := r.wantHits * map[bool]int{false: 1, true: 2}[r.resentByBrowser]; hits < r.wantHits || hits > maxHits {
				t.Errorf("the remote's path got %d request(s), want %d (up to %d with Chromium's own resends)", hits, r.wantHits, maxHits)
			}
			if !res.HealthyStill || !res.RuntimeAnswers {
				t.Errorf("after the failure the healthy remote still shows: %v; loadRemote('healthy') still works: %v", res.HealthyStill, res.RuntimeAnswers)
			}
			if res.Tampered {
				t.Error("the tampered remote's code ran despite its integrity")
			}
			checkFaultProblems(t, s.b.Problems(), r, s.remoteURL)
		})
	}
	sort.Strings(table)
	t.Logf("fault → observed outcome:\n%s", strings.Join(table, "\n"))
}

// checkFaultProblems fails on anything the page logged except Chromium's own
// entries for the failed requests the fault causes, one per attempt at most.
func checkFaultProblems(t *testing.T, problems []string, r faultRemote, remoteURL string) {
	t.Helper()
	var expected *regexp.Regexp
	if r.netErr != "" {
		expected = regexp.MustCompile(`^log: Failed to load resource: ` + r.netErr + ` ` + regexp.QuoteMeta(remoteURL+r.path) + `(\?fedwasm-retry=\d+)?$`)
	}
	blocked := regexp.MustCompile(`^log: Failed to find a valid digest in the 'integrity' attribute for resource '` +
		regexp.QuoteMeta(remoteURL+r.path) + `' with computed SHA-384 integrity '[^']+'\. The resource has been blocked\.`)
	seen, blocks, thrown := 0, 0, 0
	for _, p := range problems {
		if !strings.HasPrefix(p, "uncaught") && expected != nil && expected.MatchString(p) {
			seen++
			continue
		}
		if r.uncaught != "" && strings.HasPrefix(p, "uncaught: "+r.uncaught+"\n") && thrown == 0 {
			thrown++
			continue
		}
		if r.blockedOnce && blocked.MatchString(p) && blocks == 0 {
			blocks++
			continue
		}
		t.Errorf("the page logged an unexpected problem: %s", p)
	}
	if r.blockedOnce && blocks != 1 {
		t.Errorf("Chromium logged %d blocked loads of %s, want 1: the import map's integrity did not refuse the swapped bytes", blocks, r.path)
	}
	if seen > max(r.wantHits, 1) {
		t.Errorf("Chromium logged %d failed loads for %s, more than the %d attempts", seen, r.path, r.wantHits)
	}
}

func describeFault(r faultRemote) string {
	f := r.fault
	var parts []string
	switch {
	case r.foreign:
		parts = append(parts, "origin not in security.allowedOrigins")
	case f.Latency > 0:
		parts = append(parts, fmt.Sprintf("latency %v > timeoutMs %d", f.Latency, faultRetry.TimeoutMs))
	case f.Reset:
		parts = append(parts, "connection reset")
	case f.Truncate:
		parts = append(parts, "truncated body")
	case f.Status != 0:
		parts = append(parts, fmt.Sprintf("HTTP %d", f.Status))
	case r.integrity:
		parts = append(parts, "tampered bytes under an integrity")
	case r.name == "broken":
		parts = append(parts, "container whose init throws")
	case r.uncaught != "":
		parts = append(parts, "entry that throws before its container")
	case r.name == "manifest":
		parts = append(parts, "manifest that is not JSON")
	case f.Body != nil:
		parts = append(parts, "wrong content (no container)")
	}
	if f.Times > 0 {
		parts = append(parts, fmt.Sprintf("first %d request(s) only", f.Times))
	}
	if f.After > 0 {
		parts = append(parts, fmt.Sprintf("after %d good request(s)", f.After))
	}
	return r.typ + ": " + strings.Join(parts, ", ")
}

// TestFaultBootDoesNotWaitForADeadRemote: a bootstrap that starts mounting a
// remote that hangs (it answers after 3 s; each attempt gives up at 500 ms,
// three attempts) and does not await it boots about as fast as the same page
// whose background remote is healthy. Informational figures are logged; the
// bound asserted is generous (timed assertions belong in bench/).
func TestFaultBootDoesNotWaitForADeadRemote(t *testing.T) {
	s := startFaultSite(t)
	s.boot(t, "") // warm the HTTP cache and the compiled wasm
	_ = s.b.Problems()
	const loads = 5
	var healthy, dead []float64
	for range loads {
		healthy = append(healthy, s.boot(t, "?background=spare"))
		dead = append(dead, s.boot(t, "?background=slow"))
		if got := eval[string](t, s.ctx, `faultsHost.background`); got != "pending" {
			t.Errorf("the dead remote's mount had settled (%q) when the bootstrap was done; it cannot have, unless boot waited for it", got)
		}
	}
	// The background mount of the dead remote ends in its fallback, after the boot.
	var final string
	if err := chromedp.Run(s.ctx, chromedp.Poll(`faultsHost.background !== 'pending' && faultsHost.background`, &final, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("the background mount of the dead remote never settled: %v", err)
	}
	if final != "REMOTE_LOAD_FAILED" || eval[bool](t, s.ctx, `document.querySelector('#background [data-fedwasm-fallback]') === null`) {
		t.Errorf("the background mount of the dead remote ended with %q (fallback shown: %v), want REMOTE_LOAD_FAILED and the fallback",
			final, !eval[bool](t, s.ctx, `document.querySelector('#background [data-fedwasm-fallback]') === null`))
	}
	h, d := faultMedian(healthy), faultMedian(dead)
	t.Logf("navigation start → bootstrap done, median of %d warm loads: background remote healthy %.1f ms %v, background remote dead %.1f ms %v (dead remote's 3 attempts take ≥ %d ms)",
		loads, h, faultRounded(healthy), d, faultRounded(dead), 3*faultRetry.TimeoutMs+faultRetry.DelayMs*3)
	if bound := 1.5*h + 300; d >= bound {
		t.Errorf("booting with a dead remote took %.1f ms (median), not under 1.5 × %.1f + 300 = %.1f ms: the boot waits for the dead remote", d, h, bound)
	}
	for _, p := range s.b.Problems() {
		if strings.HasPrefix(p, "uncaught") {
			t.Errorf("the page logged: %s", p)
		}
	}
}

func faultMedian(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

func faultRounded(xs []float64) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = fmt.Sprintf("%.0f", x)
	}
	return out
}

func faultClip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

func faultFile(file string) string {
	data, err := os.ReadFile(file)
	if err != nil {
		panic(err)
	}
	return string(data)
}

func faultFileBytes(t *testing.T, file string) []byte {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
