//go:build e2e

package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/fedwasm/fedwasm/federation/integrity/sha"
	"github.com/fedwasm/fedwasm/server"
)

// A deploy that adds a remote edits the registry; the host's next page load
// gets it from /federation.json with no host release and no restart.
func TestRegistryEditReachesTheNextPageLoad(t *testing.T) {
	d, b, ctx := startDemo(t)
	if got := eval[bool](t, ctx, `fedwasm.inspect().remotes.some((r) => r.name === 'late')`); got {
		t.Fatal("the remote 'late' is registered before the registry lists it")
	}
	editRegistry(t, d.RegistryFile(), func(reg *server.RegistryFile) {
		reg.Remotes["late"] = server.RegistryRemote{Entry: d.RemoteURL + "/badge.js", Type: "esm", Version: "2.0.0"}
		host := reg.Hosts[d.Config.Name]
		host.Remotes = append(host.Remotes, "late")
		reg.Hosts[d.Config.Name] = host
	})

	var served struct {
		Remotes []struct{ Name, Entry, Version string }
	}
	err := json.Unmarshal(get(t, d.HostURL+"/federation.json?host="+d.Config.Name), &served)
	if err != nil || len(served.Remotes) != len(d.Config.Remotes)+1 {
		t.Fatalf("federation.json after the edit: %+v (%v); want the %d remotes and 'late'", served.Remotes, err, len(d.Config.Remotes))
	}
	if last := served.Remotes[len(served.Remotes)-1]; last.Name != "late" || last.Version != "2.0.0" || last.Entry != d.RemoteURL+"/badge.js" {
		t.Errorf("the added remote is served as %+v", last)
	}

	reloadDemo(t, ctx, b)
	if got := eval[string](t, ctx, `fedwasm.loadRemote('late').then((m) => typeof m.mount)`); got != "function" {
		t.Errorf("loadRemote('late') after the reload: the module's mount is %q, want a function", got)
	}
	noProblems(t, b)
}

// The demo's registry names each served remote's version and the sha384 of
// the bytes it serves; a remote whose bytes do not match is refused in the
// page (the digest comes from crypto.subtle), and the rest keeps working.
func TestRegistryIntegrityIsCheckedInThePage(t *testing.T) {
	d, b, ctx := startDemo(t)
	var served struct {
		Remotes []struct{ Name, Entry, Version, Integrity string }
	}
	if err := json.Unmarshal(get(t, d.HostURL+"/federation.json?host="+d.Config.Name), &served); err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, r := range served.Remotes {
		if r.Name == "recommendations" {
			continue // down: nothing to digest
		}
		body := get(t, r.Entry)
		if r.Version != "1.0.0" || r.Integrity != sha.Of(body) {
			t.Errorf("%s: version %q, integrity %q; want 1.0.0 and the sha384 of the %d bytes served (%s)", r.Name, r.Version, r.Integrity, len(body), sha.Of(body))
		}
		checked++
	}
	if checked != 4 {
		t.Errorf("checked %d remotes' integrity, want cart, products, badge and promo", checked)
	}

	// A deploy that published the wrong integrity: the entry is fetched,
	// digested and refused before it runs.
	editRegistry(t, d.RegistryFile(), func(reg *server.RegistryFile) {
		promo := reg.Remotes["promo"]
		reg.Remotes["tampered"] = server.RegistryRemote{Entry: d.RemoteURL + "/badge.js", Type: "esm", Version: "1.0.1", File: promo.File}
		host := reg.Hosts[d.Config.Name]
		host.Remotes = append(host.Remotes, "tampered")
		reg.Hosts[d.Config.Name] = host
	})
	reloadDemo(t, ctx, b)
	got := eval[string](t, ctx, `fedwasm.loadRemote('tampered').then(() => 'loaded', (e) => e.code + ' ' + e.details.url)`)
	if got != "INTEGRITY_MISMATCH "+d.RemoteURL+"/badge.js" {
		t.Errorf("loadRemote('tampered') = %q, want INTEGRITY_MISMATCH naming its URL", got)
	}
	if got := eval[string](t, ctx, `fedwasm.loadRemote('badge').then((m) => typeof m.mount)`); got != "function" {
		t.Errorf("after the refusal, loadRemote('badge') gives mount %q, want a function", got)
	}
}

// editRegistry rewrites the demo's registry file with edit, so that the
// registry sees a new modification time (it looks at most once a second).
func editRegistry(t *testing.T, file string, edit func(*server.RegistryFile)) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var reg server.RegistryFile
	if err := json.Unmarshal(data, &reg); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	edit(&reg)
	edited, _ := json.Marshal(reg)
	time.Sleep(1100 * time.Millisecond)
	if err := os.WriteFile(file, edited, 0o644); err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(2 * time.Second) // a modification time the registry has not seen
	if err := os.Chtimes(file, later, later); err != nil {
		t.Fatal(err)
	}
}

// get is the body of a 200 response to GET url.
func get(t *testing.T, url string) []byte {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s, %v", url, resp.Status, err)
	}
	return body
}
