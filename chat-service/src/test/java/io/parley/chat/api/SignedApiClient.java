package io.parley.chat.api;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.chat.protocol.Json;
import io.parley.chat.signing.ParleySignature;
import io.parley.chat.testing.InterfaceDocs;

/**
 * The monolith's side of the server API, for tests (also used by the integration tests through the test-jar): real
 * HTTP requests with the JDK client, signed like the Ruby kit signs them, or deliberately not. Every answer is
 * checked against {@code docs/openapi.yaml} ({@link InterfaceDocs#checkApiAnswer}) before a test sees it.
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
    private final Map<String, Long> lastSigned = new ConcurrentHashMap<>();

    public SignedApiClient(int adminPort, String secret) {
        this.adminPort = adminPort;
        this.secret = secret;
    }

    public Answer get(String target) {
        return send("GET", target, "", new SignedWith(secret, signingTime("GET", target, "")));
    }

    public Answer post(String target, String body) {
        return send("POST", target, body, new SignedWith(secret, signingTime("POST", target, body)));
    }

    /**
     * Now, or one second after the last time this same request was signed: the server refuses a signature it has
     * seen (a replay), so a client repeating a request within the same second must sign it anew, at another time.
     */
    private Instant signingTime(String method, String target, String body) {
        long now = Instant.now().getEpochSecond();
        return Instant.ofEpochSecond(lastSigned.merge(method + " " + target + " " + body, now,
                (last, current) -> Math.max(current, last + 1)));
    }

    /**
     * Sends a signed request over a plain socket, for targets the JDK client refuses to send (a malformed
     * percent-escape such as {@code %zz}): the request line carries {@code target} byte for byte.
     */
    public Answer sendRaw(String method, String target, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + adminPort + "\r\n"
                + ParleySignature.HEADER + ": " + ParleySignature.header(secret, signingTime(method, target, body)
                .getEpochSecond(), method, target, bytes) + "\r\nContent-Length: " + bytes.length
                + "\r\nConnection: close\r\n\r\n";
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", adminPort)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(bytes);
            java.io.DataInputStream in = new java.io.DataInputStream(
                    new java.io.BufferedInputStream(socket.getInputStream()));
            int status = Integer.parseInt(line(in).substring(9, 12));
            int length = 0;
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                if (header.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(header.substring(15).strip());
                }
            }
            byte[] entity = in.readNBytes(length);
            InterfaceDocs.checkApiAnswer(method, target, status, new String(entity, StandardCharsets.UTF_8));
            return new Answer(status, length == 0 ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(entity));
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + target + " failed: " + e, e);
        }
    }

    /** One CRLF-terminated line of an HTTP head, without the CRLF. */
    private static String line(java.io.InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
            if (b != '\r') {
                sb.append((char) b);
            }
        }
        return sb.toString();
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
            InterfaceDocs.checkApiAnswer(method, target, response.statusCode(), text);
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
