package io.parley.chat.auth;

import io.jsonwebtoken.JwtParserBuilder;
import io.jsonwebtoken.Jwts;

import javax.crypto.spec.SecretKeySpec;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.Optional;

/**
 * Builds the jjwt parsers, one per (key, algorithm): only that algorithm is registered, JWE and compressed
 * payloads are switched off (neither is part of the protocol, and compression invites zip bombs), unsigned
 * tokens stay refused (jjwt's default), and the configured clock, leeway, issuer and audience apply.
 */
final class PinnedParsers {

    private final AuthSettings settings;
    private final Clock clock;

    PinnedParsers(AuthSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** A parser for an HMAC secret; only for algorithms whose minimum key length the secret meets. */
    VerificationKey hmac(byte[] secret, SigningAlgorithm algorithm) {
        if (!algorithm.isHmac() || secret.length < algorithm.minSecretBytes()) {
            throw new IllegalArgumentException(algorithm + " cannot be used with a " + secret.length + "-byte secret");
        }
        return new VerificationKey(algorithm,
                builder(algorithm).verifyWith(new SecretKeySpec(secret, algorithm.hmacJcaName())).build());
    }

    /**
     * A parser for a public key: RSA of at least 2048 bits pins RS256, EC on P-256 pins ES256; any other key
     * is of no use to the protocol and gives none.
     */
    Optional<VerificationKey> publicKey(PublicKey key) {
        SigningAlgorithm algorithm;
        if (key instanceof RSAPublicKey rsa && PemPublicKeys.isStrongEnough(rsa)) {
            algorithm = SigningAlgorithm.RS256;
        } else if (key instanceof ECPublicKey ec && PemPublicKeys.isP256(ec)) {
            algorithm = SigningAlgorithm.ES256;
        } else {
            return Optional.empty();
        }
        return Optional.of(new VerificationKey(algorithm, builder(algorithm).verifyWith(key).build()));
    }

    private JwtParserBuilder builder(SigningAlgorithm algorithm) {
        JwtParserBuilder builder = Jwts.parser()
                .sig().clear().add(algorithm.jjwt()).and()
                .key().clear().and()
                .enc().clear().and()
                .zip().clear().and()
                .json(new ClaimsJsonDeserializer())
                .clock(() -> Date.from(clock.instant()))
                .clockSkewSeconds(wholeSecondsRoundedUp(settings.leeway()));
        settings.issuer().ifPresent(builder::requireIssuer);
        settings.audience().ifPresent(builder::requireAudience);
        return builder;
    }

    /** jjwt takes whole seconds; JWT times are whole seconds too, so rounding up loses nothing. */
    private static long wholeSecondsRoundedUp(Duration leeway) {
        return leeway.toSeconds() + (leeway.toNanosPart() > 0 ? 1 : 0);
    }
}
