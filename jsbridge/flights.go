//go:build js && wasm

package jsbridge

import (
	"github.com/fedwasm/fedwasm/jsbridge/internal/jsutil"
	"sync"
	"syscall/js"
)

// flights runs each keyed load once: concurrent callers share one load, a
// success is kept for good, and a failure is forgotten so the next call tries again.
type flights struct {
	mu sync.Mutex
	m  map[string]*flight
}

type flight struct {
	done  chan struct{}
	value js.Value
	err   error
}

func (f *flights) do(key string, load func() (js.Value, error)) (js.Value, error) {
	f.mu.Lock()
	if f.m == nil {
		f.m = map[string]*flight{}
	}
	fl, running := f.m[key]
	if !running {
		fl = &flight{done: make(chan struct{})}
		f.m[key] = fl
	}
	f.mu.Unlock()
	if !running {
		f.run(key, fl, load)
	}
	<-fl.done
	return fl.value, fl.err
}

// peek returns the value of a finished, successful load of key without waiting.
func (f *flights) peek(key string) (js.Value, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fl, ok := f.m[key]
	if !ok {
		return js.Undefined(), false
	}
	select {
	case <-fl.done:
		return fl.value, fl.err == nil
	default:
		return js.Undefined(), false
	}
}

// offer records value as the finished load of key unless a load of key exists.
// It never waits, so synchronous entry points may use it.
func (f *flights) offer(key string, value js.Value) js.Value {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.m == nil {
		f.m = map[string]*flight{}
	}
	if fl, ok := f.m[key]; ok {
		select {
		case <-fl.done:
			if fl.err == nil {
				return fl.value
			}
		default:
			return value // a load is running; it will settle on its own
		}
	}
	fl := &flight{done: make(chan struct{}), value: value}
	close(fl.done)
	f.m[key] = fl
	return value
}

// forget drops a finished load of key so the next do loads again. A load in
// progress is left to finish for its waiters.
func (f *flights) forget(key string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if fl, ok := f.m[key]; ok {
		select {
		case <-fl.done:
			delete(f.m, key)
		default:
		}
	}
}

// run performs the load; even a panic inside it settles the flight, so no
// waiter is left hanging.
func (f *flights) run(key string, fl *flight, load func() (js.Value, error)) {
	defer func() {
		if r := recover(); r != nil {
			fl.err = jsutil.Recovered("load", r)
		}
		if fl.err != nil {
			f.mu.Lock()
			delete(f.m, key)
			f.mu.Unlock()
		}
		close(fl.done)
	}()
	fl.value, fl.err = load()
}
