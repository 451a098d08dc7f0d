package io.parley.chat.outbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.parley.chat.protocol.Json;
import io.parley.chat.signing.ParleySignature;
import io.parley.chat.signing.SignatureException;
import io.parley.chat.signing.SignatureVerifier;

/**
 * A real HTTP server on loopback standing in for the monolith's history endpoint in unit tests: checks each post's
 * signature (401 when wrong), records the message ids it took, and answers as told.
 */
final class RecordingMonolith implements AutoCloseable {

    static final String SECRET = "monolith-secret-0123456789abcdef0123";

    private final HttpServer server;
    private final SignatureVerifier verifier = new SignatureVerifier(List.of(SECRET), ParleySignature.TOLERANCE,
            Clock.systemUTC());
    final List<List<String>> posts = new CopyOnWriteArrayList<>();
    final Set<String> taken = ConcurrentHashMap.newKeySet();
    final AtomicInteger badSignatures = new AtomicInteger();
    volatile int status = 200;
    final Set<String> refuse = ConcurrentHashMap.newKeySet();

    RecordingMonolith() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            try {
                verifier.verify(Optional.ofNullable(exchange.getRequestHeaders().getFirst(ParleySignature.HEADER)),
                        exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), body);
            } catch (SignatureException e) {
                badSignatures.incrementAndGet();
                answer(exchange, 401, "{\"error\":\"" + e.reason() + "\"}");
                return;
            }
            List<String> ids = new ArrayList<>();
            for (JsonNode m : Json.MAPPER.readTree(body).get("messages")) {
                ids.add(m.get("id").asText());
            }
            posts.add(ids);
            if (ids.stream().anyMatch(refuse::contains)) {
                answer(exchange, 422, "{\"error\":\"refused\"}");
                return;
            }
            int s = status;
            if (s / 100 == 2) {
                taken.addAll(ids);
            }
            answer(exchange, s, "");
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
