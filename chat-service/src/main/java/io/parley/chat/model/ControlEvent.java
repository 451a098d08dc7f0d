package io.parley.chat.model;

/** Cluster-wide instructions that every instance acts on for its own sockets. */
public sealed interface ControlEvent {

    /** Close every connection of the user with 4403. */
    record DisconnectUser(String userId, String reason) implements ControlEvent {
    }
}
