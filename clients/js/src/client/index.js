/**
 * @parley/client: the headless Parley client. Types: types/client.d.ts. Reference: docs/widget.md, "Client SDK".
 */
export { ParleyClient } from './client.js';
export { ParleyError } from './errors.js';
export { DEFAULT_LIMITS, isValidRoom } from './limits.js';
export { reconnectPlan, refreshDelay } from './policy.js';
export { readClaims, tokenUrlSource } from './token.js';
export const VERSION = '1.1.0'; // package.json's version (test/docs.test.js checks)
