package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"

	"github.com/fedwasm/fedwasm/internal/precompress"
	"github.com/fedwasm/fedwasm/server"
)

// remotePlaceholder is the remotes' origin in the built app (bench/app/webpack.config.js).
const remotePlaceholder = "__REMOTE_ORIGIN__"

// runtimeFiles are fedwasm's runtime files in dist/fedwasm/ (loader.js and
// the content-hashed names it loads), copied with their .br and .gz.
func runtimeFiles(root string) ([]string, error) {
	files := []string{"loader.js"}
	for _, name := range []string{"broker.js", "wasm_exec.js", "runtime.wasm"} {
		hashed, err := server.RuntimeFile(os.DirFS(filepath.Join(root, "dist", "fedwasm")), name)
		if err != nil {
			return nil, err
		}
		files = append(files, hashed)
	}
	return files, nil
}

// site is the two origins the benchmark serves: the hosts (every variant
// and /fedwasm/) and the remotes.
type site struct {
	hostURL, remoteURL string
	dir                string       // host/ and remote/ with the files as served
	host               http.Handler // the host origin's handler
	servers            []*http.Server
}

// siteRoutes are the host origin's paths server.Site answers: the registry
// (with the snapshot) and the fedwasm pages it writes the snapshot into.
// Everything else is a file, served by server.Files as for every variant.
var siteRoutes = map[string]bool{"/federation.json": true, "/fw/": true, "/fwb/": true}

// dynamic reports whether the host origin computes url's response (a
// siteRoutes path) rather than serving a file.
func (s *site) dynamic(url string) bool {
	rest, ok := strings.CutPrefix(url, s.hostURL)
	if !ok {
		return false
	}
	rest, _, _ = strings.Cut(rest, "?")
	return siteRoutes[rest]
}

// startSite copies dist/bench and dist/fedwasm into a temporary directory,
// puts the remote origin in place of the placeholder, precompresses every file
// (brotli 11 and gzip 9, the same for all variants) and serves both origins on
// loopback with server.Files, except the fedwasm host's page and its
// registry, which server.Site serves (siteRoutes) from host/fw/registry.json:
// /fw/ is the page with the snapshot written in, and /fw/static.html is the
// same page served as a file, whose federation.json has no snapshot.
//
// With baseline (an older build's runtime directory), it also serves that
// under /fedwasm-base/ and the fedwasm page using it under /fwb/.
func startSite(root, baseline string) (*site, error) {
	for _, f := range []string{"dist/bench/host/fw/registry.json", "dist/bench/host/fw/static.html", "dist/bench/remote/cart/remoteEntry.js", "dist/fedwasm/loader.js.br"} {
		if _, err := os.Stat(filepath.Join(root, f)); err != nil {
			return nil, fmt.Errorf("%s is missing: run ./build.sh bench (it builds dist/fedwasm and bench/app into dist/bench)", f)
		}
	}
	hostLn, err := server.ListenLoopback("127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	remoteLn, err := server.ListenLoopback("127.0.0.1:0")
	if err != nil {
		hostLn.Close()
		return nil, err
	}
	s := &site{hostURL: "http://" + hostLn.Addr().String(), remoteURL: "http://" + remoteLn.Addr().String()}
	if s.dir, err = os.MkdirTemp("", "fedwasm-bench-startup-"); err != nil {
		hostLn.Close()
		remoteLn.Close()
		return nil, err
	}
	err = s.copyFiles(root)
	if err == nil && baseline != "" {
		err = s.addBaseline(baseline)
	}
	if err != nil {
		hostLn.Close()
		remoteLn.Close()
		s.close()
		return nil, err
	}
	// Timing-Allow-Origin lets the host page read the remotes' sizes from the
	// Resource Timing API.
	remote := server.Files(os.DirFS(filepath.Join(s.dir, "remote")), server.Policy{AllowedOrigins: []string{s.hostURL}})
	remoteTimed := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Timing-Allow-Origin", s.hostURL)
		remote.ServeHTTP(w, r)
	})
	hostFS := os.DirFS(filepath.Join(s.dir, "host"))
	registry, err := server.NewRegistry(filepath.Join(s.dir, "host", "fw", "registry.json"), server.Policy{}, slog.New(slog.DiscardHandler))
	if err != nil {
		hostLn.Close()
		remoteLn.Close()
		s.close()
		return nil, err
	}
	pages := server.Site{Pages: hostFS, Registry: registry, PublicOrigin: s.hostURL}.Handler()
	files := server.Files(hostFS, server.Policy{})
	s.host = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if siteRoutes[r.URL.Path] {
			pages.ServeHTTP(w, r)
			return
		}
		files.ServeHTTP(w, r)
	})
	s.serve(hostLn, s.host)
	s.serve(remoteLn, remoteTimed)
	// The registry computes a host's snapshot once per registry version: it
	// is computed here, so no sample pays for it, and the fedwasm page is
	// checked to carry it.
	rec := httptest.NewRecorder()
	s.host.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, s.hostURL+"/fw/", nil))
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `id="`+server.SnapshotElementID+`"`) {
		s.close()
		return nil, fmt.Errorf("/fw/ (server.Site) answered %d without the snapshot in the page; see host/fw/registry.json", rec.Code)
	}
	return s, nil
}

func (s *site) serve(ln net.Listener, h http.Handler) {
	srv := server.NewHTTPServer(h, server.DefaultLimits)
	s.servers = append(s.servers, srv)
	go func() { _ = srv.Serve(ln) }()
}

func (s *site) close() {
	for _, srv := range s.servers {
		_ = srv.Close()
	}
	_ = os.RemoveAll(s.dir)
}

// copyFiles writes host/ (dist/bench/host plus dist/fedwasm's runtime under
// host/fedwasm/) and remote/ (dist/bench/remote).
func (s *site) copyFiles(root string) error {
	for _, part := range []string{"host", "remote"} {
		from := filepath.Join(root, "dist", "bench", part)
		err := filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || strings.HasSuffix(path, ".LICENSE.txt") {
				return err
			}
			rel, _ := filepath.Rel(from, path)
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			data = bytes.ReplaceAll(data, []byte(remotePlaceholder), []byte(s.remoteURL))
			return writeCompressed(filepath.Join(s.dir, part, rel), data)
		})
		if err != nil {
			return fmt.Errorf("copying dist/bench/%s: %w", part, err)
		}
	}
	files, err := runtimeFiles(root)
	if err != nil {
		return err
	}
	for _, name := range files {
		for _, suffix := range []string{"", ".br", ".gz"} {
			data, err := os.ReadFile(filepath.Join(root, "dist", "fedwasm", name+suffix))
			if err != nil {
				return fmt.Errorf("%w (run ./build.sh build)", err)
			}
			if err := writeFile(filepath.Join(s.dir, "host", "fedwasm", name+suffix), data); err != nil {
				return err
			}
		}
	}
	return nil
}

// addBaseline copies dir, an older build's runtime directory (its loader.js
// and the files that loader loads), to host/fedwasm-base/, compressing every
// file as the others are, and writes host/fwb/index.html: the fedwasm page
// loading it, which server.Site serves with the snapshot written in, as /fw/. A before/after of a loader or runtime change is then measured
// in one run.
func (s *site) addBaseline(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("-baseline: %w", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "loader.js")); err != nil {
		return fmt.Errorf("-baseline: %s has no loader.js: %w", dir, err)
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasSuffix(name, ".br") || strings.HasSuffix(name, ".gz") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		if err := writeCompressed(filepath.Join(s.dir, "host", "fedwasm-base", name), data); err != nil {
			return err
		}
	}
	page, err := os.ReadFile(filepath.Join(s.dir, "host", "fw", "index.html"))
	if err != nil {
		return err
	}
	page = bytes.ReplaceAll(page, []byte("/fedwasm/loader.js"), []byte("/fedwasm-base/loader.js"))
	return writeCompressed(filepath.Join(s.dir, "host", "fwb", "index.html"), page)
}

func writeFile(name string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	return os.WriteFile(name, data, 0o644)
}

// writeCompressed writes name, name.br (brotli 11) and name.gz (gzip 9).
func writeCompressed(name string, data []byte) error {
	if err := writeFile(name, data); err != nil {
		return err
	}
	return precompress.WriteBeside(name, data)
}

// fileSizes is a served file's raw, gzip and brotli size.
type fileSizes struct{ raw, gzip, brotli int64 }

// sizesOf maps a URL the page fetched to the file served for it and returns
// its sizes; ok is false for a URL that is not one of the site's files. A
// response server.Site computes (dynamic) is requested again and its body
// compressed as the files are.
func (s *site) sizesOf(url string) (fileSizes, bool) {
	if s.dynamic(url) {
		rec := httptest.NewRecorder()
		s.host.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, url, nil))
		if rec.Code != http.StatusOK {
			return fileSizes{}, false
		}
		body := rec.Body.Bytes()
		return fileSizes{raw: int64(len(body)), gzip: int64(len(precompress.Gzip(body))), brotli: int64(len(precompress.Brotli(body)))}, true
	}
	url, _, _ = strings.Cut(url, "?")
	var part, rest string
	switch {
	case strings.HasPrefix(url, s.hostURL+"/"):
		part, rest = "host", strings.TrimPrefix(url, s.hostURL+"/")
	case strings.HasPrefix(url, s.remoteURL+"/"):
		part, rest = "remote", strings.TrimPrefix(url, s.remoteURL+"/")
	default:
		return fileSizes{}, false
	}
	if rest == "" || strings.HasSuffix(rest, "/") {
		rest += "index.html"
	}
	name := filepath.Join(s.dir, part, filepath.FromSlash(rest))
	var out fileSizes
	for _, f := range []struct {
		suffix string
		into   *int64
	}{{"", &out.raw}, {".gz", &out.gzip}, {".br", &out.brotli}} {
		info, err := os.Stat(name + f.suffix)
		if err != nil {
			return fileSizes{}, false
		}
		*f.into = info.Size()
	}
	return out, true
}
