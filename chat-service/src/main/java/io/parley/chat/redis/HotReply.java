package io.parley.chat.redis;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
 * {@code timeout}); the spin never exceeds {@link #SPIN} of CPU per call.
 */
public final class HotReply {

    /** Longer than a loopback round trip under load, short enough that a carrier is not held from others. */
    static final Duration SPIN = Duration.ofMillis(1);

    private HotReply() {
    }

    public static <T> T await(CompletableFuture<T> reply, Duration timeout) {
        long spinUntil = System.nanoTime() + SPIN.toNanos();
        while (!reply.isDone() && System.nanoTime() - spinUntil < 0) {
            Thread.onSpinWait();
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
