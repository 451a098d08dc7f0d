package io.parley.chat.signing.replay;

import java.time.Instant;

/**
 * Port: remembers the signatures of accepted server API requests for as long as they could be accepted at all, so
 * that a captured request cannot be sent again (protocol §4).
 *
 * <p>Guarantee, checked by {@code ReplayGuardContract} for every implementation: for one signature, exactly one
 * {@link #firstUse} call returns true until {@code validUntil} has passed, even when calls race (in memory: within
 * this process; in Redis: across every instance sharing it). A signature forgotten after {@code validUntil} can no
 * longer pass the timestamp check anyway. Thread-safe.
 */
public interface ReplayGuard {

    /**
     * Records {@code signature} (the verified HMAC of one request).
     *
     * @param validUntil when the request's timestamp leaves the tolerance window
     * @return true the first time, false for a replay
     * @throws ReplayGuardUnavailableException when it cannot tell (the store is unreachable): refuse the request
     */
    boolean firstUse(String signature, Instant validUntil);
}
