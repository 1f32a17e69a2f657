//go:build js && wasm

package jsutil

import (
	"sync"
	"syscall/js"
)

// Timer is a running timer from After.
type Timer struct {
	// Expired is closed once the timer's time has passed.
	Expired <-chan struct{}
	id      int
}

// After returns a timer that expires once ms milliseconds have passed, on the
// page's setTimeout. runtime.wasm does not link Go's time package: with its
// timers come its formatting and its GODEBUG settings with their parser.
func After(ms float64) Timer {
	t := &timer{expired: make(chan struct{}), rest: ms}
	timers.Lock()
	defer timers.Unlock()
	timers.next++
	id := timers.next
	timers.byID[id] = t
	t.arm(id)
	return Timer{Expired: t.expired, id: id}
}

// Stop stops the timer; Expired then stays open.
func (t Timer) Stop() {
	timers.Lock()
	defer timers.Unlock()
	if running := timers.byID[t.id]; running != nil {
		delete(timers.byID, t.id)
		clearTimeout.Invoke(running.handle)
	}
}

// maxTimeout is the longest delay setTimeout keeps (2^31-1 ms, about 24.8
// days); it fires a longer one at once, so a longer timer is set in parts.
const maxTimeout = 1<<31 - 1

// timer is a running timer: rest is the time not yet handed to setTimeout.
type timer struct {
	expired chan struct{}
	rest    float64
	handle  js.Value // setTimeout's id
}

// timers are the running timers by id. One js.Func, fire (fireTimer), serves
// them all: a timer costs no js.Func of its own.
var timers = struct {
	sync.Mutex
	next int
	byID map[int]*timer
	fire js.Func
}{byID: map[int]*timer{}}

func init() { timers.fire = js.FuncOf(fireTimer) }

// arm hands the timer's next part to setTimeout; timers is locked.
func (t *timer) arm(id int) {
	part := min(t.rest, maxTimeout)
	t.rest -= part
	t.handle = setTimeout.Invoke(timers.fire, part, id)
}

// fireTimer is setTimeout's callback for every timer: it arms the timer's
// next part, or closes its channel.
func fireTimer(_ js.Value, args []js.Value) any {
	id := Arg(args, 0).Int()
	timers.Lock()
	t := timers.byID[id]
	switch {
	case t == nil: // stopped
	case t.rest > 0:
		t.arm(id)
		t = nil
	default:
		delete(timers.byID, id)
	}
	timers.Unlock()
	if t != nil {
		close(t.expired)
	}
	return nil
}
