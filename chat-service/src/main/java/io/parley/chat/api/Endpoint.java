package io.parley.chat.api;

import java.util.Arrays;

/**
 * The endpoints of the server API (protocol §2): each one's route template, as routed and as the {@code route} label
 * of {@code parley_api_requests_total} (a template, so room names and user ids never become label values).
 */
enum Endpoint {
    STATS("/stats"),
    DEAD_LETTERS("/dead-letters"),
    DEAD_LETTERS_REPLAY("/dead-letters/replay"),
    ROOM_MESSAGES("/rooms/{room}/messages"),
    ROOM_PRESENCE("/rooms/{room}/presence"),
    USER_DISCONNECT("/users/{id}/disconnect");

    static final String PREFIX = "/api/v1";
    /** The route label of a path that names no endpoint. */
    static final String OTHER = "other";

    private final String template;
    private final RawPathTemplate matcher;

    Endpoint(String template) {
        this.template = template;
        this.matcher = new RawPathTemplate(PREFIX + template);
    }

    String template() {
        return template;
    }

    RawPathTemplate matcher() {
        return matcher;
    }

    /** The route label of a raw path: its endpoint's template, or {@link #OTHER}. */
    static String label(String rawPath) {
        return Arrays.stream(values()).filter(e -> e.matcher.matches(rawPath)).findFirst()
                .map(Endpoint::template).orElse(OTHER);
    }
}
