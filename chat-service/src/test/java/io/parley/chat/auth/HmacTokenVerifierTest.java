package io.parley.chat.auth;

import io.jsonwebtoken.Jwts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static io.parley.chat.auth.TestTokens.NOW;
import static io.parley.chat.auth.TestTokens.SECRET_64;
import static io.parley.chat.auth.TestTokens.SECRET_A;
import static io.parley.chat.auth.TestTokens.SECRET_B;
import static io.parley.chat.auth.TestTokens.assertRefused;
import static io.parley.chat.auth.TestTokens.at;
import static io.parley.chat.auth.TestTokens.b64;
import static io.parley.chat.auth.TestTokens.claims;
import static io.parley.chat.auth.TestTokens.epoch;
import static io.parley.chat.auth.TestTokens.handSigned;
import static io.parley.chat.auth.TestTokens.hs256;
import static io.parley.chat.auth.TestTokens.secrets;
import static io.parley.chat.auth.TestTokens.verifier;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HmacTokenVerifierTest {

    private final TokenVerifier verifier = verifier(secrets(SECRET_A));

    @Test
    void acceptsAGoodTokenAndReadsItsClaims() throws AuthException {
        String token = hs256(SECRET_A, claims().issuedAt(at(Duration.ofMinutes(-1)))
                .claim("name", "Ada").claim("rooms", List.of("lobby", "team-7:*")).id("j-1"));

        Principal principal = verifier.verify(token);

        assertEquals("42", principal.userId());
        assertEquals("Ada", principal.name());
        assertEquals(Optional.of(List.of("lobby", "team-7:*")), principal.rooms());
        assertEquals(NOW.plus(Duration.ofMinutes(10)), principal.expiresAt());
        assertEquals(Optional.of(NOW.minus(Duration.ofMinutes(1))), principal.issuedAt());
    }

    @Test
    void nameDefaultsToTheUserIdAndRoomsToNone() throws AuthException {
        Principal principal = verifier.verify(hs256(SECRET_A, claims()));

        assertEquals("42", principal.name());
        assertEquals(Optional.empty(), principal.rooms());
        assertEquals(Optional.empty(), principal.issuedAt());
    }

    @Test
    void refusesAnExpiredToken() {
        assertRefused("expired", verifier, hs256(SECRET_A, claims().expiration(at(Duration.ofMinutes(-5)))));
    }

    @Test
    void checksTheSignatureBeforeTheExpiry() {
        assertRefused("signature", verifier, hs256(SECRET_B, claims().expiration(at(Duration.ofMinutes(-5)))));
    }

    @Test
    void refusesATokenWithoutExp() {
        String token = hs256(SECRET_A, Jwts.builder().subject("42"));

        AuthException refused = assertRefused("claims", verifier, token);
        assertTrue(refused.getMessage().contains("exp"));
    }

    @Test
    void refusesATokenSignedWithAnotherSecret() {
        assertRefused("signature", verifier, hs256(SECRET_B, claims()));
    }

    @Test
    void refusesATamperedPayload() {
        String[] parts = hs256(SECRET_A, claims()).split("\\.");
        String forged = parts[0] + "." + b64("{\"sub\":\"1\",\"exp\":" + epoch(Duration.ofHours(1)) + "}") + "." + parts[2];

        assertRefused("signature", verifier, forged);
    }

    @Test
    void acceptsTokensSignedWithEitherSecretDuringARotation() throws AuthException {
        TokenVerifier rotating = verifier(secrets(SECRET_A, SECRET_B));

        assertEquals("42", rotating.verify(hs256(SECRET_A, claims())).userId());
        assertEquals("42", rotating.verify(hs256(SECRET_B, claims())).userId());
        assertRefused("signature", rotating, hs256("secret-c-0123456789-0123456789-0123456789", claims()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"alg\":\"none\"}", "{\"alg\":\"None\",\"typ\":\"JWT\"}", "{\"alg\":\"NONE\"}"})
    void refusesUnsignedTokens(String header) {
        String payload = "{\"sub\":\"42\",\"exp\":" + epoch(Duration.ofMinutes(10)) + "}";

        assertRefused("algorithm", verifier, b64(header) + "." + b64(payload) + ".");
        assertRefused("algorithm", verifier, b64(header) + "." + b64(payload) + ".c2lnbmF0dXJl");
    }

    @Test
    void refusesAnHs256TokenWithItsSignatureStripped() {
        String[] parts = hs256(SECRET_A, claims()).split("\\.");

        assertRefused("algorithm", verifier, parts[0] + "." + parts[1] + ".");
    }

    @ParameterizedTest
    @ValueSource(strings = {"HS256", "HS384", "HS512"})
    void verifiesEveryHmacAlgorithmWithASecretLongEnough(String algorithm) throws AuthException {
        TokenVerifier verifier = verifier(secrets(SECRET_64));
        var jjwtAlgorithm = switch (algorithm) {
            case "HS256" -> Jwts.SIG.HS256;
            case "HS384" -> Jwts.SIG.HS384;
            default -> Jwts.SIG.HS512;
        };
        var key = new SecretKeySpec(SECRET_64.getBytes(StandardCharsets.UTF_8), "Hmac" + algorithm.replace("HS", "SHA"));

        String token = claims().signWith(key, jjwtAlgorithm).compact();

        assertEquals("42", verifier.verify(token).userId());
    }

    @Test
    void refusesHs512WhenNoSecretIsLongEnoughAndSaysWhy() {
        // SECRET_A is 41 bytes: enough for HS256, not for HS512 (64) or HS384 (48).
        String payload = "{\"sub\":\"42\",\"exp\":" + epoch(Duration.ofMinutes(10)) + "}";
        byte[] secretA = SECRET_A.getBytes(StandardCharsets.UTF_8);

        AuthException hs512 = assertRefused("algorithm", verifier,
                handSigned("{\"alg\":\"HS512\"}", payload, "HmacSHA512", secretA));
        AuthException hs384 = assertRefused("algorithm", verifier,
                handSigned("{\"alg\":\"HS384\"}", payload, "HmacSHA384", secretA));

        assertTrue(hs512.getMessage().contains("64 bytes"), hs512.getMessage());
        assertTrue(hs384.getMessage().contains("48 bytes"), hs384.getMessage());
    }

    @Test
    void usesTheLongSecretForHs512WhenOnlyOneOfTwoIsLongEnough() throws AuthException {
        TokenVerifier rotating = verifier(secrets(SECRET_A, SECRET_64));
        var key = new SecretKeySpec(SECRET_64.getBytes(StandardCharsets.UTF_8), "HmacSHA512");

        assertEquals("42", rotating.verify(claims().signWith(key, Jwts.SIG.HS512).compact()).userId());
    }

    @ParameterizedTest
    @ValueSource(strings = {"RS384", "PS256", "ES512", "EdDSA", "HS1024", "hs256"})
    void refusesAlgorithmsOutsideThePinnedSet(String algorithm) {
        String token = handSigned("{\"alg\":\"" + algorithm + "\"}",
                "{\"sub\":\"42\",\"exp\":" + epoch(Duration.ofMinutes(10)) + "}", "HmacSHA256",
                SECRET_A.getBytes(StandardCharsets.UTF_8));

        assertRefused("algorithm", verifier, token);
    }

    @Test
    void checksIssuerAndAudienceWhenConfigured() throws AuthException {
        AuthSettings settings = new AuthSettings(List.of(SECRET_A), List.of(), Optional.empty(),
                Optional.of("https://monolith.example"), Optional.of("parley"), AuthSettings.DEFAULT_LEEWAY);
        TokenVerifier strict = verifier(settings);

        String good = hs256(SECRET_A, claims().issuer("https://monolith.example").audience().add("parley").add("other").and());
        assertEquals("42", strict.verify(good).userId());

        assertRefused("issuer", strict, hs256(SECRET_A, claims().issuer("https://evil.example").audience().add("parley").and()));
        assertRefused("issuer", strict, hs256(SECRET_A, claims().audience().add("parley").and()));
        assertRefused("audience", strict, hs256(SECRET_A, claims().issuer("https://monolith.example").audience().add("other").and()));
        assertRefused("audience", strict, hs256(SECRET_A, claims().issuer("https://monolith.example")));
    }

    @Test
    void ignoresIssuerAndAudienceWhenNotConfigured() throws AuthException {
        assertEquals("42", verifier.verify(hs256(SECRET_A, claims().issuer("anyone").audience().add("anything").and())).userId());
    }

    @Test
    void refusesATokenNotValidYet() {
        assertRefused("not_yet_valid", verifier, hs256(SECRET_A, claims().notBefore(at(Duration.ofMinutes(1)))));
        assertRefused("not_yet_valid", verifier, hs256(SECRET_A, claims().issuedAt(at(Duration.ofMinutes(1)))));
    }

    @Test
    void honoursTheLeewayForExpNbfAndIat() throws AuthException {
        // Default leeway is 2 s.
        assertEquals("42", verifier.verify(hs256(SECRET_A, claims().expiration(at(Duration.ofSeconds(-1))))).userId());
        assertEquals("42", verifier.verify(hs256(SECRET_A, claims().notBefore(at(Duration.ofSeconds(1))))).userId());
        assertEquals("42", verifier.verify(hs256(SECRET_A, claims().issuedAt(at(Duration.ofSeconds(1))))).userId());
        assertRefused("expired", verifier, hs256(SECRET_A, claims().expiration(at(Duration.ofSeconds(-5)))));

        TokenVerifier lenient = verifier(new AuthSettings(List.of(SECRET_A), List.of(), Optional.empty(),
                Optional.empty(), Optional.empty(), Duration.ofSeconds(10)));
        assertEquals("42", lenient.verify(hs256(SECRET_A, claims().expiration(at(Duration.ofSeconds(-5))))).userId());
        assertEquals("42", lenient.verify(hs256(SECRET_A, claims().notBefore(at(Duration.ofSeconds(5))))).userId());
        assertRefused("expired", lenient, hs256(SECRET_A, claims().expiration(at(Duration.ofSeconds(-15)))));
    }

    @Test
    void readsANumericSubAsItsDecimalString() throws AuthException {
        long exp = epoch(Duration.ofMinutes(10));

        assertEquals("42", verifier.verify(signedPayload("{\"sub\":42,\"exp\":" + exp + "}")).userId());
        assertEquals("12345678901234567890123",
                verifier.verify(signedPayload("{\"sub\":12345678901234567890123,\"exp\":" + exp + "}")).userId());
        assertEquals("42", verifier.verify(signedPayload("{\"sub\":42,\"exp\":" + exp + "}")).name());
    }

    @ParameterizedTest
    @ValueSource(strings = {"42.5", "true", "[\"42\"]", "{\"id\":42}"})
    void refusesASubThatIsNeitherAStringNorAnInteger(String sub) {
        assertRefused("malformed", verifier, signedPayload("{\"sub\":" + sub + ",\"exp\":" + epoch(Duration.ofMinutes(10)) + "}"));
    }

    @Test
    void requiresANonEmptySubOfAtMost128Characters() throws AuthException {
        assertRefused("claims", verifier, hs256(SECRET_A, Jwts.builder().expiration(at(Duration.ofMinutes(10)))));
        assertRefused("claims", verifier, hs256(SECRET_A, claims().subject("  ")));
        assertRefused("claims", verifier, hs256(SECRET_A, claims().subject("x".repeat(129))));
        assertEquals("x".repeat(128), verifier.verify(hs256(SECRET_A, claims().subject("x".repeat(128)))).userId());
    }

    @Test
    void refusesANameLongerThan64CharactersWithAClearMessage() throws AuthException {
        AuthException refused = assertRefused("claims", verifier, hs256(SECRET_A, claims().claim("name", "n".repeat(65))));

        assertTrue(refused.getMessage().contains("name") && refused.getMessage().contains("64"), refused.getMessage());
        assertEquals("n".repeat(64), verifier.verify(hs256(SECRET_A, claims().claim("name", "n".repeat(64)))).name());
        // Characters, not UTF-16 units: 64 emoji are 128 chars in Java but a valid name.
        String emoji = "\uD83D\uDE00".repeat(64);
        assertEquals(emoji, verifier.verify(hs256(SECRET_A, claims().claim("name", emoji))).name());
        assertRefused("claims", verifier, hs256(SECRET_A, claims().claim("name", 7)));
    }

    @Test
    void refusesBadRoomsEntries() throws AuthException {
        for (Object rooms : List.of(List.of("lobby", "has space"), List.of("a*b"), List.of(""), List.of("r".repeat(65)),
                List.of("lobby", 5), List.of("**"), "lobby", 5)) {
            assertRefused("claims", verifier, hs256(SECRET_A, claims().claim("rooms", rooms)));
        }
        assertEquals(Optional.of(List.of("*", "r".repeat(64), "p".repeat(63) + "*", "dm:1:2")),
                verifier.verify(hs256(SECRET_A, claims().claim("rooms", List.of("*", "r".repeat(64), "p".repeat(63) + "*", "dm:1:2")))).rooms());
        assertEquals(Optional.of(List.of()), verifier.verify(hs256(SECRET_A, claims().claim("rooms", List.of()))).rooms());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "abc", "a.b", "a.b.c", "!!!.???.###", "e30.e30.e30", "a.b.c.d"})
    void refusesMalformedTokens(String token) {
        assertRefused("malformed", verifier, token);
    }

    @Test
    void refusesAMissingToken() {
        AuthException refused = assertThrows(AuthException.class, () -> verifier.verify(null));

        assertEquals("malformed", refused.reason());
    }

    @Test
    void refusesEncryptedTokens() {
        assertRefused("algorithm", verifier, b64("{\"alg\":\"dir\",\"enc\":\"A256GCM\"}") + "..aXY.Y2lwaGVy.dGFn");
    }

    @Test
    void refusesDuplicateClaimNames() {
        String payload = "{\"sub\":\"42\",\"sub\":\"1\",\"exp\":" + epoch(Duration.ofMinutes(10)) + "}";

        assertRefused("malformed", verifier, signedPayload(payload));
    }

    @Test
    void refusesAnExpThatIsNotANumericDate() {
        assertRefused("malformed", verifier, signedPayload("{\"sub\":\"42\",\"exp\":\"tomorrow\"}"));
    }

    private static String signedPayload(String payloadJson) {
        return handSigned("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", payloadJson, "HmacSHA256",
                SECRET_A.getBytes(StandardCharsets.UTF_8));
    }
}
