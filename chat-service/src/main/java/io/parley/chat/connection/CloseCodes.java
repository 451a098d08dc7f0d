package io.parley.chat.connection;

/** WebSocket close codes of protocol §1. */
public final class CloseCodes {

    public static final int SERVICE_RESTART = 1012;
    public static final int PROTOCOL_ABUSE = 4400;
    public static final int UNAUTHORIZED = 4401;
    public static final int DISCONNECTED = 4403;
    public static final int AUTH_TIMEOUT = 4408;
    public static final int LIMITS = 4429;
    public static final int SLOW_CONSUMER = 4503;

    private CloseCodes() {
    }
}
