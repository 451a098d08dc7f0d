package io.parley.chat.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.parley.chat.auth.AuthException;
import io.parley.chat.auth.RoomAccess;
import io.parley.chat.broker.BrokerListener;
import io.parley.chat.broker.MemoryBroker;
import io.parley.chat.broker.OutboxSink;
import io.parley.chat.config.Limits;
import io.parley.chat.model.ControlEvent;
import io.parley.chat.model.MessageId;
import io.parley.chat.model.RoomEvent;
import io.parley.chat.model.User;
import io.parley.chat.observe.ParleyMetrics;
import io.parley.chat.outbox.MembershipEvents;
import io.parley.chat.presence.MemoryPresenceStore;
import io.parley.chat.protocol.FrameCodec;
import io.parley.chat.room.Recipient;
import io.parley.chat.testing.Eventually;
import io.parley.chat.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The node's time rules on a clock the test moves: the typing interval, without sleeping through it. */
class ChatNodeClockTest {

    private static final User ADA = new User("1", "Ada");
    private static final Recipient ADA_TAB = new Recipient() {
        @Override
        public String connectionId() {
            return "c1";
        }

        @Override
        public User user() {
            return ADA;
        }

        @Override
        public void deliver(String room, MessageId cursor, byte[] frame, long sampleSince) {
        }
    };

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T10:00:00Z"));
    private final MemoryBroker broker = new MemoryBroker(100, Duration.ofMinutes(5), clock, OutboxSink.NONE);
    private final List<RoomEvent> events = new CopyOnWriteArrayList<>();
    private final ParleyMetrics metrics = new ParleyMetrics();
    private final ChatNode node = new ChatNode(token -> {
        throw new AuthException("claims", "no tokens here");
    }, new RoomAccess(RoomAccess.Policy.OPEN), broker, new MemoryPresenceStore(() -> 0), MembershipEvents.NONE,
            new Limits(4_000, 65_536, 10, 20, 100, 20, 1_000, 50, 1_000, 1_000), new FrameCodec(4_000), metrics,
            (userId, reason) -> { }, clock);

    @AfterEach
    void close() {
        broker.close();
        metrics.close();
    }

    @Test
    void typingIsPassedOnAtMostOnceEveryTwoSecondsOfTheClock() {
        broker.start(new BrokerListener() {
            @Override
            public void onRoomEvent(RoomEvent event) {
                events.add(event);
            }

            @Override
            public void onControl(ControlEvent event) {
            }
        });
        broker.subscribe("lobby");

        node.typing(ADA_TAB, "lobby");
        node.typing(ADA_TAB, "lobby");
        clock.advance(Duration.ofMillis(1_999));
        node.typing(ADA_TAB, "lobby");
        assertEquals(1, typingsAfterAllArrived(), "throttled within the interval");

        clock.advance(Duration.ofMillis(1));
        node.typing(ADA_TAB, "lobby");
        assertEquals(2, typingsAfterAllArrived(), "passed on again once two seconds passed on the clock");

        node.tick(); // forgets stamps older than the interval, by the same clock: none is yet
        node.typing(ADA_TAB, "lobby");
        assertEquals(2, typingsAfterAllArrived());
    }

    /** Typing events received, once a marker emitted after them has arrived (the broker delivers in order). */
    private long typingsAfterAllArrived() {
        RoomEvent marker = new RoomEvent.MemberCount("lobby", events.size());
        broker.emit(marker);
        Eventually.until("the marker arrives", () -> events.contains(marker));
        events.remove(marker);
        return events.stream().filter(e -> e instanceof RoomEvent.Typing).count();
    }
}
