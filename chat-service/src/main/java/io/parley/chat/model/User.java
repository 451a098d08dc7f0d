package io.parley.chat.model;

import java.util.Objects;

/** A chat participant as shown to others: {@code {"id":"42","name":"Ada"}}. */
public record User(String id, String name) {

    public User {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
    }
}
