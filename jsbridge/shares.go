//go:build js && wasm

package jsbridge

import (
	"fmt"
	"syscall/js"

	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/share"
)

// registerShared implements fedwasm.registerShared({pkg: ShareArgs | ShareArgs[]}).
// Every entry is checked before any is registered: a bad entry registers nothing.
func (b *Bridge) registerShared(_ js.Value, args []js.Value) (any, error) {
	shared := arg(args, 0)
	if shared.Type() != js.TypeObject {
		return nil, errcode.New(errcode.InvalidArgument, nil,
			"fedwasm.registerShared: expected an object { <package>: { version, get | lib | import, shareConfig } }, got %s", shared.Type())
	}
	type pending struct {
		pkg    string
		args   config.ShareArgs
		handle shareHandle
	}
	var all []pending
	keys := js.Global().Get("Object").Call("keys", shared)
	for i := 0; i < keys.Length(); i++ {
		pkg := keys.Index(i).String()
		entries := property(shared, pkg)
		list := []js.Value{entries}
		if js.Global().Get("Array").Call("isArray", entries).Bool() {
			list = list[:0]
			for j := 0; j < property(entries, "length").Int(); j++ {
				list = append(list, property(entries, j))
			}
		}
		for j, entry := range list {
			a, h, err := b.shareEntry(fmt.Sprintf("shared.%s[%d]", pkg, j), entry)
			if err != nil {
				return nil, asArgumentError("registerShared", err)
			}
			all = append(all, pending{pkg, a, h})
		}
	}
	for _, p := range all {
		id, err := b.rt.RegisterShare(p.pkg, p.args, !p.handle.lib.IsUndefined())
		if err != nil {
			return nil, asArgumentError("registerShared", err)
		}
		b.setHandle(id, p.handle)
	}
	return nil, nil
}

// shareEntry reads and validates one ShareArgs object.
func (b *Bridge) shareEntry(field string, entry js.Value) (config.ShareArgs, shareHandle, error) {
	var a config.ShareArgs
	var h shareHandle
	call := "registerShared(" + field + ")"
	o, err := optionsArg(call, []js.Value{entry}, 0)
	if err != nil {
		return a, h, err
	}
	if a.Version, err = o.String("version", ""); err != nil {
		return a, h, err
	}
	if a.Import, err = o.String("import", ""); err != nil {
		return a, h, err
	}
	if a.Scope, err = o.String("scope", ""); err != nil {
		return a, h, err
	}
	if a.From, err = o.String("from", ""); err != nil {
		return a, h, err
	}
	if h.get, err = o.Func("get"); err != nil {
		return a, h, err
	}
	h.lib, h.importURL = o.field("lib"), a.Import
	if h.lib.IsNull() {
		h.lib = js.Undefined()
	}
	if h.get.IsUndefined() && h.lib.IsUndefined() && a.Import == "" {
		return a, h, errcode.New(errcode.InvalidArgument, map[string]any{"field": field},
			"fedwasm.registerShared: %s gives no way to obtain the module; set one of get, lib or import", field)
	}
	sc, err := optionsArg(call+".shareConfig", []js.Value{o.field("shareConfig")}, 0)
	if err != nil {
		return a, h, err
	}
	if a.ShareConfig, err = shareConfigOf(sc); err != nil {
		return a, h, err
	}
	return a, h, a.Validate(field, b.rt.HostName())
}

// shareConfigOf reads { singleton, requiredVersion: string | false, strictVersion, eager }.
func shareConfigOf(o options) (config.ShareConfig, error) {
	var sc config.ShareConfig
	var err error
	if sc.Singleton, err = o.Bool("singleton", false); err != nil {
		return sc, err
	}
	if sc.StrictVersion, err = o.Bool("strictVersion", false); err != nil {
		return sc, err
	}
	if sc.Eager, err = o.Bool("eager", false); err != nil {
		return sc, err
	}
	if rv := o.field("requiredVersion"); rv.Type() == js.TypeBoolean && !rv.Bool() {
		sc.RequiredVersion.Disabled = true
	} else if sc.RequiredVersion.Range, err = o.String("requiredVersion", ""); err != nil {
		return sc, err
	}
	return sc, nil
}

// loadShare implements fedwasm.loadShare(pkg, opts): it resolves the provider
// the consumer gets and returns that provider's module object.
func (b *Bridge) loadShare(_ js.Value, args []js.Value) (any, error) {
	pkg, err := stringArg("loadShare", "the package name", args, 0)
	if err != nil {
		return nil, err
	}
	o, err := optionsArg("loadShare", args, 1)
	if err != nil {
		return nil, err
	}
	scope, err := o.String("scope", config.DefaultScope)
	if err != nil {
		return nil, err
	}
	from, err := o.String("from", b.rt.HostName())
	if err != nil {
		return nil, err
	}
	c := b.rt.Consumer(pkg, scope, from)
	if c.Singleton, err = o.Bool("singleton", c.Singleton); err != nil {
		return nil, err
	}
	if c.StrictVersion, err = o.Bool("strictVersion", c.StrictVersion); err != nil {
		return nil, err
	}
	if rv := o.field("requiredVersion"); rv.Type() == js.TypeBoolean && !rv.Bool() {
		c.RequiredVersion = ""
	} else if c.RequiredVersion, err = o.String("requiredVersion", c.RequiredVersion); err != nil {
		return nil, err
	}
	fallback, err := o.Func("fallback")
	if err != nil {
		return nil, err
	}
	c.HasFallback = !fallback.IsUndefined()
	return b.resolveAndLoad(c, fallback)
}

// resolveAndLoad resolves c, reports any warning, and loads the chosen module
// (or calls the consumer's fallback when the resolution says so).
func (b *Bridge) resolveAndLoad(c share.Consumer, fallback js.Value) (js.Value, error) {
	choice, err := b.rt.Shares.Resolve(c)
	if err != nil {
		return js.Undefined(), err
	}
	if choice.Warning != nil {
		b.warn(choice.Warning)
	}
	if choice.UseFallback {
		v, err := guard("loadShare fallback", func() js.Value { return fallback.Invoke() })
		if err == nil {
			v, err = await(v)
		}
		if err != nil {
			return js.Undefined(), errcode.New(errcode.ShareLoadFailed, map[string]any{"package": c.Package, "consumer": c.From, "cause": err.Error()},
				"the fallback %q passed to loadShare(%q) failed: %v; fix the fallback, or provide %q in the share scope", c.From, c.Package, err, c.Package)
		}
		return v, nil
	}
	return b.loadProvider(choice.ID, choice.Provider)
}

// loadProvider returns the module of provider id, loading it once.
func (b *Bridge) loadProvider(id share.ProviderID, p share.Provider) (js.Value, error) {
	return b.loads.do(fmt.Sprintf("share:%d", id), func() (js.Value, error) {
		h, ok := b.handle(id)
		if !ok {
			return js.Undefined(), errcode.New(errcode.ShareLoadFailed, map[string]any{"package": p.Package, "version": p.Version},
				"shared %q %s from %q has no module registered in this page; register it with get, lib or import", p.Package, p.Version, p.From)
		}
		module, err := b.fetchModule(h)
		if err != nil {
			return js.Undefined(), errcode.New(errcode.ShareLoadFailed,
				map[string]any{"package": p.Package, "version": p.Version, "from": p.From, "import": h.importURL, "cause": err.Error()},
				"loading shared %q %s from %q failed: %v; check that the module's URL or get() works (the next loadShare tries again)",
				p.Package, p.Version, p.From, err)
		}
		b.rt.Shares.MarkLoaded(id)
		return module, nil
	})
}

func (b *Bridge) fetchModule(h shareHandle) (js.Value, error) {
	switch {
	case !h.lib.IsUndefined():
		return h.lib, nil
	case !h.get.IsUndefined():
		v, err := guard("shared get()", func() js.Value { return h.get.Invoke() })
		if err != nil {
			return js.Undefined(), err
		}
		return await(v)
	default:
		return b.importModule(h.importURL)
	}
}
