package io.parley.chat.presence;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.parley.chat.redis.RedisConnections;
import io.parley.chat.redis.RedisKeys;
import io.parley.chat.config.RedisMode;
import io.parley.chat.testing.RedisClusterServer;

/**
 * The presence contract on a real six-node Redis Cluster: room hashes, instance indexes and occupied sets live on
 * three primaries (64 shards), the instance set under its own tag; stats and evictions go shard by shard.
 */
class RedisClusterPresenceStoreIT extends SharedPresenceStoreContract {

    /**
     * Longer than the standalone test's 1 s: with six Redis processes and two stores on two shared cores, a
     * heartbeat every third of a second was sometimes late under a full build, and the other store evicted a live
     * instance in the middle of a case that is not about eviction.
     */
    private static final Duration TTL = Duration.ofSeconds(3);
    private final RedisClusterServer cluster = RedisClusterServer.shared();
    private final List<RedisConnections> connections = new ArrayList<>();

    @Override
    protected void afterStoresClosed() {
        connections.forEach(RedisConnections::close);
        cluster.flushAll();
    }

    @Override
    protected PresenceStore create(String instanceId, AtomicInteger localConnections) {
        RedisConnections c = RedisConnections.open(RedisMode.CLUSTER, cluster.uris(),
                RedisConnections.COMMAND_TIMEOUT);
        connections.add(c);
        return new RedisPresenceStore(c, instanceId, TTL, localConnections::get,
                Clock.systemUTC());
    }

    @Override
    protected void kill(PresenceStore store) {
        ((RedisPresenceStore) store).halt();
    }

    @Override
    protected boolean evictionFinished(String instanceId) {
        return "$-1".equals(cluster.command(RedisKeys.instances(), "ZSCORE", RedisKeys.instances(), instanceId))
                && ":0".equals(cluster.command(RedisKeys.instances(), "EXISTS", RedisKeys.evictionLock(instanceId)));
    }
}
