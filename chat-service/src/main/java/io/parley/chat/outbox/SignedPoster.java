package io.parley.chat.outbox;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.parley.chat.signing.ParleySignature;
import io.parley.chat.signing.RequestSigner;

/**
 * Posts JSON batches to one monolith endpoint with the JDK HTTP client, each signed at the moment it is sent (a
 * retry an hour later carries a fresh timestamp). HTTP/1.1, so that a plain Rails server is never asked to upgrade.
 */
public final class SignedPoster implements BatchPoster {

    private static final int MAX_ANSWER_BYTES = 2_048;

    private final HttpClient client;
    private final URI target;
    private final String pathAndQuery;
    private final RequestSigner signer;
    private final Duration timeout;

    public SignedPoster(HttpClient client, URI target, RequestSigner signer, Duration timeout) {
        this.client = client;
        this.target = target;
        this.pathAndQuery = target.getRawPath() + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
        this.signer = signer;
        this.timeout = timeout;
    }

    /** A client for monolith posts: HTTP/1.1, a bounded connect time, no redirects (a redirect is a refusal). */
    public static HttpClient defaultClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The endpoint {@code path} under the monolith's base URL, which may itself have a path. */
    public static URI endpoint(URI base, String path) {
        String b = base.toString();
        return URI.create((b.endsWith("/") ? b.substring(0, b.length() - 1) : b) + path);
    }

    @Override
    public Answer post(byte[] body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(target)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "parley")
                .header(ParleySignature.HEADER, signer.sign("POST", pathAndQuery, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            String text = new String(in.readNBytes(MAX_ANSWER_BYTES), StandardCharsets.UTF_8);
            return new Answer(response.statusCode(), text);
        }
    }
}
