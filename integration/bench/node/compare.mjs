#!/usr/bin/env node
// Parley beside the Node reference server under the Node load client, one room size at a time: for every size and
// every server (interleaved, so that both see the machine in the same state), a fresh redis-server, two fresh
// instances of that server, the load client (load-client.mjs), and the CPU seconds of each server process, Redis
// and the load client (with its worker processes) over the measured phase, read from /proc by this process so that
// every side is counted the same way. Everything is torn down before the next run. The report goes to
// integration/target/bench/node-fanout-<time>.md.
//
// Usage (integration/bench/run.sh node-fanout builds Parley and passes its class path):
//   BENCH_SERVER_CLASSPATH=<parley class path> node compare.mjs [sizes=2000,5000] [servers=parley,node]
//     [server-jvm="-Xmx1g -XX:+UseSerialGC"] [publishers=4] [rate=20] [padding=200] [warm-up=200] [messages=600]
//     [processes=auto] [publisher-process=own] [window=200] [out=<dir>]
// (the client's options are explained at the top of load-client.mjs)
import { execFileSync, fork } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { integerList, parseOptions } from './lib/options.mjs';
import { cpuSeconds, treeCpu, treeCpuDelta } from './lib/proc.mjs';
import { startNodeServer, startParley, startRedis } from './lib/services.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const LOAD_CLIENT = join(here, 'load-client.mjs');
const SERVERS = ['parley', 'node'];
const CLIENT_OPTIONS = ['publishers', 'rate', 'padding', 'warm-up', 'messages', 'processes', 'publisher-process',
  'window'];

const DEFAULTS = {
  sizes: '2000,5000', servers: 'parley,node', 'server-jvm': '-Xmx1g -XX:+UseSerialGC', publishers: '4', rate: '20',
  padding: '200', 'warm-up': '200', messages: '600', processes: 'auto', 'publisher-process': 'own', window: '200',
  out: resolve(here, '../../target/bench'),
};

const log = (text) => process.stderr.write(`compare: ${text}\n`);

function settingsFrom(options) {
  const servers = options.servers.split(',').map((s) => s.trim()).filter(Boolean);
  for (const server of servers) {
    if (!SERVERS.includes(server)) throw new Error(`servers: unknown "${server}" (known: ${SERVERS.join(', ')})`);
  }
  const classpath = process.env.BENCH_SERVER_CLASSPATH ?? '';
  if (servers.includes('parley') && classpath.trim() === '') {
    throw new Error('BENCH_SERVER_CLASSPATH must hold Parley\'s class path '
      + '(integration/bench/run.sh node-fanout sets it)');
  }
  return {
    sizes: integerList(options, 'sizes'),
    servers,
    jvmFlags: options['server-jvm'].split(/\s+/).filter(Boolean),
    classpath,
    clientArgs: CLIENT_OPTIONS.map((key) => `${key}=${options[key]}`),
    options,
    out: resolve(options.out),
  };
}

/** The soft limit on open files: each socket costs one in the client and one in a server. */
function openFilesLimit() {
  const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
  return line ? line.trim().split(/\s+/)[3] : '?';
}

/** Which Parley was measured: the class path's origin and the repository's commit (dirty: uncommitted changes). */
function build() {
  let commit = '?';
  try {
    commit = execFileSync('git', ['-C', here, 'describe', '--always', '--dirty'], { encoding: 'utf8' }).trim();
  } catch {
    // not a git checkout
  }
  const origin = process.env.BENCH_SERVER_CLASSPATH_FROM ?? 'BENCH_SERVER_CLASSPATH';
  return `Parley from ${origin} (repository at ${commit})`;
}

function machine() {
  return `${cpus().length} CPUs, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Linux ${release()}, `
    + `Node ${process.versions.node}, open files limit ${openFilesLimit()}`;
}

async function startServers(server, s, redis, size, stamp) {
  const started = [];
  try {
    for (const id of ['a', 'b']) {
      const logFile = join(s.out, `node-fanout-${stamp}-${size}-${server}-${id}.log`);
      started.push(server === 'parley'
        ? await startParley({ id, redisUri: redis.uri, classpath: s.classpath, jvmFlags: s.jvmFlags, log: logFile })
        : await startNodeServer({ id, redisUri: redis.uri, log: logFile }));
    }
    return started;
  } catch (e) {
    await Promise.all(started.map((x) => x.stop()));
    throw e;
  }
}

/** CPU seconds so far of: instance a, instance b, Redis, and the load client's process tree. */
function cpuNow(servers, redis, client) {
  return {
    a: cpuSeconds(servers[0].pid),
    b: cpuSeconds(servers[1].pid),
    redis: cpuSeconds(redis.pid),
    client: treeCpu(client.pid),
  };
}

/**
 * Runs the load client against the servers. It stops at the start and the end of the measured phase and waits for
 * this process to read the CPU counters, so the readings frame exactly the measured messages.
 */
function runClient(s, size, server, servers, redis) {
  return new Promise((resolvePromise, reject) => {
    const args = [`ports=${servers.map((x) => x.port).join(',')}`, `subscribers=${size}`, `label=${server}`,
      ...s.clientArgs];
    // Its own output (progress, its JSON line and table row) goes to stderr; the report is this process's stdout.
    const client = fork(LOAD_CLIENT, args, { stdio: ['ignore', 2, 'inherit', 'ipc'] });
    let before;
    let cpu;
    let result;
    client.on('message', (m) => {
      if (m.measuring === 'start') {
        before = cpuNow(servers, redis, client);
      } else if (m.measuring === 'end') {
        const after = cpuNow(servers, redis, client);
        cpu = {
          a: after.a - before.a,
          b: after.b - before.b,
          redis: after.redis - before.redis,
          client: treeCpuDelta(before.client, after.client),
        };
      } else if (m.result) {
        result = m.result;
      }
      if (m.measuring) client.send({ go: m.measuring });
    });
    client.once('exit', (code) => {
      if (result && cpu) resolvePromise({ ...result, cpu });
      else reject(new Error(`the load client exited with ${code} before reporting a result`));
    });
  });
}

/** One size against one server, on a fresh Redis and fresh instances, always torn down. */
async function runOne(s, size, server, stamp) {
  log(`${server}, ${size} subscribers`);
  const redis = await startRedis(join(s.out, `node-fanout-${stamp}-${size}-${server}-redis.log`));
  try {
    const servers = await startServers(server, s, redis, size, stamp);
    try {
      return await runClient(s, size, server, servers, redis);
    } finally {
      await Promise.all(servers.map((x) => x.stop()));
    }
  } finally {
    await redis.stop();
  }
}

const fmt = (n) => n.toLocaleString('en-US');
const cpuText = (c) => [c.a, c.b, c.redis, c.client].map((x) => x.toFixed(2)).join(' / ');

function row(server, size, r) {
  if (r.error) return `| ${fmt(size)} | ${server} | failed: ${r.error.replaceAll('|', '\\|').slice(0, 300)} |||||||||`;
  const closed = r.closedByServer > 0 ? ` (${r.closedByServer} closed by server)` : '';
  return `| ${fmt(size)} | ${server} | ${fmt(r.delivered)} / ${fmt(r.expected)}${closed} | ${r.p50Ms} | ${r.p90Ms} `
    + `| ${r.p99Ms} | ${r.maxMs} | ${r.ackP50Ms} | ${r.ackP99Ms} | ${cpuText(r.cpu)} | ${r.seconds} |`;
}

function report(s, runs) {
  const o = s.options;
  const lines = [
    '### Node.js load client: Parley and the Node reference server',
    '',
    `${machine()}. ${build()}, JVM \`${s.jvmFlags.join(' ')}\`. One room: N subscribers and ${o.publishers} publishers `
      + `spread over two instances of the server and one redis-server (\`--save "" --appendonly no\`), `
      + `${o.rate} messages/s in total with ${o.padding} bytes of text, ${o['warm-up']} warm-up messages, then `
      + `${o.messages} measured. Load client: integration/bench/node/load-client.mjs, processes=${o.processes} `
      + `(subscriber processes; one per 15,000 when auto), publisher-process=${o['publisher-process']}. `
      + 'Latencies in ms from the intended send time; CPU seconds over the measured phase, from /proc.',
    '',
    '| N | server | delivered | p50 | p90 | p99 | max | ack p50 | ack p99 '
      + '| CPU s: instance a / b / Redis / load client | wall s |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---:|',
    ...runs.map(({ server, size, result }) => row(server, size, result)),
  ];
  const problems = runs.filter((r) => r.result.problems?.length > 0);
  for (const { server, size, result } of problems) {
    lines.push('', `${server} at ${fmt(size)}: load client problems ${JSON.stringify(result.problems)}`);
  }
  return `${lines.join('\n')}\n`;
}

function timestamp() {
  return new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

async function main() {
  const s = settingsFrom(parseOptions(process.argv.slice(2), DEFAULTS));
  mkdirSync(s.out, { recursive: true });
  const stamp = timestamp();
  log(`machine: ${machine()}`);
  const runs = [];
  for (const size of s.sizes) {
    for (const server of s.servers) {
      let result;
      try {
        result = await runOne(s, size, server, stamp);
      } catch (e) {
        log(`${server} at ${size} failed: ${e.message}`);
        result = { error: e.message };
      }
      runs.push({ server, size, result });
    }
  }
  const text = report(s, runs);
  const file = join(s.out, `node-fanout-${stamp}.md`);
  writeFileSync(file, text);
  process.stdout.write(`\n${text}\n(written to ${file})\n`);
  const complete = runs.every((r) => !r.result.error && r.result.delivered === r.result.expected);
  process.exitCode = complete ? 0 : 1;
}

main().catch((e) => {
  log(e.stack ?? e.message);
  process.exit(1);
});
