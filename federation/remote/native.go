package remote

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/fedwasm/fedwasm/federation/jsonv"
	"github.com/fedwasm/fedwasm/federation/limits"
)

// NativeEntry is the part of a Native Federation remoteEntry.json
// (@softarc/native-federation's FederationInfo) the runtime uses: the ES
// module files the remote exposes and the packages it shares, each a file
// beside the remoteEntry.json, and their Subresource Integrity (the
// integrityHashes feature). Its chunks are not read: a remote built with
// chunks maps them by bare specifiers of its own, which fedwasm does not map.
type NativeEntry struct {
	Name      string
	Exposes   []NativeExpose
	Shared    []NativeShared
	Integrity map[string]string // outFileName → SRI metadata
}

// NativeExpose is one exposed module: its key ("./Button") and its file.
type NativeExpose struct {
	Key         string
	OutFileName string
}

// NativeShared is one package file a Native Federation remote shares, with
// the rules its remote declared for it. A dense item (entries: a package and
// its secondary entry points, each a file) is one NativeShared per entry.
// Its shareScope is not read: the remote's packages join the share scope the
// host's config gives the remote.
type NativeShared struct {
	PackageName     string
	OutFileName     string
	Version         string
	RequiredVersion string
	Singleton       bool
	StrictVersion   bool
}

// maxNativeField bounds the length of each name, file name and version a
// remoteEntry.json gives: longer is not a package, a file or a version.
const maxNativeField = 512

// isNativeEntry reports whether top, a parsed document fetched as a
// manifest, is a Native Federation remoteEntry.json rather than an MF 2.0
// mf-manifest.json: it has no metaData (every MF manifest has) and has
// exposes or shared.
func isNativeEntry(top map[string]any) bool {
	if _, mf := top["metaData"]; mf {
		return false
	}
	_, exposes := top["exposes"]
	_, shared := top["shared"]
	return exposes || shared
}

// decodeNativeEntry reads and checks a remoteEntry.json's fields; the first
// problem is a REMOTE_INVALID_MANIFEST naming the field. Its lists are
// bounded by limits before they are read.
func decodeNativeEntry(top map[string]any, manifestURL string) (NativeEntry, error) {
	var n NativeEntry
	var f jsonv.Fields
	n.Name = f.String(top["name"], "name")
	exposes := f.Array(top["exposes"], "exposes")
	shared := f.Array(top["shared"], "shared")
	integrity := f.Object(top["integrity"], "integrity")
	if f.Err != nil {
		return n, badManifest(manifestURL, fieldOf(f.Err), "is not of remoteEntry.json's shape: "+f.Err.Error())
	}
	if n.Name == "" {
		return n, badManifest(manifestURL, "name", "is missing")
	}
	if len(n.Name) > maxNativeField {
		return n, badManifest(manifestURL, "name", "is longer than "+strconv.Itoa(maxNativeField)+" bytes")
	}
	if top["exposes"] == nil {
		return n, badManifest(manifestURL, "exposes", "is missing")
	}
	if top["shared"] == nil {
		return n, badManifest(manifestURL, "shared", "is missing")
	}
	where := "remote entry " + strconv.Quote(clipField(n.Name))
	if err := limits.Check(where+" field exposes", "exposed modules", len(exposes), limits.SharedEntries,
		"a remote exposes at most "+strconv.Itoa(limits.SharedEntries)+" modules"); err != nil {
		return n, err
	}
	if err := limits.Check(where+" field shared", "shared entries", len(shared), limits.SharedEntries,
		"a remote provides at most "+strconv.Itoa(limits.SharedEntries)+" shared entries"); err != nil {
		return n, err
	}
	if err := limits.Check(where+" field integrity", "integrity entries", len(integrity), 2*limits.SharedEntries,
		"a remote gives the integrity of at most "+strconv.Itoa(2*limits.SharedEntries)+" files"); err != nil {
		return n, err
	}
	keys := map[string]bool{}
	n.Exposes = make([]NativeExpose, 0, len(exposes))
	for i, e := range exposes {
		at := jsonv.Index("exposes", i)
		x := f.Object(e, at)
		ex := NativeExpose{Key: f.String(x["key"], at+".key"), OutFileName: f.String(x["outFileName"], at+".outFileName")}
		if f.Err != nil {
			return n, badManifest(manifestURL, fieldOf(f.Err), "is not of remoteEntry.json's shape: "+f.Err.Error())
		}
		if problem := exposeKeyProblem(ex.Key); problem != "" {
			return n, badManifest(manifestURL, at+".key", problem)
		}
		if keys[ex.Key] {
			return n, badManifest(manifestURL, at+".key", strconv.Quote(ex.Key)+" is exposed twice")
		}
		keys[ex.Key] = true
		if problem := fileNameProblem(ex.OutFileName); problem != "" {
			return n, badManifest(manifestURL, at+".outFileName", problem)
		}
		n.Exposes = append(n.Exposes, ex)
	}
	n.Shared = make([]NativeShared, 0, len(shared))
	for i, e := range shared {
		at := jsonv.Index("shared", i)
		s := f.Object(e, at)
		base := NativeShared{
			PackageName:     f.String(s["packageName"], at+".packageName"),
			OutFileName:     f.String(s["outFileName"], at+".outFileName"),
			Version:         f.String(s["version"], at+".version"),
			RequiredVersion: f.String(s["requiredVersion"], at+".requiredVersion"),
			Singleton:       f.Bool(s["singleton"], at+".singleton"),
			StrictVersion:   f.Bool(s["strictVersion"], at+".strictVersion"),
		}
		entries := f.Object(s["entries"], at+".entries")
		if f.Err != nil {
			return n, badManifest(manifestURL, fieldOf(f.Err), "is not of remoteEntry.json's shape: "+f.Err.Error())
		}
		for _, check := range []struct{ field, value string }{
			{"version", base.Version}, {"requiredVersion", base.RequiredVersion},
		} {
			if len(check.value) > maxNativeField {
				return n, badManifest(manifestURL, at+"."+check.field, "is longer than "+strconv.Itoa(maxNativeField)+" bytes")
			}
		}
		files := []NativeShared{base}
		if entries != nil { // the dense form: one file per entry point of the package
			if len(n.Shared)+len(entries) > limits.SharedEntries {
				return n, limits.Check(where+" field "+at+".entries", "shared entries", len(n.Shared)+len(entries), limits.SharedEntries,
					"a remote provides at most "+strconv.Itoa(limits.SharedEntries)+" shared entries")
			}
			files = files[:0]
			for _, pkg := range slices.Sorted(maps.Keys(entries)) { // the same order every time
				item := base
				item.PackageName = pkg
				item.OutFileName = f.String(entries[pkg], jsonv.Key(at+".entries", pkg))
				files = append(files, item)
			}
			if f.Err != nil {
				return n, badManifest(manifestURL, fieldOf(f.Err), "is not of remoteEntry.json's shape: "+f.Err.Error())
			}
		}
		for _, item := range files {
			if problem := packageNameProblem(item.PackageName); problem != "" {
				return n, badManifest(manifestURL, at+".packageName", problem)
			}
			if problem := fileNameProblem(item.OutFileName); problem != "" {
				return n, badManifest(manifestURL, at+".outFileName", problem)
			}
			if item.Version == "" {
				return n, badManifest(manifestURL, at+".version", "is missing: fedwasm chooses among shared versions, so each needs one (Native Federation writes it from the package's package.json)")
			}
			if len(n.Shared) >= limits.SharedEntries {
				return n, limits.Check(where+" field shared", "shared entries", len(n.Shared)+1, limits.SharedEntries,
					"a remote provides at most "+strconv.Itoa(limits.SharedEntries)+" shared entries")
			}
			n.Shared = append(n.Shared, item)
		}
	}
	if integrity != nil {
		n.Integrity = make(map[string]string, len(integrity))
		for file, v := range integrity {
			at := jsonv.Key("integrity", file)
			sri := f.String(v, at)
			if f.Err != nil {
				return n, badManifest(manifestURL, fieldOf(f.Err), "is not of remoteEntry.json's shape: "+f.Err.Error())
			}
			if !validIntegrity(sri) {
				return n, badManifest(manifestURL, at, strconv.Quote(clipField(sri))+` is not Subresource Integrity metadata; Native Federation's integrityHashes writes "sha384-<base64 digest>"`)
			}
			n.Integrity[file] = sri
		}
	}
	return n, nil
}

// Expose returns the exposed module whose key is key ("./Button"); a
// loadRemote expose "Button" names the key "./Button", as MF's do.
func (n NativeEntry) Expose(expose string) (NativeExpose, bool) {
	key := expose
	if !strings.HasPrefix(key, "./") {
		key = "./" + key
	}
	for _, e := range n.Exposes {
		if e.Key == key {
			return e, true
		}
	}
	return NativeExpose{}, false
}

// FileURL is the absolute URL of file, one of the remote's outFileNames,
// resolved against the remoteEntry.json's URL as Native Federation's
// runtime does. The result must stay in the remoteEntry.json's directory:
// decoding refused names that could leave it, and the resolved URL is
// checked again, so a remoteEntry.json can name no file elsewhere.
func (n NativeEntry) FileURL(file, manifestURL string, resolve Resolver) (string, error) {
	dir, err := resolve("./", manifestURL)
	if err != nil {
		return "", badManifest(manifestURL, "", "has no usable URL: "+err.Error())
	}
	u, err := resolve(file, dir)
	if err != nil || !strings.HasPrefix(u, dir) || len(u) == len(dir) {
		return "", badManifest(manifestURL, "outFileName", strconv.Quote(clipField(file))+" does not name a file in "+dir+", the remoteEntry.json's directory; the file was not loaded")
	}
	return u, nil
}

// exposeKeyProblem says what is wrong with an exposes item's key ("" when
// nothing): "./" and a name, as Native Federation writes it.
func exposeKeyProblem(key string) string {
	switch {
	case key == "":
		return "is missing"
	case len(key) > maxNativeField:
		return "is longer than " + strconv.Itoa(maxNativeField) + " bytes"
	case !strings.HasPrefix(key, "./") || len(key) == 2:
		return strconv.Quote(clipField(key)) + ` is not an expose key: Native Federation writes "./" and the name, as "./Button"`
	}
	return ""
}

// packageNameProblem says what is wrong with a shared package name ("" when
// nothing): an npm name, possibly scoped, possibly with a subpath.
func packageNameProblem(name string) string {
	switch {
	case name == "":
		return "is missing"
	case len(name) > maxNativeField:
		return "is longer than " + strconv.Itoa(maxNativeField) + " bytes"
	case strings.HasPrefix(name, ".") || strings.HasPrefix(name, "/") || strings.Contains(name, ":") || strings.Contains(name, "\\") || !printable(name):
		return strconv.Quote(clipField(name)) + " is not a package name: a shared package is mapped by its bare specifier, so it cannot be a path or a URL"
	}
	return ""
}

// fileNameProblem says what is wrong with an outFileName ("" when nothing).
// Native Federation writes plain file names ("Button-FWK4WPCS.js") or paths
// below the output directory; anything that could name a file elsewhere (an
// absolute or protocol-relative URL, a root path, a ".." or "." segment, a
// backslash, a query or a fragment, a control character) is refused, so a
// hostile remoteEntry.json cannot make the page import code from another
// origin or another application of the same one.
func fileNameProblem(file string) string {
	switch {
	case file == "":
		return "is missing"
	case len(file) > maxNativeField:
		return "is longer than " + strconv.Itoa(maxNativeField) + " bytes"
	case strings.ContainsAny(file, ":\\?#%") || !printable(file) || strings.HasPrefix(file, "/"):
		return strconv.Quote(clipField(file)) + " is not a file name beside the remoteEntry.json: Native Federation writes names like \"Button-FWK4WPCS.js\"; URLs, absolute paths, queries and escapes are refused"
	}
	for _, segment := range strings.Split(file, "/") {
		if segment == "" || segment == "." || segment == ".." {
			return strconv.Quote(clipField(file)) + " leaves or does not name a file in the remoteEntry.json's directory (empty, \".\" or \"..\" segment); the file was not loaded"
		}
	}
	return ""
}

// printable reports whether s has no control character, space or DEL.
func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] == 0x7f {
			return false
		}
	}
	return true
}

// clipField shortens a value quoted in a message.
func clipField(s string) string {
	const most = 80
	if len(s) <= most {
		return s
	}
	return s[:most] + "…"
}

// fieldOf is the field a jsonv.TypeError names.
func fieldOf(err error) string {
	if te, ok := err.(*jsonv.TypeError); ok {
		return te.Field
	}
	return ""
}
