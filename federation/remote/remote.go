// Package remote is the remote registry: which remotes a host knows, how a
// request id such as "cart/CartStore" maps to a remote and an expose, and the
// load state of each remote for inspect().
package remote

import (
	"math"
	"strconv"
	"strings"
	"sync"

	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/limits"
)

// State is where a remote is in its life.
type State string

// Remote states.
const (
	Registered State = "registered" // known, never requested: never fetched
	Loading    State = "loading"
	Loaded     State = "loaded"
	Failed     State = "failed"
)

// Report is one remote as inspect() shows it.
type Report struct {
	config.Remote
	State    State          `json:"state"`
	LoadMs   float64        `json:"loadMs,omitempty"`
	Error    *errcode.Error `json:"error,omitempty"`
	Requests int            `json:"requests"`
}

// Registry holds the remotes in registration order. It is safe for concurrent use.
type Registry struct {
	mu      sync.Mutex
	order   []string
	remotes map[string]*Report
	// started is when each load began, in milliseconds on the caller's clock.
	started map[string]float64
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{remotes: map[string]*Report{}, started: map[string]float64{}}
}

// Register adds remotes, all or none: if any is invalid, nothing changes. A
// name already registered is kept unless force is set. A name or alias that is
// a prefix of another remote's name or alias is refused, since request ids
// could not be matched unambiguously.
func (r *Registry) Register(remotes []config.Remote, force bool) error {
	if err := limits.Check("remote registry", "remotes given at once", len(remotes), limits.Remotes, tooManyRemotes); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	order := append([]string(nil), r.order...)
	next := make(map[string]*Report, len(r.remotes)+len(remotes))
	for name, rep := range r.remotes {
		next[name] = rep
	}
	for i, rem := range remotes {
		if err := rem.Validate("remotes[" + strconv.Itoa(i) + "]"); err != nil {
			return err
		}
		if _, ok := next[rem.Name]; ok && !force {
			continue
		}
		if err := checkPrefixes(rem, order, next); err != nil {
			return err
		}
		if _, ok := next[rem.Name]; !ok {
			order = append(order, rem.Name)
		}
		next[rem.Name] = &Report{Remote: rem, State: Registered}
		if err := limits.Check("remote registry", "remotes registered", len(order), limits.Remotes, tooManyRemotes); err != nil {
			return err
		}
	}
	r.order, r.remotes = order, next
	return nil
}

// tooManyRemotes is what to do about more remotes than limits.Remotes.
var tooManyRemotes = "a page holds at most " + strconv.Itoa(limits.Remotes) + " remotes"

// checkPrefixes refuses rem when its name or alias and another remote's name
// or alias are prefixes of one another.
func checkPrefixes(rem config.Remote, order []string, remotes map[string]*Report) error {
	for _, name := range order {
		other := remotes[name]
		if other.Name == rem.Name {
			continue
		}
		for _, mine := range []string{rem.Name, rem.Alias} {
			for _, taken := range []string{other.Name, other.Alias} {
				if mine == "" || taken == "" || (mine == rem.Name && taken == other.Name) {
					continue // two plain names never clash: "cart" and "cart-v2" are both exact
				}
				if strings.HasPrefix(taken, mine) || strings.HasPrefix(mine, taken) {
					return errcode.New(errcode.RemoteInvalid, map[string]any{"remote": rem.Name, "alias": rem.Alias, "conflictsWith": other.Name},
						"remote "+strconv.Quote(rem.Name)+": "+strconv.Quote(mine)+" overlaps "+strconv.Quote(taken)+" of remote "+strconv.Quote(other.Name)+", so request ids could not be matched unambiguously; choose names and aliases that are not prefixes of one another")
				}
			}
		}
	}
	return nil
}

// Match maps a request id to its remote and expose ("." for the remote itself,
// "./X" for "name/X"), trying names and aliases in registration order.
func (r *Registry) Match(id string) (config.Remote, string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, name := range r.order {
		rem := r.remotes[name]
		for _, prefix := range []string{rem.Name, rem.Alias} {
			if prefix == "" || !strings.HasPrefix(id, prefix) {
				continue
			}
			switch rest := id[len(prefix):]; {
			case rest == "":
				return rem.Remote, ".", nil
			case strings.HasPrefix(rest, "/"):
				return rem.Remote, "." + rest, nil
			}
		}
	}
	known := make([]string, len(r.order))
	copy(known, r.order)
	return config.Remote{}, "", errcode.New(errcode.RemoteUnknown, map[string]any{"id": id, "known": known},
		"loadRemote("+strconv.Quote(id)+"): no registered remote matches; known remotes: ["+strings.Join(known, " ")+"]. Add it to the config's \"remotes\" or call fedwasm.registerRemotes")
}

// Request counts a request for name and marks it loading unless it is
// already loading or loaded. atMs is the time of the request in milliseconds
// on a monotonic clock (the page's performance.now()), the one Finish is
// given: the registry reads no clock itself.
func (r *Registry) Request(name string, atMs float64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	rep := r.remotes[name]
	if rep == nil {
		return
	}
	rep.Requests++
	if rep.State == Loading || rep.State == Loaded {
		return
	}
	rep.State, rep.Error = Loading, nil
	r.started[name] = atMs
}

// LearnType records typ as the type of remote name when its config left it
// to the entry's Content-Type (Type ""); a type given is never changed.
func (r *Registry) LearnType(name, typ string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if rep := r.remotes[name]; rep != nil && rep.Type == "" {
		rep.Type = typ
	}
}

// Finish records the outcome of loading name, at atMs on the clock Request
// was given.
func (r *Registry) Finish(name string, err error, atMs float64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	rep := r.remotes[name]
	if rep == nil {
		return
	}
	if started, ok := r.started[name]; ok && rep.State == Loading {
		rep.LoadMs = math.Trunc((atMs-started)*1000) / 1000 // whole microseconds; the load this request started, not later cached calls
	}
	if err != nil {
		rep.State, rep.Error = Failed, errcode.As(err, errcode.RemoteLoadFailed)
		return
	}
	rep.State = Loaded
}

// Snapshot reports every remote in registration order.
func (r *Registry) Snapshot() []Report {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Report, 0, len(r.order))
	for _, name := range r.order {
		out = append(out, *r.remotes[name])
	}
	return out
}
