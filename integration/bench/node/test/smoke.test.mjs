// Keeps the Node tooling working: the reference server pair and the load client at a tiny size against a real
// redis-server, every message delivered to every subscriber and acked. Not part of the Maven build (it needs Node and
// takes ~15 s); run it with `npm test` or `node --test test/` in integration/bench/node after changing these files.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { DEFAULTS, runLoad, settingsFrom } from '../load-client.mjs';
import { startNodeServer, startRedis } from '../lib/services.mjs';

// The servers' logs of the last run, for when it fails (target/ is not in git).
const logs = fileURLToPath(new URL('../../../target/bench-node-smoke/', import.meta.url));
rmSync(logs, { recursive: true, force: true });
mkdirSync(logs, { recursive: true });
let redis;
let servers = [];

before(async () => {
  redis = await startRedis(join(logs, 'redis.log'));
  for (const id of ['a', 'b']) {
    servers.push(await startNodeServer({ id, redisUri: redis.uri, log: join(logs, `server-${id}.log`) }));
  }
});

after(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await redis?.stop();
});

function settings(overrides) {
  const options = { ...DEFAULTS, ports: servers.map((s) => s.port).join(','), ...overrides };
  return settingsFrom(options);
}

test('every message reaches every subscriber and is acked, publishers in a process of their own', async () => {
  const r = await runLoad(settings({ subscribers: '20', 'warm-up': '10', messages: '20', rate: '40' }));
  assert.equal(r.expected, 20 * 20);
  assert.equal(r.delivered, r.expected);
  assert.equal(r.acks, 20);
  assert.equal(r.closedByServer, 0);
  assert.ok(r.p50Ms > 0 && r.p50Ms <= r.p99Ms && r.p99Ms <= r.maxMs, JSON.stringify(r));
});

test('sockets dealt over two load processes, publishers among them, are measured as one run', async () => {
  const r = await runLoad(settings({ subscribers: '21', 'warm-up': '0', messages: '12', rate: '40', processes: '2',
    'publisher-process': 'shared' }));
  assert.equal(r.processes, 2);
  assert.equal(r.publisherProcess, 'shared');
  assert.equal(r.delivered, 21 * 12);
  assert.equal(r.acks, 12);
});
