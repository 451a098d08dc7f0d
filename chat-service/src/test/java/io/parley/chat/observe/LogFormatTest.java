package io.parley.chat.observe;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.helidon.logging.common.LogConfig;
import io.parley.chat.ParleyServer;
import io.parley.chat.api.SignedApiClient;
import io.parley.chat.config.ConfigException;
import io.parley.chat.protocol.Json;
import io.parley.chat.signing.ParleySignature;
import io.parley.chat.testing.CapturedLog;
import io.parley.chat.testing.TestServers;
import io.parley.chat.testing.Tokens;
import io.parley.chat.testing.WsTestClient;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code PARLEY_LOG_FORMAT=json}: every line is one JSON object with the documented fields, the admin API has an
 * access log with request ids, and nothing secret reaches the log: a captured log of a session that walks through
 * logins, refusals, messages, signed and badly signed API calls and a monolith that refuses messages contains no
 * token, secret, signature or message text.
 */
class LogFormatTest {

    private static final String API_SECRET = "api-secret-0123456789abcdef-0123456789";
    private static final String MONOLITH_SECRET = "monolith-secret-0123456789abcdef0123";
    private static final String TEXT = "the launch code is 0000";
    private static final String API_TEXT = "system says swordfish";

    @Test
    void theFormatIsReadFromTheEnvironment() {
        assertEquals(LogFormat.TEXT, LogFormat.from(Map.of()));
        assertEquals(LogFormat.JSON, LogFormat.from(Map.of("PARLEY_LOG_FORMAT", "JSON")));
        ConfigException e = assertThrows(ConfigException.class,
                () -> LogFormat.from(Map.of("PARLEY_LOG_FORMAT", "xml")));
        assertTrue(e.getMessage().startsWith("PARLEY_LOG_FORMAT"), e.getMessage());
    }

    @Test
    void jsonLinesCarryTheFieldsAndNoSecrets() throws Exception {
        // As Main does: Helidon's logging set up first (it re-reads the configuration once), then the format.
        LogConfig.configureRuntime();
        Logger root = Logger.getLogger("");
        Map<Handler, java.util.logging.Formatter> formats = new java.util.HashMap<>();
        for (Handler h : root.getHandlers()) {
            formats.put(h, h.getFormatter());
        }
        CapturedLog capture = CapturedLog.on(root);
        LogFormat.JSON.install("test-instance");
        Logger access = Logger.getLogger(AdminAccessLog.LOGGER);
        access.setLevel(Level.FINE);
        HttpServer monolith = refusingMonolith();
        String token = Tokens.user("ada");
        String badSignature = "t=" + Instant.now().getEpochSecond() + ",v1=" + "ab".repeat(32);
        String goodSignature;
        try (ParleyServer server = TestServers.start("PARLEY_API_SECRETS", API_SECRET,
                "PARLEY_MONOLITH_URL", "http://127.0.0.1:" + monolith.getAddress().getPort(),
                "PARLEY_MONOLITH_SECRET", MONOLITH_SECRET)) {
            try (WsTestClient ada = WsTestClient.connect(server.publicPort())) {
                ada.send(Map.of("type", "auth", "token", token));
                ada.await("welcome");
                ada.join("secrets");
                ada.say("secrets", TEXT, "r-1");
                ada.await(f -> WsTestClient.type(f, "message"));
            }
            try (WsTestClient intruder = WsTestClient.connect(server.publicPort())) {
                intruder.send(Map.of("type", "auth", "token", token + "x"));
                intruder.awaitClose();
            }
            SignedApiClient api = new SignedApiClient(server.adminPort(), API_SECRET);
            String body = "{\"text\":\"" + API_TEXT + "\"}";
            Instant at = Instant.now();
            goodSignature = ParleySignature.header(API_SECRET, at.getEpochSecond(), "POST",
                    "/api/v1/rooms/secrets/messages", body.getBytes());
            assertEquals(201, api.send("POST", "/api/v1/rooms/secrets/messages", body,
                    new SignedApiClient.SignedWith(API_SECRET, at)).status());
            assertEquals(401, api.send("GET", "/api/v1/stats", "", new SignedApiClient.RawHeader(badSignature))
                    .status());
            assertEquals(200, api.get("/api/v1/stats").status());
            server.drainAndStop();
        } finally {
            monolith.stop(0);
            capture.close();
            formats.forEach(Handler::setFormatter);
            access.setLevel(null);
        }

        List<String> lines = capture.lines();
        assertFalse(lines.isEmpty());
        for (String line : lines) {
            assertTrue(line.endsWith(System.lineSeparator()) && line.indexOf('\n') == line.length() - 1,
                    "one line per record: " + line);
            JsonNode json = Json.MAPPER.readTree(line);
            for (String field : List.of("time", "level", "logger", "message", "instance")) {
                assertTrue(json.hasNonNull(field), field + " in " + line);
            }
            assertEquals("test-instance", json.path("instance").asText());
            for (String secret : List.of(token, Tokens.SECRET, API_SECRET, MONOLITH_SECRET, TEXT, API_TEXT,
                    badSignature.substring(badSignature.indexOf("v1=") + 3),
                    goodSignature.substring(goodSignature.indexOf("v1=") + 3))) {
                assertFalse(line.contains(secret), "a secret, a signature or message text in the log: " + line);
            }
        }
        List<JsonNode> accessLines = lines.stream().map(LogFormatTest::parse)
                .filter(j -> j.path("logger").asText().equals(AdminAccessLog.LOGGER)).toList();
        assertTrue(accessLines.stream().anyMatch(j -> j.path("message").asText()
                .equals("POST /api/v1/rooms/secrets/messages 201 " + j.path("message").asText().split(" ")[3] + " ms")),
                "an access line per API request: " + accessLines);
        assertTrue(accessLines.stream().anyMatch(j -> j.path("message").asText().startsWith("GET /api/v1/stats 401")));
        assertTrue(accessLines.stream().allMatch(j -> j.path("request").asText().matches("[0-9a-f]{16}")),
                "every access line has its request id: " + accessLines);
        assertTrue(lines.stream().map(LogFormatTest::parse).anyMatch(j -> j.path("level").asText().equals("WARNING")
                && j.path("message").asText().contains("dead-lettered")), "the dead-lettered batch is logged");
    }

    private static JsonNode parse(String line) {
        try {
            return Json.MAPPER.readTree(line);
        } catch (IOException e) {
            throw new AssertionError(line, e);
        }
    }

    /** A monolith that refuses every batch with an error page that quotes what it was sent. */
    private static HttpServer refusingMonolith() throws IOException {
        HttpServer monolith = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        monolith.createContext("/", exchange -> {
            byte[] page = ("<html><body>Unprocessable: " + new String(exchange.getRequestBody().readAllBytes())
                    + "</body></html>").getBytes();
            exchange.sendResponseHeaders(422, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        monolith.start();
        return monolith;
    }
}
