//go:build e2e

package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/federation/integrity/sha"
	"github.com/fedwasm/fedwasm/internal/servertest"
)

// codeURLNonce is the test page's CSP nonce: the page allows only scripts
// with it and what they add ('strict-dynamic'), so the runtime's own loads
// are trusted, and only its checks keep other code out.
const codeURLNonce = "e2e-code-urls"

// hostileEntry is a remote entry that marks it ran (window[mark] = true)
// and is a usable container: var (defining window[global]) or an ES module.
func hostileEntry(mark, global string, esModule bool) string {
	if esModule {
		return "window." + mark + " = true;\nexport function init() {}\nexport function get() { return () => ({}); }\n"
	}
	return "window." + mark + " = true;\nvar " + global + " = { init() {}, get() { return () => ({}); } };\n"
}

// mfManifest is an MF 2.0 mf-manifest.json naming its entry (name, path,
// type, integrity) under publicPath.
func mfManifest(global, publicPath, name, path, typ, integrity string) string {
	entry := `"name":` + strconv.Quote(name) + `,"path":` + strconv.Quote(path) + `,"type":` + strconv.Quote(typ)
	if integrity != "" {
		entry += `,"integrity":` + strconv.Quote(integrity)
	}
	return `{"id":` + strconv.Quote(global) + `,"name":` + strconv.Quote(global) + `,"metaData":{"name":` + strconv.Quote(global) +
		`,"type":"app","buildInfo":{"buildVersion":"1.0.0","buildName":"x"},"remoteEntry":{` + entry + `},"globalName":` + strconv.Quote(global) +
		`,"publicPath":` + strconv.Quote(publicPath) + `},"shared":[],"remotes":[],"exposes":[]}`
}

// codeURLCase is one way around the allowlist or the integrity: a remote
// the page registers, what the allowed and the hostile origin serve for it,
// and the code its load must be refused with.
type codeURLCase struct {
	name     string
	remote   func(allowed, hostile string) config.Remote
	allowed  func(hostile string) map[string]string // path → body on the allowed origin ("→ url": a redirect there)
	hostile  map[string]string                      // path → body on the hostile origin
	mark     string                                 // the global the hostile code sets
	wantCode string
	notAsked []string // paths (either origin) that must never be requested
	viaBlob  bool     // the page makes the entry a blob: URL of the hostile code
}

var (
	dMismatchNamed   = hostileEntry("d_named_ran", "d_mismatch", false) // the bytes the manifest's integrity names
	dMismatchSwapped = hostileEntry("pwned_d_mismatch", "d_mismatch", false)
)

var codeURLCases = []codeURLCase{
	{
		name: "a: manifest publicPath on the hostile origin, var entry",
		remote: func(allowed, _ string) config.Remote {
			return config.Remote{Name: "a-var", Entry: allowed + "/a-var/mf-manifest.json", Type: "manifest"}
		},
		allowed: func(hostile string) map[string]string {
			return map[string]string{"/a-var/mf-manifest.json": mfManifest("a_var", hostile+"/", "a-var.js", "", "global", "")}
		},
		hostile:  map[string]string{"/a-var.js": hostileEntry("pwned_a_var", "a_var", false)},
		mark:     "pwned_a_var",
		wantCode: "ORIGIN_NOT_ALLOWED",
		notAsked: []string{"/a-var.js"},
	},
	{
		name: "a: manifest publicPath on the hostile origin, ES module entry",
		remote: func(allowed, _ string) config.Remote {
			return config.Remote{Name: "a-esm", Entry: allowed + "/a-esm/mf-manifest.json", Type: "manifest"}
		},
		allowed: func(hostile string) map[string]string {
			return map[string]string{"/a-esm/mf-manifest.json": mfManifest("a_esm", hostile+"/", "a-esm.mjs", "", "module", "")}
		},
		hostile:  map[string]string{"/a-esm.mjs": hostileEntry("pwned_a_esm", "", true)},
		mark:     "pwned_a_esm",
		wantCode: "ORIGIN_NOT_ALLOWED",
		notAsked: []string{"/a-esm.mjs"},
	},
	{
		name: "b: manifest remoteEntry.name is a data: URL",
		remote: func(allowed, _ string) config.Remote {
			return config.Remote{Name: "b-data", Entry: allowed + "/b-data/mf-manifest.json", Type: "manifest"}
		},
		allowed: func(string) map[string]string {
			return map[string]string{"/b-data/mf-manifest.json": mfManifest("b_data", "auto",
				"data:text/javascript,window.pwned_b_data=true;export function init(){} export function get(){return ()=>({})}", "", "module", "")}
		},
		mark:     "pwned_b_data",
		wantCode: "ORIGIN_NOT_ALLOWED",
	},
	{
		name: "b: manifest remoteEntry.path makes a data: URL",
		remote: func(allowed, _ string) config.Remote {
			return config.Remote{Name: "b-path", Entry: allowed + "/b-path/mf-manifest.json", Type: "manifest"}
		},
		allowed: func(string) map[string]string {
			return map[string]string{"/b-path/mf-manifest.json": mfManifest("b_path", "",
				"/x", "data:text/javascript,window.pwned_b_path=true;", "module", "")}
		},
		mark:     "pwned_b_path",
		wantCode: "ORIGIN_NOT_ALLOWED",
	},
	{
		name: "b: a javascript: entry in a manifest",
		remote: func(allowed, _ string) config.Remote {
			return config.Remote{Name: "b-js", Entry: allowed + "/b-js/mf-manifest.json", Type: "manifest"}
		},
		allowed: func(string) map[string]string {
			return map[string]string{"/b-js/mf-manifest.json": mfManifest("b_js", "auto", "javascript:window.pwned_b_js=true", "", "global", "")}
		},
		mark:     "pwned_b_js",
		wantCode: "ORIGIN_NOT_ALLOWED",
	},
	{
		name:     "b: a blob: entry on the page's own (allowed) origin",
		remote:   func(string, string) config.Remote { return config.Remote{Name: "b-blob", Type: "esm"} },
		mark:     "pwned_b_blob",
		wantCode: "ORIGIN_NOT_ALLOWED",
		viaBlob:  true,
	},
	{
		name: "c: an ES module entry on the allowed origin redirects to the hostile one",
		remote: func(allowed, _ string) config.Remote {
			return config.Remote{Name: "c-esm", Entry: allowed + "/c-esm.mjs", Type: "esm"}
		},
		allowed: func(hostile string) map[string]string {
			return map[string]string{"/c-esm.mjs": "→ " + hostile + "/c-esm.mjs"}
		},
		hostile:  map[string]string{"/c-esm.mjs": hostileEntry("pwned_c_esm", "", true)},
		mark:     "pwned_c_esm",
		wantCode: "ORIGIN_NOT_ALLOWED",
	},
	{
		name: "c: a var entry on the allowed origin redirects to the hostile one",
		remote: func(allowed, _ string) config.Remote {
			return config.Remote{Name: "c-var", Entry: allowed + "/c-var.js", Type: "var", EntryGlobalName: "c_var"}
		},
		allowed: func(hostile string) map[string]string {
			return map[string]string{"/c-var.js": "→ " + hostile + "/c-var.js"}
		},
		hostile:  map[string]string{"/c-var.js": hostileEntry("pwned_c_var", "c_var", false)},
		mark:     "pwned_c_var",
		wantCode: "ORIGIN_NOT_ALLOWED",
	},
	{
		name: "d: a pinned manifest's entry with other bytes than the manifest's integrity",
		remote: func(allowed, hostile string) config.Remote {
			return config.Remote{Name: "d-mismatch", Entry: allowed + "/d-mismatch/mf-manifest.json", Type: "manifest",
				Integrity: sha.Of([]byte(dMismatchManifest))}
		},
		allowed: func(string) map[string]string {
			return map[string]string{"/d-mismatch/mf-manifest.json": dMismatchManifest, "/d-mismatch/entry.js": dMismatchSwapped}
		},
		mark:     "pwned_d_mismatch",
		wantCode: "INTEGRITY_MISMATCH",
	},
	{
		name: "d: a pinned manifest that gives no integrity for its entry",
		remote: func(allowed, hostile string) config.Remote {
			return config.Remote{Name: "d-none", Entry: allowed + "/d-none/mf-manifest.json", Type: "manifest",
				Integrity: sha.Of([]byte(dNoneManifest))}
		},
		allowed: func(string) map[string]string {
			return map[string]string{"/d-none/mf-manifest.json": dNoneManifest, "/d-none/entry.js": hostileEntry("pwned_d_none", "d_none", false)}
		},
		mark:     "pwned_d_none",
		wantCode: "INTEGRITY_REQUIRED",
		notAsked: []string{"/d-none/entry.js"},
	},
}

var (
	dMismatchManifest = mfManifest("d_mismatch", "auto", "entry.js", "", "global", sha.Of([]byte(dMismatchNamed)))
	dNoneManifest     = mfManifest("d_none", "auto", "entry.js", "", "global", "")
)

// codeURLOrigin serves files (a body starting with "→ " redirects there),
// with CORS for any origin (a hostile origin allows everyone; the allowed
// one's redirects must pass the CORS check too), uncached, and counts requests.
func codeURLOrigin(t *testing.T, files map[string]string) (string, *servertest.Faults) {
	t.Helper()
	url, serve := listenOrigin(t)
	counted := servertest.NewFaults(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		w.Header().Set("Cache-Control", "no-store")
		body, ok := files[r.URL.Path]
		switch {
		case !ok:
			http.NotFound(w, r)
		case strings.HasPrefix(body, "→ "):
			http.Redirect(w, r, strings.TrimPrefix(body, "→ "), http.StatusFound)
		case strings.HasSuffix(r.URL.Path, ".json"):
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(body))
		default:
			w.Header().Set("Content-Type", "text/javascript")
			_, _ = w.Write([]byte(body))
		}
	}), nil)
	serve(counted)
	return url, counted
}

// TestCodeURLBypassesRefused: with security.allowedOrigins [the allowed
// origin, the page's own], on a page whose strict CSP trusts the runtime's
// loads (nonce + 'strict-dynamic'), code from another origin, from a data:,
// blob: or javascript: URL, from a redirect, or under a manifest's
// integrity that does not cover it never runs: each load is refused with
// its code, the mark its code would set stays unset, and the runtime keeps
// loading an allowed remote whose entry redirects within the allowed origin
// and one whose pinned manifest gives its entry's integrity.
func TestCodeURLBypassesRefused(t *testing.T) {
	allowedFiles, hostileFiles := map[string]string{}, map[string]string{}
	hostURL, serveHost := listenOrigin(t)
	allowedURL, allowed := codeURLOrigin(t, allowedFiles)
	hostileURL, hostile := codeURLOrigin(t, hostileFiles)

	okEntry := hostileEntry("pinned_ok", "ok_app", false)
	okManifest := mfManifest("ok_app", "auto", "entry.js", "", "global", sha.Of([]byte(okEntry)))
	allowedFiles["/ok/mf-manifest.json"] = okManifest
	allowedFiles["/ok/entry.js"] = okEntry
	allowedFiles["/ok-moved.mjs"] = "→ " + allowedURL + "/ok.mjs"
	allowedFiles["/ok.mjs"] = hostileEntry("moved_ok", "", true)
	remotes := []config.Remote{
		{Name: "ok-manifest", Entry: allowedURL + "/ok/mf-manifest.json", Type: "manifest", Integrity: sha.Of([]byte(okManifest))},
		{Name: "ok-moved", Entry: allowedURL + "/ok-moved.mjs", Type: "esm"},
	}
	for _, c := range codeURLCases {
		if c.allowed != nil {
			for p, body := range c.allowed(hostileURL) {
				allowedFiles[p] = body
			}
		}
		for p, body := range c.hostile {
			hostileFiles[p] = body
		}
		if !c.viaBlob {
			remotes = append(remotes, c.remote(allowedURL, hostileURL))
		}
	}
	cfg := config.Config{Name: "code-urls", Remotes: remotes, Retry: &config.Retry{Times: 0, TimeoutMs: 5000},
		Security: config.Security{AllowedOrigins: []string{allowedURL, hostURL}}}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	csp := "script-src 'nonce-" + codeURLNonce + "' 'strict-dynamic' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'none'"
	serveHost(runtimePage(`<!doctype html><title>code URLs</title><script nonce="`+codeURLNonce+`" src="/fedwasm/loader.js"></script>`, csp))
	b, ctx := openRuntimePage(t, hostURL+"/")
	configJSON, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got := eval[string](t, ctx, `fedwasm.init(`+string(configJSON)+`).then(() => 'ok', (e) => e.code + ': ' + e.message)`); got != "ok" {
		t.Fatalf("init: %s", got)
	}

	type outcome struct {
		Code, Message string
		Ran           bool // the case's mark is set: its hostile code ran
	}
	const loadExpr = `(async (name, mark, blob) => {
		if (blob) {
			const url = URL.createObjectURL(new Blob([blob], { type: 'text/javascript' }));
			fedwasm.registerRemotes([{ name, entry: url, type: 'esm' }]);
		}
		const err = await fedwasm.loadRemote(name).then(() => null, (e) => e);
		return { code: err?.code ?? '', message: err?.message ?? '', ran: window[mark] !== undefined };
	})(%q, %q, %q)`
	var stats adversaryStats // the bypass class of the adversarial suite
	for _, c := range codeURLCases {
		stats.Inputs++
		passed := t.Run(c.name, func(t *testing.T) {
			blob := ""
			if c.viaBlob {
				blob = hostileEntry(c.mark, "", true)
			}
			got := eval[outcome](t, ctx, fmt.Sprintf(loadExpr, c.remote(allowedURL, hostileURL).Name, c.mark, blob))
			if got.Code != c.wantCode {
				t.Errorf("loadRemote rejected with %q (%s), want %s", got.Code, got.Message, c.wantCode)
			}
			if got.Ran {
				t.Errorf("window.%s is set: code the policy refuses ran", c.mark)
			}
			for _, p := range c.notAsked {
				if n := allowed.Hits(p) + hostile.Hits(p); n != 0 {
					t.Errorf("%s was requested %d time(s); the refused URL must not be fetched", p, n)
				}
			}
			t.Logf("%s → %s: %s", c.remote(allowedURL, hostileURL).Name, got.Code, got.Message)
		})
		if !passed {
			stats.Failures++
			stats.Samples = append(stats.Samples, c.name)
		}
		if !eval[bool](t, ctx, `(() => { try { return typeof fedwasm.inspect() === 'object'; } catch { return false; } })()`) {
			stats.Crashes++
		}
	}
	stats.report(t, "bypass")

	t.Run("allowed remotes still load", func(t *testing.T) {
		got := eval[string](t, ctx, `Promise.all([fedwasm.loadRemote('ok-manifest'), fedwasm.loadRemote('ok-moved')]).then(
			() => JSON.stringify([window.pinned_ok, window.moved_ok, document.querySelector('script[data-fedwasm-entry][src$="/ok/entry.js"]')?.integrity]),
			(e) => e.code + ': ' + e.message)`)
		if want := `[true,true,"` + sha.Of([]byte(okEntry)) + `"]`; got != want {
			t.Errorf("[pinned manifest's entry ran, redirected entry ran, the entry's script integrity] = %s, want %s", got, want)
		}
	})
	if ran := eval[[]string](t, ctx, `Object.keys(window).filter((k) => k.startsWith('pwned_'))`); len(ran) > 0 {
		t.Errorf("hostile code ran: window has %v", ran)
	}
	for _, p := range b.Problems() {
		if strings.Contains(p, "uncaught") || strings.Contains(p, "Content Security Policy") {
			t.Errorf("page problem: %s", p)
		}
	}
}
