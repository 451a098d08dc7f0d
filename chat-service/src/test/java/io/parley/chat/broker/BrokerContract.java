package io.parley.chat.broker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.parley.chat.model.ChatMessage;
import io.parley.chat.model.ControlEvent;
import io.parley.chat.model.MessageId;
import io.parley.chat.model.RoomEvent;
import io.parley.chat.model.User;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@link Broker} guarantees, run against every implementation. An implementation whose brokers share their
 * data (several instances of a cluster) runs {@link SharedBrokerContract}, which adds the cross-instance cases.
 */
abstract class BrokerContract {

    static final User ADA = new User("1", "Ada");
    static final User BOB = new User("2", "Bob");
    static final Duration REF_WINDOW = Duration.ofMinutes(5);

    private final List<Broker> brokers = new ArrayList<>();

    /** A new started-able broker: one instance of the implementation (same backing store for cluster ones). */
    protected abstract Broker create(int retainedPerRoom, Duration refWindow);


    /** A started broker with a recording listener. */
    protected Started broker(int retained) {
        Broker b = create(retained, REF_WINDOW);
        brokers.add(b);
        RecordingBrokerListener listener = new RecordingBrokerListener();
        b.start(listener);
        return new Started(b, listener);
    }

    protected record Started(Broker broker, RecordingBrokerListener listener) {
    }

    @AfterEach
    void closeBrokers() {
        brokers.forEach(Broker::close);
        afterBrokersClosed();
    }

    /** Releases what the brokers used without owning it (e.g. their Redis connections). */
    protected void afterBrokersClosed() {
    }

    static String room(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static MessageDraft draft(String room, String text) {
        return new MessageDraft(room, Optional.of(ADA), text, ChatMessage.KIND_USER, Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    static MessageDraft keyed(String room, String text, String key) {
        return new MessageDraft(room, Optional.of(ADA), text, ChatMessage.KIND_USER, Optional.of(key),
                Optional.empty(), Optional.of("u:" + ADA.id() + ":" + key));
    }

    @Test
    void idsIncreaseWithinARoomAndAreUniqueAcrossRooms() {
        Broker b = broker(100).broker();
        String a = room("a");
        String c = room("c");
        Set<String> ids = new HashSet<>();
        MessageId lastA = null;
        MessageId lastC = null;
        for (int i = 0; i < 30; i++) {
            ChatMessage ma = b.append(draft(a, "a" + i)).message();
            ChatMessage mc = b.append(draft(c, "c" + i)).message();
            MessageId ia = MessageId.parse(ma.id());
            MessageId ic = MessageId.parse(mc.id());
            if (lastA != null) {
                assertTrue(ia.compareTo(lastA) > 0, "ids increase within a room");
                assertTrue(ic.compareTo(lastC) > 0, "ids increase within a room");
                assertTrue(ma.id().compareTo(lastA.format(a)) > 0, "ids of a room also sort as strings");
            }
            lastA = ia;
            lastC = ic;
            assertEquals(ia.millis(), ma.ts(), "ts is the id's milliseconds");
            assertTrue(ids.add(ma.id()) && ids.add(mc.id()), "ids are unique across rooms");
        }
    }

    @Test
    void appendKeepsEveryField() {
        Broker b = broker(100).broker();
        String r = room("fields");
        Map<String, Object> meta = Map.of("order", 17, "tags", List.of("x", "y"));
        ChatMessage system = b.append(new MessageDraft(r, Optional.empty(), "Order shipped", ChatMessage.KIND_SYSTEM,
                Optional.of("api-1"), Optional.of(meta), Optional.of("api:api-1"))).message();
        ChatMessage user = b.append(draft(r, "héllo \"quoted\" ✓")).message();

        List<ChatMessage> history = b.history(r, Optional.empty(), 10).messages();
        assertEquals(List.of(system, user), history);
        assertEquals(null, history.get(0).user());
        assertEquals(ChatMessage.KIND_SYSTEM, history.get(0).kind());
        assertEquals("api-1", history.get(0).ref());
        assertEquals(meta, history.get(0).meta());
        assertEquals(ADA, history.get(1).user());
        assertEquals("héllo \"quoted\" ✓", history.get(1).text());
        assertEquals(r, history.get(1).room());
    }

    @Test
    void aRepeatedDedupeKeyReturnsTheFirstMessageAndStoresNothing() {
        Started s = broker(100);
        String r = room("dedupe");
        s.broker().subscribe(r);
        Published first = s.broker().append(keyed(r, "once", "c-1"));
        Published again = s.broker().append(keyed(r, "once", "c-1"));
        Published other = s.broker().append(keyed(r, "twice", "c-2"));

        assertFalse(first.duplicate());
        assertTrue(again.duplicate());
        assertEquals(first.message().id(), again.message().id());
        assertEquals(first.message().ts(), again.message().ts());
        assertEquals("once", again.message().text());
        assertFalse(other.duplicate());
        assertEquals(List.of(first.message(), other.message()), s.broker().history(r, Optional.empty(), 10).messages());
        assertEquals(first.message().id(), s.listener().nextPosted().id());
        assertEquals(other.message().id(), s.listener().nextPosted().id(), "the duplicate is not published again");

        Published elsewhere = s.broker().append(keyed(room("dedupe-other"), "once", "c-1"));
        assertFalse(elsewhere.duplicate(), "keys are per room");
    }

    @Test
    void historyWithoutCursorIsTheNewestOldestFirst() {
        Broker b = broker(100).broker();
        String r = room("hist");
        assertEquals(new History(List.of(), true, false), b.history(r, Optional.empty(), 10),
                "an unknown room is empty");
        List<ChatMessage> sent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sent.add(b.append(draft(r, "m" + i)).message());
        }
        History all = b.history(r, Optional.empty(), 10);
        assertEquals(sent, all.messages());
        assertTrue(all.complete());
        assertFalse(all.more());

        History last2 = b.history(r, Optional.empty(), 2);
        assertEquals(sent.subList(3, 5), last2.messages());
        assertTrue(last2.complete(), "only the limit left older messages out: nothing was lost to retention");
        assertFalse(last2.more(), "without a cursor the page ends with the newest message");
    }

    @Test
    void historySinceACursorIsWhatFollowsIt() {
        Broker b = broker(100).broker();
        String r = room("since");
        List<ChatMessage> sent = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            sent.add(b.append(draft(r, "m" + i)).message());
        }
        History after = b.history(r, Optional.of(sent.get(2).id()), 100);
        assertEquals(sent.subList(3, 6), after.messages());
        assertTrue(after.complete());
        assertFalse(after.more());

        History bareCursor = b.history(r, Optional.of(MessageId.parse(sent.get(2).id()).streamId()), 100);
        assertEquals(sent.subList(3, 6), bareCursor.messages(), "a bare ms-seq cursor works too");

        History page = b.history(r, Optional.of(sent.get(0).id()), 2);
        assertEquals(sent.subList(1, 3), page.messages());
        assertTrue(page.complete(), "the limit cut the answer, retention did not");
        assertTrue(page.more(), "messages follow the page");
        History nextPage = b.history(r, Optional.of(page.messages().getLast().id()), 2);
        assertEquals(sent.subList(3, 5), nextPage.messages());
        assertTrue(nextPage.more());

        History none = b.history(r, Optional.of(sent.get(5).id()), 100);
        assertEquals(List.of(), none.messages());
        assertTrue(none.complete());
        assertFalse(none.more());
    }

    @Test
    void trimmedHistoryIsReportedIncomplete() {
        Broker b = broker(5).broker();
        String r = room("trim");
        List<ChatMessage> sent = new ArrayList<>();
        // Enough that any implementation trims: Redis trims whole stream nodes (100 entries by default) with MAXLEN ~.
        for (int i = 0; i < 250; i++) {
            sent.add(b.append(draft(r, "m" + i)).message());
        }
        History fromStart = b.history(r, Optional.of(sent.get(0).id()), 1000);
        assertFalse(fromStart.complete(), "messages after the cursor were trimmed");
        assertFalse(fromStart.more());
        assertEquals(sent.getLast(), fromStart.messages().getLast());
        assertTrue(fromStart.messages().size() >= 5 && fromStart.messages().size() < 249);

        assertFalse(b.history(r, Optional.empty(), 1000).complete(), "the room had more than it retains");

        History recent = b.history(r, Optional.of(sent.get(246).id()), 1000);
        assertEquals(sent.subList(247, 250), recent.messages());
        assertTrue(recent.complete(), "nothing after a recent cursor was trimmed");

        History cutAndTrimmed = b.history(r, Optional.of(sent.get(0).id()), 2);
        assertFalse(cutAndTrimmed.complete(), "trimmed after the cursor, whatever the limit");
        assertTrue(cutAndTrimmed.more());
    }

    @Test
    void subscribersGetTheRoomsEventsInOrderOnABrokerThread() {
        Started s = broker(100);
        String r = room("live");
        s.broker().subscribe(r);
        s.broker().subscribe(r); // idempotent
        ChatMessage m1 = s.broker().append(draft(r, "one")).message();
        s.broker().emit(new RoomEvent.Typing(r, BOB));
        s.broker().emit(new RoomEvent.PresenceChanged(r, RoomEvent.PresenceChanged.JOIN, BOB));
        ChatMessage m2 = s.broker().append(draft(r, "two")).message();

        assertEquals(m1, s.listener().nextPosted());
        assertEquals(new RoomEvent.Typing(r, BOB), s.listener().next());
        assertEquals(new RoomEvent.PresenceChanged(r, RoomEvent.PresenceChanged.JOIN, BOB), s.listener().next());
        assertEquals(m2, s.listener().nextPosted());
        assertTrue(s.listener().threads.stream().noneMatch(t -> t.contains("lettuce") || t.contains("nioEventLoop")),
                "never called on a Redis I/O thread: " + s.listener().threads);
    }

    @Test
    void unsubscribedRoomsAreNotDelivered() {
        Started s = broker(100);
        String gone = room("gone");
        String marker = room("marker");
        s.broker().subscribe(gone);
        s.broker().append(draft(gone, "before"));
        assertEquals("before", s.listener().nextPosted().text());
        s.broker().unsubscribe(gone);
        s.broker().unsubscribe(gone); // idempotent
        s.broker().subscribe(marker);
        s.broker().append(draft(gone, "after"));
        s.broker().emit(new RoomEvent.Typing(gone, BOB));
        s.broker().append(draft(marker, "marker"));
        // Events are delivered in publish order: had "after" been delivered, it would come first.
        assertEquals("marker", s.listener().nextPosted().text());
    }

    @Test
    void controlEventsReachTheListener() {
        Started s = broker(100);
        s.broker().broadcast(new ControlEvent.DisconnectUser("42", "banned"));
        assertEquals(new ControlEvent.DisconnectUser("42", "banned"), s.listener().nextControl());
    }

    @Test
    void availableWhileRunning() {
        assertTrue(broker(100).broker().available());
    }

}
