package io.parley.chat.connection.websocket;

import io.helidon.webserver.ProtocolConfigs;
import io.helidon.webserver.http1.spi.Http1UpgradeProvider;
import io.helidon.webserver.http1.spi.Http1Upgrader;

/** Helidon's service-loader entry for {@link WebSocketProtocol}: one upgrader per configured endpoint. */
public final class WebSocketUpgradeProvider implements Http1UpgradeProvider<WebSocketProtocol> {

    /** Required by the service loader. */
    public WebSocketUpgradeProvider() {
    }

    @Override
    public String protocolType() {
        return WebSocketProtocol.TYPE;
    }

    @Override
    public Class<WebSocketProtocol> protocolConfigType() {
        return WebSocketProtocol.class;
    }

    @Override
    public Http1Upgrader create(WebSocketProtocol config, ProtocolConfigs configs) {
        return new WebSocketUpgrader(config.endpoint());
    }
}
