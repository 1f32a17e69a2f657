//go:build js && wasm

package jsbridge

import (
	"errors"
	"github.com/fedwasm/fedwasm/jsbridge/internal/jsutil"
	"strconv"
	"syscall/js"

	"github.com/fedwasm/fedwasm/federation/broker"
	"github.com/fedwasm/fedwasm/federation/errcode"
)

// Persisted stores: stores.provide(name, store, {persist: {key, schemaVersion,
// migrate, storage}}) restores the store's state from storage once, here, and
// then broker.js's persistStore writes it on every change and keeps the other
// tabs in step; Go hears only about dropped messages and failed writes.

// persistOptions is a validated persist option.
type persistOptions struct {
	key           string
	schemaVersion int
	migrate       js.Value // a function, or undefined
	storage       js.Value // a Storage-like object
}

// persistReport returns b's shared report(reason, err, id, n) callback, made
// on first use.
func (b *Bridge) persistReport() js.Func {
	b.persistOnce.Do(b.startPersist)
	return b.persistReportFn
}

// startPersist makes what every persisted store shares: the rules and the
// report callback.
func (b *Bridge) startPersist() {
	b.persistRulesObj = jsutil.ToJS(broker.PersistRules())
	b.persistReportFn = js.FuncOf(func(_ js.Value, args []js.Value) any {
		b.queryCallback("persist report", func() {
			reason, cause, id := jsutil.Arg(args, 0).String(), jsutil.Message(jsutil.Arg(args, 1)), jsutil.Arg(args, 2).Int()
			if reason == broker.PersistWriteFailed {
				b.warnOnce("persist write", errcode.New(errcode.PersistWriteFailed, map[string]any{"cause": cause, "item": id},
					"a persisted store could not write its state: "+cause+"; the store keeps working in memory; free storage space or make the state JSON-serializable"))
				return
			}
			n := 1
			if v := jsutil.Arg(args, 3); v.Type() == js.TypeNumber && v.Int() > 0 {
				n = v.Int() // the channel reports floods in batches
			}
			b.drop("a persisted store's BroadcastChannel", reason, n, errors.New(cause), "every tab must run the same store schemaVersion")
		})
		return nil
	})
}

// persistRules returns broker.PersistRules as the JS object broker.js's
// persistStore applies, made on first use.
func (b *Bridge) persistRules() js.Value {
	b.persistOnce.Do(b.startPersist)
	return b.persistRulesObj
}

// persistOption reads and checks the persist option of stores.provide, and
// that instance can be persisted; nil when the option is absent.
func persistOption(name string, instance js.Value, o jsutil.Options) (*persistOptions, error) {
	v := o.Field("persist")
	if v.IsUndefined() || v.IsNull() {
		return nil, nil
	}
	for _, m := range []string{"getState", "setState", "subscribe"} {
		if jsutil.Property(instance, m).Type() != js.TypeFunction {
			return nil, errcode.New(errcode.StoreInvalid, map[string]any{"store": name, "missing": m},
				"fedwasm.stores.provide("+strconv.Quote(name)+", store, {persist}): a persisted store needs getState, setState and subscribe (a zustand store has them); "+m+" is missing")
		}
	}
	bad := func(problem string) error {
		return errcode.New(errcode.InvalidArgument, map[string]any{"store": name, "option": "persist"},
			"fedwasm.stores.provide("+strconv.Quote(name)+", store, {persist}): "+problem)
	}
	if v.Type() != js.TypeObject {
		return nil, bad("persist must be an object {key, schemaVersion, migrate?, storage?}, not " + v.Type().String())
	}
	p := jsutil.OptionsOf("stores.provide persist", v)
	key, err := p.String("key", "")
	if err != nil {
		return nil, err
	}
	if key == "" {
		return nil, bad("persist.key must be a non-empty string, the storage key, such as " + strconv.Quote("app:"+name))
	}
	version, err := p.Number("schemaVersion", -1)
	if err != nil {
		return nil, err
	}
	out := &persistOptions{key: key}
	if out.schemaVersion, err = broker.ValidateSchemaVersion(version); err != nil {
		return nil, bad(err.Error() + "; bump it whenever the shape of the persisted state changes")
	}
	if out.migrate, err = p.Func("migrate"); err != nil {
		return nil, err
	}
	out.storage = p.Field("storage")
	if out.storage.IsUndefined() || out.storage.IsNull() {
		if out.storage, err = jsutil.Guard("stores.provide", func() js.Value { return jsutil.Property(js.Global(), "localStorage") }); err != nil {
			return nil, bad("window.localStorage is not available here (" + err.Error() + "); pass persist.storage")
		}
	}
	for _, m := range []string{"getItem", "setItem", "removeItem"} {
		if out.storage.Type() != js.TypeObject || jsutil.Property(out.storage, m).Type() != js.TypeFunction {
			return nil, bad("persist.storage must have getItem, setItem and removeItem, like localStorage")
		}
	}
	return out, nil
}

// persistStore restores instance's state from storage and starts writing it.
func (b *Bridge) persistStore(name string, instance js.Value, p *persistOptions, owner string, lifetime broker.LifetimeID) error {
	start, err := b.brokerPrimitive("persistStore", "stores.provide({persist})")
	if err != nil {
		return err
	}
	envelope, err := b.brokerPrimitive("persistEnvelope", "stores.provide({persist})")
	if err != nil {
		return err
	}
	details := map[string]any{"store": name, "key": p.key, "schemaVersion": p.schemaVersion}
	raw, err := jsutil.Guard("stores.provide", func() js.Value { return p.storage.Call("getItem", p.key) })
	if err != nil {
		return errcode.New(errcode.PersistUnreadable, details, "fedwasm.stores.provide("+strconv.Quote(name)+"): reading storage key "+strconv.Quote(p.key)+" failed: "+err.Error()+"; the store was provided but is not persisted")
	}
	env, outcome, why := broker.ReadPersisted(textOf(raw), raw.Type() == js.TypeString, p.schemaVersion, !p.migrate.IsUndefined())
	stamp := jsutil.Object()
	stamp.Set("writtenAt", 0)
	stamp.Set("tab", "")
	// The state as JS: the stored text parsed again by JSON.parse (ReadPersisted
	// checked it is a JSON object with an object state).
	storedState := func() js.Value { return jsutil.ParseJSON(raw).Get("state") }
	switch outcome {
	case broker.PersistCurrent:
		instance.Call("setState", storedState())
		stamp.Set("writtenAt", env.WrittenAt)
		stamp.Set("tab", env.Tab)
	case broker.PersistMigrate:
		migrated, err := jsutil.Guard("persist.migrate", func() js.Value { return p.migrate.Invoke(storedState(), env.SchemaVersion) })
		if err == nil && (migrated.Type() != js.TypeObject || jsutil.IsThenable(migrated)) {
			err = errcode.New(errcode.PersistMigrateFailed, nil, "it returned "+migrated.Type().String()+", not the state object (migrate must be synchronous)")
		}
		if err != nil {
			details["fromVersion"] = env.SchemaVersion
			if !b.setAside(name, p, textOf(raw), errcode.PersistMigrateFailed, details,
				"persist.migrate(state, "+strconv.Itoa(env.SchemaVersion)+") failed: "+errcode.As(err, errcode.JSException).Message) {
				return nil
			}
			break
		}
		instance.Call("setState", migrated)
		now := jsutil.Now()
		text, err := jsutil.Guard("stores.provide", func() js.Value { return envelope.Invoke(p.schemaVersion, migrated, now, b.ev.tab) })
		if err == nil {
			_, err = jsutil.Guard("stores.provide", func() js.Value { return p.storage.Call("setItem", p.key, text) })
		}
		if err != nil {
			b.warn(errcode.New(errcode.PersistWriteFailed, details, "store "+strconv.Quote(name)+": writing the migrated state to "+strconv.Quote(p.key)+" failed: "+err.Error()+"; the old data stays there"))
		}
		stamp.Set("writtenAt", now)
		stamp.Set("tab", b.ev.tab)
	case broker.PersistUnreadable:
		if !b.setAside(name, p, textOf(raw), errcode.PersistUnreadable, details, why.Error()) {
			return nil
		}
	}
	_, err = b.track(broker.Item{Kind: broker.Subscription, Owner: owner, Name: "persist:" + p.key, Lifetime: lifetime}, func(id broker.ItemID) js.Value {
		return start.Invoke(instance, p.storage, p.key, p.schemaVersion, b.ev.tab, stamp, b.persistRules(), b.persistReport(), b.released, int(id))
	})
	return err
}

// setAside moves unreadable data from p.key to an ":unreadable:<time>" key
// and warns with code, saying where it went; the store keeps its own state.
// It reports false when the data could not be moved: then persistence stays
// off, so nothing overwrites it.
func (b *Bridge) setAside(name string, p *persistOptions, raw, code string, details map[string]any, why string) bool {
	aside := broker.UnreadableKey(p.key, int64(jsutil.Now()))
	_, err := jsutil.Guard("stores.provide", func() js.Value { return p.storage.Call("setItem", aside, raw) })
	if err == nil {
		_, err = jsutil.Guard("stores.provide", func() js.Value { return p.storage.Call("removeItem", p.key) })
	}
	details["reason"] = why
	if err != nil {
		b.warn(errcode.New(code, details,
			"store "+strconv.Quote(name)+": the data under storage key "+strconv.Quote(p.key)+" cannot be used ("+why+") and could not be moved aside ("+err.Error()+"); it was left untouched and the store is NOT persisted; remove or fix the key"))
		return false
	}
	details["movedTo"] = aside
	b.warn(errcode.New(code, details,
		"store "+strconv.Quote(name)+": the data under storage key "+strconv.Quote(p.key)+" cannot be used ("+why+"); the store starts from its defaults, and the data was kept under "+strconv.Quote(aside)))
	return true
}

func textOf(v js.Value) string {
	if v.Type() == js.TypeString {
		return v.String()
	}
	return ""
}
