package io.parley.chat.auth.revocation;

import java.time.Instant;
import java.util.Optional;

import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.parley.chat.redis.RedisConnections;
import io.parley.chat.redis.RedisKeys;

/**
 * Revocations shared by the cluster: one key per revoked user, {@code parley:revoked:<userId>}, holding the
 * revocation instant in epoch milliseconds, expiring after {@link Revocations#RETENTION}. One GET per accepted token.
 */
public final class RedisRevocations implements Revocations {

    /** Keeps the later of two instants, so revocations from instances with skewed clocks never move it back. */
    private static final String REVOKE = """
            local current = redis.call('GET', KEYS[1])
            if current and tonumber(current) >= tonumber(ARGV[1]) then
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
              return 0
            end
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            return 1
            """;

    private final RedisConnections redis;

    public RedisRevocations(RedisConnections redis) {
        this.redis = redis;
    }

    static String key(String userId) {
        return RedisKeys.revocation(userId);
    }

    @Override
    public void revoke(String userId, Instant at) {
        try {
            redis.sync().eval(REVOKE, ScriptOutputType.INTEGER, new String[] {key(userId)},
                    Long.toString(at.toEpochMilli()), Long.toString(RETENTION.toMillis()));
        } catch (RedisException e) {
            throw new RevocationUnavailableException("cannot store the revocation: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean isRevoked(String userId, Optional<Instant> issuedAt) {
        String at;
        try {
            at = redis.sync().get(key(userId));
        } catch (RedisException e) {
            throw new RevocationUnavailableException("cannot read revocations: " + e.getMessage(), e);
        }
        return at != null && Revocations.covers(Instant.ofEpochMilli(Long.parseLong(at)), issuedAt);
    }
}
