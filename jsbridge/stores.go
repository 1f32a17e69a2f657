//go:build js && wasm

package jsbridge

import (
	"github.com/fedwasm/fedwasm/jsbridge/internal/jsutil"
	"strconv"
	"syscall/js"

	"github.com/fedwasm/fedwasm/federation/broker"
	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/store"
)

// defaultStoreTimeoutMs is how long stores.get waits when no timeoutMs is given.
const defaultStoreTimeoutMs = 10_000

// provideStore implements fedwasm.stores.provide(name, store, { version, owner, persist }).
func (b *Bridge) provideStore(c broker.Caller, _ js.Value, args []js.Value) (any, error) {
	name, err := jsutil.StringArg("stores.provide", "the store name", args, 0)
	if err != nil {
		return nil, err
	}
	instance := jsutil.Arg(args, 1)
	if t := instance.Type(); t != js.TypeObject && t != js.TypeFunction {
		return nil, errcode.New(errcode.StoreInvalid, map[string]any{"store": name},
			"fedwasm.stores.provide("+strconv.Quote(name)+"): the store must be an object or function (a zustand store, a QueryClient, ...), not "+t.String())
	}
	o, err := jsutil.OptionsArg("stores.provide", args, 2)
	if err != nil {
		return nil, err
	}
	e := store.Entry[any]{Name: name, Handle: instance}
	if e.Version, err = o.String("version", ""); err != nil {
		return nil, err
	}
	if e.Owner, err = o.String("owner", ""); err != nil { // the owner named; ProvideStore decides the one it is provided as
		return nil, err
	}
	persist, err := persistOption(name, instance, o)
	if err != nil {
		return nil, err
	}
	if e, err = b.rt.ProvideStore(e, c); err != nil {
		return nil, err
	}
	b.trackProvidedStore(e, c.Lifetime)
	if persist != nil {
		return nil, b.persistStore(name, instance, persist, e.Owner, c.Lifetime)
	}
	return nil, nil
}

// getStore implements fedwasm.stores.get(name, { requiredVersion, timeoutMs, owner }):
// it waits until the store is provided, then returns the very instance. The
// owner option only names the asker in errors (it acts as no one); it
// defaults to the caller's owner.
func (b *Bridge) getStore(c broker.Caller, _ js.Value, args []js.Value) (any, error) {
	name, err := jsutil.StringArg("stores.get", "the store name", args, 0)
	if err != nil {
		return nil, err
	}
	o, err := jsutil.OptionsArg("stores.get", args, 1)
	if err != nil {
		return nil, err
	}
	required, err := o.String("requiredVersion", "")
	if err != nil {
		return nil, err
	}
	asker := c.Owner
	if c.Page() {
		asker = broker.PageOwner
	}
	consumer, err := o.String("owner", asker)
	if err != nil {
		return nil, err
	}
	timeoutMs, err := o.Number("timeoutMs", defaultStoreTimeoutMs)
	if err != nil {
		return nil, err
	}
	if timeoutMs < 0 {
		return nil, errcode.New(errcode.InvalidArgument, map[string]any{"store": name, "timeoutMs": timeoutMs},
			"fedwasm.stores.get("+strconv.Quote(name)+"): timeoutMs must be zero or more, not "+strconv.FormatFloat(timeoutMs, 'g', -1, 64))
	}
	ch, cancel := b.rt.WaitStore(name)
	found := func(e store.Entry[any]) (any, error) {
		if err := store.CheckVersion(e, required, consumer); err != nil {
			return nil, err
		}
		return e.Handle, nil
	}
	select {
	case e := <-ch: // already provided: never lose the race to a zero timeout
		return found(e)
	default:
	}
	timer := jsutil.After(timeoutMs)
	defer timer.Stop()
	select {
	case e := <-ch:
		return found(e)
	case <-timer.Expired:
		cancel()
		return nil, errcode.New(errcode.StoreTimeout, map[string]any{"store": name, "timeoutMs": timeoutMs, "consumer": consumer},
			"store "+strconv.Quote(name)+" was not provided within "+strconv.FormatFloat(timeoutMs, 'g', -1, 64)+" ms (asked for by "+strconv.Quote(consumer)+"); check that its owner calls fedwasm.stores.provide("+strconv.Quote(name)+", ...), or raise timeoutMs")
	}
}
