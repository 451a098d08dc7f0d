package io.parley.chat.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.chat.protocol.Json;

/**
 * A real WebSocket client (the JDK's) for tests: frames are read as JSON into an inbox that tests await by
 * predicate, without sleeps. Reading can be paused to play a client that stops reading.
 */
public final class WsTestClient implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** The type {@link #parseFrame} gives a frame that {@code docs/asyncapi.yaml} does not describe. */
    public static final String UNDOCUMENTED = "undocumented";
    private final List<JsonNode> inbox = new ArrayList<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile boolean paused;
    private volatile WebSocket ws;

    private WsTestClient() {
    }

    public static WsTestClient connect(int port) {
        return connect(port, null);
    }

    /** Opens {@code /ws}; {@code origin} null sends no Origin header. Throws when the upgrade is refused. */
    public static WsTestClient connect(int port, String origin) {
        WsTestClient client = new WsTestClient();
        WebSocket.Builder b = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (origin != null) {
            b.header("Origin", origin);
        }
        try {
            client.ws = b.buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), client.new Listener())
                    .get(10, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("upgrade failed: " + e.getMessage(), e);
        }
        return client;
    }

    /** Connects and authenticates as the user; returns after {@code welcome}. */
    public static WsTestClient login(int port, String userId) {
        WsTestClient c = connect(port);
        c.send(Map.of("type", "auth", "token", Tokens.user(userId)));
        c.await("welcome");
        return c;
    }

    public void send(Map<String, ?> frame) {
        sendText(Json.MAPPER.valueToTree(frame).toString());
    }

    public void sendText(String text) {
        ws.sendText(text, true).join();
    }

    public JsonNode join(String room) {
        send(Map.of("type", "join", "room", room));
        return await(f -> type(f, "joined") && room.equals(f.path("room").asText()));
    }

    /** Sends a message and returns its ack. */
    public JsonNode say(String room, String text, String ref) {
        send(Map.of("type", "send", "room", room, "text", text, "ref", ref));
        return await(f -> (type(f, "ack") || type(f, "error")) && ref.equals(f.path("ref").asText()));
    }

    public JsonNode await(String type) {
        return await(f -> type(f, type));
    }

    /** Removes and returns the first frame (received or still to come) that matches. */
    public JsonNode await(Predicate<JsonNode> match) {
        return await(match, WAIT);
    }

    public JsonNode await(Predicate<JsonNode> match, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (inbox) {
            while (true) {
                Iterator<JsonNode> it = inbox.iterator();
                while (it.hasNext()) {
                    JsonNode f = it.next();
                    if (match.test(f)) {
                        it.remove();
                        return f;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no matching frame within " + wait + "; inbox: " + inbox
                            + (closed.isDone() ? "; closed " + closed.join() : ""));
                }
                try {
                    inbox.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted");
                }
            }
        }
    }

    /** Every frame received so far that matches, without removing them. */
    public List<JsonNode> received(Predicate<JsonNode> match) {
        synchronized (inbox) {
            return inbox.stream().filter(match).toList();
        }
    }

    /** True when no matching frame arrives within the wait (use only for "nothing else happens" checks). */
    public boolean quietFor(Predicate<JsonNode> match, Duration wait) {
        try {
            await(match, wait);
            return false;
        } catch (AssertionError e) {
            return true;
        }
    }

    /** The close code the server sent, waiting for it. */
    public int awaitClose() {
        try {
            return closed.get(WAIT.toSeconds() * 2, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new AssertionError("socket not closed by the server: " + e);
        }
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    /** Stops reading: frames pile up in the TCP buffers until the server gives up on this client. */
    public void pauseReading() {
        paused = true;
    }

    public void resumeReading() {
        paused = false;
        ws.request(1);
    }

    /** Drops the TCP connection without a close frame. */
    public void abort() {
        ws.abort();
    }

    /** Closes the socket; fails when any frame received was not as {@code docs/asyncapi.yaml} describes it. */
    @Override
    public void close() {
        if (!ws.isOutputClosed()) {
            ws.sendClose(1000, "bye").exceptionally(t -> null);
        }
        ws.abort();
        synchronized (inbox) {
            for (JsonNode frame : inbox) {
                if (type(frame, UNDOCUMENTED)) {
                    throw new AssertionError("a server frame docs/asyncapi.yaml does not describe: "
                            + frame.path("why").asText());
                }
            }
        }
    }

    public static boolean type(JsonNode frame, String type) {
        return type.equals(frame.path("type").asText());
    }

    /**
     * A received text frame as JSON, checked against {@code docs/asyncapi.yaml}: one that is not JSON becomes
     * {@code {"type":"unparseable","text":...}}, one the document does not describe
     * {@code {"type":"undocumented","text":...,"why":...}}, so that no test takes it for what it expected.
     */
    public static JsonNode parseFrame(CharSequence text) {
        JsonNode frame;
        try {
            frame = Json.MAPPER.readTree(text.toString());
        } catch (Exception e) {
            return Json.MAPPER.createObjectNode().put("type", "unparseable").put("text", text.toString());
        }
        try {
            InterfaceDocs.checkServerFrame(text.toString());
            return frame;
        } catch (AssertionError e) {
            return Json.MAPPER.createObjectNode().put("type", UNDOCUMENTED).put("text", text.toString())
                    .put("why", e.getMessage());
        }
    }

    public static ObjectNode obj() {
        return Json.MAPPER.createObjectNode();
    }

    private final class Listener implements WebSocket.Listener {
        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                JsonNode node = parseFrame(partial);
                partial.setLength(0);
                synchronized (inbox) {
                    inbox.add(node);
                    inbox.notifyAll();
                }
            }
            if (!paused) {
                webSocket.request(1);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            synchronized (inbox) {
                inbox.notifyAll();
            }
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(1006);
            synchronized (inbox) {
                inbox.notifyAll();
            }
        }
    }
}
