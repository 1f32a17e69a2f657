package config

import (
	"strconv"
	"strings"
)

// splitGlobalEntry reads webpack's remote request "global@url" (the form of
// ContainerReferencePlugin's and MF 2.0's remotes: { cart: "cart@http://…" }).
// Like webpack's extractUrlAndGlobal it splits at the first "@"; it takes the
// form only when what is before is a global name and what is after is a URL
// a remote entry can have: an absolute http(s) URL, or a path (root-relative,
// relative or protocol-relative) to a .js, .mjs, .cjs or .json file. An "@" that
// belongs to a URL ("https://cdn.jsdelivr.net/npm/pkg@1.2.3/remoteEntry.js",
// "http://user@host/…", "./pkg@1/…") is not the form: ok is false. Anything
// else with an "@" is an error, so it is refused rather than fetched as a
// relative URL.
func splitGlobalEntry(entry string) (global, url string, ok bool, problem string) {
	at := strings.IndexByte(entry, '@')
	if at < 0 {
		return "", "", false, ""
	}
	before, after := entry[:at], entry[at+1:]
	if !isGlobalName(before) {
		if before != "" && strings.ContainsAny(before, "/:") {
			return "", "", false, "" // the "@" is part of a URL
		}
		return "", "", false, "is neither a URL nor webpack's \"global@url\": the part before the first \"@\" must be the container's global name (letters, digits, _, $, -); for a scoped name such as \"@scope/app\" give the URL as entry and the name as entryGlobalName"
	}
	if !isEntryURL(after) {
		return "", "", false, "is webpack's \"global@url\" form, but " + strconv.Quote(after) + " after the \"@\" is not an entry URL: use an absolute http(s) URL, or a path to a .js, .mjs, .cjs or .json file (fedwasm has no registry to resolve a version)"
	}
	return before, after, true, ""
}

// checkGlobalEntry is the check of a value of the remotes' object form, which
// must be "global@url" (webpack reads its global name from it).
func checkGlobalEntry(field, entry string) error {
	_, _, ok, problem := splitGlobalEntry(entry)
	if ok {
		return nil
	}
	if problem == "" {
		problem = "has no global name: in the object form each remote is webpack's \"global@url\", e.g. \"cart@https://cdn.example.com/cart/remoteEntry.js\""
	}
	return invalid(field, strconv.Quote(entry)+" "+problem)
}

// isGlobalName reports whether s can be a container's global name as webpack
// writes it in "global@url": one or more of [A-Za-z0-9_$-].
func isGlobalName(s string) bool {
	return s != "" && onlyBytes(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$-")
}

// isEntryURL reports whether s is a URL a remote entry can be loaded from: an
// absolute http(s) URL with a host, or a URL without a scheme whose path names
// a script or a manifest (typeOfPath). A first path segment with an "@" is refused, so that
// the URL cannot itself read as "global@url".
func isEntryURL(s string) bool {
	for _, scheme := range []string{"http://", "https://"} {
		if len(s) >= len(scheme) && strings.EqualFold(s[:len(scheme)], scheme) {
			host := s[len(scheme):]
			return host != "" && !strings.ContainsAny(host[:1], "/?#")
		}
	}
	firstSegment := s
	if end := strings.IndexAny(s, "/?#"); end >= 0 {
		firstSegment = s[:end]
	}
	if strings.ContainsAny(firstSegment, ":@") {
		return false // another scheme (javascript:, data:, ftp:) or a nested "@"
	}
	return typeOfPath(s) != ""
}

// urlPath is a URL's path: without scheme and host, query and fragment.
func urlPath(url string) string {
	if end := strings.IndexAny(url, "?#"); end >= 0 {
		url = url[:end]
	}
	if scheme := strings.Index(url, "://"); scheme >= 0 {
		host := url[scheme+3:]
		if slash := strings.IndexByte(host, '/'); slash >= 0 {
			return host[slash:]
		}
		return ""
	}
	return url
}

// typeOfPath is the remote type an entry URL's path says: "manifest" for a
// .json file, "var" for a script (.js, .mjs, .cjs), "" when it does not say
// (the response's Content-Type decides, see TypeForContentType).
func typeOfPath(entry string) string {
	path := urlPath(entry)
	switch {
	case strings.HasSuffix(path, ".json"):
		return "manifest"
	case strings.HasSuffix(path, ".js"), strings.HasSuffix(path, ".mjs"), strings.HasSuffix(path, ".cjs"):
		return "var"
	}
	return ""
}

// TypeForContentType is the type of a remote whose entry URL's path does not
// say, by the Content-Type its entry is served with: a JSON media type
// (application/json, text/json, any +json) is an MF 2.0 manifest, anything
// else a var script.
func TypeForContentType(contentType string) string {
	media, _, _ := strings.Cut(contentType, ";")
	media = strings.ToLower(strings.TrimSpace(media))
	if media == "application/json" || media == "text/json" || strings.HasSuffix(media, "+json") {
		return "manifest"
	}
	return "var"
}
