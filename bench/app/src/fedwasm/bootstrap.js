performance.mark('bootstrap-start');
import { start } from '../shell.js';

start('fedwasm', (name) => window.fedwasm.loadRemote(name === 'cart' ? 'cart/Cart' : 'products/Products'));
