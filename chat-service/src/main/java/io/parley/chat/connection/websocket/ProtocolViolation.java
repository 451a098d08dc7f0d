package io.parley.chat.connection.websocket;

/**
 * A peer broke RFC 6455 (or a frame limit): the socket is closed with {@link #closeCode()}. Carries no stack trace:
 * it is the peer's error, not ours, and a hostile peer must not be able to fill the log with traces.
 */
public final class ProtocolViolation extends Exception {

    private final int closeCode;

    public ProtocolViolation(int closeCode, String reason) {
        super(reason, null, false, false);
        this.closeCode = closeCode;
    }

    public int closeCode() {
        return closeCode;
    }
}
