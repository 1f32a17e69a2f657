package buildstamp_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/fedwasm/fedwasm/internal/buildstamp"
)

func TestChanged(t *testing.T) {
	root := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(root, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.go", "package a")
	write("b.js", "export {}")
	write("out.wasm", "wasm")
	stampPath := filepath.Join(root, "stamps", "x.json")
	stamp := func(files ...string) buildstamp.Stamp {
		t.Helper()
		s, err := buildstamp.New(root, files, map[string]string{"go version": "go1.26.0"})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	changed := func(s buildstamp.Stamp) []string {
		t.Helper()
		c, err := buildstamp.Changed(stampPath, s)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}

	if got := changed(stamp("a.go", "b.js")); !slices.Equal(got, []string{"no earlier build"}) {
		t.Errorf("before any build: %v", got)
	}
	if err := buildstamp.Write(stampPath, stamp("a.go", "b.js"), []string{filepath.Join(root, "out.wasm")}); err != nil {
		t.Fatal(err)
	}
	if got := changed(stamp("a.go", "b.js")); len(got) != 0 {
		t.Errorf("nothing changed, but Changed = %v", got)
	}
	write("b.js", "export const x = 1")
	if got := changed(stamp("a.go", "b.js")); !slices.Equal(got, []string{"b.js"}) {
		t.Errorf("after editing b.js: %v, want [b.js]", got)
	}
	if got := changed(stamp("b.js")); !slices.Contains(got, "a.go (removed)") {
		t.Errorf("after dropping a.go from the inputs: %v", got)
	}
	if err := os.Remove(filepath.Join(root, "out.wasm")); err != nil {
		t.Fatal(err)
	}
	if got := changed(stamp("a.go")); !slices.Contains(got, filepath.Join(root, "out.wasm")+" (output missing)") {
		t.Errorf("after deleting the output: %v", got)
	}
}

func TestSummary(t *testing.T) {
	if got := buildstamp.Summary([]string{"a", "b"}); got != "a, b" {
		t.Errorf("Summary = %q", got)
	}
	many := []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"}
	if got, want := buildstamp.Summary(many), "1, 2, 3, 4, 5, 6, 7, 8, and 2 more"; got != want {
		t.Errorf("Summary = %q, want %q", got, want)
	}
}
