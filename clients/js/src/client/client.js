import { Connection } from './connection.js';
import { Emitter } from './emitter.js';
import { ParleyError } from './errors.js';
import { DEFAULT_LIMITS, isValidRoom, outboxPace, resolveLimits } from './limits.js';
import { Outbox, newRef } from './outbox.js';
import { defaultStorage, memoryStorage, webStorage } from './storage.js';
import { TokenKeeper, tokenUrlSource } from './token.js';

const TYPING_SEND_EVERY = 2000;  // the server forwards at most one typing frame per 2 s anyway
const TYPING_MARGIN = 100;       // so our window never ends just before the server's does
const TYPING_SHOW_FOR = 3000;    // someone else's typing signal lasts this long
const RETAINED_PER_ROOM = 500;   // messages kept per room (and so the de-duplication window)

/**
 * A headless Parley client: one connection, the rooms joined on it, and the outbox. No DOM: it runs in a
 * browser, a worker or Node (given a `WebSocket`). Build any UI on its events; the Parley widget is one.
 *
 * Guarantees: every (re)join sends `since` = the last message id seen in that room, and messages are
 * de-duplicated by id, so after a reconnect a UI sees what it missed exactly once. A message given to `send`
 * is kept (in localStorage by default) until the server acknowledges it and re-sent with the same `ref` after
 * a reconnect or a reload, so it is delivered exactly once and in the order written.
 */
export class ParleyClient {
  #events = new Emitter();

  constructor(options = {}) {
    const { url, serverKey } = endpoint(options);
    const store = storageFrom(options.storage);
    this.serverKey = serverKey;
    this.store = store;
    this.rooms_ = new Map();
    this.limits_ = DEFAULT_LIMITS;
    this.user_ = null;
    this.welcomed = false;
    this.serial = 0;            // connections welcomed so far: an outbox entry is sent once per connection
    this.recentSends = [];      // times of the outbox frames of the last second (pacing)
    this.flushTimers = new Map();
    this.closed = false;
    this.outbox = new Outbox(serverKey, options.persistOutbox === false ? memoryStorage() : store);
    const remembered = store.read(this.userKey());
    if (isUser(remembered)) this.setProvisionalUser(remembered);

    this.tokens = new TokenKeeper(tokenSource(options), (claims) => {
      if (!this.welcomed && claims.sub != null) {
        this.setProvisionalUser({ id: String(claims.sub), name: typeof claims.name === 'string' ? claims.name : String(claims.sub) });
      }
    });
    const reconnect = options.reconnect || {};
    this.connection = new Connection({
      url,
      tokens: this.tokens,
      WebSocket: options.WebSocket || globalThis.WebSocket,
      reconnect: { baseMs: positive(reconnect.baseMs, 1000), maxMs: positive(reconnect.maxMs, 30000) },
      random: options.random || Math.random,
      onFrame: (frame) => this.onFrame(frame),
      onState: (state, detail) => this.onState(state, detail),
    });
  }

  // ------------------------------------------------------------------ public API

  /** Opens the connection (once; later calls do nothing). Returns the client. */
  connect() {
    this.connection.start();
    return this;
  }

  /** Tries to connect now instead of at the next scheduled attempt (a user action, a new session). */
  retryNow() {
    this.connection.retryNow();
  }

  /** Closes the connection for good, stops every timer and drops the token. Events stop. */
  close() {
    if (this.closed) return;
    this.closed = true;
    this.connection.close();
    for (const id of this.flushTimers.values()) clearTimeout(id);
    for (const room of this.rooms_.values()) clearRoomTimers(room);
    this.#events.clear();
  }

  get state() { return this.connection.state; }
  get user() { return this.user_ ? { ...this.user_ } : null; }
  get limits() { return this.limits_; }
  get rooms() { return Array.from(this.rooms_.keys()); }

  /** Subscribes to an event; returns a function that unsubscribes. */
  on(event, fn) { return this.#events.on(event, fn); }
  off(event, fn) { this.#events.off(event, fn); }

  /**
   * Joins a room (now when online, else on connecting), resuming from the last message seen. Throws a
   * ParleyError `bad_request` for a name the server would refuse, `forbidden` past the server's room limit.
   */
  join(room) {
    this.checkOpen();
    if (!isValidRoom(room, this.limits_)) throw new ParleyError('bad_request', 'invalid room name: ' + String(room), { room });
    if (this.rooms_.has(room)) return;
    if (this.rooms_.size >= this.limits_.rooms) {
      throw new ParleyError('forbidden', `at most ${this.limits_.rooms} rooms per connection`, { room });
    }
    const state = newRoom(room);
    this.rooms_.set(room, state);
    this.loadPending(state);
    if (state.pending.size) this.emitPending(state);
    this.sendJoin(state);
  }

  /** Leaves a room. Its unsent messages stay in the outbox for the next join. */
  leave(room) {
    const state = this.rooms_.get(room);
    if (!state) return;
    clearRoomTimers(state);
    this.rooms_.delete(room);
    if (state.joined || state.joining) this.connection.send({ type: 'leave', room });
    this.#events.emit('left', { room });
  }

  /**
   * Queues a message for a joined room and returns its `ref`. It is sent at once when online, else after the
   * next join, and kept until acknowledged. Throws a ParleyError: `not_joined`, `bad_request` (empty text),
   * `too_large` (over the server's text limit or frame size), `closed` (after close() or a 4403).
   */
  send(room, text) {
    this.checkOpen();
    const state = this.rooms_.get(room);
    if (!state) throw new ParleyError('not_joined', 'join the room before sending to it', { room });
    const body = String(text ?? '').replace(/^\s*\n|\s+$/g, '');
    if (!body.trim()) throw new ParleyError('bad_request', 'empty message', { room });
    if (body.length > this.limits_.text) {
      throw new ParleyError('too_large', `a message has at most ${this.limits_.text} characters`, { room });
    }
    const entry = { ref: newRef(), text: body, ts: Date.now() };
    if (frameBytes({ type: 'send', room, text: body, ref: entry.ref }) > this.limits_.frameBytes) {
      throw new ParleyError('too_large', `a frame has at most ${this.limits_.frameBytes} bytes`, { room });
    }
    this.outbox.add(room, entry);
    state.pending.set(entry.ref, pendingFrom(entry));
    clearTimeout(state.typingTimer); // the message itself ends the indicator on the other side
    state.typingTimer = null;
    this.emitPending(state);
    this.flush(state);
    return entry.ref;
  }

  /**
   * Tells the room the user is typing: at most one frame per 2 s (the server forwards no more). A call inside
   * that window is sent when it ends, unless a message is sent first or `typing(room, false)` withdraws it
   * (the composer was emptied).
   */
  typing(room, active = true) {
    const state = this.rooms_.get(room);
    if (state && !active) {
      clearTimeout(state.typingTimer);
      state.typingTimer = null;
    }
    if (!state || !active || state.typingTimer) return;
    const wait = state.lastTypingSent + TYPING_SEND_EVERY - Date.now();
    if (wait > 0) {
      state.typingTimer = setTimeout(() => {
        state.typingTimer = null;
        this.typing(room);
      }, wait + TYPING_MARGIN);
      return;
    }
    if (state.joined && this.connection.send({ type: 'typing', room })) state.lastTypingSent = Date.now();
  }

  /** The room's unsent messages, in the order written: `{ref, text, ts, state, code?}`. */
  pending(room) {
    const state = this.rooms_.get(room);
    return state ? Array.from(state.pending.values(), (p) => this.pendingView(p)) : [];
  }

  /** Forgets a message the server refused (state `failed`). True when there was one. */
  dismiss(room, ref) {
    const state = this.rooms_.get(room);
    const pending = state && state.pending.get(ref);
    if (!pending || !pending.failed) return false;
    state.pending.delete(ref);
    this.emitPending(state);
    return true;
  }

  /** The room's messages kept in memory (the last 500), oldest first. */
  messages(room) {
    const state = this.rooms_.get(room);
    return state ? state.messages.slice() : [];
  }

  /** Who is in the room: `members` (null in a large room, where only `count` is known) and `count`. */
  presence(room) {
    const state = this.rooms_.get(room);
    return state ? presenceView(state) : { members: [], count: 0 };
  }

  /** The other users typing in the room now. */
  typingUsers(room) {
    const state = this.rooms_.get(room);
    return state ? Array.from(state.typing.values(), (t) => ({ ...t.user })) : [];
  }

  /** True once the room's join has been answered on the current connection. */
  isJoined(room) {
    const state = this.rooms_.get(room);
    return !!(state && state.joined);
  }

  // ------------------------------------------------------------------ identity

  userKey() {
    return 'parley:v1:user:' + this.serverKey;
  }

  /** Who we probably are before the server says so: enough to show this user's unsent messages. */
  setProvisionalUser(user) {
    if (this.welcomed) return;
    this.user_ = { id: user.id, name: user.name || user.id };
    if (this.outbox.setUser(this.user_.id)) this.restorePending();
  }

  isOwn(message) {
    return message.user != null && this.user_ != null && message.user.id === this.user_.id;
  }

  checkOpen() {
    if (this.closed || this.state === 'stopped') throw new ParleyError('closed', 'the client is closed');
  }

  // ------------------------------------------------------------------ frames

  onFrame(frame) {
    switch (frame.type) {
      case 'welcome': return this.onWelcome(frame);
      case 'joined': return this.onJoined(frame);
      case 'message': return this.onMessage(frame);
      case 'ack': return this.onAck(frame);
      case 'presence': return this.onPresence(frame);
      case 'typing': return this.onTyping(frame);
      case 'error': return this.onError(frame);
      default: return undefined; // unknown frames are ignored: the protocol may grow
    }
  }

  onWelcome(frame) {
    this.serial++;
    this.limits_ = resolveLimits(frame.limits);
    const user = isUser(frame.user) ? { id: frame.user.id, name: frame.user.name || frame.user.id } : this.user_;
    const first = !this.welcomed;
    const userChanged = !first && this.user_ != null && user != null && this.user_.id !== user.id;
    this.welcomed = true;
    this.user_ = user;
    if (user) this.store.write(this.userKey(), user);
    if (userChanged) {
      // Another account (a logout and login elsewhere): what we held was someone else's view.
      for (const room of this.rooms_.values()) resetRoom(room);
    }
    if ((user && this.outbox.setUser(user.id)) || userChanged) this.restorePending();
    this.#events.emit('welcome', { user: this.user, limits: this.limits_, first, userChanged });
    for (const room of this.rooms_.values()) {
      room.joined = false;
      room.joining = false;
      this.sendJoin(room);
    }
  }

  sendJoin(room) {
    if (this.state !== 'online' || room.joining || room.joined) return;
    const frame = { type: 'join', room: room.name };
    // Resume where we stopped: the server sends everything after the cursor, nothing twice.
    if (room.lastId) frame.since = room.lastId;
    room.joining = this.connection.send(frame);
    room.resuming = room.joining && room.lastId != null;
  }

  onJoined(frame) {
    const room = this.rooms_.get(frame.room);
    if (!room) return;
    room.joined = true;
    room.joining = false;
    room.forbidden = false;
    if (Array.isArray(frame.members)) room.members = new Map(frame.members.filter(isUser).map((u) => [u.id, publicUser(u)]));
    room.memberCount = typeof frame.memberCount === 'number' ? frame.memberCount : null;
    const resumed = room.resuming;
    room.resuming = false;
    const complete = frame.complete !== false;
    const history = Array.isArray(frame.history) ? frame.history : [];
    const pendingBefore = room.pending.size;
    const firstLoad = [];
    if (!resumed) {
      for (const message of history) {
        const accepted = this.receive(room, message, false);
        if (accepted) firstLoad.push(accepted);
      }
    }
    this.#events.emit('joined', { room: room.name, resumed, complete, history: firstLoad, ...presenceView(room) });
    // Caught-up messages are new to the reader: they arrive as live ones do.
    if (resumed) for (const message of history) this.receive(room, message, true);
    this.#events.emit('presence', { room: room.name, event: 'sync', ...presenceView(room) });
    this.loadPending(room); // another tab of this user may have queued messages meanwhile
    if (room.pending.size !== pendingBefore) this.emitPending(room);
    this.flush(room);
  }

  onMessage(frame) {
    const room = this.rooms_.get(frame.room);
    if (room) this.receive(room, frame, true);
  }

  /**
   * One message, live or from history; returns it when it is new, null when it is a duplicate or malformed.
   * `fresh` messages (live, or caught up after a reconnect) are announced with a `message` event.
   */
  receive(room, raw, fresh) {
    if (!isMessage(raw)) return null;
    room.lastId = raw.id;
    const own = this.isOwn(raw);
    const pending = own && raw.ref ? room.pending.get(raw.ref) : null;
    if (pending) return this.resolvePending(room, pending, raw, fresh);
    if (room.ids.has(raw.id)) return null; // resumed history overlapping live frames
    const message = publicMessage(raw);
    if (message.user) this.stopTyping(room, message.user.id);
    this.store_(room, message);
    if (fresh) this.#events.emit('message', { room: room.name, message, own });
    return message;
  }

  store_(room, message) {
    room.messages.push(message);
    room.ids.add(message.id);
    if (room.messages.length > RETAINED_PER_ROOM) {
      for (const old of room.messages.splice(0, room.messages.length - RETAINED_PER_ROOM)) room.ids.delete(old.id);
    }
  }

  onAck(frame) {
    if (typeof frame.ref !== 'string' || typeof frame.id !== 'string') return;
    for (const room of this.rooms_.values()) {
      const pending = room.pending.get(frame.ref);
      if (pending) {
        this.resolvePending(room, pending, { id: frame.id, ts: frame.ts, user: this.user_, text: pending.text, ref: pending.ref }, true);
        return;
      }
    }
  }

  /** A queued message is accepted (its ack, or its own broadcast): it leaves the outbox and is shown once. */
  resolvePending(room, pending, raw, fresh) {
    room.pending.delete(pending.ref);
    this.outbox.remove(room.name, pending.ref);
    this.emitPending(room);
    if (room.ids.has(raw.id)) return null;
    const message = publicMessage({ ...raw, user: raw.user || this.user_, text: typeof raw.text === 'string' ? raw.text : pending.text, ts: typeof raw.ts === 'number' ? raw.ts : pending.ts, kind: 'user', ref: pending.ref });
    this.store_(room, message);
    if (fresh) this.#events.emit('message', { room: room.name, message, own: true });
    return message;
  }

  onPresence(frame) {
    const room = this.rooms_.get(frame.room);
    if (!room) return;
    if (frame.event === 'count' && typeof frame.count === 'number') {
      room.memberCount = frame.count;
    } else if (isUser(frame.user) && frame.event === 'join') {
      room.members.set(frame.user.id, publicUser(frame.user));
    } else if (isUser(frame.user) && frame.event === 'leave') {
      room.members.delete(frame.user.id);
      this.stopTyping(room, frame.user.id);
    } else {
      return;
    }
    this.#events.emit('presence', {
      room: room.name, event: frame.event, user: isUser(frame.user) ? publicUser(frame.user) : undefined, ...presenceView(room),
    });
  }

  onTyping(frame) {
    const room = this.rooms_.get(frame.room);
    if (!room || !isUser(frame.user) || (this.user_ && frame.user.id === this.user_.id)) return;
    const previous = room.typing.get(frame.user.id);
    if (previous) clearTimeout(previous.timer);
    const timer = setTimeout(() => this.stopTyping(room, frame.user.id), TYPING_SHOW_FOR);
    room.typing.set(frame.user.id, { user: publicUser(frame.user), timer });
    this.emitTyping(room);
  }

  stopTyping(room, userId) {
    const entry = room.typing.get(userId);
    if (!entry) return;
    clearTimeout(entry.timer);
    room.typing.delete(userId);
    this.emitTyping(room);
  }

  emitTyping(room) {
    this.#events.emit('typing', { room: room.name, users: this.typingUsers(room.name) });
  }

  onError(frame) {
    const code = typeof frame.code === 'string' ? frame.code : 'internal';
    this.#events.emit('error', { code, message: frame.message, room: frame.room, ref: frame.ref });
    if (typeof frame.ref === 'string') {
      for (const room of this.rooms_.values()) {
        const pending = room.pending.get(frame.ref);
        if (pending) return this.sendFailed(room, pending, code);
      }
    }
    if (code === 'forbidden' && typeof frame.room === 'string') {
      const room = this.rooms_.get(frame.room);
      if (room && !room.joined) {
        room.joining = false;
        room.forbidden = true;
        for (const pending of room.pending.values()) this.sendFailed(room, pending, 'forbidden');
        this.#events.emit('forbidden', { room: room.name });
      }
    }
    return undefined;
  }

  sendFailed(room, pending, code) {
    pending.sentOn = null;
    if (code === 'rate_limited' || code === 'internal') {
      // Transient: the same ref goes again, later each time.
      pending.retries++;
      pending.retryAt = Date.now() + Math.min(30000, 1000 * 2 ** pending.retries) * (0.5 + this.connection.random() / 2);
      this.scheduleFlush(room, pending.retryAt - Date.now());
    } else if (code === 'not_joined') {
      room.joined = false;
      this.sendJoin(room); // the answer's flush sends it again
    } else {
      // Permanent (too_large, bad_request, forbidden): reported, kept until dismissed, never retried.
      pending.failed = true;
      pending.code = code;
      this.outbox.remove(room.name, pending.ref);
    }
    this.emitPending(room);
  }

  // ------------------------------------------------------------------ connection state

  onState(state, detail) {
    if (state !== 'online') {
      for (const room of this.rooms_.values()) {
        room.joined = false;
        room.joining = false;
      }
    }
    this.#events.emit('state', { state, code: detail.code, retryIn: detail.retryIn });
    for (const room of this.rooms_.values()) if (room.pending.size) this.emitPending(room);
  }

  // ------------------------------------------------------------------ the outbox

  restorePending() {
    for (const room of this.rooms_.values()) {
      room.pending.clear();
      this.loadPending(room);
      this.emitPending(room);
    }
  }

  loadPending(room) {
    for (const entry of this.outbox.list(room.name)) {
      if (!room.pending.has(entry.ref)) room.pending.set(entry.ref, pendingFrom(entry));
    }
  }

  /** Sends what the outbox holds for a joined room, in order, each ref once per connection, paced under the rate limit. */
  flush(room) {
    if (this.state !== 'online' || !room.joined) return;
    let sent = false;
    for (const pending of room.pending.values()) {
      if (pending.failed || pending.sentOn === this.serial) continue;
      if (pending.retryAt > Date.now()) continue;
      const wait = this.paceWait();
      if (wait > 0) {
        this.scheduleFlush(room, wait);
        break;
      }
      if (!this.connection.send({ type: 'send', room: room.name, text: pending.text, ref: pending.ref })) break;
      this.recentSends.push(Date.now());
      pending.sentOn = this.serial;
      sent = true;
    }
    if (sent) this.emitPending(room);
  }

  /** Milliseconds until another outbox frame fits in the pace (0: now). */
  paceWait() {
    const now = Date.now();
    this.recentSends = this.recentSends.filter((t) => now - t < 1000);
    return this.recentSends.length < outboxPace(this.limits_) ? 0 : this.recentSends[0] + 1000 - now;
  }

  scheduleFlush(room, delay) {
    if (this.flushTimers.has(room.name)) return;
    this.flushTimers.set(room.name, setTimeout(() => {
      this.flushTimers.delete(room.name);
      if (this.rooms_.get(room.name) === room) this.flush(room);
    }, Math.max(0, delay)));
  }

  pendingView(pending) {
    const sending = this.state === 'online' && pending.sentOn === this.serial;
    const view = { ref: pending.ref, text: pending.text, ts: pending.ts, state: pending.failed ? 'failed' : sending ? 'sending' : 'waiting' };
    if (pending.failed) view.code = pending.code;
    return view;
  }

  emitPending(room) {
    this.#events.emit('pending', { room: room.name, entries: this.pending(room.name) });
  }
}

// ------------------------------------------------------------------ helpers

function newRoom(name) {
  return {
    name,
    messages: [],
    ids: new Set(),           // ids of `messages`, for de-duplication
    lastId: null,             // the `since` cursor: the last message id received in this room
    members: new Map(),       // user id -> user
    memberCount: null,        // set for large rooms, where the server sends counts, not lists
    joined: false,
    joining: false,
    resuming: false,          // the pending join carries `since`
    forbidden: false,
    typing: new Map(),        // user id -> {user, timer}
    typingTimer: null,        // our own trailing typing signal
    lastTypingSent: 0,
    pending: new Map(),       // ref -> {ref, text, ts, sentOn, failed, code, retries, retryAt}
  };
}

function resetRoom(room) {
  room.messages = [];
  room.ids.clear();
  room.lastId = null;
}

function clearRoomTimers(room) {
  clearTimeout(room.typingTimer);
  for (const entry of room.typing.values()) clearTimeout(entry.timer);
}

function pendingFrom(entry) {
  return { ref: entry.ref, text: entry.text, ts: entry.ts || Date.now(), sentOn: null, failed: false, code: null, retries: 0, retryAt: 0 };
}

function presenceView(room) {
  return {
    members: room.memberCount == null ? Array.from(room.members.values(), (u) => ({ ...u })) : null,
    count: room.memberCount != null ? room.memberCount : room.members.size,
  };
}

function isUser(value) {
  return value != null && typeof value === 'object' && typeof value.id === 'string';
}

function isMessage(value) {
  return value != null && typeof value === 'object' && typeof value.id === 'string'
    && typeof value.text === 'string' && (value.user == null || isUser(value.user));
}

function publicUser(user) {
  return { id: user.id, name: typeof user.name === 'string' ? user.name : user.id };
}

function publicMessage(raw) {
  const message = {
    id: raw.id,
    user: raw.user ? publicUser(raw.user) : null,
    text: raw.text,
    ts: typeof raw.ts === 'number' ? raw.ts : Date.now(),
    kind: raw.kind === 'system' || !raw.user ? 'system' : 'user',
  };
  if (typeof raw.ref === 'string') message.ref = raw.ref;
  if (raw.meta && typeof raw.meta === 'object') message.meta = raw.meta;
  return message;
}

function frameBytes(frame) {
  return new TextEncoder().encode(JSON.stringify(frame)).length;
}

function positive(value, fallback) {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

/** The WebSocket URL and the key the outbox is stored under, from `server` (http base) or `url` (ws). */
function endpoint(options) {
  const base = globalThis.document ? globalThis.document.baseURI : undefined;
  if (options.url) {
    const url = new URL(options.url, base);
    return { url: url.href, serverKey: url.href };
  }
  if (!options.server) throw new ParleyError('bad_request', 'ParleyClient needs `server` (http base URL) or `url` (ws URL)');
  const server = new URL(options.server, base);
  if (!server.pathname.endsWith('/')) server.pathname += '/';
  server.search = '';
  server.hash = '';
  const url = new URL('ws', server);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return { url: url.href, serverKey: server.href };
}

function tokenSource(options) {
  if (typeof options.getToken === 'function') return options.getToken;
  if (options.tokenUrl) {
    const extra = options.tokenBody;
    return tokenUrlSource(options.tokenUrl, () => {
      const body = typeof extra === 'function' ? extra() : extra;
      return body && typeof body === 'object' ? body : {};
    });
  }
  throw new ParleyError('bad_request', 'ParleyClient needs `getToken` or `tokenUrl`');
}

function storageFrom(storage) {
  if (storage == null) return defaultStorage();
  if (typeof storage.getItem === 'function') return webStorage(storage);
  throw new ParleyError('bad_request', '`storage` must be a Web Storage object (getItem, setItem, removeItem)');
}
