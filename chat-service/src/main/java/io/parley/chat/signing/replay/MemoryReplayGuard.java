package io.parley.chat.signing.replay;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The single-instance replay guard: signatures in a map of this process, swept of expired ones at most every
 * {@link #SWEEP_EVERY}. Holds at most the signatures accepted within one tolerance window (600 s).
 */
public final class MemoryReplayGuard implements ReplayGuard {

    static final Duration SWEEP_EVERY = Duration.ofSeconds(10);

    private final ConcurrentHashMap<String, Instant> seen = new ConcurrentHashMap<>();
    private final AtomicReference<Instant> nextSweep;
    private final Clock clock;

    public MemoryReplayGuard(Clock clock) {
        this.clock = clock;
        this.nextSweep = new AtomicReference<>(clock.instant().plus(SWEEP_EVERY));
    }

    @Override
    public boolean firstUse(String signature, Instant validUntil) {
        Instant now = clock.instant();
        Instant sweepAt = nextSweep.get();
        if (now.isAfter(sweepAt) && nextSweep.compareAndSet(sweepAt, now.plus(SWEEP_EVERY))) {
            seen.values().removeIf(until -> until.isBefore(now));
        }
        // compute is atomic per key: of racing callers exactly one finds no live entry.
        boolean[] first = {false};
        seen.compute(signature, (key, until) -> {
            if (until == null || until.isBefore(now)) {
                first[0] = true;
                return validUntil;
            }
            return until;
        });
        return first[0];
    }
}
