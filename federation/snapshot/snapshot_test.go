package snapshot_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fedwasm/fedwasm/federation"
	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/integrity/sha"
	"github.com/fedwasm/fedwasm/federation/remote"
	"github.com/fedwasm/fedwasm/federation/share"
	"github.com/fedwasm/fedwasm/federation/snapshot"
)

const base = "https://shop.example/"

// cartSRI is demoLike's integrity of its cart remote (sha384 of "cart"); wpSRI and reactSRI are others.
var (
	cartSRI  = "sha384-ui2QVVeRGHkMLzzitLU/IWgYn55CIUTVVsZ2iLc6ahsz/+dCxWjGqdgLDGElRpbc"
	wpSRI    = sha.Of([]byte("wp entry"))
	reactSRI = sha.Of([]byte("react"))
)

// network is a Fetcher over fixed responses; a URL it lacks fails, and it
// records every URL asked for.
type network struct {
	responses map[string]snapshot.Response
	asked     []string
}

func (n *network) Fetch(_ context.Context, u string, timeout time.Duration) (snapshot.Response, error) {
	n.asked = append(n.asked, u)
	if timeout <= 0 || timeout > snapshot.MaxFetchTimeout {
		return snapshot.Response{}, errors.New("unbounded fetch")
	}
	r, ok := n.responses[u]
	if !ok {
		return snapshot.Response{}, errors.New("connection refused")
	}
	return r, nil
}

func manifest(shared string, entryIntegrity string) []byte {
	return []byte(`{"id":"checkout","name":"checkout","metaData":{"remoteEntry":{"name":"remoteEntry.js","path":"","type":"global","integrity":"` + entryIntegrity + `"},
	"globalName":"checkout_app","publicPath":"auto"},"shared":[` + shared + `],"exposes":[]}`)
}

func jsonResponse(body []byte) snapshot.Response {
	return snapshot.Response{Body: body, ContentType: "application/json"}
}

// demoLike is a host like the demo's: strict singletons with imports, ES
// module remotes (one with an integrity) and a bootstrap.
const demoLike = `{"name":"shell","bootstrap":"/host/bootstrap.js",
 "shared":{
  "react":{"version":"19.1.0","import":"/vendor/react.js","shareConfig":{"singleton":true,"strictVersion":true,"requiredVersion":"^19.0.0"}},
  "zustand":{"version":"5.0.3","import":"/vendor/zustand.js","shareConfig":{"singleton":true,"requiredVersion":"^5.0.0"}},
  "lodash":{"version":"4.17.21","import":"https://cdn.example/lodash.js","scope":"legacy"}},
 "remotes":[
  {"name":"cart","entry":"https://cart.example/cart.js","type":"esm","integrity":"sha384-ui2QVVeRGHkMLzzitLU/IWgYn55CIUTVVsZ2iLc6ahsz/+dCxWjGqdgLDGElRpbc"},
  {"name":"promo","entry":"/remotes/promo.js","type":"module"}]}`

func withManifest(remotes string) string {
	return `{"name":"shell","shared":{
  "react":{"version":"19.1.0","import":"/vendor/react.js","shareConfig":{"singleton":true,"requiredVersion":"^19.0.0"}},
  "dayjs":{"version":"1.11.0","import":"/vendor/dayjs.js","shareConfig":{"requiredVersion":"^1.0.0"}}},
 "remotes":[` + remotes + `]}`
}

func TestResolve(t *testing.T) {
	entrySRI := sha.Of([]byte("checkout entry"))
	cases := []struct {
		name      string
		config    string
		network   map[string]snapshot.Response
		integrity map[string]string
		check     func(t *testing.T, s snapshot.Snapshot)
	}{
		{
			name: "demo-like host", config: demoLike,
			integrity: map[string]string{"https://shop.example/vendor/react.js": reactSRI},
			check: func(t *testing.T, s snapshot.Snapshot) {
				want := snapshot.ImportMap{
					Imports:   map[string]string{"react": "https://shop.example/vendor/react.js", "zustand": "https://shop.example/vendor/zustand.js"},
					Integrity: map[string]string{"https://cart.example/cart.js": cartSRI, "https://shop.example/vendor/react.js": reactSRI},
				}
				if !reflect.DeepEqual(s.ImportMap, want) {
					t.Errorf("import map %+v, want %+v", s.ImportMap, want)
				}
				gotShares := []string{}
				for _, sh := range s.Shares {
					gotShares = append(gotShares, sh.Scope+"/"+sh.Package+"@"+sh.Version+" from "+sh.From+" "+sh.URL+" "+string(sh.Rule))
				}
				wantShares := []string{
					"default/react@19.1.0 from shell https://shop.example/vendor/react.js highest",
					"default/zustand@5.0.3 from shell https://shop.example/vendor/zustand.js highest",
					"legacy/lodash@4.17.21 from shell https://cdn.example/lodash.js highest",
				}
				if !slices.Equal(gotShares, wantShares) {
					t.Errorf("shares\n%s\nwant\n%s", strings.Join(gotShares, "\n"), strings.Join(wantShares, "\n"))
				}
				wantPreload := []snapshot.Preload{
					{URL: "https://shop.example/vendor/react.js", Rel: "modulepreload", Integrity: reactSRI, CrossOrigin: "anonymous", What: "share", Name: "react"},
					{URL: "https://shop.example/vendor/zustand.js", Rel: "modulepreload", CrossOrigin: "anonymous", What: "share", Name: "zustand"},
					{URL: "https://shop.example/host/bootstrap.js", Rel: "modulepreload", CrossOrigin: "anonymous", What: "bootstrap"},
					{URL: "https://cart.example/cart.js", Rel: "modulepreload", Integrity: cartSRI, CrossOrigin: "anonymous", What: "remote", Name: "cart"},
					{URL: "https://shop.example/remotes/promo.js", Rel: "modulepreload", CrossOrigin: "anonymous", What: "remote", Name: "promo"},
				}
				if !reflect.DeepEqual(s.Preload, wantPreload) {
					t.Errorf("preload\n%+v\nwant\n%+v", s.Preload, wantPreload)
				}
				if s.Bootstrap != "https://shop.example/host/bootstrap.js" || s.Host != "shell" || s.V != snapshot.FormatVersion {
					t.Errorf("bootstrap %q host %q v %d", s.Bootstrap, s.Host, s.V)
				}
				for _, r := range s.Remotes {
					if r.Status != snapshot.RemoteReady || r.ShareScope != "default" {
						t.Errorf("remote %+v, want ready in scope default", r)
					}
				}
			},
		},
		{
			name:   "manifest remote: its entry, and its higher version wins a non-singleton",
			config: withManifest(`{"name":"checkout","entry":"https://checkout.example/mf-manifest.json"}`),
			network: map[string]snapshot.Response{"https://checkout.example/mf-manifest.json": jsonResponse(
				manifest(`{"name":"dayjs","version":"1.11.9"},{"name":"react","version":"19.2.0","singleton":true}`, entrySRI))},
			check: func(t *testing.T, s snapshot.Snapshot) {
				r := s.Remotes[0]
				want := snapshot.Remote{Name: "checkout", Type: "var", Entry: "https://checkout.example/remoteEntry.js", Integrity: entrySRI,
					EntryGlobalName: "checkout_app", ShareScope: "default", Manifest: "https://checkout.example/mf-manifest.json", Status: snapshot.RemoteReady, Early: true}
				if !reflect.DeepEqual(r, want) {
					t.Errorf("remote %+v, want %+v", r, want)
				}
				byPkg := map[string]snapshot.Share{}
				for _, sh := range s.Shares {
					byPkg[sh.Package] = sh
				}
				if d := byPkg["dayjs"]; d.Version != "1.11.9" || d.From != "checkout" || d.URL != "" {
					t.Errorf("dayjs %+v, want 1.11.9 from checkout's container", d)
				}
				if _, mapped := s.ImportMap.Imports["dayjs"]; mapped {
					t.Errorf("dayjs is in the import map though its provider has no URL: %v", s.ImportMap.Imports)
				}
				last := s.Preload[len(s.Preload)-1]
				if last.Rel != "preload" || last.As != "script" || last.CrossOrigin != "anonymous" || last.URL != want.Entry {
					t.Errorf("the classic entry's preload is %+v", last)
				}
			},
		},
		{
			name:   "unreachable manifest is left to the page",
			config: withManifest(`{"name":"checkout","entry":"https://down.example/mf-manifest.json"}`),
			check: func(t *testing.T, s snapshot.Snapshot) {
				r := s.Remotes[0]
				if r.Status != snapshot.RemoteUnreachable || r.Error == nil || r.Entry != "https://down.example/mf-manifest.json" || r.Type != "manifest" {
					t.Errorf("remote %+v, want unreachable with its error", r)
				}
				for _, p := range s.Preload {
					if p.What == "remote" {
						t.Errorf("an unreachable remote is preloaded: %+v", p)
					}
				}
				if got := s.ImportMap.Imports["dayjs"]; got != "https://shop.example/vendor/dayjs.js" {
					t.Errorf("dayjs maps to %q, want the host's", got)
				}
			},
		},
		{
			name: "manifest whose bytes do not match its integrity is refused",
			config: withManifest(`{"name":"checkout","entry":"https://checkout.example/mf-manifest.json","integrity":"` +
				sha.Of([]byte("other bytes")) + `"}`),
			network: map[string]snapshot.Response{"https://checkout.example/mf-manifest.json": jsonResponse(manifest(`{"name":"dayjs","version":"9.0.0"}`, entrySRI))},
			check: func(t *testing.T, s snapshot.Snapshot) {
				if r := s.Remotes[0]; r.Status != snapshot.RemoteUnreachable || r.Error == nil || r.Error.Code != "INTEGRITY_MISMATCH" {
					t.Errorf("remote %+v, want unreachable with INTEGRITY_MISMATCH", r)
				}
				for _, sh := range s.Shares {
					if sh.From == "checkout" {
						t.Errorf("a refused manifest's version was registered: %+v", sh)
					}
				}
			},
		},
		{
			name: "security.allowedOrigins refuses a remote: not preloaded",
			config: `{"name":"shell","security":{"allowedOrigins":["https://shop.example"]},
			 "remotes":[{"name":"evil","entry":"https://evil.example/e.js","type":"esm"},{"name":"own","entry":"/own.js","type":"esm"}]}`,
			check: func(t *testing.T, s snapshot.Snapshot) {
				if r := s.Remotes[0]; r.Status != snapshot.RemoteUnreachable || r.Error.Code != "ORIGIN_NOT_ALLOWED" {
					t.Errorf("remote %+v, want refused with ORIGIN_NOT_ALLOWED", r)
				}
				if len(s.Preload) != 1 || s.Preload[0].URL != "https://shop.example/own.js" {
					t.Errorf("preload %+v, want only own.js", s.Preload)
				}
			},
		},
		{
			name:   "a Native Federation remote is deferred to its page, which resolves its shares",
			config: `{"name":"shell","remotes":{"nf":"https://nf.example/remoteEntry.json"}}`,
			network: map[string]snapshot.Response{"https://nf.example/remoteEntry.json": jsonResponse([]byte(`{"name":"nf","exposes":[{"key":"./Button","outFileName":"Button.js"}],` +
				`"shared":[{"packageName":"react","outFileName":"react.js","version":"19.3.1","requiredVersion":"^19.0.0","singleton":true,"strictVersion":true}]}`))},
			check: func(t *testing.T, s snapshot.Snapshot) {
				if r := s.Remotes[0]; r.Status != snapshot.RemoteDeferred || r.Early || r.Error != nil {
					t.Errorf("remote %+v, want deferred", r)
				}
				if len(s.Preload) != 0 || len(s.Shares) != 0 {
					t.Errorf("preload %+v, shares %+v; want none", s.Preload, s.Shares)
				}
			},
		},
		{
			name:   "a remote whose type only its response tells is deferred",
			config: `{"name":"shell","remotes":[{"name":"odd","entry":"https://odd.example/entry"}]}`,
			check: func(t *testing.T, s snapshot.Snapshot) {
				if r := s.Remotes[0]; r.Status != snapshot.RemoteDeferred || r.Type != "" {
					t.Errorf("remote %+v, want deferred", r)
				}
				if len(s.Preload) != 0 {
					t.Errorf("preload %+v, want none", s.Preload)
				}
			},
		},
		{
			name: "classic entry with integrity: preload as=script with crossorigin; not in the import map",
			config: `{"name":"shell","remotes":[{"name":"wp","entry":"https://wp.example/remoteEntry.js","type":"var","integrity":"` + wpSRI + `"},
			 {"name":"plain","entry":"https://wp.example/plain.js","type":"var"}]}`,
			check: func(t *testing.T, s snapshot.Snapshot) {
				want := []snapshot.Preload{
					{URL: "https://wp.example/remoteEntry.js", Rel: "preload", As: "script", Integrity: wpSRI, CrossOrigin: "anonymous", What: "remote", Name: "wp"},
					{URL: "https://wp.example/plain.js", Rel: "preload", As: "script", What: "remote", Name: "plain"},
				}
				if !reflect.DeepEqual(s.Preload, want) {
					t.Errorf("preload %+v, want %+v", s.Preload, want)
				}
				if s.ImportMap.Integrity != nil {
					t.Errorf("import map integrity %v, want none for classic scripts", s.ImportMap.Integrity)
				}
			},
		},
		{
			name: "early: a ready entry the page may load before the runtime runs (pinned, or no origin restricted)",
			config: `{"name":"shell","security":{"allowedOrigins":["https://shop.example","https://wp.example"]},"remotes":[
			 {"name":"pinned","alias":"p","entry":"https://wp.example/remoteEntry.js","type":"var","integrity":"` + wpSRI + `"},
			 {"name":"unpinned","entry":"https://wp.example/other.js","type":"var"},
			 {"name":"odd","entry":"https://wp.example/entry"},
			 {"name":"refused","entry":"https://evil.example/e.js","type":"esm","integrity":"` + wpSRI + `"}]}`,
			check: func(t *testing.T, s snapshot.Snapshot) {
				got := map[string]bool{}
				for _, r := range s.Remotes {
					got[r.Name] = r.Early
				}
				want := map[string]bool{"pinned": true, "unpinned": false, "odd": false, "refused": false}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("early %v, want %v", got, want)
				}
				if s.Remotes[0].Alias != "p" {
					t.Errorf("alias %q, want p (the page matches ids by it)", s.Remotes[0].Alias)
				}
			},
		},
		{
			name:   "early: with no origin restricted, every ready entry of a type the loader loads",
			config: `{"name":"shell","remotes":[{"name":"wp","entry":"https://wp.example/remoteEntry.js","type":"var"},{"name":"m","entry":"/m.js","type":"module"},{"name":"odd","entry":"https://wp.example/entry"}]}`,
			check: func(t *testing.T, s snapshot.Snapshot) {
				if !s.Remotes[0].Early || !s.Remotes[1].Early || s.Remotes[2].Early {
					t.Errorf("remotes %+v, want wp and m early, odd (deferred) not", s.Remotes)
				}
			},
		},
		{
			name:   "a non-strict singleton outside the host's range warns, as inspect() does",
			config: `{"name":"shell","shared":{"react":[{"version":"18.3.1","import":"/r18.js","shareConfig":{"singleton":true,"requiredVersion":"^19.0.0"}}]}}`,
			check: func(t *testing.T, s snapshot.Snapshot) {
				sh := s.Shares[0]
				if sh.Version != "18.3.1" || sh.Rule != share.RuleMismatchAllowed || sh.Warning == nil {
					t.Errorf("share %+v, want 18.3.1 under %s with a warning", sh, share.RuleMismatchAllowed)
				}
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in, net := inputs(tc.config, tc.network, tc.integrity)
			s, err := snapshot.Resolve(in)
			if err != nil {
				t.Fatalf("Resolve: %v", err)
			}
			if len(s.Hash) != 64 || s.Hash != in.Hash() {
				t.Errorf("hash %q, want Inputs.Hash %q", s.Hash, in.Hash())
			}
			tc.check(t, s)
			if t.Failed() {
				out, _ := json.MarshalIndent(s, "", "  ")
				t.Logf("snapshot: %s\nfetched: %v", out, net.asked)
			}
		})
	}
}

// inputs gathers cfg's manifests from responses, as the server does.
func inputs(cfg string, responses map[string]snapshot.Response, integrity map[string]string) (snapshot.Inputs, *network) {
	net := &network{responses: responses}
	in := snapshot.Inputs{Config: []byte(cfg), Base: base, Runtime: federation.Version, Integrity: integrity}
	in.Fetched = snapshot.Gather(context.Background(), in.Config, base, net)
	return in, net
}

func TestGatherFetchesOnlyAllowedManifests(t *testing.T) {
	cfg := `{"name":"shell","security":{"allowedOrigins":["https://ok.example"]},"remotes":[
	 {"name":"a","entry":"https://ok.example/mf-manifest.json"},
	 {"name":"b","entry":"https://evil.example/mf-manifest.json"},
	 {"name":"c","entry":"https://ok.example/c.js","type":"esm"}]}`
	in, net := inputs(cfg, nil, nil)
	if !slices.Equal(net.asked, []string{"https://ok.example/mf-manifest.json"}) {
		t.Errorf("fetched %v, want only the allowed manifest, once", net.asked)
	}
	if f := in.Fetched["https://ok.example/mf-manifest.json"]; f.Err == "" {
		t.Errorf("the failed fetch is recorded as %+v, want its error", f)
	}
}

func TestResolveRefusesWhatThePageRefuses(t *testing.T) {
	for _, cfg := range []string{`{`, `{"name":""}`, `{"name":"h","shareStrategy":"first-come"}`, `{"name":"h","shared":{"x":{"version":"not a version"}}}`} {
		if _, err := snapshot.Resolve(snapshot.Inputs{Config: []byte(cfg), Base: base}); err == nil {
			t.Errorf("Resolve(%s) succeeded, want the config's error", cfg)
		}
	}
}

func TestHashNamesEveryInput(t *testing.T) {
	in, _ := inputs(withManifest(`{"name":"checkout","entry":"https://checkout.example/mf-manifest.json"}`),
		map[string]snapshot.Response{"https://checkout.example/mf-manifest.json": jsonResponse(manifest(`{"name":"dayjs","version":"1.11.9"}`, ""))}, nil)
	seen := map[string]string{in.Hash(): "the inputs"}
	change := map[string]func(in *snapshot.Inputs){
		"config":  func(in *snapshot.Inputs) { in.Config = append(append([]byte{}, in.Config...), ' ') },
		"base":    func(in *snapshot.Inputs) { in.Base = "https://other.example/" },
		"runtime": func(in *snapshot.Inputs) { in.Runtime += "+1" },
		"integrity": func(in *snapshot.Inputs) {
			in.Integrity = map[string]string{"https://shop.example/vendor/react.js": "sha384-eA"}
		},
		"manifest": func(in *snapshot.Inputs) {
			f := in.Fetched["https://checkout.example/mf-manifest.json"]
			f.Body = append(append([]byte{}, f.Body...), ' ')
			in.Fetched = map[string]snapshot.Fetched{"https://checkout.example/mf-manifest.json": f}
		},
	}
	for name, edit := range change {
		changed := in
		edit(&changed)
		h := changed.Hash()
		if other, dup := seen[h]; dup {
			t.Errorf("changing the %s gives the hash of %s", name, other)
		}
		seen[h] = name
	}
	again, _ := inputs(string(in.Config), map[string]snapshot.Response{"https://checkout.example/mf-manifest.json": jsonResponse(manifest(`{"name":"dayjs","version":"1.11.9"}`, ""))}, nil)
	if again.Hash() != in.Hash() {
		t.Errorf("the same inputs hash differently")
	}
}

// TestSnapshotAgreesWithRuntime drives a federation.Runtime as the page does
// (init, the import map, the manifests preloadRemote registers, the host's
// loadShare of each package) and checks that the snapshot reports the choices
// the runtime's own inspect() report gives: one source of truth.
func TestSnapshotAgreesWithRuntime(t *testing.T) {
	man := manifest(`{"name":"dayjs","version":"1.11.9"},{"name":"react","version":"19.2.0","singleton":true},{"name":"extra","version":"1.0.0"}`, "")
	cases := map[string]struct {
		config  string
		network map[string]snapshot.Response
	}{
		"demo-like": {config: demoLike},
		"manifest": {config: withManifest(`{"name":"checkout","entry":"https://checkout.example/mf-manifest.json"}`),
			network: map[string]snapshot.Response{"https://checkout.example/mf-manifest.json": jsonResponse(man)}},
		"loaded-first": {config: strings.Replace(withManifest(`{"name":"checkout","entry":"https://checkout.example/mf-manifest.json"}`), `"name":"shell"`, `"name":"shell","shareStrategy":"loaded-first"`, 1),
			network: map[string]snapshot.Response{"https://checkout.example/mf-manifest.json": jsonResponse(man)}},
		"two providers":   {config: `{"name":"shell","shared":{"x":[{"version":"1.0.0","import":"/x1.js"},{"version":"1.2.0","import":"/x12.js","from":"lib"}]}}`},
		"strict mismatch": {config: `{"name":"shell","shared":{"x":[{"version":"1.0.0","import":"/x1.js","shareConfig":{"requiredVersion":"^2.0.0","strictVersion":true}}]}}`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			in, _ := inputs(tc.config, tc.network, nil)
			s, err := snapshot.Resolve(in)
			if err != nil {
				t.Fatalf("Resolve: %v", err)
			}
			cfg, err := config.Decode(in.Config)
			if err != nil {
				t.Fatal(err)
			}
			rt := federation.New(federation.Version)
			configured, _, err := rt.Init(cfg)
			if err != nil {
				t.Fatal(err)
			}
			urls := map[share.ProviderID]string{}
			for _, c := range configured {
				urls[c.ID] = c.Args.Import
			}
			pageMap := rt.ImportMap(configured, func(id share.ProviderID) string { return urls[id] })
			for _, r := range rt.Config().Remotes {
				if f, ok := tc.network[r.Entry]; ok {
					m, err := remote.ParseManifest(f.Body, r.Entry)
					if err != nil {
						t.Fatal(err)
					}
					rt.ProvideFromManifest(r, m)
				}
			}
			host := rt.HostName()
			for _, sh := range s.Shares {
				_, _ = rt.Resolve(rt.Consumer(sh.Package, sh.Scope, host))
			}
			reports := map[[2]string]share.ConsumerReport{}
			for _, pr := range rt.Snapshot().Shares {
				for _, c := range pr.Consumers {
					if c.From == host {
						reports[[2]string{pr.Scope, pr.Package}] = c
					}
				}
			}
			if len(reports) != len(s.Shares) {
				t.Errorf("the runtime reports %d host consumers, the snapshot %d shares", len(reports), len(s.Shares))
			}
			for _, sh := range s.Shares {
				c, ok := reports[[2]string{sh.Scope, sh.Package}]
				if !ok {
					t.Errorf("the runtime reports no host consumer of %s/%s", sh.Scope, sh.Package)
					continue
				}
				if c.Got != sh.Version || c.GotFrom != sh.From || c.Rule != sh.Rule || c.Reason != sh.Reason ||
					!sameErr(c.Warning, sh.Warning) || !sameErr(c.Error, sh.Error) {
					t.Errorf("%s/%s: the runtime reports %s from %s (%s: %s, warning %v, error %v); the snapshot %s from %s (%s: %s, warning %v, error %v)",
						sh.Scope, sh.Package, c.Got, c.GotFrom, c.Rule, c.Reason, c.Warning, c.Error, sh.Version, sh.From, sh.Rule, sh.Reason, sh.Warning, sh.Error)
				}
			}
			// The page writes its map at init, before any manifest is read:
			// where a manifest's version won, the snapshot leaves the package out.
			for pkg, u := range s.ImportMap.Imports {
				if want := "https://shop.example" + pageMap[pkg]; !strings.HasPrefix(pageMap[pkg], "/") || u != want {
					t.Errorf("import map %s → %s; the page's own map says %q", pkg, u, pageMap[pkg])
				}
			}
		})
	}
}

func sameErr(a, b *errcode.Error) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Code == b.Code && a.Message == b.Message
}
