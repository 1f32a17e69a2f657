package federation_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/fedwasm/fedwasm"

// TestLayoutRules keeps the layout docs/ARCHITECTURE.md describes: the core
// (federation/…) decides and is pure Go, tested natively, so it imports
// neither syscall/js nor the bridge, the server, the commands or internal
// packages; syscall/js is the bridge's alone (jsbridge/…); the server does
// not reach into the bridge. It reads the imports of every package of the
// module, for the native build and for GOOS=js GOARCH=wasm.
func TestLayoutRules(t *testing.T) {
	for _, env := range [][]string{nil, {"GOOS=js", "GOARCH=wasm"}} {
		cmd := exec.Command("go", "list", "-e", "-f", "{{.ImportPath}}: {{join .Imports \" \"}}", module+"/...")
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("go list %v: %v", env, err)
		}
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		if len(lines) < 10 {
			t.Fatalf("go list %v gave %d packages, want the module's", env, len(lines))
		}
		for _, line := range lines {
			pkg, imports, _ := strings.Cut(line, ": ")
			for _, imp := range strings.Fields(imports) {
				if why := broken(pkg, imp); why != "" {
					t.Errorf("%s imports %s (%v): %s", pkg, imp, env, why)
				}
			}
		}
	}
}

// broken says which rule pkg importing imp breaks, or "".
func broken(pkg, imp string) string {
	within := func(p, dir string) bool { return p == module+"/"+dir || strings.HasPrefix(p, module+"/"+dir+"/") }
	switch {
	case within(pkg, "federation") && imp == "syscall/js":
		return "the core is pure Go: the page is the bridge's business"
	case within(pkg, "federation") && strings.HasPrefix(imp, module+"/") && !within(imp, "federation"):
		return "the core imports only the core"
	case imp == "syscall/js" && !within(pkg, "jsbridge"):
		return "syscall/js belongs to jsbridge, the only package that touches the page"
	case within(pkg, "server") && within(imp, "jsbridge"):
		return "the server resolves with the core, never the bridge"
	}
	return ""
}
