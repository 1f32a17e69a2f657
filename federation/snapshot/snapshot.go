// Package snapshot resolves a host's share scope before its page loads, with
// the runtime the page runs (federation.Runtime): the server computes a
// Snapshot from the host's config and its remotes' manifests, serves it in
// federation.json and writes it into the host's HTML, so the browser starts
// every fetch with the first response. It is pure Go: manifests come through
// a Fetcher the caller supplies (the server's bounded HTTP client).
package snapshot

import (
	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/share"
)

// FormatVersion is the Snapshot format this package writes (Snapshot.V).
// A reader that meets another one ignores the snapshot and takes the
// static path.
const FormatVersion = 1

// Snapshot is what the server decided for one host before its page loads.
// docs/snapshot.md describes the format.
type Snapshot struct {
	V int `json:"v"`
	// Hash is the hex sha256 of the canonical inputs (Inputs.Hash): the
	// config's JSON, each manifest's bytes, the integrity list and the
	// runtime version. The same inputs give the same snapshot.
	Hash    string `json:"hash"`
	Host    string `json:"host"`    // the config's name
	Runtime string `json:"runtime"` // the federation.Version that resolved it
	// Bootstrap is the config's bootstrap as an absolute URL ("" when none).
	Bootstrap string    `json:"bootstrap,omitempty"`
	ImportMap ImportMap `json:"importMap"`
	Shares    []Share   `json:"shares"`
	Remotes   []Remote  `json:"remotes"`
	Preload   []Preload `json:"preload"`
}

// ImportMap is the host's import map as the in-page runtime writes it:
// every configured package of the default scope that has an import, mapped
// to the URL of the provider resolved for the host (federation.Runtime's
// ImportMap), and the integrity known for URLs it or the remotes name.
type ImportMap struct {
	Imports   map[string]string `json:"imports"`
	Integrity map[string]string `json:"integrity,omitempty"`
}

// Share is the provider chosen for the host of one configured package, in
// one scope, and why (the rule and reason inspect() reports).
type Share struct {
	Package string `json:"package"`
	Scope   string `json:"scope"`
	Version string `json:"version"`
	From    string `json:"from"`
	// URL is the chosen module's absolute URL; "" when the provider is a
	// remote's container (its manifest listed the version): the page loads
	// it through that container.
	URL       string         `json:"url,omitempty"`
	Integrity string         `json:"integrity,omitempty"`
	Rule      share.Rule     `json:"rule"`
	Reason    string         `json:"reason"`
	Warning   *errcode.Error `json:"warning,omitempty"`
	// Error is why nothing could be chosen (a strict range nothing
	// satisfies): the page meets the same error when it asks.
	Error *errcode.Error `json:"error,omitempty"`
}

// Remote statuses.
const (
	// RemoteReady: the entry, its type and (where known) its integrity are
	// settled; the page may fetch it at once.
	RemoteReady = "ready"
	// RemoteUnreachable: the manifest could not be fetched or was refused;
	// Error says why, and the page loads the remote as today.
	RemoteUnreachable = "unreachable"
	// RemoteDeferred: the entry's type is known only by fetching it (its
	// URL's path does not say), or it is a Native Federation remoteEntry.json
	// (one module per expose, no entry): the page decides, as today.
	RemoteDeferred = "deferred"
)

// Remote is one remote the host's config names, as the page will load it:
// a manifest remote is replaced by the entry its manifest names.
type Remote struct {
	Name            string `json:"name"`
	Alias           string `json:"alias,omitempty"`
	Type            string `json:"type,omitempty"` // var, module or esm; "" when deferred
	Entry           string `json:"entry"`          // absolute URL
	Integrity       string `json:"integrity,omitempty"`
	EntryGlobalName string `json:"entryGlobalName,omitempty"`
	ShareScope      string `json:"shareScope,omitempty"`
	// Manifest is the mf-manifest.json URL the entry came from ("" when the
	// config names the entry itself).
	Manifest string         `json:"manifest,omitempty"`
	Status   string         `json:"status"`
	Error    *errcode.Error `json:"error,omitempty"`
	// Early says the page may load the remote before the runtime runs
	// (loader.js: loadRemote answered from the snapshot): it is ready, of a
	// type the loader loads (var, module, esm), and nothing about loading it
	// needs the runtime's checks there: its bytes are pinned by Integrity, or
	// the policy restricts no origin (so a redirect cannot take it where it
	// may not go).
	Early bool `json:"early,omitempty"`
}

// Preload is one fetch the page should start at once.
type Preload struct {
	URL string `json:"url"`
	// Rel is "modulepreload" for ES modules, "preload" (with As "script")
	// for classic scripts.
	Rel       string `json:"rel"`
	As        string `json:"as,omitempty"`
	Integrity string `json:"integrity,omitempty"`
	// CrossOrigin is the crossorigin attribute: "anonymous" wherever the
	// page's own load uses CORS (ES modules always do; a classic script
	// with an integrity does).
	CrossOrigin string `json:"crossorigin,omitempty"`
	// What says what it is: "share", "bootstrap" or "remote".
	What string `json:"what"`
	Name string `json:"name,omitempty"` // the package or remote it is for
}
