// What one fan-out phase measures, as the Java harness's FanoutRecorder: every `message` of the phase received by a
// subscriber gives one delivery latency, the publishers' `ack`s give the accept latency. A publisher puts
// "<phase>:<intended send time>" at the start of both the text and the ref, so a frame carries its own start time:
// the intended time, not the actual one, so that a late send is charged to the latency, as a user would see it.
//
// Times are process.hrtime.bigint() as a Number of nanoseconds: CLOCK_MONOTONIC on Linux, one clock for the whole
// machine, so a time stamped by the worker that sent a message can be subtracted from the arrival time in another
// worker process. (performance.now() would not do: each process counts from its own start.)
import { Samples } from './samples.mjs';

export const now = () => Number(process.hrtime.bigint());

const MESSAGE = 'message';
const ACK = 'ack';
const TYPE_PREFIX = '{"type":"';

/** The frame's type, read from its first field when the server writes it first (both servers do), else parsed. */
export function typeOf(text) {
  if (text.startsWith(TYPE_PREFIX)) {
    return text.slice(TYPE_PREFIX.length, text.indexOf('"', TYPE_PREFIX.length));
  }
  try {
    return JSON.parse(text).type;
  } catch {
    return undefined;
  }
}

export class PhaseRecorder {
  /** `expected`: deliveries this recorder's subscribers should see; `complete` resolves once they all have. */
  constructor(phase, expected) {
    this.phase = phase;
    this.expected = expected;
    this.deliveries = new Samples(64 * 1024);
    this.acks = new Samples();
    this.delivered = 0;
    this.lastReceipt = 0;
    this.complete = new Promise((resolve) => { this.resolveComplete = resolve; });
    if (expected === 0) this.resolveComplete();
  }

  /** The stamp of a message intended to leave at dueNanos. */
  stamp(dueNanos) {
    return `${this.phase}:${dueNanos}`;
  }

  /** A text frame that `publisher` (or a subscriber) received at `at`. */
  record(publisher, text, at) {
    const type = typeOf(text);
    if (publisher) {
      if (type === ACK) {
        const sent = this.stampIn(text, '"ref":"');
        if (sent !== null) this.acks.add(at - sent);
      }
      return;
    }
    if (type !== MESSAGE) return;
    const sent = this.stampIn(text, '"text":"');
    if (sent === null) return;
    this.deliveries.add(at - sent);
    this.delivered++;
    this.lastReceipt = at;
    if (this.delivered === this.expected) this.resolveComplete();
  }

  /** The send time in string field `field` when it holds a stamp of this phase, else null (another phase's frame). */
  stampIn(json, field) {
    const at = json.indexOf(field);
    if (at < 0) return null;
    const start = at + field.length;
    if (!json.startsWith(this.phase, start) || json.charCodeAt(start + this.phase.length) !== 58 /* : */) return null;
    const digits = start + this.phase.length + 1;
    let end = digits;
    while (end < json.length && json.charCodeAt(end) >= 48 && json.charCodeAt(end) <= 57) end++;
    return end === digits ? null : Number(json.slice(digits, end));
  }
}
