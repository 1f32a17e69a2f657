package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/internal/esmbundle"
)

func init() {
	commands = append(commands, command{
		name: "migrate",
		args: "PROJECT",
		purpose: "Write federation.json and ES modules of the shared packages from a webpack or Rspack project.\n\n" +
			"It runs the project's webpack.config.js with node (or reads an MF 2.0 build's\n" +
			"mf-manifest.json or mf-stats.json given as -config), reads each ModuleFederationPlugin's\n" +
			"options (name, remotes incl. name@url, shared incl. singleton, requiredVersion,\n" +
			"strictVersion, eager, shareScope), takes each shared package's version from the project's\n" +
			"node_modules, and writes OUT/federation.json and OUT/vendor/<package>.js (esbuild; CommonJS\n" +
			"packages such as React get named exports; the other shared packages stay bare imports).\n" +
			"It prints what it converted and, for anything it could not, why. A config with several\n" +
			"plugins needs -name.",
		example: "fedwasm migrate -out public ./shell\n  fedwasm migrate -name wp_var -config webpack.config.js -out /tmp/fed fixtures/webpack",
		flags: func(fs *flag.FlagSet) func([]string, io.Writer) error {
			configFile := fs.String("config", "webpack.config.js", "the webpack or Rspack config, or an mf-manifest.json / mf-stats.json, relative to PROJECT")
			name := fs.String("name", "", "the plugin to convert, by its name option, when the config has several")
			out := fs.String("out", "fedwasm", "where to write federation.json and vendor/")
			prefix := fs.String("import-prefix", "/vendor/", "the URL path the vendor modules are served at")
			return func(args []string, stdout io.Writer) error {
				if len(args) != 1 {
					return usageError{"give the project's directory"}
				}
				return migrate(args[0], *configFile, *name, *out, *prefix, stdout)
			}
		},
	})
}

// mfOptions is the part of a ModuleFederationPlugin's options migrate reads.
type mfOptions struct {
	Name       string          `json:"name"`
	Remotes    json.RawMessage `json:"remotes"`
	Shared     json.RawMessage `json:"shared"`
	ShareScope string          `json:"shareScope"`
	RemoteType string          `json:"remoteType"`
}

// readPlugins is node code: it loads the config (a function is called with
// production mode) and prints the options of every plugin whose class is a
// ModuleFederationPlugin (webpack's, Rspack's, @module-federation/enhanced's).
const readPlugins = `
const path = require('node:path');
(async () => {
  let config = require(path.resolve(process.argv[1]));
  if (typeof config === 'function') config = config({}, { mode: 'production' });
  config = await config;
  const found = [];
  for (const c of [].concat(config)) {
    for (const p of (c && c.plugins) || []) {
      const name = p && p.constructor && p.constructor.name;
      if (/ModuleFederationPlugin$/.test(name || '')) found.push(p._options || p.options || {});
    }
  }
  process.stdout.write(JSON.stringify(found));
})().catch((err) => { console.error(err && err.stack || err); process.exit(1); });
`

// migrate converts project's Module Federation host config: its webpack or
// Rspack config, or the mf-manifest.json / mf-stats.json an MF 2.0 build wrote.
func migrate(project, configFile, name, out, prefix string, stdout io.Writer) error {
	var plugins []mfOptions
	var err error
	if strings.HasSuffix(configFile, ".json") {
		plugins, err = manifestOptions(filepath.Join(project, configFile))
	} else {
		plugins, err = pluginOptions(project, configFile)
	}
	if err != nil {
		return err
	}
	opts, err := pickPlugin(plugins, name)
	if err != nil {
		return err
	}
	var report []string
	cfg := config.Config{Name: opts.Name, Shared: map[string]config.ShareEntries{}}
	remotes, notes := convertRemotes(opts)
	cfg.Remotes, report = remotes, append(report, notes...)
	shares, notes, err := convertShared(project, opts)
	if err != nil {
		return err
	}
	report = append(report, notes...)
	vendor := filepath.Join(out, "vendor")
	if err := os.MkdirAll(vendor, 0o755); err != nil {
		return err
	}
	keys := make([]string, 0, len(shares))
	for _, s := range shares {
		keys = append(keys, s.key)
	}
	for _, s := range shares {
		file := strings.NewReplacer("@", "", "/", "-").Replace(s.key) + ".js"
		if err := bundleShare(project, s, keys, filepath.Join(vendor, file)); err != nil {
			report = append(report, fmt.Sprintf("shared %q: not converted: bundling it as an ES module failed (%v)", s.key, err))
			continue
		}
		s.args.Import = prefix + file
		cfg.Shared[s.key] = config.ShareEntries{s.args}
		fmt.Fprintf(stdout, "shared  %-24s %-10s %s (%s)\n", s.key, s.args.Version, s.args.Import, s.kind)
	}
	for _, r := range cfg.Remotes {
		fmt.Fprintf(stdout, "remote  %-24s %-10s %s\n", r.Name, r.Type, r.Entry)
	}
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("the converted config does not validate: %w", err)
	}
	data, err := json.MarshalIndent(cfg, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "federation.json"), append(data, '\n'), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s and %d module(s) in %s\n", filepath.Join(out, "federation.json"), len(cfg.Shared), vendor)
	for _, r := range report {
		fmt.Fprintln(stdout, "not converted:", r)
	}
	return nil
}

// pluginOptions runs node on the project's config and returns every
// ModuleFederationPlugin's options.
func pluginOptions(project, configFile string) ([]mfOptions, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, fmt.Errorf("migrate runs the project's webpack config with node, which is not on PATH: %w", err)
	}
	cmd := exec.Command(node, "-e", readPlugins, configFile)
	cmd.Dir = project
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	data, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("node could not load %s (run npm ci in the project first): %v\n%s", filepath.Join(project, configFile), err, strings.TrimSpace(stderr.String()))
	}
	var plugins []mfOptions
	if err := json.Unmarshal(data, &plugins); err != nil {
		return nil, fmt.Errorf("reading the plugins' options: %w", err)
	}
	return plugins, nil
}

// mfManifest is the part of an MF 2.0 mf-manifest.json or mf-stats.json
// migrate reads: the build's name, what it shares and the remotes it consumes.
type mfManifest struct {
	Name   string `json:"name"`
	Shared []struct {
		Name            string `json:"name"`
		Version         string `json:"version"`
		Singleton       bool   `json:"singleton"`
		RequiredVersion string `json:"requiredVersion"`
		ShareScope      string `json:"shareScope"`
	} `json:"shared"`
	Remotes []struct {
		Alias                   string `json:"alias"`
		FederationContainerName string `json:"federationContainerName"`
		Entry                   string `json:"entry"`
	} `json:"remotes"`
}

// manifestOptions reads an mf-manifest.json or mf-stats.json as the plugin
// options it was built from: shared with the versions the build resolved,
// remotes as federationContainerName@entry under their alias.
func manifestOptions(path string) ([]mfOptions, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var m mfManifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s is not an mf-manifest.json or mf-stats.json: %w", path, err)
	}
	if m.Name == "" || m.Shared == nil {
		return nil, fmt.Errorf("%s is not an mf-manifest.json or mf-stats.json: it has no name or no shared list", path)
	}
	shared := map[string]any{}
	for _, s := range m.Shared {
		o := map[string]any{"version": s.Version, "singleton": s.Singleton}
		if s.RequiredVersion != "" {
			o["requiredVersion"] = s.RequiredVersion
		}
		if s.ShareScope != "" && s.ShareScope != config.DefaultScope {
			o["shareScope"] = s.ShareScope
		}
		shared[s.Name] = o
	}
	remotes := map[string]any{}
	for _, r := range m.Remotes {
		key := r.Alias
		if key == "" {
			key = r.FederationContainerName
		}
		remotes[key] = r.FederationContainerName + "@" + r.Entry
	}
	opts := mfOptions{Name: m.Name}
	if opts.Shared, err = json.Marshal(shared); err == nil {
		opts.Remotes, err = json.Marshal(remotes)
	}
	return []mfOptions{opts}, err
}

func pickPlugin(plugins []mfOptions, name string) (mfOptions, error) {
	var names []string
	for _, p := range plugins {
		if name == "" && len(plugins) == 1 || p.Name == name {
			return p, nil
		}
		names = append(names, p.Name)
	}
	if len(plugins) == 0 {
		return mfOptions{}, fmt.Errorf("the config has no ModuleFederationPlugin")
	}
	return mfOptions{}, usageError{fmt.Sprintf("the config has the plugins [%s]; pick one with -name", strings.Join(names, " "))}
}

// convertRemotes turns webpack's remotes (an object or a list; values
// "name@url", {external, shareScope}, or lists of those) into fedwasm remotes.
func convertRemotes(opts mfOptions) ([]config.Remote, []string) {
	entries := map[string]any{}
	if len(opts.Remotes) > 0 && string(opts.Remotes) != "null" {
		var list []any
		if json.Unmarshal(opts.Remotes, &list) == nil {
			for _, item := range list {
				if s, ok := item.(string); ok {
					entries[strings.SplitN(s, "@", 2)[0]] = s
				}
			}
		} else if err := json.Unmarshal(opts.Remotes, &entries); err != nil {
			return nil, []string{"remotes: " + err.Error()}
		}
	}
	var remotes []config.Remote
	var notes []string
	for _, key := range sortedKeys(entries) {
		value := entries[key]
		scope := ""
		if obj, ok := value.(map[string]any); ok {
			value = obj["external"]
			scope, _ = obj["shareScope"].(string)
		}
		if list, ok := value.([]any); ok && len(list) > 0 {
			value = list[0] // webpack tries the others on failure; fedwasm's retry.domains does that by origin
			if len(list) > 1 {
				notes = append(notes, fmt.Sprintf("remote %q: only the first of its %d alternative URLs was kept; list the other origins in retry.domains", key, len(list)))
			}
		}
		external, _ := value.(string)
		global, url, ok := strings.Cut(external, "@")
		if !ok || strings.HasPrefix(external, "promise ") || !strings.Contains(url, "://") && !strings.HasPrefix(url, "/") {
			notes = append(notes, fmt.Sprintf("remote %q: %q is not name@url (promise and internal remotes run code at build time); register it with fedwasm.registerRemotes", key, external))
			continue
		}
		r := config.Remote{Name: key, Entry: url, Type: "var", EntryGlobalName: global, ShareScope: scope}
		switch {
		case strings.HasSuffix(url, ".json"):
			r.Type, r.EntryGlobalName = "manifest", ""
		case opts.RemoteType == "module" || strings.HasSuffix(url, ".mjs"):
			r.Type, r.EntryGlobalName = "module", ""
		}
		remotes = append(remotes, r)
	}
	return remotes, notes
}

// sharedPackage is one shared package to provide: its key ("react-dom/client"), the
// config entry, and what kind of module it is.
type sharedPackage struct {
	key  string
	args config.ShareArgs
	kind string // "ES module" or "CommonJS"
}

// convertShared reads webpack's shared option (a list of names, or an object
// of names to a range or options) and the versions installed in project.
func convertShared(project string, opts mfOptions) ([]sharedPackage, []string, error) {
	items := map[string]any{}
	if len(opts.Shared) > 0 && string(opts.Shared) != "null" {
		var list []any
		if json.Unmarshal(opts.Shared, &list) == nil {
			for _, item := range list {
				switch v := item.(type) {
				case string:
					items[v] = map[string]any{}
				case map[string]any:
					for k, o := range v {
						items[k] = o
					}
				}
			}
		} else if err := json.Unmarshal(opts.Shared, &items); err != nil {
			return nil, nil, fmt.Errorf("shared: %w", err)
		}
	}
	deps := projectDependencies(project)
	var shares []sharedPackage
	var notes []string
	for _, key := range sortedKeys(items) {
		o, _ := items[key].(map[string]any)
		if r, ok := items[key].(string); ok {
			o = map[string]any{"requiredVersion": r}
		}
		if imp, ok := o["import"].(bool); ok && !imp {
			notes = append(notes, fmt.Sprintf("shared %q: import: false (this host provides no copy); provide it from another host, or it stays SHARE_NOT_FOUND", key))
			continue
		}
		pkg := packageOf(key)
		if p, ok := o["packageName"].(string); ok && p != "" {
			pkg = p
		}
		version, _ := o["version"].(string)
		if version == "" {
			installed, err := installedVersion(project, pkg)
			if err != nil {
				notes = append(notes, fmt.Sprintf("shared %q: no version: %v; run npm ci in the project", key, err))
				continue
			}
			version = installed
		}
		args := config.ShareArgs{Version: version, Scope: opts.ShareScope}
		if s, ok := o["shareScope"].(string); ok && s != "" {
			args.Scope = s
		}
		args.ShareConfig.Singleton, _ = o["singleton"].(bool)
		args.ShareConfig.StrictVersion, _ = o["strictVersion"].(bool)
		args.ShareConfig.Eager, _ = o["eager"].(bool)
		switch rv := o["requiredVersion"].(type) {
		case string:
			args.ShareConfig.RequiredVersion.Range = rv
		case bool:
			args.ShareConfig.RequiredVersion.Disabled = !rv
		default:
			args.ShareConfig.RequiredVersion.Range = deps[pkg] // webpack's default: the project's own dependency range
		}
		shares = append(shares, sharedPackage{key: key, args: args, kind: moduleKind(project, pkg)})
	}
	return shares, notes, nil
}

// packageOf is the npm package a share key names: "react-dom/client" →
// "react-dom", "@scope/pkg/sub" → "@scope/pkg".
func packageOf(key string) string {
	parts := strings.Split(key, "/")
	if strings.HasPrefix(key, "@") && len(parts) > 1 {
		return parts[0] + "/" + parts[1]
	}
	return parts[0]
}

// packageJSON is the part of a package.json migrate reads.
type packageJSON struct {
	Version         string            `json:"version"`
	Type            string            `json:"type"`
	Module          string            `json:"module"`
	Exports         json.RawMessage   `json:"exports"`
	Dependencies    map[string]string `json:"dependencies"`
	DevDependencies map[string]string `json:"devDependencies"`
}

func readPackageJSON(path string) (packageJSON, error) {
	var p packageJSON
	data, err := os.ReadFile(path)
	if err == nil {
		err = json.Unmarshal(data, &p)
	}
	return p, err
}

func installedVersion(project, pkg string) (string, error) {
	p, err := readPackageJSON(filepath.Join(project, "node_modules", pkg, "package.json"))
	if err != nil {
		return "", err
	}
	return p.Version, nil
}

// projectDependencies are the project's dependency ranges by package.
func projectDependencies(project string) map[string]string {
	p, _ := readPackageJSON(filepath.Join(project, "package.json"))
	deps := map[string]string{}
	for k, v := range p.DevDependencies {
		deps[k] = v
	}
	for k, v := range p.Dependencies {
		deps[k] = v
	}
	return deps
}

// moduleKind says whether pkg ships ES modules (type: module, a module field,
// or an "import" condition in its exports) or only CommonJS.
func moduleKind(project, pkg string) string {
	p, err := readPackageJSON(filepath.Join(project, "node_modules", pkg, "package.json"))
	if err == nil && (p.Type == "module" || p.Module != "" || bytes.Contains(p.Exports, []byte(`"import"`))) {
		return "ES module"
	}
	return "CommonJS"
}

// bundleShare writes s as one ES module at file; the other shared keys stay
// bare imports, resolved by the page's import map.
func bundleShare(project string, s sharedPackage, keys []string, file string) error {
	source := fmt.Sprintf("export * from %q;\n", s.key)
	if s.kind == "CommonJS" {
		var err error
		if source, err = esmbundle.CJSEntry(project, s.key); err != nil {
			return err
		}
	}
	var external []string
	for _, k := range keys {
		if k != s.key {
			external = append(external, k)
		}
	}
	return esmbundle.Build("shared "+s.key, api.BuildOptions{
		Stdin:             &api.StdinOptions{Contents: source, ResolveDir: project, Sourcefile: filepath.Base(file)},
		Plugins:           esmbundle.Externals(external, nil),
		MinifyIdentifiers: true,
		MinifySyntax:      true,
		Outfile:           file,
	})
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
