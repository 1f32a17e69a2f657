//go:build js && wasm

package jsbridge

import (
	"sync"
	"syscall/js"

	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/federation/devtools"
	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/limits"
	"github.com/fedwasm/fedwasm/federation/load"
	"github.com/fedwasm/fedwasm/jsbridge/internal/jsutil"
)

// devtoolsPluginName is the runtime plugin Module Federation's Chrome
// devtools push into __FEDERATION__.__GLOBAL_PLUGIN__ while their panel is
// open (post-message.ts); with it there, each refresh is posted to the
// panel as their plugin posts MF's snapshots.
const devtoolsPluginName = "mf-devtool-getModuleInfo-plugin"

// devtoolsGlobal is what the bridge keeps for window.__FEDERATION__.
type devtoolsGlobal struct {
	mu        sync.Mutex
	scheduled bool
	written   map[string]bool // the moduleInfo keys this runtime wrote last
	text      string          // the global's JSON written last: an unchanged one is not written again

	rulesOnce sync.Once
	rules     map[string]string // the devtools' proxy rules, read once
}

// devtoolsRules reads the devtools' proxy rules from localStorage once (an
// unreadable storage is no rules).
func (b *Bridge) devtoolsRules() map[string]string {
	b.dt.rulesOnce.Do(func() {
		text, _ := jsutil.Guard("localStorage", func() string {
			storage := jsutil.Property(js.Global(), "localStorage")
			if storage.Type() != js.TypeObject {
				return ""
			}
			v := storage.Call("getItem", devtools.StorageKey)
			if v.Type() != js.TypeString {
				return ""
			}
			return v.String()
		})
		if text != "" {
			b.dt.rules = devtools.Overrides(text)
		}
	})
	return b.dt.rules
}

// applyDevtoolsRules redirects the remotes the devtools' proxy names, as
// devtools.Apply decides under policy, and warns about each rule.
func (b *Bridge) applyDevtoolsRules(remotes []config.Remote, policy load.Policy) []config.Remote {
	rules := b.devtoolsRules()
	if len(rules) == 0 {
		return remotes
	}
	l := b.loader()
	out, warnings := devtools.Apply(remotes, rules, func(r config.Remote) error { return l.Check(policy, r) })
	for _, w := range warnings {
		b.warnOnce("devtools:"+w.Details["remote"].(string)+":"+w.Details["override"].(string), w)
	}
	return out
}

// devtoolsChanged schedules a refresh of window.__FEDERATION__: changes in
// one task are written once, in a later one.
func (b *Bridge) devtoolsChanged() {
	if b.rt.Config() == nil {
		return
	}
	b.dt.mu.Lock()
	defer b.dt.mu.Unlock()
	if b.dt.scheduled {
		return
	}
	b.dt.scheduled = true
	t := jsutil.After(0)
	go func() {
		<-t.Expired
		b.refreshDevtools()
	}()
}

// refreshDevtools writes the host's moduleInfo and share scope
// (devtools.ModuleInfo, devtools.Share) into window.__FEDERATION__, made
// as Module Federation's runtime makes it when absent. Keys an MF runtime
// on the page wrote are left as they are; keys this runtime wrote before
// and no longer has are removed. The page's objects are written through
// Reflect (Value.Set and Delete let a throw pass wasm_exec.js), so a global
// that throws is left alone, with a warning.
func (b *Bridge) refreshDevtools() {
	b.dt.mu.Lock()
	b.dt.scheduled = false // a change from here on schedules another refresh
	b.dt.mu.Unlock()
	state := b.rt.DevtoolsState(b.manifests.get)
	text, keys := devtools.Global(state)
	b.dt.mu.Lock()
	written, unchanged := b.dt.written, b.dt.text == string(text)
	b.dt.mu.Unlock()
	if unchanged {
		return // a loadShare of a share handed out already, say: nothing for the page to parse and cross for
	}
	now := make(map[string]bool, len(keys))
	for _, key := range keys {
		now[key] = true
	}
	_, err := jsutil.Guard("window.__FEDERATION__", func() struct{} {
		fed := federationGlobal()
		values := jsutil.ParseJSON(string(text))
		moduleInfo := jsutil.Property(fed, "moduleInfo")
		for key := range written {
			if !now[key] {
				jsutil.DeleteProperty(moduleInfo, key)
			}
		}
		newInfo := values.Get("moduleInfo")
		for _, key := range keys {
			if !written[key] && jsutil.HasOwn(moduleInfo, key) {
				delete(now, key) // an MF runtime's own snapshot of it
				continue
			}
			jsutil.SetProperty(moduleInfo, js.ValueOf(key), newInfo.Get(key))
		}
		shares := jsutil.Property(fed, "__SHARE__")
		jsutil.SetProperty(shares, js.ValueOf(state.Host), values.Get("share"))
		if devtoolsOpen(fed) {
			msg := jsutil.Object()
			msg.Set("moduleInfo", moduleInfo)
			one := jsutil.Object()
			one.Set(state.Host, values.Get("share"))
			msg.Set("share", one)
			js.Global().Call("postMessage", msg, "*")
		}
		return struct{}{}
	})
	if err != nil {
		b.warnOnce("devtools global", errcode.As(err, errcode.JSException))
		return
	}
	b.dt.mu.Lock()
	b.dt.written, b.dt.text = now, string(text)
	b.dt.mu.Unlock()
}

// federationGlobal returns window.__FEDERATION__, made (with __VMOK__, its
// other name) as MF's runtime-core global.ts makes it when absent, and its
// fields filled where missing, never replaced.
func federationGlobal() js.Value {
	g := js.Global()
	if !jsutil.HasOwn(g, "__FEDERATION__") && jsutil.HasOwn(g, "__VMOK__") {
		jsutil.DefineValue(g, "__FEDERATION__", jsutil.Property(g, "__VMOK__"))
	}
	if !jsutil.HasOwn(g, "__FEDERATION__") {
		jsutil.DefineValue(g, "__FEDERATION__", jsutil.Object())
	}
	fed := jsutil.Property(g, "__FEDERATION__")
	if !jsutil.HasOwn(g, "__VMOK__") {
		jsutil.DefineValue(g, "__VMOK__", fed)
	}
	fill := func(key string, make func() js.Value) {
		if v := jsutil.Property(fed, key); v.IsUndefined() || v.IsNull() {
			jsutil.SetProperty(fed, js.ValueOf(key), make())
		}
	}
	fill("__GLOBAL_PLUGIN__", jsutil.Array)
	fill("__INSTANCES__", jsutil.Array)
	fill("moduleInfo", jsutil.Object)
	fill("__SHARE__", jsutil.Object)
	fill("__MANIFEST_LOADING__", jsutil.Object)
	fill("__PRELOADED_MAP__", func() js.Value { return g.Get("Map").New() })
	fill("__PRELOADED_ASSETS__", func() js.Value { return g.Get("Set").New() })
	return fed
}

// devtoolsOpen reports whether the devtools' plugin is in
// __GLOBAL_PLUGIN__ (the first limits.Plugins entries are looked at).
func devtoolsOpen(fed js.Value) bool {
	list := jsutil.Property(fed, "__GLOBAL_PLUGIN__")
	if !jsutil.IsArray(list) {
		return false
	}
	n, err := jsutil.LengthOf("__GLOBAL_PLUGIN__", list)
	if err != nil {
		return false
	}
	for i := range min(n, limits.Plugins) {
		p := jsutil.Property(list, i)
		if p.Type() == js.TypeObject {
			if name := jsutil.Property(p, "name"); name.Type() == js.TypeString && name.String() == devtoolsPluginName {
				return true
			}
		}
	}
	return false
}
