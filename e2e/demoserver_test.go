//go:build e2e

package e2e

// The demo server (cmd/fedwasm-demo) as ./build.sh demo runs it: one line
// when it starts, then only errors; -v adds one line per request.

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// startLine is what the demo server prints when it starts.
var startLine = regexp.MustCompile(`^fedwasm demo: open (http://127\.0\.0\.1:\d+) \(remote 'cart' on http://127\.0\.0\.1:\d+, remote 'products' and the API on (http://127\.0\.0\.1:\d+); registry (\S+)\); Ctrl-C stops$`)

func TestDemoServerLogsItsStartAndErrorsOnly(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "fedwasm-demo")
	build := exec.Command("go", "build", "-o", bin, "./cmd/fedwasm-demo")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/fedwasm-demo: %v\n%s", err, out)
	}
	for _, c := range []struct {
		name     string
		args     []string
		requests int // request lines for the 21 requests it is sent
	}{
		{"by default", nil, 0},
		{"with -v", []string{"-v"}, 21},
	} {
		t.Run(c.name, func(t *testing.T) {
			cmd := exec.Command(bin, append([]string{"-root", root, "-host", "127.0.0.1:0", "-remote", "127.0.0.1:0", "-products", "127.0.0.1:0"}, c.args...)...)
			out, w := io.Pipe()
			cmd.Stdout, cmd.Stderr = w, w
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			lines := make(chan string, 100)
			go func() {
				defer close(lines)
				sc := bufio.NewScanner(out)
				for sc.Scan() {
					lines <- sc.Text()
				}
			}()
			var first string
			select {
			case first = <-lines:
			case <-time.After(20 * time.Second):
				t.Fatal("the demo server printed nothing")
			}
			m := startLine.FindStringSubmatch(first)
			if m == nil {
				_ = cmd.Process.Kill()
				t.Fatalf("the first line is %q, want it to match %s", first, startLine)
			}
			host, products, registry := m[1], m[2], m[3]
			for i := range 10 {
				get(t, host+[]string{"/", "/demo-host/shell.css"}[i%2])
				get(t, products+"/api/products")
			}
			// An edit that breaks the registry is an error: logged, the last good one served.
			time.Sleep(1100 * time.Millisecond) // the registry looks at most once a second
			if err := os.WriteFile(registry, []byte("{ not json"), 0o644); err != nil {
				t.Fatal(err)
			}
			later := time.Now().Add(2 * time.Second)
			if err := os.Chtimes(registry, later, later); err != nil {
				t.Fatal(err)
			}
			get(t, host+"/federation.json?host=shell")
			if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
				t.Fatal(err)
			}
			if err := cmd.Wait(); err != nil {
				t.Errorf("the demo server did not stop cleanly on Ctrl-C: %v", err)
			}
			w.Close()
			var rest []string
			for l := range lines {
				rest = append(rest, l)
			}
			var requests, errors int
			for _, l := range rest {
				switch {
				case strings.Contains(l, "msg=request"):
					requests++
				case strings.Contains(l, "level=ERROR") && strings.Contains(l, "registry reload failed"):
					errors++
				default:
					t.Errorf("an unexpected line: %q", l)
				}
			}
			if requests != c.requests || errors != 1 {
				t.Errorf("after the start line: %d request lines and %d errors, want %d and 1:\n%s", requests, errors, c.requests, strings.Join(rest, "\n"))
			}
		})
	}
}
