package io.parley.chat.outbox;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.parley.chat.broker.BrokerUnavailableException;
import io.parley.chat.model.ChatMessage;
import io.parley.chat.model.User;
import io.parley.chat.signing.RequestSigner;
import io.parley.chat.testing.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The memory outbox, the forwarder and the dead-letter store against a real HTTP server. */
class OutboxForwarderTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private RecordingMonolith monolith;
    private MemoryOutbox outbox;
    private MemoryDeadLetters deadLetters;
    private OutboxForwarder forwarder;

    @BeforeEach
    void start() throws Exception {
        monolith = new RecordingMonolith();
        outbox = new MemoryOutbox(1_000);
        deadLetters = new MemoryDeadLetters(outbox, 100);
        SignedPoster poster = new SignedPoster(SignedPoster.defaultClient(),
                SignedPoster.endpoint(monolith.url(), "/chat/messages"),
                new RequestSigner(RecordingMonolith.SECRET, Clock.systemUTC()), Duration.ofSeconds(5));
        forwarder = new OutboxForwarder(new OutboxForwarder.Settings("history", 100, Duration.ofMillis(20),
                Duration.ofMillis(50), Duration.ofMillis(10), Duration.ofMillis(100)),
                outbox, new BatchDelivery(poster, "messages"),
                refused -> deadLetters.add(refused.stream().map(DeadLetter::of).toList()));
        forwarder.start();
    }

    @AfterEach
    void stop() {
        forwarder.close();
        monolith.close();
    }

    private static ChatMessage message(int i) {
        return new ChatMessage("m" + i, "lobby", new User("42", "Ada"), "hello " + i, 1_700_000_000_000L + i,
                ChatMessage.KIND_USER, null, null);
    }

    private static Set<String> ids(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "m" + i).collect(Collectors.toSet());
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Poll.until(what, condition, WAIT);
    }

    @Test
    void everyMessageArrivesSignedInBatchesOfAtMostAHundred() throws Exception {
        IntStream.rangeClosed(1, 250).forEach(i -> outbox.accepted(message(i)));

        await("all 250 taken", () -> monolith.taken.size() == 250);
        assertEquals(ids(1, 250), monolith.taken);
        assertTrue(monolith.posts.stream().allMatch(p -> p.size() <= 100));
        assertEquals(0, monolith.badSignatures.get());
        await("backlog empty", () -> outbox.backlog() == 0);
        assertEquals(0, deadLetters.count());
    }

    @Test
    void anOutageIsRetriedUntilTheMonolithTakesEverything() throws Exception {
        monolith.status = 503;
        IntStream.rangeClosed(1, 30).forEach(i -> outbox.accepted(message(i)));
        await("several refused attempts", () -> monolith.posts.size() >= 3);
        assertEquals(30, outbox.backlog());

        monolith.status = 200;
        await("all 30 taken", () -> monolith.taken.size() == 30);
        assertEquals(ids(1, 30), monolith.taken);
        await("backlog empty", () -> outbox.backlog() == 0);
        assertEquals(0, deadLetters.count());
    }

    @Test
    void refusedMessagesAreDeadLetteredAndTheRestDeliveredThenReplayed() throws Exception {
        monolith.refuse.addAll(List.of("m5", "m9"));
        IntStream.rangeClosed(1, 20).forEach(i -> outbox.accepted(message(i)));

        await("two dead letters", () -> deadLetters.count() == 2);
        await("the others taken", () -> monolith.taken.size() == 18);
        Set<String> others = ids(1, 20);
        others.removeAll(Set.of("m5", "m9"));
        assertEquals(others, monolith.taken);
        List<DeadLetter> letters = deadLetters.list(10);
        assertEquals(List.of("m5", "m9"), letters.stream().map(DeadLetter::id).toList());
        assertEquals(422, letters.getFirst().status());
        assertEquals("{\"error\":\"refused\"}", letters.getFirst().error());
        assertEquals("Ada", letters.getFirst().toJson().path("user").path("name").asText());
        assertEquals(422, letters.getFirst().toJson().path("status").asInt());

        monolith.refuse.clear();
        assertEquals(1, deadLetters.replay(Optional.of(Set.of("m9", "unknown"))));
        await("m9 taken", () -> monolith.taken.contains("m9"));
        assertEquals(1, deadLetters.replay(Optional.empty()));
        await("m5 taken", () -> monolith.taken.contains("m5"));
        assertEquals(0, deadLetters.count());
        assertEquals(ids(1, 20), monolith.taken);
    }

    @Test
    void aFullOutboxRefusesTheAppendSoNoAckIsGiven() {
        MemoryOutbox small = new MemoryOutbox(2);
        small.accepted(message(1));
        small.accepted(message(2));
        assertThrows(BrokerUnavailableException.class, () -> small.accepted(message(3)));
        assertEquals(2, small.backlog());
    }

    @Test
    void aFlushDeliversWhatIsHeldOrSaysItCouldNot() throws Exception {
        monolith.status = 503;
        IntStream.rangeClosed(1, 5).forEach(i -> outbox.accepted(message(i)));
        assertFalse(forwarder.flush(Duration.ofMillis(300)));

        monolith.status = 204;
        assertTrue(forwarder.flush(WAIT));
        assertEquals(ids(1, 5), monolith.taken);
    }
}
