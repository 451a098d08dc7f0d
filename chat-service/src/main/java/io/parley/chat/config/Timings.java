package io.parley.chat.config;

import java.time.Duration;

/**
 * Timers of the protocol and of operations.
 *
 * @param authTimeout   time a new socket has to send {@code auth} (close 4408)
 * @param heartbeat     interval of server pings; a connection silent for twice this is removed
 * @param presenceTtl   how long a dead instance's members stay before survivors evict them
 * @param drainPeriod   the span over which a draining instance closes its sockets with 1012
 * @param refDedupe     how long a {@code ref} maps to its message id for idempotent re-sends
 */
public record Timings(Duration authTimeout, Duration heartbeat, Duration presenceTtl, Duration drainPeriod,
                      Duration refDedupe) {

    static Timings from(Settings s) {
        Duration ms = Duration.ofMillis(1);
        return new Timings(
                s.duration("parley.auth-timeout", Duration.ofMillis(100)),
                s.duration("parley.heartbeat", Duration.ofMillis(100)),
                s.duration("parley.presence.ttl", Duration.ofSeconds(1)),
                s.duration("parley.drain-period", ms),
                s.duration("parley.history.ref-ttl", Duration.ofSeconds(1)));
    }
}
