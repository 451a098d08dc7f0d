// One load-client process: holds the sockets the coordinator (load-client.mjs) deals it, sets them up, sends its
// publishers' share of a phase's messages on the shared schedule and records what arrives. Several of these let the
// load side use more than one core (one event loop is one thread), as the outside measurement of issue 9 did with a
// process per 15,000 sockets. It speaks to the coordinator over the IPC channel only: {cmd, ...} in, {reply: cmd,
// ...} out.
import { setTimeout as delay } from 'node:timers/promises';
import { WebSocket } from 'ws';
import { signUserToken } from './jwt.mjs';
import { now, PhaseRecorder, typeOf } from './recorder.mjs';

const SETUP_ATTEMPTS = 5; // reopen a socket whose set-up failed up to 5 times, as ClusterFanoutBench does
const MAX_REASON = 120;

const sockets = new Map(); // socket number -> { number, server, publisher, state, ws }
const problems = new Map(); // why sockets failed or were lost -> count: empty in a clean run
let settings; // from the setup command: host, ports, room, secret, window
let settingUp = 0;
let waiting = [];
let lastTextAt = now();
let closedByServer = 0;
let recorder = null;
let phaseCpu = null;

function problem(why) {
  const key = why.length > MAX_REASON ? `${why.slice(0, MAX_REASON)}...` : why;
  problems.set(key, (problems.get(key) ?? 0) + 1);
}

function log(text) {
  process.send({ log: `worker ${process.pid}: ${text}` });
}

// ---- set-up --------------------------------------------------------------------------------------------------------

function open(s) {
  s.state = 'connecting';
  settingUp++;
  const ws = new WebSocket(`ws://${settings.host}:${settings.ports[s.server]}/ws`, { perMessageDeflate: false });
  s.ws = ws;
  // Events of an earlier, failed attempt of this socket must not touch the attempt that replaced it.
  const current = (handler) => (...args) => { if (s.ws === ws) handler(...args); };
  ws.on('open', current(() => {
    s.state = 'authenticating';
    // A fresh token on every attempt, each socket its own user, so the per-user connection limit never applies.
    ws.send(JSON.stringify({ type: 'auth', token: signUserToken(`c${s.number}`, { secret: settings.secret }) }));
  }));
  ws.on('message', current((data) => text(s, data.toString(), now())));
  ws.on('unexpected-response', current((request, response) => {
    fail(s, `upgrade refused: HTTP ${response.statusCode}`);
    request.destroy();
  }));
  ws.on('error', current((e) => lost(s, `io: ${e.message}`)));
  ws.on('close', current((code) => lost(s, `closed by server ${code}`)));
}

function text(s, frame, at) {
  lastTextAt = at;
  if (s.state === 'ready') {
    recorder?.record(s.publisher, frame, at);
  } else if (s.state === 'authenticating') {
    if (typeOf(frame) !== 'welcome') return fail(s, `auth answered: ${frame}`);
    s.state = 'joining';
    s.ws.send(JSON.stringify({ type: 'join', room: settings.room }));
  } else if (s.state === 'joining') {
    // Presence events of other joiners may come first; only the answer to the join settles it.
    const type = typeOf(frame);
    if (type === 'joined') settle(s, 'ready');
    else if (type === 'error') fail(s, `join answered: ${frame}`);
  }
}

function settingUpState(s) {
  return s.state === 'connecting' || s.state === 'authenticating' || s.state === 'joining';
}

function settle(s, state) {
  s.state = state;
  settingUp--;
  startMore();
}

function fail(s, why) {
  if (!settingUpState(s)) return;
  problem(`setup: ${why}`);
  settle(s, 'failed');
  s.ws.terminate();
}

/** A socket that ended without being asked to: a set-up failure, or a loss once ready. */
function lost(s, why) {
  if (settingUpState(s)) {
    fail(s, why);
  } else if (s.state === 'ready') {
    closedByServer++;
    problem(`after ready: ${why}`);
    s.state = 'closed';
  }
}

/** Keeps at most `window` sockets in set-up, so that the servers' accept backlogs never overflow. */
function startMore() {
  while (settingUp < settings.window && waiting.length > 0) open(waiting.shift());
}

/** Sets up every planned socket, reopening failed ones up to SETUP_ATTEMPTS times; answers how many are ready. */
async function setup(command) {
  settings = command;
  for (const plan of command.plans) sockets.set(plan.number, { ...plan, state: 'planned' });
  let pending = [...sockets.values()];
  for (let attempt = 0; ; attempt++) {
    waiting = pending;
    startMore();
    await settled(command.timeoutMs);
    pending = [...sockets.values()].filter((s) => s.state !== 'ready');
    if (pending.length === 0 || attempt === SETUP_ATTEMPTS) break;
    log(`${pending.length} sockets failed set-up, opening them again; problems so far: ${describeProblems()}`);
  }
  const result = { ready: sockets.size - pending.length, failed: pending.length, problems: describeProblems() };
  problems.clear(); // what happens from now on is reported with the measurement
  return result;
}

async function settled(timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let nextReport = Date.now() + 10_000;
  while (waiting.length > 0 || settingUp > 0) {
    if (Date.now() > deadline) throw new Error(`set-up timed out; problems: ${describeProblems()}`);
    if (Date.now() > nextReport) {
      const ready = [...sockets.values()].filter((s) => s.state === 'ready').length;
      log(`set-up: ${ready} ready of ${sockets.size}`);
      nextReport += 10_000;
    }
    await delay(50);
  }
}

/**
 * Waits until no text frame has arrived for `quietMs` (pings are not text: they never stop), so that the presence
 * events of the last joins have been delivered before anything is measured; gives up after `maxMs`.
 */
async function quiet({ quietMs, maxMs }) {
  const deadline = Date.now() + maxMs;
  while ((now() - lastTextAt) / 1e6 < quietMs) {
    if (Date.now() > deadline) return { quiet: false };
    await delay(100);
  }
  return { quiet: true };
}

// ---- phases --------------------------------------------------------------------------------------------------------

/**
 * Resolves at `due` (hrtime ns): timers to within a millisecond or two (their resolution), then turns of the event
 * loop until the time has come, so reads go on meanwhile. The turns spin for ~1 ms before each send (about 1.5 % of a
 * core at 20 messages/s, counted in the client's CPU); without them a send would leave up to 2 ms late, and that
 * lateness would be charged to every latency (the Java harness parks to within microseconds).
 */
async function until(due) {
  for (let wait = due - now(); wait > 0; wait = due - now()) {
    if (wait > 1.5e6) await delay(Math.floor(wait / 1e6) - 1);
    else await new Promise(setImmediate);
  }
}

/**
 * Message k of the phase goes out at start + k * period from publisher k mod P, wherever that publisher lives; each
 * worker sends the messages of its own publishers, so all of them follow one schedule without asking each other.
 */
async function sendMessages({ startNs, periodNs, count, publishers, room, padding }) {
  const filler = padding > 0 ? ` ${'x'.repeat(padding - 1)}` : '';
  for (let k = 0; k < count; k++) {
    const s = sockets.get(publishers[k % publishers.length]);
    if (s === undefined) continue;
    const due = startNs + k * periodNs;
    await until(due);
    if (s.state !== 'ready') continue;
    const stamp = recorder.stamp(due);
    s.ws.send(`{"type":"send","room":"${room}","text":"${stamp}${filler}","ref":"${stamp}"}`);
  }
}

function startPhase(command) {
  const subscribers = [...sockets.values()].filter((s) => !s.publisher).length;
  recorder = new PhaseRecorder(command.phase, subscribers * command.count);
  phaseCpu = process.cpuUsage();
  sendMessages(command).catch((e) => problem(`send: ${e.message}`));
  return {};
}

/**
 * Answers once this worker's subscribers have every message of the phase, or at `deadline` (epoch ms) if some never
 * arrive: one answer per phase rather than a poll, so that waiting costs the client no CPU in the measured phase.
 */
async function finished({ deadline }) {
  let timer;
  const timeout = new Promise((resolve) => { timer = setTimeout(resolve, Math.max(0, deadline - Date.now())); });
  await Promise.race([recorder.complete, timeout]);
  clearTimeout(timer);
  return { delivered: recorder.delivered };
}

/** The phase's numbers (and this process's CPU over it); recording stops. */
function collect() {
  const cpu = process.cpuUsage(phaseCpu);
  const r = recorder;
  recorder = null;
  return {
    deliveries: r.deliveries.toArray(),
    acks: r.acks.toArray(),
    lastReceipt: r.lastReceipt,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    problems: describeProblems(),
    closedByServer,
  };
}

/** Closes every socket politely (a close frame), so that the servers forget them at once; drops stragglers. */
async function closeAll() {
  for (const s of sockets.values()) {
    if (s.state === 'ready') {
      s.state = 'closing';
      s.ws.close(1000);
    } else {
      s.ws?.terminate();
    }
  }
  const deadline = Date.now() + 10_000;
  const open = () => [...sockets.values()].filter((s) => s.ws && s.ws.readyState !== WebSocket.CLOSED);
  while (open().length > 0 && Date.now() < deadline) await delay(50);
  for (const s of open()) s.ws.terminate();
  return {};
}

function describeProblems() {
  return Object.fromEntries([...problems.entries()].sort());
}

const commands = {
  setup,
  quiet,
  phase: startPhase,
  finished,
  collect,
  close: closeAll,
};

process.on('message', async (message) => {
  try {
    const answer = await commands[message.cmd](message);
    process.send({ reply: message.cmd, ...answer });
    if (message.cmd === 'close') process.disconnect();
  } catch (e) {
    process.send({ reply: message.cmd, error: e.message });
  }
});
