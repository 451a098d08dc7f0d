package io.parley.chat.auth;

import io.jsonwebtoken.Claims;
import io.jsonwebtoken.Jwts;
import io.parley.chat.testing.MutableClock;
import org.junit.jupiter.api.Test;

import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import static io.parley.chat.auth.TestTokens.NOW;
import static io.parley.chat.auth.TestTokens.SECRET_A;
import static io.parley.chat.auth.TestTokens.assertInvalid;
import static io.parley.chat.auth.TestTokens.assertRefused;
import static io.parley.chat.auth.TestTokens.secrets;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DevTokenIssuerTest {

    private final MutableClock clock = new MutableClock(NOW);
    private final DevTokenIssuer issuer = new DevTokenIssuer(SECRET_A, Duration.ofHours(1), clock);
    private final JjwtTokenVerifier verifier = new JjwtTokenVerifier(secrets(SECRET_A), clock);

    @Test
    void mintsTokensTheVerifierAccepts() throws AuthException {
        Principal principal = verifier.verify(issuer.issue("7", "Grace", Optional.of(List.of("lobby", "team-7:*"))));

        assertEquals("7", principal.userId());
        assertEquals("Grace", principal.name());
        assertEquals(Optional.of(List.of("lobby", "team-7:*")), principal.rooms());
        assertEquals(NOW.plus(Duration.ofHours(1)), principal.expiresAt());
        assertEquals(Optional.of(NOW), principal.issuedAt());
    }

    @Test
    void carriesAUniqueJtiAndOmitsWhatIsNotGiven() {
        Claims first = claims(issuer.issue("7", null, Optional.empty()));
        Claims second = claims(issuer.issue("7", null, Optional.empty()));

        assertNotNull(first.getId());
        assertNotEquals(first.getId(), second.getId());
        assertEquals(Date.from(NOW), first.getIssuedAt());
        assertFalse(first.containsKey("name"));
        assertFalse(first.containsKey("rooms"));
    }

    @Test
    void itsTokensExpire() {
        String token = issuer.issue("7", "Grace", Optional.empty());
        clock.advance(Duration.ofHours(1).plusSeconds(3));

        assertRefused("expired", verifier, token);
    }

    @Test
    void refusesAShortSecretNamingTheVariable() {
        IllegalArgumentException refused = assertInvalid(() -> new DevTokenIssuer("short", Duration.ofHours(1)));

        assertTrue(refused.getMessage().startsWith("PARLEY_DEV_SECRET"), refused.getMessage());
        assertFalse(refused.getMessage().contains("short"));
        assertInvalid(() -> new DevTokenIssuer(SECRET_A, Duration.ZERO));
    }

    @Test
    void refusesInputTheVerifierWouldRefuse() {
        assertInvalid(() -> issuer.issue(" ", "Grace", Optional.empty()));
        assertInvalid(() -> issuer.issue("x".repeat(129), "Grace", Optional.empty()));
        assertInvalid(() -> issuer.issue("7", "n".repeat(65), Optional.empty()));
        assertInvalid(() -> issuer.issue("7", "Grace", Optional.of(List.of("bad room"))));
    }

    private static Claims claims(String token) {
        return Jwts.parser()
                .verifyWith(new SecretKeySpec(SECRET_A.getBytes(StandardCharsets.UTF_8), "HmacSHA256"))
                .clock(() -> Date.from(NOW))
                .build().parseSignedClaims(token).getPayload();
    }
}
