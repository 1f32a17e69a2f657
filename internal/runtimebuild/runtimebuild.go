// Package runtimebuild writes the distributable runtime, dist/fedwasm:
//
//	loader.js, runtime.<hash>.wasm, wasm_exec.<hash>.js, broker.<hash>.js, inspector.<hash>.js, fedwasm.d.ts,
//	mf.js, mf.d.ts
//
// with .br and .gz copies of the files pages load; with package.json, README.md
// and docs/errors.md it is also the npm package "fedwasm" (npm pack dist/fedwasm). It needs Go only. When no
// input changed since the last build (the Go files runtime.wasm is built
// from, go.mod, go.sum, the Go version, the loader's files) it reuses that
// build: compiling and compressing the wasm costs tens of seconds.
package runtimebuild

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/fedwasm/fedwasm/federation"
	"github.com/fedwasm/fedwasm/federation/limits"
	"github.com/fedwasm/fedwasm/federation/surface"
	"github.com/fedwasm/fedwasm/internal/buildstamp"
	"github.com/fedwasm/fedwasm/internal/precompress"
)

// Dir is where Build writes, relative to the repository root.
const Dir = "dist/fedwasm"

// MaxRuntimeWasmBrotli is the most runtime.wasm may weigh compressed with
// brotli 11, as served: every page downloads, decodes and compiles it before Go
// starts. Build fails above it, so the payload cannot grow back unnoticed.
// It is the 705,422 B measured without the time package on main at 94e4258
// (bench/README.md, "Payload"), what the loader's early remotes added
// (jsbridge.adoptScopes, openMount and the takes of the loader's entries
// replayed) and the config's unknown-key warnings (federation/config/keys.go,
// CONFIG_UNKNOWN_KEY) added: 707,768 → 713,412 B with both, and a margin of
// about 2.5 KB; then what Module Federation 2.0's call shapes added (init
// keeping a config object's get, lib and plugins: jsbridge/initfuncs.go and
// jsutil.PlainValueAside; MF's lib: () => module; registerRemotes' and
// registerShared's unknown-key warnings; shareScope lists and { name,
// version } remotes refused with their reasons: 713,273 → 722,287 B, +9,014)
// and window.__FEDERATION__ for Module Federation's devtools and their proxy
// (federation/devtools, jsbridge devtools.go: 722,287 → 734,495 B), and a
// margin of about 2.5 KB. Issue 14 aims at 650 KB for the whole payload.
// Raised by 21,839 B, the measured growth of Module Federation 2.0's runtime
// hooks (federation/plugin's catalog, rules and plugin check; jsbridge's
// runner and every stage's hooks, hooks.go; inspect()'s plugins):
// 734,009 → 755,848 B.
// A later init merging as Module Federation 2.0's does (config.Merge,
// Runtime.InitOptions, fedwasm.initOptions) added 755,843 → 761,311 B (+5,468).
// Native Federation remotes (remoteEntry.json read and checked in
// federation/remote/native.go, their files under the loading policy, their
// shares resolved into an import map scope: jsbridge/native.go;
// federation.manifest.json as the remotes' object form) added
// 755,843 → 771,083 B (+15,240) measured on their own.
// Errors that say what failed where they misled: a container.get whose
// chunk did not load (load.ExposeFailed) and an entry script's exception
// (RunScript's threw) added 777,450 → 780,213 B (+2,763), with a margin of
// about 2.5 KB.
const MaxRuntimeWasmBrotli = 782_700

// The go build flags runtime.wasm is built with (wasm/deps_test.go builds it
// with them too, to list what it links).
const (
	// LinkFlags leave out the symbol table and DWARF, which a page never reads.
	LinkFlags = "-s -w"
	// CompileFlags turn inlining off in fedwasm's own packages, not in Go's:
	// each inlined call copies its callee's body into the caller, and
	// runtime.wasm is downloaded and compiled whole before Go starts:
	// 778,685 → 722,391 B brotli 11, 4,631,494 → 4,379,936 raw
	// (bench/README.md, "Payload", has the bridge's timings with it).
	CompileFlags = "github.com/fedwasm/fedwasm/...=-l"
)

// stampFile records the inputs of the last build. It lives outside Dir,
// whose files are served.
const stampFile = "dist/.stamps/fedwasm.json"

// loaderDefaults are the files loader.js loads by default, each named in its
// source by one string literal ('runtime.wasm'). The last, the inspector, is
// loaded only on demand.
var loaderDefaults = []string{"broker.js", "wasm_exec.js", "runtime.wasm", onDemand}

// onDemand is the one runtime file a page does not load at startup.
const onDemand = "inspector.js"

// loaderFiles are copied from loader/ into Dir as they are (loader.js is then
// given the hashed names).
var loaderFiles = []string{"loader.js", "broker.js", "inspector.js", "fedwasm.d.ts", pageModule, "mf.d.ts"}

// pageModule is the runtime file a page imports by name, as it names
// loader.js, so it keeps its name: Module Federation 2.0's runtime API
// (@module-federation/runtime's functions) on window.fedwasm.
const pageModule = "mf.js"

// packageFiles make Dir the npm package "fedwasm" (npm pack dist/fedwasm):
// source under root → name in Dir.
var packageFiles = map[string]string{
	"loader/package.json": "package.json",
	"loader/README.md":    "README.md",
	"docs/errors.md":      "docs/errors.md",
}

// Build writes Dir under root, or reuses the last build when its inputs are
// unchanged, and prints to log what it did and each runtime file's raw, gzip
// and brotli size.
func Build(root string, log io.Writer) error {
	dist := filepath.Join(root, Dir)
	stamp, err := inputs(root)
	if err != nil {
		return err
	}
	if err := buildstamp.Rebuild(filepath.Join(root, stampFile), stamp, Dir, log, func() ([]string, error) { return build(root, dist, log) }); err != nil {
		return err
	}
	names, err := servedFiles(dist)
	if err != nil {
		return err
	}
	if err := printSizes(log, dist, names); err != nil {
		return err
	}
	if err := printPageModuleSize(log, dist); err != nil {
		return err
	}
	return checkPayload(dist, names)
}

// inputs stamps everything the build reads: the main module's Go files that
// runtime.wasm is compiled from (go list), go.mod and go.sum (the other
// modules), the Go version and its wasm_exec.js, the loader's files and this
// package's source.
func inputs(root string) (buildstamp.Stamp, error) {
	list := exec.Command("go", "list", "-deps", "-f", "{{if .Module}}{{if .Module.Main}}{{$d := .Dir}}{{range .GoFiles}}{{$d}}/{{.}}\n{{end}}{{range .EmbedFiles}}{{$d}}/{{.}}\n{{end}}{{end}}{{end}}", "./wasm", "./internal/runtimebuild")
	list.Dir = root
	list.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	var stderr bytes.Buffer
	list.Stderr = &stderr
	out, err := list.Output()
	if err != nil {
		return buildstamp.Stamp{}, fmt.Errorf("go list ./wasm: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return buildstamp.Stamp{}, err
	}
	files := []string{"go.mod", "go.sum"}
	for _, f := range strings.Fields(string(out)) {
		rel, err := filepath.Rel(absRoot, f)
		if err != nil {
			return buildstamp.Stamp{}, err
		}
		files = append(files, filepath.ToSlash(rel))
	}
	for _, f := range loaderFiles {
		files = append(files, "loader/"+f)
	}
	for f := range packageFiles {
		files = append(files, f)
	}
	goroot, version, err := goEnv()
	if err != nil {
		return buildstamp.Stamp{}, err
	}
	files = append(files, wasmExec(goroot))
	return buildstamp.New(root, files, map[string]string{"go version": version})
}

func goEnv() (goroot, version string, err error) {
	out, err := exec.Command("go", "env", "GOROOT", "GOVERSION").Output()
	if err != nil {
		return "", "", fmt.Errorf("go env GOROOT GOVERSION: %w", err)
	}
	lines := strings.Fields(string(out))
	if len(lines) != 2 {
		return "", "", fmt.Errorf("go env GOROOT GOVERSION printed %q", out)
	}
	return lines[0], lines[1], nil
}

func wasmExec(goroot string) string { return filepath.Join(goroot, "lib", "wasm", "wasm_exec.js") }

// build compiles runtime.wasm and joins its data segments, copies the
// loader's files, gives the files loader.js loads content-hashed names and
// compresses them. It returns the files written.
func build(root, dist string, log io.Writer) ([]string, error) {
	if err := os.MkdirAll(dist, 0o755); err != nil {
		return nil, err
	}
	wasmPath := filepath.Join(dist, "runtime.wasm")
	wasm := exec.Command("go", "build", "-trimpath", "-ldflags="+LinkFlags, "-gcflags="+CompileFlags, "-o", wasmPath, "./wasm")
	wasm.Dir, wasm.Stdout, wasm.Stderr = root, os.Stdout, os.Stderr
	wasm.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if err := wasm.Run(); err != nil {
		return nil, fmt.Errorf("building runtime.wasm: %w", err)
	}
	if err := MergeDataSegmentsOf(wasmPath, log); err != nil {
		return nil, fmt.Errorf("runtime.wasm: %w", err)
	}
	goroot, _, err := goEnv()
	if err != nil {
		return nil, err
	}
	copies := map[string]string{wasmExec(goroot): "wasm_exec.js"}
	for _, f := range loaderFiles {
		copies[filepath.Join(root, "loader", f)] = f
	}
	for from, to := range packageFiles {
		copies[filepath.Join(root, from)] = to
	}
	for from, to := range copies {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dist, to)), 0o755); err != nil {
			return nil, err
		}
		if err := copyFile(from, filepath.Join(dist, to)); err != nil {
			return nil, err
		}
	}
	wasmExecPath := filepath.Join(dist, "wasm_exec.js")
	goWasmExec, err := os.ReadFile(wasmExecPath)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(wasmExecPath, sealWasmExec(goWasmExec), 0o644); err != nil {
		return nil, err
	}
	hashed, err := hashRuntimeFiles(dist)
	if err != nil {
		return nil, err
	}
	served := append([]string{"loader.js", pageModule}, hashed...)
	var outputs []string
	for _, name := range served {
		path := filepath.Join(dist, name)
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		if err := precompress.WriteBeside(path, data); err != nil {
			return nil, err
		}
		outputs = append(outputs, path, path+".br", path+".gz")
	}
	outputs = append(outputs, filepath.Join(dist, "fedwasm.d.ts"), filepath.Join(dist, "mf.d.ts"))
	for _, to := range packageFiles {
		outputs = append(outputs, filepath.Join(dist, to))
	}
	return outputs, nil
}

// runtimeDigestPlaceholder is the string literal in loader/loader.js that the
// build replaces with runtime.wasm's SHA-256 (hex): the loader compiles a copy
// kept in Cache Storage, which any script of the origin can write, only when
// its bytes have that digest.
const runtimeDigestPlaceholder = "SHA-256 of runtime.wasm"

// hashRuntimeFiles renames each of loaderDefaults in dist to a content-hashed
// name (runtime.3f9a1c2b7d.wasm), which the server caches for a year as
// immutable, so a warm page load neither downloads nor revalidates them; and it
// writes those names, and runtime.wasm's SHA-256, into dist/loader.js as its defaults. loader.js keeps its
// name: it is the one URL a page writes down, and is revalidated on each load.
// Earlier builds' hashed files are removed. It returns the hashed names.
func hashRuntimeFiles(dist string) ([]string, error) {
	loaderPath := filepath.Join(dist, "loader.js")
	loader, err := os.ReadFile(loaderPath)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, name := range loaderDefaults {
		data, err := os.ReadFile(filepath.Join(dist, name))
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(data)
		ext := filepath.Ext(name)
		base := strings.TrimSuffix(name, ext)
		hashedName := base + "." + hex.EncodeToString(sum[:5]) + ext
		stale, err := filepath.Glob(filepath.Join(dist, base+".*"+ext+"*"))
		if err != nil {
			return nil, err
		}
		for _, f := range append(stale, filepath.Join(dist, name+".br"), filepath.Join(dist, name+".gz")) {
			if err := os.Remove(f); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return nil, err
			}
		}
		if err := os.Rename(filepath.Join(dist, name), filepath.Join(dist, hashedName)); err != nil {
			return nil, err
		}
		literal := "'" + name + "'"
		if n := bytes.Count(loader, []byte(literal)); n != 1 {
			return nil, fmt.Errorf("loader/loader.js names %s %d times; it must name it once, as its default URL", literal, n)
		}
		loader = bytes.Replace(loader, []byte(literal), []byte("'"+hashedName+"'"), 1)
		if name == "runtime.wasm" {
			placeholder := "'" + runtimeDigestPlaceholder + "'"
			if n := bytes.Count(loader, []byte(placeholder)); n != 1 {
				return nil, fmt.Errorf("loader/loader.js names %s %d times; it must name it once, where the build writes runtime.wasm's SHA-256", placeholder, n)
			}
			loader = bytes.Replace(loader, []byte(placeholder), []byte("'"+hex.EncodeToString(sum[:])+"'"), 1)
		}
		names = append(names, hashedName)
	}
	if loader, err = writeSurface(loader); err != nil {
		return nil, err
	}
	return names, os.WriteFile(loaderPath, loader, 0o644)
}

// surfacePlaceholder is where loader.js takes the API's list of methods
// (federation/surface), for the stand-in it publishes before Go runs.
const surfacePlaceholder = "/* fedwasm:surface */ null"

// writeSurface writes federation/surface's lists, the runtime's version and
// limits.WaitingCalls into loader, in place of surfacePlaceholder, as
// { version, api, scope, waiting }.
func writeSurface(loader []byte) ([]byte, error) {
	if n := bytes.Count(loader, []byte(surfacePlaceholder)); n != 1 {
		return nil, fmt.Errorf("loader/loader.js has %q %d times; it must have it once, where it takes the API's methods", surfacePlaceholder, n)
	}
	list, err := json.Marshal(struct {
		Version string           `json:"version"`
		API     []surface.Method `json:"api"`
		Scope   []surface.Method `json:"scope"`
		Waiting int              `json:"waiting"`
		Takes   int              `json:"takes"`
	}{federation.Version, surface.API, surface.ScopeAPI, limits.WaitingCalls, limits.UseIn})
	if err != nil {
		return nil, err
	}
	return bytes.Replace(loader, []byte(surfacePlaceholder), list, 1), nil
}

// servedFiles are the files pages load from dist: loader.js and the hashed
// ones it names, in loaderDefaults' order.
func servedFiles(dist string) ([]string, error) {
	names := []string{"loader.js"}
	for _, name := range loaderDefaults {
		ext := filepath.Ext(name)
		matches, err := filepath.Glob(filepath.Join(dist, strings.TrimSuffix(name, ext)+".*"+ext))
		if err != nil {
			return nil, err
		}
		if len(matches) != 1 {
			return nil, fmt.Errorf("%s has %d hashed copies of %s, want 1; delete %s and build again", dist, len(matches), name, dist)
		}
		names = append(names, filepath.Base(matches[0]))
	}
	return names, nil
}

// printSizes prints each file's raw size and those of its .gz and .br copies,
// and the total of those a page loads at startup (all but the last, onDemand).
func printSizes(log io.Writer, dir string, names []string) error {
	fmt.Fprintf(log, "%-24s %10s %10s %10s\n", Dir, "raw", "gzip -9", "brotli 11")
	var total [3]int64
	for i, name := range names {
		if i == len(names)-1 {
			fmt.Fprintf(log, "%-24s %10d %10d %10d\n", "total at startup", total[0], total[1], total[2])
		}
		var sizes [3]int64
		for i, suffix := range []string{"", ".gz", ".br"} {
			info, err := os.Stat(filepath.Join(dir, name+suffix))
			if err != nil {
				return err
			}
			sizes[i] = info.Size()
			total[i] += sizes[i]
		}
		fmt.Fprintf(log, "%-24s %10d %10d %10d\n", name, sizes[0], sizes[1], sizes[2])
	}
	fmt.Fprintf(log, "(%s is loaded only when the inspector is opened)\n", names[len(names)-1])
	return nil
}

// printPageModuleSize prints pageModule's raw, gzip and brotli size: only
// pages written for @module-federation/runtime import it.
func printPageModuleSize(log io.Writer, dist string) error {
	var sizes [3]int64
	for i, suffix := range []string{"", ".gz", ".br"} {
		info, err := os.Stat(filepath.Join(dist, pageModule+suffix))
		if err != nil {
			return err
		}
		sizes[i] = info.Size()
	}
	fmt.Fprintf(log, "%-24s %10d %10d %10d\n(%s is imported only by pages written for @module-federation/runtime)\n", pageModule, sizes[0], sizes[1], sizes[2], pageModule)
	return nil
}

// checkPayload fails when the brotli copy of runtime.wasm among the served
// names weighs more than MaxRuntimeWasmBrotli.
func checkPayload(dist string, names []string) error {
	for _, name := range names {
		if !strings.HasPrefix(name, "runtime.") || filepath.Ext(name) != ".wasm" {
			continue
		}
		info, err := os.Stat(filepath.Join(dist, name+".br"))
		if err != nil {
			return err
		}
		if size := info.Size(); size > MaxRuntimeWasmBrotli {
			return fmt.Errorf("%s.br is %d bytes, over the runtime's payload limit of %d bytes (runtimebuild.MaxRuntimeWasmBrotli): "+
				"find what grew it (bench/README.md, \"Payload\", says how each past step was measured) and shrink it back", name, size, MaxRuntimeWasmBrotli)
		}
		return nil
	}
	return fmt.Errorf("%s has no runtime.*.wasm among %v", dist, names)
}

// copyFile copies a file's contents.
func copyFile(from, to string) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, data, 0o644)
}
