// Command fedwasm-build is the demo's build step: the runtime (as `fedwasm
// build` writes it, see internal/runtimebuild), then the demo's shared vendor
// modules and React remotes:
//
//	dist/vendor/<package>.js, dist/vendor/versions.json
//	dist/demo-remote/<remote>.js (from demo-remote/*.jsx)
//
// Vendor modules are bundled from node_modules (installed from the lock file)
// with esbuild. Each part is rebuilt only when one of its inputs changed, and
// says which.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/fedwasm/fedwasm/internal/buildstamp"
	"github.com/fedwasm/fedwasm/internal/esmbundle"
	"github.com/fedwasm/fedwasm/internal/runtimebuild"
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
	flag.Usage = func() {
		fmt.Fprint(flag.CommandLine.Output(), "usage: fedwasm-build [-root DIR]\n\n"+
			"The demo's build step: the runtime (as fedwasm build writes it), then the demo's shared\n"+
			"vendor modules (dist/vendor) and React remotes (dist/demo-remote) from node_modules.\n"+
			"Each part is rebuilt only when one of its inputs changed.\n\nexample:\n  go run ./cmd/fedwasm-build -root .\n\nflags:\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "fedwasm-build: unexpected arguments: %v\n", flag.Args())
		flag.Usage()
		os.Exit(2)
	}
	if err := build(*root); err != nil {
		fmt.Fprintln(os.Stderr, "fedwasm-build:", err)
		os.Exit(1)
	}
}

// demoStamp records the inputs of the last demo bundling; see buildstamp.
const demoStamp = "dist/.stamps/demo.json"

func build(root string) error {
	if err := runtimebuild.Build(root, os.Stdout); err != nil {
		return err
	}
	files := []string{"package-lock.json", "cmd/fedwasm-build/main.go", "internal/esmbundle/esmbundle.go"}
	sources, err := filepath.Glob(filepath.Join(root, "demo-remote", "*"))
	if err != nil {
		return err
	}
	for _, f := range sources {
		rel, err := filepath.Rel(root, f)
		if err != nil {
			return err
		}
		files = append(files, filepath.ToSlash(rel))
	}
	stamp, err := buildstamp.New(root, files, nil)
	if err != nil {
		return err
	}
	return buildstamp.Rebuild(filepath.Join(root, demoStamp), stamp, "dist/vendor and dist/demo-remote", os.Stdout, func() ([]string, error) {
		vendor, err := bundleVendor(root)
		if err != nil {
			return nil, err
		}
		remotes, err := bundleDemoRemotes(root)
		return append(vendor, remotes...), err
	})
}

// bundleVendor bundles each of vendorModules into dist/vendor and records
// their versions in versions.json. It returns the files written.
func bundleVendor(root string) ([]string, error) {
	out := filepath.Join(root, "dist", "vendor")
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, err
	}
	var written []string
	versions := map[string]string{}
	for _, m := range vendorModules {
		manifest, err := os.ReadFile(filepath.Join(root, "node_modules", m.pkg, "package.json"))
		if err != nil {
			return nil, fmt.Errorf("vendor %s: %w; run npm ci (./build.sh does)", m.pkg, err)
		}
		var meta struct{ Version string }
		if err := json.Unmarshal(manifest, &meta); err != nil {
			return nil, fmt.Errorf("vendor %s: package.json: %w", m.pkg, err)
		}
		versions[m.pkg] = meta.Version
		source := fmt.Sprintf("export * from %q;\n", m.entry)
		if m.cjs {
			if source, err = esmbundle.CJSEntry(root, m.entry); err != nil {
				return nil, fmt.Errorf("vendor %s: %w", m.entry, err)
			}
		}
		err = esmbundle.Build("vendor "+m.pkg, api.BuildOptions{
			Stdin:             &api.StdinOptions{Contents: source, ResolveDir: root, Sourcefile: m.output},
			Plugins:           esmbundle.Externals(m.external, m.aliases),
			MinifyIdentifiers: true,
			MinifySyntax:      true,
			Outfile:           filepath.Join(out, m.output),
		})
		if err != nil {
			return nil, err
		}
		written = append(written, filepath.Join(out, m.output))
	}
	data, err := json.MarshalIndent(versions, "", "  ")
	if err != nil {
		return nil, err
	}
	versionsFile := filepath.Join(out, "versions.json")
	return append(written, versionsFile), os.WriteFile(versionsFile, data, 0o644)
}

// bundleDemoRemotes bundles each demo remote's JSX (and the files it imports
// from demo-remote/) to one ES module under dist/demo-remote/. The shared
// packages stay bare imports: every remote runs on the host's singletons.
// It returns the files written.
func bundleDemoRemotes(root string) ([]string, error) {
	out := filepath.Join(root, "dist", "demo-remote")
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, err
	}
	var entries, written []string
	for _, name := range demoRemotes {
		entries = append(entries, filepath.Join(root, "demo-remote", name+".jsx"))
		written = append(written, filepath.Join(out, name+".js"))
	}
	return written, esmbundle.Build("demo remotes", api.BuildOptions{
		EntryPoints: entries,
		External:    demoRemoteExternals,
		JSX:         api.JSXTransform,
		JSXFactory:  "React.createElement",
		JSXFragment: "React.Fragment",
		Outdir:      out,
	})
}
