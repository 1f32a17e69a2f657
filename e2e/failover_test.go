//go:build e2e

package e2e

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/fedwasm/fedwasm/internal/servertest"
	"github.com/fedwasm/fedwasm/server"
)

// TestDomainFailoverAndRequiredIntegrity: an entry whose origin answers 503
// is fetched from the next origin in retry.domains (path kept), and under
// security.requireIntegrity a remote without an integrity is refused before
// anything is fetched.
func TestDomainFailoverAndRequiredIntegrity(t *testing.T) {
	remotes := os.DirFS(filepath.Join(root, "e2e", "testdata", "faults", "remotes"))
	hostURL, serveHost := listenOrigin(t)
	deadURL, serveDead := listenOrigin(t)
	spareURL, serveSpare := listenOrigin(t)
	policy := server.Policy{AllowedOrigins: []string{hostURL}}
	dead := servertest.NewFaults(server.Files(remotes, policy), map[string]servertest.Fault{"/remote.js": {Status: 503}})
	spare := servertest.NewFaults(server.Files(remotes, policy), nil)
	serveDead(dead)
	serveSpare(spare)
	serveHost(runtimePage(`<!doctype html><title>failover</title><script src="/fedwasm/loader.js"></script>`, ""))
	b, ctx := openRuntimePage(t, hostURL+"/")
	got := eval[string](t, ctx, `(async () => {
		await fedwasm.init({ name: 'host',
			retry: { times: 2, delayMs: 20, timeoutMs: 2000, domains: [`+jsString(deadURL)+`, `+jsString(spareURL)+`] },
			remotes: [{ name: 'shop', entry: `+jsString(deadURL+"/remote.js")+`, type: 'esm' }] });
		const mod = await fedwasm.loadRemote('shop');
		const failover = typeof mod.mount === 'function';
		const strict = await fedwasm.loadRemote('shop').then(() => 'cached');
		return JSON.stringify({ failover, strict }) })()`)
	if got != `{"failover":true,"strict":"cached"}` {
		t.Errorf("got %s", got)
	}
	if dead.Hits("/remote.js") != 1 || spare.Hits("/remote.js") != 1 {
		t.Errorf("requests: dead origin %d, spare origin %d; want 1 and 1 (the first retry fails over)", dead.Hits("/remote.js"), spare.Hits("/remote.js"))
	}

	// A fresh page with requireIntegrity: the remote without integrity is refused up front.
	reopenRuntimePage(t, ctx, hostURL+"/", b)
	before := spare.Hits("/remote.js")
	code := eval[string](t, ctx, `(async () => {
		await fedwasm.init({ name: 'host', security: { requireIntegrity: true },
			remotes: [{ name: 'shop', entry: `+jsString(spareURL+"/remote.js")+`, type: 'esm' }] });
		return fedwasm.loadRemote('shop').then(() => 'loaded', (e) => e.code) })()`)
	if code != "INTEGRITY_REQUIRED" || spare.Hits("/remote.js") != before {
		t.Errorf("requireIntegrity: got %s with %d new request(s), want INTEGRITY_REQUIRED and none", code, spare.Hits("/remote.js")-before)
	}
}
