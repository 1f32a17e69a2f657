//go:build js && wasm

// Command fedwasm-worker is fedwasm's server on Cloudflare Workers: the same
// server.Site the net/http server runs (runtime, remotes' files, registry,
// /healthz), run by github.com/syumai/workers. Its files are embedded from
// site/, which ./build.sh worker stages (dist/fedwasm, demo-remote and
// worker/registry.json).
//
// Workers starts a fresh Go instance for every request, so everything here is
// rebuilt per request from the embedded files; nothing is kept between them.
// ALLOWED_ORIGINS (a comma-separated list, a var in wrangler.toml or a
// binding in workerd's config) is the CORS allowlist; PUBLIC_ORIGIN (the same
// way) is the origin pages reach the worker at, against which the registry's
// path entries are resolved (server.Site.PublicOrigin).
package main

import (
	"embed"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"strings"

	"github.com/syumai/workers"
	"github.com/syumai/workers/cloudflare"

	"github.com/fedwasm/fedwasm/federation"
	"github.com/fedwasm/fedwasm/server"
)

//go:embed all:site
var staged embed.FS

func main() {
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	var origins []string
	for _, o := range strings.Split(cloudflare.Getenv("ALLOWED_ORIGINS"), ",") {
		if o = strings.TrimSpace(o); o != "" {
			origins = append(origins, o)
		}
	}
	site, _ := fs.Sub(staged, "site")
	h, err := server.NewSite(site, server.Site{
		Policy: server.Policy{AllowedOrigins: origins}, Version: federation.Version,
		PublicOrigin: strings.TrimSpace(cloudflare.Getenv("PUBLIC_ORIGIN")), Log: log,
	})
	if err != nil {
		log.Error("fedwasm-worker: the embedded site does not open", "err", err)
		h = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, "fedwasm-worker: "+err.Error(), http.StatusInternalServerError)
		})
	}
	workers.Serve(h)
}
