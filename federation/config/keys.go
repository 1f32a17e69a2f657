package config

import (
	"slices"
	"strconv"
	"strings"

	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/jsonv"
	"github.com/fedwasm/fedwasm/federation/limits"
)

// An objectKind is one kind of object in a config: the keys fedwasm reads
// in it, and keys it knows of but does not read, each with its hint:
//   - "": said nothing of (a key fedwasm's own server writes);
//   - "=k": the key people mean is k ("shareConfig.eager" for webpack's
//     eager on the share);
//   - anything else: a Module Federation 2.0 option fedwasm does not
//     support, and what to do instead (said after "so it has no effect").
//
// other is pairs of key and hint, a list rather than a map: a map literal
// is code that runs at start, a list is data.
type objectKind struct {
	name  string // for messages: "a shared entry"
	keys  []string
	other []string
}

// hint is what kind says of key among its other keys.
func (kind objectKind) hint(key string) (hint string, ok bool) {
	for i := 0; i+1 < len(kind.other); i += 2 {
		if kind.other[i] == key {
			return kind.other[i+1], true
		}
	}
	return "", false
}

const removeIt = "; remove it"

var (
	configKind = objectKind{"the config", []string{"name", "bootstrap", "shareStrategy", "shared", "remotes", "retry", "security", "ownership"}, []string{
		"snapshot", "", // the share scope the server resolved, for the loader
		"plugins", ": register plugins with fedwasm.use (or pass them to fedwasm.init in the config object), and name the remotes they may change in security.plugins",
		"version", removeIt,
		"id", removeIt,
	}}
	// webpack's ModuleFederationPlugin takes the share options on the share
	// itself; a runtime config (MF 2.0's, fedwasm's) in its shareConfig.
	shareKind = objectKind{"a shared entry", []string{"version", "import", "scope", "from", "shareConfig"}, []string{
		"singleton", "=shareConfig.singleton", "requiredVersion", "=shareConfig.requiredVersion",
		"strictVersion", "=shareConfig.strictVersion", "eager", "=shareConfig.eager", "shareScope", "=scope",
		"strategy", ": the config's shareStrategy applies to every share",
		"deps", removeIt, "loaded", removeIt, "useIn", removeIt, "treeShaking", removeIt,
	}}
	shareConfigKind = objectKind{"a shareConfig", []string{"singleton", "requiredVersion", "strictVersion", "eager"}, []string{
		"layer", removeIt,
	}}
	remoteKind = objectKind{"a remote", []string{"name", "entry", "type", "alias", "integrity", "shareScope", "entryGlobalName"}, []string{
		"version", "", // the deployed version the server's registry adds
	}}
	// nativeManifestKind is a value of Native Federation's
	// federation.manifest.json (its FederationManifest) in the remotes'
	// object form: main names the shell's own entry there.
	nativeManifestKind = objectKind{"a federation.manifest.json remote", []string{"url", "integrity"}, []string{
		"main", removeIt,
	}}
	retryKind     = objectKind{"retry", []string{"times", "delayMs", "timeoutMs", "domains"}, nil}
	securityKind  = objectKind{"security", []string{"allowedOrigins", "requireIntegrity", "nonce", "plugins"}, nil}
	ownershipKind = objectKind{"ownership", []string{"stores", "events"}, nil}
)

// registeredShareKind is a shared entry as fedwasm.registerShared takes it:
// a JS object, which may carry get and lib.
var registeredShareKind = objectKind{shareKind.name, []string{"version", "get", "lib", "import", "scope", "from", "shareConfig"}, shareKind.other}

// KeyWarnings collects the CONFIG_UNKNOWN_KEY warnings of objects read
// outside Decode (registerShared's entries, which the bridge reads from JS),
// with Decode's words, suggestions and bound (limits.ConfigWarnings per
// call).
type KeyWarnings struct{ d decoder }

// ShareEntry checks the keys of the shared entry at field (as registerShared
// names it: "shared.react[0]") and of its shareConfig, each given as the set
// of its keys (the values are not read; nil when there is none).
func (w *KeyWarnings) ShareEntry(field string, entry, shareConfig map[string]any) {
	w.d.checkKeys(entry, field, registeredShareKind)
	w.d.checkKeys(shareConfig, field+".shareConfig", shareConfigKind)
}

// List is the warnings collected, in the order found.
func (w *KeyWarnings) List() []*errcode.Error { return w.d.warnings }

// decoder reads a config (jsonv.Fields) and collects a CONFIG_UNKNOWN_KEY
// warning for each key fedwasm does not read: at most
// limits.ConfigWarnings, and then one that says there are more.
type decoder struct {
	jsonv.Fields
	warnings []*errcode.Error
}

// object reads an object (jsonv.Fields.Object) of kind, and warns of its
// unknown keys.
func (d *decoder) object(v any, field string, kind objectKind) map[string]any {
	m := d.Object(v, field)
	d.checkKeys(m, field, kind)
	return m
}

// checkKeys warns of m's keys that kind does not have, m being the object at
// field. Its cost is linear in len(m), plus a bounded suggestion per warning.
func (d *decoder) checkKeys(m map[string]any, field string, kind objectKind) {
	if len(d.warnings) > limits.ConfigWarnings {
		return
	}
	var unknown []string
	for key := range m {
		if !slices.Contains(kind.keys, key) {
			if hint, ok := kind.hint(key); !ok || hint != "" {
				unknown = append(unknown, key)
			}
		}
	}
	slices.Sort(unknown) // the same warnings, in the same order, every time
	for _, key := range unknown {
		var w *errcode.Error
		if len(d.warnings) < limits.ConfigWarnings {
			w = unknownKey(field, key, kind)
		} else {
			w = errcode.New(errcode.ConfigUnknownKey, nil, // no details.field
				"federation config has more unknown keys than those listed; fix those, and the next ones are listed")
		}
		d.warnings = append(d.warnings, w)
		if len(d.warnings) > limits.ConfigWarnings {
			return
		}
	}
}

// unknownKey is the warning for key in the object of kind at field.
func unknownKey(field, key string, kind objectKind) *errcode.Error {
	hint, unsupported := kind.hint(key)
	near := ""
	what := "is a Module Federation option fedwasm does not support, so it has no effect" + hint
	if !unsupported || hint[0] == '=' {
		near, unsupported = strings.TrimPrefix(hint, "="), false
		if near == "" {
			near = nearest(key, kind.keys)
		}
		what = "is unknown, so fedwasm ignores it: the keys of " + kind.name + " are " + strings.Join(kind.keys, ", ") + "; rename it to one of them, or remove it"
		if strings.IndexByte(near, '.') >= 0 {
			what = "belongs in " + jsonv.Key(field, near) + ", so fedwasm ignores it here: move it there"
		} else if near != "" {
			what = "is unknown, so fedwasm ignores it: did you mean " + strconv.Quote(near) + "? Rename it, or remove it"
		}
	}
	path := jsonv.Key(field, key)
	return errcode.New(errcode.ConfigUnknownKey, map[string]any{"field": path, "suggestion": near, "unsupported": unsupported},
		"federation config key "+errcode.Clip(path, 200)+" "+what)
}

// Suggest returns the name of known that key most likely misspells (at
// most 2 edits away, ignoring case), or "" when none is: the suggestion of
// CONFIG_UNKNOWN_KEY, for objects read outside a config (plugins).
func Suggest(key string, known []string) string { return nearest(key, known) }

// maxSuggestLen bounds the keys a suggestion is looked for: the distance
// below costs len(a)*len(b), so a key of a megabyte costs nothing.
const maxSuggestLen = 64

// nearest returns the key of known that key most likely misspells, at most
// 2 edits away but for the case of its letters (the first of the closest);
// "" when none is.
func nearest(key string, known []string) string {
	best, bestDist := "", 3
	for _, k := range known {
		if d := editDistance(key, k); d < bestDist {
			best, bestDist = k, d
		}
	}
	return best
}

// editDistance is the Damerau–Levenshtein distance of a and b in its
// restricted form (optimal string alignment: insertions, deletions,
// substitutions and swaps of adjacent bytes), ASCII letters compared
// without their case (sharedconfig is shareConfig misspelled, and
// ENTRYGLOBALNAME is entryGlobalName); 3 when it is over 2 or either is
// longer than maxSuggestLen. It is written here rather than imported
// because it is a dozen lines and suggestions need no more: no maintained
// Go package for it is worth a dependency in runtime.wasm.
func editDistance(a, b string) int {
	if len(a) > maxSuggestLen || len(b) > maxSuggestLen || len(a)-len(b) > 2 || len(b)-len(a) > 2 {
		return 3
	}
	var x, y [maxSuggestLen]byte // a and b in lower case
	for i, s := range [2]string{a, b} {
		to := &x
		if i == 1 {
			to = &y
		}
		for j := range len(s) {
			to[j] = s[j]
			if 'A' <= s[j] && s[j] <= 'Z' {
				to[j] += 'a' - 'A'
			}
		}
	}
	var r0, r1, r2 [maxSuggestLen + 1]int
	prev2, prev, cur := &r0, &r1, &r2 // the rows for a[:i-2], a[:i-1] and a[:i]
	for j := range len(b) + 1 {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && x[i-1] == y[j-2] && x[i-2] == y[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[len(b)], 3)
}
