// The promotion banner, mounted by the host with fedwasm.mount('promo', element,
// props). Everything it registers goes through the scope it is handed (the
// third argument), so unmount releases all of it: the cart subscription, the
// event listener, its connected query client; nothing is left behind.
export async function mount(element, props, fedwasm) {
  if (props && props.simulateFailure) throw new Error(`promo: ${props.simulateFailure}`);
  const threshold = (props && props.threshold) || 3;
  const cart = await fedwasm.stores.get('cart', { requiredVersion: '^2.0.0' });
  const banner = document.createElement('p');
  banner.className = 'promo';
  const render = ({ lines }) => {
    const missing = threshold - lines.reduce((n, line) => n + line.qty, 0);
    banner.textContent = missing > 0
      ? `Add ${missing} more item${missing === 1 ? '' : 's'} for free shipping`
      : 'Free shipping unlocked!';
    banner.dataset.unlocked = String(missing <= 0);
  };
  fedwasm.stores.subscribe(cart, render);
  fedwasm.events.on('cart:open', () => banner.classList.add('highlight'));
  // Its own TanStack Query client (Strategy B), kept in sync with the other
  // micro-frontends' clients: an invalidation of ['promotions'] anywhere reaches it.
  const { QueryClient } = await fedwasm.loadShare('@tanstack/query-core');
  fedwasm.query.connect(new QueryClient(), { handoffTimeoutMs: 0 });
  render(cart.getState());
  element.replaceChildren(banner);
  return {
    unmount() {
      element.replaceChildren();
    },
  };
}
