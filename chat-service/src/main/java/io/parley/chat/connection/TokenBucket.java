package io.parley.chat.connection;

/** A token bucket: {@code rate} tokens per second, at most {@code burst} saved. Not thread-safe (one per socket). */
final class TokenBucket {

    private final double ratePerNano;
    private final int burst;
    private double tokens;
    private long last;

    TokenBucket(int ratePerSecond, int burst, long nowNanos) {
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.last = nowNanos;
    }

    boolean tryTake(long nowNanos) {
        tokens = Math.min(burst, tokens + (nowNanos - last) * ratePerNano);
        last = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
