package io.parley.chat.presence;

import java.util.List;

import io.parley.chat.model.User;

/**
 * Port: room membership across the cluster, per connection, reported per user.
 *
 * <p>Guarantees (checked by the shared contract test):
 * <ul>
 *   <li>{@link #join} returns true exactly once per transition of a user from no connection to one in a room,
 *   counted over the whole cluster; {@link #leave} returns true exactly once per transition back to none.</li>
 *   <li>Both are idempotent per connection id.</li>
 *   <li>The members of an instance that stops heartbeating are evicted after the presence TTL by exactly one
 *   surviving instance, which reports each user that thereby left a room to its {@link PresenceListener}.</li>
 * </ul>
 * Implementations are thread-safe.
 */
public interface PresenceStore extends AutoCloseable {

    /** Starts heartbeating and eviction; the listener hears about users evicted from dead instances. */
    void start(PresenceListener listener);

    boolean join(String room, User user, String connectionId);

    boolean leave(String room, User user, String connectionId);

    /** Up to {@code limit} members, in no particular order. */
    List<Member> members(String room, int limit);

    int memberCount(String room);

    ClusterStats stats();

    @Override
    void close();
}
