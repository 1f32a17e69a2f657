// Small pieces both React remotes use (bundled into each: plain app code, no
// state of its own). React itself is the host's singleton: a bare import.
import React from 'react';

/** The shared packages a remote checks it got: each is the host's one copy. */
export const sharedPackages = [
  ['react', '^19.0.0'],
  ['react-dom', '^19.0.0'],
  ['react-dom/client', '^19.0.0'],
  ['zustand', '^5.0.0'],
  ['zustand/react', '^5.0.0'],
  ['@tanstack/query-core', '^5.0.0'],
  ['@tanstack/react-query', '^5.0.0'],
];

/**
 * consumeShared asks fedwasm (as the remote's scope, so the inspector lists
 * it as a consumer) for each shared package, strictly, and checks that the
 * module its bare imports resolved to (imports[pkg]) is that very instance.
 */
export async function consumeShared(fedwasm, imports) {
  const got = {};
  for (const [pkg, requiredVersion] of sharedPackages) {
    got[pkg] = await fedwasm.loadShare(pkg, { requiredVersion, strictVersion: true, singleton: true });
    if (imports[pkg] && got[pkg] !== imports[pkg]) {
      throw new Error(`${fedwasm.owner}: the bare import '${pkg}' is not the shared instance; is the host's import map missing it?`);
    }
  }
  return got;
}

export const money = (n) => `$${n}`;

/** How many items the cart holds (lines carry quantities). */
export const itemCount = (lines) => lines.reduce((n, line) => n + line.qty, 0);

/**
 * The retry policy of the remotes' own query clients (Strategy B), like the
 * host's client: three retries 0.3, 0.6 and 1.2 s apart, then the error is
 * shown with a retry button (QueryError).
 */
export const apiRetry = { retry: 3, retryDelay: (failures) => 300 * 2 ** failures };

/** fetchStock reads the stock levels from the products origin's API. */
export async function fetchStock(api) {
  const response = await fetch(`${api}/api/stock`);
  if (!response.ok) throw new Error(`GET ${api}/api/stock: HTTP ${response.status}`);
  return response.json();
}

/** The ['stock'] query on a remote's own connected client. */
export function stockQuery(api) {
  return { queryKey: ['stock'], queryFn: () => fetchStock(api), staleTime: 30_000, ...apiRetry };
}

/**
 * A query that failed after its retries: what could not be loaded, why, and a
 * button that tries again.
 */
export function QueryError({ what, query }) {
  return (
    <p className="api-error" role="alert" data-query-error={what}>
      <span>{what} could not be loaded ({String(query.error?.message ?? 'unknown error')}).</span>{' '}
      <button type="button" className="secondary small" data-retry={what} disabled={query.isFetching} onClick={() => query.refetch()}>
        {query.isFetching ? 'Retrying…' : 'Try again'}
      </button>
    </p>
  );
}

/** What a query label says: its value once loaded, "failed" after its retries, else that it is on its way. */
export function queryLabel(query, loaded) {
  if (query.data) return loaded(query.data);
  if (query.isError) return 'failed';
  return query.failureCount > 0 ? `retrying (${query.failureCount} failed)…` : 'fetching…';
}

export const clock = (ms) => (ms ? new Date(ms).toLocaleTimeString('en-GB') : '—');

const paths = {
  kb: 'M3 7h18v10H3z M6 10h1 M9 10h1 M12 10h1 M15 10h1 M18 10h0 M7 14h10',
  ms: 'M12 3a6 6 0 0 1 6 6v6a6 6 0 0 1-12 0V9a6 6 0 0 1 6-6z M12 3v6',
  hd: 'M4 15v-3a8 8 0 0 1 16 0v3 M4 15h3v5H4z M17 15h3v5h-3z',
  mn: 'M3 4h18v12H3z M9 20h6 M12 16v4',
};

/** A line icon for a product (inline SVG: no image requests, CSP-friendly). */
export function ProductIcon({ id }) {
  return (
    <svg className="product-icon" viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round">
      <path d={paths[id] || 'M4 4h16v16H4z'} />
    </svg>
  );
}

/** Which query strategy a widget uses, and what it fetched. */
export function Strategy({ kind, children }) {
  return (
    <p className={`strategy strategy-${kind.toLowerCase()}`} data-strategy={kind}>
      <b>Strategy {kind}</b> {children}
    </p>
  );
}
