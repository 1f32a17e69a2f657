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
import { ProductIcon, QueryError, Strategy, clock, consumeShared, itemCount, money, queryLabel, stockQuery } from './shop.jsx';

const { useStore } = zustandReact;
const { QueryClientProvider, useMutation, useQuery } = reactQuery;

const origin = new URL(import.meta.url).origin;
let instances = null;

const total = (lines) => lines.reduce((sum, line) => sum + line.price * line.qty, 0);
const totalText = (lines) => (lines.length ? `Total ${money(total(lines))}` : 'Your cart is empty.');
const plural = (n, one) => `${n} ${one}${n === 1 ? '' : 's'}`;

// One line per product: its quantity with − and + (up to the stock), and a
// remove button. A line holding more than is left says so.
function Lines({ cart, levels, placing }) {
  const lines = useStore(cart, (s) => s.lines);
  if (lines.length === 0) return null;
  return (
    <ul className="cart-lines">
      {lines.map((line) => {
        const left = levels?.[line.id];
        const over = left !== undefined && line.qty > left;
        return (
          <li key={line.id} data-line={line.id} className={over ? 'over' : undefined}>
            <span className="line-name">{line.name}{over && <small className="line-warn"> · only {left} left</small>}</span>
            <span className="qty-control" role="group" aria-label={`Quantity of ${line.name}`}>
              <button type="button" className="secondary small" data-qty-dec={line.id} aria-label={`One fewer ${line.name}`} disabled={placing}
                onClick={() => cart.getState().setQty(line.id, line.qty - 1)}>−</button>
              <span className="qty" data-qty={line.qty} aria-live="polite">{line.qty}</span>
              <button type="button" className="secondary small" data-qty-inc={line.id} aria-label={`One more ${line.name}`}
                disabled={placing || left === undefined || line.qty >= left}
                onClick={() => cart.getState().add(line, left)}>+</button>
            </span>
            <span className="line-price">{money(line.price * line.qty)}</span>
            <button type="button" className="link remove" data-remove={line.id} aria-label={`Remove ${line.name}`} disabled={placing}
              onClick={() => cart.getState().remove(line.id)}>Remove</button>
          </li>
        );
      })}
    </ul>
  );
}

// Strategy A: the host's client, its default query function; the products
// remote usually fetched ['products'] already, so this reads the cache. What
// is sold out is not suggested, and Add stops at the stock like every add.
function Suggestions({ cart, levels, stockFailed }) {
  const lines = useStore(cart, (s) => s.lines);
  const placing = useStore(cart, (s) => s.checkout !== null);
  const products = useQuery({ queryKey: ['products'] });
  const have = new Set(lines.map((l) => l.id));
  const picks = (products.data?.products ?? []).filter((p) => !have.has(p.id) && levels?.[p.id] > 0).slice(0, 2);
  let body;
  if (products.isError) body = <QueryError what="Suggestions" query={products} />;
  else if (!products.data) body = <p className="muted">Loading…</p>;
  else if (stockFailed) body = <p className="muted">No suggestions without the stock levels (see above).</p>;
  else if (!levels) body = <p className="muted">Checking stock…</p>;
  else if (picks.length === 0) body = <p className="muted">Nothing more to suggest.</p>;
  else {
    body = (
      <ul>
        {picks.map((p) => (
          <li key={p.id}>
            <ProductIcon id={p.id} /><span>{p.name}</span><span className="muted">{money(p.price)}</span>
            <button type="button" className="link" data-suggest={p.id} disabled={placing}
              onClick={() => cart.getState().add(p, levels[p.id])}>Add</button>
          </li>
        ))}
      </ul>
    );
  }
  return (
    <section className="suggestions" aria-labelledby="suggestions-title">
      <h3 id="suggestions-title">Complete your setup</h3>
      {body}
      <Strategy kind="A">
        the host’s QueryClient · <code>['products']</code> ·{' '}
        <span data-testid="suggestions-request">{queryLabel(products, (d) => `request #${d.served} (shared cache)`)}</span>
      </Strategy>
    </section>
  );
}

// An answer of the orders API that is not an order: a refusal (4xx: the order
// was not placed, the cart can change) or a failure to confirm (5xx, network:
// it may have been placed, so the same checkout is sent again).
class OrderError extends Error {
  constructor(message, refused) {
    super(message);
    this.refused = refused;
  }
}

const unconfirmed = (why) => new OrderError(`The order could not be confirmed (${why}); try again: it will not be placed twice.`, false);

async function postOrder(api, checkout) {
  let response;
  try {
    response = await fetch(`${api}/api/orders`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': checkout.key },
      body: JSON.stringify({ items: checkout.items }),
    });
  } catch (err) {
    throw unconfirmed(err.message);
  }
  const body = await response.json().catch(() => ({}));
  if (response.ok) return body;
  const why = body.error?.message ?? `POST ${api}/api/orders: HTTP ${response.status}`;
  if (response.status >= 400 && response.status < 500) throw new OrderError(why, true);
  throw unconfirmed(why);
}

function Cart({ cart, ui, ownClient, api, fedwasm }) {
  const lines = useStore(cart, (s) => s.lines);
  const pending = useStore(cart, (s) => s.checkout);
  const lastOrder = useStore(cart, (s) => s.lastOrder);
  const { drawer, openedBy } = useStore(ui);
  const dialog = React.useRef(null);
  const closeButton = React.useRef(null);
  // Strategy B: stock on this remote's own connected client; it limits + and Add.
  const stock = useQuery(stockQuery(api), ownClient);
  const levels = stock.data?.stock;
  // The order is a mutation on this remote's own client. Its state is kept
  // in the cart store (persisted, every tab): the idempotency key lives there.
  const placeOrder = useMutation({
    mutationFn: (checkout) => postOrder(api, checkout),
    onSuccess: (body, checkout) => {
      cart.getState().orderPlaced(checkout.key, { order: body.order, items: body.items, total: body.total, at: body.at });
      // Reaches every connected client: the products remote's stock, here and in other tabs.
      ownClient.invalidateQueries({ queryKey: ['stock'] });
      fedwasm.events.emit('order:placed', { order: body.order, items: body.items, total: body.total });
    },
    onError: (err, checkout) => {
      if (!err.refused) return;
      cart.getState().orderRefused(checkout.key);
      ownClient.invalidateQueries({ queryKey: ['stock'] });
    },
  }, ownClient);
  const checkOut = () => {
    const checkout = cart.getState().beginCheckout();
    if (checkout) placeOrder.mutate(checkout);
  };
  // A checkout that was in flight when the page went away (a reload): send it
  // again with its key; the API answers with the order if it was placed.
  React.useEffect(() => {
    const checkout = cart.getState().checkout;
    if (checkout) placeOrder.mutate(checkout);
  }, []);

  React.useEffect(() => {
    const d = dialog.current;
    if (drawer && !d.open) {
      d.showModal();
      closeButton.current.focus(); // not Empty cart: Enter must not destroy anything
    }
    if (!drawer && d.open) d.close();
  }, [drawer]);
  const close = () => ui.setState({ drawer: false });
  const count = itemCount(lines);
  const unconfirmed = pending && placeOrder.isError && !placeOrder.error.refused;
  const actions = (
    <>
      <button type="button" className="secondary" data-testid="empty-cart" disabled={lines.length === 0 || pending !== null}
        onClick={() => cart.getState().clear()}>Empty cart</button>
      <button type="button" data-testid="checkout" disabled={lines.length === 0 || (pending !== null && !unconfirmed)}
        onClick={() => (unconfirmed ? placeOrder.mutate(pending) : checkOut())}>
        {unconfirmed ? 'Try again' : pending ? 'Placing order…' : 'Check out'}
      </button>
    </>
  );
  const outcome = (
    <>
      {placeOrder.isError && <p className="error" role="alert" data-testid="checkout-error">{placeOrder.error.message}</p>}
      {lastOrder && lines.length === 0 && (
        <p className="ok" role="status" data-testid="order-placed">Order #{lastOrder.order} placed · {plural(lastOrder.items, 'item')} · {money(lastOrder.total)}</p>
      )}
    </>
  );
  return (
    <>
      <p className="origin">remote “cart” · {origin} · React {React.version}</p>
      <h2 id="cart-title">Cart</h2>
      <p className="cart-count" data-testid="cart-count">{count}</p>
      <Lines cart={cart} levels={levels} placing={pending !== null} />
      <p className="muted cart-total">{totalText(lines)}</p>
      <div className="cart-actions">{actions}</div>
      {outcome}
      {stock.isError && <QueryError what="Stock levels" query={stock} />}
      <Strategy kind="B">
        own QueryClient, connected · checkout invalidates <code>['stock']</code>
        {lastOrder ? ` · last at ${clock(lastOrder.at)}` : ''}
      </Strategy>
      <Suggestions cart={cart} levels={levels} stockFailed={stock.isError} />
      <dialog ref={dialog} className="cart-drawer" data-testid="cart-drawer" data-opened-by={openedBy} aria-labelledby="cart-drawer-title"
        onClick={(e) => e.target === e.currentTarget && close()}
        // Esc closes the dialog itself: the state follows at once (cancel comes
        // before the close), so a cart:open right after Esc opens it again. The
        // close event may come when it is open again.
        onCancel={close}
        onClose={() => ui.setState({ drawer: dialog.current.open })}>
        <p className="origin">remote “cart” · drawer</p>
        <h2 id="cart-drawer-title">Your cart · {plural(count, 'item')}</h2>
        <Lines cart={cart} levels={levels} placing={pending !== null} />
        <p className="drawer-total">{totalText(lines)}</p>
        {outcome}
        <div className="drawer-actions">
          <button type="button" className="secondary" data-testid="cart-drawer-close" ref={closeButton} onClick={close}>Close</button>
          {actions}
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
  const cart = await fedwasm.stores.get('cart', { requiredVersion: '^2.0.0', timeoutMs: 5000 });
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
