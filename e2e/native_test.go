//go:build e2e

package e2e

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/fedwasm/fedwasm/internal/servertest"
	"github.com/fedwasm/fedwasm/server"
)

// nfFiles reads the Native Federation fixture's build (fixtures/native-federation,
// built by ./build.sh with @softarc/native-federation 4.7.0's esbuild adapter
// into dist/fixtures/nf-remote/): its remoteEntry.json and the files it names.
func nfFiles(t *testing.T) (entry map[string]any, button, react string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, "dist", "fixtures", "nf-remote", "remoteEntry.json"))
	if err != nil {
		t.Fatalf("the Native Federation fixture is not built (./build.sh builds it): %v", err)
	}
	if err := json.Unmarshal(data, &entry); err != nil {
		t.Fatal(err)
	}
	button = entry["exposes"].([]any)[0].(map[string]any)["outFileName"].(string)
	react = entry["shared"].([]any)[0].(map[string]any)["outFileName"].(string)
	return entry, button, react
}

// TestNativeFederationRemote loads the real Native Federation remote: a
// host page on one origin, the remote's build on another. Its exposed
// ./Button and ./Badge (which import a chunk of code they share by its
// relative path, as the build splits it) import react by bare specifier; the
// host shares React 19 as a
// singleton with an import URL, so the remote's requiredVersion ^19.0.0
// (strictVersion) is met by the host's, the import map scope of the
// remote's directory maps react to the host's module, and the remote's own
// react bundle is never fetched; inspect() says why. A host that shares no
// react gets the remote's copy, chosen by the same rules. Hostile or
// mismatched variants of its remoteEntry.json are refused with their codes,
// and nothing they name outside the remote's directory is requested. The
// host's remotes are Native Federation's federation.manifest.json, as it is.
func TestNativeFederationRemote(t *testing.T) {
	entry, buttonFile, reactFile := nfFiles(t)
	hostURL, serveHost := listenOrigin(t)
	remoteURL, serveRemote := listenOrigin(t)
	files := server.Files(os.DirFS(filepath.Join(root, "dist", "fixtures")), server.Policy{AllowedOrigins: []string{hostURL}})

	// Variants of the fixture's remoteEntry.json, each in a directory of its
	// own beside the real build (/nf-remote/): their files are the build's,
	// copied in by the handler below.
	variant := func(change func(e map[string]any)) []byte {
		raw, _ := json.Marshal(entry)
		var e map[string]any
		_ = json.Unmarshal(raw, &e)
		change(e)
		out, _ := json.Marshal(e)
		return out
	}
	exposeFile := func(e map[string]any, file string) {
		e["exposes"].([]any)[0].(map[string]any)["outFileName"] = file
	}
	variants := map[string][]byte{
		// Native Federation's host reads its remotes from this file; it is
		// a config's remotes as it is.
		"/federation.manifest.json":        []byte(`{"nfRemote": "` + remoteURL + `/nf-remote/remoteEntry.json"}`),
		"/nf-traversal/remoteEntry.json":   variant(func(e map[string]any) { exposeFile(e, "../nf-remote/"+buttonFile) }),
		"/nf-crossorigin/remoteEntry.json": variant(func(e map[string]any) { exposeFile(e, hostURL+"/fedwasm/loader.js") }),
		"/nf-tampered/remoteEntry.json":    variant(func(map[string]any) {}),
		"/nf-react18/remoteEntry.json": variant(func(e map[string]any) {
			e["shared"].([]any)[0].(map[string]any)["requiredVersion"] = "^18.0.0"
		}),
	}
	remote := servertest.NewFaults(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		dir, name, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
		if doc, ok := variants[r.URL.Path]; ok {
			w.Header().Set("Access-Control-Allow-Origin", hostURL)
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(doc)
			return
		}
		if dir == "nf-tampered" && name == buttonFile {
			w.Header().Set("Access-Control-Allow-Origin", hostURL)
			w.Header().Set("Content-Type", "text/javascript")
			_, _ = w.Write([]byte("export const Button = () => 'not the build'; export const reactVersion = 'tampered';"))
			return
		}
		if strings.HasPrefix(dir, "nf-") && dir != "nf-remote" {
			r = r.Clone(r.Context())
			r.URL.Path = "/nf-remote/" + name
		}
		files.ServeHTTP(w, r)
	}), nil)
	serveRemote(remote)
	serveHost(runtimePage(`<!doctype html><title>Native Federation</title><link rel="icon" href="data:,"><script src="/fedwasm/loader.js"></script>`, ""))
	b, ctx := openRuntimePage(t, hostURL+"/")
	// The refusals below are logged by the page, each with its code.
	expectedProblems.Store(b, func(line string) bool {
		return strings.Contains(line, "REMOTE_INVALID_MANIFEST") || strings.Contains(line, "SHARE_SINGLETON_MISMATCH") || strings.Contains(line, "INTEGRITY_MISMATCH")
	})
	t.Cleanup(func() { expectedProblems.Delete(b) })

	type loaded struct {
		Error        string
		Code         string
		Text         string
		ReactVersion string
		SameReact    bool
		GotFrom      string
		Got          string
		Rule         string
		Reason       string
		Providers    []string
		Scope        map[string]string
	}
	// load inits the page with the config (a JS object; remotes get the
	// remote origin's URL), loads nfRemote/Button, renders its element and
	// reports which react it got and what inspect() says about it.
	load := func(config string) loaded {
		return eval[loaded](t, ctx, `(async () => {
			const remote = `+jsString(remoteURL)+`;
			await fedwasm.init(`+config+`);
			const out = {};
			try {
				const mod = await fedwasm.loadRemote('nfRemote/Button');
				const hostReact = await fedwasm.loadShare('react');
				const React = hostReact.default ?? hostReact;
				const badge = await fedwasm.loadRemote('nfRemote/Badge');
				out.text = mod.Button({ label: 'Buy' }).props.children + ' ' + badge.Badge({}).props.children;
				out.reactVersion = mod.reactVersion;
				out.sameReact = mod.react === React;
			} catch (e) {
				out.error = e.message;
				out.code = e.code;
			}
			const pkg = fedwasm.inspect().shares.find((p) => p.package === 'react');
			const consumer = pkg?.consumers.find((c) => c.from === 'nfRemote') ?? {};
			out.gotFrom = consumer.gotFrom;
			out.got = consumer.got;
			out.rule = consumer.rule;
			out.reason = consumer.reason || consumer.error?.message;
			out.providers = (pkg?.providers ?? []).map((p) => p.version + ' from ' + p.from);
			const maps = [...document.querySelectorAll('script[type="importmap"]')].map((s) => JSON.parse(s.textContent));
			out.scope = Object.assign({}, ...maps.map((m) => m.scopes?.[remote + '/nf-remote/'] ?? {}));
			return out;
		})()`)
	}
	const hostShares = `shared: { react: { version: '19.3.1', import: '/vendor/react.js', shareConfig: { singleton: true, requiredVersion: '^19.0.0' } } }`
	remoteNamed := func(dir string) string {
		return `remotes: [{ name: 'nfRemote', entry: remote + '/` + dir + `/remoteEntry.json' }]`
	}

	t.Run("the remote shares the host's React", func(t *testing.T) {
		got := load(`{ name: 'host', ` + hostShares + `, remotes: await (await fetch(remote + '/federation.manifest.json')).json() }`)
		if got.Error != "" {
			t.Fatalf("loadRemote('nfRemote/Button'): %s %s", got.Code, got.Error)
		}
		if got.Text != "Buy new" || got.ReactVersion != "19.3.1" || !got.SameReact {
			t.Errorf("the exposed modules: %+v; want Button and Badge rendering with the host's React 19.3.1", got)
		}
		if got.GotFrom != "host" || got.Got != "19.3.1" || !strings.Contains(got.Reason, "19.3.1 from host") {
			t.Errorf("inspect() for nfRemote's react: from %q, %q by %q: %s", got.GotFrom, got.Got, got.Rule, got.Reason)
		}
		if !slices.Equal(got.Providers, []string{"19.3.1 from host"}) { // the remote offers the same version: one entry per version stays, as in webpack's scope
			t.Errorf("providers of react: %v, want the host's 19.3.1", got.Providers)
		}
		if got.Scope["react"] != hostURL+"/vendor/react.js" {
			t.Errorf("the remote's import map scope: %v, want react mapped to the host's", got.Scope)
		}
		if n := remote.Hits("/nf-remote/" + reactFile); n != 0 {
			t.Errorf("the remote's own react bundle was requested %d time(s); the host's should be shared", n)
		}
		if n := remote.Hits("/nf-remote/remoteEntry.json"); n != 1 {
			t.Errorf("remoteEntry.json requested %d times, want 1", n)
		}
		t.Logf("nfRemote's react: %s (%s)", got.Rule, got.Reason)
	})

	t.Run("registered again with force under another remoteEntry.json: its modules come from there", func(t *testing.T) {
		got := eval[string](t, ctx, `(async () => {
			const before = await fedwasm.loadRemote('nfRemote/Button');
			fedwasm.registerRemotes([{ name: 'nfRemote', entry: `+jsString(remoteURL+"/nf-copy/remoteEntry.json")+` }], { force: true });
			const after = await fedwasm.loadRemote('nfRemote/Button');
			return (before !== after) + ' ' + (after.react === before.react) + ' ' + fedwasm.inspect().remotes.find((r) => r.name === 'nfRemote').entry;
		})()`)
		// The module is fetched twice: once for Go to check its integrity, once by import().
		if want := "true true " + remoteURL + "/nf-copy/remoteEntry.json"; got != want || remote.Hits("/nf-copy/"+buttonFile) != 2 {
			t.Errorf("after force: %s, /nf-copy/%s requested %d times; want %s, twice", got, buttonFile, remote.Hits("/nf-copy/"+buttonFile), want)
		}
	})

	t.Run("a host without react: the remote's own copy, chosen by the rules", func(t *testing.T) {
		reopenRuntimePage(t, ctx, hostURL+"/", b)
		got := load(`{ name: 'host', ` + remoteNamed("nf-remote") + ` }`)
		if got.Error != "" {
			t.Fatalf("loadRemote('nfRemote/Button'): %s %s", got.Code, got.Error)
		}
		if got.GotFrom != "nfRemote" || got.Scope["react"] != remoteURL+"/nf-remote/"+reactFile || !got.SameReact || !slices.Equal(got.Providers, []string{"19.3.1 from nfRemote"}) {
			t.Errorf("got %+v; want the remote's react, mapped in its scope and handed to the host's loadShare too", got)
		}
	})

	for _, c := range []struct {
		name, dir, code, never string
	}{
		{"a file outside the remote's directory", "nf-traversal", "REMOTE_INVALID_MANIFEST", "/nf-remote/" + buttonFile},
		{"a file on another origin", "nf-crossorigin", "REMOTE_INVALID_MANIFEST", ""},
		{"a file whose bytes do not match its integrity", "nf-tampered", "INTEGRITY_MISMATCH", ""},
		{"a strictVersion singleton the host's React does not satisfy", "nf-react18", "SHARE_SINGLETON_MISMATCH", "/nf-react18/" + buttonFile},
	} {
		t.Run("refused: "+c.name, func(t *testing.T) {
			reopenRuntimePage(t, ctx, hostURL+"/", b)
			var before int
			if c.never != "" {
				before = remote.Hits(c.never)
			}
			got := load(`{ name: 'host', ` + hostShares + `, ` + remoteNamed(c.dir) + ` }`)
			if got.Code != c.code || got.Text != "" {
				t.Errorf("loadRemote: %+v; want refused with %s", got, c.code)
			}
			if c.never != "" && remote.Hits(c.never) != before {
				t.Errorf("%s was requested", c.never)
			}
			t.Logf("%s: %s", got.Code, got.Error)
		})
	}
	noProblems(t, b)
}
