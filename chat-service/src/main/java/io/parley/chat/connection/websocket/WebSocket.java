package io.parley.chat.connection.websocket;

/** One open WebSocket, as the protocol logic drives it. Every method is thread-safe and none blocks. */
public interface WebSocket {

    /**
     * Queues a frame; false when the socket's outbound queue is full (a slow consumer). Queued from the socket's reader
     * thread, it goes out when the handling of the current frame has returned (written by the reader itself).
     */
    boolean send(Outgoing frame);

    /**
     * Starts the close handshake: after what is queued (or dropping it, with {@code discardPending}) the close frame
     * is written; the TCP connection is cut when the peer answers, or after a short grace period when it does not.
     * From now on nothing the peer sends is passed on. Idempotent.
     */
    void close(int code, String reason, boolean discardPending);

    /** Cuts the TCP connection now, without a close frame (a silent or stuck peer). */
    void terminate();

    /** Items waiting in the outbound queue. */
    int queued();
}
