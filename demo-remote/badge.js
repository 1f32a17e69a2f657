// A plain ES-module remote: no bundler and no fedwasm call for its
// dependencies. Its bare `import ... from 'zustand'` resolves through the
// import map the runtime wrote before the host's bootstrap ran, to the very
// module instance fedwasm.loadShare('zustand') hands out.
import { createStore } from 'zustand';

export { createStore };

// Dependency injection: the host passes its cart store in as a prop. The
// badge keeps its own UI state in a local store made with the shared zustand.
export function mount(element, cart) {
  const ui = createStore(() => ({ bumps: 0 }));
  const render = () => {
    const count = cart.getState().lines.reduce((n, line) => n + line.qty, 0);
    element.textContent = `Cart · ${count}`;
    element.dataset.count = String(count);
    element.classList.toggle('bump', ui.getState().bumps % 2 === 1);
  };
  const unsubscribeCart = cart.subscribe(() => ui.setState((s) => ({ bumps: s.bumps + 1 })));
  const unsubscribeUi = ui.subscribe(render);
  render();
  return {
    unmount() {
      unsubscribeCart();
      unsubscribeUi();
      element.textContent = '';
    },
  };
}
