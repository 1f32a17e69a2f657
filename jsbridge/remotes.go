//go:build js && wasm

package jsbridge

import (
	"strconv"
	"syscall/js"

	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/federation/errcode"
)

// registerRemotes implements fedwasm.registerRemotes(remotes, { force }).
func (b *Bridge) registerRemotes(_ js.Value, args []js.Value) (any, error) {
	text, err := jsonText(arg(args, 0), "registerRemotes(remotes)")
	if err != nil {
		return nil, err
	}
	remotes, err := config.DecodeRemotes(text)
	if err != nil {
		return nil, asArgumentError("registerRemotes", err)
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

// loadRemote implements fedwasm.loadRemote(id): "name" or "name/Expose". A
// webpack or MF container (type var, module or manifest, or an ES module that
// exports init and get) is loaded once, initialized once with the live share
// scope, and asked for the expose; a plain ES module is itself the remote.
func (b *Bridge) loadRemote(_ js.Value, args []js.Value) (any, error) {
	id, err := stringArg("loadRemote", "the remote id", args, 0)
	if err != nil {
		return nil, err
	}
	return b.loadRemoteWithPlugins(id, b.loadRemoteByID)
}

// loadRemoteByID is loadRemote without the plugins' hooks; rewrite (may be
// nil) lets afterResolve change where the remote is loaded from.
func (b *Bridge) loadRemoteByID(id string, rewrite func(config.Remote, string) config.Remote) (js.Value, error) {
	remote, expose, err := b.rt.Remotes.Match(id)
	if err != nil {
		return js.Undefined(), err
	}
	if rewrite != nil {
		remote = rewrite(remote, expose)
	}
	entry, err := b.ensureRemote(remote)
	if err != nil {
		return js.Undefined(), err
	}
	if !isContainer(entry) {
		if expose != "." {
			return js.Undefined(), errcode.New(errcode.RemoteExposeMissing, map[string]any{"remote": remote.Name, "expose": expose},
				"loadRemote("+strconv.Quote(id)+"): remote "+strconv.Quote(remote.Name)+" is a plain ES module without exposes; call loadRemote("+strconv.Quote(remote.Name)+") and use its exports")
		}
		return entry, nil
	}
	return b.getExpose(id, remote, entry, expose)
}
