package io.parley.chat.model;

/** What travels through a room to every instance that has members in it. */
public sealed interface RoomEvent {

    String room();

    /** A message was accepted (durably) into the room. */
    record Posted(ChatMessage message) implements RoomEvent {
        @Override
        public String room() {
            return message.room();
        }
    }

    /** A user's first connection appeared in the room anywhere in the cluster ({@code join}), or the last one went. */
    record PresenceChanged(String room, String event, User user) implements RoomEvent {
        public static final String JOIN = "join";
        public static final String LEAVE = "leave";
    }

    /**
     * The member count of a room too large for per-user presence events changed; instances pass it on to their
     * members at most every 5 s.
     */
    record MemberCount(String room, int count) implements RoomEvent {
    }

    /** A user is typing; ephemeral. */
    record Typing(String room, User user) implements RoomEvent {
    }
}
