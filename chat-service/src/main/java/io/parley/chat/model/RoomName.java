package io.parley.chat.model;

import java.util.regex.Pattern;

/**
 * A room name (protocol §1): 1 to {@value #MAX_LENGTH} of {@code A-Z a-z 0-9 _ . : -}; {@code *} never appears. The
 * one place the rule is written: the frame codec, the server API, message ids, token {@code rooms} entries and the
 * {@code welcome.limits.roomPattern} sent to clients all take it from here.
 *
 * @param value the name; a {@code RoomName} exists only for a valid one
 */
public record RoomName(String value) {

    public static final int MAX_LENGTH = 64;
    /** One character a room name may have, as a regular-expression class. */
    public static final String CHARACTER = "[A-Za-z0-9_.:-]";
    /** The room-name rule of protocol §1, also sent to clients in {@code welcome.limits}. */
    public static final String RULE = "^" + CHARACTER + "{1," + MAX_LENGTH + "}$";
    /** What a refusal says. */
    public static final String PROBLEM = "invalid room name (1-" + MAX_LENGTH + " of A-Z a-z 0-9 _ . : -)";
    private static final Pattern VALID = Pattern.compile(RULE);

    /** @throws IllegalArgumentException with {@link #PROBLEM} when the name breaks the rule */
    public RoomName {
        if (!isValid(value)) {
            throw new IllegalArgumentException(PROBLEM);
        }
    }

    /**
     * Which of {@code stripes} stripes a room falls in: the one hash of a room name, for lock stripes and for the
     * Redis shard of its keys (so it must never change: the shard decides where a room's data lives).
     */
    public static int stripe(String room, int stripes) {
        return (room.hashCode() & 0x7fffffff) % stripes;
    }

    public static boolean isValid(String room) {
        return room != null && VALID.matcher(room).matches();
    }

    @Override
    public String toString() {
        return value;
    }
}
