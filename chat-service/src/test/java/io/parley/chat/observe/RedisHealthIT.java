package io.parley.chat.observe;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.parley.chat.ParleyServer;
import io.parley.chat.testing.RedisServer;
import io.parley.chat.testing.TestServers;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Readiness and {@code parley_redis_up} follow Redis going away and coming back, with no restart of Parley. */
class RedisHealthIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void readinessAndRedisUpFollowRedis() throws Exception {
        try (RedisServer redis = RedisServer.start();
             ParleyServer parley = TestServers.start("PARLEY_REDIS_URI", redis.uri())) {
            int admin = parley.adminPort();
            awaitTrue(() -> status(admin, "/observe/health/ready") == 200, "ready with Redis");
            awaitTrue(() -> redisUp(admin, "1.0"), "parley_redis_up 1");
            redis.kill();
            awaitTrue(() -> status(admin, "/observe/health/ready") == 503, "not ready without Redis");
            awaitTrue(() -> redisUp(admin, "0.0"), "parley_redis_up 0");
            assertTrue(status(admin, "/observe/health/live") == 200, "still alive: nothing to restart");
            redis.restart();
            awaitTrue(() -> status(admin, "/observe/health/ready") == 200, "ready again by itself");
            awaitTrue(() -> redisUp(admin, "1.0"), "parley_redis_up 1 again");
        }
    }

    private static int status(int port, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static boolean redisUp(int port, String value) {
        return metric(port).lines().anyMatch(l -> l.startsWith("parley_redis_up") && l.endsWith(" " + value));
    }

    private static String metric(int port) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            return "";
        }
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void awaitTrue(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!check.ok()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            Thread.sleep(100);
        }
    }
}
