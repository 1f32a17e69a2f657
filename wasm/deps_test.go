//go:build !(js && wasm)

package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// forbiddenDeps are packages runtime.wasm was rid of to shrink it, with what
// replaced them. A change that brings one back fails here, naming the path.
var forbiddenDeps = []struct{ pkg, why string }{
	{"honnef.co/go/js/dom/v2", "jsbridge creates the two script elements it needs with syscall/js (createElement, appendToHead); dom/v2 cost 46 KB brotli"},
	{"github.com/Masterminds/semver/v3", "federation/semver parses versions itself; Masterminds stays for the native divergence test only"},
	{"database/sql/driver", "it came with Masterminds/semver"},
	{"runtime/debug", "jsbridge/internal/jsutil uses runtime.Stack (stack in call.go)"},
	{"encoding/json", "federation/jsonv reads and writes JSON as plain values without reflection; encoding/json cost 70 KB brotli"},
	{"regexp", "federation/semver matches npm's range grammar with a hand-written scanner; regexp and its Unicode tables cost 98 KB brotli"},
	{"crypto/sha512", "jsbridge digests remotes with crypto.subtle for the integrity check (federation/integrity.Check); Go's crypto and its FIPS module cost 57 KB brotli"},
	{"os", "it came with Go's crypto; nothing in the browser runtime reads files"},
	{"fmt", "messages are built with string concatenation and strconv (errcode.New takes the finished message); fmt, net/url and reflect together cost 82 KB brotli"},
	{"net/url", "config checks origins and retry swaps them with string operations; jsbridge resolves manifest URLs and origins with the browser's URL (resolveURL, urlOrigin)"},
	{"reflect", "it came with fmt and net/url; nothing in the runtime needs it"},
}

// TestWasmDependencies lists the packages the wasm build of ./wasm links and
// fails for each forbidden one, printing the import chain that brings it in.
func TestWasmDependencies(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}: {{join .Imports \" \"}}", ".")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps for GOOS=js GOARCH=wasm: %v", err)
	}
	importers := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, imports, _ := strings.Cut(line, ": ")
		importers[pkg] = importers[pkg]
		for _, imp := range strings.Fields(imports) {
			importers[imp] = append(importers[imp], pkg)
		}
	}
	if len(importers) < 10 {
		t.Fatalf("go list -deps gave %d packages, want the wasm's whole dependency list:\n%s", len(importers), out)
	}
	for _, f := range forbiddenDeps {
		if by, ok := importers[f.pkg]; ok {
			t.Errorf("runtime.wasm links %s again (imported by %s); it was removed because %s", f.pkg, strings.Join(by, ", "), f.why)
		}
	}
}
