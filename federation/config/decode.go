package config

import (
	"maps"
	"slices"
	"strconv"

	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/jsonv"
)

// Parse decodes and validates a config. Errors carry code CONFIG_INVALID and
// details.field naming the offending field.
func Parse(data []byte) (Config, error) {
	c, err := Decode(data)
	if err != nil {
		return Config{}, err
	}
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}

// Decode reads a config from JSON without validating it (Runtime.Init
// validates). A value of the wrong type is a CONFIG_INVALID error whose
// details.field is its path, such as "remotes[0].entry". A key it does not
// read is no error: c.Warnings has a CONFIG_UNKNOWN_KEY warning for it.
func Decode(data []byte) (c Config, err error) {
	v, err := jsonv.Parse(data)
	if err != nil {
		return Config{}, shapeError(err)
	}
	var d decoder
	c = decodeConfig(&d, d.object(v, "", configKind))
	if d.Err != nil {
		return Config{}, shapeError(d.Err)
	}
	c.Warnings = d.warnings
	return c, nil
}

// DecodeRemotes reads a list of remotes from JSON without validating them,
// as the config's remotes are read: warnings has a CONFIG_UNKNOWN_KEY
// warning for each key it does not read (fields named from the list, as
// "[0].entyr"), also when err is not nil (the key may be why).
func DecodeRemotes(data []byte) (remotes []Remote, warnings []*errcode.Error, err error) {
	v, err := jsonv.Parse(data)
	if err != nil {
		return nil, nil, remotesShapeError(err)
	}
	var d decoder
	remotes = decodeRemotes(&d, v, "")
	if d.Err != nil {
		return nil, d.warnings, remotesShapeError(d.Err)
	}
	return remotes, d.warnings, nil
}

// shapeError is CONFIG_INVALID for JSON that does not parse or has a value of
// the wrong type; a CONFIG_INVALID error found while decoding stays as it is.
func shapeError(err error) *errcode.Error {
	if coded, ok := err.(*errcode.Error); ok {
		return coded
	}
	field := ""
	if te, ok := err.(*jsonv.TypeError); ok {
		field = te.Field
	}
	return errcode.New(errcode.ConfigInvalid, map[string]any{"field": field, "cause": err.Error()},
		"federation config is not valid JSON of the expected shape: "+err.Error()+"; fix the config file")
}

func remotesShapeError(err error) error {
	if coded, ok := err.(*errcode.Error); ok {
		return coded
	}
	coded := shapeError(err)
	coded.Message = "the remotes are not valid JSON of the expected shape: " + err.Error() + "; pass a list of {name, entry, type, ...} as in the config's remotes"
	return coded
}

func decodeConfig(f *decoder, m map[string]any) Config {
	c := Config{
		Name:          f.String(m["name"], "name"),
		Bootstrap:     f.String(m["bootstrap"], "bootstrap"),
		ShareStrategy: f.String(m["shareStrategy"], "shareStrategy"),
	}
	if shared := f.Object(m["shared"], "shared"); shared != nil { // keys are package names
		c.Shared = make(map[string]ShareEntries, len(shared))
		for _, pkg := range slices.Sorted(maps.Keys(shared)) {
			c.Shared[pkg] = decodeShareEntries(f, shared[pkg], jsonv.Key("shared", pkg))
		}
	}
	c.Remotes = decodeRemotes(f, m["remotes"], "remotes")
	if retry := f.object(m["retry"], "retry", retryKind); retry != nil {
		c.Retry = &Retry{
			Times:     f.Int(retry["times"], "retry.times"),
			DelayMs:   f.Int(retry["delayMs"], "retry.delayMs"),
			TimeoutMs: f.Int(retry["timeoutMs"], "retry.timeoutMs"),
			Domains:   f.Strings(retry["domains"], "retry.domains"),
		}
	}
	sec := f.object(m["security"], "security", securityKind)
	c.Security = Security{
		AllowedOrigins:   f.Strings(sec["allowedOrigins"], "security.allowedOrigins"),
		RequireIntegrity: f.Bool(sec["requireIntegrity"], "security.requireIntegrity"),
		Nonce:            f.String(sec["nonce"], "security.nonce"),
		Plugins:          f.Strings(sec["plugins"], "security.plugins"),
	}
	own := f.object(m["ownership"], "ownership", ownershipKind)
	c.Ownership = Ownership{
		Stores: decodeOwners(f, own["stores"], "ownership.stores"),
		Events: decodeOwners(f, own["events"], "ownership.events"),
	}
	return c
}

// decodeOwners reads an object of owner names by what they own; nil when absent.
func decodeOwners(f *decoder, v any, field string) map[string]string {
	m := f.Object(v, field)
	if m == nil {
		return nil
	}
	owners := make(map[string]string, len(m))
	for _, key := range slices.Sorted(maps.Keys(m)) {
		owners[key] = f.String(m[key], jsonv.Key(field, key))
	}
	return owners
}

// decodeShareEntries reads one package's providers: an object or an array of
// them (null is one empty entry, which Validate then refuses).
func decodeShareEntries(f *decoder, v any, field string) ShareEntries {
	list, ok := v.([]any)
	if !ok {
		m := f.Object(v, field)
		f.checkKeys(m, jsonv.Index(field, 0), shareKind) // as Validate names it
		return ShareEntries{decodeShareArgs(f, m, jsonv.Index(field, 0))}
	}
	entries := make(ShareEntries, len(list))
	for i, e := range list {
		entries[i] = decodeShareArgs(f, f.object(e, jsonv.Index(field, i), shareKind), jsonv.Index(field, i))
	}
	return entries
}

func decodeShareArgs(f *decoder, m map[string]any, field string) ShareArgs {
	sc := f.object(m["shareConfig"], field+".shareConfig", shareConfigKind)
	a := ShareArgs{
		Version: f.String(m["version"], field+".version"),
		Import:  f.String(m["import"], field+".import"),
		Scope:   f.String(m["scope"], field+".scope"),
		From:    f.String(m["from"], field+".from"),
		ShareConfig: ShareConfig{
			Singleton:     f.Bool(sc["singleton"], field+".shareConfig.singleton"),
			StrictVersion: f.Bool(sc["strictVersion"], field+".shareConfig.strictVersion"),
			Eager:         f.Bool(sc["eager"], field+".shareConfig.eager"),
		},
	}
	switch rv := sc["requiredVersion"].(type) {
	case nil:
	case string:
		a.ShareConfig.RequiredVersion.Range = rv
	case bool:
		if !rv {
			a.ShareConfig.RequiredVersion.Disabled = true
			break
		}
		f.Err = firstErr(f.Err, &jsonv.TypeError{Field: field + ".shareConfig.requiredVersion", Got: "boolean true", Want: "a range string or false"})
	default:
		f.Err = firstErr(f.Err, &jsonv.TypeError{Field: field + ".shareConfig.requiredVersion", Got: jsonv.Kind(rv), Want: "a range string or false"})
	}
	return a
}

// decodeRemotes reads remotes given as an array of remote objects or as an
// object by remote name (see RemoteList) of "global@url" strings, or of
// what Native Federation's federation.manifest.json gives: the URL of a
// remoteEntry.json (a manifest remote: no global name), or { url,
// integrity }.
func decodeRemotes(f *decoder, v any, field string) RemoteList {
	if byName, ok := v.(map[string]any); ok {
		remotes := make(RemoteList, 0, len(byName))
		for _, name := range slices.Sorted(maps.Keys(byName)) {
			at := jsonv.Key(field, name)
			r := Remote{Name: name}
			switch value := byName[name].(type) {
			case string:
				r.Entry = value
				if typeOfPath(value) != "manifest" || !isEntryURL(value) { // not a remoteEntry.json: webpack's "global@url"
					f.Err = firstErr(f.Err, checkGlobalEntry(at, value))
				}
			case map[string]any:
				m := f.object(value, at, nativeManifestKind)
				r.Entry, r.Integrity = f.String(m["url"], at+".url"), f.String(m["integrity"], at+".integrity")
				if r.Entry == "" {
					f.Err = firstErr(f.Err, invalid(at+".url", "is missing: a federation.manifest.json remote is { \"url\": \"https://…/remoteEntry.json\" }"))
				}
			default:
				f.Err = firstErr(f.Err, &jsonv.TypeError{Field: at, Got: jsonv.Kind(value), Want: `a "global@url" string, a remoteEntry.json URL or { url, integrity }`})
			}
			remotes = append(remotes, r)
		}
		return remotes
	}
	if _, ok := v.([]any); !ok && v != nil {
		f.Err = firstErr(f.Err, &jsonv.TypeError{Field: field, Got: jsonv.Kind(v), Want: `an array of remotes or an object of "global@url" strings by name`})
		return nil
	}
	list := f.Array(v, field)
	if list == nil {
		return nil
	}
	remotes := make(RemoteList, len(list))
	for i, e := range list {
		at := jsonv.Index(field, i)
		m := f.object(e, at, remoteKind)
		remotes[i] = Remote{
			Name:            f.String(m["name"], at+".name"),
			Entry:           f.String(m["entry"], at+".entry"),
			Type:            f.String(m["type"], at+".type"),
			Alias:           f.String(m["alias"], at+".alias"),
			Integrity:       f.String(m["integrity"], at+".integrity"),
			ShareScope:      decodeShareScope(f, m["shareScope"], at+".shareScope"),
			EntryGlobalName: f.String(m["entryGlobalName"], at+".entryGlobalName"),
		}
		if version, ok := m["version"].(string); ok && version != "" && m["entry"] == nil {
			f.Err = firstErr(f.Err, versionOnlyRemote(at, remotes[i].Name, version))
		}
	}
	return remotes
}

// versionOnlyRemote refuses MF 2.0's { name, version } remote: MF resolves
// it to an entry through its snapshot (a deployment service's registry),
// which fedwasm has no client for. fedwasm's own registry server resolves
// remotes for the hosts it lists, and hands the page their entries.
func versionOnlyRemote(at, name, version string) error {
	return invalid(at+".entry", "is missing: remote "+strconv.Quote(name)+" gives only a version ("+strconv.Quote(version)+
		"), which Module Federation 2.0 resolves through its snapshot service and fedwasm does not; give its entry (the URL of its mf-manifest.json or remoteEntry.js), or list the remote in fedwasm's registry (fedwasm serve), which hands the page its entry")
}

// decodeShareScope reads a remote's shareScope: a scope name, or MF 2.0's
// list of them. fedwasm initializes a container with one share scope, as
// webpack's container.init(shareScope) takes one, so a list of one name is
// that name and a longer one is refused (MF 2.0 too gives a webpack
// container only the list's first scope; the others reach MF 2.0
// containers only, through init's third argument, which fedwasm does not
// pass).
func decodeShareScope(f *decoder, v any, field string) string {
	list, ok := v.([]any)
	if !ok {
		return f.String(v, field)
	}
	if len(list) == 1 {
		return f.String(list[0], field+"[0]")
	}
	f.Err = firstErr(f.Err, invalid(field, "lists "+strconv.Itoa(len(list))+" share scopes; fedwasm initializes a remote's container with one share scope, so give one name (\"default\" unless the remote was built with another shareScope), and register shares in the scopes the remote consumes from"))
	return ""
}

func firstErr(have, next error) error {
	if have != nil {
		return have
	}
	return next
}

// Plain is r's JSON form as plain values (see jsonv.Plainer).
func (r Remote) Plain() map[string]any {
	m := map[string]any{"name": r.Name, "entry": r.Entry}
	for k, v := range map[string]string{"type": r.Type, "alias": r.Alias, "integrity": r.Integrity, "shareScope": r.ShareScope, "entryGlobalName": r.EntryGlobalName} {
		if v != "" {
			m[k] = v
		}
	}
	return m
}
