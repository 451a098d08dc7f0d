package io.parley.chat.outbox;

import io.parley.chat.redis.RedisConnections;
import io.parley.chat.testing.RedisServer;

/** The outbox contract against one real {@code redis-server}, started fresh for each test. */
class RedisOutboxIT extends RedisOutboxContract {

    private RedisServer server;

    @Override
    protected RedisConnections connect() {
        server = RedisServer.start();
        return RedisConnections.open(server.redisUri(), RedisConnections.COMMAND_TIMEOUT);
    }

    @Override
    protected void killRedis() {
        server.kill();
    }

    @Override
    protected boolean redisRunning() {
        return server.running();
    }

    @Override
    protected void restartRedis() {
        server.restart();
    }

    @Override
    protected void flushRedis() {
        server.flushAll();
    }

    @Override
    protected void releaseRedis() {
        server.close();
    }
}
