//go:build conformance

package conformance

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fedwasm/fedwasm/federation"
	"github.com/fedwasm/fedwasm/server"
)

// Both deployments serve the site ./build.sh worker stages (worker/build/site,
// which the worker has as static assets and an embedded registry) with the
// allowlist worker/config.capnp gives the worker.
var (
	root    = filepath.Join("..", "..")
	siteDir = filepath.Join(root, "worker", "build", "site")
	allowed = "http://127.0.0.1:8080"
)

func target(base, publicOrigin string) Target {
	return Target{Base: base, Site: os.DirFS(siteDir), Allowed: allowed, Host: "shell", Remotes: []string{"cart", "badge", "promo"},
		PublicOrigin: publicOrigin, Page: "/"}
}

// TestNetHTTP runs the suite against net/http as fedwasm serve runs it: with a
// public origin, and without one (the registry's path entries then follow
// each request's Host).
func TestNetHTTP(t *testing.T) {
	for _, withPublicOrigin := range []bool{true, false} {
		name := "request Host"
		if withPublicOrigin {
			name = "public origin"
		}
		t.Run(name, func(t *testing.T) {
			ln, err := server.ListenLoopback("127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			base, publicOrigin := "http://"+ln.Addr().String(), ""
			if withPublicOrigin {
				publicOrigin = base
			}
			h, err := server.NewSite(os.DirFS(siteDir), server.Site{
				Policy: server.Policy{AllowedOrigins: []string{allowed}}, Version: federation.Version, PublicOrigin: publicOrigin,
				Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
			})
			if err != nil {
				ln.Close()
				t.Fatalf("%v (./build.sh worker stages the site)", err)
			}
			srv := server.NewHTTPServer(h, server.DefaultLimits)
			go func() { _ = srv.Serve(ln) }()
			t.Cleanup(func() { _ = srv.Close() })
			Run(t, target(base, publicOrigin))
		})
	}
}

func TestWorkerd(t *testing.T) {
	workerd, err := filepath.Abs(filepath.Join(root, "worker", "node_modules", ".bin", "workerd"))
	if err != nil {
		t.Fatal(err)
	}
	for _, need := range []string{workerd, filepath.Join(root, "worker", "build", "app.wasm"), filepath.Join(root, "worker", "build", "entry.mjs")} {
		if _, err := os.Stat(need); err != nil {
			t.Fatalf("%v: run ./build.sh worker (it installs workerd and builds the worker)", err)
		}
	}
	addr := freeLoopbackAddr(t)
	logs := &syncBuffer{}
	base := "http://" + addr
	cmd := exec.Command(workerd, "serve", "config.capnp", "--socket-addr", "http="+addr)
	cmd.Dir = filepath.Join(root, "worker")
	cmd.Env = append(os.Environ(), "FEDWASM_PUBLIC_ORIGIN="+base) // config.capnp's PUBLIC_ORIGIN
	cmd.Stdout, cmd.Stderr = logs, logs
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("workerd's output:\n%s", logs.String())
		}
	})
	if err := waitHealthy(base, 20*time.Second); err != nil {
		t.Fatalf("workerd did not serve %s/healthz: %v", base, err)
	}
	t.Logf("workerd: spawn to first /healthz 200 in %v", time.Since(start).Round(time.Millisecond))
	Run(t, target(base, base))
	time.Sleep(100 * time.Millisecond) // workerd logs a failed response after sending it
	for _, line := range strings.Split(logs.String(), "\n") {
		if strings.Contains(line, "error") && !strings.Contains(line, `"level":"INFO"`) {
			t.Errorf("workerd logged an error: %s", line)
		}
	}
	goOnlyForTheRest(t, logs.String())
}

// goOnlyForTheRest checks, from the request lines Go logs under workerd,
// that the front answered every GET and HEAD of a file the static index
// lists without starting Go, and that Go answered the registry.
func goOnlyForTheRest(t *testing.T, logs string) {
	t.Helper()
	index, err := server.NewStaticIndex(os.DirFS(siteDir))
	if err != nil {
		t.Fatal(err)
	}
	byGo := map[string]int{}
	for _, line := range strings.Split(logs, "\n") {
		var req struct{ Msg, Method, Path string }
		if json.Unmarshal([]byte(line), &req) != nil || req.Msg != "request" {
			continue
		}
		byGo[req.Path]++
		if _, listed := index.Files[req.Path]; listed && (req.Method == "GET" || req.Method == "HEAD") {
			t.Errorf("Go answered %s %s, a static file the front serves", req.Method, req.Path)
		}
	}
	if byGo["/federation.json"] == 0 {
		t.Errorf("Go logged no /federation.json request (it logged %v): is its log still read here?", byGo)
	}
}

// syncBuffer collects a process's output while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// freeLoopbackAddr returns a 127.0.0.1 address with a port free a moment ago.
func freeLoopbackAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func waitHealthy(base string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	var last error
	for time.Now().Before(deadline) {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("status %d", resp.StatusCode)
		}
		last = err
		time.Sleep(20 * time.Millisecond)
	}
	return errors.Join(errors.New("timed out"), last)
}
