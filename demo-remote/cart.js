// The cart micro-frontend, served from its own origin. It brings no copy of
// zustand and creates no store: it asks fedwasm for the shared singleton and
// for the host's cart store, and renders from that one instance.
let instances = null;

export async function mount(element) {
  const zustand = await fedwasm.loadShare('zustand', { from: 'cart', requiredVersion: '^5.0.0' });
  const cart = await fedwasm.stores.get('cart', { requiredVersion: '^1.0.0', owner: 'cart', timeoutMs: 5000 });
  instances = { zustand, cart };

  element.replaceChildren();
  const origin = Object.assign(document.createElement('p'), { className: 'origin', textContent: `remote “cart” · ${new URL(import.meta.url).origin}` });
  const title = Object.assign(document.createElement('h2'), { id: 'cart-title', textContent: 'Cart' });
  const count = Object.assign(document.createElement('p'), { className: 'cart-count' });
  count.dataset.testid = 'cart-count';
  const lines = Object.assign(document.createElement('ul'), { className: 'cart-lines' });
  const total = Object.assign(document.createElement('p'), { className: 'muted' });
  const clear = Object.assign(document.createElement('button'), { className: 'secondary', type: 'button', textContent: 'Empty cart' });
  clear.addEventListener('click', () => cart.getState().clear());
  element.append(origin, title, count, lines, total, clear);

  const render = ({ lines: items }) => {
    count.textContent = String(items.length);
    lines.replaceChildren(...items.map((item) => {
      const li = document.createElement('li');
      li.append(Object.assign(document.createElement('span'), { textContent: item.name }),
        Object.assign(document.createElement('span'), { textContent: `$${item.price}` }));
      return li;
    }));
    total.textContent = items.length ? `Total $${items.reduce((sum, item) => sum + item.price, 0)}` : 'Your cart is empty.';
  };
  render(cart.getState());
  const unsubscribe = cart.subscribe(render);
  return {
    async unmount() {
      unsubscribe();
      element.replaceChildren();
      instances = null;
    },
  };
}

// What this remote received from fedwasm, so callers can check it is the host's own instance.
export function received() {
  return instances;
}
