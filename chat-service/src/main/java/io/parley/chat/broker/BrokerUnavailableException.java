package io.parley.chat.broker;

/**
 * The broker cannot accept durably right now (e.g. Redis unreachable, or the replicas did not confirm in time). The
 * caller may retry: with the same ref a retry returns the message if it was stored after all.
 */
public final class BrokerUnavailableException extends RuntimeException {

    public BrokerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
