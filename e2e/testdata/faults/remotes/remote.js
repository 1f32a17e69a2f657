// A healthy plain ES-module remote for the fault-injection tests: every
// faulted ES-module remote is this file behind a fault, so the ones a retry
// heals render exactly like the healthy one.
const where = new URL(import.meta.url).pathname;

export function mount(element) {
  const p = document.createElement('p');
  p.textContent = `rendered by ${where}`;
  element.replaceChildren(p);
  element.dataset.rendered = where;
  return {
    unmount() {
      element.replaceChildren();
      delete element.dataset.rendered;
    },
  };
}
