package io.parley.chat;

import java.time.Instant;
import java.util.Optional;

import io.parley.chat.broker.MemoryBroker;
import io.parley.chat.broker.RedisBroker;
import io.parley.chat.config.ParleyConfig;
import io.parley.chat.model.User;
import io.parley.chat.observe.ParleyMetrics;
import io.parley.chat.presence.MemoryPresenceStore;
import io.parley.chat.presence.RedisPresenceStore;
import io.parley.chat.redis.RedisConnections;
import io.parley.chat.testing.RedisServer;
import io.parley.chat.testing.TestServers;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The adapter sets chosen by name, and who owns the Redis client the Redis adapters share. */
class AdaptersIT {

    @Test
    void withoutARedisUriTheMemorySetIsChosen() {
        ParleyConfig config = ParleyConfig.from(TestServers.defaults());
        assertEquals(Adapters.MEMORY, Adapters.nameFor(config));
        try (ParleyMetrics metrics = new ParleyMetrics();
             Adapters adapters = Adapters.create(config, () -> 0, metrics, java.time.Clock.systemUTC())) {
            assertInstanceOf(MemoryBroker.class, adapters.broker());
            assertInstanceOf(MemoryPresenceStore.class, adapters.presence());
            assertTrue(adapters.shared().isEmpty(), "nothing shared in memory");
        }
    }

    @Test
    void theRedisAdaptersShareOneClientThatOnlyTheSetCloses() {
        try (RedisServer redis = RedisServer.start(); ParleyMetrics metrics = new ParleyMetrics()) {
            ParleyConfig config = ParleyConfig.from(TestServers.with(TestServers.defaults(),
                    "PARLEY_REDIS_URI", redis.uri()));
            assertEquals(Adapters.REDIS, Adapters.nameFor(config));
            Adapters adapters = Adapters.create(config, () -> 1, metrics, java.time.Clock.systemUTC());
            try {
                assertInstanceOf(RedisBroker.class, adapters.broker());
                assertInstanceOf(RedisPresenceStore.class, adapters.presence());
                assertEquals(1, adapters.shared().size(), "one Redis client for every adapter");
                RedisConnections shared = assertInstanceOf(RedisConnections.class, adapters.shared().getFirst());

                // The broker used to close the shared connections: presence and revocations lost Redis with it.
                adapters.broker().close();
                assertTrue(shared.available(), "closing the broker leaves the shared client open");
                assertTrue(adapters.presence().join("lobby", new User("u1", "Ada"), "c1"),
                        "presence still reaches Redis after the broker closed");
                adapters.revocations().revoke("u1", Instant.now());
                assertTrue(adapters.revocations().isRevoked("u1", Optional.of(Instant.now().minusSeconds(60))));
            } finally {
                adapters.close();
            }
            assertFalse(((RedisConnections) adapters.shared().getFirst()).available(),
                    "the set closes the shared client");
        }
    }
}
