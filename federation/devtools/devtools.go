// Package devtools is what Module Federation's Chrome devtools
// (module-federation/core, packages/chrome-devtools) see of a fedwasm host
// and what their proxy may change: the values fedwasm writes into
// window.__FEDERATION__ (moduleInfo and __SHARE__, in the shapes MF's
// runtime-core writes them) and the decision whether a proxy rule the
// devtools stored in localStorage redirects a remote. The bridge writes the
// values and reads the storage; everything is decided here (docs/devtools.md).
package devtools

import (
	"strconv"
	"strings"

	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/jsonv"
	"github.com/fedwasm/fedwasm/federation/limits"
	"github.com/fedwasm/fedwasm/federation/remote"
	"github.com/fedwasm/fedwasm/federation/share"
)

// StorageKey is the localStorage key the devtools' proxy writes its rules
// under: {"overrides": {remote name: entry URL or version}} (their
// vendor/basic-proxy-core.js reads the object itself when it has no
// "overrides").
const StorageKey = "__MF_DEVTOOLS__"

// State is what the global is computed from: the runtime's own state.
type State struct {
	Host    string
	Remotes []remote.Report
	// Manifest gives the manifest fetched for a remote, if any.
	Manifest func(name string) (remote.Manifest, bool)
	Shares   []share.PackageReport
	// Rules gives the rules provider from declared for pkg in scope.
	Rules    func(scope, pkg, from string) config.ShareConfig
	Strategy string
}

// Key is a remote's key in moduleInfo, as MF's runtime keys a remote's
// snapshot (getFMId: name and entry): the host's remotesInfo[name].matchedVersion
// is the entry, and the devtools' graph joins the two into this key.
func Key(r config.Remote) string { return r.Name + ":" + r.Entry }

// q is s as a JSON string.
func q(s string) string { return string(jsonv.AppendString(nil, s)) }

func jsonBool(b bool) string { return strconv.FormatBool(b) }

// emptyAssets is a snapshot's assets with no files.
const emptyAssets = `{"css":{"async":[],"sync":[]},"js":{"async":[],"sync":[]}}`

// Global is the text of {"moduleInfo": …, "share": …}: what the bridge
// writes into window.__FEDERATION__.moduleInfo (under keys, in the order
// given) and __FEDERATION__.__SHARE__[s.Host]. It is written as text, each
// record by one concatenation: maps of plain values cost runtime.wasm
// several times the code.
//
// moduleInfo has the host under its name (a consumer: its remotesInfo
// names every remote, matchedVersion being its entry) and each remote under
// Key (a provider: its manifest's snapshot, as MF's
// generateSnapshotFromManifest writes it, once fetched; else its entry).
// share is scope → package → version → MF's Shared record (version, from,
// useIn, shareConfig, loaded, loading, scope, strategy), without get and
// lib, which the devtools do not read.
func Global(s State) (text []byte, keys []string) {
	b := append(make([]byte, 0, 1024), `{"moduleInfo":{`...)
	remotesInfo := []byte{'{'}
	for i, r := range s.Remotes {
		if i > 0 {
			b, remotesInfo = append(b, ','), append(remotesInfo, ',')
		}
		keys = append(keys, Key(r.Remote))
		b = remoteInfo(append(b, q(Key(r.Remote))+":"...), s, r)
		remotesInfo = append(remotesInfo, q(r.Name)+`:{"matchedVersion":`+q(r.Entry)+"}"...)
	}
	if len(s.Remotes) > 0 {
		b = append(b, ',')
	}
	keys = append(keys, s.Host)
	b = append(b, q(s.Host)+`:{"buildVersion":"","remoteEntry":"","remoteTypes":"","remoteTypesZip":"","version":"","remotesInfo":`...)
	b = append(append(b, remotesInfo...), `},"shared":`...)
	b = append(providedBy(b, s, s.Host, nil), `}},"share":`...)
	return append(shareScopes(b, s), '}'), keys
}

// remoteInfo appends one remote's snapshot.
func remoteInfo(b []byte, s State, r remote.Report) []byte {
	var m remote.Manifest
	ok := false
	if s.Manifest != nil {
		if m, ok = s.Manifest(r.Name); !ok {
			m = remote.Manifest{}
		}
	}
	meta := m.MetaData
	entry, typ, global, more := r.Entry, r.Type, r.EntryGlobalName, ""
	if typ == "" {
		typ = "script"
	}
	if ok && m.Native != nil { // a Native Federation remote: ES modules, one per expose, named by its remoteEntry.json
		ok, typ, m.Exposes = false, "esm", make([]remote.ManifestExpose, len(m.Native.Exposes))
		for i, e := range m.Native.Exposes {
			m.Exposes[i] = remote.ManifestExpose{Name: strings.TrimPrefix(e.Key, "./"), Path: e.Key}
		}
	}
	if ok {
		entry, typ = meta.RemoteEntry.Name, meta.RemoteEntry.Type
		if meta.RemoteEntry.Path != "" {
			entry = strings.TrimSuffix(meta.RemoteEntry.Path, "/") + "/" + entry
		}
		if typ == "" {
			typ = "global"
		}
		if meta.GlobalName != "" {
			global = meta.GlobalName
		}
		if meta.PublicPath != nil {
			more = `,"publicPath":` + q(*meta.PublicPath)
		} else if meta.GetPublicPath != nil {
			more = `,"getPublicPath":` + q(*meta.GetPublicPath)
		}
	}
	b = append(b, `{"buildVersion":"","remoteTypes":"","remoteTypesZip":"","remotesInfo":{},"version":"","globalName":`+q(global)+
		`,"remoteEntry":`+q(entry)+`,"remoteEntryType":`+q(typ)+more+`,"modules":[`...)
	for i, e := range m.Exposes {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"assets":`+emptyAssets+`,"moduleName":`+q(e.Name)+`,"modulePath":`+q(e.Path)+"}"...)
	}
	b = append(b, `],"shared":`...)
	return append(providedBy(b, s, r.Name, m.Shared), '}')
}

// providedBy appends the "shared" list of the packages from provides: a
// manifest's own list when given, and every version registered besides.
func providedBy(b []byte, s State, from string, listed []remote.ManifestShared) []byte {
	b = append(b, '[')
	seen := map[string]bool{}
	add := func(pkg, version string) {
		if seen[pkg+"\x00"+version] {
			return
		}
		if len(seen) > 0 {
			b = append(b, ',')
		}
		seen[pkg+"\x00"+version] = true
		b = append(b, `{"assets":`+emptyAssets+`,"sharedName":`+q(pkg)+`,"version":`+q(version)+"}"...)
	}
	for _, sh := range listed {
		add(sh.Name, sh.Version)
	}
	for _, p := range s.Shares {
		for _, prov := range p.Providers {
			if prov.From == from {
				add(p.Package, prov.Version)
			}
		}
	}
	return append(b, ']')
}

// shareScopes appends the host's share scopes: each version's provider as the
// share scope holds it (share.Scopes.Snapshot lists one per version).
func shareScopes(b []byte, s State) []byte {
	b = append(b, '{')
	scope, inScope := "", false
	for _, p := range s.Shares { // sorted by scope and package
		if len(p.Providers) == 0 {
			continue
		}
		switch {
		case !inScope:
			b = append(b, q(p.Scope)+":{"...)
		case p.Scope != scope:
			b = append(b, "},"+q(p.Scope)+":{"...)
		default:
			b = append(b, ',')
		}
		scope, inScope = p.Scope, true
		b = append(b, q(p.Package)+":{"...)
		for i, prov := range p.Providers {
			if i > 0 && prov.Version == p.Providers[i-1].Version {
				continue
			}
			if i > 0 {
				b = append(b, ',')
			}
			var rules config.ShareConfig
			if s.Rules != nil {
				rules = s.Rules(p.Scope, p.Package, prov.From)
			}
			required, loading := "false", "null"
			if !rules.RequiredVersion.Disabled && rules.RequiredVersion.Range != "" {
				required = q(rules.RequiredVersion.Range)
			}
			if prov.Loading {
				loading = "true"
			}
			b = append(b, q(prov.Version)+`:{"deps":[],"version":`+q(prov.Version)+`,"from":`+q(prov.From)+`,"eager":`+jsonBool(prov.Eager)+
				`,"loaded":`+jsonBool(prov.Loaded)+`,"loading":`+loading+`,"scope":[`+q(p.Scope)+`],"strategy":`+q(s.Strategy)+
				`,"shareConfig":{"eager":`+jsonBool(prov.Eager)+`,"requiredVersion":`+required+`,"singleton":`+jsonBool(rules.Singleton)+
				`,"strictVersion":`+jsonBool(rules.StrictVersion)+`},"useIn":[`...)
			n := 0
			for _, c := range p.Consumers {
				if c.Got == prov.Version && n < limits.UseIn {
					if n > 0 {
						b = append(b, ',')
					}
					b = append(b, q(c.From)...)
					n++
				}
			}
			b = append(b, "]}"...)
		}
		b = append(b, '}')
	}
	if inScope {
		b = append(b, '}')
	}
	return append(b, '}')
}

// Overrides reads the rules the devtools' proxy stored (the text under
// StorageKey): remote name or alias → entry URL or version. Text that is
// not a JSON object, and values that are not non-empty strings, are no
// rules, as in the devtools' own reader.
func Overrides(stored string) map[string]string {
	v, err := jsonv.Parse([]byte(stored))
	obj, _ := v.(map[string]any)
	if err != nil || obj == nil {
		return nil
	}
	if inner, ok := obj["overrides"].(map[string]any); ok {
		obj = inner
	}
	out := map[string]string{}
	for k, v := range obj {
		if s, ok := v.(string); ok && s != "" && len(out) < limits.Remotes {
			out[k] = s
		}
	}
	return out
}

// isEntryURL is the devtools' own test of a rule that is an entry rather
// than a version.
func isEntryURL(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "//")
}

// Apply redirects each remote a rule names (by name, else alias) to the
// rule's entry, if check (the loading policy: load.Loader.Check) admits
// the redirected remote. It returns the remotes to register and one
// warning per rule it looked at: DEVTOOLS_OVERRIDE for a redirect,
// DEVTOOLS_OVERRIDE_REFUSED, with details.reason, for a rule it did not
// use. A pinned remote (integrity) is never redirected: the pin names the
// configured bytes. Remotes no rule names are returned unchanged.
func Apply(remotes []config.Remote, rules map[string]string, check func(config.Remote) error) ([]config.Remote, []*errcode.Error) {
	if len(rules) == 0 {
		return remotes, nil
	}
	out := make([]config.Remote, len(remotes))
	var warnings []*errcode.Error
	for i, r := range remotes {
		out[i] = r
		to, ok := rules[r.Name]
		if !ok && r.Alias != "" {
			to, ok = rules[r.Alias]
		}
		if !ok || to == r.Entry {
			continue
		}
		refuse := func(reason, why string) {
			warnings = append(warnings, errcode.New(errcode.DevtoolsOverrideRefused,
				map[string]any{"remote": r.Name, "entry": r.Entry, "override": to, "reason": reason},
				"Module Federation's devtools redirect remote "+strconv.Quote(r.Name)+" to "+to+", which was not used: "+why+"; it loads from "+r.Entry))
		}
		if !isEntryURL(to) {
			refuse("version", "the rule names a version, and fedwasm takes entry URLs only (a version needs MF's snapshot service)")
			continue
		}
		if r.Integrity != "" {
			refuse("integrity", "the remote is pinned by integrity, which names its configured bytes")
			continue
		}
		next := config.Remote{Name: r.Name, Entry: to, Alias: r.Alias, ShareScope: r.ShareScope, EntryGlobalName: r.EntryGlobalName}
		if err := next.Validate("devtools override"); err != nil {
			refuse("invalid", errcode.As(err, errcode.ConfigInvalid).Message)
			continue
		}
		// A manifest's path makes the remote a manifest one; otherwise
		// the remote keeps the kind of script it was configured as (a
		// dev server's remoteEntry.js of an ES-module remote is one too).
		if next.Type != "manifest" && r.Type != "manifest" && r.Type != "" {
			next.Type = r.Type
		}
		if err := check(next); err != nil {
			coded := errcode.As(err, errcode.OriginNotAllowed)
			reason := "origin"
			if coded.Code == errcode.IntegrityRequired {
				reason = "integrity"
			}
			refuse(reason, coded.Message)
			continue
		}
		out[i] = next
		warnings = append(warnings, errcode.New(errcode.DevtoolsOverride,
			map[string]any{"remote": r.Name, "entry": r.Entry, "override": next.Entry},
			"remote "+strconv.Quote(r.Name)+" is loaded from "+next.Entry+", not its configured entry "+r.Entry+": Module Federation's devtools redirect it (localStorage."+StorageKey+")"))
	}
	return out, warnings
}
