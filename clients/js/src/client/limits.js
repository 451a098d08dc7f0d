/**
 * What the server enforces, from `welcome.limits` (protocol v1.1). An older server sends none: then the
 * protocol's defaults apply. The client checks text length, room names and room count before sending, so a
 * bad call fails at once with a clear error instead of a round trip.
 */

/** The protocol's defaults, used until (or unless) the server says otherwise. */
export const DEFAULT_LIMITS = Object.freeze({
  text: 4000,
  rooms: 100,
  rate: 10,
  burst: 20,
  frameBytes: 65536,
  roomPattern: '^[A-Za-z0-9_.:-]{1,64}$',
});

/** Merges a server's `limits` object over the defaults; a missing or malformed field keeps its default. */
export function resolveLimits(fromServer) {
  const limits = { ...DEFAULT_LIMITS };
  if (fromServer && typeof fromServer === 'object') {
    for (const key of ['text', 'rooms', 'rate', 'burst', 'frameBytes']) {
      const value = fromServer[key];
      if (Number.isInteger(value) && value > 0) limits[key] = value;
    }
    if (typeof fromServer.roomPattern === 'string' && compilePattern(fromServer.roomPattern)) {
      limits.roomPattern = fromServer.roomPattern;
    }
  }
  return Object.freeze(limits);
}

const compiled = new Map();

/** The room-name rule as a RegExp (cached); null when the server's pattern does not compile here. */
export function compilePattern(source) {
  if (!compiled.has(source)) {
    let regex = null;
    try {
      regex = new RegExp(source);
    } catch (e) { /* an engine that cannot read the server's pattern keeps the default rule */ }
    compiled.set(source, regex);
  }
  return compiled.get(source);
}

/** True when `room` is a name the server accepts under `limits`. */
export function isValidRoom(room, limits = DEFAULT_LIMITS) {
  const pattern = compilePattern(limits.roomPattern) || compilePattern(DEFAULT_LIMITS.roomPattern);
  return typeof room === 'string' && pattern.test(room);
}

/** Outbox frames per second: under the server's sustained rate, so a backlog never trips `rate_limited`. */
export function outboxPace(limits) {
  return Math.max(1, Math.floor(limits.rate * 0.8));
}
