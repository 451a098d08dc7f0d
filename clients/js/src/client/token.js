/**
 * Tokens: where they come from, what the client reads from them, and when one is still good enough to reuse.
 * The token lives in memory only: never in storage, never in a URL (it travels in the `auth` and `refresh`
 * frames), never in a log line.
 */

const TOKEN_REUSE_MARGIN = 30000;  // a cached token closer than this to expiry is fetched again
const TOKEN_TIMEOUT = 15000;       // a token source that hangs must not stall reconnection forever

/** A token failure. `kind` is `signed-out` (no session: wait for the user) or `unavailable` (retry later). */
export function tokenError(kind, message) {
  const error = new Error(message);
  error.kind = kind;
  return error;
}

/**
 * Reads a JWT's claims without verifying them: only to learn who we probably are (to show the outbox before
 * the server answers) and when the token expires. Trust comes from the server, never from this.
 */
export function readClaims(token) {
  try {
    const payload = token.split('.')[1];
    const binary = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
    return claims && typeof claims === 'object' ? claims : {};
  } catch (e) {
    return {};
  }
}

/**
 * A site's token endpoint as a token source: `POST` with the session cookie, Rails' CSRF header when the page
 * has a `csrf-token` meta tag and the URL is same-origin, and `body()` as JSON. 401/403 mean "signed out".
 */
export function tokenUrlSource(tokenUrl, body = () => ({})) {
  const base = globalThis.document ? globalThis.document.baseURI : undefined;
  const url = new URL(tokenUrl, base);
  return async () => {
    const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
    const doc = globalThis.document;
    const csrf = doc && doc.querySelector('meta[name="csrf-token"]');
    if (csrf && csrf.content && globalThis.location && url.origin === globalThis.location.origin) {
      headers['X-CSRF-Token'] = csrf.content;
    }
    const response = await fetch(url.href, {
      method: 'POST',
      credentials: 'same-origin',
      cache: 'no-store',
      headers,
      body: JSON.stringify(body()),
      signal: AbortSignal.timeout(TOKEN_TIMEOUT),
    });
    if (response.status === 401 || response.status === 403) throw tokenError('signed-out', 'not signed in');
    if (!response.ok) throw tokenError('unavailable', 'token endpoint answered ' + response.status);
    const data = await response.json();
    if (!data || typeof data.token !== 'string' || !data.token) throw tokenError('unavailable', 'no token in answer');
    return data.token;
  };
}

/**
 * The current token and the clock facts read from it. `get(false)` reuses a token with more than 30 s left;
 * concurrent calls share one request to the source.
 */
export class TokenKeeper {
  constructor(source, onClaims) {
    this.source = source;
    this.onClaims = onClaims;
    this.token = null;
    this.expiresAt = 0;  // local clock, ms
    this.skew = 0;       // the issuer's clock minus ours, from `iat`
    this.request = null;
  }

  async get(fresh) {
    if (!fresh && this.token && this.expiresAt - Date.now() > TOKEN_REUSE_MARGIN) return this.token;
    if (!this.request) {
      this.request = this.fetch().finally(() => {
        this.request = null;
      });
    }
    return this.request;
  }

  async fetch() {
    let timer;
    const timeout = new Promise((resolve, reject) => {
      timer = setTimeout(() => reject(tokenError('unavailable', 'token request timed out')), TOKEN_TIMEOUT + 1000);
    });
    let token;
    try {
      token = await Promise.race([Promise.resolve().then(() => this.source()), timeout]);
    } finally {
      clearTimeout(timer);
    }
    if (token == null || token === '') throw tokenError('signed-out', 'no token');
    if (typeof token !== 'string') throw tokenError('unavailable', 'token is not a string');
    const claims = readClaims(token);
    if (typeof claims.iat === 'number') this.skew = claims.iat * 1000 - Date.now();
    this.token = token;
    this.expiresAt = typeof claims.exp === 'number' ? claims.exp * 1000 - this.skew : 0;
    this.onClaims(claims);
    return token;
  }

  /** Forgets the token (expired or revoked: the next `get` asks the source again). */
  clear() {
    this.token = null;
    this.expiresAt = 0;
  }
}
