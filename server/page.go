package server

import (
	"bytes"
	"encoding/json"
	"html"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"

	"github.com/fedwasm/fedwasm/federation/snapshot"
)

// SnapshotElementID is the id of the <script type="application/json"> that
// holds the snapshot in a page the site serves.
const SnapshotElementID = "fedwasm-snapshot"

// pages serves the host pages in s.Pages: "/" and any path ending in "/" is
// that directory's index.html, and a path ending in .html is that file;
// anything else is 404. A page whose loader tag (<script src=".../loader.js"
// data-config="...?host=<name>">) names a host the registry lists gets that
// host's snapshot written in before the tag (see withSnapshot), so the
// browser starts every fetch the page needs with its first response.
func (s Site) pages() http.Handler {
	fsys := impossibleAsMissing{s.Pages}
	return s.Policy.wrap(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
		if strings.HasSuffix(r.URL.Path, "/") {
			name = path.Join(name, "index.html")
		}
		if path.Ext(name) != ".html" || !fs.ValidPath(name) {
			http.NotFound(w, r)
			return
		}
		page, err := fs.ReadFile(fsys, name)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		nonce, err := s.Policy.pageHeaders(h)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		if nonce != "" {
			page = bytes.ReplaceAll(page, []byte(NoncePlaceholder), []byte(nonce))
		}
		page = s.withSnapshot(r, h, page, nonce)
		h.Set("Content-Length", strconv.Itoa(len(page)))
		_, _ = w.Write(page)
	})
}

// withSnapshot writes the snapshot of the host page's loader tag names into
// page, right before that tag: the import map (with nonce), a <link> for each
// preload, and the snapshot as JSON. A page without a loader tag, or whose
// host the registry does not list, is returned as it is.
//
// The tags are inserted by a small scanner (loaderTag) rather than an HTML
// parser: golang.org/x/net/html is not a dependency, and the one thing to
// find is a start tag, outside comments and raw-text elements.
func (s Site) withSnapshot(r *http.Request, h http.Header, page []byte, nonce string) []byte {
	if s.Registry == nil {
		return page
	}
	at, config, ok := loaderTag(page)
	if !ok {
		return page
	}
	u, err := url.Parse(config)
	if err != nil {
		return page
	}
	host := u.Query().Get("host")
	if host == "" {
		return page
	}
	origin := s.PublicOrigin
	if origin == "" {
		origin = requestOrigin(r)
		h.Add("Vary", "Host")
	}
	snap, ok := s.Registry.Snapshot(r.Context(), host, origin)
	if !ok {
		return page
	}
	head, err := snapshotTags(snap, nonce)
	if err != nil {
		return page
	}
	out := make([]byte, 0, len(page)+len(head))
	out = append(out, page[:at]...)
	out = append(out, head...)
	return append(out, page[at:]...)
}

// snapshotTags are the elements withSnapshot writes. JSON is written with
// <, > and & escaped (\u003c …), so no text in it can end its <script>.
func snapshotTags(snap snapshot.Snapshot, nonce string) ([]byte, error) {
	var b bytes.Buffer
	nonceAttr := ""
	if nonce != "" {
		nonceAttr = ` nonce="` + html.EscapeString(nonce) + `"`
	}
	if len(snap.ImportMap.Imports) > 0 || len(snap.ImportMap.Integrity) > 0 {
		importMap, err := json.Marshal(snap.ImportMap)
		if err != nil {
			return nil, err
		}
		b.WriteString(`<script type="importmap"` + nonceAttr + `>`)
		b.Write(importMap)
		b.WriteString("</script>\n")
	}
	for _, p := range snap.Preload {
		b.WriteString(`<link rel="` + html.EscapeString(p.Rel) + `"`)
		if p.As != "" {
			b.WriteString(` as="` + html.EscapeString(p.As) + `"`)
		}
		b.WriteString(` href="` + html.EscapeString(p.URL) + `"`)
		if p.Integrity != "" {
			b.WriteString(` integrity="` + html.EscapeString(p.Integrity) + `"`)
		}
		if p.CrossOrigin != "" {
			b.WriteString(` crossorigin="` + html.EscapeString(p.CrossOrigin) + `"`)
		}
		b.WriteString(nonceAttr + ">\n")
	}
	data, err := json.Marshal(snap)
	if err != nil {
		return nil, err
	}
	// The nonce tells loader.js the element is the server's: on a page with
	// a CSP nonce it reads no snapshot without it (markup injected into the
	// page cannot name what the loader imports and runs).
	b.WriteString(`<script type="application/json" id="` + SnapshotElementID + `"` + nonceAttr + `>`)
	b.Write(data)
	b.WriteString("</script>\n")
	return b.Bytes(), nil
}

// rawText are the elements whose content is text up to their end tag: a
// "<script" inside them is no tag.
var rawText = map[string]bool{"script": true, "style": true, "textarea": true, "title": true, "xmp": true,
	"iframe": true, "noembed": true, "noframes": true, "noscript": true}

// loaderTag finds the loader's start tag in page: the first <script> whose
// src names loader.js, outside comments and the content of raw-text
// elements. It returns where the tag starts and its data-config attribute.
func loaderTag(page []byte) (at int, dataConfig string, ok bool) {
	for i := 0; i < len(page); {
		lt := bytes.IndexByte(page[i:], '<')
		if lt < 0 {
			return 0, "", false
		}
		at := i + lt
		rest := page[at:]
		if bytes.HasPrefix(rest, []byte("<!--")) {
			end := bytes.Index(rest[4:], []byte("-->"))
			if end < 0 {
				return 0, "", false // the comment runs to the end
			}
			i = at + 4 + end + 3
			continue
		}
		if len(rest) > 1 && (rest[1] == '!' || rest[1] == '?' || rest[1] == '/') {
			end := bytes.IndexByte(rest, '>') // a doctype, a bogus comment or an end tag
			if end < 0 {
				return 0, "", false
			}
			i = at + end + 1
			continue
		}
		name, attrs, end := startTag(rest)
		if end == 0 {
			i = at + 1 // a "<" that starts no tag is text
			continue
		}
		i = at + end
		if name == "script" && isLoaderSrc(attrs["src"]) {
			return at, attrs["data-config"], true
		}
		if rawText[name] {
			closing := indexFold(page[i:], "</"+name)
			if closing < 0 {
				return 0, "", false
			}
			i += closing
		}
	}
	return 0, "", false
}

// startTag reads the start tag b begins with ("<name attr=value ...>"): its
// name and attributes (names in lower case, values unescaped, the first of a
// name kept) and its length; end is 0 when b starts no complete start tag.
func startTag(b []byte) (name string, attrs map[string]string, end int) {
	if len(b) < 2 || !isASCIILetter(b[1]) {
		return "", nil, 0
	}
	i := 1
	for i < len(b) && !isTagSpace(b[i]) && b[i] != '/' && b[i] != '>' {
		i++
	}
	name = strings.ToLower(string(b[1:i]))
	attrs = map[string]string{}
	for {
		for i < len(b) && (isTagSpace(b[i]) || b[i] == '/') {
			i++
		}
		if i >= len(b) {
			return "", nil, 0
		}
		if b[i] == '>' {
			return name, attrs, i + 1
		}
		start := i
		i++ // an attribute name may start with "="
		for i < len(b) && !isTagSpace(b[i]) && b[i] != '/' && b[i] != '>' && b[i] != '=' {
			i++
		}
		attr := strings.ToLower(string(b[start:i]))
		for i < len(b) && isTagSpace(b[i]) {
			i++
		}
		value := ""
		if i < len(b) && b[i] == '=' {
			i++
			for i < len(b) && isTagSpace(b[i]) {
				i++
			}
			if i < len(b) && (b[i] == '"' || b[i] == '\'') {
				q := b[i]
				closing := bytes.IndexByte(b[i+1:], q)
				if closing < 0 {
					return "", nil, 0
				}
				value = string(b[i+1 : i+1+closing])
				i += closing + 2
			} else {
				start := i
				for i < len(b) && !isTagSpace(b[i]) && b[i] != '>' {
					i++
				}
				value = string(b[start:i])
			}
		}
		if _, seen := attrs[attr]; !seen {
			attrs[attr] = html.UnescapeString(value)
		}
	}
}

// isLoaderSrc reports whether a script's src names loader.js.
func isLoaderSrc(src string) bool {
	u, err := url.Parse(strings.TrimSpace(src))
	return err == nil && src != "" && path.Base(u.Path) == "loader.js"
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func isTagSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' }

// indexFold is the index of the first ASCII-case-insensitive match of lower
// (in lower case) in b, or -1.
func indexFold(b []byte, lower string) int {
	want := []byte(lower)
	for i := 0; i+len(want) <= len(b); i++ {
		if bytes.EqualFold(b[i:i+len(want)], want) {
			return i
		}
	}
	return -1
}
