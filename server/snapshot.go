package server

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/fedwasm/fedwasm/federation"
	"github.com/fedwasm/fedwasm/federation/snapshot"
)

// MaxManifestBytes is the largest mf-manifest.json the server reads while
// computing a snapshot; a longer one leaves its remote to the page.
const MaxManifestBytes = 1 << 20

// ManifestMaxAge is how long the manifests fetched for a host's snapshot are
// used before they are fetched again: a remote's deploy reaches the snapshot
// within it (a registry edit at once).
const ManifestMaxAge = 30 * time.Second

// maxCachedSnapshots bounds each snapshot cache; past it the cache starts
// over (one entry per host and origin is the usual size).
const maxCachedSnapshots = 256

// snapshots computes hosts' snapshots (federation/snapshot) and keeps them by
// the hash of their inputs, so an unchanged host costs one hash per request.
type snapshots struct {
	fetcher snapshot.Fetcher

	mu       sync.Mutex
	gathered map[[32]byte]gathered        // by config and base: the manifests fetched
	resolved map[string]snapshot.Snapshot // by Inputs.Hash
}

type gathered struct {
	at      time.Time
	fetched map[string]snapshot.Fetched
}

func newSnapshots(f snapshot.Fetcher) *snapshots {
	if f == nil {
		f = httpFetcher{client: &http.Client{Timeout: snapshot.MaxFetchTimeout}}
	}
	return &snapshots{fetcher: f, gathered: map[[32]byte]gathered{}, resolved: map[string]snapshot.Snapshot{}}
}

// forget drops everything cached: the registry changed.
func (c *snapshots) forget() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gathered, c.resolved = map[[32]byte]gathered{}, map[string]snapshot.Snapshot{}
}

// of returns the snapshot of the host whose config the page receives as
// cfgJSON, its paths resolved against origin.
func (c *snapshots) of(ctx context.Context, cfgJSON []byte, origin string) (snapshot.Snapshot, error) {
	in := snapshot.Inputs{Config: cfgJSON, Base: origin + "/", Runtime: federation.Version}
	key := sha256.Sum256(append([]byte(in.Base+"\x00"), cfgJSON...))
	c.mu.Lock()
	g, ok := c.gathered[key]
	c.mu.Unlock()
	if !ok || time.Since(g.at) > ManifestMaxAge {
		g = gathered{at: time.Now(), fetched: snapshot.Gather(ctx, cfgJSON, in.Base, c.fetcher)}
		c.mu.Lock()
		if len(c.gathered) >= maxCachedSnapshots {
			clear(c.gathered)
		}
		c.gathered[key] = g
		c.mu.Unlock()
	}
	in.Fetched = g.fetched
	hash := in.Hash()
	c.mu.Lock()
	s, ok := c.resolved[hash]
	c.mu.Unlock()
	if ok {
		return s, nil
	}
	s, err := snapshot.Resolve(in)
	if err != nil {
		return s, err
	}
	c.mu.Lock()
	if len(c.resolved) >= maxCachedSnapshots {
		clear(c.resolved)
	}
	c.resolved[hash] = s
	c.mu.Unlock()
	return s, nil
}

// httpFetcher fetches manifests with the server's own client: one GET, a
// bounded body, the time limit given.
type httpFetcher struct{ client *http.Client }

func (f httpFetcher) Fetch(ctx context.Context, url string, timeout time.Duration) (snapshot.Response, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return snapshot.Response{}, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := f.client.Do(req)
	if err != nil {
		return snapshot.Response{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return snapshot.Response{}, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxManifestBytes+1))
	if err != nil {
		return snapshot.Response{}, fmt.Errorf("GET %s: %w", url, err)
	}
	if len(body) > MaxManifestBytes {
		return snapshot.Response{}, errors.New("GET " + url + ": the manifest is larger than " + fmt.Sprint(MaxManifestBytes) + " bytes")
	}
	final := resp.Request.URL.String()
	return snapshot.Response{Body: body, ContentType: resp.Header.Get("Content-Type"), URL: final, Redirected: final != url}, nil
}
