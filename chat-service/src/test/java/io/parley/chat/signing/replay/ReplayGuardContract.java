package io.parley.chat.signing.replay;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The guarantees of the {@link ReplayGuard} port, checked against every implementation. */
final class ReplayGuardContract {

    private ReplayGuardContract() {
    }

    /** @param now the implementation's idea of the current time */
    static void check(ReplayGuard guard, Instant now) throws Exception {
        Instant window = now.plusSeconds(300);
        assertTrue(guard.firstUse("aa01", window), "a new signature passes");
        assertFalse(guard.firstUse("aa01", window), "the same signature again is a replay");
        assertFalse(guard.firstUse("aa01", window.plusSeconds(60)), "a replay stays refused whatever it claims");
        assertTrue(guard.firstUse("aa02", window), "another signature is independent");

        assertTrue(guard.firstUse("aa03", now.minusSeconds(10)));
        assertTrue(guard.firstUse("aa03", now.minusSeconds(10)),
                "a signature past its window is forgotten (the timestamp check refuses it anyway)");

        // Racing first uses: exactly one wins.
        int racers = 16;
        CountDownLatch start = new CountDownLatch(1);
        Callable<Boolean> race = () -> {
            start.await();
            return guard.firstUse("race", window);
        };
        try (ExecutorService pool = Executors.newFixedThreadPool(racers)) {
            List<Future<Boolean>> results = IntStream.range(0, racers).mapToObj(i -> pool.submit(race)).toList();
            start.countDown();
            long winners = 0;
            for (Future<Boolean> result : results) {
                winners += result.get() ? 1 : 0;
            }
            assertEquals(1, winners, "exactly one of " + racers + " racing requests is accepted");
        }
    }
}
