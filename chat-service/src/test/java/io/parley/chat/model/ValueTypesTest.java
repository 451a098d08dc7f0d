package io.parley.chat.model;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each rule of the small value types, at its boundaries; characters are counted as code points. */
class ValueTypesTest {

    private static final String EMOJI = "👋"; // two UTF-16 units, one character

    @Test
    void aUserIdHasOneTo128CharactersAndIsNotBlank() {
        assertEquals("42", new UserId("42").value());
        assertTrue(UserId.isValid("u".repeat(128)));
        assertTrue(UserId.isValid(EMOJI.repeat(128)), "128 emoji are 128 characters, not 256");
        for (String bad : List.of("", " ", "\t", "u".repeat(129), EMOJI.repeat(129))) {
            assertFalse(UserId.isValid(bad), bad);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new UserId(bad));
            assertEquals(UserId.PROBLEM, e.getMessage());
        }
        assertFalse(UserId.isValid(null));
    }

    @Test
    void aRefHasOneTo64Characters() {
        assertTrue(Ref.isValid("c-1"));
        assertTrue(Ref.isValid(EMOJI.repeat(64)));
        for (String bad : List.of("", "r".repeat(65), EMOJI.repeat(65))) {
            assertFalse(Ref.isValid(bad), bad);
            assertThrows(IllegalArgumentException.class, () -> new Ref(bad));
        }
        assertFalse(Ref.isValid(null));
    }

    @Test
    void aRoomNameFollowsTheRuleSentToClients() {
        assertEquals("^[A-Za-z0-9_.:-]{1,64}$", RoomName.RULE);
        assertEquals("team-7:general", new RoomName("team-7:general").value());
        for (String bad : List.of("", "a b", "a/b", "*", "café", "r".repeat(65))) {
            assertFalse(RoomName.isValid(bad), bad);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RoomName(bad));
            assertEquals(RoomName.PROBLEM, e.getMessage());
        }
    }

    @Test
    void aMessageIdNamesARoomByTheSameRule() {
        MessageId id = new MessageId(1_732_270_000_000L, 3);
        assertEquals(id, MessageId.parse(id.format("r".repeat(64))));
        assertThrows(IllegalArgumentException.class, () -> MessageId.parse(id.format("r".repeat(65))));
        assertThrows(IllegalArgumentException.class, () -> MessageId.parse(id.format("a b")));
    }

    @Test
    void textLengthCountsCodePoints() {
        assertEquals(3, Text.length("a" + EMOJI + "世"));
    }
}
