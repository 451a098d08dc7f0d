package io.parley.chat.presence;

import io.parley.chat.model.User;

/**
 * Told of the presence changes that no local join or leave caused, so that they can be announced like any other:
 * a user who left a room because the instance holding their last connection there died, and a user who is back
 * because their instance, wrongly evicted (cut off from Redis for longer than the TTL), wrote its members back.
 */
@FunctionalInterface
public interface PresenceListener {

    void evicted(String room, User user);

    /** The user is in the room again, and it is their first connection there in the cluster. */
    default void restored(String room, User user) {
    }
}
