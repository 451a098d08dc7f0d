package io.parley.chat.outbox;

import io.parley.chat.redis.RedisConnections;
import io.parley.chat.config.RedisMode;
import io.parley.chat.testing.RedisClusterServer;

/**
 * The outbox contract on a real six-node Redis Cluster (shared by the cluster ITs of this JVM, emptied before and
 * after each test): the 64 outbox streams live on three primaries and are read shard by shard. "Redis dies" kills
 * every node.
 */
class RedisClusterOutboxIT extends RedisOutboxContract {

    private final RedisClusterServer cluster = RedisClusterServer.shared();

    @Override
    protected RedisConnections connect() {
        cluster.flushAll(); // other cluster ITs of this JVM may have left outbox entries behind
        return RedisConnections.open(RedisMode.CLUSTER, cluster.uris(), RedisConnections.COMMAND_TIMEOUT);
    }

    @Override
    protected void killRedis() {
        cluster.killAll();
    }

    @Override
    protected boolean redisRunning() {
        return cluster.nodes().stream().anyMatch(n -> n.running());
    }

    @Override
    protected void restartRedis() {
        cluster.restartAll();
    }

    @Override
    protected void flushRedis() {
        cluster.flushAll();
    }

    @Override
    protected void releaseRedis() {
        cluster.flushAll();
    }
}
