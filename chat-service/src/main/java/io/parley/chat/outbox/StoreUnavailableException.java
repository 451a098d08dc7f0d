package io.parley.chat.outbox;

/** The outbox or dead-letter store cannot be reached right now (Redis unreachable); nothing was changed. */
public final class StoreUnavailableException extends RuntimeException {

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
