package io.parley.chat.room;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.parley.chat.model.MessageId;
import io.parley.chat.model.User;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Local membership: first and last member of a room, and fan-out to the members a filter accepts. */
class LocalRoomsTest {

    /** A recipient that records what it is given. */
    private record Recorded(String connectionId, User user, List<Object[]> got) implements Recipient {

        Recorded(String connectionId) {
            this(connectionId, new User(connectionId, connectionId), new ArrayList<>());
        }

        @Override
        public void deliver(String room, MessageId cursor, byte[] frame, long sampleSince) {
            got.add(new Object[] {room, cursor, frame, sampleSince});
        }
    }

    private final LocalRooms rooms = new LocalRooms();

    @Test
    void theFirstAddAndTheLastRemoveOfARoomAreReported() {
        Recorded a = new Recorded("a");
        Recorded b = new Recorded("b");
        assertTrue(rooms.add("lobby", a), "the first local member: subscribe");
        assertFalse(rooms.add("lobby", b));
        assertFalse(rooms.add("lobby", a), "adding again changes nothing");
        assertEquals(1, rooms.size());
        assertFalse(rooms.remove("lobby", a));
        assertFalse(rooms.remove("lobby", a), "removing again changes nothing");
        assertTrue(rooms.remove("lobby", b), "the last local member: unsubscribe");
        assertEquals(0, rooms.size(), "an empty room is forgotten");
        assertFalse(rooms.remove("lobby", b), "a room nobody is in has no last member to lose");
        assertTrue(rooms.add("lobby", a), "and a later member is a first one again");
    }

    @Test
    void aFrameGoesToTheAcceptedMembersOfItsRoomOnlyAndOneOfThemSamples() {
        Recorded a = new Recorded("a");
        Recorded b = new Recorded("b");
        Recorded c = new Recorded("c");
        Recorded elsewhere = new Recorded("elsewhere");
        rooms.add("lobby", a);
        rooms.add("lobby", b);
        rooms.add("lobby", c);
        rooms.add("other", elsewhere);
        byte[] frame = "{\"type\":\"message\"}".getBytes(StandardCharsets.UTF_8);
        MessageId cursor = new MessageId(1_732_270_000_000L, 1);

        assertEquals(2, rooms.fanOut("lobby", cursor, frame, r -> r != b, 42L));
        assertEquals(List.of(), b.got(), "the filter refused b");
        assertEquals(List.of(), elsewhere.got(), "another room's member gets nothing");
        long sampled = 0;
        for (Recorded r : List.of(a, c)) {
            assertEquals(1, r.got().size());
            Object[] got = r.got().getFirst();
            assertEquals("lobby", got[0]);
            assertEquals(cursor, got[1]);
            assertSame(frame, got[2], "the same encoded frame for every recipient");
            sampled += (long) got[3] == 42L ? 1 : 0;
        }
        assertEquals(1, sampled, "exactly one recipient measures delivery");
        assertEquals(0, rooms.fanOut("empty", cursor, frame, r -> true, 0));
    }
}
