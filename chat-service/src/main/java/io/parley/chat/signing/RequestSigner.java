package io.parley.chat.signing;

import java.time.Clock;

/** Signs outgoing requests with one secret at the current time. Thread-safe. */
public final class RequestSigner {

    private final String secret;
    private final Clock clock;

    public RequestSigner(String secret, Clock clock) {
        this.secret = secret;
        this.clock = clock;
    }

    /** The {@code Parley-Signature} header value for a request about to be sent. */
    public String sign(String method, String pathAndQuery, byte[] body) {
        return ParleySignature.header(secret, clock.instant().getEpochSecond(), method, pathAndQuery, body);
    }
}
