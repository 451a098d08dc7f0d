package io.parley.chat.signing;

/**
 * A request's signature was refused. {@link #reason()} is a short stable word ({@code missing}, {@code malformed},
 * {@code stale}, {@code mismatch}, {@code unconfigured}); the message is safe to return to the caller and never
 * contains the header, a secret or the expected signature.
 */
public final class SignatureException extends Exception {

    private final String reason;

    public SignatureException(String reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
