package io.parley.chat.auth;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How tokens are verified: which keys, which issuer and audience, how much clock leeway.
 *
 * <p>The constructor validates everything a deployment can get wrong and throws
 * {@link IllegalArgumentException} with one line that names the environment variable at fault, so the
 * service refuses to start rather than refusing every user later: a secret under 32 bytes
 * ({@code PARLEY_JWT_SECRETS}), no key source at all, a PEM file that is unreadable or not a usable public
 * key ({@code PARLEY_JWT_PUBLIC_KEYS}, with the file), a JWKS URL that is not absolute http(s)
 * ({@code PARLEY_JWKS_URL}), a blank issuer or audience, a negative leeway. Messages never contain a secret.
 *
 * <p>Secrets are used as their UTF-8 bytes, exactly as given (no base64 decoding), which is what Ruby's
 * {@code JWT.encode(payload, secret, "HS256")} does on the monolith side.
 *
 * @param hmacSecrets   shared secrets for HS256/HS384/HS512; two during a rotation (each is tried)
 * @param publicKeyPems PEM files with RSA (RS256) or EC P-256 (ES256) public keys
 * @param jwksUrl       a JWKS document with more public keys, chosen by {@code kid}
 * @param issuer        when present, tokens must carry exactly this {@code iss}
 * @param audience      when present, tokens' {@code aud} must contain it
 * @param leeway        clock leeway for {@code exp}, {@code nbf} and {@code iat}
 */
public record AuthSettings(List<String> hmacSecrets, List<Path> publicKeyPems, Optional<URI> jwksUrl,
                           Optional<String> issuer, Optional<String> audience, Duration leeway) {

    /** The protocol's default for {@code PARLEY_JWT_LEEWAY}. */
    public static final Duration DEFAULT_LEEWAY = Duration.ofSeconds(2);
    /** The shortest shared secret accepted (256 bits, what HS256 needs). */
    public static final int MIN_SECRET_BYTES = 32;

    public AuthSettings {
        hmacSecrets = List.copyOf(Objects.requireNonNull(hmacSecrets, "hmacSecrets"));
        publicKeyPems = List.copyOf(Objects.requireNonNull(publicKeyPems, "publicKeyPems"));
        Objects.requireNonNull(jwksUrl, "jwksUrl");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(leeway, "leeway");
        for (int i = 0; i < hmacSecrets.size(); i++) {
            int bytes = hmacSecrets.get(i).getBytes(StandardCharsets.UTF_8).length;
            if (bytes < MIN_SECRET_BYTES) {
                throw new IllegalArgumentException("PARLEY_JWT_SECRETS: secret #" + (i + 1) + " is " + bytes
                        + " bytes; each secret must be at least " + MIN_SECRET_BYTES + " bytes");
            }
        }
        if (hmacSecrets.isEmpty() && publicKeyPems.isEmpty() && jwksUrl.isEmpty()) {
            throw new IllegalArgumentException(
                    "no JWT key configured: set PARLEY_JWT_SECRETS, PARLEY_JWT_PUBLIC_KEYS or PARLEY_JWKS_URL");
        }
        publicKeyPems.forEach(PemPublicKeys::read);
        jwksUrl.ifPresent(AuthSettings::requireHttpUrl);
        if (issuer.filter(String::isBlank).isPresent()) {
            throw new IllegalArgumentException("PARLEY_JWT_ISSUER: must not be blank when set");
        }
        if (audience.filter(String::isBlank).isPresent()) {
            throw new IllegalArgumentException("PARLEY_JWT_AUDIENCE: must not be blank when set");
        }
        if (leeway.isNegative()) {
            throw new IllegalArgumentException("PARLEY_JWT_LEEWAY: must not be negative");
        }
    }

    /** Never prints the secrets, only how many there are: settings end up in startup logs. */
    @Override
    public String toString() {
        return "AuthSettings[hmacSecrets=" + hmacSecrets.size() + " secret(s), publicKeyPems=" + publicKeyPems
                + ", jwksUrl=" + jwksUrl.map(u -> u.getScheme() + "://" + u.getAuthority() + "/…").orElse("none")
                + ", issuer=" + issuer.orElse("any") + ", audience=" + audience.orElse("any")
                + ", leeway=" + leeway + "]";
    }

    private static void requireHttpUrl(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!url.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
            throw new IllegalArgumentException("PARLEY_JWKS_URL: must be an absolute http:// or https:// URL");
        }
    }
}
