//go:build e2e

package e2e

import (
	"encoding/json"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/fedwasm/fedwasm/server"
)

// A deploy that adds a remote edits the registry; the host's next page load
// gets it from /federation.json with no host release and no restart.
func TestRegistryEditReachesTheNextPageLoad(t *testing.T) {
	d, b, ctx := startDemo(t)
	if got := eval[bool](t, ctx, `fedwasm.inspect().remotes.some((r) => r.name === 'late')`); got {
		t.Fatal("the remote 'late' is registered before the registry lists it")
	}
	data, err := os.ReadFile(d.RegistryFile())
	if err != nil {
		t.Fatal(err)
	}
	var reg server.RegistryFile
	if err := json.Unmarshal(data, &reg); err != nil {
		t.Fatalf("%s: %v", d.RegistryFile(), err)
	}
	reg.Remotes["late"] = server.RegistryRemote{Entry: d.RemoteURL + "/badge.js", Type: "esm", Version: "2.0.0"}
	host := reg.Hosts[d.Config.Name]
	host.Remotes = append(host.Remotes, "late")
	reg.Hosts[d.Config.Name] = host
	edited, _ := json.Marshal(reg)
	time.Sleep(1100 * time.Millisecond) // the registry looks at its file at most once a second
	if err := os.WriteFile(d.RegistryFile(), edited, 0o644); err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(2 * time.Second) // a modification time the registry has not seen
	if err := os.Chtimes(d.RegistryFile(), later, later); err != nil {
		t.Fatal(err)
	}

	resp, err := http.Get(d.HostURL + "/federation.json?host=" + d.Config.Name)
	if err != nil {
		t.Fatal(err)
	}
	var served struct {
		Remotes []struct{ Name, Entry, Version string }
	}
	err = json.NewDecoder(resp.Body).Decode(&served)
	resp.Body.Close()
	if err != nil || len(served.Remotes) != len(d.Config.Remotes)+1 {
		t.Fatalf("federation.json after the edit: %+v (%v); want the %d remotes and 'late'", served.Remotes, err, len(d.Config.Remotes))
	}
	if last := served.Remotes[len(served.Remotes)-1]; last.Name != "late" || last.Version != "2.0.0" || last.Entry != d.RemoteURL+"/badge.js" {
		t.Errorf("the added remote is served as %+v", last)
	}

	var booted bool
	if err := chromedp.Run(ctx, chromedp.Reload(),
		chromedp.Poll(`window.demo !== undefined && fedwasm.inspect().ready`, &booted, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		t.Fatalf("the page did not boot again: %v; page problems: %v", err, b.Problems())
	}
	if got := eval[string](t, ctx, `fedwasm.loadRemote('late').then((m) => typeof m.mount)`); got != "function" {
		t.Errorf("loadRemote('late') after the reload: the module's mount is %q, want a function", got)
	}
	noProblems(t, b)
}
