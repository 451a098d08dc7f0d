package io.parley.chat.signing;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature itself: {@code Parley-Signature: t=<unix seconds>,v1=<hex>} where
 * {@code hex = HMAC-SHA256(secret, t + "." + METHOD + "." + path_and_query + "." + body)}.
 *
 * <p>The method and the request target are signed with the body so that a captured signature cannot be replayed
 * against another endpoint; the timestamp bounds how long it can be replayed at all ({@link #TOLERANCE}).
 */
public final class ParleySignature {

    public static final String HEADER = "Parley-Signature";
    /** Receivers refuse a {@code t} further than this from their clock, in either direction. */
    public static final Duration TOLERANCE = Duration.ofSeconds(300);
    static final String SCHEME = "v1";
    private static final String HMAC = "HmacSHA256";

    private ParleySignature() {
    }

    /** The lower-case hex HMAC of one request. {@code body} is the raw bytes as sent (empty for a GET). */
    public static String hex(String secret, long t, String method, String pathAndQuery, byte[] body) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC));
            mac.update((t + "." + method.toUpperCase(Locale.ROOT) + "." + pathAndQuery + ".")
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            // HmacSHA256 is mandatory in every JDK and any non-empty key is valid for it.
            throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
        }
    }

    /** The header value for one request signed at {@code t}. */
    public static String header(String secret, long t, String method, String pathAndQuery, byte[] body) {
        return "t=" + t + "," + SCHEME + "=" + hex(secret, t, method, pathAndQuery, body);
    }
}
