package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/fedwasm/fedwasm/federation"
	"github.com/fedwasm/fedwasm/internal/sitestage"
	"github.com/fedwasm/fedwasm/server"
)

func init() {
	commands = append(commands, command{
		name: "serve",
		purpose: "Serve the runtime, the remotes' files and the registry over HTTP.\n\n" +
			"It serves the runtime under /fedwasm/, each remote's file under /remotes/ with a\n" +
			"content-hashed name (cached as immutable), /federation.json?host=<name> from the\n" +
			"registry (with each remote's integrity and the host's snapshot), the host pages -pages\n" +
			"names (with the snapshot written in), and /healthz. With -out it only writes the site\n" +
			"(as a deploy stages it; ./build.sh worker splits it for Cloudflare Workers) and exits.",
		example: "fedwasm serve -runtime dist/fedwasm -registry registry.json -addr 127.0.0.1:8080 -allow-origin http://127.0.0.1:3000",
		flags: func(fs *flag.FlagSet) func([]string, io.Writer) error {
			runtime := fs.String("runtime", "dist/fedwasm", "the runtime's files (fedwasm build writes them)")
			registry := fs.String("registry", "registry.json", "the registry: hosts, and remotes with their files")
			addr := fs.String("addr", "127.0.0.1:8080", "the address to listen on")
			origins := fs.String("allow-origin", "", "comma-separated origins that may read responses cross-origin (CORS)")
			publicOrigin := fs.String("public-origin", "", "the origin pages reach this server at, e.g. https://shop.example: the registry's\n"+
				"path entries are resolved against it (empty: against each request's Host header, with Vary: Host)")
			out := fs.String("out", "", "write the site into this directory and exit, instead of serving")
			pages := fs.String("pages", "", "comma-separated host pages (.html) served at / (index.html) and /<name>.html, with the\n"+
				"snapshot of the host their loader tag's data-config names written in")
			return func(args []string, stdout io.Writer) error {
				if err := noArgs(args); err != nil {
					return err
				}
				dir := *out
				if dir == "" {
					tmp, err := os.MkdirTemp("", "fedwasm-site-")
					if err != nil {
						return err
					}
					defer os.RemoveAll(tmp)
					dir = tmp
				}
				var pageFiles []string
				for _, p := range strings.Split(*pages, ",") {
					if p = strings.TrimSpace(p); p != "" {
						pageFiles = append(pageFiles, p)
					}
				}
				if err := sitestage.Stage(*runtime, *registry, dir, pageFiles...); err != nil {
					return err
				}
				if *out != "" {
					_, err := fmt.Fprintf(stdout, "site written to %s\n", dir)
					return err
				}
				var allowed []string
				for _, o := range strings.Split(*origins, ",") {
					if o = strings.TrimSpace(o); o != "" {
						allowed = append(allowed, o)
					}
				}
				log := slog.New(slog.NewTextHandler(os.Stderr, nil))
				site, err := server.NewSite(os.DirFS(dir), server.Site{
					Policy: server.Policy{AllowedOrigins: allowed}, Version: federation.Version, PublicOrigin: *publicOrigin, Log: log,
				})
				if err != nil {
					return err
				}
				srv := server.NewHTTPServer(site, server.DefaultLimits)
				srv.Addr = *addr
				fmt.Fprintf(stdout, "fedwasm %s serving http://%s (runtime %s, registry %s)\n", federation.Version, *addr, *runtime, *registry)
				return srv.ListenAndServe()
			}
		},
	})
}
