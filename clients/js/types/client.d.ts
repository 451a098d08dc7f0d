// Types of @parley/client (src/client/index.js). docs/widget.md, "Client SDK", is checked against this file
// by test/docs.test.js: a member added here needs a line there.

/** A user as the server describes one. */
export interface User {
  id: string;
  name: string;
}

/** A chat message. `ref` is set on the sender's own messages; `meta` on messages the monolith published with one. */
export interface Message {
  id: string;
  user: User | null;
  text: string;
  /** Server time, ms since the epoch. */
  ts: number;
  kind: 'user' | 'system';
  ref?: string;
  meta?: Record<string, unknown>;
}

/** What the server enforces (`welcome.limits`), or the protocol's defaults when it does not say. */
export interface Limits {
  readonly text: number;
  readonly rooms: number;
  readonly rate: number;
  readonly burst: number;
  readonly frameBytes: number;
  readonly roomPattern: string;
}

export type ConnectionState = 'idle' | 'connecting' | 'online' | 'offline' | 'signed-out' | 'stopped' | 'closed';

/** An unsent message: `waiting` for a connection, `sending` (sent, not yet acknowledged), or `failed` (refused). */
export interface PendingMessage {
  ref: string;
  text: string;
  ts: number;
  state: 'waiting' | 'sending' | 'failed';
  /** Why it failed: the server's error code (`too_large`, `forbidden`, `bad_request`). */
  code?: string;
}

export interface Presence {
  /** null in a large room, where only the count is known. */
  members: User[] | null;
  count: number;
}

/** A Web Storage object: `localStorage`, `sessionStorage`, or anything with these three methods. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** A WebSocket constructor: the browser's, or one from a library in Node. */
export type WebSocketConstructor = new (url: string) => WebSocket;

export interface ParleyClientOptions {
  /** The chat service's base URL (http or https); the socket is `<server>/ws`. Either this or `url`. */
  server?: string;
  /** The WebSocket URL itself (ws or wss). */
  url?: string;
  /** Supplies a token; resolving to null or '' means "signed out". Either this or `tokenUrl`. */
  getToken?: () => string | null | undefined | Promise<string | null | undefined>;
  /** A token endpoint on the site: POST with the session cookie, answers `{"token": "…"}`; 401/403 mean signed out. */
  tokenUrl?: string;
  /** The JSON body of the token request (or a function returning it). */
  tokenBody?: Record<string, unknown> | (() => Record<string, unknown>);
  /** Where the outbox and the last user are kept (default: localStorage when there is one, else memory). */
  storage?: StorageLike;
  /** false: unsent messages are kept in memory only, and lost on reload (default true). */
  persistOutbox?: boolean;
  /** Reconnect backoff: base and cap in ms (defaults 1000 and 30000). */
  reconnect?: { baseMs?: number; maxMs?: number };
  /** The WebSocket class (default: globalThis.WebSocket). */
  WebSocket?: WebSocketConstructor;
  /** Random numbers in [0, 1) for backoff jitter (default Math.random). */
  random?: () => number;
}

export interface ClientEvents {
  state: { state: ConnectionState; code?: number; retryIn?: number };
  welcome: { user: User | null; limits: Limits; first: boolean; userChanged: boolean };
  joined: { room: string; resumed: boolean; complete: boolean; history: Message[]; members: User[] | null; count: number };
  left: { room: string };
  forbidden: { room: string };
  message: { room: string; message: Message; own: boolean };
  pending: { room: string; entries: PendingMessage[] };
  presence: { room: string; event: 'sync' | 'join' | 'leave' | 'count'; user?: User; members: User[] | null; count: number };
  typing: { room: string; users: User[] };
  error: { code: string; message?: string; room?: string; ref?: string };
}

export declare class ParleyClient {
  constructor(options: ParleyClientOptions);
  readonly state: ConnectionState;
  readonly user: User | null;
  readonly limits: Limits;
  readonly rooms: string[];
  connect(): this;
  retryNow(): void;
  close(): void;
  on<K extends keyof ClientEvents>(event: K, listener: (payload: ClientEvents[K]) => void): () => void;
  off<K extends keyof ClientEvents>(event: K, listener: (payload: ClientEvents[K]) => void): void;
  join(room: string): void;
  leave(room: string): void;
  send(room: string, text: string): string;
  typing(room: string, active?: boolean): void;
  pending(room: string): PendingMessage[];
  dismiss(room: string, ref: string): boolean;
  messages(room: string): Message[];
  presence(room: string): Presence;
  typingUsers(room: string): User[];
  isJoined(room: string): boolean;
}

/** Thrown (and reported) with a protocol error code: `bad_request`, `too_large`, `forbidden`, `not_joined`, `closed`. */
export declare class ParleyError extends Error {
  readonly code: string;
  readonly room?: string;
  readonly ref?: string;
}

export declare const DEFAULT_LIMITS: Limits;
export declare const VERSION: string;
export declare function isValidRoom(room: string, limits?: Limits): boolean;
export declare function reconnectPlan(code: number, attempt: number, options?: { baseMs?: number; maxMs?: number; random?: () => number }):
  { stop: true } | { stop?: undefined; delay: number; newToken: boolean };
export declare function refreshDelay(expiresSeconds: number, now: number, skewMs?: number): number;
export declare function readClaims(token: string): Record<string, unknown>;
export declare function tokenUrlSource(tokenUrl: string, body?: () => Record<string, unknown>): () => Promise<string>;
