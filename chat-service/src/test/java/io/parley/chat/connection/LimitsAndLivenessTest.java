package io.parley.chat.connection;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.chat.ParleyServer;
import io.parley.chat.testing.RawWsClient;
import io.parley.chat.testing.TestServers;
import io.parley.chat.testing.Tokens;
import io.parley.chat.testing.WsTestClient;
import org.junit.jupiter.api.Test;

import static io.parley.chat.testing.WsTestClient.type;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Limits, slow consumers, silent peers and expiry: each with its own server so limits can be set small. */
class LimitsAndLivenessTest {

    @Test
    void frameLargerThanTheLimitClosesWith1009() {
        try (ParleyServer server = TestServers.start("PARLEY_LIMITS_FRAME_BYTES", "2048");
             WsTestClient ada = WsTestClient.login(server.publicPort(), "ada")) {
            ada.sendText("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(3000) + "\"}");
            assertEquals(1009, ada.awaitClose());
        }
    }

    @Test
    void tooManyFramesAreRateLimitedThenTheSocketIsClosed() {
        try (ParleyServer server = TestServers.start("PARLEY_LIMITS_RATE", "2", "PARLEY_LIMITS_BURST", "5");
             WsTestClient ada = WsTestClient.login(server.publicPort(), "ada")) {
            for (int i = 0; i < 8; i++) {
                ada.send(Map.of("type", "ping", "ref", "p" + i));
            }
            JsonNode limited = ada.await(f -> type(f, "error"));
            assertEquals("rate_limited", limited.path("code").asText());
            for (int i = 0; i < 40 && !ada.isClosed(); i++) {
                try {
                    ada.send(Map.of("type", "ping"));
                } catch (java.util.concurrent.CompletionException closedMeanwhile) {
                    break;
                }
            }
            assertEquals(4429, ada.awaitClose(), "persistent abuse closes the socket");
        }
    }

    @Test
    void persistentBadFramesClose4400() {
        try (ParleyServer server = TestServers.start("PARLEY_LIMITS_RATE", "1000", "PARLEY_LIMITS_BURST", "1000");
             WsTestClient ada = WsTestClient.login(server.publicPort(), "ada")) {
            for (int i = 0; i < 30; i++) {
                ada.sendText("{oops");
            }
            assertEquals(4400, ada.awaitClose());
        }
    }

    @Test
    void roomsPerConnectionLimit() {
        try (ParleyServer server = TestServers.start("PARLEY_LIMITS_ROOMS_PER_CONNECTION", "2");
             WsTestClient ada = WsTestClient.login(server.publicPort(), "ada")) {
            ada.join("r1");
            ada.join("r2");
            ada.send(Map.of("type", "join", "room", "r3"));
            assertEquals("forbidden", ada.await("error").path("code").asText());
            ada.join("r1"); // re-joining a room it is in is not a new room
        }
    }

    @Test
    void connectionsPerUserLimitCloses4429() {
        try (ParleyServer server = TestServers.start("PARLEY_LIMITS_CONNECTIONS_PER_USER", "2");
             WsTestClient a1 = WsTestClient.login(server.publicPort(), "ada");
             WsTestClient a2 = WsTestClient.login(server.publicPort(), "ada");
             WsTestClient a3 = WsTestClient.connect(server.publicPort())) {
            a3.send(Map.of("type", "auth", "token", Tokens.user("ada")));
            assertEquals(4429, a3.awaitClose());
            a2.close();
            try (WsTestClient again = WsTestClient.connect(server.publicPort())) {
                again.send(Map.of("type", "auth", "token", Tokens.user("ada")));
                again.await("welcome"); // a closed socket frees its place
            }
        }
    }

    @Test
    void aTokenThatExpiresClosesTheSocket4401() {
        try (ParleyServer server = TestServers.start();
             WsTestClient ada = WsTestClient.connect(server.publicPort())) {
            ada.send(Map.of("type", "auth", "token", Tokens.user("ada", "Ada", Duration.ofSeconds(2))));
            ada.await("welcome");
            JsonNode e = ada.await(f -> type(f, "error"));
            assertEquals("unauthorized", e.path("code").asText());
            assertEquals(4401, ada.awaitClose());
        }
    }

    @Test
    void aSlowConsumerIsClosed4503WhileOthersKeepReceiving() throws Exception {
        try (ParleyServer server = TestServers.start("PARLEY_LIMITS_OUTBOUND_QUEUE", "64", "PARLEY_LIMITS_TEXT", "30000",
                "PARLEY_LIMITS_RATE", "10000", "PARLEY_LIMITS_BURST", "10000");
             WsTestClient sender = WsTestClient.login(server.publicPort(), "sender");
             WsTestClient fast = WsTestClient.login(server.publicPort(), "fast");
             RawWsClient slow = RawWsClient.login(server.publicPort(), "slow")) {
            sender.join("flood");
            fast.join("flood");
            slow.sendText("{\"type\":\"join\",\"room\":\"flood\"}");
            fast.await(f -> type(f, "presence") && "slow".equals(f.path("user").path("id").asText()));
            double before = slowConsumerCloses(server);
            String big = "y".repeat(30_000);
            List<String> acked = new ArrayList<>();
            // The slow client never reads: its TCP buffers fill, then its queue of 64 frames, then it is cut off. The
            // fast client reads all along, so a burst of 25 never fills its queue.
            for (int batch = 0; batch < 100 && slowConsumerCloses(server) == before; batch++) {
                for (int i = 0; i < 25; i++) {
                    sender.send(Map.of("type", "send", "room", "flood", "text", big, "ref", "m" + batch + "-" + i));
                }
                for (int i = 0; i < 25; i++) {
                    acked.add(sender.await(f -> type(f, "ack")).path("id").asText());
                }
            }
            assertTrue(slowConsumerCloses(server) > before, "the slow socket was closed as a slow consumer");
            List<String> got = new ArrayList<>();
            while (got.size() < acked.size()) {
                got.add(fast.await(f -> type(f, "message")).path("id").asText());
            }
            assertEquals(acked, got, "the fast client received every message, in order");
            assertEquals(OptionalInt.of(4503), slow.readUntilClose(), "the slow client is told 4503");
            JsonNode leave = fast.await(f -> type(f, "presence") && "leave".equals(f.path("event").asText()));
            assertEquals("slow", leave.path("user").path("id").asText());
        }
    }

    private static double slowConsumerCloses(ParleyServer server) throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.adminPort() + "/observe/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return body.lines().filter(l -> l.startsWith("parley_slow_consumer_closes_total"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void aSilentPeerIsRemovedAndItsPresenceEnds() throws Exception {
        try (ParleyServer server = TestServers.start("PARLEY_HEARTBEAT", "400ms");
             WsTestClient ada = WsTestClient.login(server.publicPort(), "ada")) {
            ada.join("quiet");
            try (RawWsClient silent = RawWsClient.login(server.publicPort(), "ghost")) {
                silent.sendText("{\"type\":\"join\",\"room\":\"quiet\"}");
                JsonNode join = ada.await(f -> type(f, "presence"));
                assertEquals("ghost", join.path("user").path("id").asText());
                // The raw client never answers pings: after two heartbeats the server drops it.
                JsonNode leave = ada.await(f -> type(f, "presence") && "leave".equals(f.path("event").asText()));
                assertEquals("ghost", leave.path("user").path("id").asText());
            }
            // ada answers pings (the JDK client pongs by itself), so she is still connected: a deliberate wait past
            // three heartbeats, the server-side deadline she would have missed otherwise.
            Thread.sleep(1_200);
            ada.send(Map.of("type", "ping"));
            ada.await("pong");
        }
    }

    @Test
    void largeRoomsSendCountsInsteadOfMemberLists() {
        try (ParleyServer server = TestServers.start("PARLEY_PRESENCE_LIST_LIMIT", "2");
             WsTestClient a = WsTestClient.login(server.publicPort(), "a");
             WsTestClient b = WsTestClient.login(server.publicPort(), "b");
             WsTestClient c = WsTestClient.login(server.publicPort(), "c")) {
            a.join("big");
            b.join("big");
            JsonNode joined = c.join("big");
            assertEquals(3, joined.path("memberCount").asInt());
            assertEquals(2, joined.path("members").size());
            JsonNode count = a.await(f -> type(f, "presence") && "count".equals(f.path("event").asText()));
            assertEquals(3, count.path("count").asInt());
            assertFalse(a.received(f -> type(f, "presence") && "c".equals(f.path("user").path("id").asText()))
                    .iterator().hasNext(), "no per-user event above the limit");
        }
    }
}
