// The host shell every variant runs once its bootstrap starts: it creates the
// cart store (zustand), renders the header with React, and mounts the products
// and cart remotes, each loaded with the variant's own loadRemote. It marks
// 'remote-render' when the first remote has rendered and 'remotes-rendered'
// when both have.
import React from 'react';
import { createRoot } from 'react-dom/client';
import { createStore, useStore } from 'zustand';

function Header({ store }) {
  const count = useStore(store, (s) => s.lines.length);
  return React.createElement('header', null,
    React.createElement('h1', null, 'Shop'),
    React.createElement('span', { 'data-testid': 'count' }, `${count} in cart`));
}

export async function start(variant, loadRemote) {
  const store = createStore((set) => ({
    lines: [],
    add: (product) => set((s) => ({ lines: [...s.lines, product] })),
  }));
  document.title = `bench: ${variant}`;
  createRoot(document.querySelector('#header')).render(React.createElement(Header, { store }));
  await Promise.all(['products', 'cart'].map(async (name) => {
    const remote = await loadRemote(name);
    await remote.mount(document.querySelector(`#${name}-slot`), { store });
    if (performance.getEntriesByName('remote-render').length === 0) performance.mark('remote-render');
  }));
  performance.mark('remotes-rendered');
  window.benchApp = { variant, store };
}
