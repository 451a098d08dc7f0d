package io.parley.chat.redis;

import java.net.SocketAddress;
import java.util.Set;

import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.parley.chat.observe.ParleyMetrics;

/**
 * Lettuce's per-command latency hook, recorded as {@code parley_redis_command_seconds{command}}: the time from a
 * command written to its reply completed, as Lettuce measures it on its I/O thread (so the recording must stay
 * cheap and never block). Commands that block by design are left out: their latency is the wait they asked for, and
 * would bury the latency of the commands a user waits on.
 */
public final class RedisCommandMetrics implements CommandLatencyRecorder {

    /** XREADGROUP BLOCK (the outbox reader) and the subscription commands of the pub/sub connection. */
    private static final Set<String> EXCLUDED = Set.of("XREADGROUP", "XREAD", "BLPOP", "BRPOP", "SUBSCRIBE",
            "UNSUBSCRIBE", "SSUBSCRIBE", "SUNSUBSCRIBE", "PSUBSCRIBE", "PUNSUBSCRIBE");

    private final ParleyMetrics metrics;

    public RedisCommandMetrics(ParleyMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void recordCommandLatency(SocketAddress local, SocketAddress remote, ProtocolKeyword commandType,
                                     long firstResponseLatency, long completionLatency) {
        String command = commandType.toString();
        if (!EXCLUDED.contains(command)) {
            metrics.redisCommandTook(command, completionLatency);
        }
    }
}
