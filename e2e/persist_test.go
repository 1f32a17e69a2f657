//go:build e2e

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fedwasm/fedwasm/federation/broker"
	"github.com/fedwasm/fedwasm/internal/browser"
)

// persistSetup defines window.provideCart(key, persist), which provides a
// real zustand store persisted under key (through the scope of owner cart),
// and records the store's updates and the runtime's warning events.
const persistSetup = `(() => {
	window.updates = 0; window.warnings = [];
	addEventListener('fedwasm:warning', (e) => warnings.push(e.detail.code));
	const cartScope = fedwasm.scope('cart');
	window.provideCart = (name, persist) => {
		const store = Z.createStore((set) => ({ count: 0, inc: () => set((s) => ({ count: s.count + 1 })) }));
		cartScope.stores.provide(name, store, { persist: { key: 'app:' + name, schemaVersion: 1, ...persist } });
		store.subscribe(() => updates++);
		return store;
	};
	return true })()`

func TestPersistAcrossTabsAndReload(t *testing.T) {
	p, tabA := serveStatePage(t)
	eval[bool](t, tabA, persistSetup)
	got := eval[string](t, tabA, `(() => { window.cart = provideCart('cart'); cart.getState().inc();
		const env = JSON.parse(localStorage.getItem('app:cart'));
		return JSON.stringify([env.schemaVersion, env.state, typeof env.writtenAt, typeof env.tab, fedwasm.inspect().broker.owners.cart]) })()`)
	if got != `[1,{"count":1},"number","string",{"stores":1,"subscriptions":1}]` {
		t.Errorf("tab A's stored envelope and owners = %s", got)
	}
	tabB := p.newTab(t)
	eval[bool](t, tabB, persistSetup)
	if n := eval[int](t, tabB, `(window.cart = provideCart('cart'), cart.getState().count)`); n != 1 {
		t.Errorf("tab B started with count %d, want 1 from storage", n)
	}
	eval[bool](t, tabA, `(cart.getState().inc(), true)`)
	poll[bool](t, tabB, `cart.getState().count === 2`, "tab A's write did not reach tab B")
	eval[bool](t, tabB, `(cart.getState().inc(), true)`)
	poll[bool](t, tabA, `cart.getState().count === 3`, "tab B's write did not reach tab A")
	time.Sleep(200 * time.Millisecond)
	// Each tab saw its own update and the other's once: nothing echoed back.
	if got := eval[string](t, tabA, `JSON.stringify([cart.getState().count, updates])`); got != `[3,3]` {
		t.Errorf("tab A [count, updates] = %s, want [3,3]", got)
	}
	if got := eval[string](t, tabB, `JSON.stringify([cart.getState().count, updates])`); got != `[3,2]` {
		t.Errorf("tab B [count, updates] = %s, want [3,2]", got)
	}
	// A reload keeps the state.
	p.reload(t, tabA)
	eval[bool](t, tabA, persistSetup)
	if n := eval[int](t, tabA, `provideCart('cart').getState().count`); n != 3 {
		t.Errorf("after a reload count = %d, want 3", n)
	}
	noProblems(t, p.browser)
}

func TestPersistUnreadableAndMigrate(t *testing.T) {
	p, ctx := serveStatePage(t)
	eval[bool](t, ctx, persistSetup)
	cases := []struct{ name, expr, want string }{
		{"corrupt JSON: defaults, a warning, the data kept aside", `(() => {
			localStorage.setItem('app:corrupt', '{"schemaVersion":1,"sta');
			const s = provideCart('corrupt');
			const aside = Object.keys(localStorage).filter((k) => k.startsWith('app:corrupt:unreadable:'));
			const w = fedwasm.inspect().warnings.at(-1);
			return JSON.stringify([s.getState().count, localStorage.getItem('app:corrupt'), aside.length, localStorage.getItem(aside[0]),
				w.code, w.details.movedTo === aside[0], warnings.at(-1)]) })()`,
			`[0,null,1,"{\"schemaVersion\":1,\"sta","PERSIST_UNREADABLE",true,"PERSIST_UNREADABLE"]`},
		{"a foreign shape is kept, not overwritten", `(() => {
			localStorage.setItem('app:foreign', JSON.stringify({ state: { count: 9 }, version: 0 }));
			const s = provideCart('foreign'); s.getState().inc();
			const aside = Object.keys(localStorage).filter((k) => k.startsWith('app:foreign:unreadable:'));
			return JSON.stringify([s.getState().count, JSON.parse(localStorage.getItem(aside[0])).state.count,
				JSON.parse(localStorage.getItem('app:foreign')).state.count]) })()`,
			`[1,9,1]`},
		{"a newer schemaVersion is kept, not overwritten", `(() => {
			localStorage.setItem('app:newer', JSON.stringify({ schemaVersion: 7, state: { count: 70 }, writtenAt: 1, tab: 't' }));
			const s = provideCart('newer');
			const aside = Object.keys(localStorage).filter((k) => k.startsWith('app:newer:unreadable:'));
			const w = fedwasm.inspect().warnings.at(-1);
			return JSON.stringify([s.getState().count, JSON.parse(localStorage.getItem(aside[0])).schemaVersion, w.code, w.message.includes('newer')]) })()`,
			`[0,7,"PERSIST_UNREADABLE",true]`},
		{"an older schemaVersion is migrated and written back", `(() => {
			localStorage.setItem('app:old', JSON.stringify({ schemaVersion: 1, state: { n: 4 }, writtenAt: 1, tab: 't' }));
			const calls = [];
			const s = provideCart('old', { schemaVersion: 2, migrate: (state, from) => (calls.push(from), { count: state.n, from }) });
			const env = JSON.parse(localStorage.getItem('app:old'));
			return JSON.stringify([s.getState().count, s.getState().from, calls, env.schemaVersion, env.state.count]) })()`,
			`[4,1,[1],2,4]`},
		{"a failing migrate keeps the defaults and the old data", `(() => {
			localStorage.setItem('app:oldbad', JSON.stringify({ schemaVersion: 1, state: { n: 4 } }));
			const s = provideCart('oldbad', { schemaVersion: 2, migrate: () => { throw new Error('cannot migrate') } });
			const aside = Object.keys(localStorage).filter((k) => k.startsWith('app:oldbad:unreadable:'));
			const w = fedwasm.inspect().warnings.at(-1);
			return JSON.stringify([s.getState().count, aside.length, w.code, w.message.includes('cannot migrate')]) })()`,
			`[0,1,"PERSIST_MIGRATE_FAILED",true]`},
		{"an older schemaVersion without migrate is kept aside", `(() => {
			localStorage.setItem('app:nomigrate', JSON.stringify({ schemaVersion: 1, state: { count: 3 } }));
			const s = provideCart('nomigrate', { schemaVersion: 2 });
			return JSON.stringify([s.getState().count, fedwasm.inspect().warnings.at(-1).code]) })()`,
			`[0,"PERSIST_UNREADABLE"]`},
		{"bad options are refused with a code", `(() => { const r = [];
			for (const persist of [{ schemaVersion: 1 }, { key: 'k', schemaVersion: 1.5 }, { key: 'k', schemaVersion: 1, storage: {} }, 'yes']) {
				try { fedwasm.stores.provide('bad' + r.length, Z.createStore(() => ({})), { persist }); r.push('ok') } catch (e) { r.push(e.code) } }
			try { fedwasm.stores.provide('plain', {}, { persist: { key: 'k', schemaVersion: 1 } }); r.push('ok') } catch (e) { r.push(e.code) }
			return r.join() })()`,
			`INVALID_ARGUMENT,INVALID_ARGUMENT,INVALID_ARGUMENT,INVALID_ARGUMENT,STORE_INVALID`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := eval[string](t, ctx, c.expr); got != c.want {
				t.Errorf("got %s, want %s", got, c.want)
			}
		})
	}
	problems := p.browser.Problems()
	for _, pr := range problems {
		if !strings.Contains(pr, "PERSIST_") {
			t.Errorf("unexpected page problem: %s", pr)
		}
	}
}

// Two tabs writing in the same millisecond (Date.now is pinned to the same
// value in both) end with the same state, in both tabs and in storage.
func TestPersistConcurrentWritesConverge(t *testing.T) {
	p, tabA := serveStatePage(t)
	tabB := p.newTab(t)
	for _, tab := range []context.Context{tabA, tabB} {
		eval[bool](t, tab, persistSetup)
		eval[bool](t, tab, `(window.race = provideCart('race'), window.realNow = Date.now.bind(Date), true)`)
	}
	for round := 1; round <= 5; round++ {
		at := time.Now().Add(300 * time.Millisecond).UnixMilli()
		pinned := 2_000_000_000_000 + int64(round)*1000
		var wg sync.WaitGroup
		for i, tab := range []context.Context{tabA, tabB} {
			wg.Add(1)
			go func(tab context.Context, who string) {
				defer wg.Done()
				var ok bool
				_ = browser.Eval(tab, fmt.Sprintf(`(async () => {
					await new Promise((r) => setTimeout(r, Math.max(0, %d - realNow())));
					Date.now = () => %d; race.setState({ count: %d, by: '%s' }); Date.now = realNow; return true })()`, at, pinned, round, who), &ok)
			}(tab, string(rune('A'+i)))
		}
		wg.Wait()
		time.Sleep(300 * time.Millisecond)
		a := eval[string](t, tabA, `JSON.stringify([race.getState().count, race.getState().by, JSON.parse(localStorage.getItem('app:race')).state.by])`)
		b := eval[string](t, tabB, `JSON.stringify([race.getState().count, race.getState().by, JSON.parse(localStorage.getItem('app:race')).state.by])`)
		if a != b || !strings.Contains(a, fmt.Sprintf("[%d,", round)) {
			t.Fatalf("round %d: tab A has %s, tab B has %s ([count, by, stored by]); they must agree", round, a, b)
		}
		var by []any
		if err := browser.Eval(tabA, `[race.getState().by, JSON.parse(localStorage.getItem('app:race')).state.by]`, &by); err != nil || by[0] != by[1] {
			t.Fatalf("round %d: storage disagrees with the tabs: %v (%v)", round, by, err)
		}
	}
	noProblems(t, p.browser)
}

// TestPersistEnvelopeAgreesWithGo holds broker.js's envelope (written and
// checked on every change and cross-tab message) and Go's (read from storage
// at provide) to one definition: the same texts are accepted or dropped for
// the same reason, and what broker.js writes Go reads back.
func TestPersistEnvelopeAgreesWithGo(t *testing.T) {
	_, tab := serveStatePage(t)
	brokers, _ := filepath.Glob(filepath.Join(root, "dist", "fedwasm", "broker.*.js"))
	if len(brokers) != 1 {
		t.Fatalf("want one content-hashed broker.js in dist/fedwasm, found %v", brokers)
	}
	rules, _ := json.Marshal(broker.PersistRules())
	eval[bool](t, tab, `(async () => { window.B = await import('/fedwasm/`+filepath.Base(brokers[0])+`');
		window.rules = `+string(rules)+`; return true })()`)
	const schemaVersion = 2
	texts := []string{
		`{"schemaVersion":2,"state":{"n":1},"writtenAt":5,"tab":"t"}`,
		`{"schemaVersion":2,"state":{}}`,
		`{"schemaVersion":2,"state":{},"writtenAt":null,"tab":null}`,
		`{"schemaVersion":1,"state":{"count":1},"writtenAt":1,"tab":"t"}`,
		`{"schemaVersion":3,"state":{},"writtenAt":1,"tab":"t"}`,
		`{"schemaVersion":2.5,"state":{}}`,
		`{"schemaVersion":4294967298,"state":{}}`,
		`{"schemaVersion":"2","state":{}}`,
		`{"schemaVersion":null,"state":{}}`,
		`{"state":{"n":1},"version":0}`,
		`{"schemaVersion":2}`,
		`{"schemaVersion":2,"state":"x"}`,
		`{"schemaVersion":2,"state":null}`,
		`{"schemaVersion":2,"state":[1]}`,
		`{"schemaVersion":2,"state":{},"writtenAt":"5"}`,
		`{"schemaVersion":2,"state":{},"tab":7}`,
		`{"schemaVersion":2,"sta`,
		`[1,2]`, `null`, `"text"`, `42`, ``,
	}
	for _, text := range texts {
		want := ""
		if _, outcome, err := broker.ReadPersisted(text, true, schemaVersion, false); outcome != broker.PersistCurrent {
			perr, ok := err.(*broker.PersistError)
			if !ok {
				t.Fatalf("Go read %q as %d with error %v, not a *PersistError", text, outcome, err)
			}
			want = perr.Reason
		}
		got := eval[string](t, tab, `(B.readPersistEnvelope(`+jsString(text)+`, `+fmt.Sprint(schemaVersion)+`, rules).reason || '')`)
		if got != want {
			t.Errorf("envelope %s: broker.js says %q, Go says %q", text, got, want)
		}
	}
	// What only the channel carries: non-text and oversized messages.
	for expr, want := range map[string]string{
		`B.readPersistEnvelope({ schemaVersion: 2, state: {} }, 2, rules).reason`: broker.DropBadShape,
		`B.readPersistEnvelope(' '.repeat(rules.maxLength + 1), 2, rules).reason`: broker.DropTooLarge,
	} {
		if got := eval[string](t, tab, expr); got != want {
			t.Errorf("%s = %q, want %q", expr, got, want)
		}
	}
	written := eval[string](t, tab, `B.persistEnvelope(2, { n: 1 }, 5, 't')`)
	env, outcome, err := broker.ReadPersisted(written, true, schemaVersion, false)
	if outcome != broker.PersistCurrent || env.WrittenAt != 5 || env.Tab != "t" || env.State["n"] != 1.0 {
		t.Errorf("Go read broker.js's envelope %s as %d %+v (%v)", written, outcome, env, err)
	}
}
