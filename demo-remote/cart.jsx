// The cart micro-frontend: a React 19 app on its own origin, mounted by the
// host with fedwasm.mount('cart', element, { api }). It brings no copy of
// React, zustand or TanStack Query and creates no cart: it renders the host's
// cart store (the exported-store pattern) with zustand's useStore.
//
//   cart:open           anyone may open its drawer with
//                       fedwasm.events.emit('cart:open') without knowing this
//                       remote exists (the header's "View cart" does)
//   Strategy A          "Complete your setup" reads ['products'] from the
//                       host's QueryClient: the products remote's cache entry
//   Strategy B          checkout is a mutation on this remote's own
//                       QueryClient; it invalidates ['stock'], which the
//                       products remote (in this tab and in others) refetches
import React from 'react';
import * as ReactModule from 'react';
import * as ReactDOM from 'react-dom';
import * as ReactDOMClient from 'react-dom/client';
import * as zustand from 'zustand';
import * as zustandReact from 'zustand/react';
import * as queryCore from '@tanstack/query-core';
import * as reactQuery from '@tanstack/react-query';
import { ProductIcon, Strategy, clock, consumeShared, money } from './shop.jsx';

const { useStore } = zustandReact;
const { QueryClientProvider, useMutation, useQuery } = reactQuery;

const origin = new URL(import.meta.url).origin;
let instances = null;

const total = (lines) => lines.reduce((sum, line) => sum + line.price, 0);
const totalText = (lines) => (lines.length ? `Total ${money(total(lines))}` : 'Your cart is empty.');

function Lines({ lines }) {
  return (
    <ul className="cart-lines">
      {lines.map((line, i) => <li key={i}><span>{line.name}</span><span>{money(line.price)}</span></li>)}
    </ul>
  );
}

// Strategy A: the host's client, its default query function; the products
// remote usually fetched ['products'] already, so this reads the cache.
function Suggestions({ cart }) {
  const lines = useStore(cart, (s) => s.lines);
  const products = useQuery({ queryKey: ['products'] });
  const have = new Set(lines.map((l) => l.id));
  const picks = (products.data?.products ?? []).filter((p) => !have.has(p.id)).slice(0, 2);
  return (
    <section className="suggestions" aria-labelledby="suggestions-title">
      <h3 id="suggestions-title">Complete your setup</h3>
      {picks.length === 0 ? <p className="muted">{products.data ? 'You have one of everything.' : 'Loading…'}</p> : (
        <ul>
          {picks.map((p) => (
            <li key={p.id}>
              <ProductIcon id={p.id} /><span>{p.name}</span><span className="muted">{money(p.price)}</span>
              <button type="button" className="link" data-suggest={p.id} onClick={() => cart.getState().add({ id: p.id, name: p.name, price: p.price })}>Add</button>
            </li>
          ))}
        </ul>
      )}
      <Strategy kind="A">
        the host’s QueryClient · <code>['products']</code> ·{' '}
        <span data-testid="suggestions-request">{products.data ? `request #${products.data.served} (shared cache)` : 'waiting…'}</span>
      </Strategy>
    </section>
  );
}

function Cart({ cart, ui, ownClient, api, fedwasm }) {
  const lines = useStore(cart, (s) => s.lines);
  const { drawer, openedBy } = useStore(ui);
  const dialog = React.useRef(null);
  // Strategy B: a mutation on this remote's own client.
  const checkout = useMutation({
    mutationFn: async (order) => {
      const response = await fetch(`${api}/api/orders`, {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(order),
      });
      const body = await response.json().catch(() => ({}));
      if (!response.ok) throw new Error(body.error || `POST ${api}/api/orders: HTTP ${response.status}`);
      return body;
    },
    onSuccess: (body) => {
      cart.getState().clear();
      // Reaches every connected client: the products remote's stock, here and in other tabs.
      ownClient.invalidateQueries({ queryKey: ['stock'] });
      fedwasm.events.emit('order:placed', { order: body.order, items: body.items, total: body.total });
    },
  }, ownClient);

  React.useEffect(() => {
    const d = dialog.current;
    if (drawer && !d.open) d.showModal();
    if (!drawer && d.open) d.close();
  }, [drawer]);
  const close = () => ui.setState({ drawer: false });
  const title = `Your cart · ${lines.length} item${lines.length === 1 ? '' : 's'}`;
  return (
    <>
      <p className="origin">remote “cart” · {origin} · React {React.version}</p>
      <h2 id="cart-title">Cart</h2>
      <p className="cart-count" data-testid="cart-count">{lines.length}</p>
      <Lines lines={lines} />
      <p className="muted cart-total">{totalText(lines)}</p>
      <div className="cart-actions">
        <button type="button" className="secondary" onClick={() => cart.getState().clear()}>Empty cart</button>
        <button type="button" data-testid="checkout" disabled={lines.length === 0 || checkout.isPending}
          onClick={() => checkout.mutate({ lines: lines.map((l) => l.id) })}>
          {checkout.isPending ? 'Placing order…' : 'Check out'}
        </button>
      </div>
      {checkout.isError && <p className="error" role="alert">{checkout.error.message}</p>}
      {checkout.isSuccess && lines.length === 0 && (
        <p className="ok" data-testid="order-placed">Order #{checkout.data.order} placed · {money(checkout.data.total)}</p>
      )}
      <Strategy kind="B">
        own QueryClient, connected · checkout invalidates <code>['stock']</code>
        {checkout.isSuccess ? ` · last at ${clock(checkout.data.at)}` : ''}
      </Strategy>
      <Suggestions cart={cart} />
      <dialog ref={dialog} className="cart-drawer" data-testid="cart-drawer" data-opened-by={openedBy} aria-labelledby="cart-drawer-title"
        onClick={(e) => e.target === e.currentTarget && close()}
        // Esc closes the dialog itself: the state follows at once (cancel comes
        // before the close), so a cart:open right after Esc opens it again. The
        // close event may come when it is open again.
        onCancel={close}
        onClose={() => ui.setState({ drawer: dialog.current.open })}>
        <p className="origin">remote “cart” · drawer</p>
        <h2 id="cart-drawer-title">{title}</h2>
        <Lines lines={lines} />
        <p className="drawer-total">{totalText(lines)}</p>
        <div className="drawer-actions">
          <button type="button" className="secondary" onClick={() => cart.getState().clear()}>Empty cart</button>
          <button type="button" className="secondary" data-testid="cart-drawer-close" onClick={close}>Close</button>
        </div>
      </dialog>
    </>
  );
}

export async function mount(element, props, fedwasm) {
  const shared = await consumeShared(fedwasm, {
    react: ReactModule, 'react-dom': ReactDOM, 'react-dom/client': ReactDOMClient, zustand, 'zustand/react': zustandReact,
    '@tanstack/query-core': queryCore, '@tanstack/react-query': reactQuery,
  });
  const cart = await fedwasm.stores.get('cart', { requiredVersion: '^1.0.0', timeoutMs: 5000 });
  const queryClient = await fedwasm.stores.get('queryClient', { requiredVersion: '^5.0.0' });
  const ownClient = new queryCore.QueryClient();
  const disconnect = fedwasm.query.connect(ownClient, { handoffTimeoutMs: 0 });
  // The drawer's state: a local store made with the shared zustand.
  const ui = zustand.createStore(() => ({ drawer: false, openedBy: '' }));
  fedwasm.events.on('cart:open', (detail) => ui.setState({ drawer: true, openedBy: String(detail?.source ?? '') }));
  fedwasm.events.on('cart:close', () => ui.setState({ drawer: false }));

  element.classList.add('cart-app');
  const unsubscribe = ui.subscribe((s) => element.classList.toggle('drawer-open', s.drawer));
  const root = ReactDOMClient.createRoot(element);
  ReactDOM.flushSync(() => root.render(
    <QueryClientProvider client={queryClient}>
      <Cart cart={cart} ui={ui} ownClient={ownClient} api={props?.api ?? origin} fedwasm={fedwasm} />
    </QueryClientProvider>,
  ));
  instances = { ...shared, React, zustand: shared.zustand, cart, queryClient, ownClient };
  return {
    unmount() {
      unsubscribe();
      root.unmount();
      element.classList.remove('drawer-open', 'cart-app');
      disconnect();
      instances = null;
    },
  };
}

/** What this remote received from fedwasm, so callers can check it is the host's own instance. */
export function received() {
  return instances;
}
