performance.mark('bootstrap-start');
import { start } from '../shell.js';

start('webpack', (name) => (name === 'cart' ? import('cart/Cart') : import('products/Products')));
