//go:build js && wasm

// Command fedwasm-worker is fedwasm's server on Cloudflare Workers: the same
// server.Site the net/http server runs, run by github.com/syumai/workers
// behind worker/entry.mjs. The front answers the runtime's and the remotes'
// files itself from Workers Static Assets (server.StaticIndex), so Go runs
// only for the rest: the registry, /healthz, and every request the front
// passes on (other methods, malformed or unknown paths). What Go reads is
// embedded from site/: the registry alone, with each remote's integrity,
// which ./build.sh worker stages (cmd/fedwasm-worker/stage).
//
// Workers starts a fresh Go instance for every request, so everything here is
// rebuilt per request from the embedded registry; nothing is kept between them.
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
	for _, o := range strings.Split(textBinding("ALLOWED_ORIGINS"), ",") {
		if o = strings.TrimSpace(o); o != "" {
			origins = append(origins, o)
		}
	}
	site, _ := fs.Sub(staged, "site")
	h, err := server.NewSite(site, server.Site{
		Policy: server.Policy{AllowedOrigins: origins}, Version: federation.Version, StaticFront: true,
		PublicOrigin: strings.TrimSpace(textBinding("PUBLIC_ORIGIN")), Log: log,
	})
	if err != nil {
		log.Error("fedwasm-worker: the embedded registry does not open", "err", err)
		h = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, "fedwasm-worker: "+err.Error(), http.StatusInternalServerError)
		})
	}
	workers.Serve(h)
}

// textBinding is a text binding's value, "" when it is unset: workerd binds a
// fromEnvironment binding whose variable is not set as null, which
// cloudflare.Getenv returns as "<null>" (it turns only undefined into "").
func textBinding(name string) string {
	if v := cloudflare.Getenv(name); v != "<null>" {
		return v
	}
	return ""
}
