// A reference chat server in Node.js (ws + ioredis), written the way a competent Node developer would write the
// part of Parley's wire contract (docs/protocol.md, section 1) that issue 9's fan-out scenario uses.
// It is a YARDSTICK for benchmarks, not a product: it exists so that Parley can be measured beside a plain Node
// server doing the same work on the same machine.
//
// What it does, as Parley does it:
//   - GET /ws upgrade; an Origin header not in ALLOWED_ORIGINS (empty by default, as in the benchmarks) gets 403,
//     no Origin (a server-side client) is allowed, `*` allows all; frames over 64 KiB close 1009.
//   - `auth` first, within AUTH_TIMEOUT_MS (else 4408); HS256 verification with a pinned algorithm, `exp` required,
//     `nbf` honoured, 2 s leeway; failure: `error` unauthorized, close 4401. `welcome` on success.
//   - `join` -> `joined` with the last 50 messages of the room's Redis stream (XREVRANGE ... COUNT 50, oldest
//     first), `complete`, the members (the first PRESENCE_LIST_LIMIT) and `memberCount` above that. Live events
//     for the room are held back while `joined` is prepared, and messages already in its history are then dropped:
//     no gap, no duplicate.
//   - presence across instances: a Lua script per join and per leave counts each user's connections in a Redis
//     hash, so exactly one instance sees a user's first connection appear and one sees the last go; that instance
//     publishes `presence` join/leave to the room's channel (to every member but that user's own sockets). Above
//     PRESENCE_LIST_LIMIT (1,000) members: `presence` count events instead, at most every 5 s per instance while
//     the count changes (per-user events in a big room cost the square of its size).
//   - `send` -> XADD to the room's stream (MAXLEN ~ 1000; the entry id is the message id, so it is durable in Redis
//     before the ack) then PUBLISH of the `message` frame to the room's channel, and `ack` to the sender. Every
//     instance subscribed to the channel writes the frame to its local members: encoded once per event, as a
//     Buffer handed to every socket as is.
//   - `leave` -> `left`; `ping` -> `pong`; WebSocket pings every HEARTBEAT_SECONDS (25), a peer silent for twice
//     that is cut; a socket with more than MAX_BUFFERED_BYTES (1 MiB) unsent is closed 4503 (a slow consumer must
//     never hold up the others).
//   - GET /observe/health/ready is 200 once both Redis connections are ready (and 503 while draining).
//   - SIGTERM/SIGINT: close every socket 1012, remove its presence, exit.
//
// What it does NOT do (Parley does): the server API, the monolith history outbox and event posts, rate/text/room/
// per-user limits, `typing`, `refresh`, `join` with `since`, idempotent re-sends of a `ref`, `rooms` claims and
// access policies, iss/aud/revocation, RS256/ES256/JWKS, eviction of a dead instance's presence, drain spread over
// a period, metrics, Redis cluster mode, WAIT for replicas. Messages of two instances' concurrent sends may be
// published in another order than their ids (Parley appends and publishes in one Lua script).
//
// Configuration (environment): PORT (8080), REDIS_URI (redis://127.0.0.1:6379), INSTANCE_ID (host-pid),
// JWT_SECRET (required; comma-separated for a rotation, each at least 32 bytes), ALLOWED_ORIGINS (empty),
// AUTH_TIMEOUT_MS (10000), HEARTBEAT_SECONDS (25), MAX_BUFFERED_BYTES (1048576), PRESENCE_LIST_LIMIT (1000).
import http from 'node:http';
import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import { WebSocketServer } from 'ws';
import { TokenError, verifyToken } from './lib/jwt.mjs';

const config = readConfig(process.env);
const ROOM_NAME = /^[A-Za-z0-9_.:-]{1,64}$/;
const HISTORY_ON_JOIN = 50;
const RETAINED_PER_ROOM = 1000;
const COUNT_INTERVAL_MS = 5000;
const OPEN = 1; // WebSocket.OPEN
const LIST_LIMIT = config.listLimit;

// Each user's connections in a room (field: user id, value: count) beside the user objects (for `joined.members`),
// changed atomically so that concurrent joins and leaves on several instances agree on the first and the last.
// Both return {the user's connections in the room afterwards, the room's member count afterwards}.
const PRESENCE_JOIN = `
local n = redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
if n == 1 then redis.call('HSET', KEYS[2], ARGV[1], ARGV[2]) end
return {n, redis.call('HLEN', KEYS[1])}`;
const PRESENCE_LEAVE = `
local n = redis.call('HINCRBY', KEYS[1], ARGV[1], -1)
if n <= 0 then
  redis.call('HDEL', KEYS[1], ARGV[1])
  redis.call('HDEL', KEYS[2], ARGV[1])
end
return {n, redis.call('HLEN', KEYS[1])}`;

const keys = {
  stream: (room) => `room:{${room}}:messages`,
  connections: (room) => `room:{${room}}:connections`,
  users: (room) => `room:{${room}}:users`,
  channel: (room) => `room:{${room}}:events`,
};
const CHANNEL = /^room:\{(.*)\}:events$/;

function readConfig(env) {
  const secrets = (env.JWT_SECRET ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (secrets.length === 0 || secrets.some((s) => Buffer.byteLength(s) < 32)) {
    console.error('server: JWT_SECRET is required (comma-separated, each at least 32 bytes)');
    process.exit(2);
  }
  return {
    port: Number(env.PORT ?? 8080),
    redisUri: env.REDIS_URI || 'redis://127.0.0.1:6379',
    instanceId: env.INSTANCE_ID || `${hostname()}-${process.pid}`,
    secrets,
    allowedOrigins: (env.ALLOWED_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    authTimeoutMs: Number(env.AUTH_TIMEOUT_MS ?? 10_000),
    heartbeatSeconds: Number(env.HEARTBEAT_SECONDS ?? 25),
    maxBufferedBytes: Number(env.MAX_BUFFERED_BYTES ?? 1 << 20),
    listLimit: Number(env.PRESENCE_LIST_LIMIT ?? 1000),
  };
}

// ---- Redis ------------------------------------------------------------------------------------------------------

// Two connections: a subscribed connection can run nothing but (un)subscribe commands.
const redis = new Redis(config.redisUri, { maxRetriesPerRequest: 2 });
const subscriber = new Redis(config.redisUri);
redis.defineCommand('presenceJoin', { numberOfKeys: 2, lua: PRESENCE_JOIN });
redis.defineCommand('presenceLeave', { numberOfKeys: 2, lua: PRESENCE_LEAVE });
for (const connection of [redis, subscriber]) {
  connection.on('error', (e) => console.error(`server ${config.instanceId}: redis: ${e.message}`));
}

// What goes over a room's channel: "<kind>\n<detail>\n<payload>", where kind is m (a message frame; detail: its
// stream id, to drop it for a joiner whose history has it), p (a presence frame; detail: the JSON string of the user
// id it is about, so never a line break; that user's own sockets do not get it) or c (a member count; payload: the
// count). The frame is final JSON, so an instance forwards the bytes it received without decoding or encoding them.
function publish(room, kind, detail, payload) {
  return redis.publish(keys.channel(room), `${kind}\n${detail}\n${payload}`);
}

subscriber.on('messageBuffer', (channelBuffer, envelope) => {
  const room = CHANNEL.exec(channelBuffer.toString())?.[1];
  const local = room === undefined ? undefined : rooms.get(room);
  if (local === undefined) return;
  const first = envelope.indexOf(10);
  const second = envelope.indexOf(10, first + 1);
  const kind = String.fromCharCode(envelope[0]);
  const detail = envelope.toString('utf8', first + 1, second);
  const payload = envelope.subarray(second + 1);
  if (kind === 'c') {
    local.pendingCount = Number(payload.toString());
  } else {
    fanOut(local, { kind, detail, data: payload });
  }
});

// ---- rooms on this instance -------------------------------------------------------------------------------------

/** room name -> { live: Set<socket>, joining: Map<socket, queued events>, pendingCount, countSentAt } */
const rooms = new Map();

function localRoom(name) {
  let room = rooms.get(name);
  if (room === undefined) {
    room = { name, live: new Set(), joining: new Map(), pendingCount: null, countSentAt: 0 };
    rooms.set(name, room);
    room.subscribed = subscriber.subscribe(keys.channel(name));
  }
  return room;
}

function forgetIfEmpty(room) {
  if (room.live.size === 0 && room.joining.size === 0 && rooms.get(room.name) === room) {
    rooms.delete(room.name);
    subscriber.unsubscribe(keys.channel(room.name)).catch(() => {});
  }
}

/** One event to every local member: written at once to the live ones, queued for those whose `joined` is pending. */
function fanOut(room, event) {
  for (const socket of room.live) {
    if (event.kind === 'p' && socket.userKey === event.detail) continue;
    write(socket, event.data);
  }
  for (const [socket, queue] of room.joining) {
    if (event.kind === 'p' && socket.userKey === event.detail) continue;
    queue.push(event);
  }
}

/** Writes a frame (a string, or a Buffer of UTF-8 JSON sent as a text frame without a copy). */
function write(socket, data) {
  if (socket.readyState !== OPEN) return;
  if (socket.bufferedAmount > config.maxBufferedBytes) {
    socket.close(4503, 'slow consumer');
    return;
  }
  socket.send(data, { binary: false });
}

/** Member counts of large rooms, at most every 5 s per room while they change (as Parley's ChatNode.tick). */
setInterval(() => {
  const now = Date.now();
  for (const room of rooms.values()) {
    if (room.pendingCount !== null && now - room.countSentAt >= COUNT_INTERVAL_MS) {
      const frame = Buffer.from(JSON.stringify({ type: 'presence', room: room.name, event: 'count',
        count: room.pendingCount }));
      room.pendingCount = null;
      room.countSentAt = now;
      for (const socket of room.live) write(socket, frame);
    }
  }
}, 1000).unref();

// ---- presence ---------------------------------------------------------------------------------------------------

/** Per-user events while the room is small; above the list limit (and once as it drops back to it) a count. */
function announce(room, event, user, memberCount) {
  if (memberCount <= LIST_LIMIT) {
    const frame = JSON.stringify({ type: 'presence', room, event, user });
    publish(room, 'p', JSON.stringify(user.id), frame).catch(logFailure);
  }
  if (memberCount > LIST_LIMIT || (memberCount === LIST_LIMIT && event === 'leave')) {
    publish(room, 'c', '', String(memberCount)).catch(logFailure);
  }
}

async function presenceJoin(room, user) {
  const [userConnections, memberCount] = await redis.presenceJoin(keys.connections(room), keys.users(room), user.id,
    JSON.stringify(user));
  if (userConnections === 1) announce(room, 'join', user, memberCount);
  return memberCount;
}

async function presenceLeave(room, user) {
  const [userConnections, memberCount] = await redis.presenceLeave(keys.connections(room), keys.users(room), user.id);
  if (userConnections <= 0) announce(room, 'leave', user, memberCount);
}

/** The first `limit` members of a room, read in pages so that a huge room is never read whole. */
async function members(room, limit) {
  const found = [];
  let cursor = '0';
  do {
    const [next, flat] = await redis.hscan(keys.users(room), cursor, 'COUNT', Math.min(limit, 500));
    for (let i = 1; i < flat.length && found.length < limit; i += 2) found.push(flat[i]);
    cursor = next;
  } while (cursor !== '0' && found.length < limit);
  return found; // user JSON strings, as stored
}

// ---- messages -----------------------------------------------------------------------------------------------------

/**
 * The stream entry holds the message's fields but its id and ts, which come from the entry id; a frame and a
 * history item are assembled around it as text, never parsed and re-encoded.
 */
function messageJson(room, streamId, body, withType) {
  const ts = streamId.slice(0, streamId.indexOf('-'));
  const id = `${streamId}:${room}`; // the room suffix makes the id unique across rooms, as the contract asks
  const type = withType ? '"type":"message",' : '';
  return `{${type}"room":${JSON.stringify(room)},"id":"${id}","ts":${ts},${body.slice(1)}`;
}

/** The last messages, oldest first, and whether none the room ever had was trimmed (Redis 7's entries-added). */
async function history(room) {
  const [[, entries], [infoError, info]] = await redis.pipeline()
    .xrevrange(keys.stream(room), '+', '-', 'COUNT', HISTORY_ON_JOIN)
    .xinfo('STREAM', keys.stream(room))
    .exec();
  let complete = true;
  if (!infoError) {
    const field = (name) => info[info.indexOf(name) + 1];
    complete = Number(field('length')) === Number(field('entries-added'));
  }
  entries.reverse();
  return {
    items: entries.map(([streamId, fields]) => messageJson(room, streamId, fields[1], false)),
    lastStreamId: entries.length > 0 ? entries[entries.length - 1][0] : null,
    complete,
  };
}

/** Stream ids ("ms-seq") in order. */
function streamIdAfter(a, b) {
  const [aMs, aSeq] = a.split('-').map(Number);
  const [bMs, bSeq] = b.split('-').map(Number);
  return aMs > bMs || (aMs === bMs && aSeq > bSeq);
}

// ---- client frames ------------------------------------------------------------------------------------------------

function error(socket, code, message, extra = {}) {
  write(socket, JSON.stringify({ type: 'error', code, message, ...extra }));
}

function refOf(frame) {
  return typeof frame.ref === 'string' && frame.ref.length >= 1 && frame.ref.length <= 64 ? frame.ref : undefined;
}

function authenticate(socket, text) {
  let frame;
  try {
    frame = JSON.parse(text);
  } catch {
    frame = null;
  }
  clearTimeout(socket.authTimer);
  if (frame?.type !== 'auth' || typeof frame.token !== 'string') {
    error(socket, 'unauthorized', 'the first frame must be auth');
    socket.close(4401, 'unauthorized');
    return;
  }
  try {
    const claims = verifyToken(frame.token, config.secrets);
    socket.user = { id: claims.sub, name: claims.name ?? claims.sub };
    socket.userKey = JSON.stringify(claims.sub); // how presence events name their user on the channel
    socket.rooms = new Set();
    write(socket, JSON.stringify({ type: 'welcome', connection: socket.connectionId, user: socket.user,
      expires: claims.exp, heartbeat: config.heartbeatSeconds }));
  } catch (e) {
    if (!(e instanceof TokenError)) throw e;
    error(socket, 'unauthorized', e.message);
    socket.close(4401, 'unauthorized');
  }
}

async function join(socket, frame, ref) {
  const name = frame.room;
  if (typeof name !== 'string' || !ROOM_NAME.test(name)) return error(socket, 'bad_request', 'bad room name', { ref });
  if (frame.since !== undefined) {
    return error(socket, 'bad_request', 'since is not supported by this reference server', { ref, room: name });
  }
  const room = localRoom(name);
  const queue = [];
  room.live.delete(socket); // joining again: answered with a fresh `joined`, as Parley does
  room.joining.set(socket, queue);
  const first = !socket.rooms.has(name);
  socket.rooms.add(name);
  try {
    // Subscribed before the history is read, and presence counted, both sent at once; a later leave is ordered
    // after this join on the same Redis connection.
    const counted = first ? presenceJoin(name, socket.user) : redis.hlen(keys.connections(name));
    const [memberCount] = await Promise.all([counted, room.subscribed]);
    const [past, list] = await Promise.all([history(name), members(name, LIST_LIMIT)]);
    if (socket.readyState !== OPEN || room.joining.get(socket) !== queue) return;
    const count = memberCount > LIST_LIMIT ? `,"memberCount":${memberCount}` : '';
    write(socket, `{"type":"joined","room":${JSON.stringify(name)},"members":[${list.join(',')}],`
      + `"history":[${past.items.join(',')}],"complete":${past.complete}${count}`
      + `${ref ? `,"ref":${JSON.stringify(ref)}` : ''}}`);
    room.joining.delete(socket);
    room.live.add(socket);
    for (const event of queue) {
      const seen = event.kind === 'm' && past.lastStreamId !== null && !streamIdAfter(event.detail, past.lastStreamId);
      if (!seen) write(socket, event.data);
    }
  } catch (e) {
    // Not joined after all (a presence count that did reach Redis stays until that user's next leave: a yardstick
    // does not reconcile after Redis trouble, Parley does).
    logFailure(e);
    room.joining.delete(socket);
    if (first) socket.rooms.delete(name);
    forgetIfEmpty(room);
    error(socket, 'internal', 'temporarily unavailable', { ref, room: name });
  }
}

function leave(socket, name, ref) {
  if (socket.rooms.delete(name)) {
    const room = rooms.get(name);
    if (room !== undefined) {
      room.live.delete(socket);
      room.joining.delete(socket);
      forgetIfEmpty(room);
    }
    presenceLeave(name, socket.user).catch(logFailure);
  }
  if (ref !== null) write(socket, JSON.stringify({ type: 'left', room: name, ref }));
}

async function send(socket, frame, ref) {
  const name = frame.room;
  if (typeof name !== 'string' || !socket.rooms.has(name)) {
    return error(socket, 'not_joined', 'join the room first', { ref, room: name });
  }
  if (typeof frame.text !== 'string' || frame.text.trim() === '') {
    return error(socket, 'bad_request', 'text is required', { ref, room: name });
  }
  const body = JSON.stringify({ user: socket.user, text: frame.text, kind: 'user', ref });
  let streamId;
  try {
    streamId = await redis.xadd(keys.stream(name), 'MAXLEN', '~', RETAINED_PER_ROOM, '*', 'm', body);
  } catch (e) {
    logFailure(e);
    return error(socket, 'internal', 'temporarily unavailable', { ref, room: name });
  }
  const message = messageJson(name, streamId, body, true);
  publish(name, 'm', streamId, message).catch(logFailure);
  write(socket, JSON.stringify({ type: 'ack', ref, id: `${streamId}:${name}`,
    ts: Number(streamId.slice(0, streamId.indexOf('-'))) }));
}

function onFrame(socket, text) {
  let frame;
  try {
    frame = JSON.parse(text);
  } catch {
    return error(socket, 'bad_request', 'malformed JSON');
  }
  if (frame === null || typeof frame !== 'object') return error(socket, 'bad_request', 'not an object');
  const ref = refOf(frame);
  switch (frame.type) {
    case 'send': return send(socket, frame, ref);
    case 'join': return join(socket, frame, ref);
    case 'leave':
      if (typeof frame.room !== 'string') return error(socket, 'bad_request', 'room is required', { ref });
      return leave(socket, frame.room, ref);
    case 'ping': return write(socket, JSON.stringify({ type: 'pong', ref }));
    case 'auth': return error(socket, 'bad_request', 'already authenticated', { ref });
    default: return error(socket, 'bad_request', `unsupported type ${JSON.stringify(frame.type)}`, { ref });
  }
}

// ---- sockets ------------------------------------------------------------------------------------------------------

let nextConnection = 0;
let draining = false;
const sockets = new Set();
const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024, perMessageDeflate: false,
  clientTracking: false });

function originAllowed(request) {
  const origins = request.headersDistinct.origin;
  if (origins === undefined) return true; // a server-side client sends none
  if (origins.length !== 1) return false; // a forged second header must not ride on an allowed first one
  return config.allowedOrigins.includes('*') || config.allowedOrigins.includes(origins[0]);
}

function refuse(tcp, status, reason) {
  tcp.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function accepted(socket) {
  socket.connectionId = `${config.instanceId}-${++nextConnection}`;
  socket.lastHeard = Date.now();
  socket.authTimer = setTimeout(() => socket.close(4408, 'auth timeout'), config.authTimeoutMs);
  sockets.add(socket);
  socket.on('pong', () => { socket.lastHeard = Date.now(); });
  socket.on('message', (data, isBinary) => {
    socket.lastHeard = Date.now();
    if (isBinary) return error(socket, 'bad_request', 'text frames only');
    if (socket.user === undefined) return authenticate(socket, data.toString());
    return onFrame(socket, data.toString());
  });
  socket.on('error', () => {}); // a reset peer; 'close' follows and cleans up
  socket.on('close', () => {
    clearTimeout(socket.authTimer);
    sockets.delete(socket);
    for (const name of socket.rooms ?? []) leave(socket, name, null);
  });
}

const httpServer = http.createServer((request, response) => {
  if (request.url === '/observe/health/ready') {
    const ready = !draining && redis.status === 'ready' && subscriber.status === 'ready';
    response.writeHead(ready ? 200 : 503).end();
  } else if (request.url === '/observe/health/live') {
    response.writeHead(200).end();
  } else {
    response.writeHead(404).end();
  }
});

httpServer.on('upgrade', (request, tcp, head) => {
  tcp.on('error', () => {}); // a peer that resets mid-handshake must not take the process down
  tcp.setNoDelay(true); // small frames should leave at once (Parley found Nagle's algorithm costing ~40 ms)
  if (request.url.split('?')[0] !== '/ws') return refuse(tcp, 404, 'Not Found');
  if (!originAllowed(request)) return refuse(tcp, 403, 'Forbidden');
  if (draining) return refuse(tcp, 503, 'Service Unavailable');
  wss.handleUpgrade(request, tcp, head, accepted);
});

// Pings every heartbeat; a peer silent (no frame, no pong) for two heartbeats is gone.
setInterval(() => {
  const silentSince = Date.now() - 2 * config.heartbeatSeconds * 1000;
  for (const socket of sockets) {
    if (socket.lastHeard < silentSince) socket.terminate();
    else if (socket.readyState === OPEN) socket.ping();
  }
}, config.heartbeatSeconds * 1000).unref();

function logFailure(e) {
  console.error(`server ${config.instanceId}: ${e.message}`);
}

async function shutdown() {
  if (draining) return;
  draining = true;
  httpServer.close();
  for (const socket of sockets) socket.close(1012, 'service restart');
  // The closes remove presence through 'close' events; give them a moment, then leave.
  const deadline = Date.now() + 5000;
  while (sockets.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  for (const socket of sockets) socket.terminate();
  await new Promise((r) => setTimeout(r, 100));
  await Promise.allSettled([redis.quit(), subscriber.quit()]);
  process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

httpServer.listen(config.port, '0.0.0.0', () => {
  console.log(`server ${config.instanceId}: listening on ${config.port}, redis ${config.redisUri}`);
});
