// cli: the bundle's entry point (bin/tierwall.js imports it).
export { main } from './main.js';
