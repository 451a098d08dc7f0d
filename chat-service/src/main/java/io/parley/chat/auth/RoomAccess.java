package io.parley.chat.auth;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

import io.parley.chat.model.RoomName;

/**
 * Who may join which room (protocol.md §1 "Room access"), decided in this order:
 * <ol>
 *   <li>a room name that does not match {@code ^[A-Za-z0-9_.:-]{1,64}$}: nobody;</li>
 *   <li>a direct-message room {@code dm:<idA>:<idB>}: exactly those two users, and only when
 *       {@code idA < idB} in {@link String#compareTo} order (so each pair has one room). The two ids
 *       contain no {@code :} (a user whose id has one has no direct-message rooms): otherwise
 *       {@code dm:a:b:c} would be the room of both {a, b:c} and {a:b, c}. Any other room in the {@code dm:}
 *       namespace is closed to all. No {@code rooms} claim and no policy opens a dm room to a third user;</li>
 *   <li>with a {@code rooms} claim: a room equal to an entry, or starting with the part before the
 *       {@code *} of a prefix entry ({@code "team-7:*"} allows {@code team-7:general}; {@code "*"} allows
 *       every room);</li>
 *   <li>without one: the default policy, {@code open} (every room) or {@code closed} (none).</li>
 * </ol>
 * Immutable and thread-safe.
 */
public final class RoomAccess {

    /** What a token without a {@code rooms} claim may join ({@code PARLEY_ROOMS_DEFAULT_POLICY}). */
    public enum Policy {
        OPEN, CLOSED;

        /** {@code "open"} or {@code "closed"}, any case; anything else names the variable at fault. */
        public static Policy parse(String value) {
            String normalized = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
            return switch (normalized) {
                case "open" -> OPEN;
                case "closed" -> CLOSED;
                default -> throw new IllegalArgumentException(
                        "PARLEY_ROOMS_DEFAULT_POLICY: must be 'open' or 'closed'");
            };
        }
    }

    private static final Pattern ROOMS_PREFIX_ENTRY = Pattern.compile(RoomName.CHARACTER + "{0,"
            + (RoomName.MAX_LENGTH - 1) + "}\\*");
    private static final String DM_PREFIX = "dm:";

    private final Policy defaultPolicy;

    public RoomAccess(Policy defaultPolicy) {
        this.defaultPolicy = Objects.requireNonNull(defaultPolicy, "defaultPolicy");
    }

    /** Whether {@code principal} may join {@code room}; see the class doc for the rules. */
    public boolean mayJoin(Principal principal, String room) {
        if (!RoomName.isValid(room)) {
            return false;
        }
        if (room.startsWith(DM_PREFIX)) {
            return isDirectMessageMember(principal.userId(), room);
        }
        return principal.rooms()
                .map(entries -> entries.stream().anyMatch(entry -> grants(entry, room)))
                .orElse(defaultPolicy == Policy.OPEN);
    }

    /**
     * Whether {@code entry} may appear in a {@code rooms} claim: a room name, or up to 63 room-name characters
     * followed by {@code *} (a prefix; {@code "*"} alone means every room).
     */
    public static boolean isValidRoomsEntry(String entry) {
        return RoomName.isValid(entry) || (entry != null && ROOMS_PREFIX_ENTRY.matcher(entry).matches());
    }

    private static boolean grants(String entry, String room) {
        return entry.endsWith("*")
                ? room.startsWith(entry.substring(0, entry.length() - 1))
                : entry.equals(room);
    }

    private static boolean isDirectMessageMember(String userId, String room) {
        String[] parts = room.split(":", -1);
        if (parts.length != 3) {
            return false;
        }
        String first = parts[1];
        String second = parts[2];
        return !first.isEmpty() && first.compareTo(second) < 0 && (userId.equals(first) || userId.equals(second));
    }
}
