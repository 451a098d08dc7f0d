package io.parley.chat.auth;

import io.parley.chat.auth.RoomAccess.Policy;
import io.parley.chat.model.RoomName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoomAccessTest {

    private final RoomAccess open = new RoomAccess(Policy.OPEN);
    private final RoomAccess closed = new RoomAccess(Policy.CLOSED);

    @ParameterizedTest
    @ValueSource(strings = {"lobby", "a", "team-7:general", "Room_1.2", "dm:1:2", "x:y:z"})
    void acceptsValidRoomNames(String room) {
        assertTrue(RoomName.isValid(room));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "has space", "star*", "*", "a/b", "café", "room\n", "tab\t", "semi;colon"})
    void refusesInvalidRoomNames(String room) {
        assertFalse(RoomName.isValid(room));
    }

    @Test
    void limitsRoomNamesTo64Characters() {
        assertTrue(RoomName.isValid("r".repeat(64)));
        assertFalse(RoomName.isValid("r".repeat(65)));
        assertFalse(RoomName.isValid(null));
    }

    @Test
    void roomsEntriesAreRoomNamesOrPrefixes() {
        for (String entry : List.of("lobby", "team-7:*", "*", "r".repeat(64), "p".repeat(63) + "*")) {
            assertTrue(RoomAccess.isValidRoomsEntry(entry), entry);
        }
        for (String entry : List.of("", "**", "a*b", "*a", "bad room*", "r".repeat(65), "p".repeat(64) + "*")) {
            assertFalse(RoomAccess.isValidRoomsEntry(entry), entry);
        }
        assertFalse(RoomAccess.isValidRoomsEntry(null));
    }

    @Test
    void parsesThePolicyCaseInsensitively() {
        assertEquals(Policy.OPEN, Policy.parse("open"));
        assertEquals(Policy.OPEN, Policy.parse("OPEN"));
        assertEquals(Policy.CLOSED, Policy.parse(" Closed "));
        for (String bad : new String[]{"", "opened", "none", null}) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> Policy.parse(bad));
            assertTrue(refused.getMessage().startsWith("PARLEY_ROOMS_DEFAULT_POLICY"), refused.getMessage());
        }
    }

    @Test
    void withoutARoomsClaimThePolicyDecides() {
        Principal ada = user("42", null);

        assertTrue(open.mayJoin(ada, "lobby"));
        assertFalse(closed.mayJoin(ada, "lobby"));
    }

    @Test
    void aRoomsClaimAllowsExactlyItsRoomsWhateverThePolicy() {
        Principal ada = user("42", List.of("lobby", "support"));

        for (RoomAccess access : List.of(open, closed)) {
            assertTrue(access.mayJoin(ada, "lobby"));
            assertTrue(access.mayJoin(ada, "support"));
            assertFalse(access.mayJoin(ada, "lobby2"));
            assertFalse(access.mayJoin(ada, "lobb"));
        }
    }

    @Test
    void anEmptyRoomsClaimAllowsNoRoom() {
        assertFalse(open.mayJoin(user("42", List.of()), "lobby"));
    }

    @Test
    void aPrefixEntryAllowsTheRoomsStartingWithIt() {
        Principal ada = user("42", List.of("team-7:*"));

        assertTrue(closed.mayJoin(ada, "team-7:general"));
        assertTrue(closed.mayJoin(ada, "team-7:"));
        assertFalse(closed.mayJoin(ada, "team-70:general"));
        assertFalse(closed.mayJoin(ada, "team-7"));
        assertFalse(closed.mayJoin(ada, "team-8:general"));
        assertTrue(closed.mayJoin(user("42", List.of("*")), "anything"));
    }

    @Test
    void refusesInvalidRoomNamesWhateverTheClaim() {
        assertFalse(open.mayJoin(user("42", List.of("*")), "bad room"));
        assertFalse(open.mayJoin(user("42", null), "a".repeat(65)));
        assertFalse(open.mayJoin(user("42", null), null));
    }

    @Test
    void aDirectMessageRoomIsOpenToItsTwoUsersOnly() {
        assertTrue(closed.mayJoin(user("1", List.of()), "dm:1:2"));
        assertTrue(closed.mayJoin(user("2", null), "dm:1:2"));
        assertFalse(open.mayJoin(user("3", null), "dm:1:2"));
    }

    @Test
    void noClaimOpensADirectMessageRoomToAThirdUser() {
        for (List<String> rooms : List.of(List.of("*"), List.of("dm:*"), List.of("dm:1:2"))) {
            assertFalse(open.mayJoin(user("3", rooms), "dm:1:2"), rooms.toString());
        }
    }

    @Test
    void aDirectMessageRoomNeedsItsIdsInAscendingStringOrder() {
        assertFalse(open.mayJoin(user("1", null), "dm:2:1"));
        assertFalse(open.mayJoin(user("2", null), "dm:2:1"));
        assertFalse(open.mayJoin(user("1", null), "dm:1:1"));
        // String order, not numeric: "10" < "9".
        assertTrue(open.mayJoin(user("9", null), "dm:10:9"));
        assertFalse(open.mayJoin(user("9", null), "dm:9:10"));
    }

    @Test
    void malformedDirectMessageRoomsAreClosedToAll() {
        for (String room : List.of("dm:1", "dm:", "dm::1", "dm:1:", "dm:1:2:3")) {
            for (String id : List.of("1", "2", "3", "")) {
                assertFalse(open.mayJoin(user(id.isEmpty() ? "x" : id, List.of("*")), room), room + " for " + id);
            }
        }
        // An id with ':' would make dm names ambiguous: such users have no dm rooms.
        assertFalse(open.mayJoin(user("a:b", null), "dm:a:b:c"));
        assertFalse(open.mayJoin(user("b:c", null), "dm:a:b:c"));
    }

    private static Principal user(String id, List<String> rooms) {
        return new Principal(id, id, Optional.ofNullable(rooms), Instant.parse("2030-01-01T00:00:00Z"), Optional.empty());
    }
}
