package runtimebuild

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fedwasm/fedwasm/federation"
)

// TestInputsCoverWhatTheWasmIsBuiltFrom: a change to any of these must
// rebuild the runtime, so each must be stamped.
func TestInputsCoverWhatTheWasmIsBuiltFrom(t *testing.T) {
	stamp, err := inputs("../..")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"go.mod", "go.sum", "go version", "wasm/main.go", "jsbridge/shares.go", "federation/share/share.go", "loader/loader.js", "loader/broker.js", "loader/inspector.js", "loader/fedwasm.d.ts", "loader/mf.js", "loader/mf.d.ts", "internal/runtimebuild/runtimebuild.go"} {
		if _, ok := stamp.Inputs[want]; !ok {
			t.Errorf("the runtime's inputs lack %s", want)
		}
	}
	for name := range stamp.Inputs {
		if strings.HasSuffix(name, "_test.go") {
			t.Errorf("the runtime's inputs include the test file %s", name)
		}
	}
}

// TestOneVersion: the VERSION file, the runtime's fedwasm.version (and so
// `fedwasm version`), the npm package and the CHANGELOG's newest entry agree.
func TestOneVersion(t *testing.T) {
	read := func(name string) string {
		t.Helper()
		data, err := os.ReadFile(filepath.Join("../..", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	version := strings.TrimSpace(read("VERSION"))
	if federation.Version != version {
		t.Errorf("federation.Version = %q, VERSION = %q", federation.Version, version)
	}
	var pkg struct{ Version string }
	if err := json.Unmarshal([]byte(read("loader/package.json")), &pkg); err != nil {
		t.Fatal(err)
	}
	if pkg.Version != version {
		t.Errorf("loader/package.json version = %q, VERSION = %q", pkg.Version, version)
	}
	if !strings.Contains(read("CHANGELOG.md"), "\n## "+version+" ") {
		t.Errorf("CHANGELOG.md has no entry \"## %s ...\"", version)
	}
}

// TestCheckPayloadFailsOverTheLimit: a runtime.wasm whose brotli copy is one
// byte over MaxRuntimeWasmBrotli fails the build; one at the limit passes.
func TestCheckPayloadFailsOverTheLimit(t *testing.T) {
	for _, c := range []struct {
		size    int
		wantErr bool
	}{{MaxRuntimeWasmBrotli, false}, {MaxRuntimeWasmBrotli + 1, true}} {
		dist := t.TempDir()
		names := []string{"loader.js", "runtime.0123456789.wasm"}
		for _, name := range names {
			if err := os.WriteFile(filepath.Join(dist, name+".br"), make([]byte, c.size), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		err := checkPayload(dist, names)
		if (err != nil) != c.wantErr {
			t.Errorf("checkPayload with runtime.wasm.br of %d bytes: %v, want an error: %v", c.size, err, c.wantErr)
		}
		if err != nil && !strings.Contains(err.Error(), "MaxRuntimeWasmBrotli") {
			t.Errorf("the error does not name the limit: %v", err)
		}
	}
}
