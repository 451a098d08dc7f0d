package io.parley.chat.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition that has no event to wait on (a count, a gauge, an endpoint's answer, a process's state) by
 * polling it: tests wait for what they expect instead of sleeping for a guessed time. The deadline only bounds a
 * failure; a passing test waits exactly as long as the condition takes. The one poll-until helper of the project's
 * tests (chat-service and integration).
 */
public final class Eventually {

    /** Generous: on a busy two-core machine a cluster can be slow, and a passing test never waits this long. */
    public static final Duration DEFAULT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(20);

    private Eventually() {
    }

    /** Waits until the condition holds, for at most {@link #DEFAULT}. */
    public static void until(String what, BooleanSupplier condition) {
        until(what, condition, () -> "", DEFAULT);
    }

    /** Waits until the condition holds, for at most {@code timeout}. */
    public static void until(String what, BooleanSupplier condition, Duration timeout) {
        until(what, condition, () -> "", timeout);
    }

    /**
     * Waits until the condition holds.
     *
     * @param detail what to add to the failure message (the state that was wrong), read only on failure
     * @throws AssertionError when the deadline passes first, naming {@code what}
     */
    public static void until(String what, BooleanSupplier condition, Supplier<String> detail, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                String more = detail.get();
                throw new AssertionError("not within " + timeout + ": " + what + (more.isEmpty() ? "" : "; " + more));
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what);
            }
        }
    }
}
