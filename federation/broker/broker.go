// Package broker is the bookkeeping of fedwasm's state and messaging broker:
// which owner holds which listeners, subscriptions and channels (so disposing
// an owner releases all of them), the envelope of cross-tab messages and its
// validation, and counts of what was delivered or dropped. Delivery itself
// happens in JS; nothing here is on a per-event path.
package broker

import (
	"errors"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/jsonv"
)

// Kind is what an owner holds.
type Kind string

// The kinds of things the broker tracks per owner.
const (
	Listener     Kind = "listeners"
	Subscription Kind = "subscriptions"
	Channel      Kind = "channels"
	Store        Kind = "stores" // stores provided through a scope
)

// ItemID identifies one tracked item.
type ItemID uint64

// Item is one listener, subscription or channel and the owner it belongs to.
type Item struct {
	Kind     Kind
	Owner    string
	Name     string     // the event type, store name or channel name
	Lifetime LifetimeID // the lifetime it was registered through; 0 for none
}

// LifetimeID identifies one lifetime: what fedwasm.scope(owner) or a mount
// hands out. Everything registered through it is released together when it
// ends (scope.dispose(), unmount). (A share scope is another thing: the
// webpack-shaped object of federation/share.)
type LifetimeID uint64

// Registry tracks items by owner and counts messages. It is safe for concurrent use.
type Registry struct {
	mu           sync.Mutex
	next         ItemID
	nextLifetime LifetimeID
	lifetimes    map[LifetimeID]string // open lifetimes → their owner
	host         string                // the config's name (see owners.go)
	held         map[string]holder     // owner name → who holds it
	ownedEvents  map[string]string     // event type → the owner that alone emits it
	items        map[ItemID]Item
	dropped      map[string]int
	emitted      int
	received     int
	listenerE    int
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{items: map[ItemID]Item{}, lifetimes: map[LifetimeID]string{}, held: map[string]holder{}, dropped: map[string]int{}}
}

// Add tracks it and returns its ID.
func (r *Registry) Add(it Item) ItemID {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.next++
	r.items[r.next] = it
	return r.next
}

// Remove stops tracking id and reports whether it was tracked.
func (r *Registry) Remove(id ItemID) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, ok := r.items[id]
	delete(r.items, id)
	return ok
}

// InLifetime returns the IDs of everything registered through lifetime l, oldest first.
func (r *Registry) InLifetime(l LifetimeID) []ItemID {
	r.mu.Lock()
	defer r.mu.Unlock()
	var ids []ItemID
	for id, it := range r.items {
		if it.Lifetime == l {
			ids = append(ids, id)
		}
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}

// openLifetime starts a lifetime for owner and returns its ID; r.mu is held.
// Lifetimes are opened by Claim (fedwasm.scope) and OpenMount (a mount).
func (r *Registry) openLifetime(owner string) LifetimeID {
	r.nextLifetime++
	r.lifetimes[r.nextLifetime] = owner
	return r.nextLifetime
}

// LifetimeOwner returns the owner of a lifetime that has not ended.
func (r *Registry) LifetimeOwner(id LifetimeID) (string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	owner, ok := r.lifetimes[id]
	return owner, ok
}

// EndLifetime ends a lifetime, and gives up the owner name a scope had
// claimed with it; it reports false when it had ended already.
func (r *Registry) EndLifetime(id LifetimeID) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	owner, ok := r.lifetimes[id]
	delete(r.lifetimes, id)
	if h := r.held[owner]; ok && h.how == heldByScope && h.lifetime == id {
		delete(r.held, owner)
	}
	return ok
}

// CountEmitted counts an event emitted in this page.
func (r *Registry) CountEmitted() { r.count(&r.emitted) }

// CountEmittedN counts n events the page emitted on its own (the types the
// runtime had accepted before).
func (r *Registry) CountEmittedN(n int) {
	if n <= 0 {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.emitted += n
}

// CountReceived counts a valid message received from another tab.
func (r *Registry) CountReceived() { r.count(&r.received) }

// CountListenerError counts a listener that threw.
func (r *Registry) CountListenerError() { r.count(&r.listenerE) }

func (r *Registry) count(n *int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	*n++
}

// Drop counts n cross-tab messages dropped for reason.
func (r *Registry) Drop(reason string, n int) {
	if n <= 0 {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.dropped[reason] += n
}

// Report is the broker as inspect() shows it.
type Report struct {
	Owners         map[string]map[Kind]int `json:"owners"`
	Scopes         map[string]int          `json:"scopes"` // open lifetimes (fedwasm.scope and mounts) per owner; inspect() calls them scopes
	Emitted        int                     `json:"emitted"`
	Received       int                     `json:"receivedCrossTab"`
	Dropped        map[string]int          `json:"dropped"`
	ListenerErrors int                     `json:"listenerErrors"`
}

// Snapshot counts live items per owner and kind, and the message counters.
func (r *Registry) Snapshot() Report {
	r.mu.Lock()
	defer r.mu.Unlock()
	rep := Report{Owners: map[string]map[Kind]int{}, Scopes: map[string]int{}, Dropped: map[string]int{},
		Emitted: r.emitted, Received: r.received, ListenerErrors: r.listenerE}
	for _, it := range r.items {
		if rep.Owners[it.Owner] == nil {
			rep.Owners[it.Owner] = map[Kind]int{}
		}
		rep.Owners[it.Owner][it.Kind]++
	}
	for _, owner := range r.lifetimes {
		rep.Scopes[owner]++
	}
	for reason, n := range r.dropped {
		rep.Dropped[reason] = n
	}
	return rep
}

// EnvelopeVersion is the version of the cross-tab envelope this runtime
// speaks. Version 2 posts the envelope as JSON text inside {v, tab, text}
// (see CrossTabRules), so what is measured is what is posted.
const EnvelopeVersion = 2

// MaxMessageLength bounds a cross-tab message of events or query
// coordination: its envelope's JSON text, in UTF-16 code units (a JS
// string's length, which the receiving tab checks before anything else).
const MaxMessageLength = 64 << 10

// maxUTF8PerUnit is the most UTF-8 bytes one UTF-16 code unit becomes: the
// byte bound of a text within a length bound.
const maxUTF8PerUnit = 3

// MaxMessageBytes is the most UTF-8 bytes a message of MaxMessageLength
// characters can take.
const MaxMessageBytes = maxUTF8PerUnit * MaxMessageLength

// Envelope is a cross-tab message: the JSON text posted between tabs.
// Detail holds the sender's detail as plain values (nil when absent or null).
type Envelope struct {
	V      int    `json:"v"`
	Type   string `json:"type"`
	Tab    string `json:"tab"`
	Owner  string `json:"owner,omitempty"` // who emitted it (see Registry.Emitter); checked for owned types
	Detail any    `json:"detail"`          // jsonv.Opaque{} from DecodeEnvelope; plain values in a QueryMessage
}

// Drop reasons for cross-tab messages.
const (
	DropNotJSON      = "not-serializable"
	DropTooLarge     = "too-large"
	DropBadShape     = "bad-shape"
	DropBadVersion   = "unknown-version"
	DropBadEventType = "bad-event-type"
	DropRateLimited  = "rate-limited" // the sender, or all senders together, went over CrossTabRules' budget
	DropQueueFull    = "queue-full"   // more admitted messages were waiting than a tab delivers in a second
)

// DecodeEnvelope validates a cross-tab event given as JSON. It returns the
// envelope, or the drop reason and an error saying what was wrong. The detail
// is checked to be JSON but not built (Detail is jsonv.Opaque{} when there is
// one): the receiving tab passes it on, and building a tree of up to
// MaxMessageLength characters in wasm took tens of milliseconds a message.
func DecodeEnvelope(data []byte) (Envelope, string, error) {
	return decodeEnvelope(data, true)
}

// decodeEnvelope is DecodeEnvelope; with opaqueDetail false Detail holds the
// detail as plain values (query messages read theirs).
func decodeEnvelope(data []byte, opaqueDetail bool) (Envelope, string, error) {
	if len(data) > MaxMessageBytes {
		return Envelope{}, DropTooLarge, errors.New("message of " + strconv.Itoa(len(data)) + " bytes exceeds " + strconv.Itoa(MaxMessageLength) + " characters")
	}
	var v any
	var err error
	if opaqueDetail {
		v, err = jsonv.ParseOpaque(data, "detail")
	} else {
		v, err = jsonv.Parse(data)
	}
	if err != nil {
		return Envelope{}, DropBadShape, errors.New("not an envelope object: " + err.Error())
	}
	var f jsonv.Fields
	m := f.Object(v, "")
	e := Envelope{V: f.Int(m["v"], "v"), Type: f.String(m["type"], "type"), Tab: f.String(m["tab"], "tab"), Owner: f.String(m["owner"], "owner"), Detail: m["detail"]}
	if f.Err != nil {
		return Envelope{}, DropBadShape, errors.New("not an envelope object: " + f.Err.Error())
	}
	if e.V != EnvelopeVersion {
		return Envelope{}, DropBadVersion, errors.New("envelope version " + strconv.Itoa(e.V) + ", this runtime speaks " + strconv.Itoa(EnvelopeVersion))
	}
	if err := ValidateEventType(e.Type); err != nil {
		return Envelope{}, DropBadEventType, err
	}
	if e.Tab == "" {
		return Envelope{}, DropBadShape, errors.New("envelope has no sending tab id")
	}
	return e, "", nil
}

// ValidateEventType checks an event type: 1 to 128 characters, no whitespace.
func ValidateEventType(typ string) error {
	if typ == "" || len(typ) > 128 || strings.ContainsAny(typ, " \t\r\n") {
		return errcode.New(errcode.InvalidArgument, map[string]any{"type": typ},
			"event type "+strconv.Quote(typ)+" is not valid: use 1 to 128 characters without whitespace, such as \"cart:open\"")
	}
	return nil
}

// Plain is r's JSON form as plain values (see jsonv.Plainer).
func (r Report) Plain() map[string]any {
	var owners map[string]any
	if r.Owners != nil {
		owners = make(map[string]any, len(r.Owners))
		for owner, kinds := range r.Owners {
			var counts map[string]any
			if kinds != nil {
				counts = make(map[string]any, len(kinds))
				for k, n := range kinds {
					counts[string(k)] = n
				}
			}
			owners[owner] = counts
		}
	}
	return map[string]any{"owners": owners, "scopes": r.Scopes, "emitted": r.Emitted, "receivedCrossTab": r.Received,
		"dropped": r.Dropped, "listenerErrors": r.ListenerErrors}
}
