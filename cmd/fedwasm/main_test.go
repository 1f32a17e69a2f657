package main

import (
	"bytes"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fedwasm/fedwasm/federation"
	"github.com/fedwasm/fedwasm/server"
)

// fedwasm runs the command line and returns its exit status and output.
func fedwasm(args ...string) (status int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	status = run(args, &out, &errOut)
	return status, out.String(), errOut.String()
}

func TestHelpAndUsage(t *testing.T) {
	status, out, _ := fedwasm("help")
	if status != 0 {
		t.Errorf("fedwasm help: exit %d", status)
	}
	for _, name := range []string{"build", "check", "migrate", "serve", "version"} {
		if !strings.Contains(out, "\n  "+name+" ") {
			t.Errorf("fedwasm help does not list %s:\n%s", name, out)
		}
		for _, args := range [][]string{{name, "-h"}, {"help", name}} {
			status, out, _ := fedwasm(args...)
			if status != 0 || !strings.Contains(out, "usage: fedwasm "+name) || !strings.Contains(out, "example:\n  fedwasm "+name) {
				t.Errorf("fedwasm %s: exit %d, want 0 and a usage line with an example:\n%s", strings.Join(args, " "), status, out)
			}
		}
	}
	for _, args := range [][]string{{}, {"deploy"}, {"version", "extra"}, {"build", "stray"}, {"check", "-nope"}, {"check"}, {"help", "deploy"}} {
		if status, _, errOut := fedwasm(args...); status != 2 || !strings.Contains(errOut, "usage: fedwasm") {
			t.Errorf("fedwasm %s: exit %d, want 2 with usage on stderr:\n%s", strings.Join(args, " "), status, errOut)
		}
	}
}

func TestVersion(t *testing.T) {
	status, out, _ := fedwasm("version")
	if status != 0 || !strings.HasPrefix(out, "fedwasm "+federation.Version+" (go") {
		t.Errorf("fedwasm version: exit %d, %q", status, out)
	}
}

func TestCheck(t *testing.T) {
	cases := []struct {
		name       string
		args       []string
		wantStatus int
		want       []string // substrings of stdout
	}{
		{"compatible: a warning, exit 0", []string{"check", "-manifest", "checkout=testdata/checkout-manifest.json", "testdata/federation.json"}, 0, []string{
			"PACKAGE  SCOPE    CHOSEN  PROVIDER  CONSUMER  REQUIRES",
			"react    default  19.1.0  shell     checkout  ^18.2.0 singleton         mismatch-allowed  warning [1]",
			"react    default  19.1.0  shell     shell     ^19.0.0 singleton strict  highest           ok",
			`[1] SHARE_SINGLETON_MISMATCH: singleton "react": version 19.1.0 from "shell" is in use, but "checkout" requires "^18.2.0"`,
		}},
		{"a strict mismatch fails", []string{"check", "-manifest", "checkout=testdata/checkout-react20-manifest.json", "testdata/federation.json"}, 1, []string{
			"react    default  20.0.0  checkout  checkout  ^20.0.0 singleton         highest  ok",
			"react    default  -       -         shell     ^19.0.0 singleton strict  -        ERROR [1]",
			"(see docs/errors.md#share_singleton_mismatch)",
			"1 consumer(s) would fail on the page",
		}},
		{"a Native Federation remoteEntry.json (the fixture's build) takes part with its rules", []string{"check", "-manifest", "checkout=testdata/nf-remoteEntry.json", "testdata/federation.json"}, 0, []string{
			"react    default  19.3.1  checkout  checkout  ^19.0.0 singleton strict  highest  ok",
			"react    default  19.3.1  checkout  shell     ^19.0.0 singleton strict  highest  ok",
		}},
		{"offline: the manifest remote is left out, saying so", []string{"check", "-offline", "testdata/federation.json"}, 0, []string{
			`note: remote "checkout": its manifest was not read (-offline, and no -manifest checkout=file)`,
		}},
		{"a registry file", []string{"check", "-registry", "testdata/registry.json", "-host", "shell"}, 0, []string{
			"zustand  default  5.1.0   shell     shell     ^5.0.0 singleton  highest  ok",
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, out, errOut := fedwasm(c.args...)
			if status != c.wantStatus {
				t.Errorf("exit %d, want %d; stderr: %s", status, c.wantStatus, errOut)
			}
			for _, w := range c.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

func TestCheckRegistryFileNeedsHost(t *testing.T) {
	status, _, errOut := fedwasm("check", "-registry", "testdata/registry.json")
	if status != 2 || !strings.Contains(errOut, `the registry testdata/registry.json has no host ""; name one with -host (it lists admin, shell)`) {
		t.Errorf("a registry with two hosts and no -host: exit %d, %s", status, errOut)
	}
}

func TestCheckInvalidConfig(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "federation.json")
	if err := os.WriteFile(bad, []byte(`{"name":"shell","shared":{"react":{"shareConfig":{"singleton":true}}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	status, _, errOut := fedwasm("check", bad)
	if status != 1 || !strings.Contains(errOut, `CONFIG_INVALID: federation config field shared.react[0].version is required`) {
		t.Errorf("exit %d, stderr %q; want 1 and the config error", status, errOut)
	}
}

// TestCheckRegistryURL checks a host's config as a running registry serves it.
func TestCheckRegistryURL(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "cart.js"), []byte("export const cart = 1;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	registry := filepath.Join(dir, "registry.json")
	err := os.WriteFile(registry, []byte(`{
  "remotes": { "cart": { "entry": "/remotes/cart.js", "type": "esm", "version": "1.0.0", "file": "cart.js" } },
  "hosts": { "shell": { "config": { "shared": { "zustand": { "version": "5.0.8", "import": "/vendor/zustand.js", "shareConfig": { "singleton": true, "requiredVersion": "^4.0.0", "strictVersion": true } } } }, "remotes": ["cart"] } }
}`), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	reg, err := server.NewRegistry(registry, server.Policy{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(reg)
	defer srv.Close()
	status, out, errOut := fedwasm("check", "-registry", srv.URL+"/federation.json?host=shell")
	if status != 1 || !strings.Contains(out, "zustand  default  -       -         shell     ^4.0.0 singleton strict  -     ERROR [1]") {
		t.Errorf("exit %d, want 1 with zustand's strict mismatch:\n%s%s", status, out, errOut)
	}
	// What the registry serves (its snapshot, each remote's version) has
	// no key that has no effect.
	if strings.Contains(out, "CONFIG_UNKNOWN_KEY") {
		t.Errorf("the served config warns of unknown keys:\n%s", out)
	}
	if status, _, errOut := fedwasm("check", "-registry", srv.URL+"/federation.json?host=nobody"); status != 1 || !strings.Contains(errOut, "404") {
		t.Errorf("an unknown host: exit %d, %s", status, errOut)
	}
}

// TestCheckUnknownKeys: check prints a warning for each key that has no
// effect, before the table, and before the error of a config it makes
// invalid; in a registry file's host config too.
func TestCheckUnknownKeys(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		file := filepath.Join(dir, name)
		if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return file
	}
	cases := []struct {
		name       string
		args       []string
		wantStatus int
		want       string // in stdout
		wantErr    string // in stderr
	}{
		{"a valid config", []string{"check", write("ok.json", `{"name":"shell","shared":{"react":{"version":"19.1.0","sharedConfig":{"singleton":true}}}}`)}, 0,
			`warning: CONFIG_UNKNOWN_KEY: federation config key shared.react[0].sharedConfig is unknown, so fedwasm ignores it: did you mean "shareConfig"?`, ""},
		{"a config the key makes invalid", []string{"check", write("bad.json", `{"name":"shell","shared":{"react":{"verison":"19.1.0"}}}`)}, 1,
			`warning: CONFIG_UNKNOWN_KEY: federation config key shared.react[0].verison is unknown, so fedwasm ignores it: did you mean "version"?`,
			"CONFIG_INVALID: federation config field shared.react[0].version is required"},
		{"a registry file", []string{"check", "-registry", write("registry.json", `{"remotes":{},"hosts":{"shell":{"config":{"retry":{"time":1}},"remotes":[]}}}`)}, 0,
			`warning: CONFIG_UNKNOWN_KEY: federation config key retry.time is unknown, so fedwasm ignores it: did you mean "times"?`, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, out, errOut := fedwasm(c.args...)
			if status != c.wantStatus || !strings.Contains(out, c.want) || !strings.Contains(errOut, c.wantErr) {
				t.Errorf("exit %d, want %d; stdout:\n%s\nstderr:\n%s", status, c.wantStatus, out, errOut)
			}
		})
	}
}
