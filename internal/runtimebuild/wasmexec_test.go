package runtimebuild

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestSealedWasmExecOutlivesReplacedBuiltins runs a real Go wasm program
// under node with the sealed wasm_exec.js, after replacing the built-ins Go's
// timers and crossings use with throwing functions: the program still sleeps,
// calls into JS and finishes. With Go's own wasm_exec.js it stops at its first
// timer.
func TestSealedWasmExecOutlivesReplacedBuiltins(t *testing.T) {
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is not installed")
	}
	dir := t.TempDir()
	main := `package main

import (
	"syscall/js"
	"time"
)

func main() {
	time.Sleep(20 * time.Millisecond)
	js.Global().Set("answer", js.Global().Get("Math").Call("max", 41, 42))
	time.Sleep(20 * time.Millisecond)
	println("finished", js.Global().Get("answer").Int())
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(main), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module sleeper\n\ngo 1.22\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	build := exec.Command("go", "build", "-o", "main.wasm", ".")
	build.Dir = dir
	build.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the test program: %v\n%s", err, out)
	}
	goroot, _, err := goEnv()
	if err != nil {
		t.Fatal(err)
	}
	original, err := os.ReadFile(wasmExec(goroot))
	if err != nil {
		t.Fatal(err)
	}
	run := func(wasmExec []byte) (string, error) {
		if err := os.WriteFile(filepath.Join(dir, "wasm_exec.js"), wasmExec, 0o644); err != nil {
			t.Fatal(err)
		}
		script := `
const fs = require('fs');
require('vm').runInThisContext(fs.readFileSync(process.argv[1], 'utf8'));
const go = new Go();
WebAssembly.instantiate(fs.readFileSync(process.argv[2]), go.importObject).then(({ instance }) => {
  const boom = () => { throw new Error('replaced'); };
  globalThis.setTimeout = boom;
  globalThis.clearTimeout = boom;
  Reflect.get = boom;
  Reflect.apply = boom;
  performance.now = boom;
  Date.now = boom;
  return go.run(instance);
});
`
		cmd := exec.Command("node", "-e", script, filepath.Join(dir, "wasm_exec.js"), filepath.Join(dir, "main.wasm"))
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := run(sealWasmExec(original)); err != nil || !strings.Contains(out, "finished 42") {
		t.Errorf("with the sealed wasm_exec.js: %v\n%s", err, out)
	}
	if out, err := run(original); err == nil && strings.Contains(out, "finished 42") {
		t.Errorf("Go's own wasm_exec.js also outlived the replaced built-ins, so this test proves nothing:\n%s", out)
	}
}
