package io.parley.chat.outbox;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.parley.chat.broker.BrokerUnavailableException;
import io.parley.chat.broker.OutboxSink;
import io.parley.chat.model.ChatMessage;
import io.parley.chat.protocol.Json;

/**
 * The single-instance outbox: a bounded queue in this process. As the {@link OutboxSink} of the memory broker it
 * refuses a message when full (the append then fails and the sender gets no ack), so the bound is back-pressure,
 * never a silent loss. What it holds is lost when the process dies (a crash, or a drain that cannot flush).
 */
public final class MemoryOutbox implements OutboxStore, OutboxSink {

    private final BlockingQueue<OutboxEntry> queue;
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong handedOut = new AtomicLong();
    /** When each entry not yet acknowledged was queued (the clock's milliseconds), by sequence number. */
    private final ConcurrentSkipListMap<Long, Long> queuedAt = new ConcurrentSkipListMap<>();

    private final Clock clock;

    /** @param clock what {@link #oldestAge} is measured with */
    public MemoryOutbox(int capacity, Clock clock) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.clock = clock;
    }

    /** Queues one element; false when the queue is full. */
    public boolean offer(String json) {
        long seq = sequence.incrementAndGet();
        queuedAt.put(seq, clock.millis());
        if (queue.offer(new OutboxEntry("", Long.toString(seq), json))) {
            return true;
        }
        queuedAt.remove(seq);
        return false;
    }

    /**
     * Called by the memory broker inside its append step, before the message is stored.
     *
     * @throws BrokerUnavailableException when the queue is full: the monolith has been unreachable for long enough
     */
    @Override
    public void accepted(ChatMessage message) {
        String json;
        try {
            json = Json.MAPPER.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a chat message cannot be serialized", e);
        }
        if (!offer(json)) {
            throw new BrokerUnavailableException("the history outbox is full (" + queue.size()
                    + " messages waiting for the monolith)", null);
        }
    }

    @Override
    public List<OutboxEntry> take(int max, Duration wait) throws InterruptedException {
        OutboxEntry first = queue.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
        if (first == null) {
            return List.of();
        }
        List<OutboxEntry> out = new ArrayList<>(Math.min(max, queue.size() + 1));
        out.add(first);
        queue.drainTo(out, max - 1);
        handedOut.addAndGet(out.size());
        return out;
    }

    @Override
    public void acknowledge(List<OutboxEntry> entries) {
        handedOut.addAndGet(-entries.size());
        entries.forEach(e -> queuedAt.remove(Long.parseLong(e.entryId())));
    }

    @Override
    public void keepClaimed(List<OutboxEntry> entries) {
        // Nobody else could take them.
    }

    @Override
    public long backlog() {
        return queue.size() + handedOut.get();
    }

    @Override
    public Duration oldestAge() {
        Map.Entry<Long, Long> oldest = queuedAt.firstEntry();
        return oldest == null ? Duration.ZERO : Duration.ofMillis(Math.max(0, clock.millis() - oldest.getValue()));
    }

    @Override
    public boolean hasLocalWork() {
        return backlog() > 0;
    }

    @Override
    public void finishLocalOnly() {
        // Everything here is local.
    }

    @Override
    public void close() {
        queue.clear();
        queuedAt.clear();
    }
}
