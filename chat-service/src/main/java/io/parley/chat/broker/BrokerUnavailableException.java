package io.parley.chat.broker;

/** The broker cannot accept durably right now (e.g. Redis unreachable): nothing was stored, the caller may retry. */
public final class BrokerUnavailableException extends RuntimeException {

    public BrokerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
