package io.parley.chat.connection.websocket;

/** The close codes RFC 6455 itself defines, and which codes a peer may put in a close frame (§7.4). */
public final class RfcCloseCodes {

    public static final int NORMAL = 1000;
    public static final int PROTOCOL_ERROR = 1002;
    public static final int INVALID_DATA = 1007;
    public static final int TOO_BIG = 1009;
    /** Reported when a close frame had no code; never sent on the wire. */
    public static final int NO_STATUS = 1005;
    /** Reported when the connection ended without a close frame; never sent on the wire. */
    public static final int ABNORMAL = 1006;
    /** The server met a condition it did not expect (a defect of the server, never the peer's fault). */
    public static final int INTERNAL_ERROR = 1011;

    private RfcCloseCodes() {
    }

    /** Whether a peer may send this code in a close frame: the registered 1000-1014 less the reserved ones, or 3000-4999. */
    public static boolean allowedOnWire(int code) {
        if (code >= 3000 && code <= 4999) {
            return true;
        }
        return code >= 1000 && code <= 1014 && code != 1004 && code != 1005 && code != 1006;
    }
}
