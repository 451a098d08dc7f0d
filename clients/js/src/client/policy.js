/**
 * The timing rules of the connection as pure functions, so they can be read and tested on their own:
 * how long to wait before reconnecting after each close code, and when to refresh a token.
 */

export const DRAIN_SPREAD = 3000;       // 1012 (restart): reconnect after a random delay up to this
export const LIMIT_FLOOR = 5000;        // 4429 (limits): never retry faster than this
const REFRESH_LEAD = 60000;             // refresh a token this long before it expires
const REFRESH_FLOOR = 5000;

/**
 * What to do after the socket closed with `code`, on reconnect attempt number `attempt` (0 for the first).
 * Returns `{stop: true}` for 4403 (the application disconnected this user: reconnecting would defeat it),
 * else `{delay, newToken}`: the wait in ms (full jitter: a uniformly random delay up to the exponential
 * ceiling spreads a thundering herd) and whether the current token must be dropped first.
 */
export function reconnectPlan(code, attempt, { baseMs = 1000, maxMs = 30000, random = Math.random } = {}) {
  const backoff = () => random() * Math.min(maxMs, baseMs * 2 ** attempt);
  switch (code) {
    case 4403:
      return { stop: true };
    case 4401:
      // Expired or revoked: a fresh token at once the first time, then back off (a revoked user loops).
      return { delay: attempt === 0 ? 0 : backoff(), newToken: true };
    case 1012:
      // A deploy: every client reconnecting at the same instant would stampede the survivors.
      return { delay: random() * DRAIN_SPREAD, newToken: false };
    case 4429:
      return { delay: Math.max(LIMIT_FLOOR, backoff()), newToken: false };
    default:
      // 1000, 1001, 1006, 1009, 1011, 4400, 4408, 4503 and anything else: back off, then resume with `since`.
      return { delay: backoff(), newToken: false };
  }
}

/**
 * Milliseconds from `now` until the token that expires at `expiresSeconds` (server clock, unix seconds)
 * should be refreshed: 60 s before expiry, or half-way through a token shorter than two minutes, never
 * sooner than 5 s. `skewMs` is the server's clock minus ours.
 */
export function refreshDelay(expiresSeconds, now, skewMs = 0) {
  const left = expiresSeconds * 1000 - skewMs - now;
  return Math.max(REFRESH_FLOOR, left - Math.min(REFRESH_LEAD, left / 2));
}
