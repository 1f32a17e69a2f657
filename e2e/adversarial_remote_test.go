//go:build e2e

package e2e

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/fedwasm/fedwasm/federation/config"
)

// hostileRemotes are remote entries written to break their host: each is
// loaded with loadRemote, which must settle within its time limit, with the
// module or a coded Error, and leave the runtime answering.
var hostileRemotes = []struct {
	name, typ, body string
}{
	{"throws-on-evaluation", "esm", "throw new Error('entry throws');\n"},
	{"init-throws", "esm", "export function init() { throw new Error('init throws'); }\nexport function get() { return () => ({}); }\n"},
	{"get-throws", "esm", "export function init() {}\nexport function get() { throw new Error('get throws'); }\n"},
	{"get-gives-a-number", "esm", "export function init() {}\nexport function get() { return 42; }\n"},
	{"get-rejects", "esm", "export function init() {}\nexport function get() { return Promise.reject(new Error('get rejects')); }\n"},
	{"get-never-settles", "esm", "export function init() {}\nexport function get() { return new Promise(() => {}); }\n"},
	{"factory-throws", "esm", "export function init() {}\nexport function get() { return () => { throw new Error('factory throws'); }; }\n"},
	{"no-container", "esm", "export const nothing = 1;\n"},
	{"get-is-a-getter-that-throws", "esm", "const c = {}; Object.defineProperty(c, 'get', { get() { throw new Error('getter'); } });\nexport const init = () => {};\nexport default c;\n"},
	{"module-is-a-throwing-proxy", "esm", "const boom = () => { throw new Error('trap'); };\nexport function init() {}\nexport function get() { return () => new Proxy({}, { get: boom, has: boom, ownKeys: boom, getPrototypeOf: boom, getOwnPropertyDescriptor: boom }); }\n"},
	{"module-is-a-throwing-thenable", "esm", "export function init() {}\nexport function get() { return () => ({ then() { throw new Error('then'); } }); }\n"},
	{"init-never-settles", "esm", "export function init() { return new Promise(() => {}); }\nexport function get() { return () => ({}); }\n"},
	{"var-throws", "var", "throw new Error('var entry throws');\n"},
	{"var-defines-nothing", "var", "var somethingElse = 1;\n"},
	{"var-global-is-a-proxy", "var", "var var_global_is_a_proxy = new Proxy({}, { get() { throw new Error('trap'); } });\n"},
	{"replaces-built-ins", "esm", "window.Promise = null; JSON.parse = () => { throw new Error('replaced'); }; Reflect.get = () => { throw new Error('replaced'); }; window.setTimeout = () => { throw new Error('replaced'); };\nexport function init() {}\nexport function get() { return () => ({ fine: true }); }\n"},
}

func TestAdversarialRemotes(t *testing.T) {
	files := map[string]string{}
	remoteURL, _ := codeURLOrigin(t, files)
	var remotes []config.Remote
	for _, r := range hostileRemotes {
		ext := ".mjs"
		if r.typ == "var" {
			ext = ".js"
		}
		files["/"+r.name+ext] = r.body
		remote := config.Remote{Name: r.name, Entry: remoteURL + "/" + r.name + ext, Type: r.typ}
		if r.typ == "var" {
			remote.EntryGlobalName = strings.ReplaceAll(r.name, "-", "_")
		}
		remotes = append(remotes, remote)
	}
	hostURL, serveHost := listenOrigin(t)
	serveHost(runtimePage(`<!doctype html><title>hostile remotes</title><script src="/fedwasm/loader.js"></script>`, ""))
	_, ctx := openRuntimePage(t, hostURL+"/")
	cfg := config.Config{Name: "hostile-remotes", Remotes: remotes, Retry: &config.Retry{Times: 0, TimeoutMs: 3000}}
	configJSON, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got := eval[string](t, ctx, `fedwasm.init(`+string(configJSON)+`).then(() => 'ok', (e) => e.code + ': ' + e.message)`); got != "ok" {
		t.Fatalf("init: %s", got)
	}
	var stats adversaryStats
	for _, r := range hostileRemotes {
		stats.Inputs++
		// The built-ins are put back after each load: the page's own code
		// (and this test's) needs them; the runtime must not.
		problem := eval[string](t, ctx, `(async (name) => {
			const saved = { Promise: window.Promise, parse: JSON.parse, get: Reflect.get, setTimeout: window.setTimeout };
			const restore = () => { window.Promise = saved.Promise; JSON.parse = saved.parse; Reflect.get = saved.get; window.setTimeout = saved.setTimeout; };
			const coded = (e) => e instanceof Error && typeof e.code === 'string' && /^[A-Z_]+$/.test(e.code);
			let problem = '';
			let timer;
			const limit = new saved.Promise((r) => { timer = saved.setTimeout.call(window, () => r('pending'), 12000); });
			const outcome = await saved.Promise.race([fedwasm.loadRemote(name + '/Thing').then(() => 'loaded', (e) => e), limit]);
			clearTimeout(timer);
			restore();
			if (outcome === 'pending') problem = 'still pending after 12 s';
			else if (outcome !== 'loaded' && !coded(outcome)) problem = 'rejected with an uncoded ' + String(outcome && (outcome.stack || outcome));
			try {
				if (typeof fedwasm.inspect() !== 'object') problem += '; inspect() answered no object';
			} catch (e) {
				problem += '; CRASH: inspect() threw ' + e.message;
			}
			return problem;
		})(`+jsString(r.name)+`)`)
		if problem != "" {
			stats.Failures++
			if strings.Contains(problem, "CRASH") {
				stats.Crashes++
			}
			stats.Samples = append(stats.Samples, r.name+": "+problem)
		}
	}
	stats.report(t, "remote")
}
