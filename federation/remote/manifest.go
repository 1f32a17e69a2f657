package remote

import (
	"strconv"
	"strings"

	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/integrity"
	"github.com/fedwasm/fedwasm/federation/jsonv"
	"github.com/fedwasm/fedwasm/federation/limits"
)

// Manifest is the part of an MF 2.0 mf-manifest.json the runtime uses.
type Manifest struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	MetaData struct {
		RemoteEntry struct {
			Name string `json:"name"`
			Path string `json:"path"`
			Type string `json:"type"`
			// Integrity is the entry's Subresource Integrity, a field fedwasm
			// reads beyond MF 2.0's (whose manifests carry no digest of
			// their entry): it carries a manifest's pinned integrity on to
			// the code the manifest names.
			Integrity string `json:"integrity"`
		} `json:"remoteEntry"`
		GlobalName    string  `json:"globalName"`
		PublicPath    *string `json:"publicPath"`
		GetPublicPath *string `json:"getPublicPath"`
	} `json:"metaData"`
	Shared  []ManifestShared `json:"shared"`
	Exposes []ManifestExpose `json:"exposes"`
	// Native is set when the document is a Native Federation
	// remoteEntry.json rather than an mf-manifest.json: the MF fields above
	// are then empty, and the remote's modules are the files it names.
	Native *NativeEntry `json:"-"`
}

// ManifestShared is one package a manifest's remote provides.
type ManifestShared struct {
	Name            string `json:"name"`
	Version         string `json:"version"`
	Singleton       bool   `json:"singleton"`
	RequiredVersion string `json:"requiredVersion"`
}

// ManifestExpose is one module a manifest's remote exposes.
type ManifestExpose struct {
	Name string `json:"name"`
	Path string `json:"path"`
}

// ParseManifest decodes and checks a manifest fetched from manifestURL: an
// MF 2.0 mf-manifest.json, or a Native Federation remoteEntry.json (then
// Native is set). A manifest that needs getPublicPath (JS evaluation) is
// refused.
func ParseManifest(data []byte, manifestURL string) (Manifest, error) {
	m, err := decodeManifest(data, manifestURL)
	if coded, ok := err.(*errcode.Error); ok {
		coded.Details["manifest"] = manifestURL
		return m, coded
	}
	if err != nil {
		return m, badManifest(manifestURL, "", "is not JSON of the mf-manifest.json shape: "+err.Error())
	}
	if m.Native != nil {
		return m, nil
	}
	md := &m.MetaData
	switch {
	case md.GetPublicPath != nil && md.PublicPath == nil:
		return m, badManifest(manifestURL, "metaData.getPublicPath",
			"needs JavaScript evaluation (getPublicPath), which fedwasm refuses (CSP forbids eval); build the remote with a publicPath (\"auto\" works)")
	case md.PublicPath == nil:
		return m, badManifest(manifestURL, "metaData.publicPath", "is missing")
	case md.RemoteEntry.Name == "":
		return m, badManifest(manifestURL, "metaData.remoteEntry.name", "is missing")
	case md.GlobalName == "" && !isModuleType(md.RemoteEntry.Type):
		return m, badManifest(manifestURL, "metaData.globalName", "is missing")
	case md.RemoteEntry.Integrity != "" && !validIntegrity(md.RemoteEntry.Integrity):
		return m, badManifest(manifestURL, "metaData.remoteEntry.integrity",
			strconv.Quote(md.RemoteEntry.Integrity)+` is not Subresource Integrity metadata; use "sha384-<base64 digest>" of the entry`)
	case m.Exposes == nil:
		return m, badManifest(manifestURL, "exposes", "is missing")
	case m.Shared == nil:
		return m, badManifest(manifestURL, "shared", "is missing")
	}
	return m, nil
}

// decodeManifest reads the fields the runtime uses; a missing or null list
// stays nil, so ParseManifest can tell it from an empty one. A Native
// Federation remoteEntry.json is read into Native.
func decodeManifest(data []byte, manifestURL string) (Manifest, error) {
	var m Manifest
	v, err := jsonv.Parse(data)
	if err != nil {
		return m, err
	}
	var f jsonv.Fields
	top := f.Object(v, "")
	if top != nil && isNativeEntry(top) {
		native, err := decodeNativeEntry(top, manifestURL)
		if err == nil {
			m.Name, m.Native = native.Name, &native
		}
		return m, err
	}
	m.ID = f.String(top["id"], "id")
	m.Name = f.String(top["name"], "name")
	md := f.Object(top["metaData"], "metaData")
	entry := f.Object(md["remoteEntry"], "metaData.remoteEntry")
	m.MetaData.RemoteEntry.Name = f.String(entry["name"], "metaData.remoteEntry.name")
	m.MetaData.RemoteEntry.Path = f.String(entry["path"], "metaData.remoteEntry.path")
	m.MetaData.RemoteEntry.Type = f.String(entry["type"], "metaData.remoteEntry.type")
	m.MetaData.RemoteEntry.Integrity = f.String(entry["integrity"], "metaData.remoteEntry.integrity")
	m.MetaData.GlobalName = f.String(md["globalName"], "metaData.globalName")
	m.MetaData.PublicPath = f.OptString(md["publicPath"], "metaData.publicPath")
	m.MetaData.GetPublicPath = f.OptString(md["getPublicPath"], "metaData.getPublicPath")
	if shared := f.Array(top["shared"], "shared"); shared != nil {
		if err := limits.Check("remote manifest "+strconv.Quote(m.Name)+" field shared", "shared entries", len(shared), limits.SharedEntries,
			"a remote provides at most "+strconv.Itoa(limits.SharedEntries)+" shared entries"); err != nil {
			return m, err
		}
		m.Shared = make([]ManifestShared, len(shared))
		for i, e := range shared {
			at := jsonv.Index("shared", i)
			s := f.Object(e, at)
			m.Shared[i] = ManifestShared{
				Name:            f.String(s["name"], at+".name"),
				Version:         f.String(s["version"], at+".version"),
				Singleton:       f.Bool(s["singleton"], at+".singleton"),
				RequiredVersion: f.String(s["requiredVersion"], at+".requiredVersion"),
			}
		}
	}
	if exposes := f.Array(top["exposes"], "exposes"); exposes != nil {
		m.Exposes = make([]ManifestExpose, len(exposes))
		for i, e := range exposes {
			at := jsonv.Index("exposes", i)
			x := f.Object(e, at)
			m.Exposes[i] = ManifestExpose{Name: f.String(x["name"], at+".name"), Path: f.String(x["path"], at+".path")}
		}
	}
	return m, f.Err
}

// Resolver resolves the URL reference ref against the absolute URL base, as
// the browser's new URL(ref, base).href does. The bridge supplies the
// browser's own, so this package parses no URLs.
type Resolver func(ref, base string) (string, error)

// EntryURL is the remote entry's absolute URL: publicPath ("auto" or "": the
// manifest's own directory) resolved against manifestURL, then
// remoteEntry.path and .name resolved against that.
func (m Manifest) EntryURL(manifestURL string, resolve Resolver) (string, error) {
	publicURL, err := resolve("./", manifestURL)
	if err != nil {
		return "", badManifest(manifestURL, "", "has no usable URL: "+err.Error())
	}
	if public := *m.MetaData.PublicPath; public != "auto" && public != "" {
		if publicURL, err = resolve(public, manifestURL); err != nil {
			return "", badManifest(manifestURL, "metaData.publicPath", strconv.Quote(public)+" is not a URL: "+err.Error())
		}
	}
	p := strings.Trim(m.MetaData.RemoteEntry.Path, "/")
	if p != "" {
		p += "/"
	}
	entry, err := resolve(p+m.MetaData.RemoteEntry.Name, publicURL)
	if err != nil {
		return "", badManifest(manifestURL, "metaData.remoteEntry", "does not make a URL: "+err.Error())
	}
	return entry, nil
}

// EntryType maps the manifest's remoteEntry.type to a Remote.Type.
func (m Manifest) EntryType() string {
	if isModuleType(m.MetaData.RemoteEntry.Type) {
		return "module"
	}
	return "var"
}

func validIntegrity(metadata string) bool {
	_, _, err := integrity.Parse(metadata)
	return err == nil
}

func isModuleType(t string) bool { return t == "module" || t == "esm" }

func badManifest(manifestURL, field, problem string) error {
	where := "the manifest " + manifestURL
	if field != "" {
		where += " field " + field
	}
	return errcode.New(errcode.RemoteInvalidManifest, map[string]any{"url": manifestURL, "field": field}, where+" "+problem)
}
