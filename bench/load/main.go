// Command load is a bounded load test of fedwasm's net/http server on
// loopback, and a timing of the Cloudflare worker under workerd.
//
// The server is the demo's host origin (what ./build.sh demo runs: the
// runtime, /federation.json from the registry), started in this process on
// 127.0.0.1. For /federation.json?host=shell and runtime.wasm (its content-hashed name)
// (brotli) it runs 1, 16 and 64 concurrent clients for -d each and prints
// p50 and p99 latency and requests per second.
//
// With the worker built (./build.sh worker), it then starts workerd -runs
// times and reports spawn → first /healthz 200 (cold start), and the median
// of -n sequential requests per path on a warm process.
//
//	go run ./bench/load [-root .] [-d 3s] [-n 40] [-runs 5]
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/fedwasm/fedwasm/internal/demo"
	"github.com/fedwasm/fedwasm/server"
)

func main() {
	root := flag.String("root", ".", "repository root (./build.sh build has written dist/)")
	d := flag.Duration("d", 3*time.Second, "how long each (path, concurrency) cell runs")
	n := flag.Int("n", 40, "sequential requests per path against the worker")
	runs := flag.Int("runs", 5, "workerd cold starts")
	flag.Parse()
	if err := run(*root, *d, *n, *runs); err != nil {
		fmt.Fprintln(os.Stderr, "bench/load:", err)
		os.Exit(1)
	}
}

// target is one path a page load asks the host origin for.
type target struct{ name, path, encoding string }

func run(root string, d time.Duration, n, runs int) error {
	dm, err := demo.Start(demo.Options{Root: root, HostAddr: "127.0.0.1:0", RemoteAddr: "127.0.0.1:0"})
	if err != nil {
		return err
	}
	defer dm.Close()
	wasmName, err := server.RuntimeFile(os.DirFS(filepath.Join(root, "dist", "fedwasm")), "runtime.wasm")
	if err != nil {
		return err
	}
	paths := []target{
		{"federation.json", "/federation.json?host=shell", ""},
		{"runtime.wasm (br)", "/fedwasm/" + wasmName, "br"},
	}
	fmt.Printf("net/http on loopback (%s), %v per cell, GOMAXPROCS %d\n", dm.HostURL, d, runtime.GOMAXPROCS(0))
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "path\tclients\trequests\treq/s\tp50 ms\tp99 ms\t")
	for _, p := range paths {
		for _, c := range []int{1, 16, 64} {
			r, err := load(dm.HostURL+p.path, p.encoding, c, d)
			if err != nil {
				return fmt.Errorf("%s at %d clients: %w", p.name, c, err)
			}
			fmt.Fprintf(w, "%s\t%d\t%d\t%.0f\t%.2f\t%.2f\t\n", p.name, c, r.count, r.perSecond, ms(r.p50), ms(r.p99))
		}
	}
	w.Flush()
	return worker(root, n, runs, paths)
}

type result struct {
	count     int
	perSecond float64
	p50, p99  time.Duration
}

// load runs clients goroutines requesting url back to back for d.
func load(url, encoding string, clients int, d time.Duration) (result, error) {
	client := &http.Client{Transport: &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: clients}}
	defer client.CloseIdleConnections()
	var (
		mu        sync.Mutex
		latencies []time.Duration
		firstErr  error
		wg        sync.WaitGroup
	)
	start := time.Now()
	deadline := start.Add(d)
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for time.Now().Before(deadline) {
				t0 := time.Now()
				err := get(client, url, encoding)
				if err != nil {
					mu.Lock()
					firstErr = errors.Join(firstErr, err)
					mu.Unlock()
					return
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if firstErr != nil {
		return result{}, firstErr
	}
	slices.Sort(latencies)
	return result{
		count:     len(latencies),
		perSecond: float64(len(latencies)) / elapsed.Seconds(),
		p50:       percentile(latencies, 0.50),
		p99:       percentile(latencies, 0.99),
	}, nil
}

func get(client *http.Client, url, encoding string) error {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	if encoding != "" {
		req.Header.Set("Accept-Encoding", encoding)
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Encoding") != encoding {
		return fmt.Errorf("GET %s: status %d, Content-Encoding %q", url, resp.StatusCode, resp.Header.Get("Content-Encoding"))
	}
	return nil
}

// worker times the worker under workerd: cold starts, then sequential requests.
func worker(root string, n, runs int, paths []target) error {
	dir, err := filepath.Abs(filepath.Join(root, "worker"))
	if err != nil {
		return err
	}
	workerd := filepath.Join(dir, "node_modules", ".bin", "workerd")
	for _, need := range []string{workerd, filepath.Join(dir, "build", "app.wasm")} {
		if _, err := os.Stat(need); err != nil {
			fmt.Printf("\nworker: not built (%v); ./build.sh worker builds it\n", err)
			return nil
		}
	}
	var colds []time.Duration
	var last *exec.Cmd
	var base string
	for i := range runs {
		addr, err := freeAddr()
		if err != nil {
			return err
		}
		cmd := exec.Command(workerd, "serve", "config.capnp", "--socket-addr", "http="+addr)
		cmd.Dir = dir
		start := time.Now()
		if err := cmd.Start(); err != nil {
			return err
		}
		base = "http://" + addr
		if err := waitOK(base+"/healthz", 20*time.Second); err != nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
			return fmt.Errorf("workerd run %d: %w", i+1, err)
		}
		colds = append(colds, time.Since(start))
		if i < runs-1 {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
		last = cmd
	}
	defer func() { _ = last.Process.Kill(); _ = last.Wait() }()
	sorted := slices.Clone(colds)
	slices.Sort(sorted)
	fmt.Printf("\nworker under workerd (%s): cold start, spawn to first /healthz 200, %d runs: median %.0f ms (%s)\n",
		base, runs, ms(percentile(sorted, 0.5)), list(colds))
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(w, "path (warm, %d sequential requests)\tmedian ms\tmin ms\tmax ms\t\n", n)
	for _, p := range append([]target{{"healthz", "/healthz", ""}}, paths...) {
		var times []time.Duration
		for range n {
			t0 := time.Now()
			if err := get(client, base+p.path, p.encoding); err != nil {
				return err
			}
			times = append(times, time.Since(t0))
		}
		slices.Sort(times)
		fmt.Fprintf(w, "%s\t%.1f\t%.1f\t%.1f\t\n", p.name, ms(percentile(times, 0.5)), ms(times[0]), ms(times[len(times)-1]))
	}
	return w.Flush()
}

func waitOK(url string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	return fmt.Errorf("%s did not answer 200 within %v", url, limit)
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// percentile of sorted durations (nearest rank).
func percentile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted)) + 0.5)
	if i < 1 {
		i = 1
	}
	if i > len(sorted) {
		i = len(sorted)
	}
	return sorted[i-1]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func list(ds []time.Duration) string {
	s := ""
	for i, d := range ds {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%.0f", ms(d))
	}
	return s + " ms"
}
