package remote_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/limits"
	"github.com/fedwasm/fedwasm/federation/remote"
)

func rem(name, entry, alias string) config.Remote {
	return config.Remote{Name: name, Entry: entry, Alias: alias}
}

func names(r *remote.Registry) []string {
	var out []string
	for _, rep := range r.Snapshot() {
		out = append(out, rep.Name)
	}
	return out
}

func TestRegister(t *testing.T) {
	type call struct {
		remotes []config.Remote
		force   bool
		// wantCode is the error code of the call; wantDetails are checked when set.
		wantCode    string
		wantDetails map[string]any
	}
	tests := []struct {
		name        string
		calls       []call
		wantNames   []string
		wantEntries map[string]string // name → entry after all calls
	}{
		{
			name:        "registration order is kept",
			calls:       []call{{remotes: []config.Remote{rem("b", "b.js", ""), rem("a", "a.js", "")}}, {remotes: []config.Remote{rem("c", "c.json", "")}}},
			wantNames:   []string{"b", "a", "c"},
			wantEntries: map[string]string{"a": "a.js", "b": "b.js", "c": "c.json"},
		},
		{
			name:        "duplicate name is ignored without force",
			calls:       []call{{remotes: []config.Remote{rem("cart", "v1.js", "")}}, {remotes: []config.Remote{rem("cart", "v2.js", "")}}},
			wantNames:   []string{"cart"},
			wantEntries: map[string]string{"cart": "v1.js"},
		},
		{
			name:        "duplicate name within one call: the first is kept",
			calls:       []call{{remotes: []config.Remote{rem("cart", "v1.js", ""), rem("cart", "v2.js", "")}}},
			wantNames:   []string{"cart"},
			wantEntries: map[string]string{"cart": "v1.js"},
		},
		{
			name: "force replaces and keeps the position",
			calls: []call{
				{remotes: []config.Remote{rem("cart", "v1.js", ""), rem("user", "u.js", "")}},
				{remotes: []config.Remote{rem("cart", "v2.js", "")}, force: true},
			},
			wantNames:   []string{"cart", "user"},
			wantEntries: map[string]string{"cart": "v2.js", "user": "u.js"},
		},
		{
			name: "force may change the alias of the same remote",
			calls: []call{
				{remotes: []config.Remote{rem("cart", "v1.js", "shop")}},
				{remotes: []config.Remote{rem("cart", "v2.js", "shopping")}, force: true},
			},
			wantNames:   []string{"cart"},
			wantEntries: map[string]string{"cart": "v2.js"},
		},
		{
			name: "invalid remote: CONFIG_INVALID naming the index in this call",
			calls: []call{
				{remotes: []config.Remote{rem("a", "a.js", ""), rem("b", "", "")}, wantCode: errcode.ConfigInvalid,
					wantDetails: map[string]any{"field": "remotes[1].entry"}},
			},
			// Registration is all or nothing: the valid remote before the bad one is not kept.
			wantNames: nil,
		},
		{
			name: "invalid type",
			calls: []call{
				{remotes: []config.Remote{{Name: "a", Entry: "a.js", Type: "amd"}}, wantCode: errcode.ConfigInvalid,
					wantDetails: map[string]any{"field": "remotes[0].type"}},
			},
		},
		{
			name: "alias equal to another remote's name",
			calls: []call{
				{remotes: []config.Remote{rem("cart", "c.js", "")}},
				{remotes: []config.Remote{rem("shop", "s.js", "cart")}, wantCode: errcode.RemoteInvalid,
					wantDetails: map[string]any{"remote": "shop", "alias": "cart", "conflictsWith": "cart"}},
			},
			wantNames: []string{"cart"},
		},
		{
			name: "alias that is a prefix of another remote's name",
			calls: []call{
				{remotes: []config.Remote{rem("cart", "c.js", "")}},
				{remotes: []config.Remote{rem("shop", "s.js", "car")}, wantCode: errcode.RemoteInvalid},
			},
			wantNames: []string{"cart"},
		},
		{
			name: "another remote's name is a prefix of the alias",
			calls: []call{
				{remotes: []config.Remote{rem("cart", "c.js", "")}},
				{remotes: []config.Remote{rem("shop", "s.js", "cart/legacy")}, wantCode: errcode.RemoteInvalid},
			},
			wantNames: []string{"cart"},
		},
		{
			name: "alias overlapping another alias",
			calls: []call{
				{remotes: []config.Remote{rem("cart", "c.js", "store")}},
				{remotes: []config.Remote{rem("shop", "s.js", "storefront")}, wantCode: errcode.RemoteInvalid,
					wantDetails: map[string]any{"remote": "shop", "alias": "storefront", "conflictsWith": "cart"}},
			},
			wantNames: []string{"cart"},
		},
		{
			name: "alias overlapping within the same call",
			calls: []call{
				{remotes: []config.Remote{rem("cart", "c.js", ""), rem("shop", "s.js", "cart")}, wantCode: errcode.RemoteInvalid},
			},
			wantNames: nil, // all or nothing
		},
		{
			name: "alias check is skipped for an ignored duplicate",
			calls: []call{
				{remotes: []config.Remote{rem("cart", "c.js", ""), rem("user", "u.js", "")}},
				{remotes: []config.Remote{rem("user", "u2.js", "cart")}},
			},
			wantNames:   []string{"cart", "user"},
			wantEntries: map[string]string{"user": "u.js"},
		},
		{
			name: "alias check applies to a forced replacement",
			calls: []call{
				{remotes: []config.Remote{rem("cart", "c.js", ""), rem("user", "u.js", "")}},
				{remotes: []config.Remote{rem("user", "u2.js", "cart")}, force: true, wantCode: errcode.RemoteInvalid},
			},
			wantNames:   []string{"cart", "user"},
			wantEntries: map[string]string{"user": "u.js"},
		},
		{
			name: "non-overlapping aliases are fine",
			calls: []call{
				{remotes: []config.Remote{rem("cart", "c.js", "basket"), rem("user", "u.js", "profile")}},
			},
			wantNames: []string{"cart", "user"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := remote.NewRegistry()
			for i, c := range tt.calls {
				err := r.Register(c.remotes, c.force)
				if errcode.CodeOf(err) != c.wantCode {
					t.Fatalf("call %d: Register = %v, want code %q", i, err, c.wantCode)
				}
				if c.wantDetails != nil {
					var coded *errcode.Error
					errors.As(err, &coded)
					for k, v := range c.wantDetails {
						if coded.Details[k] != v {
							t.Errorf("call %d: details[%q] = %v, want %v (all: %v)", i, k, coded.Details[k], v, coded.Details)
						}
					}
				}
			}
			if got := names(r); !reflect.DeepEqual(got, tt.wantNames) {
				t.Errorf("names = %v, want %v", got, tt.wantNames)
			}
			for _, rep := range r.Snapshot() {
				if want, ok := tt.wantEntries[rep.Name]; ok && rep.Entry != want {
					t.Errorf("%s entry = %q, want %q", rep.Name, rep.Entry, want)
				}
				if rep.State != remote.Registered || rep.Requests != 0 {
					t.Errorf("%s: state %q requests %d, want registered/0", rep.Name, rep.State, rep.Requests)
				}
			}
		})
	}
}

func TestRegisterFillsDefaults(t *testing.T) {
	r := remote.NewRegistry()
	in := []config.Remote{rem("cart", "http://x/mf-manifest.json", ""), rem("user", "http://x/remoteEntry.js", "")}
	if err := r.Register(in, false); err != nil {
		t.Fatal(err)
	}
	if in[0].Type != "" {
		t.Errorf("Register changed the caller's slice: %+v", in[0])
	}
	want := []config.Remote{
		{Name: "cart", Entry: "http://x/mf-manifest.json", Type: "manifest", ShareScope: "default", EntryGlobalName: "cart"},
		{Name: "user", Entry: "http://x/remoteEntry.js", Type: "var", ShareScope: "default", EntryGlobalName: "user"},
	}
	for i, rep := range r.Snapshot() {
		if rep.Remote != want[i] {
			t.Errorf("remote %d = %+v, want %+v", i, rep.Remote, want[i])
		}
	}
}

// TestRegisterWebpackGlobalEntry: a remote registered with webpack's
// "global@url" entry is matched with the URL and the global it names; one
// whose entry cannot be read is refused as a whole, naming the field, and
// nothing is registered.
func TestRegisterWebpackGlobalEntry(t *testing.T) {
	r := remote.NewRegistry()
	if err := r.Register([]config.Remote{rem("cart", "cart_app@http://127.0.0.1:8081/remoteEntry.js", "")}, false); err != nil {
		t.Fatal(err)
	}
	got, expose, err := r.Match("cart/Cart")
	if err != nil || expose != "./Cart" || got.Entry != "http://127.0.0.1:8081/remoteEntry.js" || got.EntryGlobalName != "cart_app" || got.Type != "var" {
		t.Fatalf("Match = %+v, %q, %v; want the URL and global cart_app", got, expose, err)
	}
	err = r.Register([]config.Remote{rem("user", "http://x/user.js", ""), rem("shop", "shop@1.2.3", "")}, false)
	if coded := errcode.As(err, ""); err == nil || coded.Code != errcode.ConfigInvalid || coded.Details["field"] != "remotes[1].entry" {
		t.Fatalf("Register of shop@1.2.3 = %v, want CONFIG_INVALID for remotes[1].entry", err)
	}
	if n := len(r.Snapshot()); n != 1 {
		t.Errorf("%d remotes registered after a refused batch, want 1", n)
	}
}

// TestLearnType: a remote whose entry URL does not say its type is
// registered without one; the type the loader learns from the entry's
// Content-Type is kept, and a declared type is never replaced.
func TestLearnType(t *testing.T) {
	r := remote.NewRegistry()
	if err := r.Register([]config.Remote{rem("cart", "http://x/cart", ""), {Name: "user", Entry: "http://x/user", Type: "module"}}, false); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := r.Match("cart"); got.Type != "" {
		t.Fatalf("type before loading = %q, want none", got.Type)
	}
	r.LearnType("cart", "manifest")
	r.LearnType("cart", "var")
	r.LearnType("user", "var")
	r.LearnType("nobody", "var")
	cart, _, _ := r.Match("cart")
	user, _, _ := r.Match("user")
	if cart.Type != "manifest" || user.Type != "module" {
		t.Errorf("types = %q, %q; want manifest (learned first) and module (declared)", cart.Type, user.Type)
	}
}

// TestAliasConflictWithLaterName: an existing remote's alias and a remote
// registered later under that very name make "cart/X" ambiguous. Register
// documents that such overlaps are refused, but only checks the new remote's
// alias, so the conflict goes through and Match picks the alias.
func TestAliasConflictWithLaterName(t *testing.T) {
	r := remote.NewRegistry()
	if err := r.Register([]config.Remote{rem("shop", "s.js", "cart")}, false); err != nil {
		t.Fatal(err)
	}
	err := r.Register([]config.Remote{rem("cart", "c.js", "")}, false)
	if errcode.CodeOf(err) == errcode.RemoteInvalid {
		return
	}
	got, _, _ := r.Match("cart/Button")
	t.Fatalf("Register accepted remote cart although remote shop has alias cart (err = %v); Match(\"cart/Button\") goes to %q", err, got.Name)
}

func TestMatch(t *testing.T) {
	r := remote.NewRegistry()
	if err := r.Register([]config.Remote{
		rem("cart", "c.js", "basket"),
		rem("cart-v2", "c2.js", ""),
		rem("@org/ui", "ui.js", ""),
	}, false); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		id         string
		wantRemote string
		wantExpose string
		wantCode   string
	}{
		{id: "cart", wantRemote: "cart", wantExpose: "."},
		{id: "cart/Button", wantRemote: "cart", wantExpose: "./Button"},
		{id: "cart/components/Button", wantRemote: "cart", wantExpose: "./components/Button"},
		{id: "basket", wantRemote: "cart", wantExpose: "."},
		{id: "basket/CartStore", wantRemote: "cart", wantExpose: "./CartStore"},
		{id: "cart-v2", wantRemote: "cart-v2", wantExpose: "."},
		{id: "cart-v2/Button", wantRemote: "cart-v2", wantExpose: "./Button"},
		{id: "@org/ui/Button", wantRemote: "@org/ui", wantExpose: "./Button"},
		{id: "@org/ui", wantRemote: "@org/ui", wantExpose: "."},
		{id: "carts", wantCode: errcode.RemoteUnknown},
		{id: "car", wantCode: errcode.RemoteUnknown},
		{id: "Cart/Button", wantCode: errcode.RemoteUnknown},
		{id: "user/Profile", wantCode: errcode.RemoteUnknown},
		{id: "", wantCode: errcode.RemoteUnknown},
		{id: "@org", wantCode: errcode.RemoteUnknown},
		{id: "./Button", wantCode: errcode.RemoteUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			got, expose, err := r.Match(tt.id)
			if errcode.CodeOf(err) != tt.wantCode {
				t.Fatalf("Match(%q) err = %v, want code %q", tt.id, err, tt.wantCode)
			}
			if err != nil {
				var coded *errcode.Error
				errors.As(err, &coded)
				if want := []string{"cart", "cart-v2", "@org/ui"}; !reflect.DeepEqual(coded.Details["known"], want) {
					t.Errorf("details.known = %#v, want %#v", coded.Details["known"], want)
				}
				if coded.Details["id"] != tt.id {
					t.Errorf("details.id = %v, want %q", coded.Details["id"], tt.id)
				}
				if !strings.Contains(coded.Message, fmt.Sprintf("%q", tt.id)) || !strings.Contains(coded.Message, "cart-v2") {
					t.Errorf("message %q should name the id and the known remotes", coded.Message)
				}
				if got != (config.Remote{}) || expose != "" {
					t.Errorf("Match returned %+v %q with an error", got, expose)
				}
				return
			}
			if got.Name != tt.wantRemote || expose != tt.wantExpose {
				t.Errorf("Match(%q) = %q %q, want %q %q", tt.id, got.Name, expose, tt.wantRemote, tt.wantExpose)
			}
			if got.Type == "" || got.EntryGlobalName == "" {
				t.Errorf("matched remote lacks defaults: %+v", got)
			}
		})
	}
}

func TestMatchEmptyRegistry(t *testing.T) {
	_, _, err := remote.NewRegistry().Match("cart")
	var coded *errcode.Error
	if !errors.As(err, &coded) || coded.Code != errcode.RemoteUnknown {
		t.Fatalf("err = %v", err)
	}
	if known, ok := coded.Details["known"].([]string); !ok || known == nil || len(known) != 0 {
		t.Errorf("details.known = %#v, want an empty (non-nil) list", coded.Details["known"])
	}
	b, _ := json.Marshal(coded)
	if !strings.Contains(string(b), `"known":[]`) {
		t.Errorf("JSON %s: known should marshal as []", b)
	}
}

func TestRequestFinish(t *testing.T) {
	type step struct {
		op           string // "request", "finish-ok", "finish-err", "finish-coded"
		wantState    remote.State
		wantRequests int
		wantErrCode  string
		wantLoadMs   float64 // step i happens at 12.5*i ms
	}
	plainErr := errors.New("network down")
	codedErr := errcode.New(errcode.RemoteExposeMissing, map[string]any{"expose": "./X"}, "no ./X")
	tests := []struct {
		name  string
		steps []step
	}{
		{
			name: "success",
			steps: []step{
				{op: "request", wantState: remote.Loading, wantRequests: 1},
				{op: "request", wantState: remote.Loading, wantRequests: 2},
				{op: "finish-ok", wantState: remote.Loaded, wantRequests: 2, wantLoadMs: 25}, // from the request that started it
				{op: "request", wantState: remote.Loaded, wantRequests: 3, wantLoadMs: 25},
			},
		},
		{
			name: "failure then retry then success",
			steps: []step{
				{op: "request", wantState: remote.Loading, wantRequests: 1},
				{op: "finish-err", wantState: remote.Failed, wantRequests: 1, wantErrCode: errcode.RemoteLoadFailed, wantLoadMs: 12.5},
				{op: "request", wantState: remote.Loading, wantRequests: 2, wantLoadMs: 12.5},
				{op: "finish-coded", wantState: remote.Failed, wantRequests: 2, wantErrCode: errcode.RemoteExposeMissing, wantLoadMs: 12.5},
				{op: "request", wantState: remote.Loading, wantRequests: 3, wantLoadMs: 12.5},
				{op: "finish-ok", wantState: remote.Loaded, wantRequests: 3, wantLoadMs: 12.5},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := remote.NewRegistry()
			if err := r.Register([]config.Remote{rem("cart", "c.js", ""), rem("other", "o.js", "")}, false); err != nil {
				t.Fatal(err)
			}
			for i, s := range tt.steps {
				at := 12.5 * float64(i)
				switch s.op {
				case "request":
					r.Request("cart", at)
				case "finish-ok":
					r.Finish("cart", nil, at)
				case "finish-err":
					r.Finish("cart", plainErr, at)
				case "finish-coded":
					r.Finish("cart", codedErr, at)
				}
				snap := r.Snapshot()
				rep := snap[0]
				if rep.State != s.wantState || rep.Requests != s.wantRequests {
					t.Fatalf("step %d (%s): state %q requests %d, want %q %d", i, s.op, rep.State, rep.Requests, s.wantState, s.wantRequests)
				}
				gotCode := ""
				if rep.Error != nil {
					gotCode = rep.Error.Code
				}
				if gotCode != s.wantErrCode {
					t.Fatalf("step %d (%s): error %v, want code %q", i, s.op, rep.Error, s.wantErrCode)
				}
				if s.op == "finish-err" && !strings.Contains(rep.Error.Message, "network down") {
					t.Errorf("step %d: error message %q lost the cause", i, rep.Error.Message)
				}
				if rep.LoadMs != s.wantLoadMs {
					t.Errorf("step %d (%s): LoadMs = %v, want %v", i, s.op, rep.LoadMs, s.wantLoadMs)
				}
				if other := snap[1]; other.State != remote.Registered || other.Requests != 0 {
					t.Fatalf("step %d: the other remote changed: %+v", i, other)
				}
			}
		})
	}
}

func TestRequestFinishUnknownIsNoOp(t *testing.T) {
	r := remote.NewRegistry()
	r.Request("ghost", 1)
	r.Finish("ghost", errors.New("x"), 2)
	if snap := r.Snapshot(); len(snap) != 0 {
		t.Errorf("Snapshot = %+v, want empty", snap)
	}
}

// TestFinishWithoutRequest: Finish for a remote that was never requested
// reports no load time.
func TestFinishWithoutRequest(t *testing.T) {
	r := remote.NewRegistry()
	if err := r.Register([]config.Remote{rem("cart", "c.js", "")}, false); err != nil {
		t.Fatal(err)
	}
	r.Finish("cart", nil, 40)
	rep := r.Snapshot()[0]
	if rep.State != remote.Loaded {
		t.Fatalf("state = %q, want loaded", rep.State)
	}
	if rep.LoadMs != 0 {
		t.Errorf("Finish without a Request reports LoadMs = %v, want 0 (no start time)", rep.LoadMs)
	}
}

// TestLoadMsWholeMicroseconds: the load time keeps whole microseconds, as
// inspect() shows it, whatever the clock's fraction.
func TestLoadMsWholeMicroseconds(t *testing.T) {
	r := remote.NewRegistry()
	if err := r.Register([]config.Remote{rem("cart", "c.js", "")}, false); err != nil {
		t.Fatal(err)
	}
	r.Request("cart", 1000.0000004)
	r.Finish("cart", nil, 1002.5)
	if got := r.Snapshot()[0].LoadMs; got != 2.499 {
		t.Errorf("LoadMs = %v, want 2.499", got)
	}
}

func TestForceReRegisterResetsState(t *testing.T) {
	r := remote.NewRegistry()
	_ = r.Register([]config.Remote{rem("cart", "v1.js", "")}, false)
	r.Request("cart", 1)
	r.Finish("cart", errors.New("boom"), 1)
	_ = r.Register([]config.Remote{rem("cart", "v2.js", "")}, true)
	rep := r.Snapshot()[0]
	if rep.State != remote.Registered || rep.Error != nil || rep.Requests != 0 || rep.Entry != "v2.js" {
		t.Errorf("after forced re-register: %+v", rep)
	}
}

func TestSnapshotJSON(t *testing.T) {
	r := remote.NewRegistry()
	_ = r.Register([]config.Remote{rem("cart", "http://x/mf-manifest.json", "basket"), rem("user", "u.js", "")}, false)
	r.Request("cart", 1)
	r.Finish("cart", errors.New("boom"), 1)
	b, err := json.Marshal(r.Snapshot())
	if err != nil {
		t.Fatal(err)
	}
	var got []map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("JSON = %s", b)
	}
	// loadMs is omitted when the load took under a microsecond, so it is not required here.
	for _, k := range []string{"name", "entry", "type", "alias", "shareScope", "entryGlobalName", "state", "error", "requests"} {
		if _, ok := got[0][k]; !ok {
			t.Errorf("cart JSON lacks %q: %v", k, got[0])
		}
	}
	for _, k := range []string{"alias", "error", "loadMs", "integrity"} {
		if _, ok := got[1][k]; ok {
			t.Errorf("user JSON has empty %q: %v", k, got[1])
		}
	}
	if got[0]["state"] != "failed" || got[1]["state"] != "registered" {
		t.Errorf("states = %v, %v", got[0]["state"], got[1]["state"])
	}
	// Snapshot is a copy: changing it does not change the registry.
	snap := r.Snapshot()
	snap[0].State = remote.Loaded
	if r.Snapshot()[0].State != remote.Failed {
		t.Errorf("Snapshot shares memory with the registry")
	}
}

func TestConcurrent(t *testing.T) {
	r := remote.NewRegistry()
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 30; i++ {
				name := fmt.Sprintf("r%d", i%6)
				_ = r.Register([]config.Remote{rem(name, name+".js", "")}, i%4 == 0)
				r.Request(name, float64(i))
				if i%3 == 0 {
					r.Finish(name, errors.New("x"), float64(i+1))
				} else {
					r.Finish(name, nil, float64(i+1))
				}
				_, _, _ = r.Match(name + "/X")
				_ = r.Snapshot()
			}
		}(g)
	}
	wg.Wait()
	if got := len(r.Snapshot()); got != 6 {
		t.Errorf("%d remotes, want 6", got)
	}
}

// The registry holds at most limits.Remotes remotes: a call listing more,
// or one that would take it over, is refused whole with LIMIT_EXCEEDED.
func TestRegisterLimit(t *testing.T) {
	remotes := func(first, n int) []config.Remote {
		list := make([]config.Remote, n)
		for i := range list {
			name := "r" + strconv.Itoa(first+i)
			list[i] = config.Remote{Name: name, Entry: "https://cdn.example.com/" + name + "/remoteEntry.js"}
		}
		return list
	}
	tests := []struct {
		name     string
		before   []config.Remote
		add      []config.Remote
		wantCode string
	}{
		{name: "the limit", add: remotes(0, limits.Remotes)},
		{name: "one over in one call", add: remotes(0, limits.Remotes+1), wantCode: errcode.LimitExceeded},
		{name: "one over across calls", before: remotes(0, limits.Remotes-1), add: remotes(limits.Remotes-1, 2), wantCode: errcode.LimitExceeded},
		{name: "known names again at the limit", before: remotes(0, limits.Remotes), add: remotes(0, 10)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := remote.NewRegistry()
			if err := r.Register(tt.before, false); err != nil {
				t.Fatal(err)
			}
			err := r.Register(tt.add, false)
			if errcode.CodeOf(err) != tt.wantCode {
				t.Fatalf("Register = %v, want code %q", err, tt.wantCode)
			}
			if err != nil && len(r.Snapshot()) != len(tt.before) {
				t.Errorf("a refused call registered %d remotes", len(r.Snapshot())-len(tt.before))
			}
		})
	}
}
