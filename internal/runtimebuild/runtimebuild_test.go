package runtimebuild

import (
	"strings"
	"testing"
)

// TestInputsCoverWhatTheWasmIsBuiltFrom: a change to any of these must
// rebuild the runtime, so each must be stamped.
func TestInputsCoverWhatTheWasmIsBuiltFrom(t *testing.T) {
	stamp, err := inputs("../..")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"go.mod", "go.sum", "go version", "wasm/main.go", "jsbridge/shares.go", "federation/share/share.go", "loader/loader.js", "loader/broker.js", "loader/inspector.js", "loader/fedwasm.d.ts", "internal/runtimebuild/runtimebuild.go"} {
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
