package server

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

// StaticIndex lists the files a front serves without Site: the Cloudflare
// worker's entry.mjs answers them from Workers Static Assets (workerd's disk
// service locally) and starts Go only for everything else. It carries the
// headers Files gives each file, so both deployments answer a file alike;
// the front adds what depends on the request (CORS, the encoding it
// accepts, If-None-Match).
type StaticIndex struct {
	// MaxURIBytes is MaxURIBytes: a longer URI is left to Site, which answers 414.
	MaxURIBytes int `json:"maxURIBytes"`
	// Files by request path, such as "/fedwasm/loader.js".
	Files map[string]StaticFile `json:"files"`
}

// StaticFile is one file of a StaticIndex.
type StaticFile struct {
	ContentType  string `json:"contentType"`
	CacheControl string `json:"cacheControl"`
	ETag         string `json:"etag"`
	Size         int64  `json:"size"`
	// Encodings are its precompressed variants, most preferred first.
	Encodings []StaticVariant `json:"encodings,omitempty"`
}

// StaticVariant is a precompressed copy of a file (name.br, name.gz).
type StaticVariant struct {
	Encoding string `json:"encoding"` // its Content-Encoding: "br" or "gzip"
	Path     string `json:"path"`     // its own path among the assets, such as "/fedwasm/runtime.3f9a1c2b7d.wasm.br"
	ETag     string `json:"etag"`
	Size     int64  `json:"size"`
}

// NewStaticIndex indexes the runtime's and the remotes' files of a site laid
// out for NewSite (SiteRuntimeDir/ with loader.js, SiteRemotesDir/ if any). A .br
// or .gz file beside its original is listed as that file's variant, as Files
// serves it; the registry and anything else in fsys are not listed.
func NewStaticIndex(fsys fs.FS) (StaticIndex, error) {
	index := StaticIndex{MaxURIBytes: MaxURIBytes, Files: map[string]StaticFile{}}
	for _, dir := range []string{SiteRuntimeDir, SiteRemotesDir} {
		err := fs.WalkDir(fsys, dir, func(name string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || isVariant(fsys, name) {
				return err
			}
			file, err := staticFile(fsys, name)
			if err != nil {
				return err
			}
			index.Files["/"+name] = file
			return nil
		})
		if err != nil && !errors.Is(err, fs.ErrNotExist) { // a missing runtime is reported below
			return StaticIndex{}, fmt.Errorf("server: indexing the site's static files: %w", err)
		}
	}
	if _, ok := index.Files["/"+SiteRuntimeDir+"/loader.js"]; !ok {
		return StaticIndex{}, fmt.Errorf("server: the site has no %s/loader.js to index; stage the site with ./build.sh worker", SiteRuntimeDir)
	}
	return index, nil
}

// isVariant reports whether name is a precompressed copy of a file beside it.
func isVariant(fsys fs.FS, name string) bool {
	for _, p := range precompressed {
		if original, ok := strings.CutSuffix(name, p.suffix); ok {
			if _, err := fs.Stat(fsys, original); err == nil {
				return true
			}
		}
	}
	return false
}

// staticFile describes name and its variants with the headers Files sends.
func staticFile(fsys fs.FS, name string) (StaticFile, error) {
	tag, size, head, err := describe(fsys, name)
	if err != nil {
		return StaticFile{}, err
	}
	contentType := mime.TypeByExtension(path.Ext(name))
	if contentType == "" {
		contentType = http.DetectContentType(head) // as http.FileServer does
	}
	file := StaticFile{ContentType: contentType, CacheControl: cacheControl(path.Base(name)), ETag: tag, Size: size}
	for _, p := range precompressed {
		tag, size, _, err := describe(fsys, name+p.suffix)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return StaticFile{}, err
		}
		file.Encodings = append(file.Encodings, StaticVariant{Encoding: p.encoding, Path: "/" + name + p.suffix, ETag: tag, Size: size})
	}
	return file, nil
}

// describe reads name: its ETag, its size and its first 512 bytes.
func describe(fsys fs.FS, name string) (tag string, size int64, head []byte, err error) {
	f, err := fsys.Open(name)
	if err != nil {
		return "", 0, nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return "", 0, nil, err
	}
	var first strings.Builder
	tag, err = contentETag(io.TeeReader(f, &limitedWriter{&first, 512}), info.Size())
	return tag, info.Size(), []byte(first.String()), err
}

// limitedWriter keeps the first n bytes written to it and drops the rest.
type limitedWriter struct {
	w *strings.Builder
	n int
}

func (l *limitedWriter) Write(p []byte) (int, error) {
	if room := l.n - l.w.Len(); room > 0 {
		l.w.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}
