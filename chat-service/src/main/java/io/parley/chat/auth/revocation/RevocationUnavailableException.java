package io.parley.chat.auth.revocation;

/** The revocation store cannot be read right now (Redis unreachable). */
public final class RevocationUnavailableException extends RuntimeException {

    public RevocationUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
