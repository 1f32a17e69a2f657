//go:build e2e

package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

func TestEventsInThePage(t *testing.T) {
	_, b, ctx := startDemo(t)
	cases := []struct{ name, expr, want string }{
		{"on receives emit's detail as a CustomEvent", `(() => { const got = [];
			const off = fedwasm.events.on('cart:open', (detail, event) => got.push([detail.id, event.type]));
			fedwasm.events.emit('cart:open', { id: 7 }); off(); fedwasm.events.emit('cart:open', { id: 8 });
			return JSON.stringify(got) })()`, `[[7,"fedwasm:cart:open"]]`},
		{"a plain window listener sees it too", `(() => { let seen = null; const l = (e) => { seen = e.detail };
			addEventListener('fedwasm:plain', l); fedwasm.events.emit('plain', 'hi'); removeEventListener('fedwasm:plain', l);
			return seen })()`, `hi`},
		{"a throwing listener does not stop the others and is counted", `(() => { const got = [];
			const before = fedwasm.inspect().broker.listenerErrors;
			const a = fedwasm.events.on('boom', () => { throw new Error('listener bug') });
			const c = fedwasm.events.on('boom', (d) => got.push(d));
			fedwasm.events.emit('boom', 1); a(); c();
			return JSON.stringify([got, fedwasm.inspect().broker.listenerErrors - before]) })()`, `[[1],1]`},
		{"listeners are counted per owner and off() releases them", `(() => {
			const widget = fedwasm.scope('widget');
			const offs = [1, 2, 3].map(() => widget.events.on('tick', () => {}));
			const live = fedwasm.inspect().broker.owners.widget.listeners;
			offs.forEach((off) => { off(); off(); });
			const after = fedwasm.inspect().broker.owners.widget ?? null;
			widget.dispose();
			return JSON.stringify([live, after]) })()`, `[3,null]`},
		{"a bad event type is refused with a code", `(() => { try { fedwasm.events.emit('has space', 1); return 'no throw' } catch (e) { return e.code } })()`, `INVALID_ARGUMENT`},
		{"cross-tab detail that cannot be cloned is refused", `(() => { try { fedwasm.events.emit('x', { f: () => 1, big: 1n }, { crossTab: true }); return 'no throw' }
			catch (e) { return e.code } })()`, `EVENT_NOT_SERIALIZABLE`},
		{"cross-tab detail over the size limit is refused", `(() => { try { fedwasm.events.emit('x', 'y'.repeat(70000), { crossTab: true }); return 'no throw' }
			catch (e) { return e.code } })()`, `EVENT_NOT_SERIALIZABLE`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := eval[string](t, ctx, c.expr); got != c.want {
				t.Errorf("got %s, want %s", got, c.want)
			}
		})
	}
	problems := strings.Join(b.Problems(), "\n")
	if !strings.Contains(problems, "EVENT_LISTENER_THREW") || !strings.Contains(problems, "listener bug") {
		t.Errorf("the throwing listener was not reported on the console; console said:\n%s", problems)
	}
}

func TestEventsAcrossTabs(t *testing.T) {
	d, b, tabA := startDemo(t)
	tabB, closeB, err := b.NewTab()
	if err != nil {
		t.Fatal(err)
	}
	defer closeB()
	ctxB, cancel := context.WithTimeout(tabB, 30*time.Second)
	defer cancel()
	var booted bool
	if err := chromedp.Run(ctxB, chromedp.Navigate(d.HostURL+"/"), chromedp.Poll(`window.demo !== undefined`, &booted, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		t.Fatalf("second tab did not boot: %v", err)
	}
	// Tab B records what reaches it.
	eval[bool](t, ctxB, `(() => { window.received = [];
		fedwasm.events.on('auth:logout', (detail, event) => received.push({ detail, fromTab: event.fedwasmFromTab !== undefined }));
		return true })()`)

	// Other cross-tab traffic (the demo's query clients hand caches over) is
	// counted too: measure what the emit adds.
	time.Sleep(200 * time.Millisecond)
	receivedBefore := eval[int](t, ctxB, `fedwasm.inspect().broker.receivedCrossTab`)
	eval[bool](t, tabA, `(fedwasm.events.emit('auth:logout', { user: 'ada', at: 1 }, { crossTab: true }), true)`)
	eval[bool](t, tabA, `(fedwasm.events.emit('auth:logout', { user: 'local-only' }), true)`)
	var got string
	if err := chromedp.Run(ctxB, chromedp.Poll(`received.length > 0 && JSON.stringify(received)`, &got, chromedp.WithPollingInterval(20*time.Millisecond), chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		t.Fatalf("tab B received nothing: %v", err)
	}
	if want := `[{"detail":{"user":"ada","at":1},"fromTab":true}]`; got != want {
		t.Errorf("tab B received %s, want %s (the non-crossTab emit must stay in tab A)", got, want)
	}

	// Messages that are not fedwasm envelopes are dropped, counted, and never delivered.
	eval[bool](t, tabA, `(() => { const ch = new BroadcastChannel('fedwasm:events');
		ch.postMessage({ v: 99, tab: 'x', text: JSON.stringify({ v: 99, type: 'auth:logout', tab: 'x', detail: {} }) });
		ch.postMessage({ v: 2, tab: 'x', text: JSON.stringify({ v: 2, type: 'auth logout', tab: 'x', detail: {} }) });
		ch.postMessage('not an envelope');
		ch.close(); return true })()`)
	var dropped map[string]int
	if err := chromedp.Run(ctxB, chromedp.Poll(`(() => { const d = fedwasm.inspect().broker.dropped;
		return Object.values(d).reduce((a, b) => a + b, 0) >= 3 && d })()`, &dropped, chromedp.WithPollingInterval(20*time.Millisecond), chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		t.Fatalf("tab B did not count the bad messages: %v", err)
	}
	for _, reason := range []string{"unknown-version", "bad-event-type", "bad-shape"} {
		if dropped[reason] != 1 {
			t.Errorf("dropped[%s] = %d, want 1 (all: %v)", reason, dropped[reason], dropped)
		}
	}
	if n := eval[int](t, ctxB, `received.length`); n != 1 {
		t.Errorf("tab B delivered %d messages, want only the valid one", n)
	}
	if n := eval[int](t, ctxB, `fedwasm.inspect().broker.receivedCrossTab`) - receivedBefore; n != 1 {
		t.Errorf("receivedCrossTab grew by %d, want 1", n)
	}
}
