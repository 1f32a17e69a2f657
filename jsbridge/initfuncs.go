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
	// shares are each entry's get and lib by "pkg[index]" (index 0 for an
	// entry given as an object, as config.Decode reads it).
	shares  map[string]shareFuncs
	plugins js.Value // undefined when not given
	badGet  string   // the field of the first get that is not a function
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
	n := len(path)
	if n < 3 || n > 4 || path[0] != "shared" || (path[n-1] != "get" && path[n-1] != "lib") {
		return false // shared.pkg.shareConfig.lib is not taken: the decoder warns of it
	}
	at := path[1] + "[0]"
	if n == 4 {
		at = path[1] + "[" + path[2] + "]"
	}
	if v.IsNull() {
		v = js.Undefined() // null is "absent", as for every option
	}
	if f.shares == nil {
		f.shares = map[string]shareFuncs{}
	}
	s := f.shares[at] // the zero js.Value is undefined
	if path[n-1] == "lib" {
		s.lib = v
	} else if s.get = v; !v.IsUndefined() && v.Type() != js.TypeFunction && f.badGet == "" {
		f.badGet = "shared." + at + ".get"
	}
	f.shares[at] = s
	return true
}

// check refuses a get that is not a function and plugins that fedwasm.use
// would refuse, before the config is applied; it returns the plugins.
func (f *configFuncs) check() ([]js.Value, error) {
	field, problem := f.badGet, "is not a function; give one that returns the module (or a Promise of it)"
	var list []js.Value
	if field == "" && !f.plugins.IsUndefined() && !f.plugins.IsNull() {
		field, problem = "plugins", "is not an array of plugin objects"
		if jsutil.IsArray(f.plugins) {
			n, err := jsutil.LengthOf("init(config).plugins", f.plugins)
			if err == nil {
				err = limits.Check("fedwasm.init(config)", "plugins", n, limits.Plugins, "a page takes at most "+strconv.Itoa(limits.Plugins)+" plugins; combine their hooks")
			}
			if err != nil {
				return nil, err
			}
			field = ""
			for i := 0; i < n && field == ""; i++ {
				list = append(list, jsutil.Property(f.plugins, i))
				if _, _, err := readPlugin(list[i]); err != nil {
					field, problem = "plugins["+strconv.Itoa(i)+"]", "is refused: "+errcode.As(err, "").Message
				}
			}
		}
	}
	if field != "" {
		return nil, errcode.New(errcode.ConfigInvalid, map[string]any{"field": field}, "federation config field "+field+" "+problem)
	}
	return list, nil
}

// handleOf is how configured share s's module is obtained: its get or lib
// when the config object gave one, else its import URL. A lib marks the
// provider loaded, as it does for registerShared (and in MF 2.0).
func (b *Bridge) handleOf(s federation.ConfiguredShare, f *configFuncs) shareHandle {
	fns := f.shares[s.Package+"["+strconv.Itoa(s.Index)+"]"]
	if !fns.lib.IsUndefined() {
		b.rt.MarkLoaded(s.ID)
	}
	return shareHandle{importURL: s.Args.Import, get: fns.get, lib: fns.lib}
}
