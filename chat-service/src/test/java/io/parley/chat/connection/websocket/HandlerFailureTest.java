package io.parley.chat.connection.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.WebServer;
import io.parley.chat.observe.JsonLogFormatter;
import io.parley.chat.protocol.Json;
import io.parley.chat.testing.CapturedLog;
import io.parley.chat.testing.Eventually;
import io.parley.chat.testing.RawWsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A defect of ours in the protocol logic (a handler that throws) is not the peer's fault: the socket is closed with
 * 1011, the failure is logged once (a JSON line carries the socket's connection id), and nothing more from that
 * socket reaches the handler. The WebSocket layer alone, on a real server, with a handler that fails on purpose.
 */
class HandlerFailureTest {

    private static final String CONNECTION_ID = "c-failing";
    private final AtomicInteger texts = new AtomicInteger();
    private final AtomicInteger ended = new AtomicInteger(-1);
    private WebServer server;

    @BeforeEach
    void start() {
        WebSocketEndpoint endpoint = new WebSocketEndpoint() {
            @Override
            public String path() {
                return "/ws";
            }

            @Override
            public boolean accepting() {
                return true;
            }

            @Override
            public boolean originAllowed(String origin) {
                return false;
            }

            @Override
            public int maxMessageBytes() {
                return 64 * 1024;
            }

            @Override
            public int outboundQueue() {
                return 16;
            }

            @Override
            public SocketHandler newHandler() {
                return new FailingHandler();
            }
        };
        server = WebServer.builder().port(0).host("127.0.0.1").useNio(false).featuresDiscoverServices(false)
                .addProtocol(new WebSocketProtocol(endpoint)).build().start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void aHandlerThatThrowsClosesTheSocket1011AndIsLoggedOnce() throws Exception {
        Logger logger = Logger.getLogger(WebSocketConnection.class.getName());
        try (CapturedLog log = CapturedLog.on(logger);
             RawWsClient client = RawWsClient.open(server.port())) {
            log.setFormatter(new JsonLogFormatter("test-instance"));
            client.sendText("first");
            client.sendText("second"); // already closing: must not reach the handler
            OptionalInt code = client.readUntilClose();

            assertEquals(OptionalInt.of(1011), code);
            assertEquals(1, texts.get(), "nothing after the failure reaches the handler");
            List<String> failures = log.records().stream().filter(r -> r.getLevel() == Level.WARNING)
                    .map(java.util.logging.LogRecord::getMessage).toList();
            assertEquals(1, failures.size(), "one warning: " + failures);
            JsonNode line = Json.MAPPER.readTree(log.lines().getFirst());
            assertEquals(CONNECTION_ID, line.path("connection").asText(), "the socket's id in the JSON line: " + line);
        }
        Eventually.until("the socket's end reaches the handler with its code", () -> ended.get() == 1011,
                Duration.ofSeconds(5));
    }

    private final class FailingHandler implements SocketHandler {
        @Override
        public String connectionId() {
            return CONNECTION_ID;
        }

        @Override
        public void opened(WebSocket socket) {
        }

        @Override
        public void text(String text) {
            texts.incrementAndGet();
            throw new IllegalStateException("a defect of ours");
        }

        @Override
        public void binary(int length) {
        }

        @Override
        public void alive() {
        }

        @Override
        public void sampleWritten(long sampleSince) {
        }

        @Override
        public void ended(int closeCode) {
            ended.set(closeCode);
        }
    }
}
