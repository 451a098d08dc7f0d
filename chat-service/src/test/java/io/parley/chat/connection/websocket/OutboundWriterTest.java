package io.parley.chat.connection.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The single writer of one socket, against a sink that records what was written and on which thread. */
class OutboundWriterTest {

    /** Records every write; the first write can be held until released, to keep a writer running. */
    private static final class RecordingSink implements OutboundWriter.Sink {
        final List<String> frames = new ArrayList<>();
        final List<Thread> writers = new ArrayList<>();
        final CountDownLatch firstWriteStarted = new CountDownLatch(1);
        final CountDownLatch releaseFirstWrite;
        final CountDownLatch closed = new CountDownLatch(1);

        RecordingSink(boolean holdFirstWrite) {
            releaseFirstWrite = new CountDownLatch(holdFirstWrite ? 1 : 0);
        }

        @Override
        public void write(byte[] bytes, int length) throws InterruptedException {
            firstWriteStarted.countDown();
            assertTrue(releaseFirstWrite.await(10, TimeUnit.SECONDS));
            synchronized (this) {
                frames.addAll(texts(bytes, length));
                writers.add(Thread.currentThread());
            }
        }

        @Override
        public void closeWritten() {
            closed.countDown();
        }

        @Override
        public void writeFailed(Exception e) {
            throw new AssertionError(e);
        }

        @Override
        public void sampleWritten(long sampleSince) {
        }

        synchronized List<String> frames() {
            return List.copyOf(frames);
        }

        synchronized List<Thread> writers() {
            return List.copyOf(writers);
        }

        /** The payloads of the unmasked server frames in one write (short text and close frames only). */
        private static List<String> texts(byte[] bytes, int length) {
            List<String> out = new ArrayList<>();
            for (int at = 0; at < length; ) {
                int opcode = bytes[at] & 0x0F;
                int size = bytes[at + 1] & 0x7F;
                out.add(opcode == Frame.CLOSE ? "close" : new String(bytes, at + 2, size, StandardCharsets.UTF_8));
                at += 2 + size;
            }
            return out;
        }
    }

    private static Outgoing.Text text(String s) {
        return new Outgoing.Text(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void deferredItemsAreWrittenByTheCallingThreadInOneWriteWhenNoWriterRuns() {
        RecordingSink sink = new RecordingSink(false);
        OutboundWriter writer = new OutboundWriter(10, sink);

        assertTrue(writer.offerDeferred(text("ack")));
        assertTrue(writer.offerDeferred(text("error")));
        assertEquals(List.of(), sink.frames(), "a deferred item waits for writeQueuedHere");
        writer.writeQueuedHere();

        assertEquals(List.of("ack", "error"), sink.frames());
        assertEquals(List.of(Thread.currentThread()), sink.writers());
        assertEquals(0, writer.queued());
    }

    @Test
    void aRunningWriterWritesDeferredItemsAndTheCallerDoesNotWait() throws InterruptedException {
        RecordingSink sink = new RecordingSink(true);
        OutboundWriter writer = new OutboundWriter(10, sink);
        assertTrue(writer.offer(text("fan-out")));
        assertTrue(sink.firstWriteStarted.await(10, TimeUnit.SECONDS));

        assertTrue(writer.offerDeferred(text("ack")));
        writer.writeQueuedHere(); // returns at once: the writer thread is busy and will take the ack too
        assertEquals(List.of(), sink.frames());
        sink.releaseFirstWrite.countDown();
        writer.seal(new Outgoing.Close(1000, ""), false);
        assertTrue(sink.closed.await(10, TimeUnit.SECONDS));

        assertEquals(List.of("fan-out", "ack", "close"), sink.frames());
        assertFalse(sink.writers().contains(Thread.currentThread()), "the caller never wrote");
    }

    @Test
    void whatQueuesWhileAWriteIsUnderWayGoesOutInOrderInOneWrite() throws InterruptedException {
        RecordingSink sink = new RecordingSink(true);
        OutboundWriter writer = new OutboundWriter(100, sink);
        assertTrue(writer.offer(text("m0")));
        assertTrue(sink.firstWriteStarted.await(10, TimeUnit.SECONDS));
        for (int i = 1; i <= 10; i++) {
            assertTrue(writer.offer(text("m" + i)));
        }
        writer.seal(new Outgoing.Close(1000, ""), false);
        sink.releaseFirstWrite.countDown();
        assertTrue(sink.closed.await(10, TimeUnit.SECONDS));

        assertEquals(List.of("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9", "m10", "close"),
                sink.frames());
        assertEquals(2, sink.writers().size(), "the first frame, then everything queued behind it in one write");
    }

    @Test
    void deferredItemsCountAgainstTheCapacityAndASealedWriterDropsThem() {
        RecordingSink sink = new RecordingSink(false);
        OutboundWriter writer = new OutboundWriter(2, sink);
        assertTrue(writer.offerDeferred(text("a")));
        assertTrue(writer.offerDeferred(text("b")));
        assertFalse(writer.offerDeferred(text("c")), "the third item exceeds a capacity of 2");
        writer.writeQueuedHere();
        assertEquals(List.of("a", "b"), sink.frames());

        writer.stop();
        assertTrue(writer.offerDeferred(text("late")), "after stop items are dropped, not refused");
        writer.writeQueuedHere();
        assertEquals(List.of("a", "b"), sink.frames());
    }
}
