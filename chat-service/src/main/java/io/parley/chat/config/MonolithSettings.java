package io.parley.chat.config;

import java.net.URI;
import java.util.Optional;

/**
 * Where accepted messages and room events go (protocol §3).
 *
 * @param url         base URL of the monolith; empty: nothing is sent
 * @param secret      signs the posts (required with a URL)
 * @param historyPath path of the history endpoint
 * @param eventsPath  path of the events endpoint; empty: no events are sent
 */
public record MonolithSettings(Optional<URI> url, Optional<String> secret, String historyPath,
                               Optional<String> eventsPath) {

    static MonolithSettings from(Settings s) {
        Optional<URI> url = s.uri("parley.monolith.url", "http", "https");
        Optional<String> secret = s.optional("parley.monolith.secret");
        if (url.isPresent() && secret.isEmpty()) {
            throw new ConfigException("PARLEY_MONOLITH_SECRET is required when PARLEY_MONOLITH_URL is set");
        }
        secret.ifPresent(v -> ParleyConfig.requireSecretStrength("parley.monolith.secret", v));
        return new MonolithSettings(url, secret, path(s, "parley.monolith.history-path").orElse("/chat/messages"),
                path(s, "parley.monolith.events-path"));
    }

    private static Optional<String> path(Settings s, String key) {
        Optional<String> path = s.optional(key);
        path.filter(p -> !p.startsWith("/")).ifPresent(p -> {
            throw new ConfigException(Settings.envName(key) + ": must start with /");
        });
        return path;
    }
}
