//go:build js && wasm

package jsbridge

import (
	"strings"
	"syscall/js"
	"testing"
)

// jsValue evaluates a JS expression in the page (plugins are page code, so
// the tests write them as a page would).
func jsValue(src string) js.Value {
	return js.Global().Get("Function").New("return (" + src + ")").Invoke()
}

// hooksEnv is a runtime initialized with security.plugins naming allowed,
// fedwasm's own retries cut to retryTimes, and an importModule that
// rejects every URL unless ok(url) says so, answering with a container
// whose exposes are plain functions.
func hooksEnv(t *testing.T, allowed []any, retryTimes int, ok func(url string) bool) (*env, *importer) {
	t.Helper()
	container := jsValue(`{ init() {}, get(expose) { return () => ({ from: 'container', expose }) } }`)
	im := newImporter(t, func(url string) js.Value {
		if ok(url) {
			return resolvedWith(container).Invoke()
		}
		return rejectedWith(newError("cannot import " + url)).Invoke()
	})
	e := newEnvWithHooks(t, im.hooks())
	resolves(t, e.call("init", obj("name", "shell",
		"security", obj("plugins", arr(allowed...)),
		"retry", obj("times", retryTimes, "delayMs", 1, "timeoutMs", 2000),
		"remotes", arr(obj("name", "app", "entry", appEntry, "type", "esm"), obj("name", "other", "entry", "http://127.0.0.1:8083/other.js", "type", "esm")))))
	return e, im
}

func warningCodes(e *env, code string) []string {
	var out []string
	ws := e.inspect().Get("warnings")
	for i := 0; i < ws.Length(); i++ {
		if str(ws.Index(i), "code") == code {
			out = append(out, str(ws.Index(i), "details", "plugin")+" "+str(ws.Index(i), "details", "hook"))
		}
	}
	return out
}

// loadEntryError runs once fedwasm's own attempts are spent, with MF's
// arguments; getRemoteEntry makes one more attempt (a fresh cache-busting
// query for an ES module), and its container is used, as
// @module-federation/retry-plugin relies on.
func TestLoadEntryError(t *testing.T) {
	e, im := hooksEnv(t, []any{"app"}, 1, func(url string) bool { return strings.Contains(url, "fedwasm-retry=2") })
	log := jsValue(`[]`)
	js.Global().Set("hookLog", log)
	notThrown(t, e.call("use", jsValue(`{ name: 'retry', async loadEntryError(args) {
		hookLog.push(Object.keys(args).sort().join(','), args.uniqueKey, args.remoteInfo.name, typeof args.globalLoading, String(args.origin === fedwasm));
		delete args.globalLoading[args.uniqueKey];
		return args.getRemoteEntry({ origin: args.origin, remoteInfo: args.remoteInfo, remoteEntryExports: args.remoteEntryExports });
	} }`)))
	m := resolves(t, e.call("loadRemote", "app/Button"))
	if got := str(m, "from") + " " + str(m, "expose"); got != "container ./Button" {
		t.Errorf("loadRemote = %s, want the recovered container's ./Button", got)
	}
	if got := stringify(log); got != `["getRemoteEntry,globalLoading,origin,remoteEntryExports,remoteInfo,uniqueKey","app:`+appEntry+`","app","object","true"]` {
		t.Errorf("loadEntryError's args: %s", got)
	}
	if got := strings.Join(im.urls, " "); !strings.HasSuffix(got, "?fedwasm-retry=1 "+appEntry+"?fedwasm-retry=2") {
		t.Errorf("imports %s: want fedwasm's attempt, then the plugin's with the next query", got)
	}

	// A falsy return leaves the error; a remote security.plugins does not
	// name never reaches the hook.
	rejects(t, e.call("loadRemote", "other"), "REMOTE_LOAD_FAILED")
	if log.Length() != 5 {
		t.Errorf("loadEntryError ran for a remote security.plugins does not name: %s", stringify(log))
	}
	if got := warningCodes(e, "PLUGIN_NOT_ALLOWED"); strings.Join(got, ",") != "retry loadEntryError" {
		t.Errorf("PLUGIN_NOT_ALLOWED warnings %v", got)
	}
}

// getRemoteEntry loads the URL getEntryUrl(entry) returns, as MF's
// runtime-core does (retry-plugin 2.x's domains and retryCount); one that
// throws fails that attempt with a coded error; a non-string is ignored.
func TestLoadEntryErrorGetEntryUrl(t *testing.T) {
	e, im := hooksEnv(t, []any{"app"}, 0, func(url string) bool { return strings.Contains(url, "retryCount=1") })
	log := jsValue(`[]`)
	js.Global().Set("hookLog", log)
	notThrown(t, e.call("use", jsValue(`{ name: 'retry', async loadEntryError(args) {
		const attempt = (getEntryUrl) => args.getRemoteEntry({ ...args, getEntryUrl }).then(
			(c) => { hookLog.push('loaded'); return c; }, (err) => { hookLog.push(String(err && err.code)); });
		await attempt(() => { throw new Error('plugin bug'); });
		await attempt(() => 42);
		return attempt((url) => { hookLog.push(url); return url + '?retryCount=1'; });
	} }`)))
	m := resolves(t, e.call("loadRemote", "app/Button"))
	if got := str(m, "from"); got != "container" {
		t.Errorf("loadRemote = %s, want the container getEntryUrl's URL gave", got)
	}
	if got := stringify(log); !strings.HasPrefix(got, `["JS_EXCEPTION","REMOTE_LOAD_FAILED","`+appEntry+`","loaded"]`) {
		t.Errorf("the attempts: %s, want a coded failure for the throw, the entry's own URL for 42, then getEntryUrl's URL loaded", got)
	}
	if got := im.urls[len(im.urls)-1]; !strings.HasPrefix(got, appEntry+"?retryCount=1&fedwasm-retry=") {
		t.Errorf("the last import was %s, want getEntryUrl's URL with fedwasm's cache-busting query", got)
	}
}

// A loadEntryError that returns nothing leaves the load's error.
func TestLoadEntryErrorNoRecovery(t *testing.T) {
	e, _ := hooksEnv(t, []any{"*"}, 0, func(string) bool { return false })
	notThrown(t, e.call("use", jsValue(`{ name: 'observer', loadEntryError() { return undefined } }`)))
	notThrown(t, e.call("use", jsValue(`{ name: 'thrower', loadEntryError() { throw new Error('plugin bug') } }`)))
	rejects(t, e.call("loadRemote", "app"), "REMOTE_LOAD_FAILED")
	if got := warningCodes(e, "PLUGIN_HOOK_FAILED"); strings.Join(got, ",") != "thrower loadEntryError" {
		t.Errorf("PLUGIN_HOOK_FAILED warnings %v, want the throwing plugin's", got)
	}
}

// getModuleFactory: a returned function is the factory; anything else
// leaves container.get. initContainerShareScopeMap sees the live scope each
// container's init gets.
func TestGetModuleFactory(t *testing.T) {
	e, _ := hooksEnv(t, []any{"app"}, 0, func(string) bool { return true })
	js.Global().Set("hookLog", jsValue(`[]`))
	notThrown(t, e.call("use", jsValue(`{ name: 'factory', async getModuleFactory({ remoteEntryExports, expose, moduleInfo }) {
		hookLog.push(expose + ' ' + moduleInfo.name + ' ' + typeof remoteEntryExports.get);
		if (expose === './Plugin') return () => ({ from: 'plugin' });
		if (expose === './Retried') return remoteEntryExports.get(expose); // retry-plugin's script option
		return { not: 'a function' };
	},
	initContainerShareScopeMap(a) {
		hookLog.push('scope ' + a.scopeName + ' ' + (a.shareScope === fedwasm.shareScope(a.scopeName)) + ' ' + (a.hostShareScopeMap[a.scopeName] === a.shareScope));
	} }`)))
	for id, want := range map[string]string{"app/Plugin": "plugin", "app/Other": "container", "app/Retried": "container", "other/Plugin": "container"} {
		if got := str(resolves(t, e.call("loadRemote", id)), "from"); got != want {
			t.Errorf("loadRemote(%s) from %s, want %s", id, got, want)
		}
	}
	if got := stringify(js.Global().Get("hookLog")); !strings.Contains(got, "./Plugin app function") || strings.Contains(got, "other") ||
		strings.Count(got, "scope default true true") != 2 {
		t.Errorf("getModuleFactory's calls: %s", got)
	}
}

// manifestText is an MF 2.0 manifest whose ES-module entry is at appEntry.
const manifestText = `{"id":"app","name":"app","metaData":{"name":"app","type":"app","buildInfo":{"buildVersion":"1","buildName":"app"},"remoteEntry":{"name":"app.js","path":"","type":"module"},"globalName":"app","publicPath":"http://127.0.0.1:8082/"},"shared":[],"remotes":[],"exposes":[]}`

// fetch: the plugins' fetch answers manifest requests; a Response is used,
// a throw fails the attempt, anything else falls back to fetch.
func TestFetchHook(t *testing.T) {
	for _, tc := range []struct {
		name, plugin string
		loads        bool
	}{
		{"a Response is the manifest", `{ name: 'f', async fetch(url, init, remoteInfo) {
			hookLog.push(url, init.mode, remoteInfo.name);
			return new Response(` + "`" + manifestText + "`" + `, { headers: { 'Content-Type': 'application/json' } });
		} }`, true},
		{"a look-alike falls back to fetch", `{ name: 'f', fetch(url) { hookLog.push(url); return { ok: true, json: async () => ({}) } } }`, false},
		{"a throw fails the attempt", `{ name: 'f', fetch(url) { hookLog.push(url); throw new Error('given up') } }`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, _ := hooksEnv(t, []any{"cart"}, 0, func(url string) bool { return url == appEntry })
			notThrown(t, e.call("registerRemotes", arr(obj("name", "cart", "entry", "http://127.0.0.1:9/mf-manifest.json"))))
			js.Global().Set("hookLog", jsValue(`[]`))
			notThrown(t, e.call("use", jsValue(tc.plugin)))
			p := e.call("loadRemote", "cart")
			if tc.loads {
				m := resolves(t, p)
				if str(m, "from") != "container" {
					t.Errorf("loadRemote = %s", stringify(m))
				}
				if got := stringify(js.Global().Get("hookLog")); got != `["http://127.0.0.1:9/mf-manifest.json","cors","cart"]` {
					t.Errorf("fetch's args %s", got)
				}
				return
			}
			err := rejects(t, p, "REMOTE_LOAD_FAILED")
			if cause := str(err, "details", "cause"); strings.Contains(cause, "fetch plugin") {
				t.Errorf("the plugin's return was read as the response: %s", cause)
			}
			if js.Global().Get("hookLog").Length() != 1 {
				t.Errorf("fetch hook not called once: %s", stringify(js.Global().Get("hookLog")))
			}
			if thrown := strings.Contains(tc.plugin, "given up"); thrown != strings.Contains(stringify(err), "given up") {
				t.Errorf("the plugin's throw is the attempt's failure: %v; the error: %s", thrown, stringify(err))
			}
		})
	}
}

// The observing hooks run at their stages with MF's arguments; an MF hook
// fedwasm never calls and an unknown key are warned once; a waterfall's
// unacceptable return is MF's error and goes to errorLoadRemote.
func TestObservedHooksAndWarnings(t *testing.T) {
	e := newEnv(t)
	js.Global().Set("hookLog", jsValue(`[]`))
	plugin := jsValue(`{ name: 'observer',
		beforeInit(a) { hookLog.push('beforeInit ' + a.userOptions.name + ' ' + (a.origin === fedwasm)); },
		init(a) { hookLog.push('init ' + a.options.name); },
		beforeRegisterRemote(a) { hookLog.push('beforeRegisterRemote ' + a.remote.name); },
		registerRemote(a) { hookLog.push('registerRemote ' + a.remote.name); return { remote: a.remote } },
		loadShare(a) { hookLog.push('loadShare ' + a.pkgName); },
		beforeLoadShare(a) { hookLog.push('beforeLoadShare ' + a.pkgName + ' ' + a.shareInfo.shareConfig.requiredVersion); },
		resolveShare(a) { hookLog.push('resolveShare ' + a.pkgName + ' ' + a.version + ' ' + typeof a.resolver() + ' ' + a.scope); },
		beforePreloadRemote(a) { hookLog.push('beforePreloadRemote ' + a.preloadOps.length); },
		handlePreloadModule(a) { hookLog.push('handlePreloadModule ' + a.name); },
		generatePreloadAssets(a) { hookLog.push('generatePreloadAssets ' + a.remoteInfo.name); },
		afterPreloadRemote(a) { hookLog.push('afterPreloadRemote ' + (a.error ? a.error.code : 'ok')); },
		afterLoadRemote(a) { hookLog.push('afterLoadRemote ' + a.id + ' ' + (a.error ? a.error.code : 'ok')); },
		loadRemoteSnapshot() {}, fecth() {},
	}`)
	resolves(t, e.call("init", obj("name", "shell", "plugins", arr(plugin),
		"remotes", arr(obj("name", "down", "entry", "http://127.0.0.1:9/down.js", "type", "var")), "retry", obj("times", 0))))
	notThrown(t, e.call("registerShared", obj("lodash", obj("version", "4.17.21", "lib", obj("id", "lodash")))))
	resolves(t, e.call("loadShare", "lodash", obj("requiredVersion", "^4.0.0")))
	rejects(t, e.call("preloadRemote", arr("down")), "REMOTE_LOAD_FAILED")
	rejects(t, e.call("loadRemote", "down"), "REMOTE_LOAD_FAILED")
	want := []string{"beforeInit shell true", "beforeRegisterRemote down", "registerRemote down", "init shell",
		"loadShare lodash", "beforeLoadShare lodash ^4.0.0", "resolveShare lodash 4.17.21 object default",
		"beforePreloadRemote 1", "handlePreloadModule down", "generatePreloadAssets down", "afterPreloadRemote REMOTE_LOAD_FAILED",
		"afterLoadRemote down REMOTE_LOAD_FAILED"}
	if got := stringify(js.Global().Get("hookLog")); got != stringify(jsValue("["+quoteAll(want)+"]")) {
		t.Errorf("hooks ran as\n%s\nwant\n%v", got, want)
	}
	if got := warningCodes(e, "PLUGIN_HOOK_UNSUPPORTED"); strings.Join(got, ",") != "observer loadRemoteSnapshot" {
		t.Errorf("PLUGIN_HOOK_UNSUPPORTED %v", got)
	}
	if got := stringify(e.inspect().Get("plugins")); !strings.Contains(got, `"name":"observer"`) || !strings.Contains(got, `"unsupported":["loadRemoteSnapshot"]`) || !strings.Contains(got, `"beforeInit","init"`) {
		t.Errorf("inspect().plugins = %s", got)
	}
	notThrown(t, e.call("use", plugin)) // the same name again: ignored, not warned again
	if got := warningCodes(e, "PLUGIN_HOOK_UNSUPPORTED"); len(got) != 1 {
		t.Errorf("PLUGIN_HOOK_UNSUPPORTED warned %d times", len(got))
	}
	ws := e.inspect().Get("warnings")
	found := false
	for i := 0; i < ws.Length(); i++ {
		if str(ws.Index(i), "code") == "CONFIG_UNKNOWN_KEY" && str(ws.Index(i), "details", "suggestion") == "fetch" {
			found = true
		}
	}
	if !found {
		t.Errorf("no CONFIG_UNKNOWN_KEY suggesting fetch for fecth: %s", stringify(ws))
	}
}

func quoteAll(list []string) string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = "'" + s + "'"
	}
	return strings.Join(out, ",")
}

// beforeRequest returning an object without the input's keys is MF's
// waterfall error, which goes to errorLoadRemote (lifecycle beforeRequest,
// whose return replaces the request).
func TestBeforeRequestUnacceptable(t *testing.T) {
	e, _ := hooksEnv(t, []any{"*"}, 0, func(url string) bool { return true })
	js.Global().Set("hookLog", jsValue(`[]`))
	notThrown(t, e.call("use", jsValue(`{ name: 'bad', beforeRequest: (a) => ({ id: 'other' }) }`)))
	notThrown(t, e.call("use", jsValue(`{ name: 'heal', errorLoadRemote(a) {
		hookLog.push(a.lifecycle + ' ' + a.error.code + ' ' + a.error.message.includes('A plugin returned an unacceptable value for the "beforeRequest" type.'));
		return a.lifecycle === 'beforeRequest' ? { id: 'app/Healed', options: a.options, origin: a.origin } : undefined;
	} }`)))
	m := resolves(t, e.call("loadRemote", "other/X"))
	if got := str(m, "expose"); got != "./Healed" {
		t.Errorf("loaded %s, want errorLoadRemote's request", stringify(m))
	}
	if got := stringify(js.Global().Get("hookLog")); got != `["beforeRequest PLUGIN_HOOK_FAILED true"]` {
		t.Errorf("errorLoadRemote saw %s", got)
	}
}

// errorLoadRemote with lifecycle afterResolve: a failed manifest's fallback
// is read as the manifest; an observer returning undefined after it does
// not clear it; a remote pinned by integrity never asks.
func TestErrorLoadRemoteManifest(t *testing.T) {
	e, _ := hooksEnv(t, []any{"*"}, 0, func(url string) bool { return url == appEntry })
	notThrown(t, e.call("registerRemotes", arr(
		obj("name", "cart", "entry", "http://127.0.0.1:9/mf-manifest.json"),
		obj("name", "pinned", "entry", "http://127.0.0.1:9/pinned/mf-manifest.json", "integrity", "sha384-"+strings.Repeat("A", 64)))))
	js.Global().Set("hookLog", jsValue(`[]`))
	notThrown(t, e.call("use", jsValue(`{ name: 'offline-manifest', errorLoadRemote(a) {
		hookLog.push(a.lifecycle + ' ' + a.id + ' ' + a.remote.name);
		return a.lifecycle === 'afterResolve' ? JSON.parse(`+"`"+manifestText+"`"+`) : undefined;
	} }`)))
	notThrown(t, e.call("use", jsValue(`{ name: 'observer', errorLoadRemote() { return undefined } }`)))
	if got := str(resolves(t, e.call("loadRemote", "cart")), "from"); got != "container" {
		t.Errorf("loadRemote(cart) from %q, want the fallback manifest's container", got)
	}
	rejects(t, e.call("loadRemote", "pinned"), "REMOTE_LOAD_FAILED")
	if got := stringify(js.Global().Get("hookLog")); got != `["afterResolve http://127.0.0.1:9/mf-manifest.json cart","onLoad pinned pinned"]` {
		t.Errorf("errorLoadRemote ran as %s", got)
	}
}

// errorLoadRemote with lifecycle beforeLoadShare: the container of a remote
// whose manifest provides the chosen version failed to load; the returned
// container is initialized and provides it.
func TestErrorLoadRemoteBeforeLoadShare(t *testing.T) {
	e, _ := hooksEnv(t, []any{"*"}, 0, func(string) bool { return false })
	notThrown(t, e.call("registerRemotes", arr(obj("name", "cart", "entry", "http://127.0.0.1:9/mf-manifest.json"))))
	withShared := strings.Replace(manifestText, `"shared":[]`, `"shared":[{"id":"cart:lodash","name":"lodash","version":"9.0.0","singleton":false,"requiredVersion":"^9.0.0","assets":{"js":{"sync":[],"async":[]},"css":{"sync":[],"async":[]}}}]`, 1)
	js.Global().Set("hookLog", jsValue(`[]`))
	notThrown(t, e.call("use", jsValue(`{ name: 'offline', 
		fetch: () => new Response(`+"`"+withShared+"`"+`, { headers: { 'Content-Type': 'application/json' } }),
		errorLoadRemote(a) {
			hookLog.push(a.lifecycle + ' ' + a.id);
			if (a.lifecycle !== 'beforeLoadShare') return undefined;
			return { init(scope) { (scope.lodash ??= {})['9.0.0'] = { get: () => Promise.resolve(() => ({ offline: 'lodash' })), from: 'cart', eager: false } },
				get: () => () => ({}) };
		} }`)))
	resolves(t, e.call("preloadRemote", arr("cart")))
	m := resolves(t, e.call("loadShare", "lodash", obj("requiredVersion", "^9.0.0")))
	if str(m, "offline") != "lodash" {
		t.Errorf("loadShare(lodash) = %s, want the fallback container's", stringify(m))
	}
	if got := stringify(js.Global().Get("hookLog")); got != `["beforeLoadShare cart"]` {
		t.Errorf("errorLoadRemote ran as %s", got)
	}
}

// loadEntry: a truthy return is the container, in place of fedwasm's load;
// only for remotes security.plugins names.
func TestLoadEntryHook(t *testing.T) {
	e, im := hooksEnv(t, []any{"app"}, 0, func(string) bool { return false })
	js.Global().Set("hookLog", jsValue(`[]`))
	notThrown(t, e.call("use", jsValue(`{ name: 'entry', async loadEntry({ remoteInfo, remoteEntryExports, origin }) {
		hookLog.push(remoteInfo.name + ' ' + remoteInfo.entry + ' ' + typeof remoteEntryExports + ' ' + (origin === fedwasm));
		return { init() {}, get: (expose) => () => ({ from: 'plugin', expose }) };
	} }`)))
	if got := str(resolves(t, e.call("loadRemote", "app/Button")), "from"); got != "plugin" {
		t.Errorf("loadRemote(app/Button) from %q, want the plugin's container", got)
	}
	if len(im.urls) != 0 {
		t.Errorf("fedwasm imported %v though loadEntry gave the container", im.urls)
	}
	rejects(t, e.call("loadRemote", "other"), "REMOTE_LOAD_FAILED")
	if got := stringify(js.Global().Get("hookLog")); got != `["app `+appEntry+` undefined true"]` {
		t.Errorf("loadEntry ran as %s", got)
	}
}

// createScript: the script a plugin returns for an entry is the one
// fedwasm loads (with its own listeners); one for another URL is refused
// and reported; a remote security.plugins does not name never asks.
func TestCreateScriptHook(t *testing.T) {
	e := newEnv(t)
	resolves(t, e.call("init", obj("name", "shell", "security", obj("plugins", arr("legacy", "moved")), "retry", obj("times", 0, "timeoutMs", 3000),
		"remotes", arr(
			obj("name", "legacy", "entry", "http://127.0.0.1:9/legacy.js", "type", "var"),
			obj("name", "moved", "entry", "http://127.0.0.1:9/moved.js", "type", "var"),
			obj("name", "closed", "entry", "http://127.0.0.1:9/closed.js", "type", "var")))))
	js.Global().Set("hookLog", jsValue(`[]`))
	notThrown(t, e.call("use", jsValue(`{ name: 'scripts', createScript({ url, attrs }) {
		hookLog.push('create ' + url.split('/').pop() + ' ' + typeof attrs);
		const script = document.createElement('script');
		script.dataset.fromPlugin = 'yes';
		script.addEventListener('error', () => hookLog.push('plugin script failed ' + url.split('/').pop()));
		if (url.endsWith('moved.js')) { script.src = 'http://127.0.0.1:9/elsewhere.js'; return { script, timeout: 1000 }; }
		return { script, timeout: 1000 };
	} }`)))
	for _, id := range []string{"legacy", "moved", "closed"} {
		rejects(t, e.call("loadRemote", id), "REMOTE_LOAD_FAILED")
	}
	if got := stringify(js.Global().Get("hookLog")); got != `["create legacy.js object","plugin script failed legacy.js","create moved.js object"]` {
		t.Errorf("createScript ran as %s", got)
	}
	if got := warningCodes(e, "PLUGIN_HOOK_FAILED"); strings.Join(got, ",") != "scripts createScript" {
		t.Errorf("PLUGIN_HOOK_FAILED warnings %v, want the script for another URL", got)
	}
}

// Hostile plugins cannot kill the runtime or hang a load: a plugin object
// whose traps throw is refused with a code; returns whose traps throw, and a
// hook that never settles (bounded by retry.timeoutMs), are contained and
// reported, and the load goes on.
func TestHostilePlugins(t *testing.T) {
	e := newEnv(t)
	container := jsValue(`{ init() {}, get: (expose) => () => ({ from: 'container', expose }) }`)
	js.Global().Set("hostileContainer", container)
	resolves(t, e.call("init", obj("name", "shell", "security", obj("plugins", arr("*")), "retry", obj("times", 0, "timeoutMs", 300))))
	for _, bad := range []string{
		`new Proxy({}, { get() { throw new Error('trap') }, ownKeys() { throw new Error('trap') } })`,
		`{ get name() { throw new Error('getter') } }`,
		`{ name: 'x', get fetch() { throw new Error('getter') } }`,
		`{ name: 'x', onLoad: 42 }`,
		`{ name: { toString() { return 'x' } } }`,
		`42`,
	} {
		thrown(t, e.call("use", jsValue(bad)), "INVALID_ARGUMENT")
	}
	// Many keys are read up to a bound.
	notThrown(t, e.call("use", jsValue(`Object.fromEntries(Array.from({ length: 5000 }, (_, i) => ['k' + i, i]).concat([['name', 'wide']]))`)))
	notThrown(t, e.call("use", jsValue(`{ name: 'hostile',
		loadEntry: () => hostileContainer,
		getModuleFactory: () => new Promise(() => {}),
		beforeRequest: (a) => new Proxy(a, { getPrototypeOf() { throw new Error('trap') }, ownKeys() { throw new Error('trap') }, has() { throw new Error('trap') } }),
		afterResolve: () => { throw 'not even an Error' },
		onLoad: () => new Proxy(function () {}, { get() { throw new Error('trap') } }),
	}`)))
	notThrown(t, e.call("registerRemotes", arr(obj("name", "app", "entry", appEntry, "type", "esm"))))
	err := rejects(t, e.call("loadRemote", "app/Button"), "PLUGIN_HOOK_FAILED")
	if got := str(err, "details", "hook"); got != "beforeRequest" && got != "afterResolve" {
		t.Errorf("failed in %s", got)
	}
	if len(warningCodes(e, "CONFIG_UNKNOWN_KEY")) != 8 {
		t.Errorf("unknown-key warnings of the wide plugin: %v", warningCodes(e, "CONFIG_UNKNOWN_KEY"))
	}
	// Without the failing waterfalls, the never-settling getModuleFactory
	// is given up after retry.timeoutMs and container.get is used.
	e2 := newEnv(t)
	resolves(t, e2.call("init", obj("name", "shell", "security", obj("plugins", arr("*")), "retry", obj("times", 0, "timeoutMs", 300))))
	notThrown(t, e2.call("use", jsValue(`{ name: 'slow', loadEntry: () => hostileContainer, getModuleFactory: () => new Promise(() => {}),
		onLoad: () => new Proxy(function () {}, { get() { throw new Error('trap') } }) }`)))
	notThrown(t, e2.call("registerRemotes", arr(obj("name", "app", "entry", appEntry, "type", "esm"))))
	m := resolves(t, e2.call("loadRemote", "app/Button"))
	if m.Type() != js.TypeFunction && str(m, "from") != "container" {
		t.Errorf("loadRemote = %s", stringify(m))
	}
	if got := warningCodes(e2, "PLUGIN_HOOK_FAILED"); strings.Join(got, ",") != "slow getModuleFactory,slow onLoad" {
		t.Errorf("PLUGIN_HOOK_FAILED %v, want the hook that never settled and the one whose Promise-like return throws", got)
	}
}
