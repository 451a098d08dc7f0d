package io.parley.chat.connection.websocket;

/**
 * What one socket's protocol logic receives from the WebSocket layer. All calls but {@link #ended} come on the
 * socket's reader thread, one at a time; {@link #ended} comes exactly once, on whichever thread saw the end.
 */
public interface SocketHandler {

    /** The socket's id in log lines (the id its client is told, so that one socket can be followed in the logs). */
    String connectionId();

    /** The upgrade is done; {@code socket} is how to send and close. */
    void opened(WebSocket socket);

    /** A complete, valid UTF-8 text message. */
    void text(String text);

    /** A complete binary message (Parley's protocol has none). */
    void binary(int length);

    /** Any frame arrived: the peer is alive (pings, pongs and data all count). */
    void alive();

    /** A frame sampled for the delivery metric was written (see {@link Outgoing.Text#sampleSince}). */
    void sampleWritten(long sampleSince);

    /**
     * The socket is gone: clean up. {@code closeCode} is the code of the close handshake (the server's when it
     * closed, the peer's when the peer did: 1005 for a close frame without one), 1006 when the TCP connection ended
     * without a close frame.
     */
    void ended(int closeCode);
}
