package io.parley.chat.connection.websocket;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Method;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.spi.Http1Upgrader;
import io.helidon.webserver.spi.ServerConnection;

/**
 * The opening handshake (RFC 6455 §4.2) for the endpoint's path: GET only, one allowed {@code Origin} at most (two
 * are refused: the browser sends one, and judging only the first would let a forged second pass), a 16-byte key,
 * version 13, and 503 while draining. Refusals are plain HTTP answers; no socket is created for them.
 */
final class WebSocketUpgrader implements Http1Upgrader {

    private static final HeaderName KEY = HeaderNames.create("Sec-WebSocket-Key");
    private static final HeaderName VERSION = HeaderNames.create("Sec-WebSocket-Version");
    private static final byte[] GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11".getBytes(StandardCharsets.US_ASCII);

    private final WebSocketEndpoint endpoint;

    WebSocketUpgrader(WebSocketEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public String supportedProtocol() {
        return "websocket";
    }

    @Override
    public ServerConnection upgrade(ConnectionContext ctx, HttpPrologue prologue, WritableHeaders<?> headers) {
        if (!endpoint.path().equals(prologue.uriPath().path())) {
            return null; // not ours: routed as a plain request (404)
        }
        if (prologue.method() != Method.GET) {
            throw refusal(DirectHandler.EventType.BAD_REQUEST, Status.BAD_REQUEST_400, "WebSocket upgrade must use GET");
        }
        List<String> origins = headers.all(HeaderNames.ORIGIN, List::of);
        if (origins.size() > 1 || (origins.size() == 1 && !endpoint.originAllowed(origins.getFirst()))) {
            throw refusal(DirectHandler.EventType.FORBIDDEN, Status.FORBIDDEN_403, "origin not allowed");
        }
        if (!endpoint.accepting()) {
            throw refusal(DirectHandler.EventType.OTHER, Status.SERVICE_UNAVAILABLE_503, "draining");
        }
        if (!"13".equals(headers.first(VERSION).orElse(""))) {
            throw RequestException.builder().type(DirectHandler.EventType.BAD_REQUEST)
                    .status(Status.UPGRADE_REQUIRED_426).header(HeaderValues.create(VERSION, "13"))
                    .message("unsupported WebSocket version").build();
        }
        String key = headers.first(KEY).orElse("");
        if (!validKey(key)) {
            throw refusal(DirectHandler.EventType.BAD_REQUEST, Status.BAD_REQUEST_400, "invalid Sec-WebSocket-Key");
        }
        byte[] response = ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + accept(key) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        ctx.dataWriter().writeNow(BufferData.create(response));
        return new WebSocketConnection(ctx, endpoint.newHandler(), endpoint.maxMessageBytes(),
                endpoint.outboundQueue());
    }

    private static boolean validKey(String key) {
        try {
            return Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static String accept(String key) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(key.getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1.digest(GUID));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-1", e);
        }
    }

    private static RequestException refusal(DirectHandler.EventType type, Status status, String message) {
        return RequestException.builder().type(type).status(status).message(message).build();
    }
}
