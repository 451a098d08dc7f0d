package io.parley.chat.model;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Message ids: {@code <13-digit ms>-<6-digit seq>:<room>}, e.g. {@code 1732270000000-000003:lobby}.
 *
 * <p>The cursor part orders messages within a room (it is the Redis stream id, zero-padded so that ids of one room
 * also sort as plain strings, which the monolith may rely on); the room suffix makes the id unique across the
 * cluster, because two rooms can accept a message in the same millisecond with the same sequence number.
 *
 * @param millis   milliseconds part of the cursor
 * @param sequence sequence within that millisecond
 */
public record MessageId(long millis, long sequence) implements Comparable<MessageId> {

    /**
     * The full id as a {@code String.format} pattern of (milliseconds, sequence, room); append.lua is given it, so
     * that Java and Redis format ids alike.
     */
    public static final String FORMAT = "%013d-%06d:%s";

    /** The cursor before every message ({@code 0-0}, as Redis streams name it). */
    public static final MessageId NONE = new MessageId(0, 0);

    private static final Pattern SYNTAX = Pattern.compile("^(\\d{1,19})-(\\d{1,19})(?::" + RoomName.CHARACTER + "{1,"
            + RoomName.MAX_LENGTH + "})?$");

    /** Formats the full id of a message of {@code room}. */
    public String format(String room) {
        return String.format(FORMAT, millis, sequence, room);
    }

    /** The Redis stream id form ({@code ms-seq}). */
    public String streamId() {
        return millis + "-" + sequence;
    }

    /**
     * Parses a full id, or a bare cursor {@code ms-seq}, as a {@code since} cursor.
     *
     * @throws IllegalArgumentException when the text is not an id
     */
    public static MessageId parse(String text) {
        Matcher m = text == null ? null : SYNTAX.matcher(text);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("not a message id");
        }
        try {
            return new MessageId(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a message id");
        }
    }

    /** The id that follows {@code previous} for a message accepted at {@code nowMillis} (Redis XADD semantics). */
    public static MessageId next(MessageId previous, long nowMillis) {
        if (previous == null || nowMillis > previous.millis) {
            return new MessageId(nowMillis, 0);
        }
        return new MessageId(previous.millis, previous.sequence + 1);
    }

    @Override
    public int compareTo(MessageId o) {
        int c = Long.compare(millis, o.millis);
        return c != 0 ? c : Long.compare(sequence, o.sequence);
    }
}
