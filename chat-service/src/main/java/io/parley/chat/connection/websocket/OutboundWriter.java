package io.parley.chat.connection.websocket;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The single writer of one socket. Producers (fan-out, the socket's own reader, the sweeper) only enqueue, without a
 * lock; one thread at a time writes: a virtual thread started when work arrives that ends when the queue is empty (so
 * an idle socket holds no writer thread), or the socket's own reader (below). Everything queued when the writer runs
 * goes out in one socket write: a socket that falls behind catches up in few system calls. (A writer that lingered,
 * parked with a timeout, to be woken instead of started cost half again as much CPU per delivery: every timed park and
 * wake-up goes through the JDK's shared delay queue. Measured in docs/performance.md.)
 *
 * <p>The socket's own reader answers its peer (an {@code ack}, an error, a pong) with {@link #offerDeferred} and then
 * {@link #writeQueuedHere}: when no writer runs, the reader writes the answer itself. On saturated cores every thread
 * start waits in the virtual-thread scheduler behind a room's fan-out writers, so this takes one such wait off the
 * way to an ack (docs/performance.md). The reader writes only once it holds no lock, and only to its own socket.
 *
 * <p>Guarantees: items are written in the order they were accepted; {@link #offer} and {@link #offerDeferred} never
 * block and return false when {@code capacity} items are already waiting (the owner closes the socket as a slow
 * consumer); after {@link #seal} nothing more is accepted and the close frame is the last thing written.
 */
public final class OutboundWriter {

    /** Where bytes go, and what the writer reports. Called on the writer thread only. */
    public interface Sink {
        void write(byte[] bytes, int length) throws Exception;

        /** The close frame was written (nothing else will be). */
        void closeWritten();

        void writeFailed(Exception e);

        /** A frame sampled for the delivery metric ({@link Outgoing.Text#sampleSince}) was written. */
        void sampleWritten(long sampleSince);
    }

    private static final int BATCH_BYTES = 64 * 1024;

    private final int capacity;
    private final Sink sink;
    private final ConcurrentLinkedQueue<Outgoing> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile boolean sealed;
    private volatile boolean discarding;
    private volatile boolean stopped;

    public OutboundWriter(int capacity, Sink sink) {
        this.capacity = capacity;
        this.sink = sink;
    }

    /** Queues an item; false when the queue is full. After {@link #seal} items are dropped (and true returned). */
    public boolean offer(Outgoing item) {
        if (!accept(item)) {
            return false;
        }
        signal();
        return true;
    }

    /**
     * Queues an item like {@link #offer} but starts no writer: the caller writes it with {@link #writeQueuedHere}
     * soon after (a writer started meanwhile by another producer writes it first).
     */
    public boolean offerDeferred(Outgoing item) {
        return accept(item);
    }

    /**
     * Writes what is queued on the calling thread, unless a writer is already running (which then writes it). The
     * call blocks while the peer is slow to read, so only the socket's own reader may make it, holding no lock.
     */
    public void writeQueuedHere() {
        if (!queue.isEmpty() && running.compareAndSet(false, true)) {
            run();
        }
    }

    private boolean accept(Outgoing item) {
        if (sealed) {
            return true;
        }
        if (queued.incrementAndGet() > capacity) {
            queued.decrementAndGet();
            return false;
        }
        queue.add(item);
        return true;
    }

    /**
     * Queues the close frame as the last item; with {@code discardPending}, what is still queued is dropped first.
     * Returns false when the writer was already sealed.
     */
    public boolean seal(Outgoing.Close close, boolean discardPending) {
        synchronized (this) {
            if (sealed) {
                return false;
            }
            sealed = true;
        }
        discarding = discardPending; // the writer skips everything before the close frame
        queued.incrementAndGet();
        queue.add(close);
        signal();
        return true;
    }

    /** Stops writing for good (the socket is gone): queued items are dropped. */
    public void stop() {
        sealed = true;
        stopped = true;
        queue.clear();
    }

    /** Items waiting to be written. */
    public int queued() {
        return Math.max(0, queued.get());
    }

    private void signal() {
        if (running.compareAndSet(false, true)) {
            Thread.startVirtualThread(this::run);
        }
    }

    private void run() {
        while (drain()) {
            running.set(false);
            // Work that arrived after the last poll and before running was cleared found the writer running.
            if (queue.isEmpty() || !running.compareAndSet(false, true)) {
                return;
            }
        }
    }

    /**
     * Writes everything queued, in batches; false when the writer is done for good (closed or failed). Items are
     * taken with {@code poll} only (producers may clear the queue concurrently), and after a discarding seal only the
     * close frame is still written.
     */
    private boolean drain() {
        Outgoing carried = null; // taken, but did not fit the previous batch
        while (!stopped) {
            Outgoing first = carried != null ? carried : next();
            carried = null;
            if (first == null) {
                return true;
            }
            // Take as many queued items as fit into one write, then frame them into an array of exactly that size:
            // the batch array is most of what a delivery allocates (one frame, most of the time).
            List<Outgoing> more = null;
            int length = frameLength(first);
            boolean close = first instanceof Outgoing.Close;
            while (!close) {
                Outgoing item = next();
                if (item == null) {
                    break;
                }
                int itemLength = frameLength(item);
                if (length + itemLength > BATCH_BYTES) {
                    carried = item;
                    break;
                }
                if (more == null) {
                    more = new ArrayList<>();
                }
                more.add(item);
                length += itemLength;
                close = item instanceof Outgoing.Close;
            }
            byte[] batch = new byte[length];
            int at = frame(first, batch, 0);
            long sampled = sampleOf(first);
            if (more != null) {
                for (Outgoing item : more) {
                    at = frame(item, batch, at);
                    long since = sampleOf(item);
                    sampled = since != 0 ? since : sampled;
                }
            }
            try {
                sink.write(batch, length);
            } catch (Exception e) {
                stop();
                sink.writeFailed(e);
                return false;
            }
            if (sampled != 0) {
                sink.sampleWritten(sampled);
            }
            if (close) {
                stop();
                sink.closeWritten();
                return false;
            }
        }
        return false;
    }

    private static int frameLength(Outgoing item) {
        int payload = item.payload().length;
        return WireFrames.headerLength(payload) + payload;
    }

    /** Writes the item's frame at {@code at}; returns where the next one goes. */
    private static int frame(Outgoing item, byte[] batch, int at) {
        byte[] payload = item.payload();
        int body = WireFrames.writeHeader(batch, at, item.opcode(), payload.length);
        System.arraycopy(payload, 0, batch, body, payload.length);
        return body + payload.length;
    }

    private static long sampleOf(Outgoing item) {
        return item instanceof Outgoing.Text text ? text.sampleSince() : 0;
    }

    /** The next item to write, skipping what a discarding seal dropped; null when the queue is empty. */
    private Outgoing next() {
        Outgoing item;
        while ((item = queue.poll()) != null) {
            queued.decrementAndGet();
            if (!discarding || item instanceof Outgoing.Close) {
                return item;
            }
        }
        return null;
    }
}
