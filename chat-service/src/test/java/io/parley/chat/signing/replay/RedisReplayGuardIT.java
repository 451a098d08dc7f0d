package io.parley.chat.signing.replay;

import java.time.Instant;

import io.parley.chat.redis.RedisConnections;
import io.parley.chat.redis.RedisKeys;
import io.parley.chat.testing.RedisServer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RedisReplayGuardIT {

    @Test
    void keepsTheContractAcrossInstancesAndExpiresWithTheWindow() throws Exception {
        try (RedisServer server = RedisServer.start();
             RedisConnections redis = RedisConnections.open(server.redisUri(), RedisConnections.COMMAND_TIMEOUT);
             RedisConnections other = RedisConnections.open(server.redisUri(), RedisConnections.COMMAND_TIMEOUT)) {
            Instant now = Instant.now();
            ReplayGuardContract.check(new RedisReplayGuard(redis), now);
            assertFalse(new RedisReplayGuard(other).firstUse("aa01", now.plusSeconds(300)),
                    "another instance sees the signature too");
            long ttl = Long.parseLong(server.command("TTL", RedisKeys.apiSignatureSeen("aa01")).substring(1));
            assertTrue(ttl > 290 && ttl <= 301, "expires with the window, ttl " + ttl);
        }
    }

    @Test
    void anUnreachableStoreRefusesRatherThanLetsThrough() {
        RedisServer server = RedisServer.start();
        try (RedisConnections redis = RedisConnections.open(server.redisUri(), RedisConnections.COMMAND_TIMEOUT)) {
            server.kill();
            assertThrows(ReplayGuardUnavailableException.class,
                    () -> new RedisReplayGuard(redis).firstUse("cc", Instant.now().plusSeconds(300)));
        } finally {
            server.close();
        }
    }
}
