package io.parley.chat.outbox;

import java.time.Duration;
import java.util.List;

/**
 * Port: entries waiting to be posted to the monolith, handed to one forwarder at a time.
 *
 * <p>Guarantees: an entry taken stays in the store (and counts in {@link #backlog}) until it is
 * {@link #acknowledge acknowledged}; an entry taken by a forwarder that dies is handed out again (in memory there is
 * nothing to survive the process; in Redis another instance claims it once it has been idle for the claim time).
 * Order is not guaranteed across retries: the monolith de-duplicates and orders by message id. Thread-safe.
 */
public interface OutboxStore extends AutoCloseable {

    /**
     * Takes up to {@code max} entries, waiting up to {@code wait} for the first one; an empty list when none came.
     */
    List<OutboxEntry> take(int max, Duration wait) throws InterruptedException;

    /** The monolith has them (or they are dead-lettered): they leave the store. */
    void acknowledge(List<OutboxEntry> entries);

    /** Tells the store that a slow retry still holds these, so that no other instance takes them over meanwhile. */
    void keepClaimed(List<OutboxEntry> entries);

    /** Entries waiting or in flight (in Redis: across the cluster). */
    long backlog();

    /**
     * How long the oldest entry has been waiting (taken or not); {@link Duration#ZERO} when the store is empty. In
     * Redis: across the cluster, read from the stream ids (Redis' clock), refreshed at most once a second.
     */
    Duration oldestAge();

    /** Whether this instance holds entries no other could deliver if it stopped now (what a drain must flush). */
    boolean hasLocalWork();

    /** From now on hand out only what this instance already holds (a drain in progress). */
    void finishLocalOnly();

    @Override
    void close();
}
