package config

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

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
type objectKind struct {
	name  string // for messages: "a shared entry"
	keys  []string
	other map[string]string
}

var (
	configKind = objectKind{"the config", []string{"name", "bootstrap", "shareStrategy", "shared", "remotes", "retry", "security", "ownership"}, map[string]string{
		"snapshot": "", // the share scope the server resolved, for the loader
		"plugins":  ": register plugins with fedwasm.use, and name the remotes they may change in security.plugins",
		"version":  "; remove it",
		"id":       "; remove it",
	}}
	// webpack's ModuleFederationPlugin takes the share options on the share
	// itself; a runtime config (MF 2.0's, fedwasm's) in its shareConfig.
	shareKind = objectKind{"a shared entry", []string{"version", "import", "scope", "from", "shareConfig"}, map[string]string{
		"singleton": "=shareConfig.singleton", "requiredVersion": "=shareConfig.requiredVersion",
		"strictVersion": "=shareConfig.strictVersion", "eager": "=shareConfig.eager", "shareScope": "=scope",
		"strategy": ": the config's shareStrategy applies to every share",
		"deps":     "; remove it", "loaded": "; remove it", "useIn": "; remove it", "treeShaking": "; remove it",
	}}
	shareConfigKind = objectKind{"a shareConfig", []string{"singleton", "requiredVersion", "strictVersion", "eager"}, map[string]string{
		"layer": "; remove it",
	}}
	remoteKind = objectKind{"a remote", []string{"name", "entry", "type", "alias", "integrity", "shareScope", "entryGlobalName"}, map[string]string{
		"version": "", // the deployed version the server's registry adds
	}}
	retryKind     = objectKind{"retry", []string{"times", "delayMs", "timeoutMs", "domains"}, nil}
	securityKind  = objectKind{"security", []string{"allowedOrigins", "requireIntegrity", "nonce", "plugins"}, nil}
	ownershipKind = objectKind{"ownership", []string{"stores", "events"}, nil}
)

// decoder reads a config (jsonv.Fields) and collects a CONFIG_UNKNOWN_KEY
// warning for each key fedwasm does not read: at most
// limits.ConfigWarnings, and then one that counts the rest.
type decoder struct {
	jsonv.Fields
	warnings []*errcode.Error
	unlisted int
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
	var unknown []string
	for key := range m {
		if !slices.Contains(kind.keys, key) {
			if hint, ok := kind.other[key]; !ok || hint != "" {
				unknown = append(unknown, key)
			}
		}
	}
	slices.Sort(unknown)
	for _, key := range unknown {
		if len(d.warnings) >= limits.ConfigWarnings {
			d.unlisted++
			continue
		}
		d.warnings = append(d.warnings, unknownKey(field, key, kind))
	}
}

// done returns the warnings, with the count of those left out.
func (d *decoder) done() []*errcode.Error {
	if d.unlisted > 0 {
		n := strconv.Itoa(d.unlisted)
		d.warnings = append(d.warnings, errcode.New(errcode.ConfigUnknownKey, map[string]any{"unlisted": d.unlisted},
			"federation config has "+n+" more unknown keys, not listed; fix the ones listed and run fedwasm check on the config to see the rest"))
	}
	return d.warnings
}

// unknownKey is the warning for key in the object of kind at field.
func unknownKey(field, key string, kind objectKind) *errcode.Error {
	path := jsonv.Key(field, key)
	details := map[string]any{"field": path, "key": key}
	hint, isOther := kind.other[key]
	near, what := "", "is unknown, so fedwasm ignores it: "
	switch {
	case strings.HasPrefix(hint, "="):
		near = hint[1:]
	case isOther:
		details["unsupported"] = true
		what = "is a Module Federation option fedwasm does not support, so it has no effect" + hint
	default:
		near = nearest(key, kind.keys)
		what += "the keys of " + kind.name + " are " + strings.Join(kind.keys, ", ") + "; rename it to one of them, or remove it"
	}
	if near != "" {
		details["suggestion"] = near
		what = "is unknown, so fedwasm ignores it: did you mean " + strconv.Quote(near) + "? Rename it, or remove it"
		if strings.Contains(near, ".") {
			what = "is unknown here, so fedwasm ignores it: it belongs in " + clip(jsonv.Key(field, near)) + "; move it there"
		}
	}
	return errcode.New(errcode.ConfigUnknownKey, details, "federation config key "+clip(path)+" "+what)
}

// clip shortens s to about 200 bytes for a message, at a character's start.
func clip(s string) string {
	if len(s) <= 200 {
		return s
	}
	i := 200
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}

// maxSuggestLen bounds the keys a suggestion is looked for: the distance
// below costs len(a)*len(b), so a key of a megabyte costs nothing.
const maxSuggestLen = 64

// nearest returns the key of known that key most likely misspells: equal
// but for case, or at most 2 edits away (the first of the closest); "" when
// none is.
func nearest(key string, known []string) string {
	best, bestDist := "", 3
	for _, k := range known {
		if strings.EqualFold(key, k) {
			return k
		}
		if d := editDistance(key, k); d < bestDist {
			best, bestDist = k, d
		}
	}
	return best
}

// editDistance is the Damerau–Levenshtein distance of a and b in its
// restricted form (optimal string alignment: insertions, deletions,
// substitutions and swaps of adjacent bytes), or 3 when it is over 2 or
// either is longer than maxSuggestLen. It is written here rather than
// imported because it is a dozen lines and suggestions need no more: no
// maintained Go package for it is worth a dependency in runtime.wasm.
func editDistance(a, b string) int {
	if len(a) > maxSuggestLen || len(b) > maxSuggestLen || len(a)-len(b) > 2 || len(b)-len(a) > 2 {
		return 3
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
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[len(b)], 3)
}
