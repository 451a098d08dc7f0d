package io.parley.chat.config;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.parley.chat.config.RedisMode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParleyConfigTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    private static Map<String, String> env(String... kv) {
        Map<String, String> env = new HashMap<>();
        env.put("PARLEY_JWT_SECRETS", SECRET);
        for (int i = 0; i < kv.length; i += 2) {
            env.put(kv[i], kv[i + 1]);
        }
        return env;
    }

    @Test
    void defaultsComeFromApplicationYaml() {
        ParleyConfig c = ParleyConfig.from(env());
        assertEquals(8080, c.port());
        assertEquals(9090, c.adminPort());
        assertEquals(Duration.ofSeconds(10), c.timings().authTimeout());
        assertEquals(Duration.ofSeconds(25), c.timings().heartbeat());
        assertEquals(Duration.ofSeconds(30), c.timings().presenceTtl());
        assertEquals(Duration.ofSeconds(10), c.timings().drainPeriod());
        assertEquals(Duration.ofSeconds(2), c.auth().leeway());
        assertEquals(4000, c.limits().maxTextChars());
        assertEquals(65536, c.limits().maxFrameBytes());
        assertEquals(10, c.limits().framesPerSecond());
        assertEquals(20, c.limits().frameBurst());
        assertEquals(100, c.limits().roomsPerConnection());
        assertEquals(20, c.limits().connectionsPerUser());
        assertEquals(50, c.limits().joinHistory());
        assertEquals(1000, c.limits().presenceListLimit());
        assertTrue(c.redis().isEmpty());
        assertTrue(c.monolith().url().isEmpty());
        assertEquals("/chat/messages", c.monolith().historyPath());
        assertFalse(c.devMode());
        assertFalse(c.instanceId().isBlank());
    }

    @Test
    void environmentOverridesEveryKeyByOneNamingRule() {
        ParleyConfig c = ParleyConfig.from(env("PARLEY_PORT", "1234", "PARLEY_PRESENCE_TTL", "1500ms",
                "PARLEY_HEARTBEAT", "2m", "PARLEY_ALLOWED_ORIGINS", "https://a.example, https://b.example",
                "PARLEY_REDIS_URI", "redis://localhost:6380/2", "PARLEY_LIMITS_TEXT", "12",
                "PARLEY_ROOMS_DEFAULT_POLICY", "closed", "PARLEY_INSTANCE_ID", "pod-1"));
        assertEquals(1234, c.port());
        assertEquals(Duration.ofMillis(1500), c.timings().presenceTtl());
        assertEquals(Duration.ofMinutes(2), c.timings().heartbeat());
        assertEquals(java.util.List.of("https://a.example", "https://b.example"), c.allowedOrigins());
        assertEquals("localhost", c.redis().orElseThrow().uris().getFirst().getHost());
        assertEquals(12, c.limits().maxTextChars());
        assertEquals("pod-1", c.instanceId());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "PARLEY_PORT|eighty|PARLEY_PORT",
            "PARLEY_PORT|70000|PARLEY_PORT",
            "PARLEY_HEARTBEAT|10x|PARLEY_HEARTBEAT",
            "PARLEY_AUTH_TIMEOUT|-1s|PARLEY_AUTH_TIMEOUT",
            "PARLEY_REDIS_URI|http://localhost|PARLEY_REDIS_URI",
            "PARLEY_REDIS_URI|not a uri|PARLEY_REDIS_URI",
            "PARLEY_JWT_SECRETS|short|PARLEY_JWT_SECRETS",
            "PARLEY_API_SECRETS|short|PARLEY_API_SECRETS",
            "PARLEY_MONOLITH_URL|https://rails.example|PARLEY_MONOLITH_SECRET",
            "PARLEY_ROOMS_DEFAULT_POLICY|maybe|PARLEY_ROOMS_DEFAULT_POLICY",
            "PARLEY_DEV|true|PARLEY_DEV_SECRET",
            "PARLEY_DEV|perhaps|PARLEY_DEV",
            "PARLEY_LIMITS_RATE|0|PARLEY_LIMITS_RATE",
            "PARLEY_REDIS_MODE|sentinel|PARLEY_REDIS_MODE",
            "PARLEY_REDIS_MODE|cluster|PARLEY_REDIS_URI",
            "PARLEY_REDIS_MIN_REPLICAS|1|PARLEY_REDIS_URI",
    })
    void aBadValueStopsTheStartWithOneLineNamingTheVariable(String key, String value, String named) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ParleyConfig.from(env(key, value)));
        assertTrue(e.getMessage().contains(named), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
        assertFalse(e.getMessage().contains("short"), "secrets are never echoed");
    }

    @Test
    void clusterModeTakesASeedListAndWaitsForOneReplicaByDefault() {
        RedisSettings r = ParleyConfig.from(env("PARLEY_REDIS_MODE", "cluster",
                "PARLEY_REDIS_URI", "redis://h1:7000, redis://h2:7001")).redis().orElseThrow();
        assertEquals(RedisMode.CLUSTER, r.mode());
        assertEquals(java.util.List.of(java.net.URI.create("redis://h1:7000"), java.net.URI.create("redis://h2:7001")),
                r.uris());
        assertEquals(1, r.minReplicas());

        RedisSettings standalone = ParleyConfig.from(env("PARLEY_REDIS_URI", "redis://h1:6379")).redis().orElseThrow();
        assertEquals(RedisMode.STANDALONE, standalone.mode());
        assertEquals(0, standalone.minReplicas(), "standalone acks as before unless told otherwise");
        assertEquals(2, ParleyConfig.from(env("PARLEY_REDIS_URI", "redis://h1:6379", "PARLEY_REDIS_MIN_REPLICAS", "2"))
                .redis().orElseThrow().minReplicas());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "standalone|redis://h1:1,redis://h2:2|0|PARLEY_REDIS_MODE=cluster",
            "cluster|redis://h1:1/3|1|database 0",
            "cluster|redis://h1:1|9|PARLEY_REDIS_MIN_REPLICAS",
            "cluster|redis://h1:1,http://h2:2|1|PARLEY_REDIS_URI",
    })
    void aRedisSettingThatCannotWorkIsRefused(String mode, String uris, String replicas, String named) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ParleyConfig.from(env(
                "PARLEY_REDIS_MODE", mode, "PARLEY_REDIS_URI", uris, "PARLEY_REDIS_MIN_REPLICAS", replicas)));
        assertTrue(e.getMessage().contains(named), e.getMessage());
    }

    @Test
    void aJwtKeyIsRequired() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ParleyConfig.from(Map.of()));
        assertTrue(e.getMessage().contains("PARLEY_JWT_SECRETS"), e.getMessage());
    }

    @Test
    void devModeNeedsAnExplicitDevSecret() {
        ParleyConfig c = ParleyConfig.from(env("PARLEY_DEV", "true", "PARLEY_DEV_SECRET", SECRET + "-dev"));
        assertTrue(c.devMode());
        assertTrue(c.auth().hmacSecrets().contains(SECRET + "-dev"));
    }
}
