package io.parley.chat.connection;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rate limiter of a socket, on a time the test gives it (nanoseconds), never the real one. */
class TokenBucketTest {

    private static final long SECOND = 1_000_000_000L;
    private static final long MICROSECOND = 1_000L;

    @Test
    void aFullBucketAllowsTheBurstThenRefuses() {
        TokenBucket bucket = new TokenBucket(10, 20, 0);
        for (int i = 0; i < 20; i++) {
            assertTrue(bucket.tryTake(0), "take " + i + " of the burst");
        }
        assertFalse(bucket.tryTake(0));
    }

    @Test
    void tokensComeBackAtTheRate() {
        TokenBucket bucket = new TokenBucket(10, 20, 0);
        for (int i = 0; i < 20; i++) {
            bucket.tryTake(0);
        }
        assertFalse(bucket.tryTake(SECOND / 20), "half a token after 50 ms at 10/s");
        long justOver100ms = SECOND / 10 + MICROSECOND; // past any rounding of the double arithmetic
        assertTrue(bucket.tryTake(justOver100ms), "one token after 100 ms at 10/s");
        assertFalse(bucket.tryTake(justOver100ms));
        long aSecondLater = justOver100ms + SECOND + MICROSECOND;
        for (int i = 0; i < 10; i++) {
            assertTrue(bucket.tryTake(aSecondLater), "ten more a second later, " + i);
        }
        assertFalse(bucket.tryTake(aSecondLater));
    }

    @Test
    void anIdleBucketSavesAtMostTheBurst() {
        TokenBucket bucket = new TokenBucket(10, 3, 0);
        long later = 3_600 * SECOND;
        for (int i = 0; i < 3; i++) {
            assertTrue(bucket.tryTake(later));
        }
        assertFalse(bucket.tryTake(later), "an hour idle saves 3 tokens, not 36,000");
    }
}
