package io.parley.chat.connection.websocket;

/**
 * What one socket's protocol logic receives from the WebSocket layer. All calls but {@link #ended} come on the
 * socket's reader thread, one at a time; {@link #ended} comes exactly once, on whichever thread saw the end.
 */
public interface SocketHandler {

    /** The upgrade is done; {@code socket} is how to send and close. */
    void opened(WebSocket socket);

    /** A complete, valid UTF-8 text message. */
    void text(String text);

    /** A complete binary message (Parley's protocol has none). */
    void binary(int length);

    /** Any frame arrived: the peer is alive (pings, pongs and data all count). */
    void alive();

    /** The socket is gone (closed by either side, failed, or cut): clean up. */
    void ended();
}
