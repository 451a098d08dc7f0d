package io.parley.chat.presence;

import io.parley.chat.model.User;

/** Told when a user left a room because the instance holding their last connection there died. */
@FunctionalInterface
public interface EvictionListener {

    void evicted(String room, User user);
}
