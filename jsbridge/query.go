//go:build js && wasm

package jsbridge

import (
	"errors"
	"github.com/fedwasm/fedwasm/jsbridge/internal/jsutil"
	"maps"
	"slices"
	"sort"
	"strconv"
	"sync"
	"syscall/js"

	"github.com/fedwasm/fedwasm/federation/broker"
	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/jsonv"
)

// Query coordination: fedwasm.query.connect(queryClient, {owner, channel})
// keeps isolated TanStack QueryClients (one per micro-frontend) in step. The
// per-event work runs in broker.js's connectQuery: detecting invalidations,
// deduplicating fetches by queryHash, listening on the BroadcastChannel,
// snapshotting and hydrating caches. Go tracks the connections per owner,
// validates and counts every message from another tab, and routes the rare
// messages: an invalidation to the other clients of this tab and to other
// tabs, a cache request to the clients that answer it, an answer to the
// client that asked.

// defaultHandoffMs is how long a new connection's handoff Promise waits for
// another tab's cache before it settles with nothing applied.
const defaultHandoffMs = 300

// queryConn is one connected client.
type queryConn struct {
	id        broker.ItemID    // its Subscription item; also the id broker.js reports with
	channel   broker.ItemID    // its Channel item
	name      string           // BroadcastChannel name
	handle    js.Value         // broker.js's {disconnect, apply, snapshot, hydrate}
	request   string           // the id of its cache request
	shareable broker.Shareable // the query key prefixes it hands to and takes from other tabs
}

// queryHub holds the page's connections, the BroadcastChannels it posts
// on, and the three callbacks broker.js calls for all of them (no js.Func
// per connection). It has its own lock.
type queryHub struct {
	once        sync.Once
	mu          sync.Mutex
	conns       map[broker.ItemID]*queryConn
	channels    map[string]js.Value // name → the channel this page posts on, opened once
	invalidated js.Func             // invalidated(id, keys): this client invalidated keys
	received    js.Func             // received(id, message): a message from another tab
	released    js.Func             // released(id): its disconnect() ran
}

// queries returns b's hub, making its callbacks on first use.
func (b *Bridge) queries() *queryHub {
	h := &b.query
	h.once.Do(func() {
		h.conns = map[broker.ItemID]*queryConn{}
		h.channels = map[string]js.Value{}
		h.invalidated = js.FuncOf(func(_ js.Value, args []js.Value) any {
			b.queryCallback("query invalidation", func() { b.routeInvalidation(connID(args), jsutil.Arg(args, 1)) })
			return nil
		})
		h.received = js.FuncOf(func(_ js.Value, args []js.Value) any { // received(id, text)
			b.queryCallback("query receive", func() { b.receiveQueryMessage(connID(args), jsutil.Arg(args, 1)) })
			return nil
		})
		h.released = js.FuncOf(func(_ js.Value, args []js.Value) any {
			b.queryCallback("query disconnect", func() { b.releaseQueryConn(connID(args)) })
			return nil
		})
	})
	return h
}

func connID(args []js.Value) broker.ItemID {
	if v := jsutil.Arg(args, 0); v.Type() == js.TypeNumber {
		return broker.ItemID(v.Int())
	}
	return 0
}

// queryCallback runs f for a broker.js callback; a panic or JS exception in
// it becomes a warning, never an exception thrown into query-core.
func (b *Bridge) queryCallback(where string, f func()) {
	defer func() {
		if r := recover(); r != nil {
			b.warn(jsutil.Recovered(where, r))
		}
	}()
	f()
}

// connectQuery implements fedwasm.query.connect(queryClient, { owner, channel,
// handoffTimeoutMs, shareable }) → disconnect(). Only the queries under the
// shareable key prefixes are handed to other tabs, or taken from them.
func (b *Bridge) connectQuery(by broker.Caller, _ js.Value, args []js.Value) (any, error) {
	client := jsutil.Arg(args, 0)
	if !looksLikeQueryClient(client) {
		return nil, errcode.New(errcode.QueryClientInvalid, nil,
			"fedwasm.query.connect(queryClient): the first argument must be a TanStack Query v5 QueryClient (new QueryClient() from @tanstack/query-core or a framework adapter), not "+client.Type().String())
	}
	o, err := jsutil.OptionsArg("query.connect", args, 1)
	if err != nil {
		return nil, err
	}
	owner, err := b.ownerFor(by, o, "owner")
	if err != nil {
		return nil, err
	}
	lifetime := by.Lifetime
	name, err := o.String("channel", broker.DefaultQueryChannel)
	if err != nil {
		return nil, err
	}
	if err := broker.ValidateChannelName("query.connect", name); err != nil {
		return nil, err
	}
	handoffMs, err := o.Number("handoffTimeoutMs", defaultHandoffMs)
	if err != nil {
		return nil, err
	}
	if handoffMs < 0 {
		return nil, errcode.New(errcode.InvalidArgument, map[string]any{"handoffTimeoutMs": handoffMs},
			"fedwasm.query.connect: handoffTimeoutMs must be zero or more, not "+strconv.FormatFloat(handoffMs, 'g', -1, 64))
	}
	var shareable broker.Shareable
	if v := o.Field("shareable"); !v.IsUndefined() && !v.IsNull() {
		plain, _, err := jsutil.PlainValue("query.connect", v)
		if err != nil {
			return nil, err
		}
		if shareable, err = broker.ParseShareable(jsonv.Marshal(plain)); err != nil {
			return nil, err
		}
	}
	connect, err := b.brokerPrimitive("connectQuery", "query.connect")
	if err != nil {
		return nil, err
	}
	h := b.queries()
	id := b.rt.Track(broker.Item{Kind: broker.Subscription, Owner: owner, Name: "query:" + name, Lifetime: lifetime})
	chID := b.rt.Track(broker.Item{Kind: broker.Channel, Owner: owner, Name: name, Lifetime: lifetime})
	handle, err := jsutil.Guard("query.connect", func() js.Value {
		return connect.Invoke(client, int(id), name, b.ev.tab, h.invalidated, h.received, h.released, handoffMs, b.ev.rules, b.ev.dropped)
	})
	if err == nil && handle.Type() != js.TypeObject {
		err = errcode.New(errcode.QueryClientInvalid, map[string]any{"owner": owner, "channel": name},
			"fedwasm.query.connect: this QueryClient is already connected; call the disconnect() the first connect returned before connecting it again")
	}
	if err != nil {
		b.rt.Untrack(id)
		b.rt.Untrack(chID)
		return nil, err
	}
	c := &queryConn{id: id, channel: chID, name: name, handle: handle, request: b.ev.tab + ":" + strconv.FormatUint(uint64(id), 10), shareable: shareable}
	disconnect := handle.Get("disconnect")
	release := func() { disconnect.Invoke() }
	h.mu.Lock()
	h.conns[id] = c
	h.mu.Unlock()
	b.lc.releases.set(release, id, chID)
	detail := jsutil.Object()
	detail.Set("request", c.request)
	if err := b.postQuery(name, broker.QueryCacheRequest, detail); err != nil {
		b.warn(errcode.As(err, errcode.EventNotSerializable))
	}
	return disconnect, nil
}

func looksLikeQueryClient(v js.Value) bool {
	if v.Type() != js.TypeObject {
		return false
	}
	for _, m := range []string{"getQueryCache", "invalidateQueries", "getDefaultOptions", "setDefaultOptions", "setQueryData", "getQueryState"} {
		if jsutil.Property(v, m).Type() != js.TypeFunction {
			return false
		}
	}
	return true
}

// releaseQueryConn forgets a connection whose disconnect() ran.
func (b *Bridge) releaseQueryConn(id broker.ItemID) {
	h := b.queries()
	h.mu.Lock()
	c := h.conns[id]
	delete(h.conns, id)
	h.mu.Unlock()
	if c == nil {
		return
	}
	b.rt.Untrack(c.id)
	b.rt.Untrack(c.channel)
	b.lc.releases.forget(c.id, c.channel)
}

// connsOn returns the live connections on channel name (all when name is
// ""), oldest first, except the one with id skip.
func (b *Bridge) connsOn(name string, skip broker.ItemID) []*queryConn {
	h := b.queries()
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []*queryConn
	for id, c := range h.conns {
		if id != skip && (name == "" || c.name == name) {
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	return out
}

func (b *Bridge) conn(id broker.ItemID) *queryConn {
	h := b.queries()
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.conns[id]
}

// routeInvalidation takes keys a connected client invalidated, applies them
// to the other clients on its channel in this tab and posts them to the
// other tabs.
func (b *Bridge) routeInvalidation(id broker.ItemID, keys js.Value) {
	from := b.conn(id)
	if from == nil {
		return
	}
	text, err := b.plainText("query invalidation", "the keys", keys)
	if err == nil && text.Type() == js.TypeString {
		_, err = broker.DecodeKeyFilters([]byte(text.String()))
	} else if err == nil {
		err = errcode.New(errcode.EventNotSerializable, nil, "the keys are not JSON")
	}
	if err != nil {
		b.warnOnce("query invalidation:"+from.name, errcode.New(errcode.EventNotSerializable, map[string]any{"channel": from.name, "cause": err.Error()},
			"an invalidation on a connected QueryClient (channel "+strconv.Quote(from.name)+") was not shared with the other clients: "+err.Error()+"; use query keys made of JSON data (strings, numbers, plain objects)"))
		return
	}
	for _, c := range b.connsOn(from.name, id) {
		c.handle.Call("apply", keys)
	}
	detail := jsutil.Object()
	detail.Set("keys", keys)
	if err := b.postQuery(from.name, broker.QueryInvalidate, detail); err != nil {
		b.warn(errcode.As(err, errcode.EventNotSerializable))
	}
}

// invalidateQuery implements fedwasm.query.invalidate(queryKey, { crossTab }):
// every connected client of this tab invalidates the key (and every key it
// prefixes); with crossTab, so do the connected clients of other tabs.
func (b *Bridge) invalidateQuery(_ js.Value, args []js.Value) (any, error) {
	key := jsutil.Arg(args, 0)
	text, err := b.plainText("query.invalidate", "the query key", key)
	if err != nil {
		return nil, errcode.New(errcode.InvalidArgument, map[string]any{"cause": err.Error()},
			"fedwasm.query.invalidate(queryKey): the query key must be JSON data (an array of strings, numbers and plain objects): "+err.Error())
	}
	if text.Type() != js.TypeString {
		return nil, broker.ValidateQueryKey("query.invalidate", nil)
	}
	if err := broker.ValidateQueryKey("query.invalidate", []byte(text.String())); err != nil {
		return nil, err
	}
	o, err := jsutil.OptionsArg("query.invalidate", args, 1)
	if err != nil {
		return nil, err
	}
	crossTab, err := o.Bool("crossTab", false)
	if err != nil {
		return nil, err
	}
	filter := jsutil.Object()
	filter.Set("queryKey", key)
	filter.Set("exact", false)
	keys := jsutil.Array()
	keys.Call("push", filter)
	channels := map[string]bool{}
	for _, c := range b.connsOn("", 0) {
		c.handle.Call("apply", keys)
		channels[c.name] = true
	}
	b.rt.CountEmitted()
	if !crossTab {
		return nil, nil
	}
	channels[broker.DefaultQueryChannel] = true
	for _, n := range slices.Sorted(maps.Keys(channels)) {
		detail := jsutil.Object()
		detail.Set("keys", keys)
		if err := b.postQuery(n, broker.QueryInvalidate, detail); err != nil {
			return nil, err
		}
	}
	return nil, nil
}

// postQuery sends a query message to the other tabs on channel name, after
// checking it is one they would accept.
func (b *Bridge) postQuery(name, typ string, detail js.Value) error {
	err := b.post(b.queryChannel(name), name, "fedwasm.query ("+typ+")", typ, detail, "",
		func(text []byte) (string, error) {
			_, reason, err := broker.DecodeQueryMessage(text)
			return reason, err
		})
	if err == nil {
		b.rt.CountEmitted()
	}
	return err
}

// queryChannel is this page's crossTabChannel for posting on name, opened
// once (undefined where the browser has none).
func (b *Bridge) queryChannel(name string) js.Value {
	h := b.queries()
	h.mu.Lock()
	defer h.mu.Unlock()
	if ch, ok := h.channels[name]; ok {
		return ch
	}
	ch := b.openCrossTab(name, b.ev.rules, js.Null())
	h.channels[name] = ch
	return ch
}

// receiveQueryMessage validates a message connection id got from another tab
// and acts on it; a bad one is dropped, counted and reported once per reason.
func (b *Bridge) receiveQueryMessage(id broker.ItemID, text js.Value) {
	c := b.conn(id)
	if c == nil {
		return
	}
	if text.Type() != js.TypeString {
		b.drop(broadcastChannel(c.name), broker.DropNotJSON, 1, errors.New("the message is not JSON text"), envelopeFix())
		return
	}
	m, reason, err := broker.DecodeQueryMessage([]byte(text.String()))
	if err != nil {
		b.drop(broadcastChannel(c.name), reason, 1, err, envelopeFix())
		return
	}
	message, err := jsutil.Guard("query receive", func() js.Value { return jsutil.ParseJSON(text) })
	if err != nil {
		b.drop(broadcastChannel(c.name), broker.DropNotJSON, 1, err, envelopeFix())
		return
	}
	b.rt.CountReceived()
	detail := jsutil.Property(message, "detail")
	switch m.Type {
	case broker.QueryInvalidate:
		c.handle.Call("apply", jsutil.Property(detail, "keys"))
	case broker.QueryCacheRequest:
		b.answerCacheRequest(c, m.Request)
	case broker.QueryCacheAnswer:
		if m.Request != c.request {
			return
		}
		entries, all := jsutil.Property(detail, "entries"), jsutil.Array()
		for i, e := range m.Entries {
			if c.shareable.Allows(e.QueryKey) {
				all.Call("push", entries.Index(i))
			}
		}
		c.handle.Call("hydrate", all)
	}
}

// answerCacheRequest sends this client's successful queries under its
// shareable prefixes, newest first, as many as fit in one message; what does
// not fit is left for a fetch. A client that shares nothing does not answer.
func (b *Bridge) answerCacheRequest(c *queryConn, request string) {
	if len(c.shareable) == 0 {
		return
	}
	all := c.handle.Call("snapshot")
	entries := jsutil.Array()
	budget := broker.MaxMessageLength - 1024 // the envelope around the entries
	skipped := 0
	for i, n := 0, all.Length(); i < n; i++ {
		e := all.Index(i)
		text, err := jsutil.Guard("query cache answer", func() js.Value { return jsutil.StringifyJSON(e) })
		if err != nil || text.Type() != js.TypeString {
			skipped++
			continue
		}
		entry := []byte(text.String())
		if key, err := broker.QueryKeyOf(entry); err != nil || !c.shareable.Allows(key) {
			continue // not this client's to hand out
		}
		if len(entry)+1 > budget {
			skipped++
			continue
		}
		budget -= len(entry) + 1
		entries.Call("push", e)
	}
	if skipped > 0 {
		b.warnOnce("query cache answer:"+c.name, errcode.New(errcode.QueryHandoffPartial, map[string]any{"channel": c.name, "skipped": skipped, "limitCharacters": broker.MaxMessageLength},
			"a cache hand-off on channel "+strconv.Quote(c.name)+" left out "+strconv.Itoa(skipped)+" queries (not JSON data, or over the "+strconv.Itoa(broker.MaxMessageLength)+"-character message limit); the new tab fetches them itself"))
	}
	detail := jsutil.Object()
	detail.Set("request", request)
	detail.Set("entries", entries)
	if err := b.postQuery(c.name, broker.QueryCacheAnswer, detail); err != nil {
		b.warn(errcode.As(err, errcode.EventNotSerializable))
	}
}
