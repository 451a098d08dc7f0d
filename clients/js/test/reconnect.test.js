import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reconnectPlan } from '../src/client/index.js';
import { FakeServer, newClient, onlineClient, settle, tick, useFakeTime } from './harness.js';

const max = () => 1; // the top of every jitter range, so delays are exact

test('the plan per close code: backoff grows and is capped, drains spread, limits floor, 4403 stops', () => {
  assert.deepEqual(reconnectPlan(1006, 0, { random: max }), { delay: 1000, newToken: false });
  assert.deepEqual(reconnectPlan(1006, 3, { random: max }), { delay: 8000, newToken: false });
  assert.deepEqual(reconnectPlan(1006, 10, { random: max }), { delay: 30000, newToken: false });
  for (const code of [1000, 1001, 1009, 1011, 4400, 4408, 4503]) {
    assert.equal(reconnectPlan(code, 2, { random: max }).delay, 4000, 'code ' + code);
  }
  assert.equal(reconnectPlan(1012, 9, { random: max }).delay, 3000, '1012: a random 0-3 s, whatever the attempt');
  assert.equal(reconnectPlan(1012, 0, { random: () => 0 }).delay, 0);
  assert.equal(reconnectPlan(4429, 0, { random: max }).delay, 5000, '4429 never sooner than 5 s');
  assert.equal(reconnectPlan(4429, 5, { random: max }).delay, 30000);
  assert.deepEqual(reconnectPlan(4401, 0, { random: max }), { delay: 0, newToken: true });
  assert.deepEqual(reconnectPlan(4401, 2, { random: max }), { delay: 4000, newToken: true });
  assert.deepEqual(reconnectPlan(4403, 0), { stop: true });
  assert.equal(reconnectPlan(1006, 4, { random: () => 0.5 }).delay, 8000, 'full jitter: anywhere up to the ceiling');
});

test('a dropped socket reconnects after the backoff, then backs off further while attempts fail', async (t) => {
  const { server, client } = await onlineClient(t);
  server.last.serverClose(1006);
  assert.equal(client.state, 'offline');
  assert.equal(server.sockets.length, 1);
  await tick(999);
  assert.equal(server.sockets.length, 1, 'not before the first backoff (1 s)');
  await tick(1);
  assert.equal(server.sockets.length, 2);
  server.last.serverClose(1006); // fails before welcome
  await tick(1999);
  assert.equal(server.sockets.length, 2, 'the second attempt waits up to 2 s');
  await tick(1);
  assert.equal(server.sockets.length, 3);
  client.close();
});

test('4403 stops for good: no reconnect, and sending is refused', async (t) => {
  const { server, client } = await onlineClient(t);
  client.join('lobby');
  server.last.serverClose(4403);
  assert.equal(client.state, 'stopped');
  await tick(120000);
  assert.equal(server.sockets.length, 1);
  assert.throws(() => client.send('lobby', 'hello?'), { code: 'closed' });
  assert.deepEqual(client.events.filter((e) => e.name === 'state').map((e) => e.state).slice(-1), ['stopped']);
});

test('4401 fetches a new token at once, and the new socket authenticates with it', async (t) => {
  let issued = 0;
  const { server, client } = await onlineClient(t, { getToken: () => 'tok-' + (++issued) });
  assert.deepEqual(server.last.frames('auth'), [{ type: 'auth', token: 'tok-1' }]);
  server.last.serverClose(4401);
  await tick(0);
  assert.equal(server.sockets.length, 2, 'reconnects at once the first time');
  server.last.open();
  await settle();
  assert.deepEqual(server.last.frames('auth'), [{ type: 'auth', token: 'tok-2' }]);
  client.close();
});

test('1012 (a deploy) reconnects within the drain spread even after many failures; 4429 waits at least 5 s', async (t) => {
  const { server, client } = await onlineClient(t);
  server.last.serverClose(1012);
  const offline = client.events.filter((e) => e.name === 'state' && e.state === 'offline').at(-1);
  assert.equal(offline.code, 1012);
  assert.equal(offline.retryIn, 3000);
  await tick(3000);
  assert.equal(server.sockets.length, 2);
  await server.welcome();
  server.last.serverClose(4429);
  await tick(4999);
  assert.equal(server.sockets.length, 2);
  await tick(1);
  assert.equal(server.sockets.length, 3);
  client.close();
});

test('a socket that answers nothing is dropped within about one heartbeat, then replaced', async (t) => {
  useFakeTime(t);
  const server = new FakeServer();
  const client = newClient(server).connect();
  await settle();
  await server.welcome(); // heartbeat 25 s: a ping every 12.5 s
  await tick(12500);
  assert.equal(server.last.frames('ping').length, 1);
  await tick(12500);
  assert.equal(server.last.closedWith, 4000, 'no frame since the ping: the socket is given up');
  assert.equal(client.state, 'offline');
  client.close();
});
