package io.parley.chat.redis;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;

/**
 * Waiting for a Redis reply on a thread that a user is waiting on (the reader of a socket that sent a message).
 *
 * <p>Why not just park: a reply comes back on Lettuce's event-loop thread, which wakes the waiting virtual thread by
 * submitting it to the virtual-thread scheduler, and there it queues behind every runnable task. While a room's
 * message fans out, that is thousands of socket writers, so an {@code ack} waited for the fan-out of its own message
 * (issue 9). A reply on loopback or within a zone takes tens of microseconds, so the waiter first spins on its
 * carrier for at most {@link #SPIN}, and parks only if the reply is slower than that.
 *
 * <p>Guarantee: returns the reply, or throws a {@link RedisException} (a {@link RedisCommandTimeoutException} after
 * {@code timeout}); the spin never exceeds {@link #SPIN} of CPU per call, and at most half the cores spin at once (a
 * burst of sends while Redis is slow parks rather than burns the machine).
 */
public final class HotReply {

    /** Longer than a loopback round trip under load, short enough that a carrier is not held from others. */
    static final Duration SPIN = Duration.ofMillis(1);
    static final int MAX_SPINNING = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    private static final AtomicInteger SPINNING = new AtomicInteger();

    private HotReply() {
    }

    /** Takes one of the {@link #MAX_SPINNING} spinning places; false when all are taken. */
    static boolean startSpinning() {
        for (int n = SPINNING.get(); n < MAX_SPINNING; n = SPINNING.get()) {
            if (SPINNING.compareAndSet(n, n + 1)) {
                return true;
            }
        }
        return false;
    }

    static void stopSpinning() {
        SPINNING.decrementAndGet();
    }

    /** Waiters spinning now (for tests). */
    static int spinning() {
        return SPINNING.get();
    }

    public static <T> T await(CompletableFuture<T> reply, Duration timeout) {
        if (!reply.isDone() && startSpinning()) {
            try {
                long spinUntil = System.nanoTime() + SPIN.toNanos();
                while (!reply.isDone() && System.nanoTime() - spinUntil < 0) {
                    Thread.onSpinWait();
                }
            } finally {
                stopSpinning();
            }
        }
        try {
            return reply.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RedisException r ? r : new RedisException(e.getCause());
        } catch (TimeoutException e) {
            throw new RedisCommandTimeoutException("no answer within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisException("interrupted");
        }
    }
}
