performance.mark('bootstrap-start');
import { loadRemote } from '@module-federation/runtime';
import { start } from '../shell.js';

start('mf-runtime', (name) => loadRemote(name === 'cart' ? 'cart/Cart' : 'products/Products'));
