// The cart micro-frontend, served from its own origin. It brings no copy of
// zustand and creates no store: it asks fedwasm for the shared singleton and
// for the host's cart store, and renders from that one instance. It also owns
// the cart drawer: anyone may open it with fedwasm.events.emit('cart:open'),
// without knowing this remote exists (the header's "View cart" button does).
let instances = null;

const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
};

const renderLines = (list, items) => list.replaceChildren(...items.map((item) =>
  el('li', {}, el('span', { textContent: item.name }), el('span', { textContent: `$${item.price}` }))));

const totalText = (items) => (items.length ? `Total $${items.reduce((sum, item) => sum + item.price, 0)}` : 'Your cart is empty.');

export async function mount(element) {
  const zustand = await fedwasm.loadShare('zustand', { from: 'cart', requiredVersion: '^5.0.0' });
  const cart = await fedwasm.stores.get('cart', { requiredVersion: '^1.0.0', owner: 'cart', timeoutMs: 5000 });
  // Everything this remote listens to goes through its scope: unmount disposes it.
  const scope = fedwasm.scope('cart');
  instances = { zustand, cart };

  element.replaceChildren();
  const origin = el('p', { className: 'origin', textContent: `remote “cart” · ${new URL(import.meta.url).origin}` });
  const title = el('h2', { id: 'cart-title', textContent: 'Cart' });
  const count = el('p', { className: 'cart-count' });
  count.dataset.testid = 'cart-count';
  const lines = el('ul', { className: 'cart-lines' });
  const total = el('p', { className: 'muted' });
  const clear = el('button', { className: 'secondary', type: 'button', textContent: 'Empty cart' });
  clear.addEventListener('click', () => cart.getState().clear());

  // The drawer: a modal <dialog> (top layer, Esc closes it, focus stays inside).
  const drawerLines = el('ul', { className: 'cart-lines' });
  const drawerTotal = el('p', { className: 'drawer-total' });
  const close = el('button', { className: 'secondary', type: 'button', textContent: 'Close' });
  close.dataset.testid = 'cart-drawer-close';
  const drawerClear = el('button', { className: 'secondary', type: 'button', textContent: 'Empty cart' });
  drawerClear.addEventListener('click', () => cart.getState().clear());
  const drawerTitle = el('h2', { id: 'cart-drawer-title', textContent: 'Your cart' });
  const drawer = el('dialog', { className: 'cart-drawer' },
    el('p', { className: 'origin', textContent: 'remote “cart” · drawer' }), drawerTitle, drawerLines, drawerTotal,
    el('div', { className: 'drawer-actions' }, drawerClear, close));
  drawer.dataset.testid = 'cart-drawer';
  drawer.setAttribute('aria-labelledby', 'cart-drawer-title');
  const setOpen = (open) => element.classList.toggle('drawer-open', open);
  const closeDrawer = () => {
    if (drawer.open) drawer.close();
    setOpen(false);
  };
  close.addEventListener('click', closeDrawer);
  // A click on the backdrop lands on the dialog itself.
  drawer.addEventListener('click', (event) => event.target === drawer && closeDrawer());
  // Esc closes the dialog itself; its close event comes a task later, when
  // the drawer may already be open again.
  drawer.addEventListener('close', () => setOpen(drawer.open));
  element.append(origin, title, count, lines, total, clear, drawer);

  const render = ({ lines: items }) => {
    count.textContent = String(items.length);
    renderLines(lines, items);
    renderLines(drawerLines, items);
    total.textContent = totalText(items);
    drawerTotal.textContent = totalText(items);
    drawerTitle.textContent = `Your cart · ${items.length} item${items.length === 1 ? '' : 's'}`;
  };
  render(cart.getState());
  const unsubscribe = scope.stores.subscribe(cart, render);
  scope.events.on('cart:open', (detail) => {
    drawer.dataset.openedBy = String(detail?.source ?? '');
    if (!drawer.open) drawer.showModal();
    setOpen(true);
  });
  scope.events.on('cart:close', closeDrawer);
  return {
    async unmount() {
      unsubscribe();
      closeDrawer();
      scope.dispose();
      element.replaceChildren();
      instances = null;
    },
  };
}

// What this remote received from fedwasm, so callers can check it is the host's own instance.
export function received() {
  return instances;
}
