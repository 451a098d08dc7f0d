#!/usr/bin/env node
// A Node.js load client for issue 9's fan-out scenario, the same scenario and the same measurement as the Java
// harness's ClusterFanoutBench (integration/src/test/java/io/parley/it/bench/):
//   one room ("fan") of N subscribers + P publishers, socket i on server i mod 2; each socket upgrades /ws, sends
//   `auth` with its own fresh HS256 token, joins the room and waits for `joined` (failed set-ups are reopened up to
//   5 times: the presence storm of the joins can time a join out or close a socket 4503); after the presence events
//   have died down, an unrecorded warm-up, then the measured phase: the publishers in turn send `rate` messages/s in
//   total, each with `padding` bytes of text; latency is from a message's intended send time to its arrival at each
//   subscriber, and from intended send time to the publisher's `ack`.
// The subscribers are dealt round-robin to `processes` worker processes (lib/load-worker.mjs; default one per
// 15,000 sockets, as the outside measurement ran), and the publishers get a worker of their own, as ClusterFanoutBench
// gives them a selector thread of their own: a publisher is another user's browser, so its sends and acks must not
// wait behind the reading of thousands of subscriber sockets (`publisher-process=shared` deals them with the rest).
// This coordinator holds no socket, merges the workers' raw samples into exact percentiles and reports the CPU
// seconds the client (itself plus its workers) used over the measured phase.
//
// Usage: node load-client.mjs ports=<a>,<b> [subscribers=1000] [publishers=4] [rate=20] [padding=200]
//        [warm-up=200] [messages=600] [processes=auto] [publisher-process=own] [window=200] [host=127.0.0.1]
//        [room=fan] [label=...]
// Prints progress on stderr, then a JSON line and a Markdown table row on stdout. Run by compare.mjs (with an IPC
// channel), it also pauses at the start and end of the measured phase so that the parent can read CPU counters.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TEST_SECRET } from './lib/jwt.mjs';
import { integer, integerList, parseOptions } from './lib/options.mjs';
import { merge, percentile } from './lib/samples.mjs';
import { now } from './lib/recorder.mjs';

const SOCKETS_PER_PROCESS = 15_000;
const DELIVERY_GRACE_MS = 60_000;
const QUIET_MS = 3_000;
const QUIET_MAX_MS = 5 * 60_000;
const START_LEAD_NS = 20e6; // the first message is due 20 ms after the plan is sent, so every worker has it in time

export const DEFAULTS = {
  ports: '', subscribers: '1000', publishers: '4', rate: '20', padding: '200', 'warm-up': '200', messages: '600',
  processes: 'auto', 'publisher-process': 'own', window: '200', host: '127.0.0.1', room: 'fan', secret: TEST_SECRET,
  label: '',
};

export function settingsFrom(options) {
  const s = {
    ports: integerList(options, 'ports'),
    subscribers: integer(options, 'subscribers', { min: 1 }),
    publishers: integer(options, 'publishers', { min: 1 }),
    rate: integer(options, 'rate', { min: 1 }),
    padding: integer(options, 'padding'),
    warmUp: integer(options, 'warm-up'),
    messages: integer(options, 'messages', { min: 1 }),
    window: integer(options, 'window', { min: 1 }),
    host: options.host,
    room: options.room,
    secret: options.secret,
    label: options.label,
  };
  if (s.ports.length === 0) throw new Error('ports is required, e.g. ports=8080,8081');
  if (!['own', 'shared'].includes(options['publisher-process'])) {
    throw new Error('publisher-process must be own or shared');
  }
  s.ownPublisherProcess = options['publisher-process'] === 'own';
  const dealt = s.ownPublisherProcess ? s.subscribers : s.subscribers + s.publishers;
  s.processes = options.processes === 'auto' ? Math.ceil(dealt / SOCKETS_PER_PROCESS)
    : integer(options, 'processes', { min: 1 });
  s.workers = s.processes + (s.ownPublisherProcess ? 1 : 0);
  return s;
}

const log = (text) => process.stderr.write(`load-client: ${text}\n`);

/** A worker process and its one outstanding request per command. */
class Worker {
  constructor() {
    this.child = fork(fileURLToPath(new URL('./lib/load-worker.mjs', import.meta.url)), [],
      { serialization: 'advanced' }); // typed arrays of samples cross the channel as they are
    this.pending = new Map();
    this.child.on('message', (m) => this.answer(m));
    this.child.on('exit', (code) => {
      for (const { reject } of this.pending.values()) reject(new Error(`worker exited with ${code}`));
      this.pending.clear();
    });
  }

  answer(message) {
    if (message.log) return log(message.log);
    const waiter = this.pending.get(message.reply);
    this.pending.delete(message.reply);
    if (message.error) waiter?.reject(new Error(message.error));
    else waiter?.resolve(message);
  }

  call(cmd, args = {}) {
    return new Promise((resolve, reject) => {
      this.pending.set(cmd, { resolve, reject });
      this.child.send({ cmd, ...args });
    });
  }
}

/**
 * Socket i is user c<i> on server i mod ports; the last P sockets publish. Subscriber i is held by worker
 * i mod processes, a publisher by the last worker (its own) or, shared, like a subscriber.
 */
function workerOf(s, i) {
  return i >= s.subscribers && s.ownPublisherProcess ? s.processes : i % s.processes;
}

function plansFor(s, worker) {
  const plans = [];
  for (let i = 0; i < s.subscribers + s.publishers; i++) {
    if (workerOf(s, i) === worker) plans.push({ number: i, server: i % s.ports.length, publisher: i >= s.subscribers });
  }
  return plans;
}

async function setUp(s, workers) {
  const total = s.subscribers + s.publishers;
  log(`room of ${total - s.publishers} subscribers + ${s.publishers} publishers over ${s.ports.length} servers, `
    + `${s.processes} subscriber process(es)${s.ownPublisherProcess ? ' and one for the publishers' : ''}`);
  const timeoutMs = (120 + total / 20) * 1000;
  const answers = await Promise.all(workers.map((w, k) => w.call('setup', {
    plans: plansFor(s, k), host: s.host, ports: s.ports, room: s.room, secret: s.secret, window: s.window, timeoutMs,
  })));
  const failed = answers.reduce((n, a) => n + a.failed, 0);
  if (failed > 0) {
    const problems = JSON.stringify(answers.map((a) => a.problems));
    throw new Error(`${failed} of ${total} sockets never set up; problems: ${problems}`);
  }
  const retried = answers.filter((a) => Object.keys(a.problems).length > 0).map((a) => a.problems);
  if (retried.length > 0) log(`set-up problems (those sockets were opened again): ${JSON.stringify(retried)}`);
  await Promise.all(workers.map((w) => w.call('quiet', { quietMs: QUIET_MS, maxMs: QUIET_MAX_MS })));
}

/** Sends `count` messages on the shared schedule and waits until every subscriber has them (or the grace ends). */
async function sendAndWait(s, workers, phase, count) {
  const periodNs = 1e9 / s.rate;
  const startNs = now() + START_LEAD_NS;
  const publishers = Array.from({ length: s.publishers }, (_, k) => s.subscribers + k);
  await Promise.all(workers.map((w) => w.call('phase', {
    phase, startNs, periodNs, count, publishers, room: s.room, padding: s.padding,
  })));
  const lastDueMs = (startNs + (count - 1) * periodNs - now()) / 1e6;
  const deadline = Date.now() + Math.max(0, lastDueMs) + DELIVERY_GRACE_MS;
  await Promise.all(workers.map((w) => w.call('finished', { deadline })));
  return startNs;
}

/** The merged numbers of a phase. */
async function collect(workers, startNs) {
  const parts = await Promise.all(workers.map((w) => w.call('collect')));
  const deliveries = merge(parts.map((p) => p.deliveries));
  const acks = merge(parts.map((p) => p.acks));
  const lastReceipt = Math.max(startNs, ...parts.map((p) => p.lastReceipt));
  return {
    deliveries,
    acks,
    seconds: (lastReceipt - startNs) / 1e9,
    workerCpuSeconds: parts.reduce((n, p) => n + p.cpuSeconds, 0),
    problems: parts.map((p) => p.problems).filter((p) => Object.keys(p).length > 0),
    closedByServer: parts.reduce((n, p) => n + p.closedByServer, 0),
  };
}

const ms = (nanos) => Math.round(nanos / 1e4) / 100; // nanoseconds to milliseconds, two decimals

/**
 * Runs the scenario against running servers. `hooks.measuring(at)` is awaited just before ("start") and just after
 * ("end") the measured phase (before the samples are gathered, so that their transfer is not counted).
 */
export async function runLoad(s, hooks = { measuring: async () => {} }) {
  const workers = Array.from({ length: s.workers }, () => new Worker());
  try {
    await setUp(s, workers);
    if (s.warmUp > 0) {
      log(`warm-up: ${s.warmUp} messages`);
      await sendAndWait(s, workers, 'w', s.warmUp);
      await collect(workers, 0);
    }
    log(`measuring: ${s.messages} messages`);
    await hooks.measuring('start');
    const ownCpu = process.cpuUsage();
    const startNs = await sendAndWait(s, workers, 'm', s.messages);
    const own = process.cpuUsage(ownCpu);
    await hooks.measuring('end');
    const m = await collect(workers, startNs);
    const result = {
      server: s.label || undefined, subscribers: s.subscribers, publishers: s.publishers, sent: s.messages,
      expected: s.messages * s.subscribers, delivered: m.deliveries.length,
      p50Ms: ms(percentile(m.deliveries, 50)), p90Ms: ms(percentile(m.deliveries, 90)),
      p99Ms: ms(percentile(m.deliveries, 99)), maxMs: ms(percentile(m.deliveries, 100)),
      ackP50Ms: ms(percentile(m.acks, 50)), ackP99Ms: ms(percentile(m.acks, 99)), acks: m.acks.length,
      seconds: Math.round(m.seconds * 100) / 100,
      clientCpuSeconds: Math.round((m.workerCpuSeconds + (own.user + own.system) / 1e6) * 100) / 100,
      processes: s.processes, publisherProcess: s.ownPublisherProcess ? 'own' : 'shared',
      closedByServer: m.closedByServer, problems: m.problems,
    };
    log(`${result.subscribers} subscribers: ${result.delivered}/${result.expected} delivered, p50 ${result.p50Ms} ms, `
      + `p99 ${result.p99Ms} ms, ack p99 ${result.ackP99Ms} ms`);
    return result;
  } finally {
    await Promise.allSettled(workers.map((w) => w.call('close')));
  }
}

const fmt = (n) => n.toLocaleString('en-US');

export const TABLE_HEADER = '| server | N | delivered | p50 | p90 | p99 | max | ack p50 | ack p99 | wall s '
  + '| client CPU s |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|';

export function tableRow(r) {
  return `| ${r.server ?? ''} | ${fmt(r.subscribers)} | ${fmt(r.delivered)} / ${fmt(r.expected)} | ${r.p50Ms} ms `
    + `| ${r.p90Ms} ms | ${r.p99Ms} ms | ${r.maxMs} ms | ${r.ackP50Ms} ms | ${r.ackP99Ms} ms | ${r.seconds} `
    + `| ${r.clientCpuSeconds} |`;
}

/** Under compare.mjs: tell the parent where the measured phase begins and ends, and wait for its go-ahead. */
function parentHooks() {
  if (!process.send) return undefined;
  return {
    measuring: (at) => new Promise((resolve) => {
      process.once('message', (m) => { if (m.go === at) resolve(); });
      process.send({ measuring: at });
    }),
  };
}

async function main() {
  const s = settingsFrom(parseOptions(process.argv.slice(2), DEFAULTS));
  const result = await runLoad(s, parentHooks());
  process.stdout.write(`${JSON.stringify(result)}\n${TABLE_HEADER}\n${tableRow(result)}\n`);
  if (process.send) process.send({ result });
  process.exitCode = result.delivered === result.expected ? 0 : 3;
  process.disconnect?.();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    log(e.stack ?? e.message);
    process.exit(1);
  });
}
