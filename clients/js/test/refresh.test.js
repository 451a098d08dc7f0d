import assert from 'node:assert/strict';
import { test } from 'node:test';
import { refreshDelay } from '../src/client/index.js';
import { FakeServer, newClient, onlineClient, settle, tick, token, useFakeTime } from './harness.js';

test('refresh 60 s before expiry; half-way for tokens under two minutes; never sooner than 5 s', () => {
  const now = 1_000_000_000_000;
  const at = (seconds) => now / 1000 + seconds;
  assert.equal(refreshDelay(at(3600), now), 3540000);
  assert.equal(refreshDelay(at(120), now), 60000);
  assert.equal(refreshDelay(at(60), now), 30000);
  assert.equal(refreshDelay(at(4), now), 5000);
  assert.equal(refreshDelay(at(3600), now, 10000), 3530000, 'a server clock 10 s ahead refreshes 10 s sooner');
});

test('the client refreshes in-band before expiry, and schedules the next refresh from `refreshed`', async (t) => {
  let issued = 0;
  const { server, client } = await onlineClient(t, { getToken: () => token('42', { exp: 600 }) + '#' + (++issued) }, () => ({ expires: Math.floor(Date.now() / 1000) + 600 }));
  const ws = server.last;
  await tick(539999);
  assert.deepEqual(ws.frames('refresh'), []);
  await tick(1);
  assert.equal(ws.frames('refresh').length, 1);
  assert.match(ws.frames('refresh')[0].token, /#2$/, 'a fresh token, not the cached one');
  ws.push({ type: 'refreshed', expires: Math.floor(Date.now() / 1000) + 100 });
  await tick(49999);
  assert.equal(ws.frames('refresh').length, 1);
  await tick(1);
  assert.equal(ws.frames('refresh').length, 2, 'a 100 s token is refreshed half-way');
  assert.equal(server.sockets.length, 1, 'the connection was never interrupted');
  client.close();
});

test('the token issuer clock (iat) corrects the local clock: a reconnect reuses a token only with 30 s left', async (t) => {
  useFakeTime(t);
  const server = new FakeServer();
  let issued = 0;
  // The issuer's clock is 100 s ahead of ours; the token lives 200 s by its clock.
  const client = newClient(server, { getToken: () => { issued++; return token('42', { iat: 100, exp: 300 }); } }).connect();
  await settle();
  await server.welcome();
  server.last.serverClose(1006);
  await tick(1000);
  assert.equal(issued, 1, '199 s left: reused');
  await server.welcome();
  await tick(170000);
  server.last.serverClose(1006);
  await tick(1000);
  assert.equal(issued, 2, 'under 30 s left: a new one');
  client.close();
});

test('a token source that says "signed out" leaves the client waiting until retryNow', async (t) => {
  useFakeTime(t);
  const server = new FakeServer();
  let session = null;
  const client = newClient(server, { getToken: () => session }).connect();
  await settle();
  assert.equal(client.state, 'signed-out');
  await tick(60000);
  assert.equal(server.sockets.length, 0);
  session = token('42');
  client.retryNow();
  await settle();
  assert.equal(server.sockets.length, 1);
  client.close();
});
