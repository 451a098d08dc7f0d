package io.parley.chat.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.parley.chat.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@link OutboxStore} guarantees, run against every implementation: what is put in is handed out, counts in the
 * backlog until acknowledged, and is then gone. Time comes from a {@link MutableClock}, so the stores' one-second
 * gauge caches are passed by moving the clock, not by sleeping.
 */
abstract class OutboxStoreContract {

    /** Long enough to receive what is already there; the contract never waits for something absent but once. */
    static final Duration WAIT = Duration.ofSeconds(2);

    protected final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T10:00:00Z"));
    private final List<OutboxStore> stores = new ArrayList<>();

    /** A new store reading the clock {@link #clock}. */
    protected abstract OutboxStore create();

    /** Puts one element into what {@code store} reads, as its producer does (the broker, the event reporter). */
    protected abstract void put(OutboxStore store, String json);

    private OutboxStore store() {
        OutboxStore store = create();
        stores.add(store);
        return store;
    }

    @AfterEach
    void closeStores() {
        stores.forEach(OutboxStore::close);
    }

    /** Moves the clock past the stores' gauge caches, so that backlog and age read afresh. */
    private void later() {
        clock.advance(Duration.ofSeconds(2));
    }

    @Test
    void anEmptyStoreHandsOutNothingAndHasNoWork() throws Exception {
        OutboxStore store = store();
        assertEquals(List.of(), store.take(10, Duration.ofMillis(100)));
        assertEquals(0, store.backlog());
        assertEquals(Duration.ZERO, store.oldestAge());
        assertFalse(store.hasLocalWork());
    }

    @Test
    void whatIsPutIsHandedOutOnceAndCountsUntilAcknowledged() throws Exception {
        OutboxStore store = store();
        Set<String> put = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            String json = "{\"id\":\"m" + i + "\"}";
            put(store, json);
            put.add(json);
        }
        List<OutboxEntry> first = store.take(2, WAIT);
        assertEquals(2, first.size(), "at most max entries");
        List<OutboxEntry> taken = new ArrayList<>(first);
        while (taken.size() < 5) {
            List<OutboxEntry> more = store.take(10, WAIT);
            assertFalse(more.isEmpty(), "the rest is handed out: " + taken);
            taken.addAll(more);
        }
        assertEquals(put, jsons(taken), "each entry once, as put");
        assertEquals(List.of(), store.take(10, Duration.ofMillis(100)), "nothing is handed out twice");

        later();
        assertEquals(5, store.backlog(), "taken entries count until acknowledged");
        assertTrue(store.hasLocalWork(), "entries in flight are this instance's work");

        store.acknowledge(first);
        later();
        assertEquals(3, store.backlog());
        store.acknowledge(taken.subList(2, 5));
        later();
        assertEquals(0, store.backlog(), "acknowledged entries leave the store");
        assertEquals(Duration.ZERO, store.oldestAge());
        assertFalse(store.hasLocalWork());
    }

    @Test
    void aWaitingEntryHasAnAgeUntilItLeaves() throws Exception {
        OutboxStore store = store();
        put(store, "{\"id\":\"old\"}");
        later();
        assertFalse(store.oldestAge().isNegative());
        assertEquals(1, store.backlog());
        List<OutboxEntry> taken = store.take(10, WAIT);
        assertEquals(1, taken.size());
        store.keepClaimed(taken);
        later();
        assertEquals(1, store.backlog(), "still held while a retry waits");
        store.acknowledge(taken);
        later();
        assertEquals(Duration.ZERO, store.oldestAge(), "an empty store has no age");
    }

    private static Set<String> jsons(List<OutboxEntry> entries) {
        Set<String> out = new HashSet<>();
        entries.forEach(e -> out.add(e.json()));
        return out;
    }
}
