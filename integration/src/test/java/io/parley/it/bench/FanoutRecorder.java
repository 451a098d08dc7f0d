package io.parley.it.bench;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Listens to a {@link LoadClient} during one fan-out phase: every {@code message} of the phase received by a member
 * other than the senders gives one delivery latency, the senders' {@code ack}s give the accept latency. A sender puts
 * {@code "<phase>:<intended send time>"} at the start of both the text and the ref (the text may carry padding after
 * it), so a frame carries its own start time (the intended time, not the actual one: a late send is charged to the
 * latency, as a user would see it).
 *
 * <p>Written on the selector thread only; read by the benchmark after the phase has ended (see {@link #snapshot}).
 */
final class FanoutRecorder implements LoadClient.TextListener {

    private static final String MESSAGE = "{\"type\":\"message\"";
    private static final String ACK = "{\"type\":\"ack\"";
    /** Not a stamp of this phase (nanoTime may be any long, even 0 or negative, so no ordinary value will do). */
    private static final long NONE = Long.MIN_VALUE;

    private final String phase;
    private final java.util.Set<BenchSocket> senders;
    private final LongSamples deliveries = new LongSamples();
    private final LongSamples acks = new LongSamples();
    private final AtomicLong delivered = new AtomicLong();
    private long firstReceipt;
    private long lastReceipt;

    /** The numbers of a finished phase. */
    record Snapshot(LongSamples deliveries, LongSamples acks, long firstReceiptNanos, long lastReceiptNanos) {
    }

    FanoutRecorder(String phase, BenchSocket sender) {
        this(phase, java.util.Set.of(sender));
    }

    FanoutRecorder(String phase, java.util.Set<BenchSocket> senders) {
        this.phase = phase;
        this.senders = senders;
    }

    /** The payload for a message intended to leave at {@code dueNanos}: text and ref both carry the stamp. */
    String stamp(long dueNanos) {
        return phase + ":" + dueNanos;
    }

    @Override
    public void text(BenchSocket socket, String text, long receivedNanos) {
        if (senders.contains(socket)) {
            if (text.startsWith(ACK)) {
                long sent = stampIn(text, "\"ref\":\"");
                if (sent != NONE) {
                    acks.add(receivedNanos - sent);
                }
            }
            return;
        }
        if (!text.startsWith(MESSAGE)) {
            return;
        }
        long sent = stampIn(text, "\"text\":\"");
        if (sent == NONE) {
            return;
        }
        deliveries.add(receivedNanos - sent);
        if (firstReceipt == 0) {
            firstReceipt = receivedNanos;
        }
        lastReceipt = receivedNanos;
        delivered.incrementAndGet(); // a volatile write after the sample: the benchmark reads the count first
    }

    long delivered() {
        return delivered.get();
    }

    /** Call on the selector thread (through {@link LoadClient#execute}) once the phase is over. */
    Snapshot snapshot() {
        return new Snapshot(deliveries, acks, firstReceipt, lastReceipt);
    }

    /** The send time in the string field {@code field}, when it is a stamp of this phase; else {@link #NONE}. */
    private long stampIn(String json, String field) {
        int at = json.indexOf(field);
        if (at < 0) {
            return NONE;
        }
        int start = at + field.length();
        if (!json.startsWith(phase, start) || json.length() <= start + phase.length()
                || json.charAt(start + phase.length()) != ':') {
            return NONE;
        }
        int digits = start + phase.length() + 1;
        int end = digits;
        if (end < json.length() && json.charAt(end) == '-') {
            end++;
        }
        while (end < json.length() && Character.isDigit(json.charAt(end))) {
            end++;
        }
        return end == digits ? NONE : Long.parseLong(json, digits, end, 10);
    }
}
