import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_LIMITS } from '../src/client/index.js';
import { onlineClient } from './harness.js';

test('without limits in welcome (an older server) the protocol defaults apply', async (t) => {
  const { server, client } = await onlineClient(t);
  assert.deepEqual(client.limits, DEFAULT_LIMITS);
  client.join('lobby');
  assert.throws(() => client.send('lobby', 'x'.repeat(4001)), { code: 'too_large' });
  assert.equal(typeof client.send('lobby', 'x'.repeat(4000)), 'string');
  assert.throws(() => client.join('no spaces'), { code: 'bad_request' });
  client.close();
});

test('the limits the server sends are the ones enforced, and bad input changes nothing', async (t) => {
  const { server, client } = await onlineClient(t, {}, { limits: { text: 10, rooms: 2, rate: 10, burst: 20, frameBytes: 65536, roomPattern: '^[a-z]{1,8}$' } });
  assert.equal(client.limits.text, 10);
  client.join('lobby');
  assert.throws(() => client.join('Lobby'), { code: 'bad_request' }, 'the server room rule, not the default');
  client.join('second');
  assert.throws(() => client.join('third'), { code: 'forbidden' }, 'at most 2 rooms');
  assert.deepEqual(client.rooms, ['lobby', 'second']);
  assert.throws(() => client.send('lobby', 'eleven chars'), { code: 'too_large' });
  assert.throws(() => client.send('lobby', '   '), { code: 'bad_request' });
  assert.throws(() => client.send('elsewhere', 'hi'), { code: 'not_joined' });
  assert.deepEqual(client.pending('lobby'), []);
  assert.deepEqual(server.last.frames('send'), []);
  client.close();
});

test('malformed limits keep the defaults field by field', async (t) => {
  const { server, client } = await onlineClient(t, {}, { limits: { text: -1, rooms: 'many', roomPattern: '([' } });
  assert.deepEqual(client.limits, DEFAULT_LIMITS);
  client.close();
});
