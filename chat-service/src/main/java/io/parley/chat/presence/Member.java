package io.parley.chat.presence;

import io.parley.chat.model.User;

/** A user present in a room, with the number of their connections in it across the cluster. */
public record Member(User user, int connections) {
}
