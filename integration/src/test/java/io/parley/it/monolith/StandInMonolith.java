package io.parley.it.monolith;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.parley.chat.protocol.Json;
import io.parley.chat.signing.ParleySignature;
import io.parley.chat.signing.SignatureException;
import io.parley.chat.signing.SignatureVerifier;
import io.parley.chat.testing.Eventually;
import io.parley.chat.testing.InterfaceDocs;

/**
 * A stand-in for the Rails monolith's two webhook endpoints ({@code POST /chat/messages} and {@code /chat/events}):
 * a real {@link HttpServer} on 127.0.0.1 that checks every post's {@code Parley-Signature} with the real scheme
 * (401 when it fails), records what it took, and answers as told:
 * <ul>
 *   <li>{@link Mode#ACCEPT}: 200, and the batch counts as delivered;</li>
 *   <li>{@link Mode#FAIL}: 503;</li>
 *   <li>{@link Mode#HANG}: no answer until the mode changes (then 503: an answer the sender stopped waiting for
 *   must not count as an acknowledgement);</li>
 *   <li>{@link Mode#CLOSE}: the connection is closed without an answer;</li>
 *   <li>in any mode, a history batch holding a {@link #refuse refused} message id gets 422, as a Rails app whose
 *   validation fails.</li>
 * </ul>
 * Only batches answered 2xx are recorded as delivered; every request is recorded as seen.
 */
public final class StandInMonolith implements AutoCloseable {

    public static final String SECRET = "monolith-webhook-secret-0123456789abcdef";
    public static final String HISTORY_PATH = "/chat/messages";
    public static final String EVENTS_PATH = "/chat/events";
    private static final Duration WAIT = Duration.ofSeconds(120);

    public enum Mode { ACCEPT, FAIL, HANG, CLOSE }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final SignatureVerifier verifier = new SignatureVerifier(List.of(SECRET), ParleySignature.TOLERANCE,
            Clock.systemUTC());
    private final Object lock = new Object();
    private final Map<String, Integer> deliveries = new ConcurrentHashMap<>();
    private final List<JsonNode> delivered = new CopyOnWriteArrayList<>();
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final List<String> undocumented = new CopyOnWriteArrayList<>();
    private final List<List<String>> seenHistoryPosts = new CopyOnWriteArrayList<>();
    private final Set<String> refused = ConcurrentHashMap.newKeySet();
    private final AtomicInteger badSignatures = new AtomicInteger();
    private final AtomicInteger hanging = new AtomicInteger();
    private volatile Mode mode = Mode.ACCEPT;

    private StandInMonolith(HttpServer server) {
        this.server = server;
    }

    public static StandInMonolith start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            StandInMonolith monolith = new StandInMonolith(server);
            server.setExecutor(monolith.executor);
            server.createContext(HISTORY_PATH, monolith::history);
            server.createContext(EVENTS_PATH, monolith::events);
            server.start();
            return monolith;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the stand-in monolith", e);
        }
    }

    /** The base URL, for {@code PARLEY_MONOLITH_URL}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The {@code PARLEY_MONOLITH_*} variables that point an instance here, events included. */
    public Map<String, String> environment() {
        return Map.of("PARLEY_MONOLITH_URL", url(), "PARLEY_MONOLITH_SECRET", SECRET,
                "PARLEY_MONOLITH_EVENTS_PATH", EVENTS_PATH);
    }

    public void mode(Mode mode) {
        synchronized (lock) {
            this.mode = mode;
            lock.notifyAll();
        }
    }

    /** From now on, history batches holding any of these ids are refused with 422. */
    public void refuse(Collection<String> ids) {
        refused.addAll(ids);
    }

    public void stopRefusing() {
        refused.clear();
    }

    /** How often each message id was delivered (in a batch answered 2xx). */
    public Map<String, Integer> deliveries() {
        return Map.copyOf(deliveries);
    }

    public Set<String> deliveredIds() {
        return Set.copyOf(deliveries.keySet());
    }

    /** Delivered messages, as posted. */
    public List<JsonNode> deliveredMessages() {
        return List.copyOf(delivered);
    }

    /** Delivered events, in arrival order. */
    public List<JsonNode> events() {
        return List.copyOf(events);
    }

    /** The ids of every history post received, whatever the answer. */
    public List<List<String>> seenHistoryPosts() {
        return List.copyOf(seenHistoryPosts);
    }

    public int badSignatures() {
        return badSignatures.get();
    }

    /** Requests currently held without an answer. */
    public int hanging() {
        return hanging.get();
    }

    /** Waits until every id was delivered at least once. */
    public void awaitDelivered(Collection<String> ids) {
        await("delivery of " + ids.size() + " messages", () -> deliveries.keySet().containsAll(ids),
                () -> "missing " + missing(ids));
    }

    /** Waits for a delivered event that matches, and returns it. */
    public JsonNode awaitEvent(Predicate<JsonNode> match) {
        JsonNode[] found = new JsonNode[1];
        await("an event", () -> {
            for (JsonNode e : events) {
                if (match.test(e)) {
                    found[0] = e;
                    return true;
                }
            }
            return false;
        }, () -> "events: " + events);
        return found[0];
    }

    /** Waits until the condition holds. */
    public static void await(String what, java.util.function.BooleanSupplier condition,
                             java.util.function.Supplier<String> detail) {
        Eventually.until(what, condition, detail, WAIT);
    }

    private Set<String> missing(Collection<String> ids) {
        Set<String> missing = new HashSet<>(ids);
        missing.removeAll(deliveries.keySet());
        return missing;
    }

    @Override
    public void close() {
        mode(Mode.FAIL);
        server.stop(0);
        executor.shutdownNow();
        if (!undocumented.isEmpty()) {
            throw new AssertionError("webhook bodies docs/openapi.yaml does not describe: " + undocumented);
        }
    }

    private void history(HttpExchange exchange) throws IOException {
        handle(exchange, InterfaceDocs::checkHistoryPost, body -> seenHistoryPosts.add(ids(body)), body -> {
            List<String> ids = ids(body);
            if (ids.stream().anyMatch(refused::contains)) {
                return new Reply(422, "{\"error\":\"validation failed\",\"ids\":" + Json.MAPPER.valueToTree(
                        ids.stream().filter(refused::contains).toList()) + "}", () -> { });
            }
            return new Reply(200, "", () -> {
                ids.forEach(id -> deliveries.merge(id, 1, Integer::sum));
                body.path("messages").forEach(delivered::add);
            });
        });
    }

    private static List<String> ids(JsonNode body) {
        List<String> ids = new ArrayList<>();
        for (JsonNode m : body.path("messages")) {
            ids.add(m.path("id").asText());
        }
        return ids;
    }

    private void events(HttpExchange exchange) throws IOException {
        handle(exchange, InterfaceDocs::checkEventsPost, body -> { },
                body -> new Reply(200, "", () -> body.path("events").forEach(events::add)));
    }

    /** An answer, and what to record if (and only if) it is a 2xx that is actually sent. */
    private record Reply(int status, String body, Runnable onAccepted) {
    }

    private interface Handler {
        Reply reply(JsonNode body);
    }

    /**
     * @param documented checks the body against docs/openapi.yaml (a body it refuses is answered 400 and fails
     *                   {@link #close})
     * @param seen       called for every correctly signed request, whatever the answer
     */
    private void handle(HttpExchange exchange, java.util.function.Consumer<String> documented,
                        java.util.function.Consumer<JsonNode> seen, Handler handler) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            try {
                verifier.verify(Optional.ofNullable(exchange.getRequestHeaders().getFirst(ParleySignature.HEADER)),
                        exchange.getRequestMethod(), exchange.getRequestURI().getRawPath()
                                + (exchange.getRequestURI().getRawQuery() == null ? ""
                                : "?" + exchange.getRequestURI().getRawQuery()), body);
            } catch (SignatureException e) {
                badSignatures.incrementAndGet();
                send(exchange, 401, "{\"error\":\"" + e.reason() + "\"}");
                return;
            }
            try {
                documented.accept(new String(body, java.nio.charset.StandardCharsets.UTF_8));
            } catch (AssertionError e) {
                undocumented.add(e.getMessage());
                send(exchange, 400, "{\"error\":\"not as docs/openapi.yaml describes it\"}");
                return;
            }
            JsonNode json = Json.MAPPER.readTree(body);
            seen.accept(json);
            Mode now = mode;
            if (now == Mode.HANG) {
                now = hang();
            }
            switch (now) {
                case CLOSE -> {
                    return; // closing the exchange unanswered drops the connection
                }
                case FAIL, HANG -> {
                    send(exchange, 503, "{\"error\":\"down for maintenance\"}");
                    return;
                }
                case ACCEPT -> {
                }
            }
            Reply reply = handler.reply(json);
            if (reply.status() / 100 == 2) {
                // Record before answering: once the sender reads the 2xx it may move on.
                reply.onAccepted().run();
            }
            send(exchange, reply.status(), reply.body());
        }
    }

    /** Holds the request until the mode changes; an answer after a hang is never an acknowledgement. */
    private Mode hang() {
        hanging.incrementAndGet();
        try {
            synchronized (lock) {
                while (mode == Mode.HANG) {
                    lock.wait();
                }
            }
            return mode == Mode.CLOSE ? Mode.CLOSE : Mode.HANG;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Mode.CLOSE;
        } finally {
            hanging.decrementAndGet();
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** A URI for an endpoint of this monolith. */
    public URI endpoint(String path) {
        return URI.create(url() + path);
    }
}
