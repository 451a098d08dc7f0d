package io.parley.chat.observe;

import io.helidon.logging.common.HelidonMdc;

/**
 * Log lines about one socket, with its connection id in the log context, so that a JSON line carries it as
 * {@code connection} (the id the client was told in {@code welcome}) and an operator can follow one socket. The id is
 * put in the context only for the call: an idle socket's thread holds no log context.
 */
public final class ConnectionLog {

    private ConnectionLog() {
    }

    /** Logs {@code message} (and {@code thrown}, when not null) about the socket {@code connectionId}. */
    public static void log(System.Logger logger, System.Logger.Level level, String connectionId, String message,
                           Throwable thrown) {
        HelidonMdc.set(JsonLogFormatter.CONNECTION, connectionId);
        try {
            logger.log(level, message, thrown); // a null thrown logs the message alone
        } finally {
            HelidonMdc.remove(JsonLogFormatter.CONNECTION);
        }
    }
}
