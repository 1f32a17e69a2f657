//go:build js && wasm

package jsbridge

import (
	"strconv"
	"syscall/js"

	"github.com/fedwasm/fedwasm/federation"
	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/limits"
	"github.com/fedwasm/fedwasm/jsbridge/internal/jsutil"
)

// configFuncs are what a config object passed to init holds that JSON cannot
// carry: each shared entry's get and lib (a function, or a module object,
// which JSON.stringify would walk or drop), and MF 2.0's plugins. init reads
// the config with jsutil.PlainValueAside, which hands these to aside and
// leaves them out; config.Decode decodes and checks the rest exactly as it
// does the config file, and init puts them back beside the decoded config.
type configFuncs struct {
	shares  map[shareAt]shareFuncs
	plugins js.Value // undefined when not given
}

// shareAt is a shared entry's place in the config: its package and its index
// in the package's list (0 for an entry given as an object, as config.Decode
// reads it).
type shareAt struct {
	pkg   string
	index int
}

// shareFuncs are one shared entry's get and lib, undefined when not given.
type shareFuncs struct{ get, lib js.Value }

// aside takes plugins and shared[pkg].get / .lib (or shared[pkg][i].get /
// .lib) out of the config being read.
func (f *configFuncs) aside(path []string, v js.Value) bool {
	if len(path) == 1 && path[0] == "plugins" {
		f.plugins = v
		return true
	}
	if len(path) < 3 || len(path) > 4 || path[0] != "shared" {
		return false
	}
	name, index := path[len(path)-1], 0
	if name != "get" && name != "lib" {
		return false
	}
	if len(path) == 4 {
		i, err := strconv.Atoi(path[2])
		if err != nil || i < 0 {
			return false // shared.pkg.shareConfig.lib: the decoder warns of it
		}
		index = i
	}
	if v.IsNull() {
		v = js.Undefined() // null is "absent", as for every option
	}
	if f.shares == nil {
		f.shares = map[shareAt]shareFuncs{}
	}
	at := shareAt{path[1], index}
	s := f.shares[at] // the zero js.Value is undefined
	if name == "get" {
		s.get = v
	} else {
		s.lib = v
	}
	f.shares[at] = s
	return true
}

// check refuses a get that is not a function and plugins that fedwasm.use
// would refuse, before the config is applied; it returns the plugins.
func (f *configFuncs) check() ([]js.Value, error) {
	for at, s := range f.shares {
		if !s.get.IsUndefined() && s.get.Type() != js.TypeFunction {
			field := "shared." + at.pkg + "[" + strconv.Itoa(at.index) + "].get"
			return nil, errcode.New(errcode.ConfigInvalid, map[string]any{"field": field},
				"federation config field "+field+" is a "+s.get.Type().String()+"; give a function that returns the module (or a Promise of it)")
		}
	}
	if f.plugins.IsUndefined() || f.plugins.IsNull() {
		return nil, nil
	}
	if !jsutil.IsArray(f.plugins) {
		return nil, errcode.New(errcode.ConfigInvalid, map[string]any{"field": "plugins"},
			"federation config field plugins is a "+f.plugins.Type().String()+"; give an array of plugin objects, each as fedwasm.use(plugin) takes it")
	}
	n, err := jsutil.LengthOf("init(config).plugins", f.plugins)
	if err != nil {
		return nil, err
	}
	if err := limits.Check("fedwasm.init(config)", "plugins", n, limits.Plugins,
		"a page takes at most "+strconv.Itoa(limits.Plugins)+" plugins; combine their hooks"); err != nil {
		return nil, err
	}
	list := make([]js.Value, n)
	for i := range list {
		list[i] = jsutil.Property(f.plugins, i)
		if _, err := checkPlugin(list[i]); err != nil {
			field := "plugins[" + strconv.Itoa(i) + "]"
			return nil, errcode.New(errcode.ConfigInvalid, map[string]any{"field": field},
				"federation config field "+field+": "+errcode.As(err, errcode.InvalidArgument).Message)
		}
	}
	return list, nil
}

// handleOf is how configured share s's module is obtained: its get or lib
// when the config object gave one, else its import URL. A lib marks the
// provider loaded, as it does for registerShared (and in MF 2.0).
func (b *Bridge) handleOf(s federation.ConfiguredShare, f *configFuncs) shareHandle {
	h := shareHandle{importURL: s.Args.Import}
	if fns, ok := f.shares[shareAt{s.Package, s.Index}]; ok {
		h.get, h.lib = fns.get, fns.lib
		if !h.lib.IsUndefined() {
			b.rt.MarkLoaded(s.ID)
		}
	}
	return h
}
