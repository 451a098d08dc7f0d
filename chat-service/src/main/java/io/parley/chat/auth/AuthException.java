package io.parley.chat.auth;

/**
 * A token was refused. {@link #reason()} is a short stable word used as a metrics label
 * ({@code expired}, {@code signature}, {@code algorithm}, {@code claims}, {@code malformed},
 * {@code issuer}, {@code audience}, {@code not_yet_valid}, {@code revoked}, {@code unknown_key});
 * the message is safe to show to the client and never contains the token.
 */
public final class AuthException extends Exception {

    private final String reason;

    public AuthException(String reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
