package io.parley.it.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.parley.chat.ParleyServer;
import io.parley.chat.testing.RedisClusterServer;
import io.parley.chat.testing.RedisServer;
import io.parley.chat.testing.Tokens;
import io.parley.it.support.ParleyProcess;

/**
 * A real {@code redis-server} (AOF on), or a real six-node Redis Cluster ({@link #startOnRedisCluster()}), and the
 * Parley instances that share it, started on free loopback ports with a short presence TTL so that evictions happen
 * within a test. Closes everything it started.
 */
final class Cluster implements AutoCloseable {

    static final String API_SECRET = "cluster-api-secret-cluster-api-secret-01";
    static final Duration PRESENCE_TTL = Duration.ofSeconds(3);

    /** The one Redis server; null on a Redis Cluster. */
    final RedisServer redis;
    /** The Redis Cluster; null on one server. */
    final RedisClusterServer redisCluster;
    private final List<AutoCloseable> instances = new ArrayList<>();
    private final Map<String, String> extraEnv = new HashMap<>();

    private Cluster(RedisServer redis, RedisClusterServer redisCluster) {
        this.redis = redis;
        this.redisCluster = redisCluster;
    }

    static Cluster start() {
        return new Cluster(RedisServer.start(), null);
    }

    /** Instances on a Redis Cluster of three primaries with a replica each ({@code PARLEY_REDIS_MODE=cluster}). */
    static Cluster startOnRedisCluster() {
        return new Cluster(null, RedisClusterServer.start());
    }

    /** The variables of one instance: this Redis, free ports, the test JWT secret, a short presence TTL. */
    Map<String, String> env(String instanceId) {
        Map<String, String> env = new HashMap<>();
        if (redisCluster != null) {
            env.put("PARLEY_REDIS_URI", redisCluster.uriList());
            env.put("PARLEY_REDIS_MODE", "cluster");
        } else {
            env.put("PARLEY_REDIS_URI", redis.uri());
        }
        env.put("PARLEY_PORT", "0");
        env.put("PARLEY_ADMIN_PORT", "0");
        env.put("PARLEY_JWT_SECRETS", Tokens.SECRET);
        env.put("PARLEY_JWT_LEEWAY", "0s");
        env.put("PARLEY_API_SECRETS", API_SECRET);
        env.put("PARLEY_INSTANCE_ID", instanceId);
        env.put("PARLEY_PRESENCE_TTL", PRESENCE_TTL.toMillis() + "ms");
        env.put("PARLEY_HEARTBEAT", "2s");
        env.put("PARLEY_DRAIN_PERIOD", "100ms");
        env.putAll(extraEnv);
        return env;
    }

    /** Further variables for every instance started from now on (e.g. a stand-in monolith's). */
    Cluster with(Map<String, String> env) {
        extraEnv.putAll(env);
        return this;
    }

    /** An instance in this JVM. */
    ParleyServer instance(String instanceId) {
        ParleyServer server = ParleyServer.start(env(instanceId));
        instances.add(server);
        return server;
    }

    /** An instance in a child JVM, which a test can kill with SIGKILL. */
    ParleyProcess childInstance(String instanceId) {
        ParleyProcess child = ParleyProcess.start(env(instanceId));
        instances.add(child);
        return child;
    }

    @Override
    public void close() {
        for (AutoCloseable instance : instances.reversed()) {
            try {
                instance.close();
            } catch (Exception e) {
                // closing the rest matters more
            }
        }
        if (redisCluster != null) {
            redisCluster.close();
        } else {
            redis.close();
        }
    }
}
