//go:build e2e

package e2e

// @module-federation/retry-plugin 2.x, whose options (retryTimes,
// retryDelay, domains, manifestDomains, addQuery, onRetry, onError) npm does
// not serve this machine, runs here from its source, unchanged
// (e2e/testdata/retry-plugin-2, whose README names the commit), bundled
// with esbuild as the 0.17.1 package is. Its fetch hook does the manifest
// requests itself: the first to the manifest's URL, each retry after
// retryDelay (or retryDelay(n), n from 1) to the next of manifestDomains
// after the last request's host, with ?retryCount=n when addQuery is true;
// onRetry({times, domains, url, tagName: 'fetch'}) announces each retry's
// URL, onError({domains, url, tagName: 'fetch'}) the last one when all
// failed.

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/internal/servertest"
)

// retryPlugin2Dir holds the plugin's source and its README.
var retryPlugin2Dir = filepath.Join(root, "e2e", "testdata", "retry-plugin-2")

// retryPlugin2Module is the plugin's src/index.ts bundled into one ES
// module, with the @module-federation/sdk (2.9.3) installed under
// e2e/testdata/mf-plugins: the workspace's node_modules, which esbuild
// would reach first from the source's directory, holds 0.17.1's.
func retryPlugin2Module(t *testing.T) []byte {
	t.Helper()
	sdk := filepath.Join(root, "e2e", "testdata", "mf-plugins", "node_modules", "@module-federation", "sdk")
	return npmModule(t, retryPlugin2Dir, "export { RetryPlugin } from './src/index.ts';\n", map[string]string{"@module-federation/sdk": sdk})
}

// startMirrorOrigin is a second 127.0.0.1 origin serving the plugin site's
// remote files, behind its own fault server.
func startMirrorOrigin(t *testing.T, s *pluginSite, faults map[string]servertest.Fault) *recordingOrigin {
	t.Helper()
	url, serve := listenOrigin(t)
	m := newRecordingOrigin(url, s.files, faults)
	serve(m)
	return m
}

// retryCallbacks records onRetry, onError and retryDelay(n) in the run's log.
const retryCallbacks = `onRetry: (a) => log.push({ onRetry: a }), onError: (a) => log.push({ onError: a }),
	retryDelay: (n) => { log.push({ delay: n }); return 100 * n; }`

// logged is the run's log entries under key, as JSON, in order.
func (r pluginRun) logged(key string) []string {
	var out []string
	for _, e := range r.Log {
		if v, ok := e[key]; ok {
			b, _ := json.Marshal(v)
			out = append(out, string(b))
		}
	}
	return out
}

// TestRetryPlugin2ManifestDomains: a manifest that fails on origin A is
// fetched again by the plugin from origin B, the next of manifestDomains,
// with ?retryCount=1, after retryDelay(1); onRetry announces that URL. When
// every origin fails, the plugin goes round manifestDomains (A, B, A) with
// retryCount 1, 2; onError names the last URL and the load fails.
func TestRetryPlugin2ManifestDomains(t *testing.T) {
	const manifest = "/down/mf-manifest.json"
	s := startPluginSite(t, map[string][]byte{"retry-plugin-2.js": retryPlugin2Module(t)}, map[string]servertest.Fault{manifest: {Status: 503}})
	b := startMirrorOrigin(t, s, nil)
	domains := []string{s.remoteURL, b.url}
	domainsJSON, _ := json.Marshal(domains)
	cfg := config.Config{Name: "host", Retry: &config.Retry{Times: 0},
		Security: config.Security{Plugins: []string{"down"}, AllowedOrigins: []string{s.remoteURL, b.url}},
		Remotes:  []config.Remote{s.mfRemote("down", manifest)}}
	plugin := `m.RetryPlugin({ retryTimes: 2, addQuery: true, manifestDomains: ` + string(domainsJSON) + `, ` + retryCallbacks + ` })`

	t.Run("a failing manifest is fetched from the next domain", func(t *testing.T) {
		b.reset()
		run := s.run(t, "retry-plugin-2.js", plugin, cfg, "down/Recommendations")
		if l := run.Loads["down/Recommendations"]; !l.OK || l.Got != "mount" {
			t.Errorf("loadRemote('down/Recommendations') = %+v, want the exposed module", l)
		}
		if a, bq := s.remote.queriesOf(manifest), b.queriesOf(manifest); !slices.Equal(a, []string{""}) || !slices.Equal(bq, []string{"retryCount=1"}) {
			t.Errorf("the manifest's queries: origin A %q, origin B %q; want [\"\"] and [\"retryCount=1\"]", a, bq)
		}
		wantRetry := []string{`{"domains":` + string(domainsJSON) + `,"tagName":"fetch","times":1,"url":"` + b.url + manifest + `?retryCount=1"}`}
		if got := run.logged("onRetry"); !slices.Equal(got, wantRetry) {
			t.Errorf("onRetry got %q, want %q", got, wantRetry)
		}
		if got := run.logged("delay"); !slices.Equal(got, []string{"1"}) {
			t.Errorf("retryDelay was called with %v, want [1]", got)
		}
		if got := run.logged("onError"); len(got) != 0 {
			t.Errorf("onError was called: %v", got)
		}
	})
	t.Run("a domain security.allowedOrigins does not list is refused", func(t *testing.T) {
		// fedwasm checks the URL of the Response the fetch hook returns
		// against the policy, as it checks its own requests: a plugin
		// cannot widen where remotes come from.
		b.reset()
		strict := cfg
		strict.Security.AllowedOrigins = []string{s.remoteURL}
		run := s.run(t, "retry-plugin-2.js", plugin, strict, "down/Recommendations")
		if l := run.Loads["down/Recommendations"]; l.OK || l.Code != "ORIGIN_NOT_ALLOWED" || !strings.Contains(l.Message, b.url+manifest+"?retryCount=1") {
			t.Errorf("loadRemote('down/Recommendations') = %+v, want ORIGIN_NOT_ALLOWED for origin B's manifest", l)
		}
		if n := b.faults.Hits(manifest); n != 1 {
			t.Errorf("origin B's manifest was requested %d times, want 1 (the plugin's request)", n)
		}
	})
	t.Run("when every domain fails it goes round them, then onError", func(t *testing.T) {
		b.reset()
		b.faults.Set(manifest, servertest.Fault{Status: 503})
		defer b.faults.Set(manifest, servertest.Fault{})
		run := s.run(t, "retry-plugin-2.js", plugin, cfg, "down/Recommendations")
		l := run.Loads["down/Recommendations"]
		if l.OK {
			t.Errorf("loadRemote('down/Recommendations') = %+v, want a failure", l)
		}
		if l.ms() < 300 {
			t.Errorf("the load failed after %d ms, before retryDelay(1) + retryDelay(2) = 300 ms", l.ms())
		}
		if a, bq := s.remote.queriesOf(manifest), b.queriesOf(manifest); !slices.Equal(a, []string{"", "retryCount=2"}) || !slices.Equal(bq, []string{"retryCount=1"}) {
			t.Errorf("the manifest's queries: origin A %q, origin B %q; want [\"\" \"retryCount=2\"] and [\"retryCount=1\"]", a, bq)
		}
		wantRetry := []string{
			`{"domains":` + string(domainsJSON) + `,"tagName":"fetch","times":1,"url":"` + b.url + manifest + `?retryCount=1"}`,
			`{"domains":` + string(domainsJSON) + `,"tagName":"fetch","times":2,"url":"` + s.remoteURL + manifest + `?retryCount=2"}`,
		}
		if got := run.logged("onRetry"); !slices.Equal(got, wantRetry) {
			t.Errorf("onRetry got %q\nwant %q", got, wantRetry)
		}
		wantError := []string{`{"domains":` + string(domainsJSON) + `,"tagName":"fetch","url":"` + s.remoteURL + manifest + `?retryCount=2"}`}
		if got := run.logged("onError"); !slices.Equal(got, wantError) {
			t.Errorf("onError got %q, want %q", got, wantError)
		}
		if got := run.logged("delay"); !slices.Equal(got, []string{"1", "2"}) {
			t.Errorf("retryDelay was called with %v, want [1 2]", got)
		}
	})
}

// TestRetryPlugin2EntryRetryTimes: the plugin's loadEntryError makes
// retryTimes attempts in all (2.x counts the first of them, 0.17.1 does
// not), each after retryDelay(n), n from 1, through getRemoteEntry: an
// entry that fails twice (fedwasm's attempt and the plugin's first) loads
// at the plugin's second; one that always fails is requested 1 + retryTimes
// times and the load fails.
func TestRetryPlugin2EntryRetryTimes(t *testing.T) {
	s := startPluginSite(t, map[string][]byte{"retry-plugin-2.js": retryPlugin2Module(t)}, map[string]servertest.Fault{
		"/var/flaky.js": {Status: 503, Times: 2},
		"/var/dead.js":  {Status: 503},
	})
	for _, c := range []struct {
		remote string
		loads  bool
	}{{"flaky", true}, {"dead", false}} {
		t.Run(c.remote, func(t *testing.T) {
			cfg := config.Config{Name: "host", Retry: &config.Retry{Times: 0},
				Security: config.Security{Plugins: []string{c.remote}},
				Remotes:  []config.Remote{s.varRemote(c.remote)}}
			run := s.run(t, "retry-plugin-2.js", `m.RetryPlugin({ retryTimes: 2, `+retryCallbacks+` })`, cfg, c.remote)
			l := run.Loads[c.remote]
			if l.OK != c.loads || (c.loads && l.Got != c.remote+" .") {
				t.Errorf("loadRemote(%q) = %+v, want loaded %v", c.remote, l, c.loads)
			}
			if n := s.hits("/var/" + c.remote + ".js"); n != 3 {
				t.Errorf("the entry was requested %d times, want 3 (fedwasm's attempt and the plugin's retryTimes, 2)", n)
			}
			if got := run.logged("delay"); !slices.Equal(got, []string{"1", "2"}) {
				t.Errorf("retryDelay was called with %v, want [1 2]", got)
			}
			if l.ms() < 300 {
				t.Errorf("the load took %d ms, less than retryDelay(1) + retryDelay(2) = 300 ms", l.ms())
			}
		})
	}
}

// TestRetryPlugin2EntryDomains: a var entry that fails on origin A is
// loaded by the plugin's loadEntryError from origin B, the next of domains:
// the plugin hands getRemoteEntry a getEntryUrl that MF's runtime calls
// with the entry's URL and loads the URL it returns (runtime-core's
// utils/load.ts), here B's with ?retryCount=1 after retryDelay(1);
// onRetry announces it. When every origin fails it goes round them (A, B,
// A, retryCount 1, 2) and onError names the last URL.
func TestRetryPlugin2EntryDomains(t *testing.T) {
	const entry = "/var/flaky.js"
	s := startPluginSite(t, map[string][]byte{"retry-plugin-2.js": retryPlugin2Module(t)}, map[string]servertest.Fault{entry: {Status: 503}})
	b := startMirrorOrigin(t, s, nil)
	domains := []string{s.remoteURL, b.url}
	domainsJSON, _ := json.Marshal(domains)
	// The page's Trusted Types policy admits entry scripts only from a
	// remote's origin or retry.domains: origin B is listed there (fedwasm
	// makes no attempt of its own, times 0), so a plugin cannot bring in
	// script origins the config does not name.
	cfg := config.Config{Name: "host", Retry: &config.Retry{Times: 0, Domains: []string{b.url}},
		Security: config.Security{Plugins: []string{"flaky"}, AllowedOrigins: []string{s.remoteURL, b.url}},
		Remotes:  []config.Remote{s.varRemote("flaky")}}
	plugin := `m.RetryPlugin({ retryTimes: 2, addQuery: true, domains: ` + string(domainsJSON) + `, ` + retryCallbacks + ` })`

	t.Run("a failing entry is loaded from the next domain", func(t *testing.T) {
		b.reset()
		run := s.run(t, "retry-plugin-2.js", plugin, cfg, "flaky")
		if l := run.Loads["flaky"]; !l.OK || l.Got != "flaky ." {
			t.Errorf("loadRemote('flaky') = %+v, want the container's module", l)
		}
		// With security.allowedOrigins set, fedwasm fetches the entry to see
		// where it ends before running it: two requests of B's URL.
		if a, bq := s.remote.queriesOf(entry), b.queriesOf(entry); !slices.Equal(a, []string{""}) || !slices.Equal(bq, []string{"retryCount=1", "retryCount=1"}) {
			t.Errorf("the entry's queries: origin A %q, origin B %q; want [\"\"] and [\"retryCount=1\" \"retryCount=1\"]", a, bq)
		}
		wantRetry := []string{`{"domains":` + string(domainsJSON) + `,"tagName":"script","times":1,"url":"` + b.url + entry + `?retryCount=1"}`}
		if got := run.logged("onRetry"); !slices.Equal(got, wantRetry) {
			t.Errorf("onRetry got %q, want %q", got, wantRetry)
		}
		if got := run.logged("delay"); !slices.Equal(got, []string{"1"}) {
			t.Errorf("retryDelay was called with %v, want [1]", got)
		}
	})
	t.Run("an origin retry.domains does not list runs no script", func(t *testing.T) {
		b.reset()
		unlisted := cfg
		unlisted.Retry = &config.Retry{Times: 0}
		run := s.run(t, "retry-plugin-2.js", plugin, unlisted, "flaky")
		if l := run.Loads["flaky"]; l.OK {
			t.Errorf("loadRemote('flaky') = %+v, want a failure: the Trusted Types policy refuses origin B's script", l)
		}
		// Each of the plugin's attempts on B is fetched for the origin check,
		// then refused as a script.
		if bq := b.queriesOf(entry); !slices.Equal(bq, []string{"retryCount=1"}) {
			t.Errorf("origin B's queries %q, want [\"retryCount=1\"] (the check's fetch, no script)", bq)
		}
	})
	t.Run("when every domain fails it goes round them, then onError", func(t *testing.T) {
		b.reset()
		b.faults.Set(entry, servertest.Fault{Status: 503})
		defer b.faults.Set(entry, servertest.Fault{})
		run := s.run(t, "retry-plugin-2.js", plugin, cfg, "flaky")
		if l := run.Loads["flaky"]; l.OK || l.ms() < 300 {
			t.Errorf("loadRemote('flaky') = %+v after %d ms, want a failure after retryDelay(1) + retryDelay(2) = 300 ms", l, l.ms())
		}
		if a, bq := s.remote.queriesOf(entry), b.queriesOf(entry); !slices.Equal(a, []string{"", "retryCount=2"}) || !slices.Equal(bq, []string{"retryCount=1"}) {
			t.Errorf("the entry's queries: origin A %q, origin B %q; want [\"\" \"retryCount=2\"] and [\"retryCount=1\"]", a, bq)
		}
		wantError := []string{`{"domains":` + string(domainsJSON) + `,"tagName":"script","url":"` + s.remoteURL + entry + `?retryCount=2"}`}
		if got := run.logged("onError"); !slices.Equal(got, wantError) {
			t.Errorf("onError got %q, want %q", got, wantError)
		}
		if got := run.logged("delay"); !slices.Equal(got, []string{"1", "2"}) {
			t.Errorf("retryDelay was called with %v, want [1 2]", got)
		}
	})
}
