package server

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"strings"
)

// Site is fedwasm's server in one handler: the runtime under /fedwasm/, the
// remotes' files under /remotes/, the registry at /federation.json?host=
// (with each host's snapshot), the host pages (with theirs written in) and
// /healthz. The same Site runs on net/http and on Cloudflare Workers
// (cmd/fedwasm-worker); it keeps nothing between requests that a fresh
// instance would not rebuild from its files.
type Site struct {
	Runtime fs.FS // dist/fedwasm/: loader.js, runtime.<hash>.wasm, wasm_exec.<hash>.js, broker.<hash>.js and their .br/.gz
	Remotes fs.FS // the remotes' files; nil: none are served
	// Pages are host pages (index.html, <name>.html), served at / and
	// /<name>.html with the snapshot of the host their loader tag names
	// written in (see pages); nil: none are served.
	Pages    fs.FS
	Registry *Registry // nil: no /federation.json
	Policy   Policy    // CORS allowlist (and CSP for pages) for every response
	Version  string    // reported by /healthz
	// PublicOrigin is the origin pages reach the site at, such as
	// "https://shop.example": the registry's path entries ("/remotes/cart.js")
	// are resolved against it. Empty resolves them against each request's
	// Host header, which any client can forge; responses then say Vary: Host.
	PublicOrigin string
	// StaticFront says a front serves the runtime's and the remotes' files
	// (the Cloudflare worker's entry.mjs, from a StaticIndex): NewSite then
	// needs only the registry, and every request the front passes on
	// (other methods, malformed or unknown paths) gets Site's answer.
	StaticFront bool
	Log         *slog.Logger
}

// Site layout: NewSite's fsys holds these.
const (
	SiteRuntimeDir   = "fedwasm"
	SiteRemotesDir   = "remotes"
	SitePagesDir     = "pages"
	SiteRegistryFile = "registry.json"
)

// NewSite opens a site laid out as SiteRuntimeDir/, SiteRemotesDir/,
// SitePagesDir/ and SiteRegistryFile in fsys (os.DirFS of a directory on
// net/http, an embed.FS on Workers) into s's Runtime, Remotes, Pages and
// Registry, and returns s's handler; s gives the rest (policy, version,
// public origin, log). The registry must parse; the remotes and pages
// directories are optional, and so is the runtime's with s.StaticFront
// (neither the runtime nor the remotes are then served; pages are).
func NewSite(fsys fs.FS, s Site) (http.Handler, error) {
	if s.PublicOrigin != "" {
		origin, err := canonicalPublicOrigin(s.PublicOrigin)
		if err != nil {
			return nil, err
		}
		s.PublicOrigin = origin
	}
	optional := map[string]*fs.FS{SitePagesDir: &s.Pages}
	if !s.StaticFront {
		runtime, err := fs.Sub(fsys, SiteRuntimeDir)
		if err == nil {
			_, err = fs.Stat(runtime, "loader.js")
		}
		if err != nil {
			return nil, fmt.Errorf("server: the site has no %s/loader.js (%w); stage the site with ./build.sh worker", SiteRuntimeDir, err)
		}
		s.Runtime = runtime
		optional[SiteRemotesDir] = &s.Remotes
	}
	for name, into := range optional {
		if info, err := fs.Stat(fsys, name); err == nil && info.IsDir() {
			*into, _ = fs.Sub(fsys, name)
		} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("server: the site's %s/: %w", name, err)
		}
	}
	var err error
	s.Registry, err = NewRegistryFS(fsys, SiteRegistryFile, s.Policy, s.Log)
	if err != nil {
		return nil, err
	}
	return s.Handler(), nil
}

// canonicalPublicOrigin checks that o is an http(s) origin (scheme and host,
// an optional port, nothing after but a "/") and returns it without the "/".
func canonicalPublicOrigin(o string) (string, error) {
	u, err := url.Parse(o)
	if err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil &&
		(u.Path == "" || u.Path == "/") && u.RawQuery == "" && !u.ForceQuery && u.Fragment == "" {
		return u.Scheme + "://" + strings.ToLower(u.Host), nil
	}
	return "", fmt.Errorf("server: public origin %q is not an origin such as https://shop.example; give the scheme and host pages reach the site at", o)
}

// Handler routes the site's paths; anything else is 404.
func (s Site) Handler() http.Handler {
	mux := http.NewServeMux()
	if s.Runtime != nil {
		mux.Handle("/fedwasm/", http.StripPrefix("/fedwasm", Files(s.Runtime, s.Policy)))
	}
	if s.Remotes != nil {
		mux.Handle("/remotes/", http.StripPrefix("/remotes", Files(s.Remotes, s.Policy)))
	}
	if s.Registry != nil {
		mux.Handle("/federation.json", s.Registry.ServedAt(s.PublicOrigin))
	}
	mux.Handle("/healthz", Health(s.Version, s.Registry))
	if s.Pages != nil {
		mux.Handle("/", s.pages())
	} else {
		mux.Handle("/", s.Policy.wrap(http.NotFound))
	}
	if s.Log == nil {
		return mux
	}
	return Logged(mux, s.Log)
}

// RuntimeFile is the content-hashed name ./build.sh gave one of the runtime's
// files in fsys (dist/fedwasm/), for example "runtime.wasm" →
// "runtime.3f9a1c2b7d.wasm"; loader.js loads them by those names, so browsers
// keep them as immutable. loader.js itself keeps its name.
func RuntimeFile(fsys fs.FS, name string) (string, error) {
	ext := path.Ext(name)
	matches, err := fs.Glob(fsys, strings.TrimSuffix(name, ext)+".*"+ext)
	if err != nil {
		return "", err
	}
	var found []string
	for _, m := range matches {
		if contentHashed.MatchString(m) {
			found = append(found, m)
		}
	}
	if len(found) != 1 {
		return "", fmt.Errorf("server: want one content-hashed %s among the runtime's files, found %d (%v); run ./build.sh build", name, len(found), found)
	}
	return found[0], nil
}
