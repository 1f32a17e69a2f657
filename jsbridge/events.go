//go:build js && wasm

package jsbridge

import (
	"errors"
	"strconv"
	"syscall/js"

	"github.com/fedwasm/fedwasm/federation/broker"
	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/jsonv"
	"github.com/fedwasm/fedwasm/federation/limits"
	"github.com/fedwasm/fedwasm/jsbridge/internal/jsutil"
)

// Events: fedwasm.events.on(type, handler, {owner}) listens to the window
// CustomEvent "fedwasm:<type>"; fedwasm.events.emit(type, detail, {crossTab})
// dispatches it, and with crossTab also posts it to the other tabs of this
// origin over the BroadcastChannel "fedwasm:events", where it is validated and
// dispatched again. Go registers, validates and counts; delivery is pure JS.

// crossTabChannelName names the BroadcastChannel the runtime's tabs share.
const crossTabChannelName = "fedwasm:events"

// events holds the page's cross-tab channel and the shared callbacks every
// listener and channel uses (so no js.Func is made per listener).
type events struct {
	tab     string
	channel js.Value // broker.js's crossTabChannel handle {post, close}; undefined without one
	rules   js.Value // broker.CrossTabRules(broker.MaxMessageLength) for broker.js
	report  js.Func  // report(err, id): a listener threw
	receive js.Func  // receive(text, fromTab): a message another tab posted on "fedwasm:events"
	dropped js.Func  // dropped(reason, n, error, channel): a channel dropped n messages
	// dispatch is the loader's dispatch(event), when the loader started the
	// runtime: window.dispatchEvent plus the inspector's view of every event.
	dispatch js.Value
	// text is where each received message's UTF-8 is copied to be decoded,
	// through scratch (a Uint8Array): one buffer for every message, made at
	// the first, where js.Value.String made two copies of each and the
	// decoder a third (BenchmarkReceiveCrossTab60KB).
	text    []byte
	scratch js.Value
}

func (b *Bridge) startEvents() {
	b.ev.tab = js.Global().Get("crypto").Call("randomUUID").String()
	b.ev.channel = js.Undefined()
	if b.hooks.Type() == js.TypeObject {
		b.ev.dispatch = b.hooks.Get("dispatch")
	}
	b.ev.rules = jsutil.ToJS(broker.CrossTabRules(broker.MaxMessageLength))
	b.ev.report = js.FuncOf(func(_ js.Value, args []js.Value) any {
		b.listenerThrew(jsutil.Arg(args, 0), broker.ItemID(jsutil.Arg(args, 1).Int()))
		return nil
	})
	b.ev.receive = js.FuncOf(func(_ js.Value, args []js.Value) any {
		b.receiveCrossTab(jsutil.Arg(args, 0), jsutil.Arg(args, 1))
		return nil
	})
	b.ev.dropped = js.FuncOf(func(_ js.Value, args []js.Value) any {
		b.queryCallback("cross-tab drop", func() {
			n := jsutil.Arg(args, 1)
			count := 1
			if n.Type() == js.TypeNumber && n.Int() > 0 {
				count = n.Int()
			}
			b.drop(broadcastChannel(jsutil.Arg(args, 3).String()), jsutil.Arg(args, 0).String(), count,
				errors.New(jsutil.Message(jsutil.Arg(args, 2))), envelopeFix())
		})
		return nil
	})
	b.ev.channel = b.openCrossTab(crossTabChannelName, b.ev.rules, b.ev.receive.Value)
}

// openCrossTab opens broker.js's crossTabChannel name under rules, delivering
// admitted messages to deliver (null: post only); undefined where the page
// has no BroadcastChannel or no broker.js.
func (b *Bridge) openCrossTab(name string, rules, deliver js.Value) js.Value {
	open, err := b.brokerPrimitive("crossTabChannel", "cross-tab messages")
	if err != nil {
		return js.Undefined()
	}
	ch, err := jsutil.Guard("cross-tab channel", func() js.Value {
		return open.Invoke(name, b.ev.tab, rules, deliver, b.ev.dropped)
	})
	if err != nil || ch.Type() != js.TypeObject {
		return js.Undefined()
	}
	return ch
}

// on implements fedwasm.events.on(type, handler, { owner }) → off().
func (b *Bridge) on(c broker.Caller, _ js.Value, args []js.Value) (any, error) {
	typ, err := eventTypeArg("events.on", args)
	if err != nil {
		return nil, err
	}
	handler := jsutil.Arg(args, 1)
	if handler.Type() != js.TypeFunction {
		return nil, errcode.New(errcode.InvalidArgument, map[string]any{"type": typ},
			"fedwasm.events.on("+strconv.Quote(typ)+", handler): handler must be a function, not "+handler.Type().String())
	}
	o, err := jsutil.OptionsArg("events.on", args, 2)
	if err != nil {
		return nil, err
	}
	owner, err := b.ownerFor(c, o, "owner")
	if err != nil {
		return nil, err
	}
	listen, err := b.brokerPrimitive("listen", "events.on")
	if err != nil {
		return nil, err
	}
	return b.track(broker.Item{Kind: broker.Listener, Owner: owner, Name: typ, Lifetime: c.Lifetime}, func(id broker.ItemID) js.Value {
		return listen.Invoke("fedwasm:"+typ, handler, b.ev.report, b.released, int(id))
	})
}

// emit implements fedwasm.events.emit(type, detail, { crossTab }); a type
// the config gives an owner is emitted by that owner only (EVENT_OWNED).
func (b *Bridge) emit(c broker.Caller, _ js.Value, args []js.Value) (any, error) {
	typ, err := eventTypeArg("events.emit", args)
	if err != nil {
		return nil, err
	}
	sender, err := b.rt.Emitter(c, typ)
	if err != nil {
		return nil, err
	}
	detail := jsutil.Arg(args, 1)
	o, err := jsutil.OptionsArg("events.emit", args, 2)
	if err != nil {
		return nil, err
	}
	crossTab, err := o.Bool("crossTab", false)
	if err != nil {
		return nil, err
	}
	if crossTab {
		if err := b.postCrossTab(typ, sender, detail); err != nil {
			return nil, err
		}
	}
	b.rt.CountEmitted()
	b.dispatchEvent("fedwasm:"+typ, detail, "")
	if !crossTab && !o.Given() && c.Page() {
		b.settle("emitType", typ) // the page emits this type on its own from now on
	}
	return nil, nil
}

// eventTypeArg reads and checks the event type, the first argument of call.
func eventTypeArg(call string, args []js.Value) (string, error) {
	typ, err := jsutil.StringArg(call, "the event type", args, 0)
	if err != nil {
		return "", err
	}
	return typ, broker.ValidateEventType(typ)
}

// postCrossTab sends detail to the other tabs as sender, refusing what they
// would drop.
func (b *Bridge) postCrossTab(typ, sender string, detail js.Value) error {
	return b.post(b.ev.channel, crossTabChannelName, "events.emit("+strconv.Quote(typ)+", detail, {crossTab: true})", typ, detail,
		sender, func(text []byte) (string, error) { _, reason, err := broker.DecodeEnvelope(text); return reason, err })
}

// post is the one way a message leaves for the other tabs: typ and detail
// in the broker's envelope (broker.EnvelopeVersion, this tab, the sending
// owner unless sender is ""), as JSON text of plain data only, checked with
// decode — what the receiving tabs run — before channel (a crossTabChannel
// named name) posts it within this tab's budget, so what they would drop is
// refused here with a code; call names the API call in the error.
func (b *Bridge) post(channel js.Value, name, call, typ string, detail js.Value, sender string, decode func([]byte) (string, error)) error {
	details := map[string]any{"channel": name, "type": typ, "limitCharacters": broker.MaxMessageLength}
	if channel.Type() != js.TypeObject {
		return errcode.New(errcode.EventNotSerializable, details, call+": this browser has no BroadcastChannel, so it cannot reach other tabs")
	}
	text, err := b.envelopeText(call, typ, sender, detail)
	if err != nil {
		details["cause"] = err.Error()
		return errcode.New(errcode.EventNotSerializable, details, call+": the message cannot be sent to other tabs ("+err.Error()+"); send plain data")
	}
	if reason, err := decode(text); err != nil {
		details["reason"] = reason
		return errcode.New(errcode.EventNotSerializable, details,
			call+": other tabs would drop the message ("+err.Error()+"); send less data, or plain data")
	}
	refused, err := jsutil.Guard(call, func() js.Value { return channel.Call("post", string(text)) })
	switch {
	case err != nil:
		return errcode.New(errcode.EventNotSerializable, details, call+": the browser could not post the message ("+err.Error()+")")
	case refused.String() == broker.DropRateLimited:
		return broker.RateLimited(call, name)
	case refused.String() == broker.DropTooLarge:
		details["reason"] = broker.DropTooLarge
		return errcode.New(errcode.EventNotSerializable, details,
			call+": the message's JSON text is over "+strconv.Itoa(broker.MaxMessageLength)+" characters, which other tabs drop; send less data")
	case refused.String() != "":
		return errcode.New(errcode.EventNotSerializable, details, call+": the channel is closed ("+refused.String()+")")
	}
	return nil
}

// envelopeText is the envelope's JSON text; detail's part comes from
// broker.js's plainJSON, which refuses what is not plain data.
func (b *Bridge) envelopeText(call, typ, sender string, detail js.Value) ([]byte, error) {
	text := append([]byte(`{"v":`), strconv.Itoa(broker.EnvelopeVersion)...)
	text = append(append(text, `,"type":`...), jsonv.AppendString(nil, typ)...)
	text = append(append(text, `,"tab":`...), jsonv.AppendString(nil, b.ev.tab)...)
	if sender != "" {
		text = append(append(text, `,"owner":`...), jsonv.AppendString(nil, sender)...)
	}
	if detail.IsUndefined() {
		return append(text, '}'), nil
	}
	part, err := b.plainText(call, "detail", detail)
	if err != nil {
		return nil, err
	}
	if part.Type() != js.TypeString {
		return append(text, '}'), nil // a toJSON that returned undefined: detail is absent
	}
	text = append(append(text, `,"detail":`...), part.String()...)
	return append(text, '}'), nil
}

// plainText is v's JSON text made by broker.js's plainJSON: plain data only,
// at most limits.Values values and limits.ValueDepth levels deep, so no
// caller value (a Proxy claiming 1e9 items, a cycle, a Map) holds the page
// or crosses as something else. Its error says what is not plain data, and
// where (named as where). undefined when a toJSON gave undefined.
func (b *Bridge) plainText(call, where string, v js.Value) (js.Value, error) {
	plainJSON, err := b.brokerPrimitive("plainJSON", call)
	if err != nil {
		return js.Undefined(), err
	}
	text, err := jsutil.Guard(call, func() js.Value { return plainJSON.Invoke(v, where, limits.Values, limits.ValueDepth) })
	if err != nil {
		if m, ok := errcode.As(err, errcode.JSException).Details["jsMessage"].(string); ok {
			return js.Undefined(), errors.New(m)
		}
		return js.Undefined(), err
	}
	return text, nil
}

// receiveCrossTab validates a message another tab posted (fromTab, as the
// channel saw it) and dispatches it here; a bad one is dropped, counted in
// inspect() and reported once per reason.
func (b *Bridge) receiveCrossTab(text, fromTab js.Value) {
	defer func() {
		if r := recover(); r != nil {
			b.dropCrossTab(broker.DropBadShape, jsutil.Recovered("cross-tab receive", r))
		}
	}()
	if text.Type() != js.TypeString {
		b.dropCrossTab(broker.DropNotJSON, errors.New("the message is not JSON text"))
		return
	}
	env, reason, err := broker.DecodeEnvelope(b.messageBytes(text))
	if err == nil && env.Tab != fromTab.String() {
		reason, err = broker.DropBadShape, errors.New("the envelope names tab "+strconv.Quote(env.Tab)+" but was posted as "+strconv.Quote(fromTab.String()))
	}
	if err == nil {
		reason, err = b.rt.CheckSender(env.Type, env.Owner)
	}
	if err != nil {
		b.dropCrossTab(reason, err)
		return
	}
	message, err := jsutil.Guard("cross-tab receive", func() js.Value { return jsutil.ParseJSON(text) })
	if err != nil {
		b.dropCrossTab(broker.DropNotJSON, err)
		return
	}
	b.rt.CountReceived()
	b.dispatchEvent("fedwasm:"+env.Type, jsutil.Property(message, "detail"), env.Tab)
}

// messageBytes returns text (a JS string) as UTF-8 in b.ev.text, valid
// until the next message. The buffer holds broker.MaxMessageBytes and one
// more character of up to 4 bytes: a text that does not fit comes back
// longer than broker.MaxMessageBytes, for DecodeEnvelope to refuse.
func (b *Bridge) messageBytes(text js.Value) []byte {
	if b.ev.text == nil {
		b.ev.scratch = jsutil.NewUint8Array(broker.MaxMessageBytes + 4)
		b.ev.text = make([]byte, broker.MaxMessageBytes+4)
	}
	written := jsutil.EncodeInto(text, b.ev.scratch)
	n := js.CopyBytesToGo(b.ev.text[:written], b.ev.scratch)
	return b.ev.text[:n]
}

func (b *Bridge) dropCrossTab(reason string, cause error) {
	b.drop(broadcastChannel(crossTabChannelName), reason, 1, cause, envelopeFix())
}

// broadcastChannel names the channel called name in messages.
func broadcastChannel(name string) string { return "BroadcastChannel " + strconv.Quote(name) }

// envelopeFix is what to do about a dropped envelope.
func envelopeFix() string {
	return "every tab must run a fedwasm speaking envelope version " + strconv.Itoa(broker.EnvelopeVersion)
}

// drop is the one way messages from another tab are dropped: n of them
// counted by reason in inspect().broker.dropped and reported once per
// channel and reason, saying what to fix.
func (b *Bridge) drop(channel, reason string, n int, cause error, fix string) {
	b.rt.Drop(reason, n)
	msg := "no detail"
	if cause != nil {
		msg = cause.Error()
	}
	b.warnOnce("drop:"+channel+":"+reason, errcode.New(errcode.CrossTabMessageDropped, map[string]any{"channel": channel, "reason": reason, "cause": msg},
		"a message on "+channel+" was dropped ("+reason+": "+msg+"); "+fix+"; inspect().broker.dropped counts drops"))
}

// listenerThrew reports a listener that threw; the other listeners ran anyway.
func (b *Bridge) listenerThrew(err js.Value, id broker.ItemID) {
	b.rt.CountListenerError()
	w := errcode.New(errcode.EventListenerThrew, map[string]any{"listener": int(id), "jsMessage": jsutil.Message(err)},
		"an events.on listener threw: "+jsutil.Message(err)+"; the other listeners still ran; fix the listener")
	b.rt.Warn(w)
	js.Global().Get("console").Call("error", "[fedwasm] "+w.Error(), err)
}

// dispatchEvent fires CustomEvent name with detail on window; fromTab names
// the sending tab for messages from other tabs (event.fedwasmFromTab). With
// the loader it goes through the loader's dispatch, which also shows it to
// the inspector whatever its type; without, straight to window.
func (b *Bridge) dispatchEvent(name string, detail js.Value, fromTab string) {
	init := jsutil.Object()
	init.Set("detail", detail)
	event := js.Global().Get("CustomEvent").New(name, init)
	if fromTab != "" {
		event.Set("fedwasmFromTab", fromTab)
	}
	if b.ev.dispatch.Type() == js.TypeFunction {
		b.ev.dispatch.Invoke(event)
		return
	}
	js.Global().Call("dispatchEvent", event)
}
