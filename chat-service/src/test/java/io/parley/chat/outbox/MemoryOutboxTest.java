package io.parley.chat.outbox;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The outbox contract against the in-memory store, plus what only it does: a bound, and an age on its own clock. */
class MemoryOutboxTest extends OutboxStoreContract {

    @Override
    protected OutboxStore create() {
        return new MemoryOutbox(100, clock);
    }

    @Override
    protected void put(OutboxStore store, String json) {
        if (!((MemoryOutbox) store).offer(json)) {
            throw new AssertionError("the outbox is full");
        }
    }

    @Test
    void theAgeIsTheOldestWaitingEntrysTimeOnTheClock() throws Exception {
        MemoryOutbox outbox = new MemoryOutbox(10, clock);
        outbox.offer("{\"id\":\"a\"}");
        clock.advance(Duration.ofSeconds(7));
        outbox.offer("{\"id\":\"b\"}");
        clock.advance(Duration.ofSeconds(3));
        assertEquals(Duration.ofSeconds(10), outbox.oldestAge());
        outbox.acknowledge(outbox.take(1, OutboxStoreContract.WAIT));
        assertEquals(Duration.ofSeconds(3), outbox.oldestAge(), "the next oldest once the first left");
    }

    @Test
    void aFullOutboxRefusesInsteadOfDropping() {
        MemoryOutbox outbox = new MemoryOutbox(2, clock);
        outbox.offer("1");
        outbox.offer("2");
        assertFalse(outbox.offer("3"));
        assertEquals(2, outbox.backlog());
    }
}
