package io.parley.chat.outbox;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class BackoffTest {

    @Test
    void delaysDoubleUpToTheCapAndStartOverAfterAReset() {
        Backoff backoff = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(30));
        long step = 250;
        for (int i = 0; i < 20; i++) {
            long d = backoff.next().toMillis();
            assertTrue(d >= step / 2 && d <= step, "delay " + d + " for step " + step);
            step = Math.min(step * 2, 30_000);
        }
        assertTrue(backoff.next().toMillis() <= 30_000);
        backoff.reset();
        assertTrue(backoff.next().toMillis() <= 250);
    }
}
