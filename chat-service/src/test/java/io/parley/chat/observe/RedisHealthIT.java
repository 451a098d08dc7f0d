package io.parley.chat.observe;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.parley.chat.ParleyServer;
import io.parley.chat.testing.Eventually;
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
            Eventually.until("ready with Redis", () -> status(admin, "/observe/health/ready") == 200);
            Eventually.until("parley_redis_up 1", () -> redisUp(admin, "1.0"));
            redis.kill();
            Eventually.until("not ready without Redis", () -> status(admin, "/observe/health/ready") == 503);
            Eventually.until("parley_redis_up 0", () -> redisUp(admin, "0.0"));
            assertTrue(status(admin, "/observe/health/live") == 200, "still alive: nothing to restart");
            redis.restart();
            Eventually.until("ready again by itself", () -> status(admin, "/observe/health/ready") == 200);
            Eventually.until("parley_redis_up 1 again", () -> redisUp(admin, "1.0"));
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

}
