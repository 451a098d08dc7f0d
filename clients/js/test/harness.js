// Test harness: a scripted stand-in for the server side of the WebSocket, and a Web Storage kept in a Map
// (a "reload" is a new client on the same storage). Timers and Date are node:test's mock timers.
import { mock } from 'node:test';
import { ParleyClient } from '../src/client/index.js';

/** A fake JWT (unsigned: the client only reads it). */
export function token(sub, { exp = 3600, iat = 0, name } = {}) {
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub, iat: now + iat, exp: now + exp };
  if (name) claims.name = name;
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return b64({ alg: 'HS256' }) + '.' + b64(claims) + '.sig';
}

/** Records every socket the client opens; each exposes what the client sent and lets the test answer. */
export class FakeServer {
  constructor() {
    this.sockets = [];
    const server = this;
    this.WebSocket = class FakeSocket {
      constructor(url) {
        this.url = url;
        this.readyState = 0;
        this.sent = [];
        this.closedWith = null;
        server.sockets.push(this);
      }

      send(data) {
        this.sent.push(JSON.parse(data));
      }

      close(code) {
        this.readyState = 3;
        this.closedWith = code;
      }

      // -- the server's side
      open() {
        this.readyState = 1;
        this.onopen?.();
      }

      push(frame) {
        this.onmessage?.({ data: JSON.stringify(frame) });
      }

      /** The server closes the socket with `code`. */
      serverClose(code) {
        this.readyState = 3;
        this.onclose?.({ code });
      }

      frames(type) {
        return this.sent.filter((f) => f.type === type);
      }
    };
  }

  get last() {
    return this.sockets[this.sockets.length - 1];
  }

  /** Opens the newest socket and answers its auth with `welcome` (plus `extra` fields). */
  welcome(user = { id: '42', name: 'Ada' }, extra = {}) {
    const ws = this.last;
    ws.open();
    return settle().then(() => {
      ws.push({ type: 'welcome', connection: 'c-' + this.sockets.length, user, expires: Math.floor(Date.now() / 1000) + 3600, heartbeat: 25, ...extra });
      return ws;
    });
  }
}

export class MapStorage {
  constructor() {
    this.map = new Map();
  }

  getItem(key) { return this.map.has(key) ? this.map.get(key) : null; }
  setItem(key, value) { this.map.set(key, String(value)); }
  removeItem(key) { this.map.delete(key); }
}

/** Lets every pending promise callback (the token request) run: setImmediate is not a mocked timer. */
export function settle() {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Mock timers and Date for one test; restored by the test context. */
export function useFakeTime(t) {
  mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: 1_800_000_000_000 });
  t.after(() => mock.timers.reset());
}

export async function tick(ms) {
  mock.timers.tick(ms);
  await settle();
}

/** A client on a fake server, as a test needs one. */
export function newClient(server, options = {}) {
  const client = new ParleyClient({
    url: 'ws://chat.test/ws',
    getToken: () => token('42', { name: 'Ada' }),
    WebSocket: server.WebSocket,
    random: () => 1,
    storage: new MapStorage(),
    ...options,
  });
  const events = [];
  for (const name of ['state', 'welcome', 'joined', 'message', 'pending', 'presence', 'typing', 'error', 'left', 'forbidden']) {
    client.on(name, (payload) => events.push({ name, ...payload }));
  }
  client.events = events;
  return client;
}

/** Fake time, a fake server and a client on it, welcomed (with `welcome` fields, or a function of none giving them, added). */
export async function onlineClient(t, options = {}, welcome = {}) {
  useFakeTime(t);
  const server = new FakeServer();
  const client = newClient(server, options).connect();
  await settle();
  await server.welcome(undefined, typeof welcome === 'function' ? welcome() : welcome);
  return { server, client };
}

/** The `joined` answer the server gives to a join frame. */
export function joined(room, history = [], extra = {}) {
  return { type: 'joined', room, members: [{ id: '42', name: 'Ada' }], history, complete: true, ...extra };
}

export function msg(id, text, user = { id: '7', name: 'Bob' }, extra = {}) {
  return { type: 'message', room: 'lobby', id, user, text, ts: 1, kind: 'user', ...extra };
}
