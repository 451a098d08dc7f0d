/**
 * Messages written but not yet acknowledged, per room, in a store (localStorage by default) under a key
 * namespaced by server, user and room: `parley:v1:outbox:<server>|<user id>|<room>`. They survive a reload and
 * are re-sent with the same `ref`, which the server de-duplicates on, so each is delivered exactly once.
 * The store is the source of truth: every change is a read-modify-write, so two tabs of the same user do not
 * erase each other's entries. Entries keep the order in which they were written.
 */
export class Outbox {
  constructor(serverKey, store) {
    this.serverKey = serverKey;
    this.store = store;
    this.userId = null;
    this.unowned = new Map(); // room -> entries written before we knew who we are (memory only)
  }

  key(room) {
    return 'parley:v1:outbox:' + this.serverKey + '|' + this.userId + '|' + room;
  }

  /** Switches to a user's entries; entries written while nobody was known become theirs. True if it changed. */
  setUser(userId) {
    if (userId === this.userId) return false;
    const carried = this.userId == null ? this.unowned : new Map();
    this.userId = userId;
    this.unowned = new Map();
    for (const [room, entries] of carried) for (const entry of entries) this.add(room, entry);
    return true;
  }

  list(room) {
    if (this.userId == null) return (this.unowned.get(room) || []).slice();
    const entries = this.store.read(this.key(room));
    return Array.isArray(entries)
      ? entries.filter((e) => e && typeof e.ref === 'string' && typeof e.text === 'string')
      : [];
  }

  add(room, entry) {
    const record = { ref: entry.ref, text: entry.text, ts: entry.ts };
    if (this.userId == null) {
      if (!this.unowned.has(room)) this.unowned.set(room, []);
      this.unowned.get(room).push(record);
      return;
    }
    const entries = this.list(room);
    if (!entries.some((e) => e.ref === record.ref)) entries.push(record);
    this.store.write(this.key(room), entries);
  }

  remove(room, ref) {
    if (this.userId == null) {
      const entries = this.unowned.get(room);
      if (entries) this.unowned.set(room, entries.filter((e) => e.ref !== ref));
      return;
    }
    const entries = this.list(room).filter((e) => e.ref !== ref);
    if (entries.length) this.store.write(this.key(room), entries);
    else this.store.remove(this.key(room));
  }
}

/** A client reference for `send`: random, so the server's ref de-duplication spans reloads and tabs. */
export function newRef() {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return 'w-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
