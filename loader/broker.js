// fedwasm broker primitives: the parts of the state and messaging broker that
// run on every update, so they must stay in JS (a call into Go costs ~9 µs).
// loader.js imports this module while runtime.wasm compiles and hands it to
// the Go runtime, which decides who is connected to what and routes the rare
// messages (invalidations, cache hand-offs); these functions do the rest.
//
// Each export takes plain callbacks and returns a function that undoes what it
// set up, so the runtime can release everything an owner registered.

export const version = 1;

// listen adds a window listener for eventName that calls handler(detail,
// event) and passes a throw to report(err, id), so the other listeners still
// run. The returned off() removes it once and then tells released(id).
export function listen(eventName, handler, report, released, id) {
  const listener = (event) => {
    try {
      handler(event.detail, event);
    } catch (err) {
      report(err, id);
    }
  };
  window.addEventListener(eventName, listener);
  let live = true;
  return () => {
    if (!live) return;
    live = false;
    window.removeEventListener(eventName, listener);
    released(id);
  };
}
