package io.parley.chat.connection;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.WebServer;
import io.parley.chat.auth.Principal;
import io.parley.chat.auth.RoomAccess;
import io.parley.chat.broker.Broker;
import io.parley.chat.broker.BrokerListener;
import io.parley.chat.broker.History;
import io.parley.chat.broker.MemoryBroker;
import io.parley.chat.broker.MessageDraft;
import io.parley.chat.broker.OutboxSink;
import io.parley.chat.broker.Published;
import io.parley.chat.config.Limits;
import io.parley.chat.connection.websocket.WebSocketProtocol;
import io.parley.chat.core.ChatNode;
import io.parley.chat.model.ControlEvent;
import io.parley.chat.model.RoomEvent;
import io.parley.chat.observe.JsonLogFormatter;
import io.parley.chat.observe.ParleyMetrics;
import io.parley.chat.outbox.MembershipEvents;
import io.parley.chat.presence.MemoryPresenceStore;
import io.parley.chat.protocol.FrameCodec;
import io.parley.chat.protocol.Json;
import io.parley.chat.testing.CapturedLog;
import io.parley.chat.testing.WsTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A warning about one socket carries that socket's connection id (the one its client got in {@code welcome}) as the
 * {@code connection} field of the JSON log line, and only that line does: the next line logged on another thread has
 * none. The registry and sessions are real, on a real server with a real client; the one stand-in is a broker whose
 * {@code append} fails with a defect (not an outage), the path that logs.
 */
class SocketWarningsTest {

    private final MemoryBroker memory = new MemoryBroker(100, Duration.ofMinutes(5), Clock.systemUTC(),
            OutboxSink.NONE);
    private final ParleyMetrics metrics = new ParleyMetrics();
    private ConnectionRegistry registry;
    private WebServer server;

    @BeforeEach
    void start() {
        LiveSessions sessions = new LiveSessions();
        ChatNode node = new ChatNode(token -> new Principal(token, token, Optional.empty(),
                Instant.now().plus(Duration.ofHours(1)), Optional.empty()),
                new RoomAccess(RoomAccess.Policy.OPEN), new DefectiveAppend(memory),
                new MemoryPresenceStore(() -> 0), MembershipEvents.NONE,
                new Limits(4_000, 65_536, 10, 20, 100, 20, 1_000, 50, 1_000, 1_000), new FrameCodec(4_000), metrics,
                sessions, Clock.systemUTC());
        node.start();
        registry = new ConnectionRegistry(node, sessions, metrics, new OriginPolicy(List.of("*"), false),
                Duration.ofSeconds(10), Duration.ofSeconds(25), Duration.ofSeconds(5), Clock.systemUTC());
        server = WebServer.builder().port(0).host("127.0.0.1").useNio(false).featuresDiscoverServices(false)
                .addProtocol(new WebSocketProtocol(registry)).build().start();
    }

    @AfterEach
    void stop() {
        server.stop();
        registry.close();
        memory.close();
        metrics.close();
    }

    @Test
    void aSocketsWarningCarriesItsConnectionIdInJsonLogs() throws Exception {
        Logger logger = Logger.getLogger(Session.class.getName());
        try (CapturedLog log = CapturedLog.on(logger);
             WsTestClient ada = WsTestClient.connect(server.port())) {
            log.setFormatter(new JsonLogFormatter("test-instance"));
            ada.send(Map.of("type", "auth", "token", "ada"));
            String connection = ada.await("welcome").path("connection").asText();
            ada.join("lobby");
            ada.send(Map.of("type", "send", "room", "lobby", "text", "hello", "ref", "r-1"));

            JsonNode error = ada.await(f -> WsTestClient.type(f, "error"));
            assertEquals("internal", error.path("code").asText());
            assertEquals("r-1", error.path("ref").asText());
            List<JsonNode> warnings = log.lines().stream().map(SocketWarningsTest::parse)
                    .filter(j -> j.path("level").asText().equals("WARNING")).toList();
            assertEquals(1, warnings.size(), "one warning: " + warnings);
            assertEquals(connection, warnings.getFirst().path("connection").asText(), warnings.toString());

            logger.warning("not about a socket");
            assertFalse(parse(log.lines().getLast()).has("connection"), "the id is not left in the context");
        }
    }

    private static JsonNode parse(String line) {
        try {
            return Json.MAPPER.readTree(line);
        } catch (java.io.IOException e) {
            throw new AssertionError(line, e);
        }
    }

    /** The memory broker, except that accepting a message fails the way a defect of ours would. */
    private record DefectiveAppend(MemoryBroker delegate) implements Broker {
        @Override
        public void start(BrokerListener listener) {
            delegate.start(listener);
        }

        @Override
        public Published append(MessageDraft draft) {
            throw new IllegalStateException("a defect of ours");
        }

        @Override
        public History history(String room, Optional<String> since, int limit) {
            return delegate.history(room, since, limit);
        }

        @Override
        public void emit(RoomEvent event) {
            delegate.emit(event);
        }

        @Override
        public void broadcast(ControlEvent event) {
            delegate.broadcast(event);
        }

        @Override
        public void subscribe(String room) {
            delegate.subscribe(room);
        }

        @Override
        public void unsubscribe(String room) {
            delegate.unsubscribe(room);
        }

        @Override
        public boolean available() {
            return delegate.available();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
