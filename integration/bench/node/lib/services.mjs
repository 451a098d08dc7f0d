// The processes a comparison runs: a fresh redis-server, and two instances of Parley or of the Node reference
// server, each on free loopback ports with its output in a log file. Shared by compare.mjs and the smoke test.
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEST_SECRET } from './jwt.mjs';

const START_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 30_000;
const SERVER_SCRIPT = fileURLToPath(new URL('../server.mjs', import.meta.url));

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A loopback port nobody listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** A started child process, its log, and how to stop it. */
class Service {
  constructor(name, command, args, env, log) {
    this.name = name;
    this.log = log;
    const out = openSync(log, 'a');
    this.child = spawn(command, args, { env, stdio: ['ignore', out, out] });
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve(code ?? signal)));
    this.alive = true;
    this.exited.then(() => { this.alive = false; });
  }

  get pid() {
    return this.child.pid;
  }

  /** SIGTERM (a graceful stop), then SIGKILL if it takes too long. */
  async stop() {
    if (!this.alive) return;
    this.child.kill('SIGTERM');
    let timer;
    const timedOut = new Promise((resolve) => { timer = setTimeout(resolve, STOP_TIMEOUT_MS, false); });
    const stopped = await Promise.race([this.exited.then(() => true), timedOut]);
    clearTimeout(timer); // a pending timer would keep the caller's process alive for 30 s
    if (!stopped) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }
}

/** Polls until `ready()` holds, failing early when the process exits. */
async function awaitReady(service, ready) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (!service.alive) throw new Error(`${service.name} exited during start; see ${service.log}`);
    if (await ready().catch(() => false)) return service;
    await sleep(200);
  }
  await service.stop();
  throw new Error(`${service.name} was not ready within ${START_TIMEOUT_MS / 1000} s; see ${service.log}`);
}

async function httpOk(url) {
  const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
  return response.status === 200;
}

function redisAnswersPing(port) {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.setTimeout(2000, () => { socket.destroy(); resolve(false); });
    socket.once('error', () => resolve(false));
    socket.once('data', (data) => { socket.destroy(); resolve(data.toString().startsWith('+PONG')); });
    socket.write('PING\r\n');
  });
}

/** A fresh redis-server without persistence (the same for both servers compared), in its own directory. */
export async function startRedis(log) {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-redis-'));
  const redis = new Service('redis-server', 'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    process.env, log);
  redis.port = port;
  redis.uri = `redis://127.0.0.1:${port}`;
  redis.exited.then(() => rmSync(dir, { recursive: true, force: true }));
  return awaitReady(redis, () => redisAnswersPing(port));
}

/** The environment without any PARLEY_* variable of the caller's: a server gets only what the benchmark states. */
function cleanEnvironment() {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('PARLEY_')));
}

/**
 * A Parley instance: `java <jvm flags> -cp <classpath> io.parley.chat.Main` with the variables of the Java
 * harness's cluster-fanout benchmark (BenchServer.baseEnvironment and ClusterFanoutBench.run).
 */
export async function startParley({ id, redisUri, classpath, jvmFlags, log, extraEnv = {} }) {
  const port = await freePort();
  const adminPort = await freePort();
  const env = {
    ...cleanEnvironment(),
    PARLEY_JWT_SECRETS: TEST_SECRET,
    PARLEY_AUTH_TIMEOUT: '60s',
    PARLEY_DRAIN_PERIOD: '500ms',
    PARLEY_REDIS_URI: redisUri,
    PARLEY_LIMITS_RATE: '10000', // the publishers send far more than a user's 10 frames/s
    PARLEY_LIMITS_BURST: '10000',
    PARLEY_LIMITS_TEXT: '10000',
    PARLEY_INSTANCE_ID: id,
    PARLEY_PORT: String(port),
    PARLEY_ADMIN_PORT: String(adminPort),
    ...extraEnv,
  };
  const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  const server = new Service(`parley ${id}`, java, [...jvmFlags, '-cp', classpath, 'io.parley.chat.Main'], env, log);
  server.port = port;
  return awaitReady(server, () => httpOk(`http://127.0.0.1:${adminPort}/observe/health/ready`));
}

/** A Node reference server instance (server.mjs), with the same secret and auth timeout as Parley gets. */
export async function startNodeServer({ id, redisUri, log, extraEnv = {} }) {
  const port = await freePort();
  const env = {
    ...cleanEnvironment(),
    PORT: String(port),
    REDIS_URI: redisUri,
    INSTANCE_ID: id,
    JWT_SECRET: TEST_SECRET,
    AUTH_TIMEOUT_MS: '60000',
    ...extraEnv,
  };
  const server = new Service(`node server ${id}`, process.execPath, [SERVER_SCRIPT], env, log);
  server.port = port;
  return awaitReady(server, () => httpOk(`http://127.0.0.1:${port}/observe/health/ready`));
}
