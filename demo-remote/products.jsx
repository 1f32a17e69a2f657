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
import { ProductIcon, Strategy, clock, consumeShared, money } from './shop.jsx';

const { createStore } = zustand;
const { useStore } = zustandReact;
const { QueryClientProvider, useQuery } = reactQuery;

const origin = new URL(import.meta.url).origin;
let instances = null;

function stockLabel(left) {
  if (left === undefined) return '…';
  if (left <= 0) return 'Sold out';
  return left <= 5 ? `Only ${left} left` : `${left} in stock`;
}

function ProductCard({ product, left, cart }) {
  const inCart = useStore(cart, (s) => s.lines.filter((l) => l.id === product.id).length);
  const soldOut = left !== undefined && left - inCart <= 0;
  return (
    <li className="product" data-id={product.id}>
      <span className={`product-art art-${product.id}`}><ProductIcon id={product.id} /></span>
      <span className="name">{product.name}</span>
      <span className="price">{money(product.price)}</span>
      <span className="product-meta">
        <span className={`stock${left !== undefined && left <= 5 ? ' low' : ''}`} data-stock={left ?? ''}>{stockLabel(left)}</span>
        {inCart > 0 && <span className="in-cart">{inCart} in cart</span>}
      </span>
      <button type="button" data-product={product.id} disabled={soldOut}
        onClick={() => cart.getState().add({ id: product.id, name: product.name, price: product.price })}>
        {soldOut ? 'Sold out' : 'Add to cart'}
      </button>
    </li>
  );
}

function Products({ cart, stockClient, stockFetches }) {
  // Strategy A: no queryFn here; the host's client has the default one.
  const products = useQuery({ queryKey: ['products'] });
  // Strategy B: this remote's own client, passed explicitly.
  const stock = useQuery({ queryKey: ['stock'], queryFn: () => fetchStock(stockFetches) }, stockClient);
  const fetches = useStore(stockFetches);
  const levels = stock.data?.stock ?? {};
  return (
    <>
      <p className="origin">remote “products” · {origin} · React {React.version}</p>
      <h1 id="products-title">Products</h1>
      {products.isPending ? (
        <div className="sk-cards" aria-hidden="true"><span className="skeleton sk-card" /><span className="skeleton sk-card" /><span className="skeleton sk-card" /></div>
      ) : products.isError ? (
        <p className="fedwasm-fallback" role="alert">The catalog could not be loaded: {String(products.error.message)}</p>
      ) : (
        <ul className="products" id="products">
          {products.data.products.map((p) => <ProductCard key={p.id} product={p} left={levels[p.id]} cart={cart} />)}
        </ul>
      )}
      <div className="strategies">
        <Strategy kind="A">
          the host’s QueryClient · <code>['products']</code> ·{' '}
          <span data-testid="products-request">{products.data ? `request #${products.data.served} at ${clock(products.data.at)}` : 'fetching…'}</span>
        </Strategy>
        <Strategy kind="B">
          own QueryClient, connected · <code>['stock']</code> ·{' '}
          <span data-testid="stock-fetches" data-count={fetches.count}>fetched {fetches.count}× in this tab{fetches.at ? ` · last ${clock(fetches.at)}` : ''}</span>
        </Strategy>
      </div>
    </>
  );
}

async function fetchStock(stockFetches) {
  const response = await fetch(`${origin}/api/stock`);
  if (!response.ok) throw new Error(`GET ${origin}/api/stock: HTTP ${response.status}`);
  const body = await response.json();
  stockFetches.setState((s) => ({ count: s.count + 1, at: Date.now() }));
  return body;
}

export async function mount(element, props, fedwasm) {
  const shared = await consumeShared(fedwasm, {
    react: ReactModule, 'react-dom': ReactDOM, 'react-dom/client': ReactDOMClient, zustand, 'zustand/react': zustandReact,
    '@tanstack/query-core': queryCore, '@tanstack/react-query': reactQuery,
  });
  const cart = await fedwasm.stores.get('cart', { requiredVersion: '^1.0.0' });
  const queryClient = await fedwasm.stores.get('queryClient', { requiredVersion: '^5.0.0' });
  const stockClient = new queryCore.QueryClient({ defaultOptions: { queries: { staleTime: 30_000, retry: 1 } } });
  const disconnect = fedwasm.query.connect(stockClient, { handoffTimeoutMs: 0 });
  const stockFetches = createStore(() => ({ count: 0, at: 0 }));
  const root = ReactDOMClient.createRoot(element);
  ReactDOM.flushSync(() => root.render(
    <QueryClientProvider client={queryClient}>
      <Products cart={cart} stockClient={stockClient} stockFetches={stockFetches} />
    </QueryClientProvider>,
  ));
  instances = { ...shared, React, cart, queryClient, stockClient, stockFetches };
  return {
    unmount() {
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
