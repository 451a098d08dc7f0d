package io.parley.chat.auth.revocation;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import io.parley.chat.auth.AuthException;
import io.parley.chat.auth.Principal;
import io.parley.chat.testing.MutableClock;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RevocationTest {

    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

    private static Principal principal(String user, Optional<Instant> iat) {
        return new Principal(user, user, Optional.of(List.of()), NOW.plusSeconds(600), iat);
    }

    @Test
    void memoryRevocationsKeepTheContract() {
        RevocationsContract.check(new MemoryRevocations(Clock.fixed(NOW, ZoneOffset.UTC)), NOW);
    }

    @Test
    void aRevocationIsForgottenAfterItsRetention() {
        MutableClock time = new MutableClock(NOW);
        MemoryRevocations revocations = new MemoryRevocations(time);
        revocations.revoke("ada", NOW);
        time.advance(Revocations.RETENTION.plusSeconds(1));
        assertFalse(revocations.isRevoked("ada", Optional.empty()));
    }

    @Test
    void theVerifierRefusesRevokedTokensWithReasonRevoked() throws Exception {
        MemoryRevocations revocations = new MemoryRevocations(Clock.fixed(NOW, ZoneOffset.UTC));
        Principal old = principal("ada", Optional.of(NOW.minusSeconds(30)));
        Principal fresh = principal("ada", Optional.of(NOW.plusSeconds(1)));
        revocations.revoke("ada", NOW);

        AuthException refused = assertThrows(AuthException.class,
                () -> new RevocationCheckingVerifier(token -> old, revocations).verify("t"));
        assertEquals("revoked", refused.reason());
        assertSame(fresh, new RevocationCheckingVerifier(token -> fresh, revocations).verify("t"));
    }

    @Test
    void theDelegateDecidesFirst() {
        RevocationCheckingVerifier verifier = new RevocationCheckingVerifier(token -> {
            throw new AuthException("expired", "token has expired");
        }, new MemoryRevocations(Clock.systemUTC()));
        assertEquals("expired", assertThrows(AuthException.class, () -> verifier.verify("t")).reason());
    }

    @Test
    void anUnreadableStoreRefusesTheToken() {
        Revocations broken = new Revocations() {
            @Override
            public void revoke(String userId, Instant at) {
            }

            @Override
            public boolean isRevoked(String userId, Optional<Instant> issuedAt) {
                throw new RevocationUnavailableException("down", null);
            }
        };
        RevocationCheckingVerifier verifier = new RevocationCheckingVerifier(
                token -> principal("ada", Optional.of(NOW)), broken);
        assertEquals("unavailable", assertThrows(AuthException.class, () -> verifier.verify("t")).reason());
    }
}
