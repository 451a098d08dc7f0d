package io.parley.chat.outbox;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.parley.chat.config.MonolithSettings;
import io.parley.chat.model.ChatMessage;
import io.parley.chat.model.User;
import io.parley.chat.observe.ParleyMetrics;
import io.parley.chat.testing.CapturedLog;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The assembled link against a real HTTP stand-in: what an operator sees when the monolith refuses messages. */
class MonolithLinkTest {

    @Test
    void aDeadLetteredBatchLogsOneWarningWithIdsButNoText() throws Exception {
        try (CapturedLog log = CapturedLog.on(Logger.getLogger(MonolithLink.class.getName()));
             RecordingMonolith monolith = new RecordingMonolith();
             ParleyMetrics metrics = new ParleyMetrics();
             MonolithLink link = MonolithLink.create(new MonolithSettings(Optional.of(monolith.url()),
                     Optional.of(RecordingMonolith.SECRET), "/chat/messages", Optional.empty()), Clock.systemUTC(),
                     metrics, inMemory())) {
            monolith.refuse.addAll(List.of("m1", "m3"));
            for (int i = 0; i < 5; i++) {
                link.outboxSink().accepted(new ChatMessage("m" + i, "lobby", new User("42", "Ada"),
                        "secret plans " + i, 1_700_000_000_000L + i, ChatMessage.KIND_USER, null, null));
            }
            link.start(metrics);
            assertTrue(link.flush(Duration.ofSeconds(10)), "everything settled");
            // The forwarder dead-letters refused entries before it acknowledges them: a finished flush has them.
            assertEquals(2, link.deadLetters().count());

            List<String> lines = log.records().stream()
                    .filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
                    .map(LogRecord::getMessage).toList();
            assertEquals(1, lines.size(), "one warning for the batch: " + lines);
            assertTrue(lines.getFirst().contains("m1") && lines.getFirst().contains("m3"), lines.getFirst());
            assertTrue(lines.getFirst().contains("422"), lines.getFirst());
            assertFalse(lines.getFirst().contains("secret plans"), "message text stays out of the log");
            assertEquals("{\"error\":\"refused\"}", link.deadLetters().list(10).getFirst().error());
        }
    }

    /** Memory stores, as the single-instance composition makes them; no events path, so no events outbox. */
    private static MonolithLink.Stores inMemory() {
        MemoryOutbox outbox = new MemoryOutbox(MonolithLink.MEMORY_OUTBOX_CAPACITY, Clock.systemUTC());
        return new MonolithLink.Stores(outbox, () -> outbox,
                new MemoryDeadLetters(outbox, MonolithLink.MEMORY_DEAD_LETTERS_CAPACITY), () -> {
                    throw new AssertionError("no events path is set");
                }, Duration.ofSeconds(1));
    }
}
