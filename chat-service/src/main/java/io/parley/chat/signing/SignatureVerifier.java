package io.parley.chat.signing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks {@code Parley-Signature} headers against one or more secrets (two during a rotation).
 *
 * <p>A header may carry several {@code v1} values (a sender in the middle of a rotation may sign with both secrets);
 * unknown schemes are ignored. Every expected value is compared with every candidate in constant time and without
 * stopping at the first match, so timing says nothing about which secret matched. Thread-safe.
 */
public final class SignatureVerifier {

    private static final Pattern SECONDS = Pattern.compile("^\\d{1,12}$");

    private final List<String> secrets;
    private final Duration tolerance;
    private final Clock clock;

    public SignatureVerifier(List<String> secrets, Duration tolerance, Clock clock) {
        this.secrets = List.copyOf(secrets);
        this.tolerance = tolerance;
        this.clock = clock;
    }

    /** A parsed header whose timestamp is within the tolerance; what is left is the HMAC check. */
    public record Fresh(long t, List<String> candidates) {
    }

    /** The last moment at which a request signed at {@code fresh.t()} passes the timestamp check. */
    public Instant validUntil(Fresh fresh) {
        return Instant.ofEpochSecond(fresh.t()).plus(tolerance);
    }

    /**
     * Parses the header and checks its timestamp. Cheap, and needs no body: a receiver runs it before it reads one.
     *
     * @throws SignatureException missing, malformed, stale, or unconfigured (no secret: every request is refused)
     */
    public Fresh fresh(Optional<String> header) throws SignatureException {
        if (secrets.isEmpty()) {
            throw new SignatureException("unconfigured", "the server API is disabled: no API secret is configured");
        }
        if (header.isEmpty() || header.get().isBlank()) {
            throw new SignatureException("missing", ParleySignature.HEADER + " header is missing");
        }
        List<String> ts = new ArrayList<>(1);
        List<String> candidates = new ArrayList<>(2);
        for (String part : header.get().split(",")) {
            String[] kv = part.strip().split("=", 2);
            if (kv.length == 2 && kv[0].equals("t")) {
                ts.add(kv[1]);
            } else if (kv.length == 2 && kv[0].equals(ParleySignature.SCHEME) && !kv[1].isEmpty()) {
                candidates.add(kv[1]);
            }
        }
        if (ts.size() != 1 || !SECONDS.matcher(ts.getFirst()).matches() || candidates.isEmpty()) {
            throw new SignatureException("malformed",
                    ParleySignature.HEADER + " header is not t=<unix seconds>,v1=<hex>");
        }
        long t = Long.parseLong(ts.getFirst());
        if (Math.abs(clock.instant().getEpochSecond() - t) > tolerance.toSeconds()) {
            throw new SignatureException("stale", "signature timestamp is more than " + tolerance.toSeconds()
                    + " s away from this server's clock");
        }
        return new Fresh(t, List.copyOf(candidates));
    }

    /**
     * Checks the HMAC of a fresh header over the request as received.
     *
     * @param pathAndQuery the request target exactly as sent, e.g. {@code /api/v1/rooms/r/messages?limit=5}
     * @return the signature that matched (lower-case hex): what a replay guard remembers
     * @throws SignatureException mismatch
     */
    public String verify(Fresh fresh, String method, String pathAndQuery, byte[] body) throws SignatureException {
        String matched = null;
        for (String secret : secrets) {
            String expected = ParleySignature.hex(secret, fresh.t(), method, pathAndQuery, body);
            byte[] expectedBytes = expected.getBytes(StandardCharsets.US_ASCII);
            for (String candidate : fresh.candidates()) {
                if (MessageDigest.isEqual(expectedBytes, candidate.getBytes(StandardCharsets.US_ASCII))) {
                    matched = expected;
                }
            }
        }
        if (matched == null) {
            throw new SignatureException("mismatch", "signature does not match this request");
        }
        return matched;
    }

    /** {@link #fresh} then {@link #verify}. */
    public String verify(Optional<String> header, String method, String pathAndQuery, byte[] body)
            throws SignatureException {
        return verify(fresh(header), method, pathAndQuery, body);
    }
}
