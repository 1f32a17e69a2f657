package server

import (
	"net/http"
	"strconv"
	"unicode/utf8"

	"github.com/fedwasm/fedwasm/federation/errcode"
)

// MaxURIBytes is the longest request URI (path and query, as sent) the site
// answers; a longer one gets 414. fedwasm's own URIs are well under 1 KiB.
const MaxURIBytes = 8 << 10

// allowedMethods is the Allow header of every response that needs one.
const allowedMethods = "GET, HEAD, OPTIONS"

// checkURI answers a request whose URI no file or registry entry can have:
// 414 when it is longer than MaxURIBytes, 400 when its path is not UTF-8 or
// holds a control character (NUL included). It reports whether it answered.
func checkURI(w http.ResponseWriter, r *http.Request) bool {
	uri := r.RequestURI // as sent, on net/http
	if uri == "" {
		uri = r.URL.RequestURI() // the worker's requests are built from a URL
	}
	if len(uri) > MaxURIBytes {
		writeError(w, http.StatusRequestURITooLong, errcode.New(errcode.InvalidArgument,
			map[string]any{"param": "uri", "length": len(uri), "limit": MaxURIBytes},
			"the request URI has "+strconv.Itoa(len(uri))+" bytes, above the server's limit of "+strconv.Itoa(MaxURIBytes)+"; no file or registry entry has a URI that long"))
		return true
	}
	if problem := pathProblem(r.URL.Path); problem != "" {
		writeError(w, http.StatusBadRequest, errcode.New(errcode.InvalidArgument, map[string]any{"param": "path"},
			"the request path "+problem+"; ask for a file's path as the site lists it"))
		return true
	}
	return false
}

// pathProblem says what makes a decoded request path one no file can have
// ("" when nothing does).
func pathProblem(p string) string {
	if !utf8.ValidString(p) {
		return "is not UTF-8"
	}
	for i := 0; i < len(p); i++ {
		if p[i] < 0x20 || p[i] == 0x7f {
			return "holds control character " + strconv.QuoteRune(rune(p[i])) + " at byte " + strconv.Itoa(i)
		}
	}
	return ""
}
