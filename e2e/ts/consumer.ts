// A small remote written against loader/fedwasm.d.ts. `tsc --noEmit` checks
// that the types describe the API as remotes use it, and that misuse is caught.
import type { Config, FedwasmError, FedwasmErrorCode, MountableRemote, ScopedApi, Snapshot } from '../../loader/fedwasm';

interface CartState {
  lines: { id: string; price: number }[];
  add(line: { id: string; price: number }): void;
}
interface StoreApi<S> {
  getState(): S;
  subscribe(listener: (state: S, previous: S) => void): () => void;
}

export async function mountCart(element: HTMLElement): Promise<() => void> {
  await window.fedwasm.ready;
  const zustand = await fedwasm.loadShare<{ createStore: unknown }>('zustand', { requiredVersion: '^5.0.0', from: 'cart' });
  void zustand.createStore;
  const cart = await fedwasm.stores.get<StoreApi<CartState>>('cart', { requiredVersion: '^1.0.0', timeoutMs: 5000 });
  const render = (state: CartState) => { element.textContent = String(state.lines.length); };
  render(cart.getState());
  return cart.subscribe(render);
}

export function provideAndInspect(store: object): Snapshot {
  fedwasm.registerShared({ lodash: { version: '4.17.21', get: () => import('./consumer') } });
  fedwasm.registerRemotes([{ name: 'products', entry: 'http://127.0.0.1:8082/products.js', type: 'esm' }], { force: true });
  fedwasm.registerRemotes({ cart: 'cart@http://127.0.0.1:8081/remoteEntry.js' });
  fedwasm.stores.provide('cart', store, { version: '1.0.0', owner: 'shell' });
  const snapshot = fedwasm.inspect();
  const owners: (string | undefined)[] = snapshot.stores.map((s) => s.owner);
  void owners;
  return snapshot;
}

export function initContainer(container: { init(scope: object): Promise<void> | void }): void {
  const scope = fedwasm.shareScope('default');
  void container.init(scope);
  const versions = Object.keys(scope['zustand'] ?? {});
  void versions;
  const { createStore } = fedwasm.loadShareSync<{ createStore: unknown }>('zustand');
  void createStore;
}

export const promo: MountableRemote<{ threshold?: number }> = {
  async mount(element, props, scope) {
    const cart = await scope.stores.get<StoreApi<CartState>>('cart');
    scope.stores.subscribe(cart, (state) => { element.textContent = String(state.lines.length + (props.threshold ?? 0)); });
    const off = scope.events.on<{ id: number }>('cart:open', (detail) => { element.id = String(detail.id); });
    const client = { getQueryCache: () => ({}), invalidateQueries: async () => {}, getDefaultOptions: () => ({}),
      setDefaultOptions: () => {}, setQueryData: () => undefined, getQueryState: () => undefined };
    const disconnect = scope.query.connect(client, { channel: 'shop:query' });
    // @ts-expect-error: a scope connects clients; invalidate is the page-wide fedwasm.query's
    scope.query.invalidate(['todos']);
    void disconnect;
    return { unmount: () => { off(); scope.dispose(); } };
  },
};

export async function warmUp(): Promise<void> {
  await fedwasm.preloadRemote(['mf-enhanced', { nameOrAlias: 'cart' }]);
}

export async function mountPromo(slot: HTMLElement): Promise<void> {
  const handle = await fedwasm.mount('promo', slot, { threshold: 3 });
  fedwasm.events.emit('cart:open', { id: 1 }, { crossTab: true });
  const listeners: number | undefined = fedwasm.inspect().broker.owners['promo']?.listeners;
  void listeners;
  await handle.unmount();
}

export const hardened: Config = {
  name: 'shell',
  retry: { times: 2, delayMs: 100, timeoutMs: 4000, domains: ['https://cdn2.example.com'] },
  security: { allowedOrigins: ['https://cdn.example.com'], requireIntegrity: true, plugins: ['cart'] },
  remotes: [{ name: 'cart', entry: 'https://cdn.example.com/remoteEntry.js', type: 'var', integrity: 'sha384-...' }],
  ownership: { stores: { cart: 'shell' }, events: { 'auth:logout': 'shell', 'order:placed': 'cart' } },
};

// Native Federation's federation.manifest.json is a config's remotes as it is.
export const nativeFederationHost: Config = {
  name: 'shell',
  remotes: {
    mfe1: 'http://localhost:3001/remoteEntry.json',
    mfe2: { url: 'https://cdn.example.com/mfe2/remoteEntry.json', integrity: 'sha384-...' },
  },
};

export function ownScope(): ScopedApi {
  const team = fedwasm.scope('cart-team');
  team.stores.provide('cart-team:prefs', { theme: 'dark' });
  // @ts-expect-error: window.fedwasm is read-only
  window.fedwasm = team;
  return team;
}

export function codeOf(err: unknown): string | undefined {
  return (err as FedwasmError).code;
}

window.addEventListener('fedwasm:warning', (event) => {
  const code: FedwasmErrorCode = event.detail.code;
  void code;
});

export async function misuse(): Promise<void> {
  // @ts-expect-error: the package name must be a string
  await fedwasm.loadShare(42);
  // @ts-expect-error: requiredVersion is a range string or false
  await fedwasm.stores.get('cart', { requiredVersion: 1 });
  // @ts-expect-error: remote type must be one of the known types
  fedwasm.registerRemotes([{ name: 'x', entry: '/x.js', type: 'amd' }]);
  // @ts-expect-error: the object form names the container's global: "global@url"
  fedwasm.registerRemotes({ cart: 'http://127.0.0.1:8081/remoteEntry.js' });
  // @ts-expect-error: a federation.manifest.json remote names its remoteEntry.json as url
  fedwasm.registerRemotes({ mfe1: { entry: 'http://localhost:3001/remoteEntry.json' } });
  // @ts-expect-error: version is read-only
  fedwasm.version = '9';
}

interface Counter { count: number; inc(): void }
export function queryAndPersist(client: { getQueryCache(): object; invalidateQueries(f?: object): Promise<void>; getDefaultOptions(): object;
  setDefaultOptions(o: object): void; setQueryData(k: unknown, d: unknown, o?: { updatedAt?: number }): unknown; getQueryState(k: unknown): unknown },
  store: StoreApi<Counter> & { setState(s: Partial<Counter>): void }): Promise<number> {
  const disconnect = fedwasm.query.connect(client, { owner: 'cart', channel: 'shop:query' });
  fedwasm.query.invalidate(['todos', 1], { crossTab: true });
  fedwasm.stores.provide('counter', store, {
    persist: { key: 'shop:counter', schemaVersion: 2, migrate: (state: { n: number }, from: number) => ({ count: from === 1 ? state.n : 0 }) },
  });
  disconnect();
  return disconnect.handoff.then((h) => h.applied);
}

export function queryMisuse(client: Parameters<typeof fedwasm.query.connect>[0]): void {
  // @ts-expect-error: a query key is an array
  fedwasm.query.invalidate('todos');
  // @ts-expect-error: persist needs a key
  fedwasm.stores.provide('x', {}, { persist: { schemaVersion: 1 } });
  // @ts-expect-error: channel is a string
  fedwasm.query.connect(client, { channel: 1 });
}

export function isTimeout(err: FedwasmError): boolean {
  return err.code === 'STORE_TIMEOUT';
}

// @ts-expect-error: a code fedwasm does not have is a type error, not a silent never-true comparison
export const misspelled: FedwasmErrorCode = 'STORE_TIMEDOUT';

export async function showInspector(): Promise<void> {
  await fedwasm.inspector.open();
}
