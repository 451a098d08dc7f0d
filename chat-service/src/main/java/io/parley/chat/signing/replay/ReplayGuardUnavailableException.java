package io.parley.chat.signing.replay;

/** The replay store cannot be reached: the request is refused (503) rather than let through unchecked. */
public final class ReplayGuardUnavailableException extends RuntimeException {

    public ReplayGuardUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
