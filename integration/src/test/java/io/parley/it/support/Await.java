package io.parley.it.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition that has no event to wait on (an endpoint's answer, a process's state, a remote count), by
 * polling it. Tests wait for what they expect instead of sleeping for a guessed time; the deadline only bounds a
 * failure.
 */
public final class Await {

    /** Generous: on a busy two-core machine a cluster can be slow, and a passing test never waits this long. */
    public static final Duration DEFAULT = Duration.ofSeconds(30);
    private static final long POLL_MILLIS = 20;

    private Await() {
    }

    /** Waits until the condition holds, for at most {@link #DEFAULT}. */
    public static void until(String what, BooleanSupplier condition) {
        until(what, condition, () -> "", DEFAULT);
    }

    /**
     * Waits until the condition holds.
     *
     * @param detail what to add to the failure message (the state that was wrong), read only on failure
     * @throws AssertionError when the deadline passes first
     */
    public static void until(String what, BooleanSupplier condition, Supplier<String> detail, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                String more = detail.get();
                throw new AssertionError("not within " + timeout + ": " + what + (more.isEmpty() ? "" : "; " + more));
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what);
            }
        }
    }
}
