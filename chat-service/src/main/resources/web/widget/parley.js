/*!
 * Parley chat widget: one dependency-free ES2020 file, no build step.
 *
 *   <script src="https://chat.example.com/widget/parley.js" data-token-url="/chat/token"
 *           data-rooms="lobby,team-7:general" async></script>
 *
 * Everything lives in a Shadow DOM; the only global is window.Parley. All text coming from the
 * network is rendered with textContent (never innerHTML), and the token lives in memory only.
 * Reference: docs/widget.md. Wire protocol: docs/protocol.md, section 1 (WebSocket).
 */
(() => {
  'use strict';

  // Loaded twice (two tags, or a tag plus a bundler copy): the first copy keeps running.
  if (window.Parley && typeof window.Parley.mount === 'function') return;

  const VERSION = '1.0.0';
  const SCRIPT = document.currentScript; // null when this file is injected as a module or eval'd

  /** Every user-visible string, in one place for translation. `{name}` placeholders; objects are plural forms. */
  const STRINGS = Object.freeze({
    title: 'Chat',
    openChat: 'Open chat',
    closeChat: 'Close chat',
    launcherUnread: { one: 'Open chat, {count} unread message', other: 'Open chat, {count} unread messages' },
    roomsLabel: 'Rooms',
    tabUnread: { one: '{count} unread', other: '{count} unread' },
    messagesLabel: 'Messages in {room}',
    composerLabel: 'Message {room}',
    composerPlaceholder: 'Write a message…',
    composerHint: 'Enter to send, Shift+Enter for a new line',
    send: 'Send',
    you: 'You',
    systemAuthor: 'Notice',
    someone: 'Someone',
    online: { one: '{count} online', other: '{count} online' },
    peopleLabel: 'People in {room}',
    peopleShow: 'Show people in this room',
    peopleYou: '{name} (you)',
    peopleTooMany: 'This room is too large to list everyone.',
    typingOne: '{name} is typing…',
    typingTwo: '{first} and {second} are typing…',
    typingMany: 'Several people are typing…',
    statusConnecting: 'Connecting…',
    statusOffline: 'Connection lost. Reconnecting… Messages you write will be sent when it is back.',
    statusStopped: 'You have been disconnected from chat.',
    statusSignedOut: 'Sign in to chat.',
    retryNow: 'Retry now',
    pendingSending: 'Sending…',
    pendingWaiting: 'Waiting for connection',
    failed: 'Not sent: {reason}',
    dismiss: 'Dismiss',
    errorTooLarge: 'the message is too long.',
    errorForbidden: 'you cannot write in this room.',
    errorInvalid: 'the server refused it.',
    roomForbidden: 'You do not have access to this room.',
    gap: 'Some earlier messages are no longer available.',
    empty: 'No messages yet. Say hello!',
    jumpToLatest: 'New messages ↓',
    charsLeft: { one: '{count} character left', other: '{count} characters left' },
  });

  // Protocol and behaviour constants. Times in milliseconds unless the name says otherwise.
  const ROOM_NAME = /^[A-Za-z0-9_.:-]{1,64}$/;
  const MAX_TEXT = 4000;                // protocol default text limit
  const TYPING_SEND_EVERY = 2000;       // the server forwards at most one typing frame per 2 s anyway
  const TYPING_MARGIN = 100;            // so our window never ends just before the server's does
  const TYPING_SHOW_FOR = 3000;
  const REFRESH_LEAD = 60000;           // refresh the token this long before it expires
  const TOKEN_REUSE_MARGIN = 30000;     // a cached token closer than this to expiry is not reused
  const STABLE_CONNECTION = 10000;      // a connection that lived this long resets the backoff
  const DRAIN_SPREAD = 3000;            // 1012 (restart): reconnect after a random delay up to this
  const LIMIT_FLOOR = 5000;             // 4429 (too many connections): never retry faster than this
  const CONNECT_TIMEOUT = 15000;        // no welcome this long after opening: drop and retry
  const FLUSH_BURST = 8;                // outbox frames per second, under the server's 10/s rate limit
  const RETAINED_PER_ROOM = 500;        // messages kept in memory per room
  const NEAR_BOTTOM_PX = 48;
  const TOKEN_TIMEOUT = 15000;          // a host endpoint that hangs must not stall reconnection forever

  const instances = [];
  const ownShadowRoots = new WeakSet();

  // ---------------------------------------------------------------- small helpers

  /** Builds an element. Strings in `children` become text nodes, so data can never become markup. */
  function h(tag, props, ...children) {
    const el = document.createElement(tag);
    if (props) {
      for (const [key, value] of Object.entries(props)) {
        if (value == null || value === false) continue;
        if (key === 'class') el.className = value;
        else if (key === 'text') el.textContent = value;
        else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
        else el.setAttribute(key, value === true ? '' : String(value));
      }
    }
    for (const child of children) if (child != null && child !== false) el.append(child);
    return el;
  }

  /** Static SVG icons, built node by node (no markup parsing). */
  function icon(pathData) {
    const ns = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    const path = document.createElementNS(ns, 'path');
    path.setAttribute('d', pathData);
    svg.append(path);
    return svg;
  }
  const ICON_CHAT = 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z';
  const ICON_CLOSE = 'M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12 19 17.6 17.6 19 12 13.4 6.4 19 5 17.6 10.6 12 5 6.4z';
  const ICON_SEND = 'M3 20.5 21 12 3 3.5v6.6l12 1.9-12 1.9z';

  function makeTranslator(strings, locale) {
    let plural;
    let numbers;
    try {
      plural = new Intl.PluralRules(locale);
      numbers = new Intl.NumberFormat(locale);
    } catch (e) {
      plural = new Intl.PluralRules();
      numbers = new Intl.NumberFormat();
    }
    return (key, params = {}) => {
      let text = strings[key];
      if (text && typeof text === 'object') text = text[plural.select(params.count ?? 0)] ?? text.other;
      if (typeof text !== 'string') return key;
      return text.replace(/\{(\w+)\}/g, (match, name) => {
        if (!(name in params)) return match;
        const value = params[name];
        return typeof value === 'number' ? numbers.format(value) : String(value);
      });
    };
  }

  /** localStorage that never throws (it does in private modes, with cookies blocked, or when full). */
  const storage = {
    read(key) {
      try {
        const raw = window.localStorage.getItem(key);
        return raw ? JSON.parse(raw) : null;
      } catch (e) {
        return null;
      }
    },
    write(key, value) {
      try {
        window.localStorage.setItem(key, JSON.stringify(value));
      } catch (e) { /* storage unavailable: the widget still works, without surviving a reload */ }
    },
    remove(key) {
      try {
        window.localStorage.removeItem(key);
      } catch (e) { /* as above */ }
    },
  };

  /** A client reference for `send`: random, so the server's ref de-duplication spans reloads and tabs. */
  function newRef() {
    const bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return 'w-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  /**
   * Reads a JWT's claims without verifying it: only to learn who we probably are (to show the
   * outbox before the server answers) and when the token expires (to reuse or refresh it).
   * Trust comes from the server, never from this.
   */
  function readClaims(token) {
    try {
      const payload = token.split('.')[1];
      const binary = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
      const claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
      return claims && typeof claims === 'object' ? claims : {};
    } catch (e) {
      return {};
    }
  }

  function isUser(value) {
    return value != null && typeof value === 'object' && typeof value.id === 'string';
  }

  function isMessage(value) {
    return value != null && typeof value === 'object' && typeof value.id === 'string'
      && typeof value.text === 'string' && (value.user == null || isUser(value.user));
  }

  function parseRooms(value) {
    const list = Array.isArray(value) ? value : String(value || '').split(',');
    const rooms = [];
    const labels = {};
    for (const entry of list) {
      const raw = String(entry).trim();
      if (!raw) continue;
      // "team-7:general=Team chat": a display label after '=' (room names never contain '=').
      const eq = raw.indexOf('=');
      const name = (eq < 0 ? raw : raw.slice(0, eq)).trim();
      if (!ROOM_NAME.test(name)) {
        console.warn('[parley] ignoring invalid room name:', name);
        continue;
      }
      if (eq >= 0 && raw.slice(eq + 1).trim()) labels[name] = raw.slice(eq + 1).trim();
      if (!rooms.includes(name)) rooms.push(name);
    }
    return { rooms, labels };
  }

  function boolOption(value, fallback) {
    if (value === undefined || value === null || value === '') return fallback;
    if (typeof value === 'boolean') return value;
    return !/^(false|0|no|off)$/i.test(String(value));
  }

  function numberOption(value, fallback) {
    const n = Number(value);
    return Number.isFinite(n) && n >= 0 ? n : fallback;
  }

  function normaliseServer(server) {
    const url = new URL(server, document.baseURI);
    if (!url.pathname.endsWith('/')) url.pathname += '/';
    url.search = '';
    url.hash = '';
    return url;
  }

  /** `https://host/prefix/` becomes `wss://host/prefix/ws`. */
  function webSocketUrl(server) {
    const url = new URL('ws', server);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    return url.href;
  }

  /** The script's own server: the folder above /widget/parley.js, so a path prefix behind a proxy works. */
  function defaultServer() {
    if (SCRIPT && SCRIPT.src) return new URL('../', SCRIPT.src).href;
    return window.location.origin + '/';
  }

  function tokenError(kind, message) {
    const error = new Error(message);
    error.kind = kind;
    return error;
  }

  /** The host site's token endpoint: POST with the session cookie (and Rails' CSRF token when the page has one). */
  function tokenUrlSource(tokenUrl, bodyFor) {
    const url = new URL(tokenUrl, document.baseURI);
    return async () => {
      const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
      const csrf = document.querySelector('meta[name="csrf-token"]');
      if (url.origin === window.location.origin && csrf && csrf.content) headers['X-CSRF-Token'] = csrf.content;
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(), TOKEN_TIMEOUT);
      let response;
      try {
        response = await fetch(url.href, {
          method: 'POST',
          credentials: 'same-origin',
          cache: 'no-store',
          headers,
          body: JSON.stringify(bodyFor()),
          signal: abort.signal,
        });
      } finally {
        clearTimeout(timer);
      }
      if (response.status === 401 || response.status === 403) throw tokenError('signed-out', 'not signed in');
      if (!response.ok) throw tokenError('unavailable', 'token endpoint answered ' + response.status);
      const data = await response.json();
      if (!data || typeof data.token !== 'string' || !data.token) throw tokenError('unavailable', 'no token in answer');
      return data.token;
    };
  }

  function emitterCall(fn, payload) {
    try {
      fn(payload);
    } catch (e) {
      console.error('[parley] event handler failed', e);
    }
  }

  // ---------------------------------------------------------------- the connection

  /**
   * One WebSocket to the chat service, kept alive across network loss, token expiry and deploys.
   * It authenticates, refreshes the token in-band, detects dead sockets with application pings, and
   * reconnects with exponential backoff and full jitter, honouring the close codes of the protocol.
   * Room state (joins, history, outbox) belongs to the widget; this class only moves frames.
   */
  class ChatClient {
    constructor({ url, tokenSource, backoffBase, backoffCap, onFrame, onState, onToken }) {
      this.url = url;
      this.tokenSource = tokenSource;
      this.backoffBase = backoffBase;
      this.backoffCap = backoffCap;
      this.onFrame = onFrame;
      this.onState = onState;
      this.onToken = onToken;
      this.state = 'idle';
      this.ws = null;
      this.attempt = 0;
      this.generation = 0;
      this.halted = false;
      this.token = null;           // memory only: never in storage, never in a URL
      this.tokenExpiresAt = 0;     // local clock, ms
      this.tokenRequest = null;
      this.skew = 0;               // token issuer's clock minus ours, from `iat`
      this.heartbeatMs = 25000;
      this.awaitingPong = false;
      this.welcomedAt = 0;
      this.timers = new Map();
      this.handleOnline = () => {
        this.attempt = 0; // a network that just came back deserves a fresh start, not a long backoff
        this.retryNow();
      };
      this.handleOffline = () => this.drop();
      window.addEventListener('online', this.handleOnline);
      window.addEventListener('offline', this.handleOffline);
    }

    start() {
      if (this.state === 'idle') this.connect();
    }

    /** Connect now instead of waiting for the next scheduled attempt (user action, network back). */
    retryNow() {
      if (this.halted || this.ws || this.state === 'connecting') return;
      this.connect();
    }

    /** Sends one frame on an authenticated socket; false when there is none (the caller keeps it). */
    send(frame) {
      const ws = this.ws;
      if (!ws || this.state !== 'online' || ws.readyState !== WebSocket.OPEN) return false;
      ws.send(JSON.stringify(frame));
      return true;
    }

    destroy() {
      this.halted = true;
      window.removeEventListener('online', this.handleOnline);
      window.removeEventListener('offline', this.handleOffline);
      for (const id of this.timers.values()) clearTimeout(id);
      this.timers.clear();
      const ws = this.ws;
      this.ws = null;
      if (ws) {
        detach(ws);
        ws.close(1000, 'widget destroyed');
      }
      this.token = null;
      this.setState('destroyed');
    }

    // -- internals

    setState(state, detail = {}) {
      this.state = state;
      this.onState(state, detail);
    }

    timer(name, delay, fn) {
      this.clearTimer(name);
      this.timers.set(name, setTimeout(() => {
        this.timers.delete(name);
        fn();
      }, delay));
    }

    clearTimer(name) {
      const id = this.timers.get(name);
      if (id !== undefined) clearTimeout(id);
      this.timers.delete(name);
    }

    backoff() {
      // Full jitter: a uniformly random delay up to the exponential ceiling spreads a thundering herd.
      return Math.random() * Math.min(this.backoffCap, this.backoffBase * 2 ** this.attempt);
    }

    async getToken(fresh) {
      if (!fresh && this.token && this.tokenExpiresAt - Date.now() > TOKEN_REUSE_MARGIN) return this.token;
      if (!this.tokenRequest) {
        this.tokenRequest = (async () => {
          let timer;
          const timeout = new Promise((resolve, reject) => {
            timer = setTimeout(() => reject(tokenError('unavailable', 'token request timed out')), TOKEN_TIMEOUT + 1000);
          });
          const token = await Promise.race([this.tokenSource(), timeout]).finally(() => clearTimeout(timer));
          if (token == null || token === '') throw tokenError('signed-out', 'no token');
          if (typeof token !== 'string') throw tokenError('unavailable', 'token is not a string');
          const claims = readClaims(token);
          if (typeof claims.iat === 'number') this.skew = claims.iat * 1000 - Date.now();
          this.token = token;
          this.tokenExpiresAt = typeof claims.exp === 'number' ? claims.exp * 1000 - this.skew : 0;
          this.onToken(claims);
          return token;
        })().finally(() => {
          this.tokenRequest = null;
        });
      }
      return this.tokenRequest;
    }

    /** `force`: try even though the browser says it is offline (the fallback for a wrong navigator.onLine). */
    async connect(force = false) {
      this.clearTimer('retry');
      if (this.halted || this.ws) return;
      if (navigator.onLine === false && !force) {
        // An attempt now would fail, and might still be in flight when the 'online' event comes.
        this.scheduleRetry(this.backoffCap, 0);
        return;
      }
      const generation = ++this.generation;
      this.setState('connecting');
      let token;
      try {
        token = await this.getToken(false);
      } catch (error) {
        if (generation !== this.generation || this.halted) return;
        if (error.kind === 'signed-out') {
          // Nothing to retry until the user signs in; open() or the network coming back tries again.
          this.setState('signed-out');
          return;
        }
        console.warn('[parley] could not get a chat token:', error.message);
        this.scheduleRetry(this.backoff(), 0);
        this.attempt++;
        return;
      }
      if (generation !== this.generation || this.halted) return;

      let ws;
      try {
        ws = new WebSocket(this.url);
      } catch (error) {
        console.warn('[parley] cannot open', this.url, error.message);
        this.scheduleRetry(this.backoff(), 0);
        this.attempt++;
        return;
      }
      this.ws = ws;
      this.awaitingPong = false;
      ws.onopen = () => ws.send(JSON.stringify({ type: 'auth', token }));
      ws.onmessage = (event) => this.receive(ws, event);
      ws.onclose = (event) => this.closed(ws, event.code);
      ws.onerror = () => { /* a close event with the code follows */ };
      // A handshake into a black hole can hang for minutes; give up and try again.
      this.timer('connect', CONNECT_TIMEOUT, () => this.drop());
    }

    receive(ws, event) {
      if (ws !== this.ws) return;
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch (e) {
        return;
      }
      if (!frame || typeof frame.type !== 'string') return;
      this.awaitingPong = false; // any frame proves the socket is alive
      switch (frame.type) {
        case 'welcome':
          this.clearTimer('connect');
          this.welcomedAt = Date.now();
          if (typeof frame.heartbeat === 'number' && frame.heartbeat > 0) this.heartbeatMs = frame.heartbeat * 1000;
          this.scheduleHeartbeat();
          this.scheduleRefresh(frame.expires);
          this.setState('online');
          break;
        case 'refreshed':
          this.scheduleRefresh(frame.expires);
          return;
        case 'pong':
          return;
        default:
          break;
      }
      this.onFrame(frame);
    }

    /**
     * Browsers cannot see WebSocket pings, so a socket that died without a close (sleep, Wi-Fi
     * change) would look open for minutes. An application ping every half heartbeat, and a drop
     * when the previous one got no frame back, bounds that to about one heartbeat.
     */
    scheduleHeartbeat() {
      const every = Math.max(5000, this.heartbeatMs / 2);
      this.timer('heartbeat', every, () => {
        if (!this.ws || this.state !== 'online') return;
        if (this.awaitingPong) {
          this.drop();
          return;
        }
        this.awaitingPong = true;
        this.send({ type: 'ping' });
        this.scheduleHeartbeat();
      });
    }

    scheduleRefresh(expiresSeconds) {
      if (typeof expiresSeconds !== 'number') return;
      const left = expiresSeconds * 1000 - this.skew - Date.now();
      // Short-lived tokens (under two minutes) are refreshed half-way through their life instead.
      const delay = Math.max(5000, left - Math.min(REFRESH_LEAD, left / 2));
      this.timer('refresh', delay, () => this.refresh());
    }

    async refresh() {
      const ws = this.ws;
      if (!ws || this.state !== 'online') return;
      try {
        const token = await this.getToken(true);
        if (ws === this.ws && this.state === 'online') ws.send(JSON.stringify({ type: 'refresh', token }));
      } catch (error) {
        // The socket keeps working until the old token expires; if the server then closes 4401, the
        // normal reconnect path fetches a token again.
        if (error.kind !== 'signed-out' && ws === this.ws) this.timer('refresh', 15000, () => this.refresh());
      }
    }

    /** Abandons the current socket at once (it may be dead) and reconnects as after an abnormal close. */
    drop() {
      const ws = this.ws;
      if (!ws) return;
      detach(ws);
      try {
        ws.close(4000, 'client gave up on this socket');
      } catch (e) { /* already closing */ }
      this.closed(ws, 1006);
    }

    closed(ws, code) {
      if (ws !== this.ws) return;
      this.ws = null;
      this.clearTimer('connect');
      this.clearTimer('heartbeat');
      this.clearTimer('refresh');
      const wasOnline = this.state === 'online';
      if (this.halted) return;
      if (code === 4403) {
        // The application disconnected this user on purpose: reconnecting would defeat it.
        this.halted = true;
        this.setState('stopped', { code });
        return;
      }
      if (wasOnline && Date.now() - this.welcomedAt >= STABLE_CONNECTION) this.attempt = 0;
      let delay;
      if (code === 4401) {
        this.token = null; // expired or revoked: the next attempt fetches a new one
        delay = this.attempt === 0 ? 0 : this.backoff();
      } else if (code === 1012) {
        delay = Math.random() * DRAIN_SPREAD; // a deploy: every client reconnecting at once would stampede
      } else if (code === 4429) {
        delay = Math.max(LIMIT_FLOOR, this.backoff());
      } else {
        delay = this.backoff(); // 1001, 1006, 4503, 4408, 4400, 1009, 1011, anything else
      }
      this.attempt++;
      this.scheduleRetry(delay, code);
    }

    scheduleRetry(delay, code) {
      this.setState('offline', { code, retryIn: Math.round(delay) });
      // While the browser knows it is offline, attempts would fail at once: the 'online' event
      // retries immediately, and a slow timer stays as a fallback for an unreliable navigator.onLine.
      if (navigator.onLine === false) this.timer('retry', Math.max(delay, this.backoffCap), () => this.connect(true));
      else this.timer('retry', delay, () => this.connect());
    }
  }

  function detach(ws) {
    ws.onopen = null;
    ws.onmessage = null;
    ws.onclose = null;
    ws.onerror = null;
  }

  // ---------------------------------------------------------------- the outbox

  /**
   * Messages written but not yet acknowledged, per room, mirrored in localStorage under a key
   * namespaced by server, user and room, so they survive a reload and are re-sent with the same
   * `ref` (the server de-duplicates on it). Storage is the source of truth: every change is a
   * read-modify-write, so two tabs of the same user do not erase each other's entries.
   */
  class Outbox {
    constructor(serverKey, persistent) {
      this.serverKey = serverKey;
      this.backend = persistent ? storage : memoryStore();
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
      for (const [room, entries] of carried) for (const entry of entries) this.add(room, entry);
      this.unowned = new Map();
      return true;
    }

    list(room) {
      if (this.userId == null) return (this.unowned.get(room) || []).slice();
      const entries = this.backend.read(this.key(room));
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
      this.backend.write(this.key(room), entries);
    }

    remove(room, ref) {
      if (this.userId == null) {
        const entries = this.unowned.get(room);
        if (entries) this.unowned.set(room, entries.filter((e) => e.ref !== ref));
        return;
      }
      const entries = this.list(room).filter((e) => e.ref !== ref);
      if (entries.length) this.backend.write(this.key(room), entries);
      else this.backend.remove(this.key(room));
    }
  }

  /** The outbox's store when persistence is switched off: same shape as `storage`, gone on reload. */
  function memoryStore() {
    const map = new Map();
    return {
      read: (key) => (map.has(key) ? map.get(key).slice() : null),
      write: (key, value) => map.set(key, value.slice()),
      remove: (key) => map.delete(key),
    };
  }

  // ---------------------------------------------------------------- per-room state

  class Room {
    constructor(name, label) {
      this.name = name;
      this.label = label;
      this.entries = [];          // what the list shows: messages ({id,…}) and notices ({notice})
      this.ids = new Set();       // message ids shown, for de-duplication
      this.lastId = null;         // the `since` cursor: the last message id received in this room
      this.members = new Map();   // user id -> user
      this.memberCount = null;    // set for large rooms, where the server sends counts, not lists
      this.joined = false;
      this.joining = false;
      this.resuming = false;      // the pending join carries `since`
      this.forbidden = false;
      this.unread = 0;
      this.typing = new Map();    // user id -> { user, timer }
      this.pending = new Map();   // ref -> { ref, text, ts, sentOn, failed, reason, el }
    }

    push(entry) {
      this.entries.push(entry);
      if (entry.id) this.ids.add(entry.id);
      if (this.entries.length > RETAINED_PER_ROOM) {
        const dropped = this.entries.splice(0, this.entries.length - RETAINED_PER_ROOM);
        for (const old of dropped) if (old.id) this.ids.delete(old.id);
        return true;
      }
      return false;
    }

    onlineCount() {
      return this.memberCount != null ? this.memberCount : this.members.size;
    }
  }

  // ---------------------------------------------------------------- styles

  const BASE_CSS = `
.root {
  all: initial;
  --_accent: var(--parley-accent, #4f46e5);
  --_accent-fg: var(--parley-accent-fg, #ffffff);
  --_bg: var(--parley-bg, #ffffff);
  --_fg: var(--parley-fg, #1f2328);
  --_muted: var(--parley-muted, #59636e);
  --_border: var(--parley-border, #d1d9e0);
  --_bubble-bg: var(--parley-bubble-bg, #eef1f4);
  --_bubble-fg: var(--parley-bubble-fg, var(--parley-fg, #1f2328));
  --_own-bg: var(--parley-own-bg, var(--parley-accent, #4f46e5));
  --_own-fg: var(--parley-own-fg, var(--parley-accent-fg, #ffffff));
  --_danger: var(--parley-danger, #c62828);
  --_radius: var(--parley-radius, 14px);
  --_font: var(--parley-font, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif);
  --_font-size: var(--parley-font-size, 14px);
  --_shadow: var(--parley-shadow, 0 12px 40px rgba(15, 23, 42, 0.25));
  --_z: var(--parley-z-index, 2147483000);
  --_width: var(--parley-width, 380px);
  --_height: var(--parley-height, 580px);
  --_offset: var(--parley-offset, 20px);
  display: block;
  font-family: var(--_font);
  font-size: var(--_font-size);
  line-height: 1.45;
  color: var(--_fg);
  text-align: start;
  -webkit-font-smoothing: antialiased;
}
*, *::before, *::after { box-sizing: border-box; }
[hidden] { display: none !important; }
button, textarea { font: inherit; color: inherit; margin: 0; }
button { cursor: pointer; }
button:disabled { cursor: not-allowed; opacity: 0.55; }
:focus { outline: none; }
:focus-visible { outline: 2px solid var(--_accent); outline-offset: 2px; }
.sr-only {
  position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}
svg { width: 20px; height: 20px; fill: currentColor; display: block; }

.launcher {
  position: fixed; right: var(--_offset); bottom: var(--_offset); z-index: var(--_z);
  width: 58px; height: 58px; padding: 0; border: 0; border-radius: 50%;
  background: var(--_accent); color: var(--_accent-fg); box-shadow: var(--_shadow);
  display: grid; place-items: center; transition: transform 0.15s ease;
}
.launcher:hover { transform: scale(1.05); }
.launcher svg { width: 28px; height: 28px; }
.launcher:focus-visible { outline-offset: 3px; }
.left .launcher { right: auto; left: var(--_offset); }
.badge {
  position: absolute; top: -4px; right: -4px; min-width: 22px; height: 22px; padding: 0 6px;
  border-radius: 11px; border: 2px solid var(--_bg); background: var(--_danger); color: #fff;
  font-size: 12px; font-weight: 700; line-height: 18px; text-align: center;
}

.panel {
  display: flex; flex-direction: column; overflow: hidden;
  background: var(--_bg); color: var(--_fg);
  border: 1px solid var(--_border); border-radius: var(--_radius);
}
.launcher-mode .panel {
  position: fixed; z-index: var(--_z);
  right: var(--_offset); bottom: calc(var(--_offset) + 70px);
  width: var(--_width); height: var(--_height);
  max-width: calc(100vw - 2 * var(--_offset)); max-height: calc(100vh - 2 * var(--_offset) - 80px);
  box-shadow: var(--_shadow); animation: parley-in 0.16s ease-out;
}
.left.launcher-mode .panel { right: auto; left: var(--_offset); }
.inline-mode { height: 100%; }
.inline-mode .panel { height: 100%; min-height: 320px; }
@keyframes parley-in { from { opacity: 0; transform: translateY(8px); } to { opacity: 1; transform: none; } }
@media (max-width: 480px) {
  .launcher-mode .panel {
    inset: 0; width: auto; height: auto; max-width: none; max-height: none;
    border: 0; border-radius: 0;
  }
  .launcher-mode.is-open .launcher { display: none; }
}
@media (prefers-reduced-motion: reduce) {
  .launcher, .launcher-mode .panel { transition: none; animation: none; }
}

.header {
  display: flex; align-items: center; gap: 8px; padding: 10px 10px 10px 16px;
  background: var(--_accent); color: var(--_accent-fg);
}
.title {
  flex: 1; min-width: 0; margin: 0; font-size: 16px; font-weight: 650; line-height: 1.3;
  overflow: hidden; text-overflow: ellipsis; white-space: nowrap;
}
.people-toggle {
  display: inline-flex; align-items: center; gap: 6px; padding: 4px 10px;
  border: 1px solid currentColor; border-radius: 999px; background: transparent;
  font-size: 12px; font-weight: 600; white-space: nowrap;
}
.people-toggle::before {
  content: ""; width: 8px; height: 8px; border-radius: 50%; background: #3fb950;
}
.close {
  width: 34px; height: 34px; padding: 0; border: 0; border-radius: 50%;
  background: transparent; display: grid; place-items: center;
}
.close:hover { background: rgba(255, 255, 255, 0.18); }
.header :focus-visible { outline-color: var(--_accent-fg); }

.tabs {
  display: flex; gap: 2px; padding: 4px 8px 0; overflow-x: auto;
  border-bottom: 1px solid var(--_border); scrollbar-width: thin;
}
.tab {
  display: inline-flex; align-items: center; gap: 6px; padding: 8px 10px 6px;
  border: 0; border-bottom: 2px solid transparent; background: transparent;
  color: var(--_muted); white-space: nowrap;
}
.tab[aria-selected="true"] { color: var(--_fg); border-bottom-color: var(--_accent); font-weight: 650; }
.tab-count {
  min-width: 18px; padding: 0 5px; border-radius: 9px; background: var(--_danger); color: #fff;
  font-size: 11px; font-weight: 700; line-height: 18px; text-align: center;
}

.status {
  display: flex; flex-wrap: wrap; align-items: center; gap: 4px 10px; padding: 7px 14px;
  background: #fff4d6; color: #4d3800; font-size: 12.5px; border-bottom: 1px solid #f0dca0;
}
.status[data-state="stopped"], .status[data-state="signed-out"] {
  background: #fdecea; color: #7a1c1c; border-bottom-color: #f3c2bd;
}
.status button {
  padding: 0; border: 0; background: none; color: inherit; font-weight: 700; text-decoration: underline;
}

.people {
  max-height: 40%; overflow-y: auto; padding: 10px 16px; border-bottom: 1px solid var(--_border);
}
.people-title { margin: 0 0 6px; font-size: 12px; font-weight: 700; color: var(--_muted); text-transform: uppercase; letter-spacing: 0.04em; }
.people-list { list-style: none; margin: 0; padding: 0; }
.people-list li { display: flex; align-items: center; gap: 8px; padding: 2px 0; }
.people-list li::before { content: ""; width: 8px; height: 8px; border-radius: 50%; background: #2da44e; flex: none; }
.people-note { margin: 0; color: var(--_muted); font-size: 12.5px; }

.body { position: relative; flex: 1; min-height: 0; display: flex; flex-direction: column; }
.scroller { flex: 1; min-height: 0; overflow-y: auto; padding: 14px 12px 6px; overscroll-behavior: contain; }
.log, .outbox { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 10px; }
.outbox:not(:empty) { margin-top: 10px; }
.empty { margin: 32px 12px; text-align: center; color: var(--_muted); }
.msg { display: flex; flex-direction: column; align-items: flex-start; max-width: 86%; align-self: flex-start; }
.msg.own { align-self: flex-end; align-items: flex-end; }
.meta { display: flex; align-items: baseline; gap: 8px; margin: 0 6px 2px; font-size: 12px; color: var(--_muted); }
.author { font-weight: 650; color: var(--_fg); }
.own .author { color: var(--_muted); font-weight: 500; }
.bubble {
  padding: 8px 12px; border-radius: var(--_radius); border-top-left-radius: 4px;
  background: var(--_bubble-bg); color: var(--_bubble-fg);
  white-space: pre-wrap; overflow-wrap: anywhere;
}
.own .bubble { background: var(--_own-bg); color: var(--_own-fg); border-top-left-radius: var(--_radius); border-top-right-radius: 4px; }
.bubble a { color: inherit; text-decoration: underline; }
.msg.system, .msg.notice { align-self: center; align-items: center; max-width: 100%; text-align: center; }
.system .bubble, .notice .bubble {
  padding: 2px 10px; background: transparent; color: var(--_muted); font-size: 12.5px; font-style: italic;
}
.system .meta { display: none; }
.pending .bubble { opacity: 0.7; }
.state { margin: 3px 6px 0; font-size: 11.5px; color: var(--_muted); display: flex; gap: 8px; align-items: center; }
.failed .bubble { opacity: 1; outline: 1px solid var(--_danger); }
.failed .state { color: var(--_danger); }
.state button { padding: 0; border: 0; background: none; color: inherit; text-decoration: underline; font-size: inherit; }
.jump {
  position: absolute; left: 50%; bottom: 8px; transform: translateX(-50%);
  padding: 5px 14px; border: 0; border-radius: 999px; background: var(--_accent); color: var(--_accent-fg);
  font-size: 12.5px; font-weight: 600; box-shadow: 0 2px 8px rgba(0, 0, 0, 0.2);
}
.typing { min-height: 20px; padding: 0 16px 2px; font-size: 12px; font-style: italic; color: var(--_muted); }

.composer { display: flex; align-items: flex-end; gap: 8px; padding: 8px 12px 12px; border-top: 1px solid var(--_border); }
.input {
  flex: 1; min-width: 0; min-height: 42px; max-height: 140px; resize: none; padding: 10px 12px;
  border: 1px solid var(--_border); border-radius: 10px; background: var(--_bg); color: var(--_fg);
  line-height: 1.4;
}
.input::placeholder { color: var(--_muted); opacity: 1; }
.input:focus-visible { outline: 2px solid var(--_accent); outline-offset: 0; border-color: transparent; }
.send {
  flex: none; width: 42px; height: 42px; padding: 0; border: 0; border-radius: 10px;
  background: var(--_accent); color: var(--_accent-fg); display: grid; place-items: center;
}
.counter { padding: 0 14px 6px; text-align: end; font-size: 11.5px; color: var(--_muted); }
`;

  // In launcher mode the host element is only an anchor: reset whatever the page's CSS gives it.
  // Inside a shadow root, `!important` on :host beats the page's own `!important` rules.
  const LAUNCHER_HOST_CSS = ':host { all: initial !important; display: block !important; width: 0 !important; height: 0 !important; }';
  // Inline, the page sizes the element; only inherited text styles are cut off (by .root's all: initial).
  const INLINE_HOST_CSS = ':host { display: block; }';

  function adoptStyles(shadow, cssText) {
    // Constructable stylesheets are not inline <style> as far as a page's CSP is concerned.
    if (shadow.adoptedStyleSheets !== undefined && typeof CSSStyleSheet === 'function') {
      try {
        const sheet = new CSSStyleSheet();
        sheet.replaceSync(cssText);
        shadow.adoptedStyleSheets = [sheet];
        return;
      } catch (e) { /* older engine: fall back to a <style> element */ }
    }
    shadow.append(h('style', { text: cssText }));
  }

  const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"']+/g;

  /** Text with http(s) links made clickable, built from text nodes and anchors only. */
  function richText(text) {
    const fragment = document.createDocumentFragment();
    let last = 0;
    for (const match of text.matchAll(URL_IN_TEXT)) {
      let raw = match[0];
      const trailing = raw.match(/[.,;:!?)\]]+$/);
      if (trailing) raw = raw.slice(0, -trailing[0].length);
      let href = null;
      try {
        const url = new URL(raw);
        if (url.protocol === 'http:' || url.protocol === 'https:') href = url.href;
      } catch (e) { /* not a URL after all */ }
      if (!href) continue;
      fragment.append(text.slice(last, match.index));
      fragment.append(h('a', { href, target: '_blank', rel: 'noopener noreferrer nofollow ugc', text: raw }));
      last = match.index + raw.length;
    }
    fragment.append(text.slice(last));
    return fragment;
  }

  let idCounter = 0;

  // ---------------------------------------------------------------- the widget

  class Widget {
    constructor(host, options, createdHost) {
      this.host = host;
      this.createdHost = createdHost;
      this.options = options;
      this.inline = options.mode === 'inline';
      this.t = makeTranslator(Object.assign({}, STRINGS, options.strings || {}), options.locale);
      this.timeFormat = new Intl.DateTimeFormat(options.locale, { hour: '2-digit', minute: '2-digit' });
      this.dateTimeFormat = new Intl.DateTimeFormat(options.locale, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
      this.fullDateFormat = new Intl.DateTimeFormat(options.locale, { dateStyle: 'full', timeStyle: 'short' });
      this.listeners = new Map();
      this.uid = 'parley-' + (++idCounter);
      this.isOpen = this.inline || options.open;
      this.status = 'idle';
      this.statusCode = null;
      this.me = null;
      this.welcomed = false;
      this.connectionSerial = 0;
      this.lastTypingSent = 0;
      this.typingTimer = null;
      this.bulk = false;          // drawing a first history: entries are rendered together afterwards
      this.lastUnreadTotal = undefined;
      this.lastUnreadRooms = null;
      this.peopleOpen = false;
      this.flushTimers = new Map();
      this.destroyed = false;

      this.server = options.server;
      this.serverKey = options.server.href;
      this.rooms = new Map();
      for (const name of options.rooms) this.rooms.set(name, new Room(name, this.labelFor(name)));
      this.active = options.room && this.rooms.has(options.room) ? options.room : options.rooms[0];

      this.outbox = new Outbox(this.serverKey, options.persistOutbox);
      const remembered = storage.read(this.userKey());
      if (isUser(remembered)) this.setProvisionalUser(remembered);

      this.buildDom();
      this.restorePending();
      this.renderAll();

      this.onVisibility = () => {
        if (document.visibilityState === 'visible') this.markActiveRead();
      };
      document.addEventListener('visibilitychange', this.onVisibility);

      this.client = new ChatClient({
        url: webSocketUrl(this.server),
        tokenSource: options.tokenSource,
        backoffBase: options.reconnectBaseMs,
        backoffCap: options.reconnectMaxMs,
        onFrame: (frame) => this.onFrame(frame),
        onState: (state, detail) => this.onStatus(state, detail),
        onToken: (claims) => {
          if (!this.welcomed && claims.sub != null) {
            this.setProvisionalUser({ id: String(claims.sub), name: typeof claims.name === 'string' ? claims.name : String(claims.sub) });
          }
        },
      });
      // After mount() returns, so listeners the host adds right away see the first status.
      queueMicrotask(() => {
        if (!this.destroyed) this.client.start();
      });
    }

    // -------------------------------------------------------------- public API

    open() {
      if (this.destroyed || this.inline || this.isOpen) return;
      this.isOpen = true;
      this.renderOpenState();
      this.markActiveRead();
      this.scrollToBottom();
      (this.els.input.disabled ? this.els.close : this.els.input).focus();
      if (this.status === 'offline' || this.status === 'signed-out') this.client.retryNow();
      this.emit('open', {});
    }

    close() {
      if (this.destroyed || this.inline || !this.isOpen) return;
      const hadFocus = this.shadow.activeElement != null;
      this.isOpen = false;
      this.peopleOpen = false;
      this.renderOpenState();
      this.renderPeople();
      if (hadFocus) this.els.launcher.focus();
      this.emit('close', {});
    }

    toggle() {
      if (this.isOpen) this.close();
      else this.open();
    }

    switchRoom(name) {
      if (this.destroyed || !ROOM_NAME.test(String(name))) return false;
      if (!this.rooms.has(name)) {
        const room = new Room(name, this.labelFor(name));
        this.rooms.set(name, room);
        this.loadPending(room);
        this.join(room);
        this.renderTabs();
      }
      if (this.active !== name) {
        this.active = name;
        this.peopleOpen = false;
        this.renderAll();
        this.markActiveRead();
        this.scrollToBottom();
        this.emit('room', { room: name });
      }
      return true;
    }

    /** Queues a message for a room (the active one by default); returns its `ref`, or null if empty. */
    send(text, roomName = this.active) {
      if (this.destroyed || this.status === 'stopped') return null;
      const body = String(text ?? '').replace(/^\s*\n|\s+$/g, '');
      if (!body.trim()) return null;
      const room = this.rooms.get(roomName);
      if (!room) return null;
      const entry = { ref: newRef(), text: body.slice(0, this.options.maxLength), ts: Date.now() };
      this.outbox.add(room.name, entry);
      this.addPending(room, entry);
      this.flush(room);
      if (room.name === this.active) this.scrollToBottom();
      return entry.ref;
    }

    on(event, fn) {
      if (typeof fn !== 'function') throw new TypeError('Parley: on(event, fn) needs a function');
      if (!this.listeners.has(event)) this.listeners.set(event, new Set());
      this.listeners.get(event).add(fn);
      return () => this.off(event, fn);
    }

    off(event, fn) {
      const set = this.listeners.get(event);
      if (set) set.delete(fn);
    }

    destroy() {
      if (this.destroyed) return;
      this.destroyed = true;
      this.client.destroy();
      if (this.resizeObserver) this.resizeObserver.disconnect();
      document.removeEventListener('visibilitychange', this.onVisibility);
      for (const id of this.flushTimers.values()) clearTimeout(id);
      clearTimeout(this.typingTimer);
      for (const room of this.rooms.values()) for (const entry of room.typing.values()) clearTimeout(entry.timer);
      this.shadow.replaceChildren();
      if (this.shadow.adoptedStyleSheets) this.shadow.adoptedStyleSheets = [];
      if (this.createdHost) this.host.remove();
      const index = instances.indexOf(this);
      if (index >= 0) instances.splice(index, 1);
      this.listeners.clear();
    }

    get user() {
      return this.me ? { id: this.me.id, name: this.me.name } : null;
    }

    get room() {
      return this.active;
    }

    get unread() {
      let total = 0;
      for (const room of this.rooms.values()) total += room.unread;
      return total;
    }

    // -------------------------------------------------------------- events to the host page

    emit(event, payload) {
      const set = this.listeners.get(event);
      if (!set) return;
      for (const fn of Array.from(set)) emitterCall(fn, payload);
    }

    // -------------------------------------------------------------- identity

    userKey() {
      return 'parley:v1:user:' + this.serverKey;
    }

    /** Who we probably are before the server says so: enough to show this user's unsent messages. */
    setProvisionalUser(user) {
      if (this.welcomed) return;
      this.me = { id: user.id, name: user.name || user.id };
      if (this.outbox.setUser(this.me.id) && this.els) this.restorePending();
    }

    labelFor(name) {
      const labels = this.options.roomLabels;
      if (labels && typeof labels[name] === 'string') return labels[name];
      const colon = name.lastIndexOf(':');
      return colon >= 0 && colon < name.length - 1 ? name.slice(colon + 1) : name;
    }

    // -------------------------------------------------------------- frames from the server

    onFrame(frame) {
      switch (frame.type) {
        case 'welcome': return this.onWelcome(frame);
        case 'joined': return this.onJoined(frame);
        case 'message': return this.onMessage(frame);
        case 'ack': return this.onAck(frame);
        case 'presence': return this.onPresence(frame);
        case 'typing': return this.onTyping(frame);
        case 'error': return this.onError(frame);
        case 'left': return undefined;
        default: return undefined; // unknown frames are ignored: the protocol may grow
      }
    }

    onWelcome(frame) {
      this.connectionSerial++;
      const user = isUser(frame.user) ? frame.user : null;
      if (user) {
        const changed = this.me && this.welcomed && this.me.id !== user.id;
        const firstWelcome = !this.welcomed;
        this.welcomed = true;
        this.me = { id: user.id, name: user.name || user.id };
        storage.write(this.userKey(), this.me);
        if (this.outbox.setUser(this.me.id) || changed) {
          // Another account (a logout and login elsewhere): what we showed was someone else's view.
          if (changed) for (const room of this.rooms.values()) this.resetRoom(room);
          this.restorePending();
        }
        if (firstWelcome) this.emit('ready', { user: this.user });
      }
      for (const room of this.rooms.values()) {
        room.joined = false;
        room.joining = false;
        this.join(room);
      }
      this.renderAll();
    }

    join(room) {
      if (this.status !== 'online' || room.joining || room.joined) return;
      const frame = { type: 'join', room: room.name };
      // Resume where we stopped: the server sends everything after the cursor, nothing twice.
      if (room.lastId) frame.since = room.lastId;
      room.joining = this.client.send(frame);
      room.resuming = room.joining && room.lastId != null;
    }

    onJoined(frame) {
      const room = this.rooms.get(frame.room);
      if (!room) return;
      room.joined = true;
      room.joining = false;
      room.forbidden = false;
      if (Array.isArray(frame.members)) room.members = new Map(frame.members.filter(isUser).map((u) => [u.id, u]));
      room.memberCount = typeof frame.memberCount === 'number' ? frame.memberCount : null;
      const resumed = room.resuming;
      room.resuming = false;
      if (resumed && frame.complete === false) this.addEntry(room, { notice: this.t('gap') });
      const history = Array.isArray(frame.history) ? frame.history : [];
      if (resumed) {
        // Caught-up messages are new to the reader: appended one by one, announced, counted unread.
        for (const message of history) this.receive(room, message, true);
      } else {
        // A first load is drawn in one go, so a screen reader does not read fifty old messages.
        this.bulk = true;
        try {
          for (const message of history) this.receive(room, message, false);
        } finally {
          this.bulk = false;
        }
      }
      this.loadPending(room); // another tab of this user may have queued messages meanwhile
      this.flush(room);
      if (room.name === this.active) {
        this.renderHeader();
        this.renderPeople();
        if (resumed) this.renderEmptyState();
        else this.renderMessages();
      }
      this.emit('presence', this.presencePayload(room, 'sync'));
    }

    onMessage(frame) {
      const room = this.rooms.get(frame.room);
      if (room) this.receive(room, frame, true);
    }

    /**
     * One message, live or from history. `fresh` means the user has not seen it (a live message,
     * or history caught up after a reconnect): such messages count as unread and reach the host's
     * `message` listeners; the first history of a room does neither.
     */
    receive(room, message, fresh) {
      if (!isMessage(message)) return;
      room.lastId = message.id;
      const own = message.user != null && this.me != null && message.user.id === this.me.id;
      if (own) {
        const pending = message.ref ? room.pending.get(message.ref) : null;
        if (pending) {
          this.resolvePending(room, pending, message);
          return;
        }
      }
      if (room.ids.has(message.id)) return; // already shown: resumed history overlapping live frames
      const entry = {
        id: message.id,
        user: message.user || null,
        text: message.text,
        ts: typeof message.ts === 'number' ? message.ts : Date.now(),
        kind: message.kind === 'system' || !message.user ? 'system' : 'user',
        own,
      };
      if (message.user) this.stopTyping(room, message.user.id);
      this.addEntry(room, entry);
      if (fresh) {
        if (!own && !this.isVisible(room)) {
          room.unread++;
          this.renderUnread();
        }
        this.emit('message', { room: room.name, message: publicMessage(entry), own });
      }
    }

    onAck(frame) {
      if (typeof frame.ref !== 'string' || typeof frame.id !== 'string') return;
      for (const room of this.rooms.values()) {
        const pending = room.pending.get(frame.ref);
        if (pending) {
          this.resolvePending(room, pending, { id: frame.id, ts: frame.ts });
          return;
        }
      }
    }

    /** A queued message is accepted: it leaves the outbox and becomes an ordinary message, shown once. */
    resolvePending(room, pending, message) {
      room.pending.delete(pending.ref);
      this.outbox.remove(room.name, pending.ref);
      if (pending.el) pending.el.remove();
      if (room.ids.has(message.id)) {
        this.renderEmptyState();
        return;
      }
      const entry = {
        id: message.id,
        user: message.user || this.me,
        text: typeof message.text === 'string' ? message.text : pending.text,
        ts: typeof message.ts === 'number' ? message.ts : pending.ts,
        kind: 'user',
        own: true,
      };
      this.addEntry(room, entry);
      this.emit('message', { room: room.name, message: publicMessage(entry), own: true });
    }

    onPresence(frame) {
      const room = this.rooms.get(frame.room);
      if (!room) return;
      if (frame.event === 'count' && typeof frame.count === 'number') {
        room.memberCount = frame.count;
      } else if (isUser(frame.user)) {
        if (frame.event === 'join') room.members.set(frame.user.id, frame.user);
        else if (frame.event === 'leave') {
          room.members.delete(frame.user.id);
          this.stopTyping(room, frame.user.id);
        } else return;
      } else return;
      if (room.name === this.active) {
        this.renderHeader();
        this.renderPeople();
      }
      this.emit('presence', this.presencePayload(room, frame.event, frame.user));
    }

    presencePayload(room, event, user) {
      return {
        room: room.name,
        event,
        user: isUser(user) ? { id: user.id, name: user.name } : undefined,
        members: room.memberCount == null ? Array.from(room.members.values(), (u) => ({ id: u.id, name: u.name })) : null,
        count: room.onlineCount(),
      };
    }

    onTyping(frame) {
      const room = this.rooms.get(frame.room);
      if (!room || !isUser(frame.user) || (this.me && frame.user.id === this.me.id)) return;
      const previous = room.typing.get(frame.user.id);
      if (previous) clearTimeout(previous.timer);
      const timer = setTimeout(() => this.stopTyping(room, frame.user.id), TYPING_SHOW_FOR);
      room.typing.set(frame.user.id, { user: frame.user, timer });
      if (room.name === this.active) this.renderTyping();
    }

    stopTyping(room, userId) {
      const entry = room.typing.get(userId);
      if (!entry) return;
      clearTimeout(entry.timer);
      room.typing.delete(userId);
      if (room.name === this.active) this.renderTyping();
    }

    onError(frame) {
      const code = typeof frame.code === 'string' ? frame.code : 'internal';
      this.emit('error', { code, message: frame.message, room: frame.room, ref: frame.ref });
      if (typeof frame.ref === 'string') {
        for (const room of this.rooms.values()) {
          const pending = room.pending.get(frame.ref);
          if (pending) return this.sendFailed(room, pending, code);
        }
      }
      if (code === 'forbidden' && typeof frame.room === 'string') {
        const room = this.rooms.get(frame.room);
        if (room && !room.joined) {
          room.joining = false;
          room.forbidden = true;
          for (const pending of room.pending.values()) this.sendFailed(room, pending, 'forbidden');
          if (room.name === this.active) this.renderAll();
        }
      }
      return undefined;
    }

    sendFailed(room, pending, code) {
      pending.sentOn = null;
      if (code === 'rate_limited' || code === 'internal') {
        // Transient: the same ref goes again, later each time.
        pending.retries = (pending.retries || 0) + 1;
        this.scheduleFlush(room, Math.min(30000, 1000 * 2 ** pending.retries) * (0.5 + Math.random() / 2));
        return;
      }
      if (code === 'not_joined') {
        room.joined = false;
        this.join(room); // the answer's flush sends it again
        return;
      }
      // Permanent (too_large, bad_request, forbidden): keep it visible, but stop retrying.
      pending.failed = true;
      pending.reason = code === 'too_large' ? this.t('errorTooLarge')
        : code === 'forbidden' ? this.t('errorForbidden') : this.t('errorInvalid');
      this.outbox.remove(room.name, pending.ref);
      this.renderPendingState(pending);
    }

    // -------------------------------------------------------------- connection status

    onStatus(state, detail) {
      this.status = state;
      this.statusCode = detail.code ?? null;
      if (state !== 'online') {
        for (const room of this.rooms.values()) {
          room.joined = false;
          room.joining = false;
        }
      }
      this.renderStatus();
      this.renderComposerState();
      for (const room of this.rooms.values()) for (const pending of room.pending.values()) this.renderPendingState(pending);
      this.emit('status', { state, code: detail.code, retryIn: detail.retryIn });
    }

    // -------------------------------------------------------------- the outbox

    restorePending() {
      for (const room of this.rooms.values()) {
        for (const pending of room.pending.values()) if (pending.el) pending.el.remove();
        room.pending.clear();
        this.loadPending(room);
      }
      if (this.els) this.renderMessages();
    }

    loadPending(room) {
      for (const entry of this.outbox.list(room.name)) {
        if (!room.pending.has(entry.ref)) this.addPending(room, entry);
      }
    }

    addPending(room, entry) {
      const pending = { ref: entry.ref, text: entry.text, ts: entry.ts || Date.now(), sentOn: null, failed: false, reason: null, el: null };
      room.pending.set(pending.ref, pending);
      if (room.name === this.active && this.els) {
        pending.el = this.renderMessage({ text: pending.text, ts: pending.ts, user: this.me, own: true, kind: 'user' }, pending);
        this.els.outbox.append(pending.el);
        this.renderEmptyState();
      }
    }

    /** Sends what the outbox holds for a joined room, a few per second, each ref once per connection. */
    flush(room) {
      if (this.status !== 'online' || !room.joined) return;
      let budget = FLUSH_BURST;
      for (const pending of room.pending.values()) {
        if (pending.failed || pending.sentOn === this.connectionSerial) continue;
        if (budget === 0) {
          this.scheduleFlush(room, 1000);
          break;
        }
        if (!this.client.send({ type: 'send', room: room.name, text: pending.text, ref: pending.ref })) break;
        budget--;
        pending.sentOn = this.connectionSerial;
        this.renderPendingState(pending);
      }
    }

    scheduleFlush(room, delay) {
      if (this.flushTimers.has(room.name)) return;
      this.flushTimers.set(room.name, setTimeout(() => {
        this.flushTimers.delete(room.name);
        this.flush(room);
      }, delay));
    }

    dismissPending(room, pending) {
      room.pending.delete(pending.ref);
      this.outbox.remove(room.name, pending.ref);
      if (pending.el) pending.el.remove();
      this.renderEmptyState();
      this.els.input.focus();
    }

    // -------------------------------------------------------------- room entries

    resetRoom(room) {
      room.entries = [];
      room.ids.clear();
      room.lastId = null;
      room.unread = 0;
    }

    addEntry(room, entry) {
      const trimmed = room.push(entry);
      if (room.name !== this.active || !this.els || this.bulk) return;
      if (trimmed) {
        this.renderMessages();
        return;
      }
      const stick = this.stuckToBottom || entry.own;
      this.els.log.append(this.renderMessage(entry, null));
      this.renderEmptyState();
      if (stick) this.scrollToBottom();
      else this.els.jump.hidden = false;
    }

    withBusyLog(room, fn) {
      const busy = room.name === this.active && this.els;
      if (busy) this.els.log.setAttribute('aria-busy', 'true');
      try {
        fn();
      } finally {
        if (busy) this.els.log.removeAttribute('aria-busy');
      }
    }

    isVisible(room) {
      return room.name === this.active && this.isOpen && document.visibilityState === 'visible';
    }

    markActiveRead() {
      const room = this.rooms.get(this.active);
      if (room && room.unread && this.isVisible(room)) {
        room.unread = 0;
        this.renderUnread();
      }
    }

    // -------------------------------------------------------------- DOM

    buildDom() {
      const host = this.host;
      const shadow = host.shadowRoot && ownShadowRoots.has(host.shadowRoot)
        ? host.shadowRoot
        : host.attachShadow({ mode: 'open' });
      ownShadowRoots.add(shadow);
      this.shadow = shadow;
      adoptStyles(shadow, BASE_CSS + (this.inline ? INLINE_HOST_CSS : LAUNCHER_HOST_CSS));

      const id = (suffix) => this.uid + '-' + suffix;
      const els = {};
      this.els = els;

      els.title = h('h2', { class: 'title', id: id('title'), text: this.options.title || this.t('title') });
      els.peopleToggle = h('button', {
        type: 'button', class: 'people-toggle', part: 'people-toggle', 'aria-expanded': 'false', 'aria-controls': id('people'),
        onclick: () => this.togglePeople(),
      });
      els.close = this.inline ? null : h('button', {
        type: 'button', class: 'close', part: 'close', 'aria-label': this.t('closeChat'), title: this.t('closeChat'),
        onclick: () => this.close(),
      }, icon(ICON_CLOSE));
      const header = h('div', { class: 'header', part: 'header' }, els.title, els.peopleToggle, els.close);

      els.tabs = h('div', { class: 'tabs', role: 'tablist', 'aria-label': this.t('roomsLabel'), onkeydown: (e) => this.onTabKey(e) });

      els.statusText = h('span', { class: 'status-text' });
      els.retry = h('button', { type: 'button', text: this.t('retryNow'), onclick: () => this.client.retryNow() });
      els.status = h('div', { class: 'status', role: 'status', part: 'status' }, els.statusText, els.retry);

      els.peopleTitle = h('h3', { class: 'people-title', id: id('people-title') });
      els.peopleList = h('ul', { class: 'people-list' });
      els.peopleNote = h('p', { class: 'people-note', text: this.t('peopleTooMany') });
      els.people = h('div', {
        class: 'people', id: id('people'), role: 'region', 'aria-labelledby': id('people-title'), hidden: true,
      }, els.peopleTitle, els.peopleList, els.peopleNote);

      els.log = h('ol', { class: 'log', id: id('log'), role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', part: 'messages' });
      els.outbox = h('ol', { class: 'outbox', 'aria-live': 'off' });
      els.empty = h('p', { class: 'empty' });
      els.scroller = h('div', {
        class: 'scroller', tabindex: '0', id: id('panel'),
        onscroll: () => {
          this.stuckToBottom = this.isNearBottom();
          if (this.stuckToBottom) els.jump.hidden = true;
        },
      }, els.empty, els.log, els.outbox);
      // A reader at the bottom stays there when the list's box changes (people list, keyboard, resize).
      this.stuckToBottom = true;
      if (typeof ResizeObserver === 'function') {
        this.resizeObserver = new ResizeObserver(() => {
          if (this.stuckToBottom) els.scroller.scrollTop = els.scroller.scrollHeight;
        });
        this.resizeObserver.observe(els.scroller);
      }
      els.jump = h('button', { type: 'button', class: 'jump', hidden: true, text: this.t('jumpToLatest'), onclick: () => this.scrollToBottom(true) });
      els.typing = h('div', { class: 'typing', 'aria-live': 'off' });
      const body = h('div', { class: 'body' }, els.scroller, els.jump);

      els.inputLabel = h('label', { class: 'sr-only', for: id('input') });
      els.hint = h('span', { class: 'sr-only', id: id('hint'), text: this.t('composerHint') });
      els.input = h('textarea', {
        class: 'input', id: id('input'), rows: '1', part: 'input', maxlength: String(this.options.maxLength),
        placeholder: this.t('composerPlaceholder'), 'aria-describedby': id('hint'), enterkeyhint: 'send',
        onkeydown: (e) => this.onInputKey(e),
        oninput: () => this.onInput(),
      });
      els.send = h('button', { type: 'submit', class: 'send', part: 'send', 'aria-label': this.t('send'), title: this.t('send') }, icon(ICON_SEND));
      els.counter = h('div', { class: 'counter', 'aria-live': 'polite', hidden: true });
      els.composer = h('form', {
        class: 'composer', part: 'composer',
        onsubmit: (e) => {
          e.preventDefault();
          this.submitComposer();
        },
      }, els.inputLabel, els.hint, els.input, els.send);

      els.panel = h('section', {
        class: 'panel', id: id('dialog'), part: 'panel', 'aria-labelledby': id('title'),
        role: this.inline ? 'region' : 'dialog',
        onkeydown: (e) => {
          if (e.key === 'Escape' && !this.inline) {
            e.stopPropagation();
            this.close();
          }
        },
      }, header, els.tabs, els.status, els.people, body, els.typing, els.counter, els.composer);

      if (!this.inline) {
        els.badge = h('span', { class: 'badge', 'aria-hidden': 'true', hidden: true });
        els.launcher = h('button', {
          type: 'button', class: 'launcher', part: 'launcher', 'aria-controls': id('dialog'), 'aria-expanded': 'false',
          onclick: () => this.toggle(),
        }, icon(ICON_CHAT), els.badge);
      }

      els.root = h('div', {
        class: 'root ' + (this.inline ? 'inline-mode' : 'launcher-mode') + (this.options.position === 'left' ? ' left' : ''),
        // Keys typed in the chat must not trigger the host page's keyboard shortcuts.
        onkeydown: (e) => e.stopPropagation(),
        onkeyup: (e) => e.stopPropagation(),
        onkeypress: (e) => e.stopPropagation(),
      }, els.launcher || null, els.panel);
      shadow.append(els.root);
    }

    renderAll() {
      this.renderOpenState();
      this.renderHeader();
      this.renderTabs();
      this.renderStatus();
      this.renderPeople();
      this.renderMessages();
      this.renderTyping();
      this.renderComposerState();
      this.renderUnread();
    }

    renderOpenState() {
      const { panel, launcher, root } = this.els;
      panel.hidden = !this.isOpen;
      root.classList.toggle('is-open', this.isOpen);
      if (launcher) {
        launcher.setAttribute('aria-expanded', String(this.isOpen));
        this.renderLauncherLabel();
      }
    }

    renderLauncherLabel() {
      const { launcher } = this.els;
      if (!launcher) return;
      const total = this.unread;
      const label = this.isOpen ? this.t('closeChat') : total ? this.t('launcherUnread', { count: total }) : this.t('openChat');
      launcher.setAttribute('aria-label', label);
      launcher.title = label;
    }

    renderHeader() {
      const room = this.rooms.get(this.active);
      const count = room ? room.onlineCount() : 0;
      this.els.peopleToggle.textContent = this.t('online', { count });
      this.els.peopleToggle.setAttribute('aria-label', this.t('online', { count }) + '. ' + this.t('peopleShow'));
      this.els.peopleToggle.hidden = !room || !room.joined;
    }

    /** Tabs are built once per set of rooms and then updated in place, so keyboard focus survives. */
    renderTabs() {
      const { tabs, scroller } = this.els;
      const names = Array.from(this.rooms.keys());
      if (!this.tabButtons || this.tabButtons.size !== names.length) {
        this.tabButtons = new Map(names.map((name, index) => [name, this.buildTab(name, index)]));
        tabs.replaceChildren(...this.tabButtons.values());
      }
      const multiple = names.length > 1;
      tabs.hidden = !multiple;
      for (const [name, tab] of this.tabButtons) {
        const room = this.rooms.get(name);
        const selected = name === this.active;
        tab.setAttribute('aria-selected', String(selected));
        tab.tabIndex = selected ? 0 : -1;
        const count = tab.querySelector('.tab-count');
        count.hidden = !room.unread;
        count.textContent = room.unread > 99 ? '99+' : String(room.unread);
        tab.querySelector('.sr-only').textContent = room.unread ? ', ' + this.t('tabUnread', { count: room.unread }) : '';
        if (selected && multiple) {
          scroller.setAttribute('role', 'tabpanel');
          scroller.setAttribute('aria-labelledby', tab.id);
        }
      }
      if (!multiple) {
        scroller.removeAttribute('role');
        scroller.removeAttribute('aria-labelledby');
      }
    }

    buildTab(name, index) {
      const room = this.rooms.get(name);
      return h('button', {
        type: 'button', class: 'tab', role: 'tab', id: this.uid + '-tab-' + index, 'data-room': name, title: name,
        'aria-controls': this.uid + '-panel', onclick: () => this.switchRoom(name),
      }, room.label, h('span', { class: 'sr-only' }), h('span', { class: 'tab-count', 'aria-hidden': 'true', hidden: true }));
    }

    onTabKey(event) {
      const names = Array.from(this.rooms.keys());
      const index = names.indexOf(this.active);
      let next = null;
      if (event.key === 'ArrowRight') next = names[(index + 1) % names.length];
      else if (event.key === 'ArrowLeft') next = names[(index - 1 + names.length) % names.length];
      else if (event.key === 'Home') next = names[0];
      else if (event.key === 'End') next = names[names.length - 1];
      if (next == null) return;
      event.preventDefault();
      this.switchRoom(next);
      const tab = this.els.tabs.querySelector('[aria-selected="true"]');
      if (tab) tab.focus();
    }

    renderStatus() {
      const { status, statusText, retry } = this.els;
      const texts = {
        idle: this.t('statusConnecting'),
        connecting: this.welcomedOnce() ? this.t('statusOffline') : this.t('statusConnecting'),
        offline: this.t('statusOffline'),
        stopped: this.t('statusStopped'),
        'signed-out': this.t('statusSignedOut'),
      };
      const text = texts[this.status];
      status.hidden = text == null;
      status.dataset.state = this.status;
      statusText.textContent = text || '';
      retry.hidden = this.status !== 'offline';
    }

    welcomedOnce() {
      return this.connectionSerial > 0;
    }

    togglePeople() {
      this.peopleOpen = !this.peopleOpen;
      this.renderPeople();
    }

    renderPeople() {
      const { people, peopleToggle, peopleTitle, peopleList, peopleNote } = this.els;
      const room = this.rooms.get(this.active);
      people.hidden = !this.peopleOpen || !room;
      peopleToggle.setAttribute('aria-expanded', String(this.peopleOpen));
      if (!room || !this.peopleOpen) return;
      peopleTitle.textContent = this.t('peopleLabel', { room: room.label });
      const large = room.memberCount != null;
      peopleNote.hidden = !large;
      if (large) {
        peopleList.replaceChildren();
        return;
      }
      const members = Array.from(room.members.values()).sort((a, b) => displayName(a, '').localeCompare(displayName(b, '')));
      peopleList.replaceChildren(...members.map((user) => {
        const name = displayName(user, this.t('someone'));
        const isMe = this.me && user.id === this.me.id;
        return h('li', { 'data-user': user.id }, isMe ? this.t('peopleYou', { name }) : name);
      }));
    }

    renderMessages() {
      const { log, outbox, scroller } = this.els;
      const room = this.rooms.get(this.active);
      if (!room) return;
      log.setAttribute('aria-label', this.t('messagesLabel', { room: room.label }));
      scroller.setAttribute('aria-label', this.t('messagesLabel', { room: room.label }));
      this.els.inputLabel.textContent = this.t('composerLabel', { room: room.label });
      this.withBusyLog(room, () => {
        log.replaceChildren(...room.entries.map((entry) => this.renderMessage(entry, null)));
      });
      for (const other of this.rooms.values()) for (const pending of other.pending.values()) pending.el = null;
      outbox.replaceChildren(...Array.from(room.pending.values(), (pending) => {
        pending.el = this.renderMessage({ text: pending.text, ts: pending.ts, user: this.me, own: true, kind: 'user' }, pending);
        return pending.el;
      }));
      this.renderEmptyState();
      this.els.jump.hidden = true;
      this.scrollToBottom();
    }

    renderEmptyState() {
      const room = this.rooms.get(this.active);
      const { empty } = this.els;
      if (!room) return;
      if (room.forbidden) {
        empty.textContent = this.t('roomForbidden');
        empty.hidden = false;
      } else {
        empty.textContent = this.t('empty');
        empty.hidden = !room.joined || room.entries.length > 0 || room.pending.size > 0;
      }
    }

    /** One list item. Every piece of server or user text goes in as a text node. */
    renderMessage(entry, pending) {
      if (entry.notice) return h('li', { class: 'msg notice' }, h('div', { class: 'bubble', text: entry.notice }));
      const system = entry.kind === 'system';
      const classes = ['msg', system ? 'system' : entry.own ? 'own' : 'other'];
      if (pending) classes.push('pending');
      const author = system ? this.t('systemAuthor') : entry.own ? this.t('you') : displayName(entry.user, this.t('someone'));
      const date = new Date(entry.ts);
      const time = h('time', { datetime: date.toISOString(), title: this.fullDateFormat.format(date), text: this.formatTime(date) });
      const item = h('li', { class: classes.join(' '), 'data-id': entry.id || null, 'data-ref': pending ? pending.ref : null },
        h('div', { class: 'meta' }, h('span', { class: 'author', text: author }), time),
        h('div', { class: 'bubble' }, system ? entry.text : richText(entry.text)));
      if (system) item.prepend(h('span', { class: 'sr-only', text: author + ': ' }));
      if (pending) {
        item.append(h('div', { class: 'state' }));
        pending.el = item;
        this.renderPendingState(pending, item);
      }
      return item;
    }

    renderPendingState(pending, item = pending.el) {
      if (!item) return;
      const state = item.querySelector('.state');
      if (!state) return;
      item.classList.toggle('failed', pending.failed);
      if (pending.failed) {
        const room = this.rooms.get(this.active);
        state.replaceChildren(
          h('span', { text: this.t('failed', { reason: pending.reason }) }),
          h('button', { type: 'button', text: this.t('dismiss'), onclick: () => this.dismissPending(room, pending) }),
        );
        return;
      }
      const sending = this.status === 'online' && pending.sentOn === this.connectionSerial;
      state.replaceChildren(h('span', { text: sending ? this.t('pendingSending') : this.t('pendingWaiting') }));
    }

    formatTime(date) {
      const now = new Date();
      const sameDay = date.getFullYear() === now.getFullYear() && date.getMonth() === now.getMonth() && date.getDate() === now.getDate();
      return sameDay ? this.timeFormat.format(date) : this.dateTimeFormat.format(date);
    }

    renderTyping() {
      const room = this.rooms.get(this.active);
      const names = room ? Array.from(room.typing.values(), (e) => displayName(e.user, this.t('someone'))) : [];
      let text = '';
      if (names.length === 1) text = this.t('typingOne', { name: names[0] });
      else if (names.length === 2) text = this.t('typingTwo', { first: names[0], second: names[1] });
      else if (names.length > 2) text = this.t('typingMany');
      this.els.typing.textContent = text;
    }

    renderComposerState() {
      const { input, send } = this.els;
      const blocked = this.status === 'stopped' || this.status === 'signed-out';
      input.disabled = blocked;
      send.disabled = blocked;
    }

    renderUnread() {
      const total = this.unread;
      if (this.els.badge) {
        this.els.badge.hidden = total === 0 || this.isOpen;
        this.els.badge.textContent = total > 99 ? '99+' : String(total);
      }
      this.renderLauncherLabel();
      this.renderTabs();
      const rooms = {};
      for (const room of this.rooms.values()) rooms[room.name] = room.unread;
      if (total !== this.lastUnreadTotal || this.unreadChanged(rooms)) {
        this.lastUnreadTotal = total;
        this.lastUnreadRooms = rooms;
        this.emit('unread', { total, rooms });
      }
    }

    unreadChanged(rooms) {
      const before = this.lastUnreadRooms || {};
      return Object.keys(rooms).some((name) => rooms[name] !== (before[name] || 0));
    }

    isNearBottom() {
      const { scroller } = this.els;
      return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < NEAR_BOTTOM_PX;
    }

    scrollToBottom(focusInput) {
      const { scroller, jump } = this.els;
      scroller.scrollTop = scroller.scrollHeight;
      this.stuckToBottom = true;
      jump.hidden = true;
      if (focusInput) this.els.input.focus();
    }

    // -------------------------------------------------------------- composer

    onInputKey(event) {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
        event.preventDefault();
        this.submitComposer();
      }
    }

    onInput() {
      const { input, counter } = this.els;
      // Grow with the text up to the CSS max-height; inline style via CSSOM is allowed under a CSP.
      input.style.height = 'auto';
      input.style.height = input.scrollHeight + 'px';
      const left = this.options.maxLength - input.value.length;
      counter.hidden = left > 200;
      counter.textContent = this.t('charsLeft', { count: Math.max(0, left) });
      if (input.value.trim()) this.signalTyping();
    }

    /**
     * At most one `typing` frame per window (the server forwards no more). Typing inside a window
     * schedules one for its end, so a quick burst right after a message is still announced.
     */
    signalTyping() {
      if (this.typingTimer) return;
      const wait = this.lastTypingSent + TYPING_SEND_EVERY - Date.now();
      if (wait > 0) {
        this.typingTimer = setTimeout(() => {
          this.typingTimer = null;
          if (this.els.input.value.trim()) this.signalTyping();
        }, wait + TYPING_MARGIN);
        return;
      }
      const room = this.rooms.get(this.active);
      if (room && room.joined && this.client.send({ type: 'typing', room: room.name })) this.lastTypingSent = Date.now();
    }

    submitComposer() {
      const { input } = this.els;
      if (input.disabled) return;
      const ref = this.send(input.value);
      if (ref === null) return;
      input.value = '';
      this.onInput();
      clearTimeout(this.typingTimer); // the message itself ends the indicator on the other side
      this.typingTimer = null;
      input.focus();
    }
  }

  function displayName(user, fallback) {
    if (!user) return fallback;
    return typeof user.name === 'string' && user.name.trim() ? user.name : user.id || fallback;
  }

  function publicMessage(entry) {
    return { id: entry.id, user: entry.user ? { id: entry.user.id, name: entry.user.name } : null, text: entry.text, ts: entry.ts, kind: entry.kind };
  }

  // ---------------------------------------------------------------- mounting

  /** Resolves options (JS object, then data attributes for the script tag) into one checked shape. */
  function resolveOptions(raw) {
    const { rooms, labels } = parseRooms(raw.rooms);
    if (!rooms.length) throw new Error('Parley: no valid room (set data-rooms or options.rooms)');
    const server = normaliseServer(raw.server || defaultServer());
    let tokenSource;
    if (typeof raw.getToken === 'function') {
      tokenSource = () => Promise.resolve(raw.getToken());
    } else if (raw.tokenUrl) {
      const extra = raw.tokenBody;
      tokenSource = tokenUrlSource(raw.tokenUrl, () => {
        const body = typeof extra === 'function' ? extra() : extra;
        return Object.assign({ rooms }, body && typeof body === 'object' ? body : {});
      });
    } else {
      throw new Error('Parley: set data-token-url or options.tokenUrl / options.getToken');
    }
    return {
      server,
      tokenSource,
      rooms,
      roomLabels: Object.assign(labels, raw.roomLabels || {}),
      room: raw.room,
      mode: raw.mode === 'inline' ? 'inline' : 'launcher',
      open: boolOption(raw.open, false),
      position: raw.position === 'left' ? 'left' : 'right',
      title: raw.title,
      strings: raw.strings,
      locale: raw.locale || document.documentElement.lang || undefined,
      maxLength: numberOption(raw.maxLength, MAX_TEXT) || MAX_TEXT,
      persistOutbox: boolOption(raw.persistOutbox, true),
      reconnectBaseMs: numberOption(raw.reconnectBaseMs, 1000) || 1000,
      reconnectMaxMs: numberOption(raw.reconnectMaxMs, 30000) || 30000,
    };
  }

  function mount(target, rawOptions = {}) {
    let host = typeof target === 'string' ? document.querySelector(target) : target;
    let created = false;
    if (target != null && !(host instanceof Element)) throw new Error('Parley.mount: no element matches ' + String(target));
    if (host == null) {
      host = document.createElement('parley-chat');
      document.body.append(host);
      created = true;
    }
    if (instances.some((w) => w.host === host)) throw new Error('Parley.mount: this element already has a widget');
    // The script tag's data attributes are defaults; options given here win.
    const merged = SCRIPT ? optionsFromScript(SCRIPT) : {};
    for (const [key, value] of Object.entries(rawOptions || {})) if (value !== undefined) merged[key] = value;
    const widget = new Widget(host, resolveOptions(merged), created);
    instances.push(widget);
    return publicInstance(widget);
  }

  /** The instance a host page holds: the API of the brief, nothing of the internals. */
  function publicInstance(widget) {
    if (widget.api) return widget.api;
    widget.api = Object.freeze({
      open: () => widget.open(),
      close: () => widget.close(),
      toggle: () => widget.toggle(),
      switchRoom: (room) => widget.switchRoom(room),
      send: (text, room) => widget.send(text, room),
      destroy: () => widget.destroy(),
      on: (event, fn) => widget.on(event, fn),
      off: (event, fn) => widget.off(event, fn),
      get user() { return widget.user; },
      get room() { return widget.room; },
      get rooms() { return Array.from(widget.rooms.keys()); },
      get status() { return widget.status; },
      get unread() { return widget.unread; },
      get isOpen() { return widget.isOpen; },
      get element() { return widget.host; },
    });
    return widget.api;
  }

  function optionsFromScript(script) {
    const d = script.dataset;
    return {
      server: d.server,
      tokenUrl: d.tokenUrl,
      rooms: d.rooms,
      room: d.room,
      mode: d.mode,
      open: d.open,
      position: d.position,
      title: d.title,
      locale: d.locale,
      maxLength: d.maxLength,
      persistOutbox: d.persistOutbox,
    };
  }

  function autoMount() {
    if (!SCRIPT || !boolOption(SCRIPT.dataset.autoMount, true)) return;
    const target = SCRIPT.dataset.target || null;
    try {
      mount(target);
    } catch (error) {
      console.error(error.message);
    }
  }

  window.Parley = Object.freeze({
    version: VERSION,
    STRINGS,
    mount,
    /** The widget mounted on `target` (element or selector), or the first one (the script tag's). */
    get(target) {
      if (target == null) return instances[0] ? publicInstance(instances[0]) : null;
      const el = typeof target === 'string' ? document.querySelector(target) : target;
      const widget = instances.find((w) => w.host === el);
      return widget ? publicInstance(widget) : null;
    },
  });

  const announce = () => {
    autoMount();
    // With an async script tag, a host page waits for this instead of polling for window.Parley.
    document.dispatchEvent(new CustomEvent('parley:load'));
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', announce, { once: true });
  else announce();
})();
