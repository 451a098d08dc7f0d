package io.parley.it.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.parley.chat.ParleyServer;
import io.parley.chat.testing.RedisServer;
import io.parley.chat.testing.Tokens;
import io.parley.it.support.ParleyProcess;

/**
 * A real {@code redis-server} (AOF on) and the Parley instances that share it, started on free loopback ports with a
 * short presence TTL so that evictions happen within a test. Closes everything it started.
 */
final class Cluster implements AutoCloseable {

    static final String API_SECRET = "cluster-api-secret-cluster-api-secret-01";
    static final Duration PRESENCE_TTL = Duration.ofSeconds(3);

    final RedisServer redis;
    private final List<AutoCloseable> instances = new ArrayList<>();

    private Cluster(RedisServer redis) {
        this.redis = redis;
    }

    static Cluster start() {
        return new Cluster(RedisServer.start());
    }

    /** The variables of one instance: this Redis, free ports, the test JWT secret, a short presence TTL. */
    Map<String, String> env(String instanceId) {
        Map<String, String> env = new HashMap<>();
        env.put("PARLEY_REDIS_URI", redis.uri());
        env.put("PARLEY_PORT", "0");
        env.put("PARLEY_ADMIN_PORT", "0");
        env.put("PARLEY_JWT_SECRETS", Tokens.SECRET);
        env.put("PARLEY_JWT_LEEWAY", "0s");
        env.put("PARLEY_API_SECRETS", API_SECRET);
        env.put("PARLEY_INSTANCE_ID", instanceId);
        env.put("PARLEY_PRESENCE_TTL", PRESENCE_TTL.toMillis() + "ms");
        env.put("PARLEY_HEARTBEAT", "2s");
        env.put("PARLEY_DRAIN_PERIOD", "100ms");
        return env;
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
        redis.close();
    }
}
