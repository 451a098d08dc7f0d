package io.parley.chat.connection.websocket;

import io.helidon.webserver.spi.ProtocolConfig;

/**
 * Adds Parley's WebSocket endpoint to a listener: {@code WebServer.builder().addProtocol(new WebSocketProtocol(e))}.
 * Helidon finds {@link WebSocketUpgradeProvider} through the service loader and hands it this configuration.
 *
 * @param endpoint the application side of the sockets
 */
public record WebSocketProtocol(WebSocketEndpoint endpoint) implements ProtocolConfig {

    static final String TYPE = "parley-websocket";

    @Override
    public String name() {
        return TYPE;
    }

    @Override
    public String type() {
        return TYPE;
    }
}
