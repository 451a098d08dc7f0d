package io.parley.chat.auth;

import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.InvalidClaimException;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.PrematureJwtException;
import io.jsonwebtoken.UnsupportedJwtException;
import io.jsonwebtoken.security.SignatureException;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link TokenVerifier} for the monolith's JWTs (protocol.md §1 "JWT claims"), built on jjwt.
 *
 * <p><b>Keys and pinned algorithms.</b> Each configured key verifies exactly the algorithms its type
 * allows, with a jjwt parser that registers nothing else:
 * <ul>
 *   <li>a shared secret ({@code PARLEY_JWT_SECRETS}) verifies HS256, and HS384 / HS512 only if it is at
 *       least 48 / 64 bytes long (RFC 7518 §3.2, which jjwt enforces). A token whose HMAC algorithm no
 *       configured secret is long enough for (say HS512 with 32-byte secrets) is refused with reason
 *       {@code algorithm} and a message saying how long the secret must be, rather than verified with a
 *       key shorter than the hash;</li>
 *   <li>an RSA public key of at least 2048 bits verifies RS256 only; an EC P-256 public key ES256 only;
 *       from PEM files ({@code PARLEY_JWT_PUBLIC_KEYS}) or a JWKS ({@code PARLEY_JWKS_URL}).</li>
 * </ul>
 * HS* tokens are therefore refused when no secret is configured, RS256 and ES256 when no key of that type
 * is, and {@code alg: none}, unsigned tokens, JWE and every other algorithm always. RS/HS confusion (an
 * HS256 token whose "secret" is the RSA public key) cannot verify: an HS token is only ever checked
 * against the shared secrets.
 *
 * <p><b>Choosing the key.</b> The {@code alg} and {@code kid} headers select the candidates (untrusted, for
 * routing only): all secrets long enough for the algorithm, in configured order (two during a rotation:
 * each is tried); all PEM keys of the type; from the JWKS, the key with the token's {@code kid} (an unknown
 * {@code kid} triggers at most one re-fetch per 30 s, see {@link JwksKeySource}) or, for a token without
 * {@code kid}, every JWKS key of the type. The first candidate whose signature matches wins.
 *
 * <p><b>Claims.</b> {@code exp} is required (jjwt alone would accept a token without one); {@code exp},
 * {@code nbf} and {@code iat} are checked with the configured leeway (rounded up to whole seconds);
 * {@code iss} and {@code aud} when configured; {@code sub} is required, a JSON integer being read as its
 * decimal string, non-blank and at most 128 characters; {@code name} is an optional string of at most 64
 * characters (the user id when absent or blank); {@code rooms} an optional list whose entries are room
 * names or prefixes ending in {@code *} (see {@link RoomAccess}).
 *
 * <p><b>Errors</b> are {@link AuthException}s with the reasons listed there; messages are written here,
 * never copied from jjwt, and never contain the token, a key, or a header value the client sent.
 *
 * <p>Thread-safe; the only I/O is the JWKS fetch.
 */
public final class JjwtTokenVerifier implements TokenVerifier {

    private final Map<SigningAlgorithm, List<VerificationKey>> staticKeys;
    private final boolean hmacConfigured;
    private final Optional<JwksKeySource> jwks;
    private final ClaimsReader claimsReader;

    /** A verifier on the system clock. */
    public JjwtTokenVerifier(AuthSettings settings) {
        this(settings, Clock.systemUTC());
    }

    /** A verifier on the given clock, which times {@code exp}/{@code nbf}/{@code iat} and the JWKS cache. */
    public JjwtTokenVerifier(AuthSettings settings, Clock clock) {
        PinnedParsers parsers = new PinnedParsers(settings, clock);
        this.staticKeys = staticKeys(settings, parsers);
        this.hmacConfigured = !settings.hmacSecrets().isEmpty();
        this.jwks = settings.jwksUrl().map(url -> new JwksKeySource(url,
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                        .followRedirects(HttpClient.Redirect.NORMAL).build(),
                clock, parsers));
        this.claimsReader = new ClaimsReader(clock, settings.leeway());
    }

    @Override
    public Principal verify(String token) throws AuthException {
        TokenHeader header = TokenHeader.peek(token);
        SigningAlgorithm algorithm = SigningAlgorithm.byJwaName(header.alg()).orElseThrow(() ->
                new AuthException("algorithm", "token algorithm is not accepted (HS256, HS384, HS512, RS256 or ES256)"));
        return claimsReader.read(verifySignature(token, candidates(algorithm, header.kid())));
    }

    private List<VerificationKey> candidates(SigningAlgorithm algorithm, Optional<String> kid) throws AuthException {
        if (algorithm.isHmac()) {
            return hmacCandidates(algorithm);
        }
        List<VerificationKey> candidates = new ArrayList<>();
        boolean kidUnknown = false;
        if (jwks.isPresent()) {
            if (kid.isPresent()) {
                Optional<VerificationKey> key = jwks.get().byKid(kid.get());
                if (key.isPresent() && key.get().algorithm() != algorithm) {
                    throw new AuthException("algorithm", "token algorithm does not match its signing key");
                }
                key.ifPresent(candidates::add);
                kidUnknown = key.isEmpty();
            } else {
                jwks.get().all().stream().filter(k -> k.algorithm() == algorithm).forEach(candidates::add);
            }
        }
        candidates.addAll(staticKeys.getOrDefault(algorithm, List.of()));
        if (candidates.isEmpty() && kidUnknown) {
            throw new AuthException("unknown_key", "token signing key (kid) is not known");
        }
        if (candidates.isEmpty()) {
            throw new AuthException("algorithm", algorithm + " tokens are not accepted: no "
                    + (algorithm == SigningAlgorithm.RS256 ? "RSA" : "EC P-256") + " public key is configured");
        }
        return candidates;
    }

    private List<VerificationKey> hmacCandidates(SigningAlgorithm algorithm) throws AuthException {
        if (!hmacConfigured) {
            throw new AuthException("algorithm", algorithm + " tokens are not accepted: no shared secret is configured");
        }
        List<VerificationKey> candidates = staticKeys.getOrDefault(algorithm, List.of());
        if (candidates.isEmpty()) {
            throw new AuthException("algorithm", algorithm + " tokens need a shared secret of at least "
                    + algorithm.minSecretBytes() + " bytes; the configured ones are shorter");
        }
        return candidates;
    }

    private static Claims verifySignature(String token, List<VerificationKey> candidates) throws AuthException {
        for (VerificationKey candidate : candidates) {
            try {
                return candidate.parser().parseSignedClaims(token).getPayload();
            } catch (SignatureException e) {
                // Not this key; during a rotation the next one may be the right one.
            } catch (JwtException | IllegalArgumentException e) {
                // The signature verified (jjwt checks claims after it) or the token is broken: stop here.
                throw refusal(e);
            }
        }
        throw new AuthException("signature", "token signature is not valid");
    }

    /** Maps jjwt's exceptions to the stable reasons of {@link AuthException}, with our own messages. */
    private static AuthException refusal(RuntimeException e) {
        if (e instanceof ExpiredJwtException) {
            return new AuthException("expired", "token has expired");
        }
        if (e instanceof PrematureJwtException) {
            return new AuthException("not_yet_valid", "token is not valid yet (nbf)");
        }
        if (e instanceof InvalidClaimException claim) {
            return switch (claim.getClaimName()) {
                case "iss" -> new AuthException("issuer", "token issuer (iss) is not accepted");
                case "aud" -> new AuthException("audience", "token audience (aud) is not accepted");
                default -> new AuthException("claims", "token claim '" + claim.getClaimName() + "' is not accepted");
            };
        }
        if (e instanceof UnsupportedJwtException) {
            // Unsigned tokens and JWE never get here (TokenHeader refuses them): what is left is a payload
            // that is not a JSON claims set.
            return new AuthException("malformed", "token payload is not a JSON claims set");
        }
        if (e instanceof io.jsonwebtoken.security.SecurityException) {
            return new AuthException("signature", "token signature cannot be verified");
        }
        return new AuthException("malformed", "token is malformed or a claim has the wrong type");
    }

    private static Map<SigningAlgorithm, List<VerificationKey>> staticKeys(AuthSettings settings, PinnedParsers parsers) {
        Map<SigningAlgorithm, List<VerificationKey>> keys = new EnumMap<>(SigningAlgorithm.class);
        for (String secret : settings.hmacSecrets()) {
            byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
            for (SigningAlgorithm algorithm : SigningAlgorithm.values()) {
                if (algorithm.isHmac() && bytes.length >= algorithm.minSecretBytes()) {
                    keys.computeIfAbsent(algorithm, a -> new ArrayList<>()).add(parsers.hmac(bytes, algorithm));
                }
            }
        }
        for (Path pem : settings.publicKeyPems()) {
            VerificationKey key = parsers.publicKey(PemPublicKeys.read(pem)).orElseThrow(() ->
                    new IllegalArgumentException(PemPublicKeys.VARIABLE + ": " + pem + " is not an RS256 or ES256 key"));
            keys.computeIfAbsent(key.algorithm(), a -> new ArrayList<>()).add(key);
        }
        keys.replaceAll((algorithm, list) -> List.copyOf(list));
        return keys;
    }
}
