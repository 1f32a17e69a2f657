//go:build js && wasm

package jsbridge

import (
	"syscall/js"

	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/federation/errcode"
)

// registerRemotes implements fedwasm.registerRemotes(remotes, { force }).
func (b *Bridge) registerRemotes(_ js.Value, args []js.Value) (any, error) {
	var remotes []config.Remote
	if err := fromJSON(arg(args, 0), &remotes, "registerRemotes(remotes)"); err != nil {
		return nil, err
	}
	o, err := optionsArg("registerRemotes", args, 1)
	if err != nil {
		return nil, err
	}
	force, err := o.Bool("force", false)
	if err != nil {
		return nil, err
	}
	if err := b.rt.Remotes.Register(remotes, force); err != nil {
		return nil, asArgumentError("registerRemotes", err)
	}
	if force {
		for _, r := range remotes {
			b.loads.forget(remoteLoadKey(r.Name))
		}
	}
	return nil, nil
}

func remoteLoadKey(name string) string { return "remote:" + name }

// loadRemote implements fedwasm.loadRemote(id). ES-module remotes ("esm",
// "module") are imported once; the module's exports are the remote.
func (b *Bridge) loadRemote(_ js.Value, args []js.Value) (any, error) {
	id, err := stringArg("loadRemote", "the remote id", args, 0)
	if err != nil {
		return nil, err
	}
	remote, expose, err := b.rt.Remotes.Match(id)
	if err != nil {
		return nil, err
	}
	if remote.Type != "esm" && remote.Type != "module" {
		return nil, errcode.New(errcode.RemoteTypeUnsupported, map[string]any{"remote": remote.Name, "type": remote.Type},
			"loadRemote(%q): remote %q has type %q, which this runtime version cannot load yet; serve it as an ES module (type \"esm\")",
			id, remote.Name, remote.Type)
	}
	b.rt.Remotes.Request(remote.Name)
	module, err := b.loads.do(remoteLoadKey(remote.Name), func() (js.Value, error) {
		m, err := b.importModule(remote.Entry)
		if err != nil {
			err = errcode.New(errcode.RemoteLoadFailed, map[string]any{"remote": remote.Name, "urls": []string{remote.Entry}, "cause": err.Error()},
				"loadRemote(%q): importing %s failed: %v; check that the remote is up and allows CORS from this origin",
				id, remote.Entry, err)
		}
		b.rt.Remotes.Finish(remote.Name, err)
		return m, err
	})
	if err != nil {
		return nil, err
	}
	if expose != "." {
		return nil, errcode.New(errcode.RemoteExposeMissing, map[string]any{"remote": remote.Name, "expose": expose},
			"loadRemote(%q): remote %q is a plain ES module without exposes; call loadRemote(%q) and use its exports",
			id, remote.Name, remote.Name)
	}
	return module, nil
}
