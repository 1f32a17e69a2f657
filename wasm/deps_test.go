//go:build !(js && wasm)

package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/fedwasm/fedwasm/internal/runtimebuild"
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
	{"time", "timers are the page's setTimeout (jsutil.After), spans of time are retry.Millis, and remote load times come from performance.now() (jsutil.Uptime); time, its GODEBUG settings (internal/godebug, internal/bisect) and syscall cost 27.9 KB brotli"},
	{"internal/godebug", "it came with time; GODEBUG settings and their parser mean nothing in a page"},
	{"syscall", "it came with time; the runtime makes no system calls"},
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

// forbiddenSymbols are functions runtime.wasm was rid of although their
// packages still come in, with what replaced them.
var forbiddenSymbols = []struct{ symbol, why string }{
	{"errors.As", "it reflects (internal/reflectlite's Value and rtype); errors.AsType does the same without, 8 KB brotli less"},
}

// TestWasmSymbols links runtime.wasm as the build does, with the linker
// printing what reaches each symbol it keeps (-dumpdep), and fails for each
// forbidden symbol, printing the chain from fedwasm's own code to it.
func TestWasmSymbols(t *testing.T) {
	if testing.Short() {
		t.Skip("links runtime.wasm")
	}
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags="+runtimebuild.LinkFlags+" -dumpdep", "-gcflags="+runtimebuild.CompileFlags, "-o", filepath.Join(t.TempDir(), "runtime.wasm"), ".")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("go build -ldflags=-dumpdep for GOOS=js GOARCH=wasm: %v\n%s", err, stderr.Bytes())
	}
	reachedFrom := map[string]string{} // each kept symbol and the first that reached it
	for _, line := range strings.Split(stderr.String(), "\n") {
		from, to, ok := strings.Cut(line, " -> ")
		if !ok {
			continue
		}
		from, to = strings.TrimSuffix(from, " <UsedInIface>"), strings.TrimSuffix(to, " <UsedInIface>")
		if _, seen := reachedFrom[to]; !seen {
			reachedFrom[to] = from
		}
	}
	if len(reachedFrom) < 1000 {
		t.Fatalf("the linker reported %d symbols, want runtime.wasm's thousands:\n%s", len(reachedFrom), stderr.Bytes())
	}
	for _, f := range forbiddenSymbols {
		if _, ok := reachedFrom[f.symbol]; ok {
			t.Errorf("runtime.wasm links %s again (%s); it was removed because %s", f.symbol, reachChain(reachedFrom, f.symbol), f.why)
		}
	}
}

// reachChain is how symbol is reached, from the nearest symbol of fedwasm's
// own packages (or the linker's root) to it.
func reachChain(reachedFrom map[string]string, symbol string) string {
	chain := []string{symbol}
	for range 50 {
		from, ok := reachedFrom[symbol]
		if !ok || from == "_" {
			break
		}
		chain = append(chain, from)
		if strings.HasPrefix(from, "github.com/fedwasm/fedwasm/") {
			break
		}
		symbol = from
	}
	slices.Reverse(chain)
	return strings.Join(chain, " -> ")
}
