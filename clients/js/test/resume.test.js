import assert from 'node:assert/strict';
import { test } from 'node:test';
import { joined, msg, onlineClient, tick } from './harness.js';

test('the first join has no since; a rejoin after a reconnect resumes from the last id seen', async (t) => {
  const { server, client } = await onlineClient(t);
  client.join('lobby');
  assert.deepEqual(server.last.frames('join'), [{ type: 'join', room: 'lobby' }]);
  server.last.push(joined('lobby', [msg('1-0', 'one'), msg('2-0', 'two')]));
  server.last.push(msg('3-0', 'three'));
  server.last.serverClose(1006);
  await tick(1000);
  await server.welcome();
  assert.deepEqual(server.last.frames('join'), [{ type: 'join', room: 'lobby', since: '3-0' }]);
  client.close();
});

test('history overlapping live frames shows each message once, and only new ones are announced', async (t) => {
  const { server, client } = await onlineClient(t);
  client.join('lobby');
  server.last.push(joined('lobby', [msg('1-0', 'one')]));
  const firstLoad = client.events.find((e) => e.name === 'joined');
  assert.deepEqual(firstLoad.history.map((m) => m.text), ['one']);
  assert.equal(firstLoad.resumed, false);
  server.last.push(msg('2-0', 'two'));
  server.last.push(msg('2-0', 'two')); // the same frame twice
  server.last.serverClose(1012);
  await tick(3000);
  await server.welcome();
  // The resume overlaps what was seen live (2-0), and brings what was missed (3-0).
  server.last.push(joined('lobby', [msg('2-0', 'two'), msg('3-0', 'three')]));
  server.last.push(msg('3-0', 'three'));
  assert.deepEqual(client.messages('lobby').map((m) => m.id), ['1-0', '2-0', '3-0']);
  assert.deepEqual(client.events.filter((e) => e.name === 'message').map((e) => e.message.text), ['two', 'three']);
  const resumed = client.events.filter((e) => e.name === 'joined').at(-1);
  assert.equal(resumed.resumed, true);
  assert.deepEqual(resumed.history, [], 'caught-up messages arrive as message events, not as a first load');
  client.close();
});

test('a resume that lost messages to retention says so (complete: false)', async (t) => {
  const { server, client } = await onlineClient(t);
  client.join('lobby');
  server.last.push(joined('lobby', [msg('1-0', 'one')]));
  server.last.serverClose(1006);
  await tick(1000);
  await server.welcome();
  server.last.push(joined('lobby', [msg('9-0', 'nine')], { complete: false }));
  const resumed = client.events.filter((e) => e.name === 'joined').at(-1);
  assert.equal(resumed.complete, false);
  assert.equal(resumed.resumed, true);
  client.close();
});

test('presence follows join, leave and counts; typing lasts 3 s or until the typist speaks', async (t) => {
  const { server, client } = await onlineClient(t);
  client.join('lobby');
  server.last.push(joined('lobby'));
  const bob = { id: '7', name: 'Bob' };
  server.last.push({ type: 'presence', room: 'lobby', event: 'join', user: bob });
  assert.deepEqual(client.presence('lobby'), { members: [{ id: '42', name: 'Ada' }, bob], count: 2 });
  server.last.push({ type: 'typing', room: 'lobby', user: bob });
  assert.deepEqual(client.typingUsers('lobby'), [bob]);
  await tick(3000);
  assert.deepEqual(client.typingUsers('lobby'), []);
  server.last.push({ type: 'typing', room: 'lobby', user: bob });
  server.last.push(msg('1-0', 'hi', bob));
  assert.deepEqual(client.typingUsers('lobby'), [], "Bob's message ends his typing");
  server.last.push({ type: 'presence', room: 'lobby', event: 'leave', user: bob });
  assert.equal(client.presence('lobby').count, 1);
  server.last.push({ type: 'presence', room: 'lobby', event: 'count', count: 1500 });
  assert.deepEqual(client.presence('lobby'), { members: null, count: 1500 }, 'a large room: only the count');
  client.close();
});

test('our own typing goes out at most once per 2 s, a burst inside the window once at its end', async (t) => {
  const { server, client } = await onlineClient(t);
  client.join('lobby');
  server.last.push(joined('lobby'));
  client.typing('lobby');
  client.typing('lobby');
  assert.equal(server.last.frames('typing').length, 1);
  await tick(1000);
  client.typing('lobby');
  await tick(1099);
  assert.equal(server.last.frames('typing').length, 1);
  await tick(1);
  assert.equal(server.last.frames('typing').length, 2, 'the burst is announced when the window ends');
  client.typing('lobby');
  client.typing('lobby', false); // the composer was emptied
  await tick(2100);
  assert.equal(server.last.frames('typing').length, 2, 'a withdrawn signal is not sent');
  client.close();
});
