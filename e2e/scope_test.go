//go:build e2e

package e2e

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/internal/servertest"
	"github.com/fedwasm/fedwasm/server"
)

const scopeProbePageHTML = `<!doctype html>
<html><head><meta charset="utf-8"><title>scope probe</title><link rel="icon" href="data:,"></head>
<body><main id="slot"></main>
<script src="/fedwasm/loader.js" data-config="/federation.json"></script>
</body></html>
`

// TestEveryScopeThrowsLikeTheRest: the scope a remote's mount(element,
// props, scope) receives behaves like fedwasm.scope(): each synchronous
// method throws its coded Error instead of returning it (fedwasm.d.ts says
// they throw), and a good call still returns its value.
func TestEveryScopeThrowsLikeTheRest(t *testing.T) {
	url, serve := listenOrigin(t)
	cfg := config.Config{Name: "probe-host", Remotes: []config.Remote{{Name: "probe", Entry: "/remotes/probe.js", Type: "esm"}},
		Ownership: config.Ownership{Stores: map[string]string{"owned": "probe-host"}}}
	configHandler, err := servertest.JSON(cfg)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/remotes/", http.StripPrefix("/remotes", server.Files(os.DirFS(filepath.Join(root, "e2e", "testdata", "scope-probe")), server.Policy{})))
	mux.Handle("/federation.json", configHandler)
	mux.Handle("/", runtimePage(scopeProbePageHTML, ""))
	serve(mux)
	b, ctx := openPage(t, url+"/", runtimeReady)

	got := eval[string](t, ctx, `(async () => {
		fedwasm.stores.provide('owned', { getState() {}, subscribe() { return () => {}; } }, { owner: 'probe-host' });
		let viaMount;
		const mounted = await fedwasm.mount('probe', document.querySelector('#slot'), { report: (r) => { viaMount = r; } });
		const { probe } = await fedwasm.loadRemote('probe');
		const viaPage = probe(fedwasm.scope('probe-page'));
		await mounted.unmount();
		return JSON.stringify({ viaMount, viaPage }) })()`)
	var results struct{ ViaMount, ViaPage map[string]string }
	if err := json.Unmarshal([]byte(got), &results); err != nil {
		t.Fatalf("%v: %s", err, got)
	}
	want := map[string]string{
		"stores.provide":   "threw STORE_OWNED",
		"stores.subscribe": "threw STORE_TIMEOUT",
		"loadShareSync":    "threw SHARE_NOT_FOUND",
		"events.on":        "threw INVALID_ARGUMENT",
		"events.emit":      "threw INVALID_ARGUMENT",
		"query.connect":    "threw QUERY_CLIENT_INVALID",
		"events.on (good)": "function",
	}
	for name, w := range want {
		if g := results.ViaPage[name]; g != w {
			t.Errorf("fedwasm.scope('probe-page').%s: %s, want %s", name, g, w)
		}
		if g := results.ViaMount[name]; g != w {
			t.Errorf("the scope mount received: %s: %s, want %s", name, g, w)
		}
	}
	noProblems(t, b)
}
