package io.parley.chat.outbox;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter, capped (protocol §3: 30 s), for retries that go on for as long as it takes.
 * The jitter (each delay drawn from the upper half of its step) keeps the instances of a cluster from retrying in
 * step after an outage. Not thread-safe: one per retry loop.
 */
public final class Backoff {

    private final Duration initial;
    private final Duration cap;
    private Duration step;

    public Backoff(Duration initial, Duration cap) {
        this.initial = initial;
        this.cap = cap;
        this.step = initial;
    }

    /** The delay before the next retry; each call doubles the step up to the cap. */
    public Duration next() {
        Duration current = step;
        step = step.multipliedBy(2).compareTo(cap) > 0 ? cap : step.multipliedBy(2);
        long half = current.toMillis() / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
    }

    /** After a success: the next failure starts small again. */
    public void reset() {
        step = initial;
    }
}
