package io.parley.chat.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

/**
 * Raw key lookup: an environment variable wins over {@code application.yaml}. Values are scalars in both places
 * (lists are comma-separated), so a value reads the same wherever it is set. Typed getters reject bad values with a
 * {@link ConfigException} that names the environment variable.
 */
public final class Settings {

    private static final Pattern DURATION = Pattern.compile("^(\\d+)(ms|s|m|h)?$");

    private final Map<String, String> env;
    private final Config yaml;

    public Settings(Map<String, String> env, Config yaml) {
        this.env = Map.copyOf(env);
        this.yaml = yaml;
    }

    /** The environment plus the bundled {@code application.yaml}. */
    public static Settings load(Map<String, String> env) {
        Config yaml = Config.just(ConfigSources.classpath("application.yaml"));
        return new Settings(env, yaml);
    }

    /** {@code parley.presence.list-limit} -> {@code PARLEY_PRESENCE_LIST_LIMIT}. */
    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public Optional<String> optional(String key) {
        String value = env.get(envName(key));
        if (value == null) {
            value = yaml.get(key).asString().orElse(null);
        }
        return Optional.ofNullable(value).map(String::trim).filter(v -> !v.isEmpty());
    }

    public String required(String key) {
        return optional(key).orElseThrow(() -> new ConfigException(envName(key) + " is required"));
    }

    public List<String> list(String key) {
        return optional(key).map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                .orElse(List.of());
    }

    public int integer(String key, int min, int max) {
        String raw = required(key);
        try {
            int value = Integer.parseInt(raw);
            if (value < min || value > max) {
                throw new ConfigException(envName(key) + ": " + value + " is outside " + min + ".." + max);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ConfigException(envName(key) + ": '" + raw + "' is not a whole number");
        }
    }

    public boolean bool(String key) {
        String raw = optional(key).orElse("false").toLowerCase(Locale.ROOT);
        return switch (raw) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new ConfigException(envName(key) + ": '" + raw + "' is not true or false");
        };
    }

    /** Durations such as {@code 10s}, {@code 500ms}, {@code 2m}, {@code 1h}; a bare number means seconds. */
    public Duration duration(String key, Duration min) {
        String raw = required(key);
        Matcher m = DURATION.matcher(raw);
        if (!m.matches()) {
            throw new ConfigException(envName(key) + ": '" + raw + "' is not a duration (use e.g. 10s or 500ms)");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2) == null ? "s" : m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
        if (d.compareTo(min) < 0) {
            throw new ConfigException(envName(key) + ": " + raw + " is shorter than the minimum " + min.toMillis() + "ms");
        }
        return d;
    }

    /** An absolute URI with one of the given schemes, when set. */
    public Optional<URI> uri(String key, String... schemes) {
        return optional(key).map(raw -> parseUri(key, raw, schemes));
    }

    /** A comma-separated list of absolute URIs with one of the given schemes; empty when not set. */
    public List<URI> uris(String key, String... schemes) {
        return list(key).stream().map(raw -> parseUri(key, raw, schemes)).toList();
    }

    private static URI parseUri(String key, String raw, String... schemes) {
        try {
            URI uri = new URI(raw);
            if (uri.getScheme() == null || uri.getHost() == null
                    || !List.of(schemes).contains(uri.getScheme().toLowerCase(Locale.ROOT))) {
                throw new ConfigException(envName(key) + ": expected a " + String.join(" or ", schemes)
                        + " URI with a host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigException(envName(key) + ": not a valid URI");
        }
    }
}
