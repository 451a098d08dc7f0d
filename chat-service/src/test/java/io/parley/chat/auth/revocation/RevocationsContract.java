package io.parley.chat.auth.revocation;

import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The guarantees of the {@link Revocations} port, checked against every implementation. */
final class RevocationsContract {

    private RevocationsContract() {
    }

    static void check(Revocations revocations, Instant now) {
        Instant at = now.minusSeconds(10);
        assertFalse(revocations.isRevoked("ada", Optional.of(at.minusSeconds(60))), "nothing revoked yet");

        revocations.revoke("ada", at);
        assertTrue(revocations.isRevoked("ada", Optional.of(at.minusSeconds(1))), "issued before: refused");
        assertTrue(revocations.isRevoked("ada", Optional.empty()), "no iat: refused");
        assertFalse(revocations.isRevoked("ada", Optional.of(at)), "issued at the instant: accepted");
        assertFalse(revocations.isRevoked("ada", Optional.of(at.plusSeconds(1))), "issued after: accepted");
        assertFalse(revocations.isRevoked("bob", Optional.empty()), "other users are not affected");

        // A later revocation moves the instant forward; an earlier one (a skewed clock) never moves it back.
        revocations.revoke("ada", at.plusSeconds(5));
        assertTrue(revocations.isRevoked("ada", Optional.of(at.plusSeconds(1))));
        revocations.revoke("ada", at.minusSeconds(100));
        assertTrue(revocations.isRevoked("ada", Optional.of(at.plusSeconds(1))));
        assertFalse(revocations.isRevoked("ada", Optional.of(at.plusSeconds(5))));
    }
}
