package io.parley.chat.auth;

import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.SecureDigestAlgorithm;

import java.util.Arrays;
import java.util.Optional;

/**
 * The JWS algorithms Parley accepts, and nothing else: HMAC with a shared secret, RS256 and ES256 with
 * a public key. Every other {@code alg} (including {@code none}, PS*, RS384, ES384, EdDSA) is refused
 * before any key is looked at.
 */
enum SigningAlgorithm {
    HS256("HmacSHA256", 32, Jwts.SIG.HS256),
    HS384("HmacSHA384", 48, Jwts.SIG.HS384),
    HS512("HmacSHA512", 64, Jwts.SIG.HS512),
    RS256(null, 0, Jwts.SIG.RS256),
    ES256(null, 0, Jwts.SIG.ES256);

    private final String hmacJcaName;
    private final int minSecretBytes;
    private final SecureDigestAlgorithm<?, ?> jjwt;

    SigningAlgorithm(String hmacJcaName, int minSecretBytes, SecureDigestAlgorithm<?, ?> jjwt) {
        this.hmacJcaName = hmacJcaName;
        this.minSecretBytes = minSecretBytes;
        this.jjwt = jjwt;
    }

    /** The algorithm named by a token's {@code alg} header; exact, case-sensitive match as RFC 7515 requires. */
    static Optional<SigningAlgorithm> byJwaName(String alg) {
        return Arrays.stream(values()).filter(a -> a.name().equals(alg)).findFirst();
    }

    boolean isHmac() {
        return hmacJcaName != null;
    }

    /** JCA name for the HMAC key; only for {@link #isHmac()} algorithms. */
    String hmacJcaName() {
        return hmacJcaName;
    }

    /** RFC 7518 §3.2: an HMAC key must be at least as long as the hash output. */
    int minSecretBytes() {
        return minSecretBytes;
    }

    SecureDigestAlgorithm<?, ?> jjwt() {
        return jjwt;
    }
}
