// fedwasm broker primitives: the parts of the state and messaging broker that
// run on every update, so they must stay in JS (a call into Go costs ~9 µs).
// loader.js imports this module while runtime.wasm compiles and hands it to
// the Go runtime, which decides who is connected to what and routes the rare
// messages (invalidations, cache hand-offs); these functions do the rest.
//
// Each export takes plain callbacks and returns a function that undoes what it
// set up, so the runtime can release everything an owner registered.

export const version = 1;

// tracked wraps undo so that it runs once and then tells released(id), which
// keeps the runtime's per-owner counts true however it is called: directly
// by the micro-frontend, or by a scope's dispose().
export function tracked(undo, released, id) {
  let live = true;
  return () => {
    if (!live) return;
    live = false;
    try {
      undo();
    } finally {
      released(id);
    }
  };
}

// listen adds a window listener for eventName that calls handler(detail,
// event) and passes a throw to report(err, id), so the other listeners still
// run. The returned off() removes it (once).
export function listen(eventName, handler, report, released, id) {
  const listener = (event) => {
    try {
      handler(event.detail, event);
    } catch (err) {
      report(err, id);
    }
  };
  window.addEventListener(eventName, listener);
  return tracked(() => window.removeEventListener(eventName, listener), released, id);
}

// subscribe subscribes listener to a store whose subscribe returns its
// unsubscribe function (zustand, and most stores), and tracks it. Updates go
// from the store to the listener directly.
export function subscribe(store, listener, released, id) {
  return tracked(store.subscribe(listener), released, id);
}
