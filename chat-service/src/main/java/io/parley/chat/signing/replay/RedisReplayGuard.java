package io.parley.chat.signing.replay;

import java.time.Instant;

import io.lettuce.core.RedisException;
import io.lettuce.core.SetArgs;
import io.parley.chat.redis.RedisConnections;
import io.parley.chat.redis.RedisKeys;

/**
 * The cluster's replay guard: one Redis key per accepted signature, {@code SET NX} with an expiry at the end of its
 * window, so of several instances receiving the same request exactly one accepts it. A single key per command, so
 * it works unchanged on Redis Cluster.
 */
public final class RedisReplayGuard implements ReplayGuard {

    private final RedisConnections redis;

    public RedisReplayGuard(RedisConnections redis) {
        this.redis = redis;
    }

    @Override
    public boolean firstUse(String signature, Instant validUntil) {
        try {
            // One second past the window: EXAT has second resolution.
            return "OK".equals(redis.sync().set(RedisKeys.apiSignatureSeen(signature), "1",
                    SetArgs.Builder.nx().exAt(validUntil.getEpochSecond() + 1)));
        } catch (RedisException e) {
            throw new ReplayGuardUnavailableException("Redis did not answer the replay check", e);
        }
    }
}
