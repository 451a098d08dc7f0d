package io.parley.chat.api;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.chat.protocol.Json;
import io.parley.chat.signing.ParleySignature;

/**
 * The monolith's side of the server API, for tests (also used by the integration tests through the test-jar): real
 * HTTP requests with the JDK client, signed like the Ruby kit signs them, or deliberately not.
 */
public final class SignedApiClient {

    /** How a request is signed. */
    public sealed interface Signing {
    }

    /** Signed with {@code secret} at {@code at}. */
    public record SignedWith(String secret, Instant at) implements Signing {
    }

    /** Sent with exactly this header value. */
    public record RawHeader(String value) implements Signing {
    }

    /** No header at all. */
    public record Unsigned() implements Signing {
    }

    /** An answer: status and parsed JSON body (an empty object when there was none). */
    public record Answer(int status, JsonNode json) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final int adminPort;
    private final String secret;

    public SignedApiClient(int adminPort, String secret) {
        this.adminPort = adminPort;
        this.secret = secret;
    }

    public Answer get(String target) {
        return send("GET", target, "", new SignedWith(secret, Instant.now()));
    }

    public Answer post(String target, String body) {
        return send("POST", target, body, new SignedWith(secret, Instant.now()));
    }

    /** Sends {@code body} (empty: none) to {@code target} (path and query, exactly as signed) on the admin port. */
    public Answer send(String method, String target, String body, Signing signing) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + target))
                .timeout(Duration.ofSeconds(10))
                .method(method, bytes.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (bytes.length > 0) {
            request.header("Content-Type", "application/json");
        }
        switch (signing) {
            case SignedWith s -> request.header(ParleySignature.HEADER,
                    ParleySignature.header(s.secret(), s.at().getEpochSecond(), method, target, bytes));
            case RawHeader r -> request.header(ParleySignature.HEADER, r.value());
            case Unsigned u -> {
            }
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String text = response.body();
            return new Answer(response.statusCode(), text == null || text.isBlank()
                    ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(text));
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + target + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
