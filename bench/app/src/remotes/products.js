// The products remote: a list of products whose buttons add to the host's cart store.
import React from 'react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { useStore } from 'zustand';

const products = [
  { id: 'kb', name: 'Mechanical keyboard', price: 89 },
  { id: 'ms', name: 'Wireless mouse', price: 39 },
  { id: 'hs', name: 'Headset', price: 59 },
  { id: 'mn', name: '27" monitor', price: 279 },
  { id: 'cb', name: 'USB-C cable', price: 12 },
  { id: 'dk', name: 'Docking station', price: 149 },
];

function Products({ store }) {
  const add = useStore(store, (s) => s.add);
  return React.createElement('section', { 'data-testid': 'products' },
    React.createElement('h2', null, 'Products'),
    React.createElement('ul', null, products.map((p) => React.createElement('li', { key: p.id },
      `${p.name} — ${p.price} €`,
      React.createElement('button', { onClick: () => add(p) }, 'Add')))));
}

// mount renders into element and resolves once the first render is in the DOM.
export function mount(element, props) {
  const root = createRoot(element);
  flushSync(() => root.render(React.createElement(Products, { store: props.store })));
  return { unmount: () => root.unmount() };
}
