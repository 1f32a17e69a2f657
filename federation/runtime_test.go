package federation_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/fedwasm/fedwasm/federation"
	"github.com/fedwasm/fedwasm/federation/broker"
	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/jsonv"
	"github.com/fedwasm/fedwasm/federation/remote"
	"github.com/fedwasm/fedwasm/federation/share"
	"github.com/fedwasm/fedwasm/federation/store"
)

const shellConfig = `{
  "name": "shell",
  "shareStrategy": "version-first",
  "shared": {
    "react": [
      { "version": "19.1.0", "import": "/vendor/react.js",
        "shareConfig": { "singleton": true, "requiredVersion": "^19.0.0", "strictVersion": true } },
      { "version": "18.3.1", "from": "compat", "shareConfig": { "requiredVersion": "^18.0.0" } }
    ],
    "lodash": { "version": "4.17.21", "shareConfig": { "requiredVersion": false } },
    "zustand": { "version": "5.0.0", "scope": "state", "shareConfig": { "eager": true, "requiredVersion": "^5" } }
  },
  "remotes": [
    { "name": "cart", "entry": "http://127.0.0.1:8081/mf-manifest.json", "alias": "basket" },
    { "name": "checkout", "entry": "http://127.0.0.1:8082/remoteEntry.js" }
  ]
}`

func mustParse(t testing.TB, s string) config.Config {
	t.Helper()
	c, err := config.Parse([]byte(s))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return c
}

func TestNewRuntime(t *testing.T) {
	r := federation.New(federation.Version)
	snap := r.Snapshot()
	if r.Version != federation.Version || len(snap.Shares) != 0 || len(snap.Remotes) != 0 || len(snap.Stores) != 0 {
		t.Fatalf("New = %+v", snap)
	}
	if r.Config() != nil {
		t.Errorf("Config() before Init = %+v, want nil", r.Config())
	}
	if got := r.HostName(); got != "host" {
		t.Errorf("HostName() before Init = %q, want \"host\"", got)
	}
	if r.Snapshot().Ready {
		t.Errorf("Snapshot().Ready before MarkReady")
	}
	r.MarkReady()
	if !r.Snapshot().Ready {
		t.Errorf("Snapshot().Ready after MarkReady = false")
	}
}

func TestInit(t *testing.T) {
	r := federation.New("test")
	shares, _, err := r.Init(mustParse(t, shellConfig))
	if err != nil {
		t.Fatalf("Init: %v", err)
	}
	if got := r.HostName(); got != "shell" {
		t.Errorf("HostName = %q, want shell", got)
	}
	if cfg := r.Config(); cfg == nil || cfg.Name != "shell" {
		t.Fatalf("Config() = %+v", cfg)
	}

	// Every configured share is returned with the ID it was registered under.
	if len(shares) != 4 {
		t.Fatalf("Init returned %d shares, want 4: %+v", len(shares), shares)
	}
	seen := map[string]bool{}
	for _, s := range shares {
		p, ok := r.Provider(s.ID)
		if !ok {
			t.Errorf("share %s %s: ID %d unknown", s.Package, s.Args.Version, s.ID)
			continue
		}
		if p.Package != s.Package || p.Version != s.Args.Version || p.From != s.Args.From || p.Scope != s.Args.Scope || p.Eager != s.Args.ShareConfig.Eager || p.Loaded {
			t.Errorf("Lookup(%d) = %+v, want it to match %+v", s.ID, p, s)
		}
		seen[s.Package+"@"+s.Args.Version+"/"+s.Args.From+"/"+s.Args.Scope] = true
		// Index is the entry's place in its package's list (the bridge
		// finds the functions init's config object gave it by it).
		if want := r.Config().Shared[s.Package][s.Index]; want.Version != s.Args.Version || want.From != s.Args.From {
			t.Errorf("share %s %s: Index %d names %+v", s.Package, s.Args.Version, s.Index, want)
		}
	}
	for _, want := range []string{"react@19.1.0/shell/default", "react@18.3.1/compat/default", "lodash@4.17.21/shell/default", "zustand@5.0.0/shell/state"} {
		if !seen[want] {
			t.Errorf("share %s not returned by Init (got %v)", want, seen)
		}
	}

	// Remotes are registered, in order, not requested.
	remotes := r.RemoteReports()
	if len(remotes) != 2 || remotes[0].Name != "cart" || remotes[1].Name != "checkout" {
		t.Fatalf("remotes = %+v", remotes)
	}
	if remotes[0].Type != "manifest" || remotes[1].Type != "var" || remotes[0].State != remote.Registered {
		t.Errorf("remotes = %+v", remotes)
	}
	if rem, expose, err := r.MatchRemote("basket/CartStore"); err != nil || rem.Name != "cart" || expose != "./CartStore" {
		t.Errorf("Match(basket/CartStore) = %v %q %v", rem.Name, expose, err)
	}

	// The host's consumer rules apply: singleton, strict, ^19.
	ch, err := r.Resolve(r.Consumer("react", "", "cart"))
	if err != nil || ch.Provider.Version != "19.1.0" {
		t.Errorf("Resolve(react for cart) = %+v, %v", ch, err)
	}
}

func TestInitStrategy(t *testing.T) {
	r := federation.New("test")
	cfg := mustParse(t, `{"name":"shell","shareStrategy":"loaded-first","shared":{"x":[{"version":"1.0.0"}]}}`)
	if _, _, err := r.Init(cfg); err != nil {
		t.Fatal(err)
	}
	if _, _, err := r.RegisterShare("x", config.ShareArgs{Version: "2.0.0", Scope: "default", From: "b"}, false); err != nil {
		t.Fatal(err)
	}
	id, _, err := r.RegisterShare("x", config.ShareArgs{Version: "1.5.0", Scope: "default", From: "c"}, true)
	if err != nil {
		t.Fatal(err)
	}
	ch, err := r.Resolve(r.Consumer("x", "", "y"))
	if err != nil || ch.ID != id || ch.Rule != share.RuleLoadedFirst {
		t.Errorf("loaded-first: got %+v, %v; want the loaded 1.5.0", ch, err)
	}
	if got := r.Snapshot().Strategy; got != config.LoadedFirst {
		t.Errorf("Snapshot strategy = %q, want loaded-first", got)
	}
}

func TestInitErrors(t *testing.T) {
	tests := []struct {
		name      string
		first     config.Config
		second    config.Config
		wantFirst string
		wantCode  string
		wantInMsg []string
	}{
		{
			name:      "second init is refused",
			first:     config.Config{Name: "shell"},
			second:    config.Config{Name: "other"},
			wantCode:  errcode.AlreadyInitialized,
			wantInMsg: []string{`"shell"`, "registerShared", "registerRemotes"},
		},
		{
			name:      "second init with the same config is refused",
			first:     config.Config{Name: "shell"},
			second:    config.Config{Name: "shell"},
			wantCode:  errcode.AlreadyInitialized,
			wantInMsg: []string{`"shell"`},
		},
		{
			name:      "invalid config is refused and leaves the runtime uninitialized",
			first:     config.Config{Name: ""},
			wantFirst: errcode.ConfigInvalid,
			second:    config.Config{Name: "shell"},
			wantCode:  "",
		},
		{
			name:      "invalid share is refused before anything is registered",
			first:     config.Config{Name: "shell", Shared: map[string]config.ShareEntries{"react": {{Version: "nope"}}}},
			wantFirst: errcode.ConfigInvalid,
			second:    config.Config{Name: "shell"},
			wantCode:  "",
		},
		{
			name:      "invalid second config reports CONFIG_INVALID first",
			first:     config.Config{Name: "shell"},
			second:    config.Config{Name: "x", ShareStrategy: "random"},
			wantCode:  errcode.ConfigInvalid,
			wantInMsg: []string{"shareStrategy"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := federation.New("test")
			_, _, err := r.Init(tt.first)
			if errcode.CodeOf(err) != tt.wantFirst {
				t.Fatalf("first Init = %v, want code %q", err, tt.wantFirst)
			}
			if err != nil {
				if r.Config() != nil || len(r.Snapshot().Shares) != 0 {
					t.Errorf("a refused Init left state behind: cfg %+v, shares %+v", r.Config(), r.Snapshot().Shares)
				}
			}
			_, _, err = r.Init(tt.second)
			if errcode.CodeOf(err) != tt.wantCode {
				t.Fatalf("second Init = %v, want code %q", err, tt.wantCode)
			}
			for _, w := range tt.wantInMsg {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("message %q does not contain %s", err.Error(), w)
				}
			}
			if tt.wantCode == errcode.AlreadyInitialized {
				var coded *errcode.Error
				errors.As(err, &coded)
				if coded.Details["name"] != tt.first.Name {
					t.Errorf("details.name = %v, want %q", coded.Details["name"], tt.first.Name)
				}
				if r.HostName() != tt.first.Name {
					t.Errorf("HostName changed to %q", r.HostName())
				}
			}
		})
	}
}

// TestInitFailureIsRetryable: a config that passes config.Validate but whose
// remotes the registry refuses (overlapping aliases are not checked by
// Validate) fails Init with REMOTE_INVALID. The runtime should stay
// uninitialized so the corrected config can be applied; instead r.cfg was
// already set and every later Init fails with ALREADY_INITIALIZED.
func TestInitFailureIsRetryable(t *testing.T) {
	bad := mustParse(t, `{"name":"shell","shared":{"react":{"version":"19.1.0"}},
		"remotes":[{"name":"cart","entry":"c.js"},{"name":"shop","entry":"s.js","alias":"cart"}]}`)
	r := federation.New("test")
	_, _, err := r.Init(bad)
	if errcode.CodeOf(err) != errcode.RemoteInvalid {
		t.Fatalf("Init with overlapping aliases = %v, want REMOTE_INVALID", err)
	}
	good := mustParse(t, `{"name":"shell","shared":{"react":{"version":"19.1.0"}},
		"remotes":[{"name":"cart","entry":"c.js"},{"name":"shop","entry":"s.js","alias":"store"}]}`)
	_, _, err = r.Init(good)
	if err != nil {
		t.Fatalf("Init with the corrected config = %v", err)
	}
}

func TestInitFillsDefaultsOfAnUnparsedConfig(t *testing.T) {
	r := federation.New("test")
	cfg := config.Config{
		Name:    "shell",
		Shared:  map[string]config.ShareEntries{"react": {{Version: "19.1.0"}}},
		Remotes: []config.Remote{{Name: "cart", Entry: "c.json"}},
	}
	shares, _, err := r.Init(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(shares) != 1 || shares[0].Args.Scope != "default" || shares[0].Args.From != "shell" {
		t.Errorf("shares = %+v, want defaults filled", shares)
	}
	if got := r.Config().ShareStrategy; got != config.VersionFirst {
		t.Errorf("ShareStrategy = %q", got)
	}
	if got := r.RemoteReports()[0].Type; got != "manifest" {
		t.Errorf("remote type = %q", got)
	}
}

func TestConsumer(t *testing.T) {
	r := federation.New("test")
	if _, _, err := r.Init(mustParse(t, `{"name":"shell","shared":{
		"react":{"version":"19.1.0","shareConfig":{"singleton":true,"requiredVersion":"^19.0.0","strictVersion":true}},
		"lodash":{"version":"4.17.21","shareConfig":{"requiredVersion":false}},
		"zustand":{"version":"5.0.0","scope":"state","shareConfig":{"eager":true,"requiredVersion":"^5"}}}}`)); err != nil {
		t.Fatal(err)
	}
	register := func(pkg string, args config.ShareArgs) {
		t.Helper()
		if args.Scope == "" {
			args.Scope = "default"
		}
		if _, _, err := r.RegisterShare(pkg, args, false); err != nil {
			t.Fatal(err)
		}
	}
	// cart declares its own rules for react.
	register("react", config.ShareArgs{Version: "18.3.1", From: "cart", ShareConfig: config.ShareConfig{RequiredVersion: config.RequiredVersion{Range: "^18.0.0"}}})
	// cart registers react again with other rules: the first declaration stays.
	register("react", config.ShareArgs{Version: "18.2.0", From: "cart", ShareConfig: config.ShareConfig{Singleton: true, RequiredVersion: config.RequiredVersion{Range: "^17"}}})
	// checkout declares react in another scope only.
	register("react", config.ShareArgs{Version: "17.0.2", From: "checkout", Scope: "legacy", ShareConfig: config.ShareConfig{StrictVersion: true, RequiredVersion: config.RequiredVersion{Range: "^17"}}})

	tests := []struct {
		name  string
		pkg   string
		scope string
		from  string
		want  share.Consumer
	}{
		{name: "host's own rules", pkg: "react", from: "shell",
			want: share.Consumer{Package: "react", Scope: "default", From: "shell", RequiredVersion: "^19.0.0", Singleton: true, StrictVersion: true}},
		{name: "a consumer that declared nothing gets the host's rules", pkg: "react", from: "profile",
			want: share.Consumer{Package: "react", Scope: "default", From: "profile", RequiredVersion: "^19.0.0", Singleton: true, StrictVersion: true}},
		{name: "a consumer's own declaration wins (the first one)", pkg: "react", from: "cart",
			want: share.Consumer{Package: "react", Scope: "default", From: "cart", RequiredVersion: "^18.0.0"}},
		{name: "explicit default scope is the same", pkg: "react", scope: "default", from: "cart",
			want: share.Consumer{Package: "react", Scope: "default", From: "cart", RequiredVersion: "^18.0.0"}},
		{name: "declarations are per scope", pkg: "react", scope: "legacy", from: "checkout",
			want: share.Consumer{Package: "react", Scope: "legacy", From: "checkout", RequiredVersion: "^17", StrictVersion: true}},
		{name: "in the default scope checkout declared nothing: host rules", pkg: "react", from: "checkout",
			want: share.Consumer{Package: "react", Scope: "default", From: "checkout", RequiredVersion: "^19.0.0", Singleton: true, StrictVersion: true}},
		{name: "a scope where neither declared: no rules", pkg: "react", scope: "legacy", from: "cart",
			want: share.Consumer{Package: "react", Scope: "legacy", From: "cart"}},
		{name: "requiredVersion false: any version", pkg: "lodash", from: "cart",
			want: share.Consumer{Package: "lodash", Scope: "default", From: "cart"}},
		{name: "eager is inherited", pkg: "zustand", scope: "state", from: "cart",
			want: share.Consumer{Package: "zustand", Scope: "state", From: "cart", RequiredVersion: "^5", Eager: true}},
		{name: "an undeclared package: no rules", pkg: "vue", from: "cart",
			want: share.Consumer{Package: "vue", Scope: "default", From: "cart"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := r.Consumer(tt.pkg, tt.scope, tt.from); got != tt.want {
				t.Errorf("Consumer(%q, %q, %q) =\n%+v\nwant\n%+v", tt.pkg, tt.scope, tt.from, got, tt.want)
			}
		})
	}
}

func TestConsumerBeforeInit(t *testing.T) {
	r := federation.New("test")
	// Before Init the host is called "host".
	if _, _, err := r.RegisterShare("react", config.ShareArgs{Version: "19.1.0", Scope: "default", From: "host",
		ShareConfig: config.ShareConfig{Singleton: true}}, false); err != nil {
		t.Fatal(err)
	}
	got := r.Consumer("react", "", "someone")
	if !got.Singleton || got.From != "someone" {
		t.Errorf("Consumer = %+v, want the host's singleton rule", got)
	}
}

func TestRegisterShare(t *testing.T) {
	tests := []struct {
		name     string
		args     config.ShareArgs
		loaded   bool
		wantCode string
	}{
		{name: "valid", args: config.ShareArgs{Version: "1.0.0", Scope: "default", From: "a"}},
		{name: "valid and loaded", args: config.ShareArgs{Version: "1.0.0", Scope: "default", From: "a"}, loaded: true},
		{name: "eager", args: config.ShareArgs{Version: "1.0.0", Scope: "s", From: "a", ShareConfig: config.ShareConfig{Eager: true}}},
		{name: "invalid version", args: config.ShareArgs{Version: "one", Scope: "default", From: "a"}, wantCode: errcode.ShareInvalidVersion},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := federation.New("test")
			id, _, err := r.RegisterShare("pkg", tt.args, tt.loaded)
			if errcode.CodeOf(err) != tt.wantCode {
				t.Fatalf("RegisterShare = %v, want code %q", err, tt.wantCode)
			}
			if err != nil {
				if id != 0 {
					t.Errorf("id = %d on error", id)
				}
				// A refused share declares no rules.
				if c := r.Consumer("pkg", tt.args.Scope, tt.args.From); c.RequiredVersion != "" || c.Singleton {
					t.Errorf("refused share left rules: %+v", c)
				}
				return
			}
			p, ok := r.Provider(id)
			want := share.Provider{Package: "pkg", Version: tt.args.Version, Scope: tt.args.Scope, From: tt.args.From, Eager: tt.args.ShareConfig.Eager, Loaded: tt.loaded}
			if !ok || p != want {
				t.Errorf("Lookup = %+v, %v; want %+v", p, ok, want)
			}
		})
	}
}

func TestWarn(t *testing.T) {
	tests := []struct {
		n         int
		wantLen   int
		wantFirst int
	}{
		{n: 0, wantLen: 0},
		{n: 1, wantLen: 1, wantFirst: 0},
		{n: 100, wantLen: 100, wantFirst: 0},
		{n: 101, wantLen: 100, wantFirst: 1},
		{n: 250, wantLen: 100, wantFirst: 150},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.n), func(t *testing.T) {
			r := federation.New("test")
			for i := 0; i < tt.n; i++ {
				r.Warn(errcode.New(errcode.ShareSingletonMismatch, map[string]any{"i": i}, "warning "+strconv.Itoa(i)))
			}
			w := r.Snapshot().Warnings
			if w == nil || len(w) != tt.wantLen {
				t.Fatalf("%d warnings (nil: %v), want %d", len(w), w == nil, tt.wantLen)
			}
			if tt.wantLen == 0 {
				return
			}
			if got := w[0].Message; got != fmt.Sprintf("warning %d", tt.wantFirst) {
				t.Errorf("oldest kept = %q, want warning %d", got, tt.wantFirst)
			}
			if got := w[len(w)-1].Message; got != fmt.Sprintf("warning %d", tt.n-1) {
				t.Errorf("newest = %q, want warning %d", got, tt.n-1)
			}
		})
	}
}

func TestSnapshotIsACopy(t *testing.T) {
	r := federation.New("test")
	r.Warn(errcode.New(errcode.ShareNoSatisfying, nil, "a"))
	s := r.Snapshot()
	s.Warnings[0] = nil
	s.Warnings = append(s.Warnings, errcode.New("X", nil, "b"))
	if w := r.Snapshot().Warnings; len(w) != 1 || w[0] == nil {
		t.Errorf("changing a Snapshot changed the runtime: %+v", w)
	}
}

func TestSnapshotJSON(t *testing.T) {
	empty := federation.New("0.0.1")
	b, err := json.Marshal(empty.Snapshot())
	if err != nil {
		t.Fatal(err)
	}
	want := `{"version":"0.0.1","name":"host","ready":false,"shareStrategy":"version-first","shares":[],"remotes":[],"stores":[],"broker":{"owners":{},"scopes":{},"emitted":0,"receivedCrossTab":0,"dropped":{},"listenerErrors":0},"warnings":[],"plugins":[]}`
	if string(b) != want {
		t.Errorf("empty Snapshot JSON =\n%s\nwant\n%s", b, want)
	}
	samePlainJSON(t, empty.Snapshot())

	r := federation.New(federation.Version)
	if _, _, err := r.Init(mustParse(t, shellConfig)); err != nil {
		t.Fatal(err)
	}
	r.MarkReady()
	// A consumer that gets a warning, one that fails, one that succeeds.
	c := r.Consumer("react", "", "cart")
	c.StrictVersion = false
	c.RequiredVersion = "^20"
	ch, err := r.Resolve(c)
	if err != nil || ch.Warning == nil {
		t.Fatalf("Resolve = %+v, %v; want a warning", ch, err)
	}
	r.Warn(ch.Warning)
	if _, err := r.Resolve(r.Consumer("vue", "", "cart")); errcode.CodeOf(err) != errcode.ShareNotFound {
		t.Fatalf("Resolve(vue) = %v", err)
	}
	if _, err := r.Resolve(r.Consumer("lodash", "", "checkout")); err != nil {
		t.Fatal(err)
	}
	mount, err := r.OpenMount("cart")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.ProvideStore(store.Entry[any]{Name: "cart", Version: "1.0.0", Handle: map[string]int{"n": 1}}, broker.Caller{Lifetime: mount, Owner: "cart"}); err != nil {
		t.Fatal(err)
	}
	_, cancel := r.WaitStore("user")
	defer cancel()
	r.RemoteRequested("cart", 10)
	r.RemoteFinished("cart", errors.New("offline"), 20)

	snap := r.Snapshot()
	if snap.Version != federation.Version || snap.Name != "shell" || !snap.Ready || snap.Strategy != config.VersionFirst {
		t.Errorf("Snapshot header = %+v", snap)
	}
	if len(snap.Warnings) != 1 || snap.Warnings[0].Code != errcode.ShareSingletonMismatch {
		t.Errorf("warnings = %+v", snap.Warnings)
	}
	if len(snap.Stores) != 2 || snap.Stores[0].Name != "cart" || snap.Stores[1] != (store.Report{Name: "user", Waiting: 1}) {
		t.Errorf("stores = %+v", snap.Stores)
	}
	if len(snap.Remotes) != 2 || snap.Remotes[0].State != remote.Failed {
		t.Errorf("remotes = %+v", snap.Remotes)
	}

	b, err = json.Marshal(snap)
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	// Field names as in the struct tags.
	var top map[string]json.RawMessage
	if err := json.Unmarshal(b, &top); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range top {
		keys = append(keys, k)
	}
	wantKeys := []string{"broker", "name", "plugins", "ready", "remotes", "shareStrategy", "shares", "stores", "version", "warnings"}
	if !sameSet(keys, wantKeys) {
		t.Errorf("top-level keys = %v, want %v", keys, wantKeys)
	}
	for _, w := range []string{
		`"name":"shell"`, `"ready":true`, `"shareStrategy":"version-first"`,
		`"package":"react"`, `"gotFrom":"shell"`, `"rule":"mismatch-allowed"`, `"requiredVersion":"^20"`,
		`"error":{"code":"SHARE_NOT_FOUND"`, `"state":"failed"`, `"entryGlobalName":"cart"`, `"requests":1`,
		`"provided":true`, `"waiting":1`, `"warnings":[{"code":"SHARE_SINGLETON_MISMATCH"`,
	} {
		if !strings.Contains(string(b), w) {
			t.Errorf("Snapshot JSON lacks %s\n%s", w, b)
		}
	}

	samePlainJSON(t, snap)

	// Round trip: decoding into a Snapshot and encoding again gives the same JSON.
	var back federation.Snapshot
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("Unmarshal into Snapshot: %v", err)
	}
	b2, err := json.Marshal(back)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != string(b2) {
		t.Errorf("round trip differs:\n%s\n%s", b, b2)
	}
	if back.Name != snap.Name || len(back.Shares) != len(snap.Shares) || !reflect.DeepEqual(back.Stores, snap.Stores) {
		t.Errorf("decoded Snapshot = %+v", back)
	}
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[string]int{}
	for _, s := range a {
		m[s]++
	}
	for _, s := range b {
		m[s]--
	}
	for _, n := range m {
		if n != 0 {
			return false
		}
	}
	return true
}

func TestConcurrentInit(t *testing.T) {
	r := federation.New("test")
	const n = 16
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			_, _, err := r.Init(config.Config{Name: fmt.Sprintf("h%d", i), Shared: map[string]config.ShareEntries{
				fmt.Sprintf("p%d", i): {{Version: "1.0.0"}},
			}})
			errs <- err
			r.Warn(errcode.New("W", nil, "w"))
			_ = r.Snapshot()
			_ = r.Consumer("p0", "", "x")
		}(i)
	}
	wg.Wait()
	close(errs)
	ok := 0
	for err := range errs {
		switch errcode.CodeOf(err) {
		case "":
			ok++
		case errcode.AlreadyInitialized:
		default:
			t.Errorf("Init = %v", err)
		}
	}
	if ok != 1 {
		t.Errorf("%d Init calls succeeded, want exactly 1", ok)
	}
	if got := len(r.Snapshot().Shares); got != 1 {
		t.Errorf("%d packages registered, want only the winner's", got)
	}
}

// samePlainJSON checks that the Snapshot the bridge hands to JS (its Plain
// form, written by jsonv.Marshal) is the JSON encoding/json writes from the
// struct tags: the same values, keys in another order.
func samePlainJSON(t *testing.T, snap federation.Snapshot) {
	t.Helper()
	want, err := json.Marshal(snap)
	if err != nil {
		t.Fatal(err)
	}
	got := jsonv.Marshal(snap)
	var gotV, wantV any
	if err := json.Unmarshal(got, &gotV); err != nil {
		t.Fatalf("jsonv.Marshal(snapshot) is not JSON: %v\n%s", err, got)
	}
	_ = json.Unmarshal(want, &wantV)
	if !reflect.DeepEqual(gotV, wantV) {
		t.Errorf("Snapshot's plain form differs from its JSON:\n%s\n%s", got, want)
	}
}

// InitOptions initializes a page as Init does, then merges: a second config
// of the same host adds its new remotes and shared versions (registered, in
// Snapshot), keeps the first's policy, and leaves the page as it was when
// config.Merge refuses it.
func TestInitOptionsMerges(t *testing.T) {
	r := federation.New("test")
	first, err := r.InitOptions(decoded(t, `{"name":"shell","shareStrategy":"loaded-first",
		"shared":{"react":{"version":"19.1.0"}},"remotes":[{"name":"cart","entry":"http://127.0.0.1:9/c.js"}]}`))
	if err != nil || first.Merged || len(first.Shares) != 1 {
		t.Fatalf("first InitOptions = %+v, %v; want an init with one share", first, err)
	}
	if _, err := r.InitOptions(decoded(t, `{"name":"other","remotes":[{"name":"evil","entry":"http://127.0.0.1:9/e.js"}]}`)); errcode.CodeOf(err) != errcode.InitNameMismatch {
		t.Fatalf("InitOptions with another name = %v, want INIT_NAME_MISMATCH", err)
	}
	if _, err := r.InitOptions(decoded(t, `{"name":"shell","security":{"allowedOrigins":["https://evil.example"]},
		"remotes":[{"name":"evil","entry":"https://evil.example/e.js"}]}`)); errcode.CodeOf(err) != errcode.ConfigInvalid {
		t.Fatalf("InitOptions loosening security = %v, want CONFIG_INVALID", err)
	}
	if n := len(r.Snapshot().Remotes); n != 1 {
		t.Fatalf("refused merges registered remotes: %d remotes", n)
	}
	merged, err := r.InitOptions(decoded(t, `{"name":"shell",
		"shared":{"react":[{"version":"19.1.0"},{"version":"18.3.1"}]},
		"remotes":[{"name":"cart","entry":"http://127.0.0.1:9/moved.js"},{"name":"products","entry":"http://127.0.0.1:9/p.js","type":"global"}]}`))
	if err != nil || !merged.Merged {
		t.Fatalf("second InitOptions = %+v, %v; want a merge", merged, err)
	}
	if len(merged.Shares) != 1 || merged.Shares[0].Args.Version != "18.3.1" || merged.Shares[0].Index != 1 {
		t.Errorf("merged shares = %+v, want react 18.3.1 at index 1", merged.Shares)
	}
	snap := r.Snapshot()
	if len(snap.Remotes) != 2 || snap.Remotes[0].Entry != "http://127.0.0.1:9/c.js" || snap.Remotes[1].Name != "products" || snap.Remotes[1].Type != "var" {
		t.Errorf("remotes after the merge = %+v, want cart unchanged and products as var", snap.Remotes)
	}
	if got := len(r.Config().Shared["react"]); got != 2 || r.Config().ShareStrategy != "loaded-first" || snap.Strategy != "loaded-first" {
		t.Errorf("config after the merge: %d react entries, strategy %q", got, r.Config().ShareStrategy)
	}
	choice, err := r.Resolve(r.Consumer("react", "", "shell"))
	if err != nil || choice.Provider.Version != "19.1.0" {
		t.Errorf("react resolves to %+v, %v; want 19.1.0 (both versions registered)", choice.Provider, err)
	}
	if _, err := r.Resolve(share.Consumer{Package: "react", RequiredVersion: "^18.0.0", From: "x", Scope: "default"}); err != nil {
		t.Errorf("react ^18 after the merge: %v", err)
	}
}

// decoded is a config as the bridge hands it to the runtime: decoded, not
// validated (Init and InitOptions validate).
func decoded(t testing.TB, s string) config.Config {
	t.Helper()
	c, err := config.Decode([]byte(s))
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	return c
}
