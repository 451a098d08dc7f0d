package io.parley.chat.config;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * The shared Redis, when {@code PARLEY_REDIS_URI} is set.
 *
 * @param mode        {@code PARLEY_REDIS_MODE}: standalone (default) or cluster
 * @param uris        standalone: the one server; cluster: seed nodes, comma-separated, from which the client learns
 *                    the whole topology
 * @param minReplicas {@code PARLEY_REDIS_MIN_REPLICAS}: replicas an append must reach ({@code WAIT}) before its ack;
 *                    default 1 in cluster mode, 0 standalone
 */
public record RedisSettings(RedisMode mode, List<URI> uris, int minReplicas) {

    static final int MAX_MIN_REPLICAS = 5;

    public RedisSettings {
        uris = List.copyOf(uris);
    }

    static Optional<RedisSettings> from(Settings s) {
        String modeKey = "parley.redis.mode";
        RedisMode mode;
        try {
            mode = RedisMode.parse(s.optional(modeKey).orElse("standalone"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(Settings.envName(modeKey) + ": " + e.getMessage());
        }
        String uriKey = "parley.redis.uri";
        List<URI> uris = s.uris(uriKey, "redis", "rediss");
        String replicasKey = "parley.redis.min-replicas";
        if (uris.isEmpty()) {
            if (mode == RedisMode.CLUSTER || s.optional(replicasKey).isPresent()) {
                throw new ConfigException(Settings.envName(modeKey) + "/" + Settings.envName(replicasKey)
                        + " need " + Settings.envName(uriKey) + " (without it Parley runs in memory)");
            }
            return Optional.empty();
        }
        if (mode == RedisMode.STANDALONE && uris.size() > 1) {
            throw new ConfigException(Settings.envName(uriKey) + ": standalone mode takes one URI; for a list of "
                    + "cluster seed nodes set " + Settings.envName(modeKey) + "=cluster");
        }
        if (mode == RedisMode.CLUSTER) {
            for (URI uri : uris) {
                String path = uri.getPath() == null ? "" : uri.getPath();
                if (!path.isEmpty() && !path.equals("/") && !path.equals("/0")) {
                    throw new ConfigException(Settings.envName(uriKey) + ": a Redis Cluster has only database 0");
                }
            }
        }
        int minReplicas = s.optional(replicasKey).isPresent()
                ? s.integer(replicasKey, 0, MAX_MIN_REPLICAS)
                : (mode == RedisMode.CLUSTER ? 1 : 0);
        return Optional.of(new RedisSettings(mode, uris, minReplicas));
    }
}
