package io.parley.chat.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.chat.ParleyServer;
import io.parley.chat.signing.ParleySignature;
import io.parley.chat.testing.Eventually;
import io.parley.chat.testing.TestServers;
import io.parley.chat.testing.Tokens;
import io.parley.chat.testing.WsTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.parley.chat.testing.WsTestClient.type;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every server API endpoint (protocol §2) against a running instance, with good and bad signatures and bodies. */
class ServerApiTest {

    static final String SECRET = "api-secret-0123456789abcdef-0123456789";
    static final String NEXT_SECRET = "api-secret-next-0123456789abcdef-01234";
    private static final String OTHER_SECRET = "not-the-api-secret-0123456789abcdef-01";

    private static ParleyServer server;
    private static SignedApiClient api;
    private static SignedApiClient apiWithNextSecret;

    @BeforeAll
    static void start() {
        server = TestServers.start("PARLEY_API_SECRETS", SECRET + "," + NEXT_SECRET);
        api = new SignedApiClient(server.adminPort(), SECRET);
        apiWithNextSecret = new SignedApiClient(server.adminPort(), NEXT_SECRET);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private record Call(String method, String target, String body) {
    }

    /** One call of every endpoint, each of which would change or reveal something if it went through. */
    private static List<Call> everyEndpoint(String room, String user) {
        return List.of(
                new Call("POST", "/api/v1/rooms/" + room + "/messages", "{\"text\":\"should not appear\"}"),
                new Call("GET", "/api/v1/rooms/" + room + "/presence", ""),
                new Call("GET", "/api/v1/rooms/" + room + "/messages?limit=5", ""),
                new Call("POST", "/api/v1/users/" + user + "/disconnect", "{\"revoke\":true}"),
                new Call("GET", "/api/v1/stats", ""),
                new Call("GET", "/api/v1/dead-letters", ""),
                new Call("POST", "/api/v1/dead-letters/replay", "{}"));
    }

    private static void assertError(SignedApiClient.Answer answer, int status, String code) {
        assertEquals(status, answer.status(), answer.json().toString());
        assertEquals(code, answer.json().path("error").asText(), answer.json().toString());
        assertFalse(answer.json().path("message").asText().isBlank(), "a message says why");
    }

    private static int historySize(String room) {
        SignedApiClient.Answer history = api.get("/api/v1/rooms/" + room + "/messages?limit=1000");
        assertEquals(200, history.status());
        return history.json().path("messages").size();
    }

    // ---- signatures --------------------------------------------------------------------------------------------

    @Test
    void unsignedStaleAndWronglySignedRequestsGet401AndChangeNothing() {
        String room = "sig-room";
        String user = "sig-user";
        try (WsTestClient member = WsTestClient.login(server.publicPort(), user)) {
            member.join(room);
            for (Call call : everyEndpoint(room, user)) {
                byte[] body = call.body().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                long now = Instant.now().getEpochSecond();
                List<SignedApiClient.Signing> refused = List.of(
                        new SignedApiClient.Unsigned(),
                        new SignedApiClient.RawHeader(""),
                        new SignedApiClient.RawHeader("t=" + now),
                        new SignedApiClient.RawHeader("t=soon,v1=" + "0".repeat(64)),
                        new SignedApiClient.RawHeader("v1=" + ParleySignature.hex(SECRET, now, call.method(),
                                call.target(), body)),
                        // well outside the 300 s window (the boundary itself is in SignatureTest, on a fixed clock)
                        new SignedApiClient.SignedWith(SECRET, Instant.now().minusSeconds(310)),
                        new SignedApiClient.SignedWith(SECRET, Instant.now().plusSeconds(310)),
                        new SignedApiClient.SignedWith(OTHER_SECRET, Instant.now()),
                        // signed for another request: another method, another target, another body
                        new SignedApiClient.RawHeader(ParleySignature.header(SECRET, now,
                                call.method().equals("GET") ? "POST" : "GET", call.target(), body)),
                        new SignedApiClient.RawHeader(ParleySignature.header(SECRET, now, call.method(),
                                call.target() + "x", body)),
                        new SignedApiClient.RawHeader(ParleySignature.header(SECRET, now, call.method(),
                                call.target(), "{\"text\":\"other\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8))));
                for (SignedApiClient.Signing signing : refused) {
                    SignedApiClient.Answer answer = api.send(call.method(), call.target(), call.body(), signing);
                    assertEquals(401, answer.status(), call + " " + signing + ": " + answer.json());
                    assertError(answer, 401, "unauthorized");
                }
            }
            // Nothing changed: no message, the member still connected, its token still good.
            assertEquals(0, historySize(room));
            assertTrue(member.quietFor(f -> type(f, "message"), Duration.ofMillis(300)));
            assertFalse(member.isClosed());
            try (WsTestClient again = WsTestClient.login(server.publicPort(), user)) {
                assertFalse(again.isClosed());
            }
        }
    }

    @Test
    void unsignedRequestsLearnNothingAboutRoutes() {
        JsonNode known = api.send("GET", "/api/v1/stats", "", new SignedApiClient.Unsigned()).json();
        for (Call call : List.of(new Call("GET", "/api/v1/nothing-here", ""), new Call("GET", "/api/v1", ""),
                new Call("GET", "/api/v1/rooms/lobby", ""), new Call("DELETE", "/api/v1/stats", ""),
                new Call("GET", "/api/v1/users/ada/disconnect", ""),
                new Call("PUT", "/api/v1/rooms/lobby/messages", "{\"text\":\"hi\"}"))) {
            SignedApiClient.Answer answer = api.send(call.method(), call.target(), call.body(),
                    new SignedApiClient.Unsigned());
            assertError(answer, 401, "unauthorized");
            assertEquals(known, answer.json(), "the same answer as for a known endpoint: " + call);
        }
    }

    @Test
    void eitherSecretOfARotationIsAccepted() {
        assertEquals(200, api.get("/api/v1/stats").status());
        assertEquals(200, apiWithNextSecret.get("/api/v1/stats").status());
        assertEquals(201, apiWithNextSecret.post("/api/v1/rooms/rotation/messages", "{\"text\":\"hi\"}").status());
    }

    @Test
    void aSignatureWithinTheWindowIsAccepted() {
        SignedApiClient.Answer answer = api.send("GET", "/api/v1/stats", "",
                new SignedApiClient.SignedWith(SECRET, Instant.now().minusSeconds(240)));
        assertEquals(200, answer.status());
    }

    @Test
    void aReplayedRequestIsRefusedAndChangesNothing() {
        Instant at = Instant.now().minusSeconds(30);
        String target = "/api/v1/rooms/replayed/messages";
        String body = "{\"text\":\"once only\"}";
        SignedApiClient.SignedWith signing = new SignedApiClient.SignedWith(SECRET, at);
        assertEquals(201, api.send("POST", target, body, signing).status());
        SignedApiClient.Answer replay = api.send("POST", target, body, signing);
        assertError(replay, 401, "unauthorized");
        assertTrue(replay.json().path("message").asText().contains("replayed"), replay.json().toString());
        assertEquals(1, historySize("replayed"), "the replay stored nothing");

        SignedApiClient.SignedWith read = new SignedApiClient.SignedWith(SECRET, at);
        assertEquals(200, api.send("GET", "/api/v1/stats", "", read).status());
        assertError(api.send("GET", "/api/v1/stats", "", read), 401, "unauthorized");
        assertEquals(200, api.send("GET", "/api/v1/stats", "",
                new SignedApiClient.SignedWith(SECRET, at.plusSeconds(1))).status(),
                "the same request signed again is new");
    }

    @Test
    void aRequestWithAnEmptyQueryVerifiesWithTheTargetAsSent() {
        assertEquals(200, api.get("/api/v1/stats?").status());
        assertEquals(200, api.get("/api/v1/rooms/empty-query/messages?").status());
    }

    @Test
    void aMalformedPercentEscapeIsTheJson400() {
        assertError(api.sendRaw("GET", "/api/v1/rooms/%zz/messages", ""), 400, "bad_request");
        assertError(api.sendRaw("POST", "/api/v1/rooms/%zz/messages", "{\"text\":\"hi\"}"), 400, "bad_request");
        assertError(api.sendRaw("POST", "/api/v1/users/%e0%a4/disconnect", "{}"), 400, "bad_request");
        assertError(api.sendRaw("GET", "/api/v1/rooms/a%2/presence", ""), 400, "bad_request");
        assertError(api.post("/api/v1/rooms//messages", "{\"text\":\"hi\"}"), 400, "bad_request");
        assertEquals(0, historySize("messages"), "an empty room segment never names another room");
        String metrics = metrics();
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("parley_api_requests_total{")
                && l.contains("route=\"/rooms/{room}/messages\"") && l.contains("status=\"400\"")
                && l.contains("method=\"GET\"")), "counted under the route template:\n" + metrics);
    }

    private static String metrics() {
        try {
            return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + server.adminPort() + "/observe/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void routesAreTemplatesSoNamesNeverBecomeLabels() {
        assertEquals("/rooms/{room}/messages", ServerApi.route("/api/v1/rooms/lobby/messages"));
        assertEquals("/rooms/{room}/presence", ServerApi.route("/api/v1/rooms/%zz/presence"));
        assertEquals("/users/{id}/disconnect", ServerApi.route("/api/v1/users/42/disconnect"));
        assertEquals("/stats", ServerApi.route("/api/v1/stats"));
        assertEquals("/dead-letters/replay", ServerApi.route("/api/v1/dead-letters/replay"));
        assertEquals(ServerApi.OTHER, ServerApi.route("/api/v1/rooms/lobby"));
        assertEquals(ServerApi.OTHER, ServerApi.route("/api/v1"));
    }

    @Test
    void withoutApiSecretsEveryRequestIsRefused() {
        try (ParleyServer bare = TestServers.start()) {
            SignedApiClient client = new SignedApiClient(bare.adminPort(), SECRET);
            for (Call call : everyEndpoint("lobby", "ada")) {
                assertError(client.send(call.method(), call.target(), call.body(),
                        new SignedApiClient.SignedWith(SECRET, Instant.now())), 401, "unauthorized");
            }
        }
    }

    // ---- POST /rooms/{room}/messages ---------------------------------------------------------------------------

    @Test
    void aSystemMessageIsStoredAndBroadcastWithoutAUser() {
        try (WsTestClient ada = WsTestClient.login(server.publicPort(), "ada")) {
            ada.join("announcements");
            SignedApiClient.Answer created = api.post("/api/v1/rooms/announcements/messages",
                    "{\"text\":\"Maintenance at noon\",\"meta\":{\"level\":\"info\",\"n\":2}}");
            assertEquals(201, created.status(), created.json().toString());
            String id = created.json().path("id").asText();
            assertTrue(created.json().path("ts").asLong() > 0);

            JsonNode message = ada.await(f -> type(f, "message"));
            assertEquals(id, message.path("id").asText());
            assertEquals("system", message.path("kind").asText());
            assertTrue(message.path("user").isNull());
            assertEquals("Maintenance at noon", message.path("text").asText());
            assertEquals("info", message.path("meta").path("level").asText());
            assertEquals(2, message.path("meta").path("n").asInt());
        }
    }

    @Test
    void aMessageWithAUserIsAUserMessage() {
        SignedApiClient.Answer created = api.post("/api/v1/rooms/team-7:general/messages",
                "{\"text\":\"Grüße, 世界 👋\",\"user\":{\"id\":7,\"name\":\"Bot\"}}");
        assertEquals(201, created.status(), created.json().toString());
        JsonNode stored = api.get("/api/v1/rooms/team-7:general/messages").json().path("messages").get(0);
        assertEquals("user", stored.path("kind").asText());
        assertEquals("7", stored.path("user").path("id").asText());
        assertEquals("Bot", stored.path("user").path("name").asText());
        assertEquals("Grüße, 世界 👋", stored.path("text").asText());
    }

    @Test
    void publishingIsIdempotentOnRef() {
        String body = "{\"text\":\"once\",\"ref\":\"order-17-shipped\"}";
        SignedApiClient.Answer first = api.post("/api/v1/rooms/orders/messages", body);
        SignedApiClient.Answer again = api.post("/api/v1/rooms/orders/messages", body);
        assertEquals(201, first.status());
        assertEquals(201, again.status());
        assertEquals(first.json().path("id"), again.json().path("id"));
        assertEquals(first.json().path("ts"), again.json().path("ts"));
        assertEquals(1, historySize("orders"));
    }

    @Test
    void badPublishRequestsGet400AndStoreNothing() {
        String room = "bad-bodies";
        String target = "/api/v1/rooms/" + room + "/messages";
        List<String> badBodies = List.of(
                "", "not json", "{\"text\":", "[\"text\"]", "\"text\"", "{}", "{\"text\":\"\"}", "{\"text\":\"  \"}",
                "{\"text\":42}", "{\"text\":null}",
                "{\"text\":\"" + "x".repeat(4_001) + "\"}",
                "{\"text\":\"hi\",\"user\":\"ada\"}", "{\"text\":\"hi\",\"user\":{}}",
                "{\"text\":\"hi\",\"user\":{\"id\":\"\"}}", "{\"text\":\"hi\",\"user\":{\"id\":{\"x\":1}}}",
                "{\"text\":\"hi\",\"user\":{\"id\":\"1\",\"name\":\"" + "n".repeat(65) + "\"}}",
                "{\"text\":\"hi\",\"user\":{\"id\":\"" + "1".repeat(129) + "\"}}",
                "{\"text\":\"hi\",\"meta\":[1]}", "{\"text\":\"hi\",\"meta\":\"m\"}",
                "{\"text\":\"hi\",\"ref\":\"\"}", "{\"text\":\"hi\",\"ref\":7}",
                "{\"text\":\"hi\",\"ref\":\"" + "r".repeat(65) + "\"}",
                "{\"text\":\"hi\",\"meta\":{\"pad\":\"" + "p".repeat(70_000) + "\"}}");
        for (String body : badBodies) {
            assertError(api.post(target, body), 400, "bad_request");
        }
        for (String badRoom : List.of("bad%20room", "a%2Fb", "%2A", "r".repeat(65), "caf%C3%A9")) {
            assertError(api.post("/api/v1/rooms/" + badRoom + "/messages", "{\"text\":\"hi\"}"), 400,
                    "bad_request");
        }
        assertEquals(0, historySize(room));
    }

    @Test
    void aBodyLargerThan64KiBIsRefusedEvenUnderAValidSignature() {
        String body = "{\"text\":\"hi\",\"pad\":\"" + "p".repeat(64 * 1024) + "\"}";
        assertError(api.post("/api/v1/rooms/big/messages", body), 400, "bad_request");
        assertEquals(0, historySize("big"));
    }

    // ---- GET /rooms/{room}/messages ----------------------------------------------------------------------------

    @Test
    void historyIsReadWithSinceAndLimit() {
        String room = "history-room";
        String target = "/api/v1/rooms/" + room + "/messages";
        String[] ids = new String[6];
        for (int i = 0; i < 6; i++) {
            ids[i] = api.post(target, "{\"text\":\"m" + i + "\"}").json().path("id").asText();
        }
        JsonNode all = api.get(target).json();
        assertEquals(room, all.path("room").asText());
        assertEquals(6, all.path("messages").size());
        assertTrue(all.path("complete").asBoolean());
        assertFalse(all.path("more").asBoolean());

        JsonNode last2 = api.get(target + "?limit=2").json();
        assertEquals(List.of(ids[4], ids[5]), idsOf(last2));
        assertTrue(last2.path("complete").asBoolean(), "a page cut by the limit is still complete");
        assertFalse(last2.path("more").asBoolean(), "nothing follows the newest message");

        JsonNode after = api.get(target + "?since=" + ids[2] + "&limit=2").json();
        assertEquals(List.of(ids[3], ids[4]), idsOf(after));
        assertTrue(after.path("complete").asBoolean(), "a page cut by the limit is still complete");
        assertTrue(after.path("more").asBoolean(), "more follow: page on with the last id");

        JsonNode rest = api.get(target + "?since=" + ids[2]).json();
        assertEquals(List.of(ids[3], ids[4], ids[5]), idsOf(rest));
        assertTrue(rest.path("complete").asBoolean());
        assertFalse(rest.path("more").asBoolean());

        JsonNode empty = api.get("/api/v1/rooms/never-used/messages").json();
        assertEquals(0, empty.path("messages").size());
        assertTrue(empty.path("complete").asBoolean());

        for (String bad : List.of("?limit=0", "?limit=1001", "?limit=abc", "?limit=", "?since=yesterday",
                "?since=12-x")) {
            assertError(api.get(target + bad), 400, "bad_request");
        }
        assertEquals(1000, api.get(target + "?limit=1000").status() == 200 ? 1000 : -1);
    }

    private static List<String> idsOf(JsonNode history) {
        return java.util.stream.StreamSupport.stream(history.path("messages").spliterator(), false)
                .map(m -> m.path("id").asText()).toList();
    }

    // ---- GET /rooms/{room}/presence ----------------------------------------------------------------------------

    @Test
    void presenceListsMembersWithTheirConnections() {
        try (WsTestClient tab1 = WsTestClient.login(server.publicPort(), "grace");
             WsTestClient tab2 = WsTestClient.login(server.publicPort(), "grace");
             WsTestClient alan = WsTestClient.login(server.publicPort(), "alan")) {
            tab1.join("presence-room");
            tab2.join("presence-room");
            alan.join("presence-room");
            JsonNode presence = api.get("/api/v1/rooms/presence-room/presence").json();
            assertEquals("presence-room", presence.path("room").asText());
            Map<String, Integer> connections = new java.util.TreeMap<>();
            presence.path("members").forEach(m -> {
                assertEquals(Tokens.name(m.path("id").asText()), m.path("name").asText());
                connections.put(m.path("id").asText(), m.path("connections").asInt());
            });
            assertEquals(Map.of("alan", 1, "grace", 2), connections);
        }
        assertEquals(0, api.get("/api/v1/rooms/empty-room/presence").json().path("members").size());
        assertError(api.get("/api/v1/rooms/bad%20room/presence"), 400, "bad_request");
    }

    // ---- POST /users/{id}/disconnect -----------------------------------------------------------------------------

    @Test
    void disconnectClosesEveryConnectionOfTheUserWith4403() {
        try (WsTestClient tab1 = WsTestClient.login(server.publicPort(), "linus");
             WsTestClient tab2 = WsTestClient.login(server.publicPort(), "linus");
             WsTestClient other = WsTestClient.login(server.publicPort(), "ken")) {
            SignedApiClient.Answer answer = api.post("/api/v1/users/linus/disconnect", "{\"reason\":\"banned\"}");
            assertEquals(202, answer.status());
            assertEquals(4403, tab1.awaitClose());
            assertEquals(4403, tab2.awaitClose());
            assertFalse(other.isClosed());
            // Without revoke the same token may come back.
            try (WsTestClient back = WsTestClient.login(server.publicPort(), "linus")) {
                assertFalse(back.isClosed());
            }
        }
    }

    @Test
    void disconnectWithRevokeRefusesOlderTokensAndAcceptsNewerOnes() throws Exception {
        String oldToken = Tokens.user("margaret");
        try (WsTestClient live = WsTestClient.login(server.publicPort(), "margaret")) {
            assertEquals(202, api.post("/api/v1/users/margaret/disconnect",
                    "{\"reason\":\"logged out\",\"revoke\":true}").status());
            assertEquals(4403, live.awaitClose());
        }
        Instant revokedBy = Instant.now();
        try (WsTestClient again = WsTestClient.connect(server.publicPort())) {
            again.send(Map.of("type", "auth", "token", oldToken));
            JsonNode error = again.await("error");
            assertEquals("unauthorized", error.path("code").asText());
            assertTrue(error.path("message").asText().contains("revoked"), error.toString());
            assertEquals(4401, again.awaitClose());
        }
        // A token without iat is refused too.
        String noIat = io.jsonwebtoken.Jwts.builder().subject("margaret")
                .expiration(java.util.Date.from(Instant.now().plusSeconds(600)))
                .signWith(Tokens.key(Tokens.SECRET)).compact();
        try (WsTestClient again = WsTestClient.connect(server.publicPort())) {
            again.send(Map.of("type", "auth", "token", noIat));
            assertEquals(4401, again.awaitClose());
        }
        // iat has whole seconds: a token issued after the revocation has an iat in a later second.
        Eventually.until("the next second, for the iat of a new token",
                () -> Instant.now().getEpochSecond() * 1000 >= revokedBy.toEpochMilli());
        try (WsTestClient fresh = WsTestClient.login(server.publicPort(), "margaret")) {
            assertFalse(fresh.isClosed());
        }
        // Other users are not affected.
        try (WsTestClient other = WsTestClient.connect(server.publicPort())) {
            other.send(Map.of("type", "auth", "token", Tokens.user("barbara")));
            other.await("welcome");
        }
    }

    @Test
    void badDisconnectRequestsGet400AndCloseNothing() {
        try (WsTestClient dennis = WsTestClient.login(server.publicPort(), "dennis")) {
            for (String body : List.of("nope", "[]", "{\"revoke\":\"yes\"}", "{\"revoke\":1}", "{\"reason\":5}",
                    "{\"reason\":\"" + "r".repeat(124) + "\"}")) {
                assertError(api.post("/api/v1/users/dennis/disconnect", body), 400, "bad_request");
            }
            assertError(api.post("/api/v1/users/" + "u".repeat(129) + "/disconnect", "{}"), 400, "bad_request");
            assertError(api.post("/api/v1/users/%20/disconnect", "{}"), 400, "bad_request");
            assertTrue(dennis.quietFor(f -> true, Duration.ofMillis(300)));
            assertFalse(dennis.isClosed());
        }
        assertEquals(202, api.post("/api/v1/users/dennis/disconnect", "").status(), "an empty body is allowed");
    }

    @Test
    void aUserIdIsCountedInCharactersAsInATokensSub() {
        String wave = java.net.URLEncoder.encode("👋", java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(202, api.post("/api/v1/users/" + wave.repeat(128) + "/disconnect", "{}").status(),
                "128 emoji are 128 characters, as a token's sub counts them");
        assertError(api.post("/api/v1/users/" + wave.repeat(129) + "/disconnect", "{}"), 400, "bad_request");
        assertEquals(201, api.post("/api/v1/rooms/emoji-ids/messages",
                "{\"text\":\"hi\",\"user\":{\"id\":\"" + "👋".repeat(128) + "\"}}").status());
        assertError(api.post("/api/v1/rooms/emoji-ids/messages",
                "{\"text\":\"hi\",\"user\":{\"id\":\"" + "👋".repeat(129) + "\"}}"), 400, "bad_request");
    }

    // ---- GET /stats, dead letters, routing ---------------------------------------------------------------------

    @Test
    void statsCountConnectionsRoomsAndInstances() {
        try (WsTestClient a = WsTestClient.login(server.publicPort(), "stat-a");
             WsTestClient b = WsTestClient.login(server.publicPort(), "stat-b")) {
            a.join("stats-room");
            b.join("stats-room");
            JsonNode stats = api.get("/api/v1/stats").json();
            assertTrue(stats.path("connections").asInt() >= 2, stats.toString());
            assertTrue(stats.path("rooms").asInt() >= 1, stats.toString());
            assertEquals(1, stats.path("instances").asInt());
        }
    }

    @Test
    void deadLettersAreListedAndReplayedEvenWhenThereAreNone() {
        SignedApiClient.Answer list = api.get("/api/v1/dead-letters");
        assertEquals(200, list.status());
        assertTrue(list.json().path("messages").isArray());
        SignedApiClient.Answer replay = api.post("/api/v1/dead-letters/replay", "{\"ids\":[\"1-0:lobby\"]}");
        assertEquals(202, replay.status());
        assertEquals(0, replay.json().path("replayed").asInt());
        assertEquals(0, api.post("/api/v1/dead-letters/replay", "").json().path("replayed").asInt());
        for (String bad : List.of("{\"ids\":\"all\"}", "{\"ids\":[1]}", "{", "[]")) {
            assertError(api.post("/api/v1/dead-letters/replay", bad), 400, "bad_request");
        }
        assertError(api.get("/api/v1/dead-letters?limit=0"), 400, "bad_request");
    }

    @Test
    void unknownEndpointsAndMethodsAreJsonErrors() {
        assertError(api.get("/api/v1/nothing-here"), 404, "not_found");
        assertError(api.get("/api/v1/rooms/lobby"), 404, "not_found");
        assertError(api.get("/api/v1"), 404, "not_found");
        assertError(api.send("DELETE", "/api/v1/stats", "", new SignedApiClient.SignedWith(SECRET, Instant.now())),
                405, "method_not_allowed");
        assertError(api.get("/api/v1/users/ada/disconnect"), 405, "method_not_allowed");
        assertError(api.send("PUT", "/api/v1/rooms/lobby/messages", "{\"text\":\"hi\"}",
                new SignedApiClient.SignedWith(SECRET, Instant.now())), 405, "method_not_allowed");
        assertEquals(0, historySize("lobby"));
    }
}
