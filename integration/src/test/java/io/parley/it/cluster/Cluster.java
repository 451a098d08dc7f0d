package io.parley.it.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import io.parley.chat.ParleyServer;
import io.parley.chat.testing.RedisServer;
import io.parley.chat.testing.Tokens;

/**
 * A real {@code redis-server} (AOF on) and the Parley instances that share it, started on free loopback ports with a
 * short presence TTL so that evictions happen within a test. Closes everything it started.
 */
final class Cluster implements AutoCloseable {

    static final String API_SECRET = "cluster-api-secret-cluster-api-secret-01";
    static final Duration PRESENCE_TTL = Duration.ofSeconds(3);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

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
    ChildInstance childInstance(String instanceId) {
        ChildInstance child = ChildInstance.start(env(instanceId));
        instances.add(child);
        return child;
    }

    /** HTTP status of {@code /observe/health/ready} on an admin port (200 ready, 503 not). */
    static int readiness(int adminPort) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort
                    + "/observe/health/ready")).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    static void eventually(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 30 s: " + what);
            }
            pause(Duration.ofMillis(100));
        }
    }

    static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
