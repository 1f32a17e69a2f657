package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fedwasm/fedwasm/federation/config"
)

// fixtureModules is the webpack fixtures' node_modules: webpack, the MF
// plugins and the packages they share, installed from their lock file.
func fixtureModules(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs("../../fixtures/webpack/node_modules")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "webpack", "package.json")); err != nil {
		const fix = "the migrate tests run real webpack configs: npm ci in fixtures/webpack enables them (./build.sh test does)"
		if os.Getenv("FEDWASM_REQUIRE_NPM") != "" {
			t.Fatalf("%v; %s", err, fix)
		}
		t.Skipf("%v; %s", err, fix)
	}
	return dir
}

// migrated runs fedwasm migrate and returns its output and the config it wrote.
func migrated(t *testing.T, args ...string) (string, config.Config, string) {
	t.Helper()
	out := t.TempDir()
	status, stdout, stderr := fedwasm(append([]string{"migrate", "-out", out}, args...)...)
	if status != 0 {
		t.Fatalf("fedwasm migrate %v: exit %d\n%s%s", args, status, stdout, stderr)
	}
	data, err := os.ReadFile(filepath.Join(out, "federation.json"))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse(data)
	if err != nil {
		t.Fatalf("federation.json does not parse: %v\n%s", err, data)
	}
	return stdout, cfg, out
}

// checkFixtureSingletons checks the fixtures' four singletons in a migrated
// config: each once, with the installed version, requiredVersion ^version and
// singleton, and its ES module written under out.
func checkFixtureSingletons(t *testing.T, cfg config.Config, out, modules, stdout string) {
	t.Helper()
	for _, pkg := range []string{"react", "react-dom", "react-dom/client", "zustand"} {
		entries := cfg.Shared[pkg]
		if len(entries) != 1 {
			t.Fatalf("shared %s: %v\n%s", pkg, entries, stdout)
		}
		e := entries[0]
		if want := installed(t, modules, packageOf(pkg)); e.Version != want || e.ShareConfig.RequiredVersion.Range != "^"+want || !e.ShareConfig.Singleton {
			t.Errorf("shared %s = %+v, want version %s, requiredVersion ^%s, singleton", pkg, e, want, want)
		}
		if _, err := os.Stat(filepath.Join(out, strings.TrimPrefix(e.Import, "/"))); err != nil {
			t.Errorf("shared %s: its import %s was not written: %v", pkg, e.Import, err)
		}
	}
}

func installed(t *testing.T, modules, pkg string) string {
	t.Helper()
	v, err := installedVersion(filepath.Dir(modules), pkg)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestMigrateWebpackFixture converts the fixtures' webpack 5 var container:
// its four singletons with the installed versions and ES modules of them
// (React's CommonJS given named exports, the other shared packages bare
// imports), and fedwasm check accepts the result.
func TestMigrateWebpackFixture(t *testing.T) {
	modules := fixtureModules(t)
	stdout, cfg, out := migrated(t, "-name", "wp_var", "../../fixtures/webpack")
	if cfg.Name != "wp_var" {
		t.Errorf("name = %q", cfg.Name)
	}
	checkFixtureSingletons(t, cfg, out, modules, stdout)
	react, _ := os.ReadFile(filepath.Join(out, "vendor", "react.js"))
	client, _ := os.ReadFile(filepath.Join(out, "vendor", "react-dom-client.js"))
	if !strings.Contains(string(react), "useState") || !strings.Contains(string(client), `from"react"`) && !strings.Contains(string(client), `from "react"`) {
		t.Errorf("react.js should export useState by name, and react-dom-client.js import the shared react bare")
	}
	if status, table, errOut := fedwasm("check", filepath.Join(out, "federation.json")); status != 0 || !strings.Contains(table, "react-dom/client") {
		t.Errorf("fedwasm check of the migrated config: exit %d\n%s%s", status, table, errOut)
	}
}

// TestMigrateRealWorldConfig: several remotes (name@url, a manifest, a
// remote with fallback URLs, a promise remote it cannot convert), a scoped
// package in a share scope other than default, an eager strict singleton, a
// requiredVersion from package.json, and a share the host does not provide.
func TestMigrateRealWorldConfig(t *testing.T) {
	modules := fixtureModules(t)
	project := t.TempDir()
	if err := os.Symlink(modules, filepath.Join(project, "node_modules")); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"package.json": `{ "name": "shell", "private": true, "dependencies": { "react": "^19.1.0", "react-dom": "^19.1.0" } }`,
		"rspack.config.js": `const { container } = require('webpack');
module.exports = (env, argv) => ({
  mode: argv.mode,
  plugins: [new container.ModuleFederationPlugin({
    name: 'shell',
    remotes: {
      checkout: 'checkout@https://checkout.example.com/remoteEntry.js',
      cart: 'cart@https://cart.example.com/mf-manifest.json',
      legacy: ['legacy@https://a.example.com/remoteEntry.js', 'legacy@https://b.example.com/remoteEntry.js'],
      dynamic: 'promise new Promise((resolve) => resolve(window.dynamic))',
    },
    shared: {
      react: { singleton: true, requiredVersion: '^19.0.0', strictVersion: true, eager: true },
      'react-dom/client': { singleton: true },
      '@module-federation/error-codes': { shareScope: 'mf' },
      zustand: { import: false, singleton: true },
    },
  })],
});
`,
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(project, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	stdout, cfg, _ := migrated(t, "-config", "rspack.config.js", project)

	remotes := map[string]config.Remote{}
	for _, r := range cfg.Remotes {
		remotes[r.Name] = r
	}
	wantRemotes := map[string]config.Remote{
		"checkout": {Name: "checkout", Entry: "https://checkout.example.com/remoteEntry.js", Type: "var", EntryGlobalName: "checkout", ShareScope: "default"},
		"cart":     {Name: "cart", Entry: "https://cart.example.com/mf-manifest.json", Type: "manifest", EntryGlobalName: "cart", ShareScope: "default"},
		"legacy":   {Name: "legacy", Entry: "https://a.example.com/remoteEntry.js", Type: "var", EntryGlobalName: "legacy", ShareScope: "default"},
	}
	for name, want := range wantRemotes {
		if got := remotes[name]; got != want {
			t.Errorf("remote %s = %+v, want %+v", name, got, want)
		}
	}
	if _, ok := remotes["dynamic"]; ok || !strings.Contains(stdout, `not converted: remote "dynamic"`) {
		t.Errorf("the promise remote should be reported, not converted:\n%s", stdout)
	}
	if !strings.Contains(stdout, `not converted: remote "legacy": only the first of its 2 alternative URLs was kept`) {
		t.Errorf("the dropped fallback URL should be reported:\n%s", stdout)
	}

	react := cfg.Shared["react"][0]
	if sc := react.ShareConfig; !sc.Singleton || !sc.StrictVersion || !sc.Eager || sc.RequiredVersion.Range != "^19.0.0" {
		t.Errorf("react's shareConfig = %+v, want an eager strict singleton ^19.0.0", sc)
	}
	if client := cfg.Shared["react-dom/client"][0]; client.ShareConfig.RequiredVersion.Range != "^19.1.0" || client.Version != installed(t, modules, "react-dom") {
		t.Errorf("react-dom/client = %+v, want requiredVersion ^19.1.0 from package.json and react-dom's installed version", client)
	}
	codes := cfg.Shared["@module-federation/error-codes"]
	if len(codes) != 1 || codes[0].Scope != "mf" || codes[0].Version != installed(t, modules, "@module-federation/error-codes") || codes[0].Import != "/vendor/module-federation-error-codes.js" {
		t.Errorf("the scoped package = %+v, want scope mf, its installed version and /vendor/module-federation-error-codes.js", codes)
	}
	if _, ok := cfg.Shared["zustand"]; ok || !strings.Contains(stdout, `not converted: shared "zustand": import: false`) {
		t.Errorf("zustand (import: false) should be reported, not provided:\n%s", stdout)
	}
}

func TestMigrateUsage(t *testing.T) {
	if status, _, errOut := fedwasm("migrate"); status != 2 || !strings.Contains(errOut, "give the project's directory") {
		t.Errorf("migrate without a project: exit %d, %s", status, errOut)
	}
}

// TestMigrateMFManifest converts an MF 2.0 build's mf-manifest.json (the
// fixtures' @module-federation/enhanced remote, as its build wrote it):
// the shared packages with the versions and rules the build resolved, and
// the remotes it consumes as name@entry.
func TestMigrateMFManifest(t *testing.T) {
	modules := fixtureModules(t)
	project := t.TempDir()
	if err := os.Symlink(modules, filepath.Join(project, "node_modules")); err != nil {
		t.Fatal(err)
	}
	manifest, err := os.ReadFile("testdata/mf-enhanced-manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	// The fixture consumes no remote; a host's manifest lists them like this.
	withRemotes := strings.Replace(string(manifest), `"remotes": []`,
		`"remotes": [{"alias": "cart", "federationContainerName": "cart_app", "moduleName": "Cart", "entry": "https://cart.example/mf-manifest.json"}]`, 1)
	if withRemotes == string(manifest) {
		t.Fatal(`the fixture's manifest has no "remotes": [] to fill`)
	}
	if err := os.WriteFile(filepath.Join(project, "mf-manifest.json"), []byte(withRemotes), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, cfg, out := migrated(t, "-config", "mf-manifest.json", project)
	if cfg.Name != "mf_enhanced" {
		t.Errorf("name = %q", cfg.Name)
	}
	checkFixtureSingletons(t, cfg, out, modules, stdout)
	if r := cfg.Remotes; len(r) != 1 || r[0].Name != "cart" || r[0].Entry != "https://cart.example/mf-manifest.json" || r[0].Type != "manifest" {
		t.Errorf("remotes = %+v, want cart's manifest", cfg.Remotes)
	}
	if status, _, errOut := fedwasm("migrate", "-config", "federation.json", "-out", t.TempDir(), "testdata"); status == 0 || !strings.Contains(errOut, "is not an mf-manifest.json or mf-stats.json") {
		t.Errorf("a JSON file that is no manifest: exit %d, %s", status, errOut)
	}
}
