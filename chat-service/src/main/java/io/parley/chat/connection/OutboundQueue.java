package io.parley.chat.connection;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * The single writer of one socket. Producers (fan-out, the socket's own reader, the sweeper) only enqueue; a virtual
 * thread is started on demand to drain the queue and exits when it is empty, so an idle socket holds no writer
 * thread. Helidon's session send is neither thread-safe nor non-blocking, which is why exactly one thread may write.
 *
 * <p>The queue is bounded: a producer that finds it full gets {@code false} and the owner closes the socket as a slow
 * consumer; nobody ever waits for a slow client.
 */
final class OutboundQueue {

    /** What the writer does with one queued item. */
    interface Writer {
        void write(Object item) throws Exception;
    }

    private final int capacity;
    private final Writer writer;
    private final Consumer<Exception> onWriteFailure;
    private ArrayDeque<Object> items;
    private boolean draining;
    private boolean sealed;

    OutboundQueue(int capacity, Writer writer, Consumer<Exception> onWriteFailure) {
        this.capacity = capacity;
        this.writer = writer;
        this.onWriteFailure = onWriteFailure;
    }

    /** Queues an item; false when the queue is full (the caller decides what that means) or sealed. */
    boolean offer(Object item) {
        synchronized (this) {
            if (sealed) {
                return true;
            }
            if (items == null) {
                items = new ArrayDeque<>(4);
            }
            if (items.size() >= capacity) {
                return false;
            }
            items.addLast(item);
            if (draining) {
                return true;
            }
            draining = true;
        }
        Thread.startVirtualThread(this::drain);
        return true;
    }

    /**
     * Queues a last item: with {@code discardPending}, everything not yet written is dropped first. Nothing is
     * accepted afterwards.
     */
    void seal(Object last, boolean discardPending) {
        synchronized (this) {
            if (sealed) {
                return;
            }
            if (items == null || discardPending) {
                items = new ArrayDeque<>(1);
            }
            items.addLast(last);
            sealed = true;
            if (draining) {
                return;
            }
            draining = true;
        }
        Thread.startVirtualThread(this::drain);
    }

    int size() {
        synchronized (this) {
            return items == null ? 0 : items.size();
        }
    }

    private void drain() {
        while (true) {
            Object next;
            synchronized (this) {
                next = items == null ? null : items.pollFirst();
                if (next == null) {
                    draining = false;
                    if (items != null && items.isEmpty() && !sealed) {
                        items = null; // an idle socket keeps no buffer
                    }
                    return;
                }
            }
            try {
                writer.write(next);
            } catch (Exception e) {
                synchronized (this) {
                    sealed = true;
                    items = null;
                    draining = false;
                }
                onWriteFailure.accept(e);
                return;
            }
        }
    }
}
