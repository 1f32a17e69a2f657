//go:build e2e

package e2e

// Module Federation runtime plugins published on npm run unchanged on
// fedwasm: each is bundled from its package as installed (internal/esmbundle,
// as the demo's vendor modules are), imported by a page, handed to
// fedwasm.use and observed against a remote origin behind the fault server
// (servertest.Faults), which counts every request.
//
// @module-federation/retry-plugin is pinned at 0.17.1, the newest version
// this machine's npm registry serves. Its options are 0.17.1's, read from its
// dist/esm/index.js (the 2.x options domains, manifestDomains, addQuery,
// onRetry and onError do not exist in it):
//
//	fetch:  {url?, options?, retryTimes?, retryDelay?, fallback?(url)}
//	        the fetch hook (manifest requests): 1 + retryTimes attempts, then
//	        fallback(url) once; retryDelay is NOT passed on by the hook, so
//	        every retry waits fetchWithRetry's default, 1000 ms.
//	script: {retryTimes?, retryDelay?, moduleName?[], cb?(resolve, error)}
//	        loadEntryError: getRemoteEntry up to 1 + retryTimes times,
//	        retryDelay apart, for remotes moduleName names (by name or
//	        alias; all when absent); on exhaustion cb is awaited, then the
//	        last error thrown. getModuleFactory: the same loop around
//	        container.get(expose), on every load.
//
// The config sets retry.times 0 where a test isolates the plugin: fedwasm's
// own attempts would otherwise heal the fault before the plugin sees it.

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/internal/browser"
	"github.com/fedwasm/fedwasm/internal/esmbundle"
	"github.com/fedwasm/fedwasm/internal/servertest"
	"github.com/fedwasm/fedwasm/server"
)

// npmModule bundles source (an ES module importing npm packages installed
// under dir/node_modules, or where alias points a package) into one ES
// module, as the demo's vendor modules are bundled.
func npmModule(t *testing.T, dir, source string, alias map[string]string) []byte {
	t.Helper()
	key := dir + "\x00" + source
	for _, name := range slices.Sorted(maps.Keys(alias)) {
		key += "\x00" + name + "=" + alias[name]
	}
	bundled.Lock()
	defer bundled.Unlock()
	if data, ok := bundled.by[key]; ok {
		return data
	}
	out := filepath.Join(t.TempDir(), "bundle.js")
	if err := esmbundle.Build("e2e npm module", api.BuildOptions{
		Stdin:   &api.StdinOptions{Contents: source, ResolveDir: dir, Sourcefile: "entry.js"},
		Alias:   alias,
		Outfile: out,
	}); err != nil {
		t.Fatalf("%v (are the npm packages installed? ./build.sh test installs them)", err)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	bundled.by[key] = data
	return data
}

// bundled keeps each npm module npmModule built, by its inputs: the tests
// that serve one module bundle it once.
var bundled = struct {
	sync.Mutex
	by map[string][]byte
}{by: map[string][]byte{}}

// retryPluginModule is the real @module-federation/retry-plugin from the
// workspace's node_modules, with the version its package.json gives.
func retryPluginModule(t *testing.T) ([]byte, string) {
	t.Helper()
	var meta struct{ Version string }
	data, err := os.ReadFile(filepath.Join(root, "node_modules", "@module-federation", "retry-plugin", "package.json"))
	if err == nil {
		err = json.Unmarshal(data, &meta)
	}
	if err != nil {
		t.Fatalf("@module-federation/retry-plugin is not installed: %v; run ./build.sh test (npm ci)", err)
	}
	return npmModule(t, root, "export { RetryPlugin } from '@module-federation/retry-plugin';\n", nil), meta.Version
}

// pluginSite is a host origin (a blank page with the loader, the runtime,
// and npm modules under /npm/) and a remote origin behind the fault server:
// the webpack fixtures under /fixtures/, var containers made up by name at
// /var/<global>.js, the fault tests' plain ES module remote at any
// /esm/<name>.js, and /spare/mf-manifest.json and /down/mf-manifest.json, the
// mf-enhanced fixture's manifest with its publicPath made absolute.
type pluginSite struct {
	hostURL, remoteURL string
	remote             *recordingOrigin
	files              http.Handler // the remote origin's files, before the fault server
	b                  *browser.Browser
	ctx                context.Context
}

// recordingOrigin serves an origin's files behind a fault server and
// records the query and the X-Manifest-Token of each GET, by path.
type recordingOrigin struct {
	url    string
	faults *servertest.Faults

	mu      sync.Mutex
	queries map[string][]string
	tokens  map[string][]string
}

func newRecordingOrigin(url string, files http.Handler, faults map[string]servertest.Fault) *recordingOrigin {
	return &recordingOrigin{url: url, faults: servertest.NewFaults(files, faults), queries: map[string][]string{}, tokens: map[string][]string{}}
}

func (o *recordingOrigin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet {
		o.mu.Lock()
		o.queries[r.URL.Path] = append(o.queries[r.URL.Path], r.URL.RawQuery)
		o.tokens[r.URL.Path] = append(o.tokens[r.URL.Path], r.Header.Get(tokenHeader))
		o.mu.Unlock()
	}
	o.faults.ServeHTTP(w, r)
}

// reset forgets the requests seen so far, and the fault counts.
func (o *recordingOrigin) reset() {
	o.faults.ResetHits()
	o.mu.Lock()
	o.queries, o.tokens = map[string][]string{}, map[string][]string{}
	o.mu.Unlock()
}

// queriesOf is the query of each GET of path since the last reset.
func (o *recordingOrigin) queriesOf(path string) []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]string{}, o.queries[path]...)
}

// tokensOf is the X-Manifest-Token of each GET of path since the last reset.
func (o *recordingOrigin) tokensOf(path string) []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]string{}, o.tokens[path]...)
}

// tokenHeader is the header a test's plugin adds to manifest requests.
const tokenHeader = "X-Manifest-Token"

func startPluginSite(t *testing.T, modules map[string][]byte, faults map[string]servertest.Fault) *pluginSite {
	t.Helper()
	hostURL, serveHost := listenOrigin(t)
	remoteURL, serveRemote := listenOrigin(t)
	s := &pluginSite{hostURL: hostURL, remoteURL: remoteURL}

	fixtures := filepath.Join(root, "dist", "fixtures")
	manifest, err := os.ReadFile(filepath.Join(fixtures, "mf-enhanced", "mf-manifest.json"))
	if err != nil {
		t.Fatalf("the webpack fixtures are not built: %v; run ./build.sh test", err)
	}
	spare := strings.Replace(string(manifest), `"publicPath": "auto"`, `"publicPath": "`+remoteURL+`/fixtures/mf-enhanced/"`, 1)
	if spare == string(manifest) {
		t.Fatal(`the mf-enhanced manifest no longer has "publicPath": "auto"`)
	}
	policy := server.Policy{AllowedOrigins: []string{hostURL}}
	remote := http.NewServeMux()
	remote.Handle("/fixtures/", http.StripPrefix("/fixtures", server.Files(os.DirFS(fixtures), policy)))
	// /down/ gets a fault; its CORS headers let the page read the failure.
	spareManifest := func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", hostURL)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write([]byte(spare))
	}
	remote.HandleFunc("/spare/mf-manifest.json", spareManifest)
	remote.HandleFunc("/down/mf-manifest.json", spareManifest)
	remote.HandleFunc("/var/{file}", func(w http.ResponseWriter, r *http.Request) {
		global, ok := strings.CutSuffix(r.PathValue("file"), ".js")
		if !ok || !esmbundle.Identifier.MatchString(global) {
			http.NotFound(w, r)
			return
		}
		// CORS: with security.allowedOrigins set, fedwasm fetches an entry to see where it came from.
		w.Header().Set("Access-Control-Allow-Origin", hostURL)
		w.Header().Set("Content-Type", "text/javascript")
		w.Header().Set("Cache-Control", "no-store")
		fmt.Fprintf(w, "var %s = { init() {}, get(expose) { return () => ({ remote: %q, expose }); } };\n", global, global)
	})
	esm := server.Files(os.DirFS(filepath.Join(root, "e2e", "testdata", "faults", "remotes")), policy)
	remote.HandleFunc("/esm/{file}", func(w http.ResponseWriter, r *http.Request) {
		r = r.Clone(r.Context())
		r.URL.Path = "/remote.js"
		esm.ServeHTTP(w, r)
	})
	s.files = remote
	s.remote = newRecordingOrigin(remoteURL, remote, faults)
	serveRemote(s.remote)

	host := http.NewServeMux()
	host.HandleFunc("/npm/{file}", func(w http.ResponseWriter, r *http.Request) {
		data, ok := modules[r.PathValue("file")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/javascript")
		_, _ = w.Write(data)
	})
	host.Handle("/", runtimePage(`<!doctype html><title>MF plugins</title><link rel="icon" href="data:,"><script src="/fedwasm/loader.js"></script>`, ""))
	serveHost(host)
	s.b, s.ctx = openRuntimePage(t, hostURL+"/")
	return s
}

// loadResult is one fedwasm.loadRemote as the page saw it; Start and End
// are ms since the run started, as the plugin log's at() gives.
type loadResult struct {
	OK      bool   `json:"ok"`
	Start   int    `json:"start"`
	End     int    `json:"end"`
	Got     string `json:"got"` // what the module is (loaded)
	Code    string `json:"code"`
	Message string `json:"message"`
}

// ms is how long the load took.
func (l loadResult) ms() int { return l.End - l.Start }

// pluginRun is what a page run with one plugin saw.
type pluginRun struct {
	Loads    map[string]loadResult `json:"loads"`
	Log      []map[string]any      `json:"log"` // what the plugin's callbacks recorded
	Warnings []string              `json:"warnings"`
	// Plugins is inspect().plugins: each plugin with the hooks fedwasm
	// calls and those it never calls.
	Plugins []struct {
		Name        string   `json:"name"`
		Hooks       []string `json:"hooks"`
		Unsupported []string `json:"unsupported"`
	} `json:"plugins"`
}

// run opens the page afresh, imports /npm/<module> as m, registers with
// fedwasm.use the plugin the JS expression plugin gives (it may use m, log,
// and at(): ms since the run started), inits cfg and loads ids in turn.
// With module "" it registers no plugin.
func (s *pluginSite) run(t *testing.T, module, plugin string, cfg config.Config, ids ...string) pluginRun {
	t.Helper()
	reopenRuntimePage(t, s.ctx, s.hostURL+"/", s.b)
	s.remote.reset()
	cfgJSON, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	idsJSON, _ := json.Marshal(append([]string{}, ids...))
	got := eval[string](t, s.ctx, `(async () => {
		const log = [];
		const t0 = performance.now();
		const at = () => Math.round(performance.now() - t0);
		const module = `+jsString(module)+`;
		if (module) {
			const m = await import('/npm/' + module);
			fedwasm.use(`+cmp.Or(plugin, "undefined")+`);
		}
		await fedwasm.init(`+string(cfgJSON)+`);
		const describe = (mod) => mod && mod.remote ? mod.remote + ' ' + mod.expose
			: mod && typeof mod.mount === 'function' ? 'mount' : typeof mod;
		const loads = {};
		for (const id of `+string(idsJSON)+`) {
			const start = at();
			loads[id] = await fedwasm.loadRemote(id).then(
				(mod) => ({ ok: true, start, end: at(), got: describe(mod) }),
				(e) => ({ ok: false, start, end: at(), code: String(e && e.code), message: String(e && e.message) }));
		}
		const warnings = fedwasm.inspect().warnings.map((w) => w.code + ' ' + JSON.stringify(w.details));
		return JSON.stringify({ loads, log, warnings, plugins: fedwasm.inspect().plugins }) })()`)
	var out pluginRun
	if err := json.Unmarshal([]byte(got), &out); err != nil {
		t.Fatalf("the page's answer %s: %v", got, err)
	}
	for _, id := range ids {
		l := out.Loads[id]
		t.Logf("%s: ok %v after %d ms (at %d ms) %s%s %s", id, l.OK, l.ms(), l.End, l.Got, l.Code, l.Message)
	}
	t.Logf("plugin log: %v; plugins: %+v", out.Log, out.Plugins)
	return out
}

// varRemote is a made-up var container at /var/<name>.js of the remote origin.
func (s *pluginSite) varRemote(name string) config.Remote {
	return config.Remote{Name: name, Entry: s.remoteURL + "/var/" + name + ".js", Type: "var", EntryGlobalName: name}
}

// hits is how many requests path got on the remote origin.
func (s *pluginSite) hits(path string) int { return s.remote.faults.Hits(path) }

// hasWarning reports whether run's warnings hold one with code whose
// details contain every one of parts.
func (r pluginRun) hasWarning(code string, parts ...string) bool {
	for _, w := range r.Warnings {
		if !strings.HasPrefix(w, code+" ") {
			continue
		}
		all := true
		for _, p := range parts {
			all = all && strings.Contains(w, p)
		}
		if all {
			return true
		}
	}
	return false
}

// TestRetryPluginScriptRetriesEntries: retry-plugin's script option heals a
// var remote whose remoteEntry fails twice (503) then succeeds, through
// loadEntryError → getRemoteEntry, with its retryDelay between its attempts;
// leaves a remote its moduleName does not name to fail at once; calls cb
// once when its attempts are used up, and the load rejects only after cb
// resolved; and is not run for a remote the config's security.plugins does
// not name (PLUGIN_NOT_ALLOWED).
func TestRetryPluginScriptRetriesEntries(t *testing.T) {
	module, version := retryPluginModule(t)
	t.Logf("@module-federation/retry-plugin %s", version)
	s := startPluginSite(t, map[string][]byte{"retry-plugin.js": module}, map[string]servertest.Fault{
		"/var/flaky.js":    {Status: 503, Times: 2},
		"/var/ignored.js":  {Status: 503, Times: 2},
		"/var/dead.js":     {Status: 503},
		"/var/unlisted.js": {Status: 503, Times: 1},
	})
	const retryDelay = 1500 // above 0.17.1's default (1000 ms), so the wait shows the option was used
	cfg := config.Config{Name: "host", Retry: &config.Retry{Times: 0},
		Security: config.Security{Plugins: []string{"flaky", "ignored", "dead"}},
		Remotes:  []config.Remote{s.varRemote("flaky"), s.varRemote("ignored"), s.varRemote("dead"), s.varRemote("unlisted")}}
	run := s.run(t, "retry-plugin.js", `m.RetryPlugin({ script: { retryTimes: 2, retryDelay: `+fmt.Sprint(retryDelay)+`,
		moduleName: ['flaky', 'dead', 'unlisted'],
		cb: (resolve, error) => { log.push({ cb: at(), error: String(error && error.message) }); setTimeout(resolve, 300); } } })`,
		cfg, "flaky", "ignored", "dead", "unlisted")

	t.Run("fedwasm calls every hook it has", func(t *testing.T) {
		want := `[{"name":"retry-plugin","hooks":["fetch","loadEntryError","getModuleFactory"],"unsupported":[]}]`
		if got, _ := json.Marshal(run.Plugins); string(got) != want {
			t.Errorf("inspect().plugins = %s, want %s", got, want)
		}
	})
	t.Run("a remote that fails twice is healed", func(t *testing.T) {
		flaky := run.Loads["flaky"]
		if !flaky.OK || flaky.Got != "flaky ." {
			t.Errorf("loadRemote('flaky') = %+v, want the container's module", flaky)
		}
		// fedwasm's one attempt, then the plugin's: a failure, retryDelay, a success.
		if n := s.hits("/var/flaky.js"); n != 3 {
			t.Errorf("/var/flaky.js was requested %d times, want 3", n)
		}
		if flaky.ms() < retryDelay {
			t.Errorf("the healed load took %d ms, less than the plugin's retryDelay (%d ms)", flaky.ms(), retryDelay)
		}
	})
	t.Run("a remote moduleName does not name is not retried", func(t *testing.T) {
		if l := run.Loads["ignored"]; l.OK {
			t.Errorf("loadRemote('ignored') = %+v, want a failure", l)
		}
		if n := s.hits("/var/ignored.js"); n != 1 {
			t.Errorf("/var/ignored.js was requested %d times, want 1", n)
		}
	})
	t.Run("cb is called once when the attempts are used up", func(t *testing.T) {
		dead := run.Loads["dead"]
		if dead.OK {
			t.Errorf("loadRemote('dead') = %+v, want a failure", dead)
		}
		// fedwasm's attempt, then 1 + retryTimes of the plugin's.
		if n := s.hits("/var/dead.js"); n != 4 {
			t.Errorf("/var/dead.js was requested %d times, want 4", n)
		}
		var cbs []float64
		for _, e := range run.Log {
			if at, ok := e["cb"].(float64); ok {
				cbs = append(cbs, at)
			}
		}
		if len(cbs) != 1 {
			t.Fatalf("cb was called %d times, want once (log %v)", len(cbs), run.Log)
		}
		if cbs[0] < float64(dead.Start+2*retryDelay) || float64(dead.End) < cbs[0]+300 {
			t.Errorf("cb at %.0f ms, the load from %d to %d ms: want cb after two retryDelays and the rejection after cb's resolve (300 ms later)", cbs[0], dead.Start, dead.End)
		}
	})
	t.Run("a remote security.plugins does not name is left alone", func(t *testing.T) {
		if l := run.Loads["unlisted"]; l.OK {
			t.Errorf("loadRemote('unlisted') = %+v, want a failure", l)
		}
		if n := s.hits("/var/unlisted.js"); n != 1 {
			t.Errorf("/var/unlisted.js was requested %d times, want 1", n)
		}
		if !run.hasWarning("PLUGIN_NOT_ALLOWED", `"remote":"unlisted"`, `"plugin":"retry-plugin"`, `"hook":"loadEntryError"`) {
			t.Errorf("no PLUGIN_NOT_ALLOWED warning for retry-plugin's loadEntryError on unlisted; warnings: %v", run.Warnings)
		}
	})
}

// mfRemote is a manifest remote of the remote origin (path: its mf-manifest.json).
func (s *pluginSite) mfRemote(name, path string) config.Remote {
	return config.Remote{Name: name, Entry: s.remoteURL + path, Type: "manifest"}
}

// The mf-enhanced fixture's manifest and the chunk its container's
// get('./Recommendations') loads.
const (
	enhancedManifest = "/fixtures/mf-enhanced/mf-manifest.json"
	enhancedExpose   = "/fixtures/mf-enhanced/__federation_expose_Recommendations.js"
	// the same remote built with experiments.externalRuntime: true
	externalRuntimeManifest = "/fixtures/mf-external-runtime/mf-manifest.json"
)

// TestRetryPluginFetchRetriesManifests: retry-plugin's fetch option heals a
// manifest remote (the real @module-federation/enhanced fixture) whose
// mf-manifest.json fails twice (503) then succeeds, through the fetch hook,
// each request with the header fetch.options adds;
// 0.17.1's hook does not pass fetch.retryDelay on, so its retries wait its
// default 1000 ms. With fetch.url set, only that manifest is retried, and
// after its attempts fallback(url) names the manifest used instead; another
// manifest is fetched once, as the plugin's plain fetch. Without a fallback,
// the plugin's failure is the manifest's.
func TestRetryPluginFetchRetriesManifests(t *testing.T) {
	module, _ := retryPluginModule(t)
	s := startPluginSite(t, map[string][]byte{"retry-plugin.js": module}, map[string]servertest.Fault{
		enhancedManifest:         {Status: 503, Times: 2},
		"/down/mf-manifest.json": {Status: 503},
	})
	t.Run("a manifest that fails twice is healed", func(t *testing.T) {
		cfg := config.Config{Name: "host", Retry: &config.Retry{Times: 0},
			Security: config.Security{Plugins: []string{"mf"}},
			Remotes:  []config.Remote{s.mfRemote("mf", enhancedManifest)}}
		run := s.run(t, "retry-plugin.js", `m.RetryPlugin({ fetch: { retryTimes: 2, retryDelay: 10,
			options: { headers: { '`+tokenHeader+`': 'abc' } } } })`, cfg, "mf/Recommendations")
		l := run.Loads["mf/Recommendations"]
		if !l.OK || l.Got != "mount" {
			t.Errorf("loadRemote('mf/Recommendations') = %+v, want the exposed module", l)
		}
		if n := s.hits(enhancedManifest); n != 3 {
			t.Errorf("the manifest was requested %d times, want 3 (the plugin's three attempts)", n)
		}
		if l.ms() < 2000 {
			t.Errorf("the healed load took %d ms; 0.17.1 waits its default 1000 ms before each of 2 retries", l.ms())
		}
		if got := s.remote.tokensOf(enhancedManifest); !slices.Equal(got, []string{"abc", "abc", "abc"}) {
			t.Errorf("the manifest requests carried %s %q, want fetch.options' header on each of the 3", tokenHeader, got)
		}
	})
	t.Run("fallback names the manifest after the attempts", func(t *testing.T) {
		down := s.remoteURL + "/down/mf-manifest.json"
		cfg := config.Config{Name: "host", Retry: &config.Retry{Times: 0},
			Security: config.Security{Plugins: []string{"down", "mf"}},
			Remotes:  []config.Remote{s.mfRemote("down", "/down/mf-manifest.json"), s.mfRemote("mf", enhancedManifest)}}
		run := s.run(t, "retry-plugin.js", `m.RetryPlugin({ fetch: { url: `+jsString(down)+`, retryTimes: 1,
			fallback: (url) => { log.push({ fallback: String(url) }); return `+jsString(s.remoteURL+"/spare/mf-manifest.json")+`; } } })`,
			cfg, "down/Recommendations", "mf/Recommendations")
		if l := run.Loads["down/Recommendations"]; !l.OK || l.Got != "mount" {
			t.Errorf("loadRemote('down/Recommendations') = %+v, want the module the fallback manifest names", l)
		}
		if len(run.Log) != 1 || run.Log[0]["fallback"] != down {
			t.Errorf("fallback was called with %v, want once with %s", run.Log, down)
		}
		if d, sp := s.hits("/down/mf-manifest.json"), s.hits("/spare/mf-manifest.json"); d != 2 || sp != 1 {
			t.Errorf("requests: the failing manifest %d, the fallback %d; want 2 (1 + retryTimes) and 1", d, sp)
		}
		// The fixture's manifest fails its first request (Times 2 above: the
		// counts were reset), and the plugin does not retry a URL other than fetch.url.
		if l := run.Loads["mf/Recommendations"]; l.OK {
			t.Errorf("loadRemote('mf/Recommendations') = %+v, want a failure: its manifest's 503 is not retried", l)
		}
		if n := s.hits(enhancedManifest); n != 1 {
			t.Errorf("the other manifest was requested %d times, want 1", n)
		}
	})
	t.Run("without a fallback the plugin's failure is the manifest's", func(t *testing.T) {
		// MF's snapshot handler awaits the fetch hook: the plugin's throw
		// after its attempts fails the manifest, with no fetch of its own.
		cfg := config.Config{Name: "host", Retry: &config.Retry{Times: 0},
			Security: config.Security{Plugins: []string{"down"}},
			Remotes:  []config.Remote{s.mfRemote("down", "/down/mf-manifest.json")}}
		run := s.run(t, "retry-plugin.js", `m.RetryPlugin({ fetch: { retryTimes: 1 } })`, cfg, "down/Recommendations")
		if l := run.Loads["down/Recommendations"]; l.OK {
			t.Errorf("loadRemote('down/Recommendations') = %+v, want a failure", l)
		}
		if n := s.hits("/down/mf-manifest.json"); n != 2 {
			t.Errorf("the failing manifest was requested %d times, want 2 (1 + retryTimes)", n)
		}
	})
}

// TestRetryPluginRetriesContainerGet: retry-plugin 0.17.1's getModuleFactory
// hook wraps container.get(expose) in the script option's retries. The real
// @module-federation/enhanced container's get('./Recommendations') loads
// its expose chunk with webpack's chunk loading, which fails (503) twice
// then succeeds: the plugin heals it; with moduleName not naming the remote,
// the one failure stands.
func TestRetryPluginRetriesContainerGet(t *testing.T) {
	module, _ := retryPluginModule(t)
	s := startPluginSite(t, map[string][]byte{"retry-plugin.js": module}, map[string]servertest.Fault{
		enhancedExpose: {Status: 503, Times: 2},
	})
	cfg := config.Config{Name: "host", Retry: &config.Retry{Times: 0},
		Security: config.Security{Plugins: []string{"mf"}},
		Remotes:  []config.Remote{s.mfRemote("mf", enhancedManifest)}}
	for _, c := range []struct {
		name, moduleName string
		healed           bool
		hits             int
	}{
		{"the remote is named", "mf", true, 3},
		{"the remote is not named", "other", false, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			run := s.run(t, "retry-plugin.js", `m.RetryPlugin({ script: { retryTimes: 2, retryDelay: 200, moduleName: [`+jsString(c.moduleName)+`] } })`,
				cfg, "mf/Recommendations")
			l := run.Loads["mf/Recommendations"]
			if l.OK != c.healed || (c.healed && l.Got != "mount") {
				t.Errorf("loadRemote('mf/Recommendations') = %+v, want loaded %v", l, c.healed)
			}
			if n := s.hits(enhancedExpose); n != c.hits {
				t.Errorf("the expose chunk was requested %d times, want %d", n, c.hits)
			}
			if n := s.hits(enhancedManifest); n != 1 {
				t.Errorf("the manifest was requested %d times, want 1", n)
			}
		})
	}
}

// TestContainerGetFailures: what loadRemote rejects with when the real
// @module-federation/enhanced container's get(expose) fails. An expose
// chunk that does not load (404 once) is REMOTE_LOAD_FAILED naming webpack's
// ChunkLoadError and the chunk's URL (a missing expose it is not), and the
// next loadRemote loads it; an expose the container does not list is
// REMOTE_EXPOSE_MISSING.
func TestContainerGetFailures(t *testing.T) {
	s := startPluginSite(t, nil, map[string]servertest.Fault{enhancedExpose: {Status: 404, Times: 1}})
	cfg := config.Config{Name: "host", Retry: &config.Retry{Times: 0}, Remotes: []config.Remote{s.mfRemote("mf", enhancedManifest)}}
	run := s.run(t, "", "", cfg, "mf/Recommendations", "mf/Missing")
	again := eval[string](t, s.ctx, `fedwasm.loadRemote('mf/Recommendations').then(() => 'loaded', (e) => e.code + ' ' + e.message)`)
	if l := run.Loads["mf/Recommendations"]; l.OK || l.Code != "REMOTE_LOAD_FAILED" ||
		!strings.Contains(l.Message, "ChunkLoadError") || !strings.Contains(l.Message, `could not load its expose "./Recommendations"`) {
		t.Errorf("loadRemote('mf/Recommendations') with its chunk answering 404 = %+v, want REMOTE_LOAD_FAILED naming the ChunkLoadError", l)
	}
	if again != "loaded" {
		t.Errorf("the next loadRemote('mf/Recommendations'), the chunk served again, = %s, want it loaded", again)
	}
	if n := s.hits(enhancedExpose); n != 2 {
		t.Errorf("the expose chunk was requested %d times, want 2 (the failure, then the next loadRemote)", n)
	}
	if l := run.Loads["mf/Missing"]; l.OK || l.Code != "REMOTE_EXPOSE_MISSING" || !strings.Contains(l.Message, "does not exist in container") {
		t.Errorf("loadRemote('mf/Missing') = %+v, want REMOTE_EXPOSE_MISSING quoting the container", l)
	}
}

// TestInjectExternalRuntimeCorePlugin runs
// @module-federation/inject-external-runtime-core-plugin 2.9.3, which MF's
// build plugins apply to every host built with experiments.externalRuntime:
// 'provide' (remotes built with externalRuntime: true then use the host's
// runtime-core instead of bundling their own). It was picked among the
// published runtime plugins because fedwasm calls its one hook (beforeInit)
// and its effect is visible in the page: its README says it injects
// @module-federation/runtime-core, and its code sets
// globalThis._FEDERATION_RUNTIME_CORE to that module and
// _FEDERATION_RUNTIME_CORE_FROM to {name: the host's name, version}, and
// leaves one another host injected alone, with a warning. (retry-plugin
// aside, the other candidates need what fedwasm does not have:
// data-prefetch's initContainer and remote snapshots, bridge-react's
// lazy-load plugin's apply(instance).) It is installed from
// e2e/testdata/mf-plugins' own lock.
func TestInjectExternalRuntimeCorePlugin(t *testing.T) {
	dir := filepath.Join(root, "e2e", "testdata", "mf-plugins")
	module := npmModule(t, dir, "export { default as injectExternalRuntimeCorePlugin } from '@module-federation/inject-external-runtime-core-plugin';\n"+
		"export * as runtimeCore from '@module-federation/runtime-tools/runtime-core';\n", nil)
	s := startPluginSite(t, map[string][]byte{"inject-runtime-core.js": module}, nil)
	cfg := config.Config{Name: "shop-host"}
	injected := `(async () => { const m = await import('/npm/inject-runtime-core.js');
		const core = globalThis._FEDERATION_RUNTIME_CORE;
		return JSON.stringify({ core: core === m.runtimeCore ? 'runtime-core' : core && Object.keys(core).join(),
			from: globalThis._FEDERATION_RUNTIME_CORE_FROM, ModuleFederation: typeof core?.ModuleFederation }) })()`

	t.Run("it gives the page runtime-core, from the host", func(t *testing.T) {
		run := s.run(t, "inject-runtime-core.js", `m.injectExternalRuntimeCorePlugin()`, cfg)
		want := `{"core":"runtime-core","from":{"version":"2.9.3","name":"shop-host"},"ModuleFederation":"function"}`
		if got := eval[string](t, s.ctx, injected); got != want {
			t.Errorf("after init: %s\nwant %s", got, want)
		}
		want = `[{"name":"inject-external-runtime-core-plugin","hooks":["beforeInit"],"unsupported":[]}]`
		if got, _ := json.Marshal(run.Plugins); string(got) != want {
			t.Errorf("inspect().plugins = %s, want %s", got, want)
		}
	})
	t.Run("registered as MF registers it, through init's plugins", func(t *testing.T) {
		reopenRuntimePage(t, s.ctx, s.hostURL+"/", s.b)
		eval[bool](t, s.ctx, `import('/npm/inject-runtime-core.js').then((m) =>
			fedwasm.init({ name: 'shop-host', plugins: [m.injectExternalRuntimeCorePlugin()] })).then(() => true)`)
		want := `{"core":"runtime-core","from":{"version":"2.9.3","name":"shop-host"},"ModuleFederation":"function"}`
		if got := eval[string](t, s.ctx, injected); got != want {
			t.Errorf("after init: %s\nwant %s", got, want)
		}
	})
	t.Run("a remote built with externalRuntime loads with it, and not without", func(t *testing.T) {
		ext := config.Config{Name: "shop-host", Security: config.Security{Plugins: []string{"ext"}},
			Remotes: []config.Remote{s.mfRemote("ext", externalRuntimeManifest)}}
		with := s.run(t, "inject-runtime-core.js", `m.injectExternalRuntimeCorePlugin()`, ext, "ext/Recommendations")
		if l := with.Loads["ext/Recommendations"]; !l.OK || l.Got != "mount" {
			t.Errorf("with the plugin, loadRemote('ext/Recommendations') = %+v, want the exposed module", l)
		}
		without := s.run(t, "inject-runtime-core.js", `{ name: 'no-op' }`, ext, "ext/Recommendations")
		if l := without.Loads["ext/Recommendations"]; l.OK {
			t.Errorf("without the plugin, loadRemote('ext/Recommendations') = %+v, want a failure: the remote has no runtime-core", l)
		}
	})
	t.Run("one another host injected is kept, with its warning", func(t *testing.T) {
		run := s.run(t, "inject-runtime-core.js", `(() => {
			globalThis._FEDERATION_RUNTIME_CORE = { fromOtherHost: true };
			globalThis._FEDERATION_RUNTIME_CORE_FROM = { name: 'other-host', version: '2.9.3' };
			const warn = console.warn;
			console.warn = (...args) => { log.push({ warn: args.join(' ') }); warn(...args); };
			return m.injectExternalRuntimeCorePlugin(); })()`, cfg)
		want := `{"core":"fromOtherHost","from":{"name":"other-host","version":"2.9.3"},"ModuleFederation":"undefined"}`
		if got := eval[string](t, s.ctx, injected); got != want {
			t.Errorf("after init: %s\nwant %s", got, want)
		}
		const warning = "Detect multiple module federation runtime! Injected runtime from other-host@2.9.3 and current is shop-host@2.9.3"
		found := false
		for _, e := range run.Log {
			found = found || strings.HasPrefix(fmt.Sprint(e["warn"]), warning)
		}
		if !found {
			t.Errorf("the plugin's warning %q was not logged; log %v", warning, run.Log)
		}
	})
}

// TestRetryPluginAfterFedwasmRetries: with fedwasm's own retries on
// (retry.times 1), a failing entry is tried by fedwasm first (1 +
// retry.times attempts), and only then handed to the plugin's
// loadEntryError, whose getRemoteEntry makes one attempt per call: the two
// budgets add up (2 + 1 + retryTimes requests at most), they do not multiply.
func TestRetryPluginAfterFedwasmRetries(t *testing.T) {
	module, _ := retryPluginModule(t)
	s := startPluginSite(t, map[string][]byte{"retry-plugin.js": module}, map[string]servertest.Fault{
		"/var/healed.js": {Status: 503, Times: 3},
		"/var/spent.js":  {Status: 503, Times: 4},
	})
	cfg := config.Config{Name: "host", Retry: &config.Retry{Times: 1, DelayMs: 50},
		Security: config.Security{Plugins: []string{"healed", "spent"}},
		Remotes:  []config.Remote{s.varRemote("healed"), s.varRemote("spent")}}
	run := s.run(t, "retry-plugin.js", `m.RetryPlugin({ script: { retryTimes: 1, retryDelay: 100 } })`, cfg, "healed", "spent")
	if l := run.Loads["healed"]; !l.OK || l.Got != "healed ." {
		t.Errorf("loadRemote('healed') = %+v, want the container's module after the plugin's second attempt", l)
	}
	if l := run.Loads["spent"]; l.OK {
		t.Errorf("loadRemote('spent') = %+v, want a failure: fedwasm's 2 attempts and the plugin's 2 all fail", l)
	}
	for _, path := range []string{"/var/healed.js", "/var/spent.js"} {
		if n := s.hits(path); n != 4 {
			t.Errorf("%s was requested %d times, want 4 (fedwasm's 2, then the plugin's 2)", path, n)
		}
	}
}

// TestRetryPluginManifestsAfterFedwasmRetries: each of fedwasm's manifest
// attempts (1 + retry.times) goes through the fetch hook, so the plugin's
// attempts run inside each of them: the budgets multiply, (1 + retry.times)
// × (1 + retryTimes) requests at most. A manifest that fails twice is
// healed by fedwasm's second attempt, the plugin's first request in it: the
// plugin's throw once its retries are spent fails fedwasm's first attempt
// without a request of fedwasm's own (plugin.ThrowFails).
func TestRetryPluginManifestsAfterFedwasmRetries(t *testing.T) {
	module, _ := retryPluginModule(t)
	s := startPluginSite(t, map[string][]byte{"retry-plugin.js": module}, map[string]servertest.Fault{
		enhancedManifest:         {Status: 503, Times: 2},
		"/down/mf-manifest.json": {Status: 503},
	})
	cfg := config.Config{Name: "host", Retry: &config.Retry{Times: 1, DelayMs: 50},
		Security: config.Security{Plugins: []string{"mf", "down"}},
		Remotes:  []config.Remote{s.mfRemote("mf", enhancedManifest), s.mfRemote("down", "/down/mf-manifest.json")}}
	run := s.run(t, "retry-plugin.js", `m.RetryPlugin({ fetch: { retryTimes: 1 } })`, cfg, "mf/Recommendations", "down/Recommendations")
	if l := run.Loads["mf/Recommendations"]; !l.OK || l.Got != "mount" {
		t.Errorf("loadRemote('mf/Recommendations') = %+v, want the exposed module", l)
	}
	if l := run.Loads["down/Recommendations"]; l.OK {
		t.Errorf("loadRemote('down/Recommendations') = %+v, want a failure", l)
	}
	if n := s.hits(enhancedManifest); n != 3 {
		t.Errorf("the healed manifest was requested %d times, want 3 (fedwasm's first attempt: the plugin's 2; its second: 1)", n)
	}
	if n := s.hits("/down/mf-manifest.json"); n != 4 {
		t.Errorf("the failing manifest was requested %d times, want 4 (fedwasm's 2 attempts × the plugin's 2)", n)
	}
}

// TestRetryPluginWithinFedwasmTime: fedwasm gives loadEntryError as long as
// its own attempts had (their time limits and delays together), and at
// least five attempts' time limits (here 5 × 500 ms), where MF waits for
// the plugin however long it takes. A plugin whose retryDelay (3000 ms) is
// past that is stopped (PLUGIN_HOOK_FAILED, "timed out"), its next attempt
// is not made, and the load fails; the next loadRemote loads the remote
// afresh.
func TestRetryPluginWithinFedwasmTime(t *testing.T) {
	module, _ := retryPluginModule(t)
	s := startPluginSite(t, map[string][]byte{"retry-plugin.js": module}, map[string]servertest.Fault{
		"/var/slow.js": {Status: 503, Times: 2},
	})
	cfg := config.Config{Name: "host", Retry: &config.Retry{Times: 0, TimeoutMs: 500},
		Security: config.Security{Plugins: []string{"slow"}},
		Remotes:  []config.Remote{s.varRemote("slow")}}
	run := s.run(t, "retry-plugin.js", `m.RetryPlugin({ script: { retryTimes: 2, retryDelay: 3000 } })`, cfg, "slow")
	if l := run.Loads["slow"]; l.OK || l.ms() < 2500 {
		t.Errorf("loadRemote('slow') = %+v after %d ms, want a failure once fedwasm's time (2500 ms) is up", l, l.ms())
	}
	if !run.hasWarning("PLUGIN_HOOK_FAILED", `"hook":"loadEntryError"`, `"plugin":"retry-plugin"`, "timed out") {
		t.Errorf("no PLUGIN_HOOK_FAILED warning for the stopped loadEntryError; warnings: %v", run.Warnings)
	}
	// The plugin's second attempt would have come 3000 ms after its first.
	eval[bool](t, s.ctx, `new Promise((resolve) => setTimeout(() => resolve(true), 1500))`)
	if n := s.hits("/var/slow.js"); n != 2 {
		t.Errorf("/var/slow.js was requested %d times, want 2 (fedwasm's attempt and the plugin's first)", n)
	}
	if got := eval[string](t, s.ctx, `fedwasm.loadRemote('slow').then((m) => m.remote + ' ' + m.expose, (e) => e.code)`); got != "slow ." {
		t.Errorf("loading it again: %s, want the container's module", got)
	}
}

// TestRetryPluginHealsAnESModuleEntry: an ES module entry that fails once
// is healed by the plugin's script retry. fedwasm's getRemoteEntry imports
// the entry with a fresh fedwasm-retry query on each of the plugin's
// attempts (as its own retries do), where MF 0.17.1's imports the same URL
// again: browsers that keep a failed import() of a URL would answer that
// from the failure. (This test's Chromium fetches a failed module URL again.)
func TestRetryPluginHealsAnESModuleEntry(t *testing.T) {
	module, _ := retryPluginModule(t)
	s := startPluginSite(t, map[string][]byte{"retry-plugin.js": module}, map[string]servertest.Fault{
		"/esm/flaky.js": {Status: 503, Times: 1},
	})
	cfg := config.Config{Name: "host", Retry: &config.Retry{Times: 0},
		Security: config.Security{Plugins: []string{"flaky"}},
		Remotes:  []config.Remote{{Name: "flaky", Entry: s.remoteURL + "/esm/flaky.js", Type: "esm"}}}
	run := s.run(t, "retry-plugin.js", `m.RetryPlugin({ script: { retryTimes: 1, retryDelay: 100 } })`, cfg, "flaky")
	if l := run.Loads["flaky"]; !l.OK || l.Got != "mount" {
		t.Errorf("loadRemote('flaky') = %+v, want the module after the plugin's retry", l)
	}
	if n := s.hits("/esm/flaky.js"); n != 2 {
		t.Errorf("/esm/flaky.js was requested %d times, want 2", n)
	}
	urls := eval[[]string](t, s.ctx, `performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.includes('/esm/flaky.js'))`)
	t.Logf("requested: %v", urls)
	if len(urls) != 2 || !strings.Contains(urls[1], "fedwasm-retry=") {
		t.Errorf("the plugin's attempt was %v, want the entry with a fedwasm-retry query", urls)
	}
}
