package io.parley.chat.observe;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import io.parley.chat.ParleyServer;
import io.parley.chat.testing.TestServers;
import io.parley.chat.testing.WsTestClient;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Health, metrics and the development mode, over real HTTP. */
class OperationsEndpointsTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthAndMetricsAreOnTheAdminPortOnly() throws Exception {
        try (ParleyServer server = TestServers.start()) {
            assertEquals(200, get(server.adminPort(), "/observe/health/live").statusCode());
            assertEquals(200, get(server.adminPort(), "/observe/health/ready").statusCode());
            assertEquals(404, get(server.publicPort(), "/observe/health/ready").statusCode());
            try (WsTestClient ada = WsTestClient.login(server.publicPort(), "ada")) {
                ada.join("lobby");
                ada.say("lobby", "hi", "1");
                ada.await(f -> WsTestClient.type(f, "message"));
                String metrics = get(server.adminPort(), "/observe/metrics").body();
                for (String name : new String[] {"parley_connections", "parley_rooms", "parley_messages_in_total",
                        "parley_messages_out_total", "parley_fanout_seconds"}) {
                    assertTrue(metrics.contains(name), name + " in\n" + metrics);
                }
                assertTrue(metrics.lines().anyMatch(l -> l.startsWith("parley_connections") && l.endsWith(" 1.0")),
                        "one connection counted");
            }
        }
    }

    @Test
    void authFailuresAreCountedByReason() throws Exception {
        try (ParleyServer server = TestServers.start();
             WsTestClient c = WsTestClient.connect(server.publicPort())) {
            c.send(Map.of("type", "auth", "token", "garbage"));
            c.awaitClose();
            String metrics = get(server.adminPort(), "/observe/metrics").body();
            assertTrue(metrics.contains("parley_auth_failures_total{reason="), metrics);
        }
    }

    @Test
    void drainingTakesReadinessDownAndClosesSocketsWith1012() throws Exception {
        ParleyServer server = TestServers.start("PARLEY_DRAIN_PERIOD", "300ms");
        try (WsTestClient ada = WsTestClient.login(server.publicPort(), "ada")) {
            Thread drain = Thread.ofPlatform().start(server::drainAndStop);
            assertEquals(1012, ada.awaitClose());
            drain.join();
        }
    }

    @Test
    void devModeServesTheDemoPageAndIssuesTokens() throws Exception {
        try (ParleyServer server = TestServers.start("PARLEY_DEV", "true",
                "PARLEY_DEV_SECRET", "dev-secret-dev-secret-dev-secret-0001")) {
            HttpResponse<String> page = get(server.publicPort(), "/");
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("parley.js"), "the demo page embeds the widget");
            HttpResponse<String> token = HTTP.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + server.publicPort() + "/dev/token"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"ada\",\"name\":\"Ada\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, token.statusCode());
            String jwt = io.parley.chat.protocol.Json.MAPPER.readTree(token.body()).path("token").asText();
            try (WsTestClient c = WsTestClient.connect(server.publicPort(),
                    "http://localhost:" + server.config().port())) {
                c.send(Map.of("type", "auth", "token", jwt));
                assertEquals("Ada", c.await("welcome").path("user").path("name").asText());
            }
            HttpResponse<String> bad = HTTP.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + server.publicPort() + "/dev/token"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"a b\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(400, bad.statusCode());
        }
    }

    @Test
    void withoutDevModeThereIsNoDemoPageNorTokenIssuer() throws Exception {
        try (ParleyServer server = TestServers.start()) {
            assertEquals(404, get(server.publicPort(), "/").statusCode());
            HttpResponse<String> token = HTTP.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + server.publicPort() + "/dev/token"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"ada\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, token.statusCode());
            assertEquals(200, get(server.publicPort(), "/widget/parley.js").statusCode());
            assertFalse(get(server.publicPort(), "/widget/parley.js").body().isBlank());
        }
    }
}
