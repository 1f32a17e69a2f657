// The products micro-frontend: a React 19 app on its own origin, mounted by
// the host with fedwasm.mount('products', element). Its bundle holds none of
// React, react-dom, zustand or TanStack Query: those are bare imports the
// host's import map resolves to the shared singletons.
//
//   exported store      the host's cart store (fedwasm.stores.get('cart')),
//                       read and written with zustand's useStore
//   Strategy A          the product list reads ['products'] through the host's
//                       QueryClient (stores.get('queryClient')); the cart
//                       remote reads the same cache: one request for both
//   Strategy B          stock levels come from this remote's own QueryClient,
//                       connected with fedwasm.query.connect: the cart's
//                       checkout invalidates ['stock'] here and in other tabs
import React from 'react';
import * as ReactModule from 'react';
import * as ReactDOM from 'react-dom';
import * as ReactDOMClient from 'react-dom/client';
import * as zustand from 'zustand';
import * as zustandReact from 'zustand/react';
import * as queryCore from '@tanstack/query-core';
import * as reactQuery from '@tanstack/react-query';
import { ProductIcon, QueryError, Strategy, clock, consumeShared, money, queryLabel, stockQuery } from './shop.jsx';

const { useStore } = zustandReact;
const { QueryClientProvider, useQuery } = reactQuery;

const origin = new URL(import.meta.url).origin;
let instances = null;

function stockLabel(left) {
  if (left === undefined) return '…';
  if (left <= 0) return 'Sold out';
  return left <= 5 ? `Only ${left} left` : `${left} in stock`;
}

// The button says why it cannot add: no stock at all, all of it in the cart,
// the stock not known (yet, or at all), or an order being placed.
function addLabel(left, inCart, placing, stockFailed) {
  if (placing) return 'Placing order…';
  if (left === undefined) return stockFailed ? 'Stock unknown' : 'Checking stock…';
  if (left <= 0) return 'Sold out';
  if (inCart >= left) return 'All in your cart';
  return 'Add to cart';
}

function ProductCard({ product, left, cart, stockFailed }) {
  const inCart = useStore(cart, (s) => s.lines.find((l) => l.id === product.id)?.qty ?? 0);
  const placing = useStore(cart, (s) => s.checkout !== null);
  const label = addLabel(left, inCart, placing, stockFailed);
  return (
    <li className="product" data-id={product.id}>
      <span className={`product-art art-${product.id}`}><ProductIcon id={product.id} /></span>
      <span className="name">{product.name}</span>
      <span className="price">{money(product.price)}</span>
      <span className="product-meta">
        <span className={`stock${left !== undefined && left <= 5 ? ' low' : ''}`} data-stock={left ?? ''}>{stockLabel(left)}</span>
        {inCart > 0 && <span className="in-cart">{inCart} in cart</span>}
      </span>
      {/* The store refuses an add past the stock (left is the limit), however fast the clicks come. */}
      <button type="button" data-product={product.id} disabled={label !== 'Add to cart'}
        onClick={() => cart.getState().add({ id: product.id, name: product.name, price: product.price }, left)}>
        {label}
      </button>
    </li>
  );
}

const skeletonCards = (
  <div className="sk-cards sk-products" aria-hidden="true">
    <span className="skeleton sk-card" /><span className="skeleton sk-card" /><span className="skeleton sk-card" /><span className="skeleton sk-card" />
  </div>
);

function Products({ cart, stockClient, stockFetches }) {
  // Strategy A: no queryFn here; the host's client has the default one.
  const products = useQuery({ queryKey: ['products'] });
  // Strategy B: this remote's own client, passed explicitly. The cart
  // remote's client reads ['stock'] too: fetched at the same moment, the
  // connected clients share one request.
  const stock = useQuery(stockQuery(origin), stockClient);
  const fetches = useStore(stockFetches);
  const levels = stock.data?.stock ?? {};
  return (
    <>
      <p className="origin">remote “products” · {origin} · React {React.version}</p>
      <h1 id="products-title">Products</h1>
      {products.isError ? <QueryError what="The catalog" query={products} />
        : products.isPending ? skeletonCards : (
          <ul className="products" id="products">
            {products.data.products.map((p) => <ProductCard key={p.id} product={p} left={levels[p.id]} cart={cart} stockFailed={stock.isError} />)}
          </ul>
        )}
      {stock.isError && <QueryError what="Stock levels" query={stock} />}
      <div className="strategies">
        <Strategy kind="A">
          the host’s QueryClient · <code>['products']</code> ·{' '}
          <span data-testid="products-request">{queryLabel(products, (d) => `request #${d.served} at ${clock(d.at)}`)}</span>
        </Strategy>
        <Strategy kind="B">
          own QueryClient, connected · <code>['stock']</code> ·{' '}
          <span data-testid="stock-fetches" data-count={fetches.count}>
            {stock.isError ? 'failed' : `fetched ${fetches.count}× in this tab${fetches.at ? ` · last ${clock(fetches.at)}` : ''}`}
          </span>
        </Strategy>
      </div>
    </>
  );
}

export async function mount(element, props, fedwasm) {
  const shared = await consumeShared(fedwasm, {
    react: ReactModule, 'react-dom': ReactDOM, 'react-dom/client': ReactDOMClient, zustand, 'zustand/react': zustandReact,
    '@tanstack/query-core': queryCore, '@tanstack/react-query': reactQuery,
  });
  const cart = await fedwasm.stores.get('cart', { requiredVersion: '^2.0.0' });
  const queryClient = await fedwasm.stores.get('queryClient', { requiredVersion: '^5.0.0' });
  const stockClient = new queryCore.QueryClient();
  const disconnect = fedwasm.query.connect(stockClient, { handoffTimeoutMs: 0, shareable: [['stock']] });
  // Counts the fetches of ['stock'] this client completed (one it shared with
  // the cart's client counts too); data handed over from another tab is
  // written with setQueryData, a "manual" success, and does not count.
  const stockFetches = zustand.createStore(() => ({ count: 0, at: 0 }));
  const unsubscribeFetches = stockClient.getQueryCache().subscribe((event) => {
    if (event.type === 'updated' && event.action.type === 'success' && !event.action.manual && event.query.queryKey[0] === 'stock') {
      stockFetches.setState((s) => ({ count: s.count + 1, at: Date.now() }));
    }
  });
  const root = ReactDOMClient.createRoot(element);
  ReactDOM.flushSync(() => root.render(
    <QueryClientProvider client={queryClient}>
      <Products cart={cart} stockClient={stockClient} stockFetches={stockFetches} />
    </QueryClientProvider>,
  ));
  instances = { ...shared, React, cart, queryClient, stockClient, stockFetches };
  return {
    unmount() {
      unsubscribeFetches();
      root.unmount();
      disconnect();
      stockClient.clear();
      instances = null;
    },
  };
}

/** What this remote received, so the host (and the tests) can check it is the host's own. */
export function received() {
  return instances;
}
