/**
 * Key-value stores for the outbox and the remembered user, holding JSON values. Both never throw: browsers
 * throw from localStorage in private modes, with cookies blocked, or when it is full, and the client then
 * simply works without surviving a reload.
 */

/** Wraps a Web Storage object (`localStorage`, or anything with getItem/setItem/removeItem). */
export function webStorage(store) {
  return {
    read(key) {
      try {
        const raw = store.getItem(key);
        return raw ? JSON.parse(raw) : null;
      } catch (e) {
        return null;
      }
    },
    write(key, value) {
      try {
        store.setItem(key, JSON.stringify(value));
      } catch (e) { /* unavailable or full: memory is all we have */ }
    },
    remove(key) {
      try {
        store.removeItem(key);
      } catch (e) { /* as above */ }
    },
  };
}

/** A store that lives as long as the page: the outbox without persistence, or where there is no localStorage. */
export function memoryStorage() {
  const map = new Map();
  return {
    read: (key) => (map.has(key) ? structuredClone(map.get(key)) : null),
    write: (key, value) => map.set(key, structuredClone(value)),
    remove: (key) => map.delete(key),
  };
}

/** `localStorage` when this environment has a usable one, else memory. */
export function defaultStorage() {
  try {
    if (globalThis.localStorage) return webStorage(globalThis.localStorage);
  } catch (e) { /* a sandboxed frame throws on the mere access */ }
  return memoryStorage();
}
