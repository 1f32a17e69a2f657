//go:build e2e

package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fedwasm/fedwasm/server"
)

// TestNpmPackageBootsAPage packs dist/fedwasm as npm would publish it,
// installs the tarball into a scratch app and boots a page that loads the
// runtime from the app's node_modules only: fedwasm.version is the VERSION
// file's, and the inspector opens from the package too.
func TestNpmPackageBootsAPage(t *testing.T) {
	npm, err := exec.LookPath("npm")
	if err != nil {
		t.Fatalf("npm is not on PATH: %v", err)
	}
	version, err := os.ReadFile(filepath.Join(root, "VERSION"))
	if err != nil {
		t.Fatal(err)
	}
	want := strings.TrimSpace(string(version))
	work := t.TempDir()
	dist, err := filepath.Abs(filepath.Join(root, "dist", "fedwasm"))
	if err != nil {
		t.Fatal(err)
	}
	run := func(dir string, args ...string) string {
		t.Helper()
		cmd := exec.Command(npm, args...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("npm %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	tarball := strings.TrimSpace(run(work, "pack", dist, "--pack-destination", work, "--silent"))
	if tarball != "fedwasm-"+want+".tgz" {
		t.Fatalf("npm pack wrote %q, want fedwasm-%s.tgz", tarball, want)
	}
	app := filepath.Join(work, "app")
	if err := os.MkdirAll(app, 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"package.json": `{ "name": "scratch-host", "private": true }`,
		"index.html":   `<!doctype html><title>scratch host</title><link rel="icon" href="data:,"><script src="/node_modules/fedwasm/loader.js"></script>`,
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(app, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run(app, "install", "--no-audit", "--no-fund", "--offline", filepath.Join(work, tarball))

	url, serve := listenOrigin(t)
	serve(server.Files(os.DirFS(app), server.Policy{}))
	b, ctx := openRuntimePage(t, url+"/index.html")
	got := eval[string](t, ctx, `(async () => {
		await fedwasm.init({ name: 'scratch-host' });
		await fedwasm.inspector.open();
		const loaded = performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname)
			.filter((p) => !p.startsWith('/node_modules/fedwasm/'));
		return JSON.stringify([fedwasm.version, fedwasm.inspect().ready, !!document.querySelector('#fedwasm-inspector-host'), loaded]) })()`)
	if wantJSON := `["` + want + `",true,true,[]]`; got != wantJSON {
		t.Errorf("[version, ready, inspector shown, files from outside the package] = %s, want %s", got, wantJSON)
	}
	noProblems(t, b)
}
