// The host's bootstrap. The page server.Site serves carries the share scope's
// snapshot, resolved by the server with the runtime's own Go code, and the
// loader imports this module beside the runtime's start: the shared modules
// are the snapshot's, loaded already (loadShareSync answers), and calls into
// fedwasm made before the runtime runs wait in line and are made in order
// once it does. loadShare('zustand') returns the singleton every
// micro-frontend gets, and React, react-dom, zustand/react and TanStack Query
// are loaded once and mapped in the import map for the remotes' bare
// imports. The host owns two things it shares:
//   the cart store      a zustand store, provided as 'cart' (persisted): the
//                       React remotes render and change this very instance
//   the QueryClient     Strategy A: one client, provided as 'queryClient', with
//                       the default query function; the products and cart
//                       remotes read ['products'] from its one cache
// The page also shows: the cart:open event that opens the cart remote's
// drawer, sign-in and sign-out broadcast to every tab (crossTab), a remote
// that is down (recommendations: its fallback), skeletons (aria-busy) in each
// slot until its remote mounts, and a widget that gets the store as a prop
// (badge: dependency injection).
//
// Each slot is independent: a remote that fails leaves fedwasm's fallback in
// its slot and the rest of the page works; the status line in the header says
// which remotes are unavailable.
performance.mark('demo:bootstrap-start');
// Whether the runtime was running when this module started, and which shares
// were loaded then (loadShareSync answers for those, from the snapshot).
const runningAtBootstrap = (() => {
  try {
    fedwasm.inspect();
    return true;
  } catch (err) {
    if (err.code !== 'NOT_INITIALIZED') throw err;
    return false;
  }
})();
const loadedAtBootstrap = Object.fromEntries(['react', 'react-dom', 'zustand', '@tanstack/query-core'].map((pkg) => {
  try {
    fedwasm.loadShareSync(pkg);
    return [pkg, true];
  } catch {
    return [pkg, false];
  }
}));

const status = document.querySelector('#runtime-status');
document.querySelector('#host-origin').textContent = ` · ${location.origin}`;

const zustand = await fedwasm.loadShare('zustand');

// The cart: one line per product with its quantity, and the checkout in
// progress. Every add names the most the cart may hold of the product (the
// stock its caller knows), and the store refuses more: a burst of clicks
// cannot outrun a re-render. A checkout carries an idempotency key and is
// persisted with the lines, so a reload while it is in flight sends the same
// order again, which the API answers with the order it already placed.
const cart = zustand.createStore((set, get) => {
  const lineOf = (id) => get().lines.find((l) => l.id === id);
  const setLine = (id, qty) => set((s) => ({
    lines: qty > 0 ? s.lines.map((l) => (l.id === id ? { ...l, qty } : l)) : s.lines.filter((l) => l.id !== id),
  }));
  return {
    lines: [], // [{ id, name, price, qty }]
    checkout: null, // { key, items: [{ id, qty }], startedAt } while an order is being placed
    lastOrder: null, // { order, items, total, at } once placed
    add: (product, limit) => {
      if (get().checkout || typeof limit !== 'number') return false;
      const line = lineOf(product.id);
      if ((line?.qty ?? 0) >= limit) return false;
      if (line) setLine(product.id, line.qty + 1);
      else set((s) => ({ lines: [...s.lines, { id: product.id, name: product.name, price: product.price, qty: 1 }], lastOrder: null }));
      return true;
    },
    // setQty lowers a line freely (0 removes it); it raises one only up to limit.
    setQty: (id, qty, limit) => {
      const line = lineOf(id);
      if (get().checkout || !line) return false;
      if (qty > line.qty && !(typeof limit === 'number' && qty <= limit)) return false;
      setLine(id, Math.max(0, qty));
      return true;
    },
    remove: (id) => !get().checkout && (setLine(id, 0), true),
    clear: () => !get().checkout && (set({ lines: [] }), true),
    // beginCheckout starts one checkout of the cart as it is; while one is in
    // flight (a double click, another tab) it returns null.
    beginCheckout: () => {
      const { checkout, lines } = get();
      if (checkout || lines.length === 0) return null;
      const started = { key: crypto.randomUUID(), items: lines.map(({ id, qty }) => ({ id, qty })), startedAt: Date.now() };
      set({ checkout: started, lastOrder: null });
      return started;
    },
    orderPlaced: (key, order) => get().checkout?.key === key && set({ lines: [], checkout: null, lastOrder: order }),
    orderRefused: (key) => get().checkout?.key === key && set({ checkout: null }),
    // logout is the one write allowed during a checkout: the account is gone.
    logout: () => set({ lines: [], checkout: null }),
  };
});
// Persisted: restored from localStorage here (a reload keeps the lines and a
// checkout in flight) and kept in step across this origin's tabs. Only data
// is stored (JSON drops the actions); restoring merges it into the state.
// Schema 1 had one line per unit: migrate groups them.
const migrateCart = (state, fromVersion) => {
  if (fromVersion !== 1) throw new Error(`cart schema ${fromVersion} is unknown`);
  const lines = [];
  for (const unit of state.lines ?? []) {
    const line = lines.find((l) => l.id === unit.id);
    if (line) line.qty += 1;
    else lines.push({ id: unit.id, name: unit.name, price: unit.price, qty: 1 });
  }
  return { lines };
};
fedwasm.stores.provide('cart', cart, { version: '2.0.0', persist: { key: 'fedwasm-demo:cart', schemaVersion: 2, migrate: migrateCart } });

// Strategy A: one QueryClient for every micro-frontend, made from the shared
// query-core. Its default query function fetches /api/<key> from the products
// origin, so remotes only name keys: whoever asks first fetches, the rest read
// the cache. A failed request is retried three times, 0.3, 0.6 and 1.2 s
// apart; then the remotes show the error with a retry button.
const { QueryClient } = await fedwasm.loadShare('@tanstack/query-core');
await fedwasm.ready; // inspect() answers from the running runtime
const productsRemote = fedwasm.inspect().remotes.find((r) => r.name === 'products');
const api = new URL(productsRemote.entry).origin;
const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 60_000,
      retry: 3,
      retryDelay: (failures) => 300 * 2 ** failures,
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

// Signing out and signing in are announced to every tab of this origin
// (crossTab), the emitting one included, and each tab follows: signing out
// clears the cart and says so.
const account = document.querySelector('#account');
const accountName = document.querySelector('#account-name');
const authButton = document.querySelector('#auth-button');
const notice = document.querySelector('#auth-notice');
const whenAndWhere = (detail, event) => ({
  fromOtherTab: event.fedwasmFromTab !== undefined,
  at: new Date(typeof detail?.at === 'number' ? detail.at : Date.now()).toLocaleTimeString('en-GB'),
});
fedwasm.events.on('auth:logout', (detail, event) => {
  cart.getState().logout();
  account.dataset.state = 'signed-out';
  accountName.textContent = 'Signed out';
  authButton.textContent = 'Sign in';
  const { fromOtherTab, at } = whenAndWhere(detail, event);
  notice.textContent = fromOtherTab
    ? `You were signed out in another tab at ${at}. Your cart was cleared.`
    : `You signed out at ${at}. Your cart was cleared.`;
  notice.dataset.from = fromOtherTab ? 'other-tab' : 'this-tab';
  notice.hidden = false;
});
fedwasm.events.on('auth:login', () => {
  account.dataset.state = 'signed-in';
  accountName.replaceChildren('Signed in as ', Object.assign(document.createElement('b'), { textContent: 'Ada' }));
  authButton.textContent = 'Log out';
  notice.hidden = true;
});
authButton.addEventListener('click', () => fedwasm.events.emit(
  account.dataset.state === 'signed-in' ? 'auth:logout' : 'auth:login', { at: Date.now() }, { crossTab: true }));
authButton.disabled = false;

// The status line: the runtime, then which remotes could not be shown.
const slotStates = {}; // remote name → 'loading' | 'mounted' | 'failed'
const renderStatus = () => {
  const states = Object.values(slotStates);
  const failed = Object.keys(slotStates).filter((name) => slotStates[name] === 'failed');
  let state = 'ready';
  let text = `fedwasm ${fedwasm.version} ready`;
  if (states.includes('loading')) {
    state = 'loading';
    text = `fedwasm ${fedwasm.version} · loading ${states.filter((s) => s === 'loading').length} of ${states.length} remotes…`;
  } else if (failed.length > 0) {
    state = 'degraded';
    text = `fedwasm ${fedwasm.version} · unavailable: ${failed.join(', ')}`;
  }
  status.textContent = text;
  status.dataset.state = state;
  status.title = failed.length ? `${failed.length} of ${states.length} remotes could not be loaded; their slots show a fallback` : '';
};

// settle follows one slot: aria-busy until its remote is mounted or has
// failed (then fedwasm's fallback is in the slot); the outcome is never a
// rejection, so no slot can stop the others.
const settle = (name, slot, mounting) => {
  slotStates[name] = 'loading';
  return mounting.then(
    (handle) => { slotStates[name] = 'mounted'; return { mounted: true, handle }; },
    (error) => { slotStates[name] = 'failed'; return { mounted: false, code: error.code }; },
  ).finally(() => { slot.setAttribute('aria-busy', 'false'); renderStatus(); });
};
const mountInto = (name, slot, props) => settle(name, slot, fedwasm.mount(name, slot, props));

// The recommendations remote is down (its entry is a 404): fedwasm.mount
// retries briefly, then leaves its fallback in the slot.
const recommendations = mountInto('recommendations', document.querySelector('#recommendations-slot'), { cart });

// The two React remotes, each from its own origin, mounted with fedwasm.mount:
// each gets a scope of its own, and unmount() releases whatever it registered.
const cartSlot = document.querySelector('#cart-slot');
const cartMounted = mountInto('cart', cartSlot, { api });
const productsMounted = mountInto('products', document.querySelector('#products-slot'));
// Dependency injection: the badge remote imports zustand with a bare
// specifier (the import map) and gets the cart store as its props.
const badgeSlot = document.querySelector('#cart-badge');
const badgeMounted = mountInto('badge', badgeSlot, cart).then((result) => {
  const fallback = badgeSlot.querySelector('[data-fedwasm-fallback]');
  if (fallback) fallback.textContent = 'Cart count unavailable';
  return result;
});
// The promo remote is plain JS; it connects its own QueryClient too.
const promoMounted = mountInto('promo', document.querySelector('#promo-slot'), { threshold: 3 });
renderStatus();

// The header does not know who shows the cart: it announces the intent, and
// the cart remote (listening through its scope) opens its drawer. Without a
// cart remote there is nothing to open.
const viewCart = document.querySelector('#view-cart');
viewCart.addEventListener('click', () => fedwasm.events.emit('cart:open', { source: 'header', lines: cart.getState().lines.length }));
const cartResult = await cartMounted;
viewCart.disabled = !cartResult.mounted;
viewCart.title = cartResult.mounted ? '' : 'The cart is unavailable right now';

const [mounted, productsResult, badgeResult, promoResult] = [cartResult, await productsMounted, await badgeMounted, await promoMounted];
const moduleOf = (name, result) => (result.mounted ? fedwasm.loadRemote(name) : null);

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
  cart, zustand, queryClient, slots: slotStates, recommendations,
  remote: await moduleOf('cart', mounted), products: await moduleOf('products', productsResult), badge: await moduleOf('badge', badgeResult),
  mounted: mounted.handle, productsMounted: productsResult.handle, promo: promoResult.handle,
  runningAtBootstrap, loadedAtBootstrap,
};
performance.mark('demo:bootstrap-done');
