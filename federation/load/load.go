// Package load decides how a remote's entry is loaded: the security policy
// (security.allowedOrigins, security.requireIntegrity), the attempts
// (retry.Plan: failover domains, doubling delays, a cache-busting query for
// ES modules), the integrity check of fetched bytes (fail-closed), the
// manifest's entry and the versions it provides, and the one coded error a
// failed load reports. It does none of the page's work itself: it drives a
// Platform, which fetches, digests, runs scripts and imports modules — the
// http.RoundTripper pattern, with jsbridge as the browser's Platform and a
// fake one in the tests.
package load

import (
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/integrity"
	"github.com/fedwasm/fedwasm/federation/remote"
	"github.com/fedwasm/fedwasm/federation/retry"
	"github.com/fedwasm/fedwasm/federation/share"
)

// Body is a fetched response body, kept where the platform keeps it (a JS
// Uint8Array in the page): Bytes copies it out only when Go must read it.
// URL and Redirected are facts of the response the policy is applied to: a
// URL on an allowed origin may redirect to one that is not.
type Body interface {
	Bytes() []byte
	ContentType() string
	// URL is where the body came from after redirects (the response's url;
	// "" when the platform cannot tell).
	URL() string
	// Redirected reports whether the request was redirected on its way.
	Redirected() bool
}

// Platform is what loading needs from the page. Every method may fail; a
// failure is an attempt's failure unless it is marked Final.
type Platform[M any] interface {
	// Fetch GETs url (CORS) within timeout and returns its body.
	Fetch(url string, timeout retry.Millis) (Body, error)
	// Digest hashes body with alg ("sha256", "sha384" or "sha512"); an error
	// means it cannot be checked here (no crypto.subtle).
	Digest(body Body, alg string) ([]byte, error)
	// PinIntegrity makes the browser refuse other bytes for an ES module at url.
	PinIntegrity(url, sri string)
	// Import imports the ES module at url within timeout.
	Import(url string, timeout retry.Millis) (M, error)
	// RunScript runs the classic script at url within timeout: one script
	// per URL, ever. A script for url already on the page (with sri when not
	// empty) is used, waited for while it loads; otherwise prepare runs
	// first and a new one is added with the integrity prepare returns (none
	// when ""). threw is what the script threw while it ran, where the page
	// can tell (the browser mutes the errors of a cross-origin script run
	// without CORS).
	RunScript(url, sri string, timeout retry.Millis, prepare func() (string, error)) (threw string, err error)
	// Abandon lets what is still under way for urls go once a load has
	// failed (fetches that ran out of time, the scripts the runtime added),
	// so the next load starts fresh rather than wait on them.
	Abandon(urls []string)
	// Container returns the webpack container the page holds as global name.
	Container(name string) (M, bool)
	// Absolute resolves a URL against the page; Resolve resolves ref against
	// an absolute base; Origin is an absolute URL's origin.
	Absolute(url string) string
	Resolve(ref, base string) (string, error)
	Origin(url string) (string, bool)
	// Sleep waits d before a retry.
	Sleep(d retry.Millis)
}

// ManifestFetcher is a Platform that fetches manifests its own way (the
// page's plugins' fetch hook, which MF calls for manifests only): Manifest
// uses FetchManifest, where the platform has it, in place of Fetch.
type ManifestFetcher interface {
	FetchManifest(r config.Remote, url string, timeout retry.Millis) (Body, error)
}

// ErrTimeout is what an attempt that ran out of time wraps.
var ErrTimeout = errors.New("timed out")

// ErrNotManifest is Manifest's answer for a remote of unknown type (its
// entry URL's path did not say) whose entry is not served as JSON: it is a
// var script.
var ErrNotManifest = errors.New("the entry is not served as JSON")

// Final marks an attempt's failure that retrying cannot cure.
type Final struct{ Err error }

func (f Final) Error() string { return f.Err.Error() }

// Unwrap returns the failure.
func (f Final) Unwrap() error { return f.Err }

// Policy is what the host's config says about loading.
type Policy struct {
	Security config.Security
	Retry    config.Retry
}

// PolicyOf returns cfg's loading policy (the defaults before init).
func PolicyOf(cfg *config.Config) Policy {
	p := Policy{Retry: cfg.RetryPolicy()}
	if cfg != nil {
		p.Security = cfg.Security
	}
	return p
}

// Loader loads remote entries and manifests through a Platform.
type Loader[M any] struct {
	Platform Platform[M]
}

// Check applies security.requireIntegrity and security.allowedOrigins to r
// before anything of it is fetched: every URL its attempts may use (the
// entry and its failover domains) must be an http(s) URL on an allowed
// origin. Manifest and Entry call it, so the entry a manifest names is
// checked as the configured one is.
func (l Loader[M]) Check(p Policy, r config.Remote) error {
	if p.Security.RequireIntegrity && r.Integrity == "" {
		return errcode.New(errcode.IntegrityRequired, map[string]any{"remote": r.Name},
			"remote "+strconv.Quote(r.Name)+" has no integrity, and security.requireIntegrity is on; add its sha384 integrity to the config (the registry computes it)")
	}
	entry := l.Platform.Absolute(r.Entry)
	if err := l.checkOrigin(p, r, entry, ""); err != nil {
		return err
	}
	for _, a := range retry.Plan(entry, p.Retry, false)[1:] {
		if err := l.checkOrigin(p, r, a.URL, ""); err != nil {
			return err
		}
	}
	return nil
}

// checkOrigin refuses the absolute url, where r's code or manifest would come
// from, unless it is an http(s) URL whose origin is in
// security.allowedOrigins (any origin when that list is empty). data:, blob:
// and javascript: URLs are refused whatever the list says: a blob: URL has
// the origin of the page that made it, and the others run whatever they
// carry. from, when not empty, is the URL that redirected to url.
func (l Loader[M]) checkOrigin(p Policy, r config.Remote, url, from string) error {
	allowed := p.Security.AllowedOrigins
	scheme := schemeOf(url)
	web := scheme == "http" || scheme == "https"
	if web && len(allowed) == 0 {
		return nil
	}
	if origin, ok := l.Platform.Origin(url); web && ok && slices.Contains(allowed, origin) {
		return nil
	}
	details := map[string]any{"remote": r.Name, "entry": url, "allowedOrigins": allowed}
	where := "is served from " + clip(url)
	if from != "" {
		details["entry"], details["redirectedTo"] = from, url
		where = "is served from " + clip(from) + ", which redirected to " + clip(url)
	}
	if !web {
		return errcode.New(errcode.OriginNotAllowed, details,
			"remote "+strconv.Quote(r.Name)+" "+where+", a "+scheme+": URL; code runs only from http(s) URLs (data:, blob: and javascript: URLs are refused), so it was not loaded")
	}
	return errcode.New(errcode.OriginNotAllowed, details,
		"remote "+strconv.Quote(r.Name)+" "+where+", which is not in security.allowedOrigins ["+strings.Join(allowed, " ")+"]; add the origin or load the remote from an allowed one")
}

// checkArrival applies the policy to where body, fetched from url, came from
// after redirects: a URL on an allowed origin may redirect to one that is
// not. A refusal is Final.
func (l Loader[M]) checkArrival(p Policy, r config.Remote, url string, body Body) error {
	arrived, from := body.URL(), ""
	if arrived == "" {
		return nil
	}
	if body.Redirected() {
		from = url
	}
	if err := l.checkOrigin(p, r, arrived, from); err != nil {
		return Final{Err: err}
	}
	return nil
}

// schemeOf is an absolute URL's scheme, lower-cased ("" when it has none).
func schemeOf(url string) string {
	scheme, _, ok := strings.Cut(url, ":")
	if !ok || scheme == "" {
		return ""
	}
	for _, c := range scheme {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.') {
			return ""
		}
	}
	return strings.ToLower(scheme)
}

// clip shortens a URL for a message: a data: URL can be the whole script.
func clip(url string) string {
	return errcode.Clip(url, 120)
}

// Manifest fetches r's mf-manifest.json under the policy (Check), with
// retries, checks it against r's integrity and parses it. For a remote of unknown type (Type "") the
// response's Content-Type decides (config.TypeForContentType): one that is
// not JSON ends it with ErrNotManifest, so a manifest is fetched once either way.
func (l Loader[M]) Manifest(p Policy, r config.Remote) (remote.Manifest, error) {
	var manifest remote.Manifest
	if err := l.Check(p, r); err != nil {
		return manifest, err // preloadRemote reads manifests without loading the entry
	}
	var tried []string
	_, err := attempts(l, p, r, false, func(a retry.Attempt) (M, error) {
		var none M
		tried = append(tried, a.URL)
		var body Body
		var err error
		if f, ok := l.Platform.(ManifestFetcher); ok {
			body, err = f.FetchManifest(r, a.URL, a.Timeout)
		} else {
			body, err = l.Platform.Fetch(a.URL, a.Timeout)
		}
		if err != nil {
			return none, err
		}
		if err := l.checkArrival(p, r, a.URL, body); err != nil {
			return none, err
		}
		if r.Type == "" && config.TypeForContentType(body.ContentType()) != "manifest" {
			return none, Final{Err: ErrNotManifest}
		}
		if err := l.checkIntegrity(r, a.URL, "the manifest ", body); err != nil {
			return none, err
		}
		m, err := remote.ParseManifest(body.Bytes(), a.URL)
		if err != nil {
			return none, err // a truncated or wrong body may be healed by the next attempt
		}
		manifest = m
		return none, nil
	})
	if err != nil {
		l.Platform.Abandon(tried) // a fetch that ran out of time is let go
	}
	if coded, ok := errors.AsType[*errcode.Error](err); ok {
		coded.Details["stage"] = "manifest" // which fetch failed: the manifest, not the entry
	}
	return manifest, err
}

// FromManifest is r as its manifest m describes it: the entry URL, its type,
// its container's global name and its integrity. The integrity configured
// for a manifest remote covers the manifest; the manifest carries it on to
// the entry with metaData.remoteEntry.integrity (MF 2.0 manifests have no
// digest of their entry: buildInfo.hash and the items' hash are build
// hashes). A pinned manifest that names no integrity for its entry is
// refused: the pin would otherwise stop at the JSON, and the code it names
// would run unchecked.
func (l Loader[M]) FromManifest(r config.Remote, m remote.Manifest) (config.Remote, error) {
	manifestURL := l.Platform.Absolute(r.Entry)
	if m.Native != nil {
		return r, errcode.New(errcode.RemoteInvalidManifest, map[string]any{"remote": r.Name, "url": manifestURL},
			"remote "+strconv.Quote(r.Name)+": "+manifestURL+" is a Native Federation remoteEntry.json, which names one ES module per expose and no entry; load its modules with loadRemote(\""+r.Name+"/<expose>\")")
	}
	entryURL, err := m.EntryURL(manifestURL, l.Platform.Resolve)
	if err != nil {
		return r, err
	}
	if r.Integrity != "" && m.MetaData.RemoteEntry.Integrity == "" {
		return r, errcode.New(errcode.IntegrityRequired, map[string]any{"remote": r.Name, "url": manifestURL, "entry": entryURL},
			"remote "+strconv.Quote(r.Name)+": the manifest "+manifestURL+" matches its integrity but gives none for its entry "+clip(entryURL)+
				" (metaData.remoteEntry.integrity), so the entry was not loaded; publish the entry's sha384 integrity in the manifest, or configure the remote by its entry URL with its integrity")
	}
	r.Entry, r.Type, r.Integrity = entryURL, m.EntryType(), m.MetaData.RemoteEntry.Integrity
	if m.MetaData.GlobalName != "" {
		r.EntryGlobalName = m.MetaData.GlobalName
	}
	return r, nil
}

// Provided lists the versions r's manifest m says the remote provides, as
// providers of r's share scope: they take part in choosing before the
// remote's entry is downloaded. Items whose version is not a version are
// left to Register to refuse.
func Provided(r config.Remote, m remote.Manifest) []share.Provider {
	out := make([]share.Provider, 0, len(m.Shared))
	for _, s := range m.Shared {
		out = append(out, share.Provider{Package: s.Name, Version: s.Version, Scope: r.ShareScope, From: r.Name})
	}
	return out
}

// Entry loads r's entry (r's type is var, module or esm: a manifest remote
// is first turned into its entry with FromManifest): the container global a
// var script defines, or the ES module's exports. The policy (Check) applies
// to the entry first, wherever it came from. A var container the page
// already holds is then used without loading anything, as MF does.
//
// With an integrity, or where security.allowedOrigins restricts origins, the
// entry is fetched before it runs, and the policy applied to where the fetch
// ended after redirects: neither import() nor a <script> tells where its
// code came from. The run is then bound to the checked bytes by their
// integrity (an import map's for an ES module, the <script>'s own), so a
// second request that redirects elsewhere cannot run other code: the
// browser refuses bytes other than those checked. A page that cannot
// digest (no crypto.subtle outside secure contexts) runs an unpinned entry
// after the check alone: such a page has no integrity at all, and its
// network can rewrite whatever the allowlist admits.
func (l Loader[M]) Entry(p Policy, r config.Remote) (M, error) {
	var none M
	if err := l.Check(p, r); err != nil {
		return none, err
	}
	esModule := r.Type != "var"
	if !esModule {
		if existing, ok := l.Platform.Container(r.EntryGlobalName); ok {
			return existing, nil
		}
	}
	var tried []string
	bound := map[string]string{} // URL → the integrity its run is bound to
	entry, err := attempts(l, p, r, esModule, func(a retry.Attempt) (M, error) {
		tried = append(tried, a.URL)
		prepare := func() (string, error) {
			// A retry at the URL of a run that ran out of time waits for
			// that run, which is bound already: no second check.
			if sri, ok := bound[a.URL]; ok {
				return sri, nil
			}
			sri, err := l.checked(p, r, a)
			if err == nil {
				bound[a.URL] = sri
			}
			return sri, err
		}
		if esModule {
			sri, err := prepare()
			if err != nil {
				return none, err
			}
			if sri != "" {
				l.Platform.PinIntegrity(l.Platform.Absolute(a.URL), sri)
			}
			return l.Platform.Import(a.URL, a.Timeout)
		}
		threw, err := l.Platform.RunScript(a.URL, r.Integrity, a.Timeout, prepare)
		if err != nil {
			return none, err
		}
		container, ok := l.Platform.Container(r.EntryGlobalName)
		if !ok {
			details := map[string]any{"remote": r.Name, "url": a.URL, "global": r.EntryGlobalName}
			what := " loaded but defined no container window." + r.EntryGlobalName + " with init and get; check the remote's library name (entryGlobalName) and type"
			if threw != "" {
				details["cause"] = firstLine(threw)
				what = " threw while it ran (" + firstLine(threw) + ") and defined no container window." + r.EntryGlobalName + "; fix the error in the remote's entry (the console shows its stack)"
			}
			return none, Final{Err: errcode.New(errcode.RemoteContainerMissing, details, "remote "+strconv.Quote(r.Name)+": "+a.URL+what)}
		}
		return container, nil // a script that threw after defining its container works
	})
	if err != nil {
		// A fetch or script that ran out of time was kept while the retries
		// of its URL waited for it (the browser runs a script even if it is
		// removed, and a second one would run the entry again); the next
		// load starts afresh.
		l.Platform.Abandon(tried)
	}
	return entry, err
}

// checked fetches attempt a's entry when r has an integrity or the policy
// restricts origins, applies the policy to where the fetch ended and the
// integrity to its bytes, and returns the integrity its run is bound to ("":
// none). Without either there is nothing to check, and nothing is fetched.
func (l Loader[M]) checked(p Policy, r config.Remote, a retry.Attempt) (string, error) {
	if r.Integrity == "" && len(p.Security.AllowedOrigins) == 0 {
		return "", nil
	}
	body, err := l.Platform.Fetch(a.URL, a.Timeout)
	if err != nil {
		return "", err
	}
	if err := l.checkArrival(p, r, a.URL, body); err != nil {
		return "", err
	}
	if r.Integrity != "" {
		return r.Integrity, l.checkIntegrity(r, a.URL, "", body)
	}
	sum, err := l.Platform.Digest(body, boundAlg)
	if err != nil {
		return "", nil // no digest here: see Entry
	}
	return integrity.Format(boundAlg, sum), nil
}

// boundAlg is the algorithm of the integrity an entry checked only for its
// origin is bound to, the one the registry writes.
const boundAlg = "sha384"

// attempts runs attempt for each planned URL of r until one succeeds; the
// error after the last names every URL tried. A Final failure ends it at once.
func attempts[M any](l Loader[M], p Policy, r config.Remote, esModule bool, attempt func(retry.Attempt) (M, error)) (M, error) {
	var none M
	var tried []string
	var last error
	codes := map[string]bool{}
	for _, a := range retry.Plan(l.Platform.Absolute(r.Entry), p.Retry, esModule) {
		if a.Delay > 0 {
			l.Platform.Sleep(a.Delay)
		}
		if esModule && errors.Is(last, ErrTimeout) && l.sameOrigin(tried[len(tried)-1], a.URL) {
			// The import that ran out of time is still under way: importing
			// its URL again waits for it, where a cache-busting URL would
			// fetch and run a second instance of the module.
			a.URL = tried[len(tried)-1]
		}
		tried = append(tried, a.URL)
		v, err := attempt(a)
		if err == nil {
			return v, nil
		}
		last = err
		codes[errcode.CodeOf(err)] = true
		if final, ok := errors.AsType[Final](err); ok {
			return none, final.Err
		}
	}
	if coded, ok := errors.AsType[*errcode.Error](last); ok && len(codes) == 1 && coded.Code == errcode.RemoteInvalidManifest {
		coded.Details["urls"] = tried // every attempt got the same bad manifest: say so, not just "failed"
		return none, coded
	}
	return none, errcode.New(errcode.RemoteLoadFailed,
		map[string]any{"remote": r.Name, "type": r.Type, "urls": tried, "cause": last.Error()},
		"remote "+strconv.Quote(r.Name)+" could not be loaded after "+strconv.Itoa(len(tried))+" attempt(s) ("+last.Error()+"); tried ["+strings.Join(tried, " ")+"]. Check that it is up and allows CORS from this origin; the host keeps running")
}

// sameOrigin reports whether two absolute URLs have the same origin.
func (l Loader[M]) sameOrigin(a, b string) bool {
	originA, okA := l.Platform.Origin(a)
	originB, okB := l.Platform.Origin(b)
	return okA && okB && originA == originB
}

// checkIntegrity checks body, fetched from url for remote r, against
// r.Integrity (none: nothing to check); what names the body in the message
// ("the manifest "). A mismatch, or a page that cannot digest, is Final: the
// body is not used and not retried.
func (l Loader[M]) checkIntegrity(r config.Remote, url, what string, body Body) error {
	if r.Integrity == "" {
		return nil
	}
	err := integrity.Check(r.Integrity, func(alg string) ([]byte, error) { return l.Platform.Digest(body, alg) })
	if err == nil {
		return nil
	}
	details := map[string]any{"remote": r.Name, "url": url, "integrity": r.Integrity, "cause": err.Error()}
	if _, ok := errors.AsType[*integrity.DigestError](err); ok {
		return Final{Err: errcode.New(errcode.IntegrityUnavailable, details,
			"remote "+strconv.Quote(r.Name)+": "+what+url+" has an integrity, which could not be checked ("+err.Error()+"), so it was not used. Browsers give crypto.subtle only to secure contexts: serve the host over https (or from localhost)")}
	}
	used := "the remote was not run. Publish the new integrity with the new build, or fix what serves it"
	if what != "" {
		used = "it was not used"
	}
	return Final{Err: errcode.New(errcode.IntegrityMismatch, details,
		"remote "+strconv.Quote(r.Name)+": "+what+url+" does not match its integrity ("+err.Error()+"); "+used)}
}

// NativeFile is one file of a Native Federation remote's remoteEntry.json,
// as loading uses it: its absolute URL and the integrity its import is bound
// to ("" when none).
type NativeFile struct {
	URL       string
	Integrity string
}

// nativeFile resolves file, named by remote r's remoteEntry.json m, to its
// URL and applies the policy to it as to any entry (Check: an http(s) URL on
// an allowed origin; an integrity where security.requireIntegrity asks for
// one). The integrity is the remoteEntry.json's for the file (its
// integrityHashes); a remote whose remoteEntry.json is pinned by an
// integrity in the host's config must give one for each file, so that the
// pin reaches the code it names.
func (l Loader[M]) nativeFile(p Policy, r config.Remote, m remote.Manifest, field, file string) (NativeFile, error) {
	manifestURL := l.Platform.Absolute(r.Entry)
	url, err := m.Native.FileURL(file, manifestURL, l.Platform.Resolve)
	if err != nil {
		if coded, ok := errors.AsType[*errcode.Error](err); ok {
			coded.Details["field"], coded.Details["remote"] = field, r.Name
		}
		return NativeFile{}, err
	}
	sri := m.Native.Integrity[file]
	if r.Integrity != "" && sri == "" {
		return NativeFile{}, errcode.New(errcode.IntegrityRequired, map[string]any{"remote": r.Name, "url": manifestURL, "file": url},
			"remote "+strconv.Quote(r.Name)+": the remoteEntry.json "+manifestURL+" matches its integrity but gives none for "+clip(url)+
				" (its integrity map), so the file was not loaded; build the remote with Native Federation's integrityHashes feature")
	}
	if err := l.Check(p, config.Remote{Name: r.Name, Entry: url, Integrity: sri}); err != nil {
		return NativeFile{}, err
	}
	return NativeFile{URL: url, Integrity: sri}, nil
}

// NativeExpose is expose of the Native Federation remote r (m is its
// remoteEntry.json) as the ES module loadRemote imports: a remote of type
// esm at the file's URL, with the file's integrity, checked under the
// policy. An expose the remoteEntry.json does not list is
// REMOTE_EXPOSE_MISSING.
func (l Loader[M]) NativeExpose(p Policy, r config.Remote, m remote.Manifest, expose string) (config.Remote, error) {
	e, ok := m.Native.Expose(expose)
	if !ok {
		keys := make([]string, 0, min(len(m.Native.Exposes), 20))
		for _, x := range m.Native.Exposes[:min(len(m.Native.Exposes), 20)] {
			keys = append(keys, x.Key)
		}
		return r, errcode.New(errcode.RemoteExposeMissing, map[string]any{"remote": r.Name, "expose": expose, "exposes": keys},
			"remote "+strconv.Quote(r.Name)+"'s remoteEntry.json does not expose "+strconv.Quote(expose)+" (it exposes ["+strings.Join(keys, " ")+"]); check the id against the remote's exposes")
	}
	file, err := l.nativeFile(p, r, m, "exposes", e.OutFileName)
	if err != nil {
		return r, err
	}
	r.Entry, r.Type, r.Integrity, r.EntryGlobalName = file.URL, "esm", file.Integrity, ""
	return r, nil
}

// NativeShare is one package a Native Federation remote shares: the
// provider it adds to the remote's share scope, the remote's own request for
// the package with the rules it declared, and the file that provider's
// module is imported from.
type NativeShare struct {
	Provider share.Provider
	Consumer share.Consumer
	File     NativeFile
}

// NativeShareOf is s, one package Native Federation remote r shares, as a
// provider of r's share scope and r's own request for it with the rules its
// remoteEntry.json declares; its File is left for NativeShares to fill under
// the policy.
func NativeShareOf(r config.Remote, s remote.NativeShared) NativeShare {
	scope := r.ShareScope
	if scope == "" {
		scope = config.DefaultScope
	}
	return NativeShare{
		Provider: share.Provider{Package: s.PackageName, Version: s.Version, Scope: scope, From: r.Name},
		Consumer: share.Consumer{Package: s.PackageName, Scope: scope, From: r.Name, RequiredVersion: s.RequiredVersion,
			Singleton: s.Singleton, StrictVersion: s.StrictVersion},
	}
}

// NativeShares lists what Native Federation remote r (m is its
// remoteEntry.json) shares, each file checked under the policy. A file the
// policy refuses is left out with its error (the remote's own request for
// that package still takes part, and gets another provider's version).
func (l Loader[M]) NativeShares(p Policy, r config.Remote, m remote.Manifest) ([]NativeShare, []error) {
	var out []NativeShare
	var errs []error
	for _, s := range m.Native.Shared {
		ns := NativeShareOf(r, s)
		file, err := l.nativeFile(p, r, m, "shared", s.OutFileName)
		if err != nil {
			errs = append(errs, err)
		} else {
			ns.File = file
		}
		out = append(out, ns)
	}
	return out, errs
}

// NativeScopeURL is the directory of Native Federation remote r's
// remoteEntry.json: its files are there, and the import map scope that
// gives its bare imports their modules is keyed by it.
func (l Loader[M]) NativeScopeURL(r config.Remote) (string, error) {
	manifestURL := l.Platform.Absolute(r.Entry)
	dir, err := l.Platform.Resolve("./", manifestURL)
	if err != nil {
		return "", errcode.New(errcode.RemoteInvalidManifest, map[string]any{"remote": r.Name, "url": manifestURL},
			"remote "+strconv.Quote(r.Name)+": the remoteEntry.json URL "+clip(manifestURL)+" has no directory: "+err.Error())
	}
	return dir, nil
}
