package io.parley.chat.outbox;

import java.time.Duration;
import java.util.List;

import io.parley.chat.redis.RedisConnections;
import io.parley.chat.redis.RedisKeys;
import io.parley.chat.testing.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The outbox store contract every store keeps, against the Redis store and a real redis-server (what only the Redis
 * store guarantees, claims by another instance and outages, is in {@link RedisOutboxContract}).
 */
class RedisOutboxStoreContractIT extends OutboxStoreContract {

    private static final String STREAM = RedisKeys.STANDALONE.outbox(0);
    private static RedisServer server;
    private static RedisConnections redis;

    @BeforeAll
    static void startRedis() {
        server = RedisServer.start();
        redis = RedisConnections.open(server.redisUri(), RedisConnections.COMMAND_TIMEOUT);
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
        server.close();
    }

    @BeforeEach
    void emptyStream() {
        redis.sync().del(STREAM);
    }

    @Override
    protected OutboxStore create() {
        return new RedisOutbox(redis, List.of(STREAM), "contract", Duration.ofMinutes(5), clock);
    }

    @Override
    protected void put(OutboxStore store, String json) {
        redis.sync().xadd(STREAM, RedisKeys.OUTBOX_FIELD, json);
    }
}
