//go:build js && wasm

package jsbridge

import (
	"github.com/fedwasm/fedwasm/jsbridge/internal/jsutil"
	"strconv"
	"syscall/js"

	"github.com/fedwasm/fedwasm/federation/broker"
	"github.com/fedwasm/fedwasm/federation/errcode"
)

// Events: fedwasm.events.on(type, handler, {owner}) listens to the window
// CustomEvent "fedwasm:<type>"; fedwasm.events.emit(type, detail, {crossTab})
// dispatches it, and with crossTab also posts it to the other tabs of this
// origin over the BroadcastChannel "fedwasm:events", where it is validated and
// dispatched again. Go registers, validates and counts; delivery is pure JS.

// crossTabChannelName names the BroadcastChannel the runtime's tabs share.
const crossTabChannelName = "fedwasm:events"

// events holds the page's cross-tab channel and the shared callbacks every
// listener uses (so no js.Func is made per listener).
type events struct {
	tab     string
	channel js.Value
	report  js.Func // report(err, id): a listener threw
	receive js.Func // the channel's onmessage
	// dispatch is the loader's dispatch(event), when the loader started the
	// runtime: window.dispatchEvent plus the inspector's view of every event.
	dispatch js.Value
}

func (b *Bridge) startEvents() {
	b.ev.tab = js.Global().Get("crypto").Call("randomUUID").String()
	if b.hooks.Type() == js.TypeObject {
		b.ev.dispatch = b.hooks.Get("dispatch")
	}
	b.ev.report = js.FuncOf(func(_ js.Value, args []js.Value) any {
		b.listenerThrew(jsutil.Arg(args, 0), broker.ItemID(jsutil.Arg(args, 1).Int()))
		return nil
	})
	b.ev.receive = js.FuncOf(func(_ js.Value, args []js.Value) any {
		b.receiveCrossTab(jsutil.Arg(args, 0))
		return nil
	})
	if bc := js.Global().Get("BroadcastChannel"); bc.Type() == js.TypeFunction {
		b.ev.channel = bc.New(crossTabChannelName)
		b.ev.channel.Set("onmessage", b.ev.receive)
	}
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
// owner unless sender is ""), checked with
// decode — what the receiving tabs run — before channel (named name) posts
// it, so what they would drop is refused here with a code; call names the
// API call in the error.
func (b *Bridge) post(channel js.Value, name, call, typ string, detail js.Value, sender string, decode func([]byte) (string, error)) error {
	details := map[string]any{"channel": name, "type": typ, "limitBytes": broker.MaxMessageBytes}
	if channel.IsUndefined() {
		return errcode.New(errcode.EventNotSerializable, details, call+": this browser has no BroadcastChannel, so it cannot reach other tabs")
	}
	envelope := jsutil.Object()
	envelope.Set("v", broker.EnvelopeVersion)
	envelope.Set("type", typ)
	envelope.Set("tab", b.ev.tab)
	if sender != "" {
		envelope.Set("owner", sender)
	}
	envelope.Set("detail", detail)
	text, err := jsutil.Guard(call, func() js.Value { return jsutil.StringifyJSON(envelope) })
	if err != nil || text.Type() != js.TypeString {
		return errcode.New(errcode.EventNotSerializable, details,
			call+": the message cannot be sent to other tabs (it must be JSON-serializable data); send plain data")
	}
	if reason, err := decode([]byte(text.String())); err != nil {
		details["reason"] = reason
		return errcode.New(errcode.EventNotSerializable, details,
			call+": other tabs would drop the message ("+err.Error()+"); send less data, or plain data")
	}
	if _, err := jsutil.Guard(call, func() js.Value { return channel.Call("postMessage", envelope) }); err != nil {
		return errcode.New(errcode.EventNotSerializable, details, call+": the browser could not clone the message ("+err.Error()+"); send plain data")
	}
	return nil
}

// receiveCrossTab validates a message from another tab and dispatches it here;
// a bad one is dropped, counted in inspect() and reported once per reason.
func (b *Bridge) receiveCrossTab(message js.Value) {
	defer func() {
		if r := recover(); r != nil {
			b.dropCrossTab(broker.DropBadShape, jsutil.Recovered("cross-tab receive", r))
		}
	}()
	data := jsutil.Property(message, "data")
	text, err := jsutil.Guard("cross-tab receive", func() js.Value { return jsutil.StringifyJSON(data) })
	if err != nil || text.Type() != js.TypeString {
		b.dropCrossTab(broker.DropNotJSON, err)
		return
	}
	env, reason, err := broker.DecodeEnvelope([]byte(text.String()))
	if err == nil {
		reason, err = b.rt.CheckSender(env.Type, env.Owner)
	}
	if err != nil {
		b.dropCrossTab(reason, err)
		return
	}
	b.rt.CountReceived()
	b.dispatchEvent("fedwasm:"+env.Type, jsutil.Property(data, "detail"), env.Tab)
}

func (b *Bridge) dropCrossTab(reason string, cause error) {
	b.drop(broadcastChannel(crossTabChannelName), reason, cause, envelopeFix())
}

// broadcastChannel names the channel called name in messages.
func broadcastChannel(name string) string { return "BroadcastChannel " + strconv.Quote(name) }

// envelopeFix is what to do about a dropped envelope.
func envelopeFix() string {
	return "every tab must run a fedwasm speaking envelope version " + strconv.Itoa(broker.EnvelopeVersion)
}

// drop is the one way a message from another tab is dropped: counted by
// reason in inspect().broker.dropped and reported once per channel and
// reason, saying what to fix.
func (b *Bridge) drop(channel, reason string, cause error, fix string) {
	b.rt.Drop(reason)
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
