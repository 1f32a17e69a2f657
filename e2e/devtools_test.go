//go:build e2e

package e2e

import (
	"strings"
	"testing"

	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/internal/demo"
)

// devtoolsViewJS reads window.__FEDERATION__ as Module Federation's Chrome
// devtools read it (module-federation/core, packages/chrome-devtools):
// getInspectWindowTabId's probe, post-message-start.ts's payload (which
// must survive postMessage), separateType (utils/data, vendor
// basic-proxy-core.js: consumers are the keys with remotesInfo, producers
// the ids in them), DependencyGraph's join of a consumer's remotesInfo to
// its producers' snapshots (utils/sdk/graph.ts: id:matchedVersion) and
// SharedDepsExplorer's normalizeShareData (instance → scope → package →
// version → Shared).
const devtoolsViewJS = `(() => {
	const fed = window.__FEDERATION__;
	const out = { probe: typeof window.__FEDERATION__ !== 'undefined' || typeof window.__VMOK__ !== 'undefined',
		vmok: window.__VMOK__ === fed,
		fields: ['__GLOBAL_PLUGIN__', '__INSTANCES__'].every((k) => Array.isArray(fed[k])) &&
			fed.__PRELOADED_MAP__ instanceof Map && fed.__PRELOADED_ASSETS__ instanceof Set &&
			typeof fed.__MANIFEST_LOADING__ === 'object',
		descriptor: (({ configurable, writable }) => ({ configurable, writable }))(Object.getOwnPropertyDescriptor(window, '__FEDERATION__')) };
	try {
		structuredClone({ moduleInfo: fed.moduleInfo, share: fed.__SHARE__ });
		out.cloneable = true;
	} catch (e) {
		out.cloneable = String(e);
	}
	const consumers = [], producer = [];
	for (const key of Object.keys(fed.moduleInfo)) {
		const remotesInfo = fed.moduleInfo[key] && fed.moduleInfo[key].remotesInfo;
		if (remotesInfo && Object.keys(remotesInfo).length) {
			consumers.push(key);
			for (const id of Object.keys(remotesInfo)) if (!producer.includes(id)) producer.push(id);
		}
	}
	out.consumers = consumers;
	out.producer = producer.sort();
	out.graph = {};
	const shell = fed.moduleInfo.shell || {};
	for (const [dep, info] of Object.entries(shell.remotesInfo || {})) {
		const snap = fed.moduleInfo[dep + ':' + info.matchedVersion];
		out.graph[dep] = snap ? { node: dep + ':' + (snap.version || snap.remoteEntry), remoteEntryType: snap.remoteEntryType,
			globalName: snap.globalName, modules: Array.isArray(snap.modules), shared: Array.isArray(snap.shared) } : null;
	}
	out.hostShared = (shell.shared || []).map((s) => s.sharedName).sort();
	out.shares = [];
	for (const [instance, scopes] of Object.entries(fed.__SHARE__)) {
		for (const [scope, pkgs] of Object.entries(scopes)) {
			for (const [pkg, versions] of Object.entries(pkgs)) {
				for (const [version, e] of Object.entries(versions)) {
					out.shares.push({ instance, scope, pkg, version: e.version || version, from: e.from,
						useIn: e.useIn, singleton: e.shareConfig && e.shareConfig.singleton,
						loaded: e.loaded === true, scopeList: e.scope });
				}
			}
		}
	}
	return out;
})()`

type devtoolsView struct {
	Probe, Vmok, Fields bool
	Descriptor          struct{ Configurable, Writable bool }
	Cloneable           any
	Consumers, Producer []string
	Graph               map[string]*struct {
		Node, RemoteEntryType, GlobalName string
		Modules, Shared                   bool
	}
	HostShared []string
	Shares     []struct {
		Instance, Scope, Pkg, Version, From string
		UseIn, ScopeList                    []string
		Singleton, Loaded                   bool
	}
}

// TestDevtoolsSeeTheFederationGlobal checks window.__FEDERATION__ on the
// demo field by field as MF's Chrome devtools read it: the host is the
// consumer of every configured remote, each remote's snapshot is where the
// graph looks for it, the share view finds the host's share scope, and the
// global follows later registrations (posted to the devtools' panel when
// their plugin is on the page).
func TestDevtoolsSeeTheFederationGlobal(t *testing.T) {
	d, b, ctx := startDemo(t)
	waitFor(t, ctx, `!!(window.__FEDERATION__ && __FEDERATION__.moduleInfo.shell &&
		__FEDERATION__.__SHARE__.shell && __FEDERATION__.__SHARE__.shell.default && __FEDERATION__.__SHARE__.shell.default.react)`,
		"the host's moduleInfo and share scope in window.__FEDERATION__")
	v := eval[devtoolsView](t, ctx, devtoolsViewJS)
	if !v.Probe || !v.Vmok || !v.Fields || v.Cloneable != true {
		t.Errorf("the global: probe %v, __VMOK__ %v, MF's fields %v, cloneable %v", v.Probe, v.Vmok, v.Fields, v.Cloneable)
	}
	if v.Descriptor.Configurable || !v.Descriptor.Writable {
		t.Errorf("__FEDERATION__ is defined %+v, want writable and not configurable, as MF's runtime defines it", v.Descriptor)
	}
	if strings.Join(v.Consumers, ",") != "shell" {
		t.Errorf("consumers %v, want [shell]", v.Consumers)
	}
	var names []string
	for _, r := range d.Config.Remotes {
		names = append(names, r.Name)
	}
	for _, name := range names {
		g := v.Graph[name]
		if g == nil {
			t.Errorf("remote %s: no snapshot under %s:<its entry>", name, name)
			continue
		}
		if !strings.HasPrefix(g.Node, name+":http://") || g.RemoteEntryType != "esm" || g.GlobalName != name || !g.Modules || !g.Shared {
			t.Errorf("remote %s: %+v", name, *g)
		}
	}
	if len(v.Producer) != len(names) {
		t.Errorf("producers %v, want the config's remotes %v", v.Producer, names)
	}
	if !strings.Contains(strings.Join(v.HostShared, ","), "react") {
		t.Errorf("the host's shared list %v lacks react", v.HostShared)
	}
	found := false
	for _, s := range v.Shares {
		if s.Instance == "shell" && s.Scope == "default" && s.Pkg == "react" {
			found = true
			if s.From != "shell" || !s.Singleton || !s.Loaded || len(s.ScopeList) != 1 || !strings.Contains(strings.Join(s.UseIn, ","), "shell") {
				t.Errorf("react in the share view: %+v", s)
			}
		}
	}
	if !found {
		t.Errorf("no react in the share view: %+v", v.Shares)
	}

	// A later remote appears; with the devtools' plugin on the page, the
	// refresh is posted to their panel as MF's snapshots are.
	eval[bool](t, ctx, `(() => {
		window.devtoolsPosts = [];
		window.addEventListener('message', (e) => { if (e.data && e.data.moduleInfo) devtoolsPosts.push(e.data); });
		__FEDERATION__.__GLOBAL_PLUGIN__.push({ name: 'mf-devtool-getModuleInfo-plugin' });
		fedwasm.registerRemotes([{ name: 'late', entry: '`+d.RemoteURL+`/late.js', type: 'esm' }]);
		return true;
	})()`)
	waitFor(t, ctx, `!!(__FEDERATION__.moduleInfo.shell.remotesInfo.late && __FEDERATION__.moduleInfo['late:`+d.RemoteURL+`/late.js'])`,
		"a remote registered later in moduleInfo")
	waitFor(t, ctx, `devtoolsPosts.some((p) => p.moduleInfo.shell && p.moduleInfo.shell.remotesInfo.late && p.share.shell.default.react)`,
		"the refresh posted to the devtools' panel")
	noProblems(t, b)
}

// TestDevtoolsProxyRedirectsWithinAllowedOrigins sets the devtools'
// proxy rules (localStorage.__MF_DEVTOOLS__, as their Proxy tab writes
// them) and reloads. The demo's registry pins its remotes by integrity, so
// their rules are refused (reason integrity, and version for a version);
// of two remotes the page registers later without integrity, the one
// redirected to an allowed origin loads from there (DEVTOOLS_OVERRIDE),
// the one redirected elsewhere keeps its entry (reason origin).
func TestDevtoolsProxyRedirectsWithinAllowedOrigins(t *testing.T) {
	var cartOrigin string
	_, b, ctx := startDemoWith(t, demo.Options{EditConfig: func(c *config.Config) {
		origins := map[string]bool{}
		for _, r := range c.Remotes {
			origin := r.Entry[:strings.Index(r.Entry[len("http://"):], "/")+len("http://")]
			origins[origin] = true
			if r.Name == "badge" {
				cartOrigin = origin
			}
		}
		for o := range origins {
			c.Security.AllowedOrigins = append(c.Security.AllowedOrigins, o)
		}
	}})
	allowed := cartOrigin + "/badge.js?devtools=1"
	refused := strings.Replace(cartOrigin, "127.0.0.1", "localhost", 1) + "/promo.js"
	eval[bool](t, ctx, `(localStorage.setItem('__MF_DEVTOOLS__', JSON.stringify({ overrides: {
		badge: '`+allowed+`', products: '1.2.3', dev: '`+allowed+`', dev2: '`+refused+`' }, enableFastRefresh: false })), true)`)
	t.Cleanup(func() { eval[bool](t, ctx, `(localStorage.removeItem('__MF_DEVTOOLS__'), true)`) })
	reloadUntil(t, ctx, b, `window.demo !== undefined && window.__FEDERATION__ !== undefined && !!__FEDERATION__.moduleInfo.shell`)
	type report struct {
		Entries  map[string]string
		Warnings []struct {
			Code    string
			Details map[string]any
		}
		Fetched, Info, Module bool
		Dev                   string
	}
	r := eval[report](t, ctx, `(() => {
		fedwasm.registerRemotes([
			{ name: 'dev', entry: 'http://127.0.0.1:9/dev.js', type: 'esm' },
			{ name: 'dev2', entry: '`+cartOrigin+`/promo.js', type: 'esm' }]);
		return fedwasm.loadRemote('dev').then((m) => new Promise((resolve) => setTimeout(() => resolve(m), 50))).then((m) => {
			const s = fedwasm.inspect();
			const entries = {};
			for (const r of s.remotes) entries[r.name] = r.entry;
			return { entries, warnings: s.warnings.filter((w) => w.code.startsWith('DEVTOOLS_')), module: !!m,
				fetched: performance.getEntriesByType('resource').some((e) => e.name === '`+allowed+`'),
				info: !!__FEDERATION__.moduleInfo['dev:`+allowed+`'],
				dev: __FEDERATION__.moduleInfo.shell.remotesInfo.dev.matchedVersion };
		});
	})()`)
	if r.Entries["dev"] != allowed || !r.Module || !r.Fetched || !r.Info || r.Dev != allowed {
		t.Errorf("dev: entry %s, module %v, fetched %v, moduleInfo under the override %v, remotesInfo %s; want %s",
			r.Entries["dev"], r.Module, r.Fetched, r.Info, r.Dev, allowed)
	}
	if r.Entries["dev2"] != cartOrigin+"/promo.js" || r.Entries["badge"] != cartOrigin+"/badge.js" {
		t.Errorf("dev2 or badge moved: %v", r.Entries)
	}
	got := map[string]string{}
	for _, w := range r.Warnings {
		name, _ := w.Details["remote"].(string)
		reason, _ := w.Details["reason"].(string)
		got[name] = w.Code + " " + reason
	}
	want := map[string]string{"dev": "DEVTOOLS_OVERRIDE ", "dev2": "DEVTOOLS_OVERRIDE_REFUSED origin",
		"badge": "DEVTOOLS_OVERRIDE_REFUSED integrity", "products": "DEVTOOLS_OVERRIDE_REFUSED version"}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("warning for %s: %q, want %q (all: %v)", name, got[name], w, got)
		}
	}
	noProblems(t, b)
}
