package io.parley.chat.connection;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.jsonwebtoken.Jwts;
import io.parley.chat.ParleyServer;
import io.parley.chat.testing.TestServers;
import io.parley.chat.testing.Tokens;
import io.parley.chat.testing.WsTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.parley.chat.testing.WsTestClient.type;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Protocol §1 against a real server on a free port, with real WebSocket clients: one test per row. */
class WebSocketProtocolTest {

    private static ParleyServer server;
    private static int port;

    @BeforeAll
    static void start() {
        server = TestServers.start("PARLEY_AUTH_TIMEOUT", "700ms", "PARLEY_HISTORY_RETAIN", "5",
                "PARLEY_HISTORY_JOIN", "3", "PARLEY_LIMITS_TEXT", "100");
        port = server.publicPort();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String room(String name) {
        return name + "-" + System.nanoTime();
    }

    @Test
    void welcomeAfterAuth() {
        try (WsTestClient c = WsTestClient.connect(port)) {
            c.send(Map.of("type", "auth", "token", Tokens.user("42", "Ada", Duration.ofMinutes(5))));
            JsonNode w = c.await("welcome");
            assertEquals("42", w.path("user").path("id").asText());
            assertEquals("Ada", w.path("user").path("name").asText());
            assertFalse(w.path("connection").asText().isEmpty());
            assertEquals(25, w.path("heartbeat").asInt());
            long exp = w.path("expires").asLong();
            assertTrue(Math.abs(exp - (System.currentTimeMillis() / 1000 + 300)) < 5, "expires in unix seconds");
        }
    }

    @Test
    void firstFrameOtherThanAuthIsUnauthorized() {
        try (WsTestClient c = WsTestClient.connect(port)) {
            c.send(Map.of("type", "join", "room", "lobby"));
            assertEquals("unauthorized", c.await("error").path("code").asText());
            assertEquals(4401, c.awaitClose());
        }
    }

    @Test
    void badTokensAreRefusedWith4401() {
        String wrongSecret = Jwts.builder().subject("1").expiration(new java.util.Date(System.currentTimeMillis() + 60_000))
                .signWith(Tokens.key("another-secret-another-secret-another-1")).compact();
        String expired = Tokens.user("1", "One", Duration.ofSeconds(-10));
        String noExp = Jwts.builder().subject("1").signWith(Tokens.key(Tokens.SECRET)).compact();
        String algNone = Jwts.builder().subject("1").expiration(new java.util.Date(System.currentTimeMillis() + 60_000))
                .compact();
        for (String token : List.of(wrongSecret, expired, noExp, algNone, "not-a-jwt")) {
            try (WsTestClient c = WsTestClient.connect(port)) {
                c.send(Map.of("type", "auth", "token", token));
                JsonNode e = c.await("error");
                assertEquals("unauthorized", e.path("code").asText());
                assertFalse(e.path("message").asText().contains(token), "the token is never echoed");
                assertEquals(4401, c.awaitClose());
            }
        }
    }

    @Test
    void silenceBeforeAuthClosesWith4408() {
        try (WsTestClient c = WsTestClient.connect(port)) {
            assertEquals(4408, c.awaitClose());
        }
    }

    @Test
    void originAllowlist() {
        assertThrows(IllegalStateException.class, () -> WsTestClient.connect(port, "https://evil.example"));
        try (WsTestClient allowed = WsTestClient.connect(port, TestServers.ALLOWED_ORIGIN)) {
            allowed.send(Map.of("type", "ping"));
            assertEquals("unauthorized", allowed.await("error").path("code").asText());
        }
    }

    @Test
    void refusedOriginGets403() throws Exception {
        var client = java.net.http.HttpClient.newHttpClient();
        var ex = assertThrows(java.util.concurrent.ExecutionException.class, () -> client.newWebSocketBuilder()
                .header("Origin", "https://evil.example")
                .buildAsync(java.net.URI.create("ws://127.0.0.1:" + port + "/ws"), new java.net.http.WebSocket.Listener() {
                }).get());
        var handshake = (java.net.http.WebSocketHandshakeException) ex.getCause();
        assertEquals(403, handshake.getResponse().statusCode());
    }

    @Test
    void joinSendAckAndMessageToEveryMember() {
        String room = room("lobby");
        try (WsTestClient ada = WsTestClient.login(port, "ada"); WsTestClient bob = WsTestClient.login(port, "bob")) {
            ada.join(room);
            JsonNode joined = bob.join(room);
            assertEquals(Set.of("ada", "bob"), ids(joined.path("members")));
            assertTrue(joined.path("complete").asBoolean());

            JsonNode ack = ada.say(room, "hello", "c-1");
            assertEquals("ack", ack.path("type").asText());
            String id = ack.path("id").asText();
            assertTrue(ack.path("ts").asLong() > 0);
            for (WsTestClient c : List.of(ada, bob)) {
                JsonNode m = c.await(f -> type(f, "message"));
                assertEquals(id, m.path("id").asText());
                assertEquals("hello", m.path("text").asText());
                assertEquals("ada", m.path("user").path("id").asText());
                assertEquals("user", m.path("kind").asText());
                assertEquals(room, m.path("room").asText());
            }
        }
    }

    @Test
    void sameRefIsIdempotentAndNotBroadcastTwice() {
        String room = room("idem");
        try (WsTestClient ada = WsTestClient.login(port, "ada"); WsTestClient bob = WsTestClient.login(port, "bob")) {
            ada.join(room);
            bob.join(room);
            String first = ada.say(room, "once", "r-1").path("id").asText();
            bob.await(f -> type(f, "message"));
            ada.close();
            try (WsTestClient again = WsTestClient.login(port, "ada")) {
                again.join(room);
                assertEquals(first, again.say(room, "once", "r-1").path("id").asText());
            }
            assertTrue(bob.quietFor(f -> type(f, "message"), Duration.ofMillis(500)));
        }
    }

    @Test
    void historyOnJoinAndResumeWithSince() {
        String room = room("hist");
        try (WsTestClient ada = WsTestClient.login(port, "ada")) {
            ada.join(room);
            String m1 = ada.say(room, "one", "h1").path("id").asText();
            String m2 = ada.say(room, "two", "h2").path("id").asText();
            String m3 = ada.say(room, "three", "h3").path("id").asText();
            String m4 = ada.say(room, "four", "h4").path("id").asText();
            assertTrue(m1.compareTo(m2) < 0 && m2.compareTo(m3) < 0 && m3.compareTo(m4) < 0, "ids increase");
            try (WsTestClient bob = WsTestClient.login(port, "bob")) {
                JsonNode joined = bob.join(room);
                assertEquals(List.of("two", "three", "four"), texts(joined.path("history")), "last N, oldest first");
                assertTrue(joined.path("complete").asBoolean(), "only the join limit left the first message out");
                assertFalse(joined.has("more"), "nothing follows the newest message");

                bob.send(Map.of("type", "join", "room", room, "since", m2));
                JsonNode resumed = bob.await(f -> type(f, "joined"));
                assertEquals(List.of("three", "four"), texts(resumed.path("history")));
                assertTrue(resumed.path("complete").asBoolean());
            }
            for (int i = 0; i < 5; i++) {
                ada.say(room, "more " + i, "more" + i);
            }
            try (WsTestClient carl = WsTestClient.login(port, "carl")) {
                carl.send(Map.of("type", "join", "room", room, "since", m1));
                JsonNode joined = carl.await(f -> type(f, "joined"));
                assertEquals(5, joined.path("history").size(), "every retained message after since");
                assertFalse(joined.path("complete").asBoolean(), "messages after since were trimmed");
            }
        }
    }

    @Test
    void sendingToARoomNotJoinedIsAnError() {
        try (WsTestClient ada = WsTestClient.login(port, "ada")) {
            ada.send(Map.of("type", "send", "room", "nowhere", "text", "hi", "ref", "x"));
            JsonNode e = ada.await("error");
            assertEquals("not_joined", e.path("code").asText());
            assertEquals("x", e.path("ref").asText());
            assertEquals("nowhere", e.path("room").asText());
            ada.send(Map.of("type", "ping"));
            ada.await("pong");
        }
    }

    @Test
    void leaveAnswersLeftAndStopsDelivery() {
        String room = room("leave");
        try (WsTestClient ada = WsTestClient.login(port, "ada"); WsTestClient bob = WsTestClient.login(port, "bob")) {
            ada.join(room);
            bob.join(room);
            bob.send(Map.of("type", "leave", "room", room, "ref", "l1"));
            JsonNode left = bob.await("left");
            assertEquals(room, left.path("room").asText());
            assertEquals("l1", left.path("ref").asText());
            assertEquals("join", ada.await(f -> type(f, "presence")).path("event").asText());
            assertEquals("leave", ada.await(f -> type(f, "presence")).path("event").asText());
            ada.say(room, "anyone?", "q");
            assertTrue(bob.quietFor(f -> type(f, "message"), Duration.ofMillis(400)));
        }
    }

    @Test
    void presenceIsPerUserNotPerTab() {
        String room = room("tabs");
        try (WsTestClient ada = WsTestClient.login(port, "ada")) {
            ada.join(room);
            WsTestClient bob1 = WsTestClient.login(port, "bob");
            WsTestClient bob2 = WsTestClient.login(port, "bob");
            bob1.join(room);
            bob2.join(room);
            JsonNode join = ada.await(f -> type(f, "presence"));
            assertEquals("join", join.path("event").asText());
            assertEquals("bob", join.path("user").path("id").asText());
            bob1.close();
            assertTrue(ada.quietFor(f -> type(f, "presence"), Duration.ofMillis(500)), "one tab left, bob stays");
            bob2.close();
            JsonNode leave = ada.await(f -> type(f, "presence"));
            assertEquals("leave", leave.path("event").asText());
            assertEquals("bob", leave.path("user").path("id").asText());
        }
    }

    @Test
    void typingGoesToOthersAtMostEveryTwoSeconds() {
        String room = room("typing");
        try (WsTestClient ada = WsTestClient.login(port, "ada"); WsTestClient bob = WsTestClient.login(port, "bob")) {
            ada.join(room);
            bob.join(room);
            ada.send(Map.of("type", "typing", "room", room));
            ada.send(Map.of("type", "typing", "room", room));
            JsonNode t = bob.await("typing");
            assertEquals("ada", t.path("user").path("id").asText());
            assertTrue(bob.quietFor(f -> type(f, "typing"), Duration.ofMillis(500)), "throttled");
            assertTrue(ada.received(f -> type(f, "typing")).isEmpty(), "not echoed to the typist");
        }
    }

    @Test
    void refreshKeepsTheUserAndRefusesAnother() {
        try (WsTestClient ada = WsTestClient.login(port, "ada")) {
            ada.send(Map.of("type", "refresh", "token", Tokens.user("ada", "Ada", Duration.ofHours(2)), "ref", "f1"));
            JsonNode r = ada.await("refreshed");
            assertEquals("f1", r.path("ref").asText());
            assertTrue(r.path("expires").asLong() > System.currentTimeMillis() / 1000 + 3600);
            ada.send(Map.of("type", "refresh", "token", Tokens.user("mallory")));
            assertEquals("unauthorized", ada.await("error").path("code").asText());
            assertEquals(4401, ada.awaitClose());
        }
    }

    @Test
    void pingPongEchoesRef() {
        try (WsTestClient ada = WsTestClient.login(port, "ada")) {
            ada.send(Map.of("type", "ping", "ref", "p-9"));
            assertEquals("p-9", ada.await("pong").path("ref").asText());
        }
    }

    @Test
    void badFramesGetErrorsAndTheConnectionStaysOpen() {
        String room = room("bad");
        try (WsTestClient ada = WsTestClient.login(port, "ada")) {
            ada.join(room);
            Map<String, String> cases = Map.of(
                    "{not json", "bad_request",
                    "[1,2]", "bad_request",
                    "{\"type\":\"dance\"}", "bad_request",
                    "{\"type\":\"join\"}", "bad_request",
                    "{\"type\":\"join\",\"room\":\"bad room!\"}", "bad_request",
                    "{\"type\":\"send\",\"room\":\"" + room + "\",\"text\":42}", "bad_request",
                    "{\"type\":\"send\",\"room\":\"" + room + "\",\"text\":\"" + "x".repeat(101) + "\"}", "too_large",
                    "{\"type\":\"join\",\"room\":\"" + room + "\",\"since\":\"yesterday\"}", "bad_request");
            for (var c : cases.entrySet()) {
                ada.sendText(c.getKey());
                assertEquals(c.getValue(), ada.await("error").path("code").asText(), c.getKey());
            }
            ada.send(Map.of("type", "ping"));
            ada.await("pong");
        }
    }

    @Test
    void roomAccessFollowsTheRoomsClaimAndDmRule() {
        try (WsTestClient c = WsTestClient.connect(port)) {
            c.send(Map.of("type", "auth", "token", Tokens.withRooms("7", List.of("support", "team-7:*"))));
            c.await("welcome");
            c.join("support");
            c.join("team-7:general");
            c.send(Map.of("type", "join", "room", "random", "ref", "j"));
            JsonNode e = c.await("error");
            assertEquals("forbidden", e.path("code").asText());
            assertEquals("j", e.path("ref").asText());
            c.join("dm:7:8");
            c.send(Map.of("type", "join", "room", "dm:8:9"));
            assertEquals("forbidden", c.await("error").path("code").asText());
            c.send(Map.of("type", "ping"));
            c.await("pong");
        }
    }

    @Test
    void idsAreUniqueAcrossRooms() {
        try (WsTestClient ada = WsTestClient.login(port, "ada")) {
            String a = room("a");
            String b = room("b");
            ada.join(a);
            ada.join(b);
            assertNotEquals(ada.say(a, "x", "1").path("id").asText(), ada.say(b, "x", "1").path("id").asText());
        }
    }

    private static Set<String> ids(JsonNode users) {
        Set<String> out = new java.util.HashSet<>();
        users.forEach(u -> out.add(u.path("id").asText()));
        return out;
    }

    private static List<String> texts(JsonNode messages) {
        List<String> out = new java.util.ArrayList<>();
        messages.forEach(m -> out.add(m.path("text").asText()));
        return out;
    }
}
