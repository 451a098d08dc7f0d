package io.parley.chat.outbox;

import java.util.function.IntSupplier;

import io.parley.chat.model.User;

/**
 * Told by the core about cluster-wide presence transitions, for the monolith's events endpoint. Called on the
 * caller's thread; implementations queue and return, and never throw (a lost event must not fail a join).
 */
public interface MembershipEvents {

    MembershipEvents NONE = new MembershipEvents() {
        @Override
        public void joined(String room, User user, IntSupplier membersAfter) {
        }

        @Override
        public void left(String room, User user, IntSupplier membersAfter) {
        }
    };

    /**
     * The user's first connection in the room appeared anywhere in the cluster.
     *
     * @param membersAfter the room's member count now, read only when needed (it may cost a Redis call)
     */
    void joined(String room, User user, IntSupplier membersAfter);

    /** The user's last connection in the room went (a leave, a close, or the eviction of a dead instance). */
    void left(String room, User user, IntSupplier membersAfter);
}
