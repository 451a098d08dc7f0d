package io.parley.chat.auth.revocation;

import java.time.Instant;

import io.parley.chat.redis.RedisConnections;
import io.parley.chat.testing.RedisServer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class RedisRevocationsIT {

    @Test
    void redisRevocationsKeepTheContractAndExpire() {
        try (RedisServer server = RedisServer.start();
             RedisConnections redis = RedisConnections.open(server.redisUri(), RedisConnections.COMMAND_TIMEOUT)) {
            Instant now = Instant.now();
            RevocationsContract.check(new RedisRevocations(redis), now);
            long ttl = Long.parseLong(server.command("PTTL", "parley:revoked:ada").substring(1));
            assertTrue(ttl > Revocations.RETENTION.toMillis() - 60_000 && ttl <= Revocations.RETENTION.toMillis(),
                    "ttl " + ttl);
        }
    }
}
