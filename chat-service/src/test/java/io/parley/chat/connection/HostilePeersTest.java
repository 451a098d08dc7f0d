package io.parley.chat.connection;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.chat.ParleyServer;
import io.parley.chat.api.SignedApiClient;
import io.parley.chat.testing.Eventually;
import io.parley.chat.testing.RawWsClient;
import io.parley.chat.testing.TestServers;
import io.parley.chat.testing.Tokens;
import io.parley.chat.testing.WsTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.parley.chat.testing.WsTestClient.type;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The peers a polite client library will not play, one test per finding of the red team (issue 9): sockets that
 * ignore close frames, stop reading, vanish, or send what RFC 6455 forbids. Waits are generous upper bounds that the
 * old behaviour could not meet (it kept such sockets for good, or until two heartbeats of a minute), never timings.
 */
class HostilePeersTest {

    private static final String API_SECRET = "api-secret-api-secret-api-secret-0001";
    private static final Duration SHORT = Duration.ofSeconds(2);
    private static final Duration CUT = Duration.ofSeconds(6);

    private final List<LogRecord> logged = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public synchronized void publish(LogRecord r) {
            logged.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLogs() {
        capture.setLevel(Level.ALL);
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void stopCapturing() {
        Logger.getLogger("").removeHandler(capture);
    }

    // ---- finding 1: a socket the server has closed is not served -------------------------------------------------

    @Test
    void aRevokedSocketThatIgnoresTheCloseFrameIsNotServedAndIsCut() throws Exception {
        try (ParleyServer server = TestServers.start("PARLEY_API_SECRETS", API_SECRET, "PARLEY_HEARTBEAT", "60s");
             WsTestClient bob = WsTestClient.login(server.publicPort(), "bob");
             RawWsClient eve = RawWsClient.login(server.publicPort(), "eve")) {
            bob.join("lobby");
            assertNotNull(eve.nextText(SHORT), "welcome");
            eve.sendText("{\"type\":\"join\",\"room\":\"lobby\"}");
            bob.await(f -> type(f, "presence") && "eve".equals(f.path("user").path("id").asText()));
            assertEquals(2, server.openSockets());

            SignedApiClient api = new SignedApiClient(server.adminPort(), API_SECRET);
            assertEquals(202, api.post("/api/v1/users/eve/disconnect", "{\"reason\":\"banned\",\"revoke\":true}")
                    .status());
            JsonNode leave = bob.await(f -> type(f, "presence") && "leave".equals(f.path("event").asText()));
            assertEquals("eve", leave.path("user").path("id").asText(), "eve left the room at once");
            // eve ignores the close frame and keeps talking: nothing of hers is processed any more.
            for (int i = 0; i < 5; i++) {
                eve.sendText("{\"type\":\"send\",\"room\":\"lobby\",\"text\":\"still here " + i + "\",\"ref\":\"e" + i
                        + "\"}");
            }
            assertTrue(eve.ignoreUntilCut(CUT), "the server cut the TCP connection of a peer that never answered");
            assertTrue(bob.quietFor(f -> type(f, "message"), Duration.ofMillis(500)), "none of eve's sends went out");
            Eventually.until("eve is out of the counts", () -> server.openSockets() == 1);
        }
    }

    @Test
    void anExpiredSocketThatIgnoresTheCloseFrameIsCutAndItsLaterSendsAreDropped() throws Exception {
        try (ParleyServer server = TestServers.start("PARLEY_HEARTBEAT", "60s");
             WsTestClient bob = WsTestClient.login(server.publicPort(), "bob");
             RawWsClient eve = RawWsClient.loginWithToken(server.publicPort(),
                     Tokens.user("eve", "Eve", Duration.ofSeconds(2)))) {
            bob.join("lobby");
            eve.sendText("{\"type\":\"join\",\"room\":\"lobby\"}");
            bob.await(f -> type(f, "presence") && "eve".equals(f.path("user").path("id").asText()));
            bob.await(f -> type(f, "presence") && "leave".equals(f.path("event").asText()));
            eve.sendText("{\"type\":\"send\",\"room\":\"lobby\",\"text\":\"after expiry\",\"ref\":\"late\"}");
            assertTrue(eve.ignoreUntilCut(CUT));
            assertTrue(bob.quietFor(f -> type(f, "message"), Duration.ofMillis(500)));
        }
    }

    @Test
    void theTwentyFirstSocketOfAUserIsRefusedWithoutLeakingAnInternalError() throws Exception {
        try (ParleyServer server = TestServers.start("PARLEY_LIMITS_CONNECTIONS_PER_USER", "2");
             WsTestClient one = WsTestClient.login(server.publicPort(), "ada");
             WsTestClient two = WsTestClient.login(server.publicPort(), "ada");
             RawWsClient third = RawWsClient.login(server.publicPort(), "ada")) {
            for (int i = 0; i < 10; i++) {
                third.sendText("{\"type\":\"ping\",\"ref\":\"p" + i + "\"}"); // keeps sending, as the red team did
            }
            RawWsClient.ServerFrame close = firstClose(third);
            assertEquals(4429, close.closeCode());
            assertFalse(new String(close.payload(), StandardCharsets.UTF_8).contains("Exception"));
            assertFalse(new String(close.payload(), StandardCharsets.UTF_8).contains("null"));
            Eventually.until("the refused socket is not counted", () -> server.openSockets() == 2);
        }
    }

    // ---- finding 2: a socket that stops reading cannot stall the sweeper ----------------------------------------

    @Test
    void aSocketThatStopsReadingCannotDelayTheAuthTimeoutOfOthers() throws Exception {
        try (ParleyServer server = TestServers.start("PARLEY_AUTH_TIMEOUT", "1s", "PARLEY_LIMITS_TEXT", "30000",
                "PARLEY_LIMITS_RATE", "10000", "PARLEY_LIMITS_BURST", "10000", "PARLEY_LIMITS_OUTBOUND_QUEUE", "100000");
             WsTestClient sender = WsTestClient.login(server.publicPort(), "sender");
             RawWsClient stuck = RawWsClient.loginWithToken(server.publicPort(),
                     Tokens.user("stuck", "Stuck", Duration.ofSeconds(3)))) {
            sender.join("busy");
            stuck.sendText("{\"type\":\"join\",\"room\":\"busy\"}");
            sender.await(f -> type(f, "presence") && "stuck".equals(f.path("user").path("id").asText()));
            String big = "z".repeat(30_000);
            for (int i = 0; i < 200; i++) { // ~6 MB: far more than the stuck socket's TCP buffers hold
                sender.send(Map.of("type", "send", "room", "busy", "text", big, "ref", "b" + i));
            }
            // The stuck socket's token expires at 3 s; its close frame cannot be written. The old sweeper then forced
            // the close itself 5 s later and blocked in that write. Past both points, a new socket that never
            // authenticates must still be closed 4408 on time.
            Thread.sleep(9_000);
            try (RawWsClient lazy = RawWsClient.open(server.publicPort())) {
                RawWsClient.ServerFrame close = firstClose(lazy);
                assertNotNull(close, "the unauthenticated socket got its close frame");
                assertEquals(4408, close.closeCode());
            }
        }
    }

    // ---- finding 3: a vanished peer is removed at once -------------------------------------------------------------

    @Test
    void aPeerThatVanishesWithoutACloseFrameLeavesAtOnce() throws Exception {
        try (ParleyServer server = TestServers.start("PARLEY_HEARTBEAT", "60s");
             WsTestClient bob = WsTestClient.login(server.publicPort(), "bob")) {
            bob.join("lobby");
            RawWsClient tab = RawWsClient.login(server.publicPort(), "tab");
            tab.sendText("{\"type\":\"join\",\"room\":\"lobby\"}");
            bob.await(f -> type(f, "presence") && "tab".equals(f.path("user").path("id").asText()));
            tab.vanish(); // RST, no close frame; the heartbeat would take two minutes to notice
            JsonNode leave = bob.await(f -> type(f, "presence") && "leave".equals(f.path("event").asText()), CUT);
            assertEquals("tab", leave.path("user").path("id").asText());
            Eventually.until("the vanished tab is out of the counts", () -> server.openSockets() == 1);

            RawWsClient closedTab = RawWsClient.login(server.publicPort(), "fin");
            closedTab.sendText("{\"type\":\"join\",\"room\":\"lobby\"}");
            bob.await(f -> type(f, "presence") && "fin".equals(f.path("user").path("id").asText()));
            closedTab.close(); // FIN, no close frame
            JsonNode left = bob.await(f -> type(f, "presence") && "leave".equals(f.path("event").asText())
                    && "fin".equals(f.path("user").path("id").asText()), CUT);
            assertNotNull(left);
        }
    }

    // ---- findings 4 and 7: RFC 6455 violations get their close code, no stack trace ------------------------------

    @Test
    void aReservedOpcodeBeforeAuthClosesWith1002AndLogsNoStackTrace() throws Exception {
        try (ParleyServer server = TestServers.start()) {
            for (int i = 0; i < 5; i++) {
                try (RawWsClient c = RawWsClient.open(server.publicPort())) {
                    c.sendFrame(0x80 | 0x3, "x".getBytes(StandardCharsets.UTF_8));
                    RawWsClient.ServerFrame f = c.next(CUT);
                    assertNotNull(f, "a frame, not an HTTP answer");
                    assertEquals(RawWsClient.CLOSE, f.opcode());
                    assertEquals(1002, f.closeCode());
                }
            }
            assertTrue(logged.stream().noneMatch(r -> r.getThrown() != null), "no stack trace was logged");
            assertTrue(logged.stream().filter(r -> r.getLevel().intValue() >= Level.INFO.intValue())
                    .noneMatch(r -> String.valueOf(r.getMessage()).contains("opcode")), "client errors are not INFO+");
        }
    }

    @Test
    void rfcViolationsGetTheirCloseCodes() throws Exception {
        try (ParleyServer server = TestServers.start()) {
            assertEquals(1007, closeAfter(server, c -> c.sendFrame(0x81, new byte[] {(byte) 0xC3, 0x28})),
                    "invalid UTF-8");
            assertEquals(1002, closeAfter(server, c -> c.sendFrame(0x89, new byte[126])), "control frame over 125 bytes");
            assertEquals(1002, closeAfter(server, c -> c.sendFrame(0x09, new byte[1])), "fragmented control frame");
            assertEquals(1002, closeAfter(server, c -> c.sendFrame(0x80, "{}".getBytes(StandardCharsets.UTF_8))),
                    "continuation without a start");
            assertEquals(1002, closeAfter(server, c -> c.sendFrame(0x88, new byte[] {0x03, (byte) 0xE7})),
                    "close code 999");
            assertEquals(1002, closeAfter(server, c -> c.sendFrame(0xC1, "{}".getBytes(StandardCharsets.UTF_8))),
                    "RSV1 without an extension");
            assertEquals(1002, closeAfter(server, c -> c.sendFrame(0x81, "{}".getBytes(StandardCharsets.UTF_8), false)),
                    "an unmasked client frame");
            assertEquals(1000, closeAfter(server, c -> c.sendFrame(0x88, new byte[] {0x03, (byte) 0xE8})),
                    "a valid close is echoed");
        }
    }

    @Test
    void aClientPingGetsAPongWithItsPayloadAndCountsAsLife() throws Exception {
        try (ParleyServer server = TestServers.start("PARLEY_HEARTBEAT", "300ms");
             RawWsClient c = RawWsClient.login(server.publicPort(), "pinger")) {
            assertNotNull(c.nextText(SHORT), "welcome");
            byte[] payload = "hello".getBytes(StandardCharsets.UTF_8);
            // The client's own pace, deliberately past two server heartbeats: a ping every 100 ms for 2 s.
            long until = System.currentTimeMillis() + 2_000;
            int pongs = 0;
            while (System.currentTimeMillis() < until) {
                c.sendFrame(0x89, payload);
                RawWsClient.ServerFrame f;
                while ((f = c.next(SHORT)) != null && f.opcode() == RawWsClient.PING) {
                    // server pings are deliberately not answered
                }
                assertNotNull(f, "the socket is still open");
                assertEquals(RawWsClient.PONG, f.opcode());
                assertEquals("hello", f.text());
                pongs++;
                Thread.sleep(100);
            }
            assertTrue(pongs > 5);
            assertEquals(1, server.openSockets(), "a client that pings is alive even if it ignores server pings");
        }
    }

    // ---- finding 6: fragments are joined as bytes ------------------------------------------------------------------

    @Test
    void aTextSplitInsideAMultiByteCharacterArrivesIntact() throws Exception {
        try (ParleyServer server = TestServers.start();
             WsTestClient bob = WsTestClient.login(server.publicPort(), "bob");
             RawWsClient ada = RawWsClient.login(server.publicPort(), "ada")) {
            bob.join("euro");
            ada.sendText("{\"type\":\"join\",\"room\":\"euro\"}");
            bob.await(f -> type(f, "presence"));
            byte[] frame = "{\"type\":\"send\",\"room\":\"euro\",\"text\":\"5€\",\"ref\":\"x\"}"
                    .getBytes(StandardCharsets.UTF_8);
            int split = indexOf(frame, (byte) 0xE2) + 1; // inside the three bytes of €
            ada.sendFrame(0x01, java.util.Arrays.copyOfRange(frame, 0, split));
            ada.sendFrame(0x80, java.util.Arrays.copyOfRange(frame, split, frame.length));
            assertEquals("5€", bob.await(f -> type(f, "message")).path("text").asText());
        }
    }

    // ---- finding 8: rate_limited echoes the ref ---------------------------------------------------------------------

    @Test
    void aRateLimitedFrameIsAnsweredWithItsRef() {
        try (ParleyServer server = TestServers.start("PARLEY_LIMITS_RATE", "1", "PARLEY_LIMITS_BURST", "1");
             WsTestClient ada = WsTestClient.login(server.publicPort(), "ada")) {
            ada.send(Map.of("type", "ping", "ref", "first"));
            ada.send(Map.of("type", "join", "room", "r", "ref", "second"));
            JsonNode limited = ada.await(f -> type(f, "error"));
            assertEquals("rate_limited", limited.path("code").asText());
            assertEquals("second", limited.path("ref").asText());
            assertEquals("r", limited.path("room").asText());
        }
    }

    // ---- finding 9: the upgrade -------------------------------------------------------------------------------------

    @Test
    void anUpgradeWithTwoOriginsIsRefused() throws Exception {
        try (ParleyServer server = TestServers.start()) {
            String twice = RawWsClient.upgradeResponse(server.publicPort(),
                    "Origin: " + TestServers.ALLOWED_ORIGIN + "\r\nOrigin: https://evil.example\r\n");
            assertTrue(twice.startsWith("HTTP/1.1 403"), twice);
            String once = RawWsClient.upgradeResponse(server.publicPort(), "Origin: " + TestServers.ALLOWED_ORIGIN
                    + "\r\n");
            assertTrue(once.startsWith("HTTP/1.1 101"), once);
        }
    }

    @Test
    void headersSentAByteAtATimeAreCutAtTheDeadline() throws Exception {
        try (ParleyServer server = TestServers.start("PARLEY_AUTH_TIMEOUT", "1s");
             java.net.Socket slow = new java.net.Socket("127.0.0.1", server.publicPort())) {
            var out = slow.getOutputStream();
            out.write("GET /ws HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            boolean cut = false;
            long until = System.currentTimeMillis() + 8_000; // a slow client's pace, deliberately past the deadline
            try {
                while (System.currentTimeMillis() < until) {
                    out.write('X'); // a header that never ends
                    out.flush();
                    Thread.sleep(200);
                }
            } catch (java.io.IOException e) {
                cut = true;
            }
            if (!cut) {
                slow.setSoTimeout(2_000);
                cut = slow.getInputStream().read() < 0;
            }
            assertTrue(cut, "the server cut a request whose headers did not arrive in time");
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------------------

    private interface Abuse {
        void on(RawWsClient c) throws Exception;
    }

    private static int closeAfter(ParleyServer server, Abuse abuse) throws Exception {
        try (RawWsClient c = RawWsClient.login(server.publicPort(), "rfc")) {
            assertNotNull(c.nextText(SHORT), "welcome");
            abuse.on(c);
            RawWsClient.ServerFrame close = firstClose(c);
            assertNotNull(close, "a close frame");
            return close.closeCode();
        }
    }

    private static RawWsClient.ServerFrame firstClose(RawWsClient c) throws Exception {
        RawWsClient.ServerFrame f;
        while ((f = c.next(CUT)) != null) {
            if (f.opcode() == RawWsClient.CLOSE) {
                return f;
            }
        }
        return null;
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
