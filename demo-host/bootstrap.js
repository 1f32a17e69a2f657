// The host's bootstrap. The loader imports it only after fedwasm.ready, so the
// share scope is initialized here: loadShare('zustand') returns the singleton
// every micro-frontend gets. The host owns the cart store and provides it; the
// cart remote (another origin) renders it from the very same instance.
performance.mark('demo:bootstrap-start');
const readyAtBootstrap = fedwasm.inspect().ready;
const loadedAtBootstrap = Object.fromEntries(
  fedwasm.inspect().shares.map((s) => [s.package, s.providers.every((p) => p.loaded)]));

const products = [
  { id: 'kb', name: 'Mechanical keyboard', price: 89 },
  { id: 'ms', name: 'Wireless mouse', price: 39 },
  { id: 'hd', name: 'Noise-cancelling headset', price: 149 },
  { id: 'mn', name: '27" monitor', price: 279 },
];

const zustand = await fedwasm.loadShare('zustand');
const cart = zustand.createStore((set) => ({
  lines: [],
  add: (product) => set((state) => ({ lines: [...state.lines, product] })),
  clear: () => set({ lines: [] }),
}));
fedwasm.stores.provide('cart', cart, { version: '1.0.0' });

document.querySelector('#host-origin').textContent = location.origin;
const list = document.querySelector('#products');
for (const product of products) {
  const item = document.createElement('li');
  item.className = 'product';
  const name = Object.assign(document.createElement('span'), { className: 'name', textContent: product.name });
  const price = Object.assign(document.createElement('span'), { className: 'price', textContent: `$${product.price}` });
  const add = Object.assign(document.createElement('button'), { textContent: 'Add to cart', type: 'button' });
  add.dataset.product = product.id;
  add.addEventListener('click', () => cart.getState().add(product));
  item.append(name, price, add);
  list.append(item);
}

const status = document.querySelector('#runtime-status');
status.textContent = `fedwasm ${fedwasm.version} ready`;
status.classList.add('ok');

const slot = document.querySelector('#cart-slot');
const [remote, badge] = await Promise.all([fedwasm.loadRemote('cart'), fedwasm.loadRemote('badge')]);
const mounted = await remote.mount(slot);
slot.setAttribute('aria-busy', 'false');
// The badge remote imports zustand with a bare specifier (the import map) and
// gets the cart store as a prop.
badge.mount(document.querySelector('#cart-badge'), cart);
// The promo remote is mounted through fedwasm.mount: it gets a scope of its
// own, and unmount() releases whatever it registered.
const promo = await fedwasm.mount('promo', document.querySelector('#promo-slot'), { threshold: 3 });

const share = fedwasm.inspect().shares.find((s) => s.package === 'zustand');
const hostUse = share.consumers.find((c) => c.from === 'shell');
const code = (text) => Object.assign(document.createElement('code'), { textContent: text });
document.querySelector('#share-info').replaceChildren(
  'share scope: ', code(`zustand ${hostUse.got}`), ' from ', code(hostUse.gotFrom), ' · rule ', code(hostUse.rule),
  ' · consumers: ', ...share.consumers.flatMap((c, i) => (i ? [', ', code(c.from)] : [code(c.from)])),
  ' · import map: ', code('zustand → /vendor/zustand.js'));

// A handle for people poking at the demo in DevTools (and for the e2e tests).
window.demo = { cart, zustand, remote, badge, promo, mounted, readyAtBootstrap, loadedAtBootstrap };
performance.mark('demo:bootstrap-done');
