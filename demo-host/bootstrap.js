// The host's bootstrap. The loader imports it only after fedwasm.ready, so the
// share scope is initialized here: loadShare('zustand') returns the singleton
// every micro-frontend gets, and React, react-dom, zustand/react and TanStack
// Query are loaded once and mapped in the import map for the remotes' bare
// imports. The host owns two things it shares:
//   the cart store      a zustand store, provided as 'cart' (persisted): the
//                       React remotes render and change this very instance
//   the QueryClient     Strategy A: one client, provided as 'queryClient', with
//                       the default query function; the products and cart
//                       remotes read ['products'] from its one cache
// The page also shows: the cart:open event that opens the cart remote's
// drawer, a logout broadcast to every tab (auth:logout, crossTab), a remote
// that is down (recommendations: its fallback), skeletons (aria-busy) in each
// slot until its remote mounts, and a widget that gets the store as a prop
// (badge: dependency injection).
performance.mark('demo:bootstrap-start');
const readyAtBootstrap = fedwasm.inspect().ready;
const loadedAtBootstrap = Object.fromEntries(
  fedwasm.inspect().shares.map((s) => [s.package, s.providers.every((p) => p.loaded)]));

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

// Strategy A: one QueryClient for every micro-frontend, made from the shared
// query-core. Its default query function fetches /api/<key> from the products
// origin, so remotes only name keys: whoever asks first fetches, the rest read
// the cache.
const { QueryClient } = await fedwasm.loadShare('@tanstack/query-core');
const productsRemote = fedwasm.inspect().remotes.find((r) => r.name === 'products');
const api = new URL(productsRemote.entry).origin;
const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 60_000,
      retry: 1,
      queryFn: async ({ queryKey, signal }) => {
        const url = `${api}/api/${queryKey.map((part) => encodeURIComponent(String(part))).join('/')}`;
        const response = await fetch(url, { signal });
        if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
        return response.json();
      },
    },
  },
});
const queryCoreVersion = fedwasm.inspect().shares.find((s) => s.package === '@tanstack/query-core').providers[0].version;
fedwasm.stores.provide('queryClient', queryClient, { version: queryCoreVersion });

document.querySelector('#host-origin').textContent = location.origin;

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

// The two React remotes, each from its own origin, mounted with fedwasm.mount:
// each gets a scope of its own, and unmount() releases whatever it registered.
const mountInto = (id, selector, props) => {
  const slot = document.querySelector(selector);
  return fedwasm.mount(id, slot, props).finally(() => slot.setAttribute('aria-busy', 'false'));
};
const [mounted, productsMounted, remote, products, badge] = await Promise.all([
  mountInto('cart', '#cart-slot', { api }),
  mountInto('products', '#products-slot'),
  fedwasm.loadRemote('cart'),
  fedwasm.loadRemote('products'),
  fedwasm.loadRemote('badge'),
]);
// The header does not know who shows the cart: it announces the intent, and
// the cart remote (listening through its scope) opens its drawer.
const viewCart = document.querySelector('#view-cart');
viewCart.addEventListener('click', () => fedwasm.events.emit('cart:open', { source: 'header', lines: cart.getState().lines.length }));
viewCart.disabled = false;
// Dependency injection: the badge remote imports zustand with a bare
// specifier (the import map) and gets the cart store as a prop.
const badgeSlot = document.querySelector('#cart-badge');
badge.mount(badgeSlot, cart);
badgeSlot.setAttribute('aria-busy', 'false');
// The promo remote is plain JS; it connects its own QueryClient too.
const promoSlot = document.querySelector('#promo-slot');
const promo = await fedwasm.mount('promo', promoSlot, { threshold: 3 }).finally(() => promoSlot.setAttribute('aria-busy', 'false'));

// The footer: every shared package, the one version every micro-frontend got.
const code = (text) => Object.assign(document.createElement('code'), { textContent: text });
const shares = fedwasm.inspect().shares.filter((s) => s.consumers.length > 0);
document.querySelector('#share-info').replaceChildren('one copy of each, shared: ', ...shares.flatMap((s, i) => {
  const chosen = s.providers.find((p) => p.loaded) ?? s.providers[0];
  const users = new Set(s.consumers.map((c) => c.from));
  return [i ? ' · ' : '', code(`${s.package} ${chosen.version}`), ` ×${users.size}`];
}), ' (consumers per package; the inspector shows who and why)');

// A handle for people poking at the demo in DevTools (and for the e2e tests).
window.demo = {
  cart, zustand, queryClient, remote, products, badge, promo, mounted, productsMounted, recommendations,
  readyAtBootstrap, loadedAtBootstrap,
};
performance.mark('demo:bootstrap-done');
