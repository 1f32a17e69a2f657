//go:build js && wasm

package jsbridge

import (
	"github.com/fedwasm/fedwasm/jsbridge/internal/jsutil"
	"strconv"
	"sync"
	"syscall/js"

	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/limits"
)

// Plugins: fedwasm.use(plugin) with the MF 2.0 runtime's hook names and
// argument shapes where they apply to loadRemote (module-federation.md §2.4,
// §2.12):
//
//	beforeRequest({id, options, origin})     waterfall: a returned object with an id replaces the request
//	afterResolve({id, pkgNameOrAlias, expose, remote, remoteInfo, options, origin})
//	                                          waterfall: a returned remoteInfo {entry, type, entryGlobalName} is used
//	onLoad({id, expose, pkgNameOrAlias, remote, options, origin, exposeModule})
//	                                          a returned function becomes loadRemote's result
//	errorLoadRemote({id, error, from: 'runtime', lifecycle, origin})
//	                                          a truthy return becomes loadRemote's result (a fallback)
//
// Plugins run in registration order; a hook that throws is reported and
// treated as an error of that lifecycle. beforeRequest, afterResolve and
// onLoad run only for remotes the config's security.plugins names (a plugin
// is page code: it must not replace another team's remote unless the host
// says so); for others they are skipped with a PLUGIN_NOT_ALLOWED warning.
// beforeRequest also runs for an id that names no registered remote.
// errorLoadRemote runs for every failed load.

// use implements fedwasm.use(plugin). A second plugin with the same name is ignored, as in MF.
func (b *Bridge) use(_ js.Value, args []js.Value) (any, error) {
	plugin := jsutil.Arg(args, 0)
	name, err := checkPlugin(plugin)
	if err != nil {
		return nil, err
	}
	return nil, b.plugins.add(name, plugin)
}

// checkPlugin checks what fedwasm.use(plugin) takes and returns its name.
func checkPlugin(plugin js.Value) (string, error) {
	if plugin.Type() != js.TypeObject {
		return "", errcode.New(errcode.InvalidArgument, nil,
			"fedwasm.use(plugin): plugin must be an object { name, beforeRequest?, afterResolve?, onLoad?, errorLoadRemote? }, not "+plugin.Type().String())
	}
	o := jsutil.OptionsOf("use", plugin)
	name, err := o.String("name", "")
	if err != nil || name == "" {
		return "", errcode.New(errcode.InvalidArgument, nil, "fedwasm.use(plugin): plugin.name must be a non-empty string")
	}
	for _, hook := range []string{"beforeRequest", "afterResolve", "onLoad", "errorLoadRemote"} {
		if _, err := o.Func(hook); err != nil {
			return "", err
		}
	}
	return name, nil
}

// plugins are fedwasm.use's plugins, in order, one per name.
type plugins struct {
	mu   sync.Mutex
	list []js.Value
}

// add appends plugin unless one called name is there; more than
// limits.Plugins is LIMIT_EXCEEDED.
func (p *plugins) add(name string, plugin js.Value) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, known := range p.list {
		if jsutil.Property(known, "name").String() == name {
			return nil
		}
	}
	if err := limits.Check("fedwasm.use(plugin)", "plugins", len(p.list)+1, limits.Plugins,
		"a page takes at most "+strconv.Itoa(limits.Plugins)+" plugins; combine their hooks"); err != nil {
		return err
	}
	p.list = append(p.list, plugin)
	return nil
}

// all returns the plugins in order.
func (p *plugins) all() []js.Value {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]js.Value(nil), p.list...)
}

// hook calls hook on every plugin that has it, in order, with args; it
// returns the last non-undefined result (awaited).
func (b *Bridge) hook(hook string, args js.Value, waterfall bool) (js.Value, error) {
	result := js.Undefined()
	for _, p := range b.plugins.all() {
		fn := jsutil.Property(p, hook)
		if fn.Type() != js.TypeFunction {
			continue
		}
		v, err := jsutil.Guard("plugin "+hook, func() js.Value { return fn.Call("call", p, args) })
		if err == nil {
			v, err = jsutil.Await(v)
		}
		if err != nil {
			return js.Undefined(), errcode.New(errcode.JSException, map[string]any{"plugin": jsutil.Property(p, "name").String(), "hook": hook, "cause": err.Error()},
				"plugin "+strconv.Quote(jsutil.Property(p, "name").String())+" threw in "+hook+": "+err.Error())
		}
		if v.IsUndefined() || v.IsNull() {
			continue
		}
		result = v
		if waterfall && v.Type() == js.TypeObject {
			args = v
		}
	}
	return result, nil
}

// remoteNamed returns the name of the remote request id names, or "" when
// it names no registered remote.
func (b *Bridge) remoteNamed(id string) string {
	r, _, err := b.rt.MatchRemote(id)
	if err != nil {
		return ""
	}
	return r.Name
}

// pluginsMay reports whether the plugins' hook may run for remote ("" for
// none): the config's security.plugins names it. When not, each plugin that
// has the hook is reported once per remote (PLUGIN_NOT_ALLOWED).
func (b *Bridge) pluginsMay(hook, remote string) bool {
	if remote == "" || b.rt.PluginsAllowed(remote) {
		return true
	}
	for _, p := range b.plugins.all() {
		if jsutil.Property(p, hook).Type() != js.TypeFunction {
			continue
		}
		name := jsutil.Property(p, "name").String()
		b.warnOnce("plugin\x00"+name+"\x00"+hook+"\x00"+remote, errcode.New(errcode.PluginNotAllowed, map[string]any{"plugin": name, "hook": hook, "remote": remote},
			"plugin "+strconv.Quote(name)+" was not run in "+hook+" for remote "+strconv.Quote(remote)+": the config's security.plugins does not name "+strconv.Quote(remote)+"; the remote loads as configured"))
	}
	return false
}

// hookArgs builds a hook's argument object from name/value pairs.
func (b *Bridge) hookArgs(pairs ...any) js.Value {
	o := jsutil.Object()
	for i := 0; i+1 < len(pairs); i += 2 {
		o.Set(pairs[i].(string), pairs[i+1])
	}
	o.Set("origin", js.Global().Get("fedwasm"))
	return o
}

// loadRemoteWithPlugins runs loadRemote's lifecycle with the plugins' hooks
// around load (the plain load given a possibly rewritten id and remote).
func (b *Bridge) loadRemoteWithPlugins(id string, load func(id string, rewrite func(config.Remote, string) config.Remote) (js.Value, error)) (js.Value, error) {
	if len(b.plugins.all()) == 0 {
		return load(id, nil)
	}
	lifecycle := "beforeRequest"
	fail := func(err error) (js.Value, error) {
		fallback, hookErr := b.hook("errorLoadRemote", b.hookArgs("id", id, "error", jsutil.ErrorValue(err), "from", "runtime", "lifecycle", lifecycle), false)
		if hookErr == nil && fallback.Truthy() {
			return fallback, nil
		}
		return js.Undefined(), err
	}
	req := js.Undefined()
	if b.pluginsMay("beforeRequest", b.remoteNamed(id)) {
		var err error
		if req, err = b.hook("beforeRequest", b.hookArgs("id", id, "options", jsutil.Object()), true); err != nil {
			return fail(err)
		}
	}
	if req.Type() == js.TypeObject {
		if newID := jsutil.Property(req, "id"); newID.Type() == js.TypeString && newID.String() != "" {
			id = newID.String()
		}
	}
	lifecycle = "afterResolve"
	rewrite := func(r config.Remote, expose string) config.Remote {
		if !b.pluginsMay("afterResolve", r.Name) {
			return r
		}
		info := jsutil.Object()
		info.Set("name", r.Name)
		info.Set("entry", r.Entry)
		info.Set("type", r.Type)
		info.Set("entryGlobalName", r.EntryGlobalName)
		res, err := b.hook("afterResolve", b.hookArgs("id", id, "pkgNameOrAlias", r.Name, "expose", expose, "remote", info, "remoteInfo", info), true)
		if err != nil || res.Type() != js.TypeObject {
			return r
		}
		if ri := jsutil.Property(res, "remoteInfo"); ri.Type() == js.TypeObject {
			for field, dst := range map[string]*string{"entry": &r.Entry, "type": &r.Type, "entryGlobalName": &r.EntryGlobalName} {
				if v := jsutil.Property(ri, field); v.Type() == js.TypeString && v.String() != "" {
					*dst = v.String()
				}
			}
		}
		return r
	}
	module, err := load(id, rewrite)
	if err != nil {
		lifecycle = "onLoad"
		return fail(err)
	}
	lifecycle = "onLoad"
	if !b.pluginsMay("onLoad", b.remoteNamed(id)) {
		return module, nil
	}
	replaced, err := b.hook("onLoad", b.hookArgs("id", id, "exposeModule", module), false)
	if err != nil {
		return fail(err)
	}
	if replaced.Type() == js.TypeFunction {
		return replaced, nil
	}
	return module, nil
}
