package io.parley.chat.model;

import java.util.Objects;

/** A chat participant as shown to others: {@code {"id":"42","name":"Ada"}}. */
public record User(String id, String name) {

    /** The longest display name, in characters ({@link Text#length}): in a token's {@code name} as in the API. */
    public static final int MAX_NAME_LENGTH = 64;

    public User {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
    }
}
