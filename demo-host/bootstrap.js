// The host's bootstrap. The loader imports it only after fedwasm.ready, so the
// share scope is initialized here: loadShare('zustand') returns the singleton
// every micro-frontend gets. The host owns the cart store and provides it; the
// cart remote (another origin) renders it from the very same instance.
// The page also shows: an event that opens the cart remote's drawer
// (cart:open), a logout broadcast to every tab (auth:logout, crossTab), a cart
// persisted across reloads and tabs, a remote that is down (recommendations:
// its fallback), and skeletons (aria-busy) in each slot until its remote mounts.
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
// Persisted: restored from localStorage here (a reload keeps the lines) and
// kept in step across this origin's tabs. Only data is stored (JSON drops
// add and clear); restoring merges it into the state, so the actions stay.
fedwasm.stores.provide('cart', cart, { version: '1.0.0', persist: { key: 'fedwasm-demo:cart', schemaVersion: 1 } });

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

// The recommendations remote is down (its entry is a 404). The bootstrap does
// not wait for it: fedwasm.mount retries briefly, then leaves its fallback in
// the slot while the rest of the shop works.
const recommendationsSlot = document.querySelector('#recommendations-slot');
const recommendations = fedwasm.mount('recommendations', recommendationsSlot, { cart })
  .then((handle) => ({ mounted: true, handle }), (error) => ({ mounted: false, code: error.code }))
  .finally(() => recommendationsSlot.setAttribute('aria-busy', 'false'));

// Logging out is announced to every tab of this origin (crossTab), the emitting
// one included: each tab clears its cart and says it was signed out.
const account = document.querySelector('#account');
const accountName = document.querySelector('#account-name');
const authButton = document.querySelector('#auth-button');
const notice = document.querySelector('#auth-notice');
const signIn = () => {
  account.dataset.state = 'signed-in';
  accountName.replaceChildren('Signed in as ', Object.assign(document.createElement('b'), { textContent: 'Ada' }));
  authButton.textContent = 'Log out';
  notice.hidden = true;
};
fedwasm.events.on('auth:logout', (detail, event) => {
  cart.getState().clear();
  account.dataset.state = 'signed-out';
  accountName.textContent = 'Signed out';
  authButton.textContent = 'Sign in';
  const fromOtherTab = event.fedwasmFromTab !== undefined;
  const at = new Date(typeof detail?.at === 'number' ? detail.at : Date.now()).toLocaleTimeString('en-GB');
  notice.textContent = fromOtherTab
    ? `You were signed out in another tab at ${at}. Your cart was cleared.`
    : `You signed out at ${at}. Your cart was cleared.`;
  notice.dataset.from = fromOtherTab ? 'other-tab' : 'this-tab';
  notice.hidden = false;
});
authButton.addEventListener('click', () => (account.dataset.state === 'signed-in'
  ? fedwasm.events.emit('auth:logout', { at: Date.now() }, { crossTab: true })
  : signIn()));
authButton.disabled = false;

const status = document.querySelector('#runtime-status');
status.textContent = `fedwasm ${fedwasm.version} ready`;
status.classList.add('ok');

const slot = document.querySelector('#cart-slot');
const [remote, badge] = await Promise.all([fedwasm.loadRemote('cart'), fedwasm.loadRemote('badge')]);
const mounted = await remote.mount(slot);
slot.setAttribute('aria-busy', 'false');
// The header does not know who shows the cart: it announces the intent, and
// the cart remote (listening through its scope) opens its drawer.
const viewCart = document.querySelector('#view-cart');
viewCart.addEventListener('click', () => fedwasm.events.emit('cart:open', { source: 'header', lines: cart.getState().lines.length }));
viewCart.disabled = false;
// The badge remote imports zustand with a bare specifier (the import map) and
// gets the cart store as a prop.
const badgeSlot = document.querySelector('#cart-badge');
badge.mount(badgeSlot, cart);
badgeSlot.setAttribute('aria-busy', 'false');
// The promo remote is mounted through fedwasm.mount: it gets a scope of its
// own, and unmount() releases whatever it registered.
const promoSlot = document.querySelector('#promo-slot');
const promo = await fedwasm.mount('promo', promoSlot, { threshold: 3 }).finally(() => promoSlot.setAttribute('aria-busy', 'false'));

const share = fedwasm.inspect().shares.find((s) => s.package === 'zustand');
const hostUse = share.consumers.find((c) => c.from === 'shell');
const code = (text) => Object.assign(document.createElement('code'), { textContent: text });
document.querySelector('#share-info').replaceChildren(
  'share scope: ', code(`zustand ${hostUse.got}`), ' from ', code(hostUse.gotFrom), ' · rule ', code(hostUse.rule),
  ' · consumers: ', ...share.consumers.flatMap((c, i) => (i ? [', ', code(c.from)] : [code(c.from)])),
  ' · import map: ', code('zustand → /vendor/zustand.js'));

// A handle for people poking at the demo in DevTools (and for the e2e tests).
window.demo = { cart, zustand, remote, badge, promo, mounted, recommendations, readyAtBootstrap, loadedAtBootstrap };
performance.mark('demo:bootstrap-done');
