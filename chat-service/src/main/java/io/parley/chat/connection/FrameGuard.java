package io.parley.chat.connection;

import io.parley.chat.protocol.ErrorCode;

/**
 * The abuse limits on one authenticated socket's frames: a token bucket for the rate, and strikes for refused frames.
 * A frame over the rate is refused {@code rate_limited}; more than {@link #STRIKES_BEFORE_CLOSE} refusals within
 * {@link #STRIKE_WINDOW_MS} close the socket (4429 for rate abuse, 4400 for bad frames). Reader thread only.
 */
final class FrameGuard {

    static final int STRIKES_BEFORE_CLOSE = 20;
    static final long STRIKE_WINDOW_MS = 10_000;

    /** What a refused frame leads to. */
    enum Verdict { ANSWER, CLOSE }

    private final TokenBucket bucket;
    private int strikes;
    private long windowStart;

    FrameGuard(int ratePerSecond, int burst, long nowNanos) {
        this.bucket = new TokenBucket(ratePerSecond, burst, nowNanos);
    }

    boolean admit(long nowNanos) {
        return bucket.tryTake(nowNanos);
    }

    /** Counts a refused frame; CLOSE once the socket has been refused too often. */
    Verdict strike(long nowMillis) {
        if (nowMillis - windowStart > STRIKE_WINDOW_MS) {
            windowStart = nowMillis;
            strikes = 0;
        }
        return ++strikes > STRIKES_BEFORE_CLOSE ? Verdict.CLOSE : Verdict.ANSWER;
    }

    static int closeCodeFor(ErrorCode refusal) {
        return refusal == ErrorCode.RATE_LIMITED ? CloseCodes.LIMITS : CloseCodes.PROTOCOL_ABUSE;
    }
}
