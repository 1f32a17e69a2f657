// @module-federation/runtime page: init the share scope and the remotes, then
// import the bootstrap (the same async boundary the other variants have).
import { init } from '@module-federation/runtime';

const singleton = (version, get) => ({ version, get, shareConfig: { singleton: true, requiredVersion: `^${version}` } });
init({
  name: 'host',
  remotes: [
    { name: 'cart', entry: '__REMOTE_ORIGIN__/cart/remoteEntry.js' },
    { name: 'products', entry: '__REMOTE_ORIGIN__/products/remoteEntry.js' },
  ],
  shared: {
    react: singleton(__VERSIONS__.react, () => import('react').then((m) => () => m)),
    'react-dom': singleton(__VERSIONS__['react-dom'], () => import('react-dom').then((m) => () => m)),
    'react-dom/client': singleton(__VERSIONS__['react-dom'], () => import('react-dom/client').then((m) => () => m)),
    zustand: singleton(__VERSIONS__.zustand, () => import('zustand').then((m) => () => m)),
  },
});
import('./bootstrap');
