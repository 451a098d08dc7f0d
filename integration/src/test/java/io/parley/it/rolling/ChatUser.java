package io.parley.it.rolling;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.chat.protocol.Json;
import io.parley.chat.testing.Tokens;
import io.parley.chat.testing.WsTestClient;

/**
 * One person in the rolling-restart conversation: a real WebSocket client (the JDK's) that behaves across a restart
 * as the contract asks a client to. On close 1012 it waits a small random delay, connects to the port the router
 * names (where a load balancer would send it), authenticates, joins each of its rooms again with {@code since} = the
 * last message id it was shown there, and then re-sends, with the same {@code ref}, every message whose ack it did
 * not get.
 *
 * <p>It records what the test checks: every message id shown per room (live or in a {@code joined} history) and any
 * id shown twice, the ids acknowledged to it per room, each close with its code and time, how long each resume took,
 * and anything unexpected (an error frame, an incomplete history, a failed connect).
 *
 * <p>Unlike {@code WsTestClient} (an inbox that a test awaits frame by frame), this client reacts to frames as they
 * come: a resume has to happen by itself, for a hundred clients at once. All users share one {@link HttpClient}, so
 * two hundred sockets cost one selector thread.
 */
final class ChatUser {

    /** The random delay before a reconnect after 1012 is drawn below this (the contract asks for a random delay). */
    static final Duration RECONNECT_JITTER = Duration.ofMillis(250);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** A close the server sent (or a socket error, as 1006), at {@link System#nanoTime()}. */
    record Close(int code, long atNanos) {
    }

    /**
     * One resume, in milliseconds after the close: the new socket open (random delay and upgrade), {@code welcome}
     * (authenticated), every room joined again (resumed).
     */
    record Resume(long opened, long welcomed, long resumed) {
    }

    /**
     * A message said and not yet acknowledged.
     *
     * @param sent   it went out on a socket at least once
     * @param resent it went out again after a reconnect
     */
    private record Outgoing(String room, String text, boolean sent, boolean resent) {
    }

    private final String id;
    private final List<String> rooms;
    private final IntSupplier router;
    private final ScheduledExecutorService timer;

    // Guarded by "this". Frames of one socket arrive one at a time; the conversation's timer calls say() meanwhile.
    private final Map<String, Set<String>> shown = new HashMap<>();
    private final Map<String, String> lastShown = new HashMap<>();
    private final List<String> shownTwice = new ArrayList<>();
    private final Map<String, Set<String>> acked = new HashMap<>();
    private final LinkedHashMap<String, Outgoing> unacked = new LinkedHashMap<>();
    private final List<Close> closes = new ArrayList<>();
    private final List<Resume> resumes = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private Link link;
    private int port;
    private int said;
    private int resent;
    private int resentAlreadyAccepted;
    private boolean leaving;

    private ChatUser(String id, List<String> rooms, IntSupplier router, ScheduledExecutorService timer) {
        this.id = id;
        this.rooms = List.copyOf(rooms);
        this.router = router;
        this.timer = timer;
        for (String room : rooms) {
            shown.put(room, new LinkedHashSet<>());
            acked.put(room, new HashSet<>());
        }
    }

    /**
     * Starts connecting to {@code port} and joining the rooms; returns at once ({@link #isReady()} tells when done).
     *
     * @param router the port a reconnect goes to
     */
    static ChatUser connect(String id, List<String> rooms, int port, IntSupplier router,
                            ScheduledExecutorService timer) {
        ChatUser user = new ChatUser(id, rooms, router, timer);
        user.open(port);
        return user;
    }

    String id() {
        return id;
    }

    List<String> rooms() {
        return rooms;
    }

    /** Says the next line of this user's part of the conversation, in its rooms in turn. */
    synchronized void say() {
        if (leaving) {
            return;
        }
        said++;
        String ref = id + "-" + said;
        boolean online = link != null && link.ready;
        Outgoing message = new Outgoing(rooms.get(said % rooms.size()), "line " + said + " from " + id, online, false);
        unacked.put(ref, message);
        if (online) {
            link.send(sendFrame(ref, message));
        }
        // Otherwise it goes out when the rooms are joined again: a message typed during a reconnect is not lost.
    }

    /** Authenticated and in every room on the current socket. */
    synchronized boolean isReady() {
        return link != null && link.ready;
    }

    /** Ready, and every message said so far was acknowledged. */
    synchronized boolean isSettled() {
        return isReady() && unacked.isEmpty();
    }

    /** The port of the current (or last) socket. */
    synchronized int port() {
        return port;
    }

    synchronized boolean hasShownAll(String room, Set<String> ids) {
        return shown.get(room).containsAll(ids);
    }

    synchronized Set<String> shown(String room) {
        return Set.copyOf(shown.get(room));
    }

    synchronized Set<String> acked(String room) {
        return Set.copyOf(acked.get(room));
    }

    synchronized int ackedCount() {
        return acked.values().stream().mapToInt(Set::size).sum();
    }

    synchronized List<String> shownTwice() {
        return List.copyOf(shownTwice);
    }

    synchronized List<Close> closes() {
        return List.copyOf(closes);
    }

    synchronized List<Resume> resumes() {
        return List.copyOf(resumes);
    }

    /** Messages re-sent after a reconnect because their ack had not come. */
    synchronized int resent() {
        return resent;
    }

    /** Re-sent messages that the server had accepted before: their ack named an id shown before the re-send. */
    synchronized int resentAlreadyAccepted() {
        return resentAlreadyAccepted;
    }

    synchronized List<String> problems() {
        return List.copyOf(problems);
    }

    /** Closes the socket with 1000 and stops reconnecting. */
    synchronized void leave() {
        leaving = true;
        if (link != null && link.ws != null) {
            link.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(t -> null);
            link.ws.abort();
        }
    }

    @Override
    public synchronized String toString() {
        return id + " on port " + port + (isReady() ? " ready" : " not ready") + ", unacked " + unacked.keySet()
                + ", closes " + closes.stream().map(Close::code).toList();
    }

    private synchronized void open(int port) {
        this.port = port;
        Link next = new Link(!closes.isEmpty());
        link = next;
        HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), next)
                .whenComplete((ws, failure) -> {
                    if (failure != null) {
                        problem("connect to port " + port + " failed: " + failure);
                    }
                });
    }

    private synchronized void onFrame(Link from, JsonNode frame) {
        if (from != link) {
            return; // a late frame of a socket already replaced
        }
        switch (frame.path("type").asText()) {
            case "welcome" -> {
                from.welcomedAt = System.nanoTime();
                rooms.forEach(room -> from.send(joinFrame(room)));
            }
            case "joined" -> joined(from, frame);
            case "message" -> show(frame.path("room").asText(), frame);
            case "ack" -> ack(from, frame.path("ref").asText(), frame.path("id").asText());
            case "presence", "pong", "typing" -> {
            }
            default -> problems.add("unexpected frame: " + frame);
        }
    }

    private void joined(Link from, JsonNode frame) {
        String room = frame.path("room").asText();
        frame.path("history").forEach(message -> show(room, message));
        if (from.resuming && !frame.path("complete").asBoolean()) {
            problems.add("resumed " + room + " with an incomplete history");
        }
        from.joining.remove(room);
        if (!from.joining.isEmpty()) {
            return;
        }
        from.ready = true;
        if (from.resuming) {
            long closed = closes.getLast().atNanos();
            resumes.add(new Resume(millisSince(closed, from.openedAt), millisSince(closed, from.welcomedAt),
                    millisSince(closed, System.nanoTime())));
        }
        // What was said but not acknowledged goes again, with the same ref: the server answers with the id it gave
        // the first time if it took it, and does not broadcast it twice.
        if (from.resuming) {
            shown.values().forEach(from.shownBeforeResend::addAll);
        }
        for (Map.Entry<String, Outgoing> e : unacked.entrySet()) {
            Outgoing before = e.getValue();
            Outgoing again = new Outgoing(before.room(), before.text(), true, before.resent() || before.sent());
            e.setValue(again);
            if (again.resent()) {
                resent++;
            }
            from.send(sendFrame(e.getKey(), again));
        }
    }

    private void show(String room, JsonNode message) {
        Set<String> ids = shown.get(room);
        if (ids == null) {
            problems.add("a message for a room not joined: " + message);
            return;
        }
        String messageId = message.path("id").asText();
        if (!ids.add(messageId)) {
            shownTwice.add(room + "/" + messageId);
        }
        lastShown.put(room, messageId);
    }

    private void ack(Link from, String ref, String messageId) {
        Outgoing message = unacked.remove(ref);
        if (message == null) {
            problems.add("an ack for " + ref + " that was not awaited");
            return;
        }
        if (message.resent() && from.shownBeforeResend.contains(messageId)) {
            resentAlreadyAccepted++;
        }
        acked.get(message.room()).add(messageId);
    }

    private synchronized void onClose(Link from, int code) {
        if (from != link || leaving) {
            return;
        }
        closes.add(new Close(code, System.nanoTime()));
        link = null;
        if (code != 1012) {
            problems.add("closed " + code + " by port " + port);
            return;
        }
        long jitter = ThreadLocalRandom.current().nextLong(RECONNECT_JITTER.toMillis());
        timer.schedule(() -> open(router.getAsInt()), jitter, TimeUnit.MILLISECONDS);
    }

    private synchronized void problem(String what) {
        if (!leaving) {
            problems.add(what);
        }
    }

    private static long millisSince(long startNanos, long endNanos) {
        return TimeUnit.NANOSECONDS.toMillis(endNanos - startNanos);
    }

    private ObjectNode joinFrame(String room) {
        ObjectNode join = Json.MAPPER.createObjectNode().put("type", "join").put("room", room);
        String since = lastShown.get(room);
        if (since != null) {
            join.put("since", since);
        }
        return join;
    }

    private static ObjectNode sendFrame(String ref, Outgoing message) {
        return Json.MAPPER.createObjectNode().put("type", "send").put("room", message.room())
                .put("text", message.text()).put("ref", ref);
    }

    /** One socket of this user: connects, authenticates, joins; its frames go to the user. */
    private final class Link implements WebSocket.Listener {

        final boolean resuming;
        final Set<String> joining = new HashSet<>(rooms);
        /** On a resume: the ids shown before the unacknowledged messages went again. */
        final Set<String> shownBeforeResend = new HashSet<>();
        volatile WebSocket ws;
        volatile long openedAt;
        long welcomedAt;
        boolean ready;
        private final StringBuilder partial = new StringBuilder();
        // The JDK allows one outstanding send per socket: sends are chained, none waits.
        private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);

        Link(boolean resuming) {
            this.resuming = resuming;
        }

        void send(ObjectNode frame) {
            String text = frame.toString();
            synchronized (this) {
                // A send on a socket that is closing fails; the message stays unacknowledged and goes again later.
                sending = sending.thenCompose(v -> ws.sendText(text, true)).exceptionally(t -> null);
            }
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            ws = webSocket;
            openedAt = System.nanoTime();
            send(Json.MAPPER.createObjectNode().put("type", "auth").put("token", Tokens.user(id)));
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                JsonNode frame = WsTestClient.parseFrame(partial);
                partial.setLength(0);
                onFrame(this, frame);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            ChatUser.this.onClose(this, statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            ChatUser.this.onClose(this, 1006);
        }
    }
}
