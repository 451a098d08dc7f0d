package io.parley.chat.auth.revocation;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Port: users whose earlier tokens are no longer accepted.
 *
 * <p>Guarantees: after {@link #revoke} returns, {@link #isRevoked} is true on every instance for a token of that user
 * issued before the revocation instant or without {@code iat}, for {@link #RETENTION}; a token issued at or after
 * it is not affected. A later revocation of the same user moves the instant forward (never back). Thread-safe.
 */
public interface Revocations {

    /**
     * How long a revocation is remembered. Tokens are refused "until they expire", and the service does not know how
     * long the monolith's tokens live: this bounds it. Tokens that live longer are refused only for this long.
     */
    Duration RETENTION = Duration.ofDays(30);

    void revoke(String userId, Instant at);

    /**
     * @param issuedAt the token's {@code iat} (whole seconds), when it has one
     * @throws RevocationUnavailableException when the store cannot be read (the token must then be refused)
     */
    boolean isRevoked(String userId, Optional<Instant> issuedAt);

    /** Whether a token issued at {@code issuedAt} falls under a revocation made at {@code revokedAt}. */
    static boolean covers(Instant revokedAt, Optional<Instant> issuedAt) {
        return issuedAt.isEmpty() || issuedAt.get().isBefore(revokedAt);
    }
}
