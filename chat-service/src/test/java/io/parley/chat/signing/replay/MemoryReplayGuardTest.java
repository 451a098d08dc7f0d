package io.parley.chat.signing.replay;

import java.time.Duration;
import java.time.Instant;

import io.parley.chat.testing.MutableClock;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemoryReplayGuardTest {

    @Test
    void keepsTheContract() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-30T10:00:00Z"));
        ReplayGuardContract.check(new MemoryReplayGuard(clock), clock.instant());
    }

    @Test
    void forgetsSignaturesOnceTheirWindowHasPassed() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-30T10:00:00Z"));
        MemoryReplayGuard guard = new MemoryReplayGuard(clock);
        Instant validUntil = clock.instant().plusSeconds(300);
        assertTrue(guard.firstUse("ab", validUntil));
        clock.advance(Duration.ofSeconds(299));
        assertFalse(guard.firstUse("ab", validUntil), "still within the window");
        clock.advance(Duration.ofSeconds(2));
        assertTrue(guard.firstUse("ab", clock.instant().plusSeconds(300)), "past the window: forgotten");
    }
}
