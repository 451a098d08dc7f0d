package io.parley.chat.connection;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.chat.ParleyServer;
import io.parley.chat.testing.Eventually;
import io.parley.chat.testing.RawWsClient;
import io.parley.chat.testing.TestServers;
import io.parley.chat.testing.Tokens;
import io.parley.chat.testing.WsTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random and mutated frames against a real server over real sockets: valid and broken JSON, every frame type with
 * random fields, invalid UTF-8, odd sizes, fragments split anywhere (inside characters too), reserved bits and
 * opcodes, unmasked frames, client close frames, good, forged and expired tokens. Whatever a case sends, the server
 * answers only with frames and close codes the protocol defines, never logs a stack trace, and forgets the socket.
 *
 * <p>A few thousand cases in the normal build; the benchmark profile takes 100,000:
 * {@code mvn -pl chat-service -am -Pbench test} (or {@code integration/bench/run.sh fuzz}; {@code -Dfuzz.cases=N}
 * for another count). A failure names its seed; {@code -Dparley.fuzz.seed=N} replays the same cases.
 */
class HostileFramesFuzzTest {

    private static final Set<String> SERVER_TYPES = Set.of("welcome", "joined", "left", "ack", "message", "presence",
            "typing", "refreshed", "pong", "error");
    private static final Set<String> ERROR_CODES = Set.of("bad_request", "unauthorized", "forbidden", "not_joined",
            "too_large", "rate_limited", "internal");
    private static final Set<Integer> CLOSE_CODES = Set.of(1000, 1002, 1007, 1009, 4400, 4401, 4408, 4429, 4503);
    private static final String PROBE = "{\"type\":\"ping\",\"ref\":\"probe\"}";
    private static final String[] TYPES = {"join", "leave", "send", "typing", "refresh", "ping", "auth", "nope"};
    private static final String[] ROOMS = {"lobby", "dm:a:b", "team-7:x"};

    private static ParleyServer server;
    private static final List<LogRecord> TRACES = Collections.synchronizedList(new ArrayList<>());
    private static final Handler CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getThrown() != null) {
                TRACES.add(r);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    /** One frame to send: first byte (FIN, RSV, opcode), payload, masked or not. */
    record RawFrame(int b0, byte[] payload, boolean masked) {
        @Override
        public String toString() {
            String text = new String(payload, StandardCharsets.UTF_8);
            return String.format("%02x %s%s", b0, text.substring(0, Math.min(60, text.length())),
                    masked ? "" : " (unmasked)");
        }
    }

    @BeforeAll
    static void start() {
        server = TestServers.start("PARLEY_LIMITS_FRAME_BYTES", "4096", "PARLEY_LIMITS_TEXT", "200",
                "PARLEY_LIMITS_RATE", "1000", "PARLEY_LIMITS_BURST", "1000", "PARLEY_AUTH_TIMEOUT", "2s");
        CAPTURE.setLevel(Level.ALL);
        Logger.getLogger("").addHandler(CAPTURE);
    }

    @AfterAll
    static void stop() {
        Logger.getLogger("").removeHandler(CAPTURE);
        server.close();
    }

    @Test
    void everyAnswerIsOneTheProtocolDefines() throws Exception {
        int cases = Integer.getInteger("parley.fuzz.cases", 2_000);
        long seed = Long.getLong("parley.fuzz.seed", System.nanoTime());
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < cases; i++) {
            List<RawFrame> frames = session(random);
            String replay = "case " + i + " of seed " + seed + " (-Dparley.fuzz.seed=" + seed + "): " + frames;
            runCase(frames, replay);
            assertTrue(TRACES.isEmpty(), () -> "a stack trace was logged in " + replay + ": "
                    + TRACES.getFirst().getThrown());
        }
        Eventually.until("every socket is forgotten once it is gone", () -> server.openSockets() == 0,
                () -> server.openSockets() + " open", Duration.ofSeconds(10));
    }

    private static void runCase(List<RawFrame> frames, String replay) throws IOException {
        try (RawWsClient c = RawWsClient.open(server.publicPort())) {
            boolean cut = false;
            try {
                for (RawFrame f : frames) {
                    c.sendFrame(f.b0(), f.payload(), f.masked());
                }
                c.sendText(PROBE);
            } catch (IOException e) {
                cut = true; // the server closed the socket already: what it said before that is read below
            }
            while (true) {
                RawWsClient.ServerFrame answer = c.next(Duration.ofSeconds(5));
                if (answer == null && cut) {
                    return; // a reset may discard the close frame that was sent
                }
                assertNotNull(answer, "the server answers the probe or closes the socket: " + replay);
                if (answer.opcode() == RawWsClient.CLOSE) {
                    assertTrue(CLOSE_CODES.contains(answer.closeCode()) || echoed(frames, answer.closeCode()),
                            "close code " + answer.closeCode() + " in " + replay);
                    return;
                }
                if (answer.opcode() == RawWsClient.TEXT) {
                    JsonNode json = WsTestClient.parseFrame(answer.text());
                    String type = json.path("type").asText();
                    assertTrue(SERVER_TYPES.contains(type), "frame type " + type + " in " + replay);
                    if (type.equals("error")) {
                        assertTrue(ERROR_CODES.contains(json.path("code").asText()), answer.text() + " in " + replay);
                    }
                    if (type.equals("pong") && json.path("ref").asText().equals("probe")) {
                        return;
                    }
                }
            }
        }
    }

    /** A close started by the client is answered with the client's own code (RFC 6455 §5.5.1). */
    private static boolean echoed(List<RawFrame> frames, int code) {
        return frames.stream().anyMatch(f -> (f.b0() & 0x0F) == 0x8 && f.payload().length >= 2
                && (((f.payload()[0] & 0xff) << 8) | (f.payload()[1] & 0xff)) == code);
    }

    // ---- generation -----------------------------------------------------------------------------------------------

    /** An auth frame (most of the time), then up to six frames of any kind; sometimes one split in two. */
    private static List<RawFrame> session(SplittableRandom r) {
        List<RawFrame> frames = new ArrayList<>();
        if (r.nextInt(100) < 85) {
            frames.add(text("{\"type\":\"auth\",\"token\":\"" + token(r) + "\"}"));
        }
        int more = r.nextInt(7);
        for (int i = 0; i < more; i++) {
            frames.add(switch (r.nextInt(4)) {
                case 0 -> text(clientFrame(r));
                case 1 -> new RawFrame(0x81, bytes(r, 300), true);
                case 2 -> mutated(r);
                default -> new RawFrame(new int[] {0x88, 0x89, 0x8A, 0x08, 0x09}[r.nextInt(5)], bytes(r, 130), true);
            });
        }
        return r.nextBoolean() ? fragmented(frames, r.nextInt(41)) : frames;
    }

    private static String token(SplittableRandom r) {
        return switch (r.nextInt(4)) {
            case 0 -> Tokens.user("u" + r.nextInt(1_000_000));
            case 1 -> Tokens.user("expired", "E", Duration.ofSeconds(-60));
            case 2 -> string(r, 80);
            default -> Tokens.user("ada").replace('a', 'b'); // a forged signature
        };
    }

    private static String clientFrame(SplittableRandom r) {
        String room = r.nextBoolean() ? ROOMS[r.nextInt(ROOMS.length)] : string(r, 70);
        return "{\"type\":\"" + TYPES[r.nextInt(TYPES.length)] + "\",\"room\":" + quote(room) + ",\"text\":"
                + quote(string(r, 250)) + ",\"ref\":" + quote(string(r, 12)) + ",\"token\":\"x\",\"since\":"
                + quote(string(r, 12)) + "}";
    }

    private static RawFrame mutated(SplittableRandom r) {
        String json = clientFrame(r);
        if (r.nextInt(7) == 0) {
            json += " ".repeat(r.nextInt(5_000)); // around the 4 KiB frame limit
        }
        return new RawFrame(r.nextInt(256), json.getBytes(StandardCharsets.UTF_8), r.nextInt(4) != 0);
    }

    /** The same frames with the first data frame split in two at {@code at} bytes (possibly inside a character). */
    private static List<RawFrame> fragmented(List<RawFrame> frames, int at) {
        List<RawFrame> out = new ArrayList<>();
        boolean done = false;
        for (RawFrame f : frames) {
            if (!done && f.b0() == 0x81 && f.payload().length > at) {
                out.add(new RawFrame(0x01, Arrays.copyOfRange(f.payload(), 0, at), true));
                out.add(new RawFrame(0x80, Arrays.copyOfRange(f.payload(), at, f.payload().length), true));
                done = true;
            } else {
                out.add(f);
            }
        }
        return out;
    }

    /** Any code points: ASCII, controls, other scripts, astral characters, lone surrogates. */
    private static String string(SplittableRandom r, int maxLength) {
        int length = r.nextInt(maxLength + 1);
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(switch (r.nextInt(5)) {
                case 0, 1 -> (char) r.nextInt(0x20, 0x7F);
                case 2 -> (char) r.nextInt(0x00, 0x20);
                case 3 -> (char) r.nextInt(0x80, 0xFFFF);
                default -> new String(Character.toChars(r.nextInt(0x10000, 0x10FFFF)));
            });
        }
        return b.toString();
    }

    private static byte[] bytes(SplittableRandom r, int maxLength) {
        byte[] b = new byte[r.nextInt(maxLength + 1)];
        r.nextBytes(b);
        return b;
    }

    private static RawFrame text(String json) {
        return new RawFrame(0x81, json.getBytes(StandardCharsets.UTF_8), true);
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            if (ch == '"' || ch == '\\') {
                b.append('\\').append(ch);
            } else if (ch < 0x20) {
                b.append(String.format("\\u%04x", (int) ch));
            } else {
                b.append(ch);
            }
        }
        return b.append('"').toString();
    }
}
