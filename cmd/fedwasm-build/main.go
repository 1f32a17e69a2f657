// Command fedwasm-build writes the distributable runtime and the demo's shared
// vendor modules:
//
//	dist/fedwasm/{loader.js, runtime.wasm, wasm_exec.js, broker.js, fedwasm.d.ts}
//	dist/vendor/<package>.js, dist/vendor/versions.json
//
// and prints the raw, gzip and brotli size of each runtime file. Vendor modules
// are bundled from node_modules (installed from the lock file) with esbuild.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/andybalholm/brotli"
	"github.com/evanw/esbuild/pkg/api"
)

// vendorModule is one npm package the demo shares, bundled to one ES module.
type vendorModule struct {
	pkg    string // npm package whose version is recorded
	entry  string // module specifier to re-export
	output string // file name under dist/vendor
}

var vendorModules = []vendorModule{
	{pkg: "zustand", entry: "zustand/vanilla", output: "zustand.js"},
}

func main() {
	root := flag.String("root", ".", "repository root")
	flag.Parse()
	if err := build(*root); err != nil {
		fmt.Fprintln(os.Stderr, "fedwasm-build:", err)
		os.Exit(1)
	}
}

func build(root string) error {
	dist := filepath.Join(root, "dist", "fedwasm")
	if err := os.MkdirAll(dist, 0o755); err != nil {
		return err
	}
	wasm := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", filepath.Join(dist, "runtime.wasm"), "./wasm")
	wasm.Dir, wasm.Stdout, wasm.Stderr = root, os.Stdout, os.Stderr
	wasm.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if err := wasm.Run(); err != nil {
		return fmt.Errorf("building runtime.wasm: %w", err)
	}
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return fmt.Errorf("go env GOROOT: %w", err)
	}
	copies := map[string]string{
		filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", "wasm_exec.js"): "wasm_exec.js",
		filepath.Join(root, "loader", "loader.js"):                                      "loader.js",
		filepath.Join(root, "loader", "broker.js"):                                      "broker.js",
		filepath.Join(root, "loader", "fedwasm.d.ts"):                                   "fedwasm.d.ts",
	}
	for from, to := range copies {
		if err := copyFile(from, filepath.Join(dist, to)); err != nil {
			return err
		}
	}
	if err := bundleVendor(root); err != nil {
		return err
	}
	return printSizes(dist, []string{"loader.js", "broker.js", "wasm_exec.js", "runtime.wasm"})
}

func bundleVendor(root string) error {
	out := filepath.Join(root, "dist", "vendor")
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	versions := map[string]string{}
	for _, m := range vendorModules {
		manifest, err := os.ReadFile(filepath.Join(root, "node_modules", m.pkg, "package.json"))
		if err != nil {
			return fmt.Errorf("vendor %s: %w; run npm ci (./build.sh does)", m.pkg, err)
		}
		var meta struct{ Version string }
		if err := json.Unmarshal(manifest, &meta); err != nil {
			return fmt.Errorf("vendor %s: package.json: %w", m.pkg, err)
		}
		versions[m.pkg] = meta.Version
		result := api.Build(api.BuildOptions{
			Stdin:             &api.StdinOptions{Contents: fmt.Sprintf("export * from %q;\n", m.entry), ResolveDir: root, Sourcefile: m.output},
			Bundle:            true,
			Format:            api.FormatESModule,
			Platform:          api.PlatformBrowser,
			Target:            api.ES2020,
			MinifyWhitespace:  true,
			MinifyIdentifiers: true,
			MinifySyntax:      true,
			Outfile:           filepath.Join(out, m.output),
			Write:             true,
			LogLevel:          api.LogLevelWarning,
		})
		if len(result.Errors) > 0 {
			return fmt.Errorf("vendor %s: esbuild: %s", m.pkg, result.Errors[0].Text)
		}
	}
	data, err := json.MarshalIndent(versions, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(out, "versions.json"), data, 0o644)
}

func printSizes(dir string, names []string) error {
	fmt.Printf("%-14s %10s %10s %10s\n", "dist/fedwasm", "raw", "gzip -9", "brotli 11")
	var total [3]int
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		sizes := [3]int{len(data), compressedSize(data, gzipWriter), compressedSize(data, brotliWriter)}
		for i := range total {
			total[i] += sizes[i]
		}
		fmt.Printf("%-14s %10d %10d %10d\n", name, sizes[0], sizes[1], sizes[2])
	}
	fmt.Printf("%-14s %10d %10d %10d\n", "total", total[0], total[1], total[2])
	return nil
}

func gzipWriter(w io.Writer) io.WriteCloser {
	z, _ := gzip.NewWriterLevel(w, gzip.BestCompression)
	return z
}

func brotliWriter(w io.Writer) io.WriteCloser {
	return brotli.NewWriterLevel(w, brotli.BestCompression)
}

func compressedSize(data []byte, newWriter func(io.Writer) io.WriteCloser) int {
	var buf bytes.Buffer
	w := newWriter(&buf)
	_, _ = w.Write(data)
	_ = w.Close()
	return buf.Len()
}

func copyFile(from, to string) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, data, 0o644)
}
