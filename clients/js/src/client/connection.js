import { reconnectPlan, refreshDelay } from './policy.js';

const STABLE_CONNECTION = 10000;  // a connection that lived this long resets the backoff
const CONNECT_TIMEOUT = 15000;    // no welcome this long after opening: drop and retry
const OPEN = 1;                   // WebSocket.OPEN

/**
 * One WebSocket to the chat service, kept alive across network loss, token expiry and deploys. It
 * authenticates, refreshes the token in-band, detects dead sockets with application pings, and reconnects
 * as `reconnectPlan` says for each close code. It only moves frames: rooms, history and the outbox belong
 * to `ParleyClient`.
 *
 * States: `idle` → `connecting` → `online` ⇄ `offline` (waiting to reconnect); `signed-out` (the token source
 * has no session: waits for `retryNow`), `stopped` (closed 4403: never reconnects), `closed` (by `close()`).
 */
export class Connection {
  constructor({ url, tokens, WebSocket, reconnect, random, onFrame, onState }) {
    this.url = url;
    this.tokens = tokens;
    this.WebSocket = WebSocket;
    this.reconnect = reconnect;
    this.random = random;
    this.onFrame = onFrame;
    this.onState = onState;
    this.state = 'idle';
    this.ws = null;
    this.attempt = 0;
    this.generation = 0;
    this.halted = false;
    this.heartbeatMs = 25000;
    this.awaitingPong = false;
    this.welcomedAt = 0;
    this.timers = new Map();
    this.network = networkEvents({
      online: () => {
        this.attempt = 0; // a network that just came back deserves a fresh start, not a long backoff
        this.retryNow();
      },
      offline: () => this.drop(),
    });
  }

  start() {
    if (this.state === 'idle') this.connect();
  }

  /** Connects now instead of at the next scheduled attempt (a user action, the network back, a new session). */
  retryNow() {
    if (this.halted || this.ws || this.state === 'connecting') return;
    this.connect();
  }

  /** Sends one frame on an authenticated socket; false when there is none (the caller keeps it for later). */
  send(frame) {
    const ws = this.ws;
    if (!ws || this.state !== 'online' || ws.readyState !== OPEN) return false;
    ws.send(JSON.stringify(frame));
    return true;
  }

  close() {
    this.halted = true;
    this.network.remove();
    for (const id of this.timers.values()) clearTimeout(id);
    this.timers.clear();
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      detach(ws);
      ws.close(1000, 'client closed');
    }
    this.tokens.clear();
    this.setState('closed');
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

  plan(code) {
    return reconnectPlan(code, this.attempt, { ...this.reconnect, random: this.random });
  }

  /** `force`: try even though the browser says it is offline (the fallback for a wrong navigator.onLine). */
  async connect(force = false) {
    this.clearTimer('retry');
    if (this.halted || this.ws) return;
    if (isOffline() && !force) {
      // An attempt now would fail, and might still be in flight when the 'online' event comes.
      this.scheduleRetry(this.reconnect.maxMs, 0);
      return;
    }
    const generation = ++this.generation;
    this.setState('connecting');
    let token;
    try {
      token = await this.tokens.get(false);
    } catch (error) {
      if (generation !== this.generation || this.halted) return;
      if (error.kind === 'signed-out') {
        // Nothing to retry until the user signs in: retryNow() (panel opened, network back) tries again.
        this.setState('signed-out');
        return;
      }
      console.warn('[parley] could not get a chat token:', error.message);
      this.retryAfterFailure();
      return;
    }
    if (generation !== this.generation || this.halted) return;

    let ws;
    try {
      ws = new this.WebSocket(this.url);
    } catch (error) {
      console.warn('[parley] cannot open', this.url, error.message);
      this.retryAfterFailure();
      return;
    }
    this.ws = ws;
    this.awaitingPong = false;
    ws.onopen = () => ws.send(JSON.stringify({ type: 'auth', token }));
    ws.onmessage = (event) => this.receive(ws, event);
    ws.onclose = (event) => this.closed(ws, event.code);
    ws.onerror = () => { /* a close event with the code follows */ };
    // A handshake into a black hole can hang for minutes: give up and try again.
    this.timer('connect', CONNECT_TIMEOUT, () => this.drop());
  }

  retryAfterFailure() {
    this.scheduleRetry(this.plan(1006).delay, 0);
    this.attempt++;
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
   * Browsers cannot see WebSocket pings, so a socket that died without a close (sleep, Wi-Fi change) would
   * look open for minutes. An application ping every half heartbeat, and a drop when the previous one got
   * no frame back, bounds that to about one heartbeat.
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
    this.timer('refresh', refreshDelay(expiresSeconds, Date.now(), this.tokens.skew), () => this.refresh());
  }

  async refresh() {
    const ws = this.ws;
    if (!ws || this.state !== 'online') return;
    try {
      const token = await this.tokens.get(true);
      if (ws === this.ws && this.state === 'online') ws.send(JSON.stringify({ type: 'refresh', token }));
    } catch (error) {
      // The socket works until the old token expires; if the server then closes 4401, the reconnect path
      // fetches a token again.
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
    if (wasOnline && Date.now() - this.welcomedAt >= STABLE_CONNECTION) this.attempt = 0;
    const plan = this.plan(code);
    if (plan.stop) {
      this.halted = true;
      this.network.remove();
      this.setState('stopped', { code });
      return;
    }
    if (plan.newToken) this.tokens.clear();
    this.attempt++;
    this.scheduleRetry(plan.delay, code);
  }

  scheduleRetry(delay, code) {
    this.setState('offline', { code, retryIn: Math.round(delay) });
    // While the browser knows it is offline, attempts would fail at once: the 'online' event retries
    // immediately, and a slow timer stays as a fallback for an unreliable navigator.onLine.
    if (isOffline()) this.timer('retry', Math.max(delay, this.reconnect.maxMs), () => this.connect(true));
    else this.timer('retry', delay, () => this.connect());
  }
}

function detach(ws) {
  ws.onopen = null;
  ws.onmessage = null;
  ws.onclose = null;
  ws.onerror = null;
}

function isOffline() {
  return globalThis.navigator != null && globalThis.navigator.onLine === false;
}

/** The browser's online/offline events, where there are any (not in Node). */
function networkEvents(handlers) {
  const target = typeof globalThis.addEventListener === 'function' ? globalThis : null;
  if (target) for (const [name, fn] of Object.entries(handlers)) target.addEventListener(name, fn);
  return {
    remove() {
      if (target) for (const [name, fn] of Object.entries(handlers)) target.removeEventListener(name, fn);
    },
  };
}
