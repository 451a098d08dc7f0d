package io.parley.chat.auth.revocation;

import java.time.Instant;

import io.parley.chat.redis.RedisConnections;
import io.parley.chat.config.RedisMode;
import io.parley.chat.testing.RedisClusterServer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Revocations on a real Redis Cluster: one key per user, wherever its slot lives. */
class RedisClusterRevocationsIT {

    @Test
    void redisRevocationsKeepTheContractAndExpireOnACluster() {
        RedisClusterServer cluster = RedisClusterServer.shared();
        try (RedisConnections redis = RedisConnections.open(RedisMode.CLUSTER, cluster.uris(),
                RedisConnections.COMMAND_TIMEOUT)) {
            RevocationsContract.check(new RedisRevocations(redis), Instant.now());
            String key = RedisRevocations.key("ada");
            long ttl = Long.parseLong(cluster.command(key, "PTTL", key).substring(1));
            assertTrue(ttl > Revocations.RETENTION.toMillis() - 60_000 && ttl <= Revocations.RETENTION.toMillis(),
                    "ttl " + ttl);
        } finally {
            cluster.flushAll();
        }
    }
}
