// A remote for the scope tests: its mount calls every synchronous method of
// the scope fedwasm hands it with an argument that must fail, and reports
// for each whether it threw a coded Error (as every fedwasm method does) or
// returned something instead.
const bad = {
  'stores.provide': (scope) => scope.stores.provide('owned', { getState() {}, subscribe() { return () => {}; } }),
  'stores.subscribe': (scope) => scope.stores.subscribe('no-such-store', () => {}),
  loadShareSync: (scope) => scope.loadShareSync('no-such-package'),
  'events.on': (scope) => scope.events.on('probe:event', 42),
  'events.emit': (scope) => scope.events.emit(42),
  'query.connect': (scope) => scope.query.connect({}),
};

export function probe(scope) {
  const out = {};
  for (const [name, call] of Object.entries(bad)) {
    try {
      const result = call(scope);
      out[name] = result instanceof Error ? `returned ${result.code}` : `returned ${typeof result}`;
    } catch (err) {
      out[name] = `threw ${err && err.code}`;
    }
  }
  // A good call still returns its value: events.on its off().
  const off = scope.events.on('probe:event', () => {});
  out['events.on (good)'] = typeof off;
  off();
  return out;
}

export function mount(element, props, scope) {
  element.textContent = 'probe mounted';
  props.report(probe(scope));
  return { unmount() { element.textContent = ''; } };
}
