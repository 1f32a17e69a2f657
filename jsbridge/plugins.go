//go:build js && wasm

package jsbridge

import (
	"strconv"
	"sync"
	"syscall/js"

	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/limits"
	"github.com/fedwasm/fedwasm/federation/plugin"
	"github.com/fedwasm/fedwasm/federation/retry"
	"github.com/fedwasm/fedwasm/jsbridge/internal/jsutil"
)

// Plugins: fedwasm.use(plugin) and init({ plugins }) take Module Federation
// 2.0 runtime plugins. federation/plugin decides everything: which hooks
// exist and where fedwasm calls them (its Catalog), the rules of each kind
// (Run), what errorLoadRemote's return does (Recover) and the plugin
// object's checks (Check). Here each listener is called, guarded, its
// return described to the rules as a plugin.Value and awaited within the
// load's time limit, and the verdict carried out. A hook whose return
// changes what loads (Hook.ChangesLoad) runs only for remotes the config's
// security.plugins names (PLUGIN_NOT_ALLOWED otherwise). Listeners are
// called as MF calls them: with no this, with MF's argument objects, whose
// origin is window.fedwasm.

// use implements fedwasm.use(plugin). A second plugin with the same name is
// ignored, as in MF.
func (b *Bridge) use(_ js.Value, args []js.Value) (any, error) {
	return nil, b.addPlugin(jsutil.Arg(args, 0))
}

// addPlugin checks p (readPlugin) and registers it, reporting its warnings
// once it is registered.
func (b *Bridge) addPlugin(p js.Value) error {
	rep, hooks, err := readPlugin(p)
	if err != nil {
		return err
	}
	added, err := b.plugins.add(registered{name: rep.Name, hooks: hooks})
	if err != nil || !added {
		return err
	}
	b.rt.AddPlugin(rep)
	for _, w := range rep.Warnings {
		b.warnOnce("plugin\x00"+rep.Name+"\x00"+w.Code+"\x00"+w.Message, w)
	}
	return nil
}

// readPlugin reads a plugin object for plugin.Check: its name, its own keys
// and, for each MF hook, what it holds there. The hooks' functions are read
// once, here, as MF reads them when a plugin is registered: a getter cannot
// hand out another function later.
func readPlugin(p js.Value) (plugin.Report, map[string]js.Value, error) {
	if p.Type() != js.TypeObject {
		return plugin.Report{}, nil, errcode.New(errcode.InvalidArgument, nil,
			"fedwasm.use(plugin): plugin must be an object { name, ...hooks } (a Module Federation runtime plugin), not "+p.Type().String())
	}
	name, err := jsutil.Guard("plugin.name", func() js.Value { return jsutil.Property(p, "name") })
	if err != nil {
		return plugin.Report{}, nil, errcode.New(errcode.InvalidArgument, nil, "fedwasm.use(plugin): reading plugin.name threw: "+err.Error())
	}
	named := name.Type() == js.TypeString
	nameText := ""
	if named {
		nameText = name.String()
	}
	hooks := map[string]js.Value{}
	rep, err := plugin.Check(nameText, named, ownKeys(p, plugin.MaxKeys), func(hook string) string {
		v, err := jsutil.Guard("plugin."+hook, func() js.Value { return jsutil.Property(p, hook) })
		switch {
		case err != nil:
			return "a getter that throws"
		case v.IsUndefined() || v.IsNull():
			return ""
		case v.Type() == js.TypeFunction:
			hooks[hook] = v
			return "function"
		}
		return v.Type().String()
	})
	return rep, hooks, err
}

// registered is one plugin: its name and its hooks' functions.
type registered struct {
	name  string
	hooks map[string]js.Value
}

// plugins are the registered plugins, in order, one per name.
type plugins struct {
	mu   sync.Mutex
	list []registered
}

// add appends p unless one of its name is there (added false); more than
// limits.Plugins is LIMIT_EXCEEDED.
func (ps *plugins) add(p registered) (added bool, err error) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	for _, known := range ps.list {
		if known.name == p.name {
			return false, nil
		}
	}
	if err := limits.Check("fedwasm.use(plugin)", "plugins", len(ps.list)+1, limits.Plugins,
		"a page takes at most "+strconv.Itoa(limits.Plugins)+" plugins; combine their hooks"); err != nil {
		return false, err
	}
	ps.list = append(ps.list, p)
	return true, nil
}

// empty reports whether no plugin is registered.
func (ps *plugins) empty() bool {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	return len(ps.list) == 0
}

// with returns the plugins that have hook, in order.
func (ps *plugins) with(hook string) []registered {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	var out []registered
	for _, p := range ps.list {
		if _, ok := p.hooks[hook]; ok {
			out = append(out, p)
		}
	}
	return out
}

// emission is one call of a hook: which, and for which remote ("" for
// none), which decides whether a hook that changes loads may run.
type emission struct {
	hook      string
	remote    string
	lifecycle plugin.Lifecycle // errorLoadRemote's
	within    retry.Millis     // how long each listener may take to settle (0: the load's time limit, retry.timeoutMs)
}

// listeners are the plugins that run for e. For a gated hook
// (plugin.Gated) and a remote security.plugins does not name, none: each
// plugin that has the hook is reported once per remote.
func (b *Bridge) listeners(e emission, h plugin.Hook) []registered {
	list := b.plugins.with(e.hook)
	if len(list) == 0 || !plugin.Gated(h, e.lifecycle) || e.remote == "" || b.rt.PluginsAllowed(e.remote) {
		return list
	}
	for _, p := range list {
		b.warnOnce("plugin\x00"+p.name+"\x00"+e.hook+"\x00"+e.remote, errcode.New(errcode.PluginNotAllowed, map[string]any{"plugin": p.name, "hook": e.hook, "remote": e.remote},
			"plugin "+strconv.Quote(p.name)+" was not run in "+e.hook+" for remote "+strconv.Quote(e.remote)+": the config's security.plugins does not name "+strconv.Quote(e.remote)+"; the remote loads as configured"))
	}
	return nil
}

// hasListeners reports whether any plugin would run for e.
func (b *Bridge) hasListeners(e emission) bool {
	h, ok := plugin.Lookup(e.hook)
	return ok && h.Support != plugin.Unsupported && len(b.listeners(e, h)) > 0
}

// runHook calls e's hook on every plugin that has it, in registration order,
// with args (a waterfall's listeners each get the data so far in place of
// args[0]), and returns the value the rules chose (false when an Async
// hook aborted; a waterfall's data; undefined without a result) and the
// verdict. A listener that throws, rejects or does not settle within the
// load's time limit is contained: its failure is reported here unless it
// ends a waterfall (verdict.Failed), which the caller carries out.
func (b *Bridge) runHook(e emission, args ...any) (js.Value, plugin.Verdict) {
	h, ok := plugin.Lookup(e.hook)
	if !ok || h.Support == plugin.Unsupported {
		return js.Undefined(), plugin.Verdict{From: -1}
	}
	list := b.listeners(e, h)
	data := js.Undefined()
	if len(args) > 0 {
		data = js.ValueOf(args[0])
	}
	if len(list) == 0 { // nothing listens: a waterfall's data stands, unread
		if h.Kind.Waterfall() {
			return data, plugin.Verdict{From: -1}
		}
		return js.Undefined(), plugin.Verdict{From: -1}
	}
	jsArgs := make([]any, len(args))
	copy(jsArgs, args)
	var described plugin.Value // the keys a waterfall's returns must keep
	if h.Kind.Waterfall() {
		described = describeReturn(data, data)
	}
	run := plugin.Start(h, described, len(args))
	returned := make([]js.Value, 0, len(list))
	async := h.Kind == plugin.Async || h.Kind == plugin.AsyncWaterfall
	within := e.within
	if within == 0 {
		within = b.containerCallTime()
	}
	for i, p := range list {
		if run.Done() {
			break
		}
		fn := p.hooks[e.hook]
		v, err := jsutil.Guard("plugin "+p.name+" "+e.hook, func() js.Value { return fn.Invoke(jsArgs...) })
		if err == nil && async {
			v, err = awaitWithin(v, within)
		}
		returned = append(returned, v)
		if err != nil {
			returned[i] = js.Undefined()
			run.Threw(i, p.name, err.Error())
			continue
		}
		desc := describeReturn(v, data)
		run.Returned(i, p.name, desc)
		if h.Kind.Waterfall() && desc.Kind == plugin.Object && !run.Done() {
			data = v
			if len(jsArgs) > 0 {
				jsArgs[0] = v
			}
		}
	}
	verdict := run.Verdict()
	for _, c := range verdict.Contained {
		b.warn(c)
	}
	switch {
	case verdict.Abort:
		return js.ValueOf(false), verdict
	case verdict.From >= 0:
		return returned[verdict.From], verdict
	case h.Kind.Waterfall():
		return data, verdict
	}
	return js.Undefined(), verdict
}

// observe is runHook for a hook whose failure ends nothing: a waterfall's
// failure is reported too.
func (b *Bridge) observe(e emission, args ...any) js.Value {
	v, verdict := b.runHook(e, args...)
	if verdict.Failed != nil {
		b.warn(verdict.Failed)
	}
	return v
}

// describeReturn reads v for the rules (args is the hook's first argument),
// guarded: a Proxy whose traps throw is "other", and its keys are none.
func describeReturn(v, args js.Value) plugin.Value {
	d := plugin.Value{Truthy: v.Truthy(), SameAsArgs: v.Equal(args)}
	switch v.Type() {
	case js.TypeUndefined:
		d.Kind = plugin.Undefined
	case js.TypeNull:
		d.Kind = plugin.Null
	case js.TypeBoolean:
		d.Kind = plugin.Other
		if !v.Bool() {
			d.Kind = plugin.False
		}
	case js.TypeFunction:
		d.Kind = plugin.Function
	case js.TypeObject:
		d.Kind = plugin.Other
		for _, class := range []string{"Response", "HTMLScriptElement"} {
			if is, err := jsutil.Guard("instanceof", func() bool { return jsutil.InstanceOf(v, class) }); err == nil && is {
				d.Class = class
			}
		}
		tag, err := jsutil.Guard("toString", func() string { return jsutil.Tag(v) })
		if err != nil || tag != "[object Object]" {
			break
		}
		d.Kind = plugin.Object
		d.Keys = ownKeys(v, plugin.MaxKeys)
		d.Has = func(key string) bool {
			has, err := jsutil.Guard("in", func() bool { return jsutil.Has(v, key) })
			return err == nil && has
		}
	default:
		d.Kind = plugin.Other
	}
	return d
}

// hookArgs builds a hook's argument object from name/value pairs, with
// origin = window.fedwasm.
func (b *Bridge) hookArgs(pairs ...any) js.Value {
	o := jsutil.Object()
	for i := 0; i+1 < len(pairs); i += 2 {
		o.Set(pairs[i].(string), pairs[i+1])
	}
	o.Set("origin", js.Global().Get("fedwasm"))
	return o
}
