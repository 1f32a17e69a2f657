// A hand-written var container (webpack's shape: a global with init and get)
// with one expose. The "wrong content" fault serves other bytes in its place.
var widget = {
  init() {},
  get(expose) {
    return () => ({
      mount(element) {
        element.textContent = `widget ${expose}`;
        return { unmount() { element.textContent = ''; } };
      },
    });
  },
};
