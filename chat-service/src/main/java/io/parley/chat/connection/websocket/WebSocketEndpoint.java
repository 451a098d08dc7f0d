package io.parley.chat.connection.websocket;

/** What the upgrade needs from the application: where sockets live, who may open one, and a handler per socket. */
public interface WebSocketEndpoint {

    /** The request path that upgrades, e.g. {@code /ws}. */
    String path();

    /** False while draining: upgrades are refused with 503. */
    boolean accepting();

    /** Whether a browser page from this origin may open a socket. */
    boolean originAllowed(String origin);

    /** Largest client message, in bytes, however fragmented; larger closes 1009. */
    int maxMessageBytes();

    /** Outbound frames queued for a socket before {@link WebSocket#send} reports it full. */
    int outboundQueue();

    SocketHandler newHandler();
}
