import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeServer, MapStorage, joined, msg, newClient, settle, tick, useFakeTime } from './harness.js';

const ada = { id: '42', name: 'Ada' };

async function connectAndJoin(server, client, history = []) {
  client.connect();
  await settle();
  const ws = await server.welcome();
  ws.push(joined('lobby', history));
  return ws;
}

test('messages written offline are sent in the order written once the room is joined', async (t) => {
  useFakeTime(t);
  const server = new FakeServer();
  const client = newClient(server);
  client.join('lobby');
  const refs = ['one', 'two', 'three'].map((text) => client.send('lobby', text));
  assert.deepEqual(client.pending('lobby').map((p) => [p.text, p.state]), [['one', 'waiting'], ['two', 'waiting'], ['three', 'waiting']]);
  const ws = await connectAndJoin(server, client);
  assert.deepEqual(ws.frames('send').map((f) => [f.text, f.ref]), [['one', refs[0]], ['two', refs[1]], ['three', refs[2]]]);
  assert.deepEqual(client.pending('lobby').map((p) => p.state), ['sending', 'sending', 'sending']);
  ws.push({ type: 'ack', ref: refs[0], id: '1-0', ts: 5 });
  ws.push(msg('1-0', 'one', ada, { ref: refs[0] })); // its own broadcast after the ack: not shown twice
  assert.deepEqual(client.messages('lobby').map((m) => m.text), ['one']);
  assert.deepEqual(client.pending('lobby').map((p) => p.text), ['two', 'three']);
  client.close();
});

test('a backlog is paced under the server rate (8 a second with the default 10/s), still in order', async (t) => {
  useFakeTime(t);
  const server = new FakeServer();
  const client = newClient(server);
  client.join('lobby');
  for (let i = 0; i < 20; i++) client.send('lobby', 'm' + i);
  const ws = await connectAndJoin(server, client);
  assert.equal(ws.frames('send').length, 8);
  await tick(1000);
  assert.equal(ws.frames('send').length, 16);
  await tick(1000);
  assert.deepEqual(ws.frames('send').map((f) => f.text), Array.from({ length: 20 }, (_, i) => 'm' + i));
  client.close();
});

test('exactly once across a reload: the same ref is re-sent, and an echo already in history clears it', async (t) => {
  useFakeTime(t);
  const storage = new MapStorage();
  const server = new FakeServer();
  const before = newClient(server, { storage });
  await connectAndJoin(server, before);
  before.join('lobby');
  server.last.push(joined('lobby'));
  const first = before.send('lobby', 'sent, ack lost');
  const second = before.send('lobby', 'never left the page');
  server.last.frames('send'); // both went out, but the page is reloaded before any ack
  before.close();

  // The reload: a new client on the same storage knows the user (remembered) and shows the outbox at once.
  const after = newClient(server, { storage });
  after.join('lobby');
  assert.deepEqual(after.pending('lobby').map((p) => [p.ref, p.text]), [[first, 'sent, ack lost'], [second, 'never left the page']]);
  // The server had accepted the first one: the join's history carries it, with its ref.
  const ws = await connectAndJoin(server, after, [msg('5-0', 'sent, ack lost', ada, { ref: first })]);
  assert.deepEqual(ws.frames('send').map((f) => f.ref), [second], 'only the unacknowledged one is sent again, with its ref');
  ws.push({ type: 'ack', ref: second, id: '6-0', ts: 9 });
  assert.deepEqual(after.messages('lobby').map((m) => m.text), ['sent, ack lost', 'never left the page']);
  assert.deepEqual(after.pending('lobby'), []);
  assert.deepEqual([...storage.map.keys()].filter((k) => k.startsWith('parley:v1:outbox:')), [], 'nothing left to send');
  after.close();
});

test('a resend after a reconnect carries the same ref (the server answers with the same id)', async (t) => {
  useFakeTime(t);
  const server = new FakeServer();
  const client = newClient(server);
  client.join('lobby');
  const ws1 = await connectAndJoin(server, client);
  const ref = client.send('lobby', 'hello');
  ws1.serverClose(1006);
  await tick(1000);
  const ws2 = await server.welcome();
  ws2.push(joined('lobby'));
  assert.deepEqual(ws2.frames('send').map((f) => f.ref), [ref]);
  ws2.push({ type: 'ack', ref, id: '1-0', ts: 1 });
  ws2.push(msg('1-0', 'hello', ada, { ref }));
  assert.equal(client.messages('lobby').length, 1);
  assert.equal(client.events.filter((e) => e.name === 'message').length, 1);
  client.close();
});

test('refused messages are marked failed and leave the outbox; transient refusals are retried with the same ref', async (t) => {
  useFakeTime(t);
  const storage = new MapStorage();
  const server = new FakeServer();
  const client = newClient(server, { storage });
  client.join('lobby');
  const ws = await connectAndJoin(server, client);
  const refused = client.send('lobby', 'refused');
  const limited = client.send('lobby', 'rate limited');
  ws.push({ type: 'error', code: 'too_large', message: 'too long', ref: refused });
  ws.push({ type: 'error', code: 'rate_limited', message: 'slow down', ref: limited });
  assert.deepEqual(client.pending('lobby').map((p) => [p.text, p.state, p.code]),
    [['refused', 'failed', 'too_large'], ['rate limited', 'waiting', undefined]]);
  assert.equal(JSON.parse(storage.getItem([...storage.map.keys()].find((k) => k.startsWith('parley:v1:outbox:')))).length, 1);
  await tick(2000);
  assert.deepEqual(ws.frames('send').filter((f) => f.ref === limited).length, 2);
  assert.equal(client.dismiss('lobby', refused), true);
  assert.deepEqual(client.pending('lobby').map((p) => p.text), ['rate limited']);
  client.close();
});

test('messages another tab of the same user queued are picked up at the next join', async (t) => {
  useFakeTime(t);
  const storage = new MapStorage();
  const server = new FakeServer();
  const tabA = newClient(server, { storage });
  tabA.join('lobby');
  const wsA = await connectAndJoin(server, tabA);
  const tabB = newClient(server, { storage });
  tabB.join('lobby');
  const ref = tabB.send('lobby', 'from tab B');
  wsA.serverClose(1006);
  await tick(1000);
  const wsA2 = await server.welcome();
  wsA2.push(joined('lobby'));
  assert.deepEqual(wsA2.frames('send').map((f) => f.ref), [ref]);
  tabA.close();
  tabB.close();
});
