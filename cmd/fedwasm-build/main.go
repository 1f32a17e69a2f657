// Command fedwasm-build writes the distributable runtime and the demo's shared
// vendor modules:
//
//	dist/fedwasm/{loader.js, runtime.<hash>.wasm, wasm_exec.<hash>.js, broker.<hash>.js, fedwasm.d.ts}
//	dist/vendor/<package>.js, dist/vendor/versions.json
//	dist/demo-remote/<remote>.js (the demo's React remotes, from demo-remote/*.jsx)
//
// and prints the raw, gzip and brotli size of each runtime file. Vendor modules
// are bundled from node_modules (installed from the lock file) with esbuild.
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/fedwasm/fedwasm/internal/precompress"
)

// vendorModule is one npm package the demo shares, bundled to one ES module.
type vendorModule struct {
	pkg    string // npm package whose version is recorded
	entry  string // module specifier to re-export
	output string // file name under dist/vendor
	// cjs marks a CommonJS entry: esbuild's `export *` gives it no named
	// exports, so the generated entry exports the module object as default
	// and each of its keys by name (the keys are read with node).
	cjs bool
	// external specifiers stay bare imports, resolved by the page's import map
	// (or the share scope), so every vendor bundle uses one copy of them.
	external []string
	// aliases rewrite an import to another bare specifier, left external:
	// zustand/react's import of zustand/vanilla becomes the shared 'zustand'.
	aliases map[string]string
}

var vendorModules = []vendorModule{
	{pkg: "zustand", entry: "zustand/vanilla", output: "zustand.js"},
	{pkg: "@tanstack/query-core", entry: "@tanstack/query-core", output: "query-core.js"},
	// React 19 is CommonJS; react-dom and react-dom/client import the one react
	// (and the client the one react-dom) through the import map.
	{pkg: "react", entry: "react", output: "react.js", cjs: true},
	{pkg: "react-dom", entry: "react-dom", output: "react-dom.js", cjs: true, external: []string{"react"}},
	{pkg: "react-dom", entry: "react-dom/client", output: "react-dom-client.js", cjs: true, external: []string{"react", "react-dom"}},
	// zustand's React binding (useStore) and TanStack Query's React binding,
	// on the shared react, zustand and query-core. (react/jsx-runtime, which
	// react-query uses, holds no state and is bundled in.)
	{pkg: "zustand", entry: "zustand/react", output: "zustand-react.js", external: []string{"react"}, aliases: map[string]string{"zustand/vanilla": "zustand"}},
	{pkg: "@tanstack/react-query", entry: "@tanstack/react-query", output: "react-query.js", external: []string{"react", "@tanstack/query-core"}},
}

// demoRemoteExternals are what the demo's React remotes import and never
// bundle: the shared singletons, resolved by the host's import map.
var demoRemoteExternals = []string{"react", "react-dom", "react-dom/client", "zustand", "zustand/react", "@tanstack/query-core", "@tanstack/react-query"}

// demoRemotes are the demo's React remotes: demo-remote/<name>.jsx is
// bundled to dist/demo-remote/<name>.js.
var demoRemotes = []string{"cart", "products"}

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
	hashed, err := hashRuntimeFiles(dist)
	if err != nil {
		return err
	}
	if err := bundleVendor(root); err != nil {
		return err
	}
	if err := bundleDemoRemotes(root); err != nil {
		return err
	}
	runtimeFiles := append([]string{"loader.js"}, hashed...)
	if err := compressBeside(dist, runtimeFiles); err != nil {
		return err
	}
	return printSizes(dist, runtimeFiles)
}

// loaderDefaults are the files loader.js loads by default, each named in its
// source by one string literal ('runtime.wasm').
var loaderDefaults = []string{"broker.js", "wasm_exec.js", "runtime.wasm"}

// hashRuntimeFiles renames each of loaderDefaults in dist to a content-hashed
// name (runtime.3f9a1c2b7d.wasm), which the server caches for a year as
// immutable, so a warm page load neither downloads nor revalidates them; and it
// writes those names into dist/loader.js as its defaults. loader.js keeps its
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
		names = append(names, hashedName)
	}
	return names, os.WriteFile(loaderPath, loader, 0o644)
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
		source := fmt.Sprintf("export * from %q;\n", m.entry)
		if m.cjs {
			if source, err = cjsEntry(root, m.entry); err != nil {
				return fmt.Errorf("vendor %s: %w", m.entry, err)
			}
		}
		err = esbuild("vendor "+m.pkg, api.BuildOptions{
			Stdin:             &api.StdinOptions{Contents: source, ResolveDir: root, Sourcefile: m.output},
			Plugins:           externals(m.external, m.aliases),
			MinifyIdentifiers: true,
			MinifySyntax:      true,
			Outfile:           filepath.Join(out, m.output),
		})
		if err != nil {
			return err
		}
	}
	data, err := json.MarshalIndent(versions, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(out, "versions.json"), data, 0o644)
}

// bundleDemoRemotes bundles each demo remote's JSX (and the files it imports
// from demo-remote/) to one ES module under dist/demo-remote/. The shared
// packages stay bare imports: every remote runs on the host's singletons.
func bundleDemoRemotes(root string) error {
	out := filepath.Join(root, "dist", "demo-remote")
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	var entries []string
	for _, name := range demoRemotes {
		entries = append(entries, filepath.Join(root, "demo-remote", name+".jsx"))
	}
	return esbuild("demo remotes", api.BuildOptions{
		EntryPoints: entries,
		External:    demoRemoteExternals,
		JSX:         api.JSXTransform,
		JSXFactory:  "React.createElement",
		JSXFragment: "React.Fragment",
		Outdir:      out,
	})
}

// esbuild bundles opts as production ES modules for browsers, whitespace
// minified, and writes them; an error is the first esbuild reports, with
// where it is, after what.
func esbuild(what string, opts api.BuildOptions) error {
	opts.Define = map[string]string{"process.env.NODE_ENV": `"production"`}
	opts.Bundle, opts.Format, opts.Platform, opts.Target = true, api.FormatESModule, api.PlatformBrowser, api.ES2020
	opts.MinifyWhitespace, opts.Write, opts.LogLevel = true, true, api.LogLevelWarning
	result := api.Build(opts)
	if len(result.Errors) == 0 {
		return nil
	}
	e := result.Errors[0]
	where := ""
	if e.Location != nil {
		where = fmt.Sprintf("%s:%d: ", e.Location.File, e.Location.Line)
	}
	return fmt.Errorf("%s: esbuild: %s%s", what, where, e.Text)
}

// identifier matches the export names an ES module can declare with const.
var identifier = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]*$`)

// cjsEntry generates an ES module entry for the CommonJS module spec: the
// module object as default export plus each of its keys as a named export,
// so both `import React from 'react'` and `import { useState } from 'react'`
// work. The keys are those of the production build, read with node.
func cjsEntry(root, spec string) (string, error) {
	cmd := exec.Command("node", "-e", "process.stdout.write(JSON.stringify(Object.keys(require(process.argv[1]))))", spec)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "NODE_ENV=production")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("reading the exports of %s with node: %w: %s", spec, err, strings.TrimSpace(stderr.String()))
	}
	var keys []string
	if err := json.Unmarshal(out, &keys); err != nil {
		return "", fmt.Errorf("reading the exports of %s with node: %w", spec, err)
	}
	var names []string
	for _, k := range keys {
		if identifier.MatchString(k) && k != "default" && k != "__esModule" {
			names = append(names, k)
		}
	}
	if len(names) == 0 {
		return "", fmt.Errorf("%s has no named exports", spec)
	}
	return fmt.Sprintf("import m from %q;\nexport default m;\nexport const { %s } = m;\n", spec, strings.Join(names, ", ")), nil
}

// externals keeps the given specifiers out of the bundle. An ES import of one
// stays a bare import; a CommonJS require() of one (which esbuild cannot turn
// into an import by itself) goes through a small shim module that re-exports
// the bare import, so the required object has the same members.
func externals(specs []string, aliases map[string]string) []api.Plugin {
	if len(specs) == 0 && len(aliases) == 0 {
		return nil
	}
	filter := "^("
	for i, s := range specs {
		if i > 0 {
			filter += "|"
		}
		filter += regexp.QuoteMeta(s)
	}
	filter += ")$"
	const ns = "fedwasm-external"
	return []api.Plugin{{
		Name: "fedwasm-externals",
		Setup: func(b api.PluginBuild) {
			for from, to := range aliases {
				b.OnResolve(api.OnResolveOptions{Filter: "^" + regexp.QuoteMeta(from) + "$"}, func(api.OnResolveArgs) (api.OnResolveResult, error) {
					return api.OnResolveResult{Path: to, External: true}, nil
				})
			}
			if len(specs) == 0 {
				return
			}
			b.OnResolve(api.OnResolveOptions{Filter: filter}, func(args api.OnResolveArgs) (api.OnResolveResult, error) {
				if args.Kind == api.ResolveJSRequireCall {
					return api.OnResolveResult{Path: args.Path, Namespace: ns}, nil
				}
				return api.OnResolveResult{Path: args.Path, External: true}, nil
			})
			b.OnLoad(api.OnLoadOptions{Filter: ".*", Namespace: ns}, func(args api.OnLoadArgs) (api.OnLoadResult, error) {
				contents := fmt.Sprintf("export * from %q;\n", args.Path)
				return api.OnLoadResult{Contents: &contents, Loader: api.LoaderJS}, nil
			})
		},
	}}
}

// compressBeside writes name.br and name.gz beside each file, which the server
// sends to clients that accept them.
func compressBeside(dir string, names []string) error {
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		if err := precompress.WriteBeside(filepath.Join(dir, name), data); err != nil {
			return err
		}
	}
	return nil
}

// printSizes prints each file's raw size and those of its .gz and .br copies
// (compressBeside wrote them).
func printSizes(dir string, names []string) error {
	fmt.Printf("%-24s %10s %10s %10s\n", "dist/fedwasm", "raw", "gzip -9", "brotli 11")
	var total [3]int64
	for _, name := range names {
		var sizes [3]int64
		for i, suffix := range []string{"", ".gz", ".br"} {
			info, err := os.Stat(filepath.Join(dir, name+suffix))
			if err != nil {
				return err
			}
			sizes[i] = info.Size()
			total[i] += sizes[i]
		}
		fmt.Printf("%-24s %10d %10d %10d\n", name, sizes[0], sizes[1], sizes[2])
	}
	fmt.Printf("%-24s %10d %10d %10d\n", "total", total[0], total[1], total[2])
	return nil
}

func copyFile(from, to string) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, data, 0o644)
}
