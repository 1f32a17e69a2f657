// The cart remote: the lines of the host's cart store and their total.
import React from 'react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { useStore } from 'zustand';

function Cart({ store }) {
  const lines = useStore(store, (s) => s.lines);
  const total = lines.reduce((sum, line) => sum + line.price, 0);
  return React.createElement('section', { 'data-testid': 'cart' },
    React.createElement('h2', null, 'Cart'),
    lines.length === 0
      ? React.createElement('p', null, 'Your cart is empty')
      : React.createElement('ul', null, lines.map((line, i) => React.createElement('li', { key: i }, line.name))),
    React.createElement('p', { className: 'total' }, `Total: ${total} €`));
}

// mount renders into element and resolves once the first render is in the DOM.
export function mount(element, props) {
  const root = createRoot(element);
  flushSync(() => root.render(React.createElement(Cart, { store: props.store })));
  return { unmount: () => root.unmount() };
}
