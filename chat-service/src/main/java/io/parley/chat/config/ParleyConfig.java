package io.parley.chat.config;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.parley.chat.auth.AuthSettings;
import io.parley.chat.auth.RoomAccess;

/**
 * Everything the service reads at start, validated. Build it with {@link #from(Map)}.
 *
 * @param port           public port: {@code /ws}, the widget, the demo page
 * @param adminPort      internal port: {@code /api/v1}, {@code /observe}
 * @param instanceId     this instance's name in the cluster
 * @param allowedOrigins browser origins allowed to open a socket; {@code *} allows every origin
 * @param auth           token verification keys and checks
 * @param roomPolicy     room access without a {@code rooms} claim
 * @param apiSecrets     secrets for server API signatures (two during a rotation); empty: the API refuses all
 * @param redis          shared Redis; empty: single instance on in-memory parts
 * @param monolith       history and event posts
 * @param limits         sizes and rates
 * @param timings        timers
 * @param devSecret      present only in development mode ({@code PARLEY_DEV=true}): signs demo tokens
 */
public record ParleyConfig(int port, int adminPort, String instanceId, List<String> allowedOrigins,
                           AuthSettings auth, RoomAccess.Policy roomPolicy, List<String> apiSecrets,
                           Optional<RedisSettings> redis, MonolithSettings monolith, Limits limits, Timings timings,
                           Optional<String> devSecret) {

    static final int MIN_SECRET_BYTES = 32;

    /** Reads and validates the configuration from environment variables over {@code application.yaml}. */
    public static ParleyConfig from(Map<String, String> env) {
        Settings s = Settings.load(env);
        Optional<String> devSecret = devSecret(s);
        List<String> hmacSecrets = new ArrayList<>(s.list("parley.jwt.secrets"));
        hmacSecrets.forEach(v -> requireSecretStrength("parley.jwt.secrets", v));
        devSecret.ifPresent(hmacSecrets::add);
        List<String> apiSecrets = s.list("parley.api.secrets");
        apiSecrets.forEach(v -> requireSecretStrength("parley.api.secrets", v));
        AuthSettings auth = new AuthSettings(List.copyOf(hmacSecrets),
                s.list("parley.jwt.public-keys").stream().map(Path::of).toList(),
                s.uri("parley.jwks-url", "http", "https"),
                s.optional("parley.jwt.issuer"),
                s.optional("parley.jwt.audience"),
                s.duration("parley.jwt.leeway", java.time.Duration.ZERO));
        return new ParleyConfig(
                s.integer("parley.port", 0, 65535),
                s.integer("parley.admin-port", 0, 65535),
                s.optional("parley.instance-id").orElseGet(ParleyConfig::defaultInstanceId),
                s.list("parley.allowed-origins"),
                auth,
                RoomAccess.Policy.parse(s.optional("parley.rooms.default-policy").orElse("open")),
                apiSecrets,
                RedisSettings.from(s),
                MonolithSettings.from(s),
                Limits.from(s),
                Timings.from(s),
                devSecret);
    }

    public boolean devMode() {
        return devSecret.isPresent();
    }

    private static Optional<String> devSecret(Settings s) {
        if (!s.bool("parley.dev")) {
            return Optional.empty();
        }
        String secret = s.optional("parley.dev-secret").orElseThrow(() -> new ConfigException(
                "PARLEY_DEV=true needs an explicit PARLEY_DEV_SECRET (at least 32 bytes); never enable it in production"));
        requireSecretStrength("parley.dev-secret", secret);
        return Optional.of(secret);
    }

    static void requireSecretStrength(String key, String secret) {
        if (secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            throw new ConfigException(Settings.envName(key) + ": every secret must be at least " + MIN_SECRET_BYTES
                    + " bytes");
        }
    }

    private static String defaultInstanceId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
    }
}
