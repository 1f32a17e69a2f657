package remote

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/jsonv"
	"github.com/fedwasm/fedwasm/federation/limits"
)

// NativeEntry is the part of a Native Federation remoteEntry.json
// (@softarc/native-federation's FederationInfo) the runtime uses: the ES
// module files the remote exposes and the packages it shares, each a file
// beside the remoteEntry.json, and their Subresource Integrity (the
// integrityHashes feature). Its chunks field is not read: a remote built
// with denseChunking imports those chunks by "@nf-internal/…" specifiers,
// which fedwasm does not map (the default build imports its chunks by
// relative paths, which need no mapping).
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
	d := nativeDecoder{url: manifestURL}
	n := NativeEntry{Name: d.f.String(top["name"], "name")}
	exposes := d.f.Array(top["exposes"], "exposes")
	shared := d.f.Array(top["shared"], "shared")
	integrity := d.f.Object(top["integrity"], "integrity")
	d.check("name", nonEmpty(n.Name))
	d.check("exposes", present(top["exposes"]))
	d.check("shared", present(top["shared"]))
	d.limit("exposes", len(exposes), limits.SharedEntries)
	d.limit("shared", len(shared), limits.SharedEntries)
	d.limit("integrity", len(integrity), 2*limits.SharedEntries)
	keys := map[string]bool{}
	for i := 0; i < len(exposes) && d.err == nil; i++ {
		at := jsonv.Index("exposes", i)
		x := d.f.Object(exposes[i], at)
		e := NativeExpose{Key: d.f.String(x["key"], at+".key"), OutFileName: d.f.String(x["outFileName"], at+".outFileName")}
		problem := exposeKeyProblem(e.Key)
		if problem == "" && keys[e.Key] {
			problem = strconv.Quote(e.Key) + " is exposed twice"
		}
		keys[e.Key] = true
		d.check(at+".key", problem)
		d.check(at+".outFileName", fileNameProblem(e.OutFileName))
		n.Exposes = append(n.Exposes, e)
	}
	for i := 0; i < len(shared) && d.err == nil; i++ {
		at := jsonv.Index("shared", i)
		s := d.f.Object(shared[i], at)
		item := NativeShared{
			PackageName:     d.f.String(s["packageName"], at+".packageName"),
			OutFileName:     d.f.String(s["outFileName"], at+".outFileName"),
			Version:         d.f.String(s["version"], at+".version"),
			RequiredVersion: d.f.String(s["requiredVersion"], at+".requiredVersion"),
			Singleton:       d.f.Bool(s["singleton"], at+".singleton"),
			StrictVersion:   d.f.Bool(s["strictVersion"], at+".strictVersion"),
		}
		files := map[string]any{item.PackageName: item.OutFileName}
		if entries := d.f.Object(s["entries"], at+".entries"); entries != nil { // the dense form: one file per entry point of the package
			files = entries
		}
		d.check(at+".version", nonEmpty(item.Version))
		d.check(at+".requiredVersion", notLong(item.RequiredVersion))
		d.limit("shared", len(n.Shared)+len(files), limits.SharedEntries)
		for _, pkg := range slices.Sorted(maps.Keys(files)) { // the same order every time
			if d.err != nil {
				break
			}
			item.PackageName, item.OutFileName = pkg, d.f.String(files[pkg], at+".outFileName")
			d.check(at+".packageName", packageNameProblem(pkg))
			d.check(at+".outFileName", fileNameProblem(item.OutFileName))
			n.Shared = append(n.Shared, item)
		}
	}
	for _, file := range slices.Sorted(maps.Keys(integrity)) {
		if d.err != nil {
			break
		}
		at := jsonv.Key("integrity", file)
		sri := d.f.String(integrity[file], at)
		if d.check(at, integrityProblem(sri)); n.Integrity == nil {
			n.Integrity = make(map[string]string, len(integrity))
		}
		n.Integrity[file] = sri
	}
	d.check("", "")
	return n, d.err
}

// nativeDecoder keeps the first problem of a remoteEntry.json: a field of
// the wrong type (its Fields' error), a value check has refused, or a list
// over its limit.
type nativeDecoder struct {
	f   jsonv.Fields
	url string
	err error
}

// check records problem with field unless there is one already; a field of
// the wrong type read before comes first.
func (d *nativeDecoder) check(field, problem string) {
	switch {
	case d.err != nil:
	case d.f.Err != nil:
		d.err = badManifest(d.url, fieldOf(d.f.Err), "is not of remoteEntry.json's shape: "+d.f.Err.Error())
	case problem != "":
		d.err = badManifest(d.url, field, problem)
	}
}

// limit records LIMIT_EXCEEDED when list holds more than most items.
func (d *nativeDecoder) limit(list string, n, most int) {
	if d.err == nil {
		d.err = limits.Check("remoteEntry.json "+d.url+" field "+list, list+" entries", n, most,
			"a Native Federation remote lists at most "+strconv.Itoa(most)+" "+list+" entries")
	}
}

func nonEmpty(s string) string {
	if s == "" {
		return "is missing"
	}
	return notLong(s)
}

func present(v any) string {
	if v == nil {
		return "is missing"
	}
	return ""
}

// notLong refuses a value longer than maxNativeField: no name, file or
// version is that long.
func notLong(s string) string {
	if len(s) > maxNativeField {
		return "is longer than " + strconv.Itoa(maxNativeField) + " bytes"
	}
	return ""
}

func integrityProblem(sri string) string {
	if !validIntegrity(sri) {
		return strconv.Quote(clipField(sri)) + ` is not Subresource Integrity metadata; Native Federation's integrityHashes writes "sha384-<base64 digest>"`
	}
	return ""
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
		return notLong(key)
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
		return notLong(name)
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
		return notLong(file)
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
	return errcode.Clip(s, 80)
}

// fieldOf is the field a jsonv.TypeError names.
func fieldOf(err error) string {
	if te, ok := err.(*jsonv.TypeError); ok {
		return te.Field
	}
	return ""
}
