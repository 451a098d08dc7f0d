package io.parley.chat.auth;

import io.jsonwebtoken.JwtBuilder;
import io.jsonwebtoken.Jwts;
import io.parley.chat.testing.MutableClock;
import org.junit.jupiter.api.function.Executable;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Token, key and settings helpers shared by the auth tests. */
final class TestTokens {

    static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    static final String SECRET_A = "secret-a-0123456789-0123456789-0123456789";           // 41 bytes
    static final String SECRET_B = "secret-b-0123456789-0123456789-0123456789";           // 41 bytes
    static final String SECRET_64 = "s".repeat(64);

    private TestTokens() {
    }

    /** A builder with a valid sub and exp (relative to {@link #NOW}). */
    static JwtBuilder claims() {
        return Jwts.builder().subject("42").expiration(at(Duration.ofMinutes(10)));
    }

    static Date at(Duration fromNow) {
        return Date.from(NOW.plus(fromNow));
    }

    static String hs256(String secret, JwtBuilder claims) {
        return claims.signWith(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"), Jwts.SIG.HS256)
                .compact();
    }

    /**
     * A token assembled by hand: the header and payload JSON exactly as given, signed with the JCA MAC
     * {@code macAlgorithm} over {@code key}. For what jjwt's builder refuses to produce: numeric sub, keys
     * shorter than the algorithm wants, or a "secret" that is really a public key.
     */
    static String handSigned(String headerJson, String payloadJson, String macAlgorithm, byte[] key) {
        String signingInput = b64(headerJson) + "." + b64(payloadJson);
        try {
            Mac mac = Mac.getInstance(macAlgorithm);
            mac.init(new SecretKeySpec(key, macAlgorithm));
            byte[] signature = mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    static long epoch(Duration fromNow) {
        return NOW.plus(fromNow).getEpochSecond();
    }

    static AuthSettings secrets(String... secrets) {
        return new AuthSettings(List.of(secrets), List.of(), Optional.empty(), Optional.empty(), Optional.empty(),
                AuthSettings.DEFAULT_LEEWAY);
    }

    static JjwtTokenVerifier verifier(AuthSettings settings) {
        return new JjwtTokenVerifier(settings, new MutableClock(NOW));
    }

    static KeyPair rsaKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    static KeyPair ecKeyPair(String curve) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(curve));
        return generator.generateKeyPair();
    }

    /** The PEM text of a public key, as {@code openssl pkey -pubout} writes it. */
    static String pem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    static Path writePem(Path dir, String name, PublicKey key) throws java.io.IOException {
        return Files.writeString(dir.resolve(name), pem(key));
    }

    /** Asserts the refusal's reason, and that its message gives away no part of the token. */
    static AuthException assertRefused(String reason, TokenVerifier verifier, String token) {
        AuthException refused = assertThrows(AuthException.class, () -> verifier.verify(token));
        assertEquals(reason, refused.reason(), () -> "message was: " + refused.getMessage());
        assertFalse(refused.getMessage().isBlank());
        for (String part : token.split("\\.")) {
            if (part.length() >= 8) {
                assertFalse(refused.getMessage().contains(part), "message contains part of the token");
            }
        }
        return refused;
    }

    static IllegalArgumentException assertInvalid(Executable configuration) {
        return assertThrows(IllegalArgumentException.class, configuration);
    }
}
