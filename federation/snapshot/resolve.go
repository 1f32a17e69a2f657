package snapshot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/fedwasm/fedwasm/federation"
	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/integrity/sha"
	"github.com/fedwasm/fedwasm/federation/load"
	"github.com/fedwasm/fedwasm/federation/retry"
	"github.com/fedwasm/fedwasm/federation/share"
)

// Inputs are everything a Snapshot depends on; the same Inputs give the same
// Snapshot, and Hash names them.
type Inputs struct {
	// Config is the host's config as the page receives it (federation.json's
	// JSON, remotes included): it is decoded with config.Decode, as the page
	// decodes it.
	Config []byte
	// Base is the absolute URL the page's relative URLs resolve against (its
	// origin with "/", such as "https://shop.example/").
	Base string
	// Runtime is the version of the runtime that resolves (federation.Version).
	Runtime string
	// Integrity gives the SRI of URLs the caller knows the bytes of (shared
	// modules, the bootstrap), by absolute URL.
	Integrity map[string]string
	// Fetched holds the manifests' responses, by the URL fetched (Gather
	// records them); a manifest remote whose URL is missing is unreachable.
	Fetched map[string]Fetched
}

// Fetched is one recorded response to a manifest request, or its failure.
type Fetched struct {
	Response
	Err string `json:"err,omitempty"` // the request failed: nothing else is set
}

// Response is a fetched body and the facts of its response the loading
// policy looks at.
type Response struct {
	Body        []byte `json:"body,omitempty"`
	ContentType string `json:"contentType,omitempty"`
	URL         string `json:"url,omitempty"` // where it came from after redirects ("" when unknown)
	Redirected  bool   `json:"redirected,omitempty"`
}

// Fetcher fetches a manifest for Gather. The server implements it with its
// own HTTP client: GET with CORS semantics left aside, a bounded body, and
// a time limit of its own below timeout.
type Fetcher interface {
	Fetch(ctx context.Context, url string, timeout time.Duration) (Response, error)
}

// MaxFetchTimeout bounds one manifest fetch of Gather, whatever the config's
// retry.timeoutMs says: the page waits for the server's answer.
const MaxFetchTimeout = 2 * time.Second

// Gather fetches the manifests of cfgJSON's manifest remotes through f, one
// attempt each (the page retries; the server does not hold the page up), with
// the config's loading policy applied before each fetch, as the page applies
// it. A remote whose manifest cannot be fetched is recorded as a failure:
// Resolve marks it unreachable. A config that does not decode or validate
// fetches nothing.
func Gather(ctx context.Context, cfgJSON []byte, base string, f Fetcher) map[string]Fetched {
	fetched := map[string]Fetched{}
	cfg, err := config.Decode(cfgJSON)
	if err != nil || cfg.Validate() != nil {
		return fetched
	}
	p := &platform{base: base, fetch: func(u string, timeout time.Duration) (Response, error) {
		if ctx.Err() != nil {
			return Response{}, ctx.Err()
		}
		resp, err := f.Fetch(ctx, u, min(timeout, MaxFetchTimeout))
		if err != nil {
			fetched[u] = Fetched{Err: err.Error()}
			return Response{}, err
		}
		fetched[u] = Fetched{Response: resp}
		return resp, nil
	}}
	loader := load.Loader[struct{}]{Platform: p}
	policy := oneAttempt(&cfg)
	for _, r := range cfg.Remotes {
		if r.Type == "manifest" {
			_, _ = loader.Manifest(policy, r)
		}
	}
	return fetched
}

// oneAttempt is cfg's loading policy with one attempt per URL: no retries,
// no failover domains (the page keeps its own).
func oneAttempt(cfg *config.Config) load.Policy {
	p := load.PolicyOf(cfg)
	p.Retry.Times, p.Retry.Domains = 0, nil
	return p
}

// Hash is the hex sha256 of in's canonical form: every input, each with its
// length, maps in sorted key order.
func (in Inputs) Hash() string {
	h := sha256.New()
	field := func(s string) {
		h.Write([]byte(strconv.Itoa(len(s))))
		h.Write([]byte{':'})
		h.Write([]byte(s))
	}
	field("fedwasm-snapshot/" + strconv.Itoa(FormatVersion))
	field(in.Runtime)
	field(in.Base)
	field(string(in.Config))
	for _, u := range slices.Sorted(maps.Keys(in.Integrity)) {
		field(u)
		field(in.Integrity[u])
	}
	for _, u := range slices.Sorted(maps.Keys(in.Fetched)) {
		f := in.Fetched[u]
		field(u)
		field(f.Err)
		field(f.ContentType)
		field(f.URL)
		field(strconv.FormatBool(f.Redirected))
		field(string(f.Body))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Resolve computes the host's snapshot with federation.Runtime: Init with
// the config, the versions each reachable manifest provides
// (Runtime.ProvideFromManifest, as preloadRemote registers them), then the
// host's own request for each configured package (Runtime.Consumer) and the
// import map (Runtime.ImportMap). A config the runtime refuses is an error
// (the page would refuse it too); a manifest that cannot be used leaves its
// remote unreachable.
func Resolve(in Inputs) (Snapshot, error) {
	cfg, err := config.Decode(in.Config)
	if err != nil {
		return Snapshot{}, err
	}
	rt := federation.New(in.Runtime)
	configured, _, err := rt.Init(cfg)
	if err != nil {
		return Snapshot{}, err
	}
	cfg = *rt.Config() // validated: types inferred, scopes and names filled in
	p := &platform{base: in.Base, fetch: func(u string, _ time.Duration) (Response, error) {
		f, ok := in.Fetched[u]
		switch {
		case !ok:
			return Response{}, errors.New("the server did not fetch " + u)
		case f.Err != "":
			return Response{}, errors.New(f.Err)
		}
		return f.Response, nil
	}}
	loader := load.Loader[struct{}]{Platform: p}
	policy := oneAttempt(&cfg)

	s := Snapshot{V: FormatVersion, Hash: in.Hash(), Host: cfg.Name, Runtime: in.Runtime,
		ImportMap: ImportMap{Imports: map[string]string{}, Integrity: map[string]string{}},
		Shares:    []Share{}, Remotes: []Remote{}, Preload: []Preload{}}
	for _, r := range cfg.Remotes {
		out := remoteOf(loader, policy, rt, r)
		out.Early = loadsEarly(out, policy)
		s.Remotes = append(s.Remotes, out)
	}

	importURLs := map[share.ProviderID]string{}
	for _, c := range configured {
		importURLs[c.ID] = c.Args.Import
	}
	for pkg, u := range rt.ImportMap(configured, func(id share.ProviderID) string { return importURLs[id] }) {
		s.ImportMap.Imports[pkg] = p.Absolute(u)
	}
	s.Shares = shares(rt, configured, importURLs, p, in.Integrity)

	for _, sh := range s.Shares {
		if sh.URL == "" || sh.Error != nil || s.ImportMap.Imports[sh.Package] != sh.URL {
			continue // only what the page imports at start: the host's choices the map names
		}
		s.Preload = append(s.Preload, Preload{URL: sh.URL, Rel: "modulepreload", Integrity: sh.Integrity, CrossOrigin: "anonymous", What: "share", Name: sh.Package})
	}
	if cfg.Bootstrap != "" {
		s.Bootstrap = p.Absolute(cfg.Bootstrap)
		s.Preload = append(s.Preload, Preload{URL: s.Bootstrap, Rel: "modulepreload", Integrity: in.Integrity[s.Bootstrap], CrossOrigin: "anonymous", What: "bootstrap"})
	}
	for _, r := range s.Remotes {
		if r.Status != RemoteReady {
			continue
		}
		pre := Preload{URL: r.Entry, Integrity: r.Integrity, What: "remote", Name: r.Name}
		if r.Type == "var" {
			pre.Rel, pre.As = "preload", "script"
			if r.Integrity != "" {
				pre.CrossOrigin = "anonymous" // as the runtime's <script> with an integrity
			}
		} else {
			pre.Rel, pre.CrossOrigin = "modulepreload", "anonymous"
			if r.Integrity != "" {
				s.ImportMap.Integrity[r.Entry] = r.Integrity // the pin the runtime adds before import()
			}
		}
		s.Preload = append(s.Preload, pre)
	}
	for _, sh := range s.Shares {
		if sh.Integrity != "" && s.ImportMap.Imports[sh.Package] == sh.URL {
			s.ImportMap.Integrity[sh.URL] = sh.Integrity
		}
	}
	if len(s.ImportMap.Integrity) == 0 {
		s.ImportMap.Integrity = nil
	}
	return s, nil
}

// remoteOf is r as the page will load it. A manifest remote is fetched (from
// the record) under the policy and replaced by the entry its manifest names;
// the versions the manifest lists join the share scope. A remote the policy
// refuses is unreachable, with the page's own error.
func remoteOf(loader load.Loader[struct{}], policy load.Policy, rt *federation.Runtime, r config.Remote) Remote {
	out := Remote{Name: r.Name, Alias: r.Alias, Type: r.Type, Entry: loader.Platform.Absolute(r.Entry), Integrity: r.Integrity,
		EntryGlobalName: r.EntryGlobalName, ShareScope: r.ShareScope, Status: RemoteReady}
	unreachable := func(err error) Remote {
		out.Status, out.Error = RemoteUnreachable, errcode.As(err, errcode.RemoteLoadFailed)
		return out
	}
	switch r.Type {
	case "":
		out.Status = RemoteDeferred
		return out
	case "manifest":
		m, err := loader.Manifest(policy, r)
		if err != nil {
			return unreachable(err)
		}
		if m.Native != nil { // a Native Federation remote has no entry to load early: its page resolves its shares
			out.Status = RemoteDeferred
			return out
		}
		entry, err := loader.FromManifest(r, m)
		if err == nil {
			err = loader.Check(policy, entry)
		}
		if err != nil {
			return unreachable(err)
		}
		if _, errs := rt.ProvideFromManifest(r, m); len(errs) > 0 {
			return unreachable(errs[0])
		}
		out.Manifest, out.Type, out.Entry, out.Integrity, out.EntryGlobalName = out.Entry, entry.Type, entry.Entry, entry.Integrity, entry.EntryGlobalName
		return out
	}
	if err := loader.Check(policy, r); err != nil {
		return unreachable(err)
	}
	return out
}

// loadsEarly says whether the page may load r before its runtime runs (see
// Remote.Early).
func loadsEarly(r Remote, policy load.Policy) bool {
	switch r.Type {
	case "var", "module", "esm":
		return r.Status == RemoteReady && (r.Integrity != "" || len(policy.Security.AllowedOrigins) == 0)
	}
	return false
}

// shares resolves each configured (scope, package) for the host, sorted by
// scope and package.
func shares(rt *federation.Runtime, configured []federation.ConfiguredShare, importURLs map[share.ProviderID]string, p *platform, known map[string]string) []Share {
	host := rt.HostName()
	seen := map[[2]string]bool{}
	var keys [][2]string
	for _, c := range configured {
		key := [2]string{c.Args.Scope, c.Package}
		if !seen[key] {
			seen[key] = true
			keys = append(keys, key)
		}
	}
	slices.SortFunc(keys, func(a, b [2]string) int {
		if c := strings.Compare(a[0], b[0]); c != 0 {
			return c
		}
		return strings.Compare(a[1], b[1])
	})
	out := make([]Share, 0, len(keys))
	for _, key := range keys {
		sh := Share{Scope: key[0], Package: key[1]}
		choice, err := rt.Resolve(rt.Consumer(key[1], key[0], host))
		switch {
		case err != nil:
			sh.Error = errcode.As(err, errcode.ShareNotFound)
		case choice.UseFallback:
			sh.Rule, sh.Reason = choice.Rule, choice.Reason
		default:
			sh.Version, sh.From, sh.Rule, sh.Reason, sh.Warning = choice.Provider.Version, choice.Provider.From, choice.Rule, choice.Reason, choice.Warning
			if u := importURLs[choice.ID]; u != "" {
				sh.URL = p.Absolute(u)
				sh.Integrity = known[sh.URL]
			}
		}
		out = append(out, sh)
	}
	return out
}

// platform is load's Platform on the server: it fetches through fetch and
// digests with Go's SHA-2; it never runs code.
type platform struct {
	base  string
	fetch func(url string, timeout time.Duration) (Response, error)
}

type body struct{ Response }

func (b body) Bytes() []byte       { return b.Body }
func (b body) ContentType() string { return b.Response.ContentType }
func (b body) URL() string         { return b.Response.URL }
func (b body) Redirected() bool    { return b.Response.Redirected }

func (p *platform) Fetch(u string, timeout retry.Millis) (load.Body, error) {
	resp, err := p.fetch(u, time.Duration(timeout)*time.Millisecond)
	if err != nil {
		return nil, err
	}
	return body{resp}, nil
}

func (p *platform) Digest(b load.Body, alg string) ([]byte, error) {
	return sha.Sum(alg, b.Bytes()), nil
}

func (p *platform) PinIntegrity(string, string) {}

func (p *platform) Import(u string, _ retry.Millis) (struct{}, error) {
	return struct{}{}, load.Final{Err: errors.New("the server never imports " + u)}
}

func (p *platform) RunScript(u, _ string, _ retry.Millis, _ func() (string, error)) (string, error) {
	return "", load.Final{Err: errors.New("the server never runs " + u)}
}

func (p *platform) Abandon([]string)                         {}
func (p *platform) Container(string) (struct{}, bool)        { return struct{}{}, false }
func (p *platform) Sleep(retry.Millis)                       {}
func (p *platform) Absolute(u string) string                 { abs, _ := p.Resolve(u, p.base); return abs }
func (p *platform) Origin(u string) (origin string, ok bool) { return originOf(u) }

// Resolve resolves ref against the absolute URL base as the URL standard
// does for http(s) URLs; a ref that does not parse is returned unchanged by
// Absolute, so the policy then refuses it.
func (p *platform) Resolve(ref, base string) (string, error) {
	b, err := url.Parse(base)
	if err != nil {
		return ref, err
	}
	r, err := url.Parse(ref)
	if err != nil {
		return ref, err
	}
	return b.ResolveReference(r).String(), nil
}

// originOf is an absolute http(s) URL's origin as browsers write it: scheme
// and host in lower case, without the scheme's default port.
func originOf(raw string) (string, bool) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return "", false
	}
	host, port := strings.ToLower(u.Hostname()), u.Port()
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port != "" && !(u.Scheme == "http" && port == "80") && !(u.Scheme == "https" && port == "443") {
		host += ":" + port
	}
	return u.Scheme + "://" + host, true
}
