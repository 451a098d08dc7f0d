package io.parley.chat.config;

import java.util.Locale;

/** How Parley talks to Redis ({@code PARLEY_REDIS_MODE}): one server (with optional replicas) or a Redis Cluster. */
public enum RedisMode {
    STANDALONE,
    CLUSTER;

    /** {@code standalone} or {@code cluster}, any case; anything else is refused. */
    public static RedisMode parse(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "standalone" -> STANDALONE;
            case "cluster" -> CLUSTER;
            default -> throw new IllegalArgumentException("'" + value + "' is not standalone or cluster");
        };
    }
}
