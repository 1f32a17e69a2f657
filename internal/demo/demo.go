// Package demo wires the demo shop: a host origin (index.html served by
// server.Site with the host's snapshot written in, demo-host/, the
// runtime from dist/fedwasm/, shared vendor modules from dist/vendor/ and the
// federation.json from the registry written at start), the cart remote's origin (the React cart from
// dist/demo-remote/, the plain badge and promo remotes from demo-remote/) and
// the products remote's origin (the React products remote and the shop's JSON
// API). Both ./build.sh demo and the end-to-end tests start it through Start.
package demo

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"

	"github.com/fedwasm/fedwasm/federation"
	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/server"
)

// Options says where the files are and where to listen.
type Options struct {
	Root       string // the repository root: index.html, demo-host/, demo-remote/, dist/
	HostAddr   string // e.g. 127.0.0.1:8080; port 0 picks a free one
	RemoteAddr string // the cart remote's origin (with badge, promo and the webpack fixtures)
	// ProductsAddr is the products remote's origin; empty picks a free port.
	ProductsAddr string
	// Log receives what goes wrong (a server error, a registry edit that
	// does not parse) and, with LogRequests, one line per HTTP request
	// (server.Logged). Nil logs nothing.
	Log         *slog.Logger
	LogRequests bool
	// Wrap, when set, is put in front of each origin's handler; site is
	// "host", "remote" or "products". The tests use it to take an origin or
	// one remote down (server.Faults).
	Wrap func(site string, h http.Handler) http.Handler
	// EditConfig, when set, changes the host's config before it is served
	// (the tests use it to let plugins act on some remotes).
	EditConfig func(*config.Config)
}

// Demo is a running demo.
type Demo struct {
	HostURL   string
	RemoteURL string // the cart remote's origin
	// ProductsURL is the products remote's origin, which also serves /api/.
	ProductsURL string
	Config      config.Config
	api         *shopAPI
	servers     []*http.Server
	done        chan error
	known       *regexp.Regexp // see KnownProblem
	registry    string         // see RegistryFile
}

// Start listens on the host, cart and products addresses and serves the demo until Close.
func Start(opts Options) (*Demo, error) {
	for _, need := range []string{"dist/fedwasm/loader.js", "dist/vendor/versions.json", "dist/demo-remote/cart.js", "index.html"} {
		if _, err := os.Stat(filepath.Join(opts.Root, need)); err != nil {
			return nil, fmt.Errorf("demo: %s is missing under %s; run ./build.sh build first", need, opts.Root)
		}
	}
	versions, err := readVersions(filepath.Join(opts.Root, "dist/vendor/versions.json"))
	if err != nil {
		return nil, err
	}
	remoteLn, err := server.ListenLoopback(opts.RemoteAddr)
	if err != nil {
		return nil, err
	}
	if opts.ProductsAddr == "" {
		opts.ProductsAddr = "127.0.0.1:0"
	}
	productsLn, err := server.ListenLoopback(opts.ProductsAddr)
	if err != nil {
		remoteLn.Close()
		return nil, err
	}
	hostLn, err := server.ListenLoopback(opts.HostAddr)
	if err != nil {
		remoteLn.Close()
		productsLn.Close()
		return nil, err
	}
	d := &Demo{HostURL: origin(hostLn), RemoteURL: origin(remoteLn), ProductsURL: origin(productsLn), done: make(chan error, 3)}
	d.known = regexp.MustCompile(`^log: Failed to load resource: the server responded with a status of 404 \(Not Found\) ` +
		regexp.QuoteMeta(d.RemoteURL+"/recommendations.js") + `(\?fedwasm-retry=\d+)?$`)
	d.Config = Config(d.RemoteURL, d.ProductsURL, versions)
	if opts.EditConfig != nil {
		opts.EditConfig(&d.Config)
	}
	if err := d.Config.Validate(); err != nil {
		return nil, errors.Join(err, hostLn.Close(), remoteLn.Close(), productsLn.Close())
	}
	hostHandler, err := hostMux(opts.Root, d, opts.Log)
	if err != nil {
		return nil, errors.Join(err, hostLn.Close(), remoteLn.Close(), productsLn.Close())
	}
	remotePolicy := server.Policy{AllowedOrigins: []string{d.HostURL}}
	logged := func(site string, h http.Handler) http.Handler {
		if opts.Wrap != nil {
			h = opts.Wrap(site, h)
		}
		if opts.Log == nil || !opts.LogRequests {
			return h
		}
		return server.Logged(h, opts.Log.With("site", site))
	}
	d.serve(hostLn, logged("host", hostHandler))
	built := server.Files(os.DirFS(filepath.Join(opts.Root, "dist", "demo-remote")), remotePolicy)
	remoteMux := http.NewServeMux()
	remoteMux.Handle("/cart.js", built)
	remoteMux.Handle("/", server.Files(os.DirFS(filepath.Join(opts.Root, "demo-remote")), remotePolicy))
	// The webpack fixtures (./build.sh builds them into dist/fixtures/).
	remoteMux.Handle("/fixtures/", http.StripPrefix("/fixtures", server.Files(os.DirFS(filepath.Join(opts.Root, "dist", "fixtures")), remotePolicy)))
	d.serve(remoteLn, logged("remote", remoteMux))
	d.api = newShopAPI(d.HostURL)
	productsMux := http.NewServeMux()
	productsMux.Handle("/products.js", built)
	d.api.routes(productsMux)
	d.serve(productsLn, logged("products", productsMux))
	return d, nil
}

// Config is the host's federation config: React, react-dom, zustand and
// TanStack Query (core and React binding) shared as strict singletons (each
// also mapped in the import map); the React cart remote with the plain badge,
// promo and (down) recommendations remotes on cartOrigin, and the React
// products remote on productsOrigin. The host owns the cart store, the
// shared QueryClient and the sign-in events (its bootstrap provides and
// emits them through the page's fedwasm); the cart remote owns
// order:placed.
func Config(cartOrigin, productsOrigin string, versions map[string]string) config.Config {
	return config.Config{
		Name:      "shell",
		Bootstrap: "/demo-host/bootstrap.js",
		Shared: map[string]config.ShareEntries{
			"zustand": {{
				Version: versions["zustand"],
				Import:  "/vendor/zustand.js",
				ShareConfig: config.ShareConfig{
					Singleton: true, StrictVersion: true, RequiredVersion: config.RequiredVersion{Range: "^5.0.0"},
				},
			}},
			// zustand's React binding (useStore), on the shared react and zustand.
			"zustand/react": strictShare(versions["zustand"], "/vendor/zustand-react.js", "^5.0.0"),
			// React for the React remotes and the webpack remotes: react-dom/client is shared under its own
			// key, since webpack matches shared keys exactly.
			"react":            reactShare(versions["react"], "/vendor/react.js"),
			"react-dom":        reactShare(versions["react-dom"], "/vendor/react-dom.js"),
			"react-dom/client": reactShare(versions["react-dom"], "/vendor/react-dom-client.js"),
			// One query-core: a QueryClient made by the host works with the
			// remotes' useQuery (Strategy A), and connected clients agree (B).
			"@tanstack/query-core":  strictShare(versions["@tanstack/query-core"], "/vendor/query-core.js", "^5.0.0"),
			"@tanstack/react-query": strictShare(versions["@tanstack/react-query"], "/vendor/react-query.js", "^5.0.0"),
		},
		Remotes: []config.Remote{
			{Name: "cart", Entry: cartOrigin + "/cart.js", Type: "esm"},
			{Name: "products", Entry: productsOrigin + "/products.js", Type: "esm"},
			{Name: "badge", Entry: cartOrigin + "/badge.js", Type: "esm"},
			{Name: "promo", Entry: cartOrigin + "/promo.js", Type: "esm"},
			// A remote that is down: nothing is served at this path (404). The
			// page shows fedwasm's fallback in its place; the rest works.
			{Name: "recommendations", Entry: cartOrigin + "/recommendations.js", Type: "esm"},
		},
		// Short, so a remote that is down shows its fallback quickly: two
		// attempts, 100 ms apart, of at most 3 s each.
		Retry: &config.Retry{Times: 1, DelayMs: 100, TimeoutMs: 3000},
		Ownership: config.Ownership{
			Stores: map[string]string{"cart": "shell", "queryClient": "shell"},
			Events: map[string]string{"auth:login": "shell", "auth:logout": "shell", "order:placed": "cart"},
		},
	}
}

func reactShare(version, url string) config.ShareEntries {
	return strictShare(version, url, "^19.0.0")
}

// strictShare is a singleton every consumer must get within required.
func strictShare(version, url, required string) config.ShareEntries {
	return config.ShareEntries{{
		Version: version, Import: url,
		ShareConfig: config.ShareConfig{Singleton: true, StrictVersion: true, RequiredVersion: config.RequiredVersion{Range: required}},
	}}
}

// Served reports how many requests the products origin's API answered at
// path, such as "/api/products".
func (d *Demo) Served(path string) int { return d.api.Served(path) }

// Orders reports how many orders the products origin's API placed.
func (d *Demo) Orders() int { return d.api.Orders() }

func hostMux(root string, d *Demo, log *slog.Logger) (http.Handler, error) {
	remotes := d.RemoteURL + " " + d.ProductsURL
	csp := "default-src 'self'; script-src 'self' 'nonce-" + server.NonceToken + "' " + remotes + " 'wasm-unsafe-eval'; connect-src 'self' " + remotes +
		"; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'"
	policy := server.Policy{ContentSecurityPolicy: csp}
	registry, err := d.newRegistry(root, policy, log)
	if err != nil {
		return nil, err
	}
	// The runtime, /federation.json (from the registry, with the host's
	// snapshot), the host page (index.html with the snapshot written in) and
	// /healthz: the handler the Cloudflare worker runs too.
	site := server.Site{Runtime: os.DirFS(filepath.Join(root, "dist/fedwasm")), Registry: registry, Policy: policy, Version: federation.Version,
		Pages: os.DirFS(root), PublicOrigin: d.HostURL}.Handler()
	mux := http.NewServeMux()
	mux.Handle("/fedwasm/", site)
	mux.Handle("/vendor/", http.StripPrefix("/vendor", server.Files(os.DirFS(filepath.Join(root, "dist/vendor")), policy)))
	mux.Handle("/demo-host/", http.StripPrefix("/demo-host", server.Files(os.DirFS(filepath.Join(root, "demo-host")), policy)))
	mux.Handle("/federation.json", site)
	mux.Handle("/healthz", site)
	mux.Handle("/{$}", site) // only / reaches the site's pages: the root holds more than pages
	// The same page as a static file, as a host without server.Site serves it:
	// no snapshot in it, so the loader finds it in federation.json.
	mux.Handle("/index.html", server.Files(os.DirFS(root), policy))
	return mux, nil
}

func (d *Demo) serve(ln net.Listener, h http.Handler) {
	srv := server.NewHTTPServer(h, server.DefaultLimits)
	d.servers = append(d.servers, srv)
	go func() {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			d.done <- err
		}
	}()
}

// KnownProblem reports whether line, a problem a browser on the demo page
// recorded (internal/browser), is one the demo logs by design: Chromium's
// entries for the attempts at the recommendations remote, whose entry is a
// 404 (the "remote that is down" pattern).
func (d *Demo) KnownProblem(line string) bool {
	return d.known.MatchString(line)
}

// Err receives an error if a server stops on its own.
func (d *Demo) Err() <-chan error { return d.done }

// Close stops the servers.
func (d *Demo) Close() error {
	var errs []error
	for _, s := range d.servers {
		errs = append(errs, s.Close())
	}
	errs = append(errs, d.removeRegistry())
	return errors.Join(errs...)
}

func origin(ln net.Listener) string { return "http://" + ln.Addr().String() }

func readVersions(file string) (map[string]string, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("demo: %w; run ./build.sh build", err)
	}
	var v map[string]string
	if err := json.Unmarshal(data, &v); err != nil {
		return nil, fmt.Errorf("demo: %s: %w; run ./build.sh build", file, err)
	}
	return v, nil
}
