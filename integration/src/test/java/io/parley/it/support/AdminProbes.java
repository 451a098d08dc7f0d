package io.parley.it.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an operator's tooling reads from an instance's admin port (protocol §5): the readiness probe and the
 * Prometheus metrics. Works the same for in-process instances and child processes.
 */
public final class AdminProbes {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private AdminProbes() {
    }

    /** HTTP status of {@code /observe/health/ready}: 200 ready, 503 not; -1 when nothing answers. */
    public static int readiness(int adminPort) {
        try {
            return HTTP.send(HttpRequest.newBuilder(observe(adminPort, "/health/ready"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The value of a metric (its first sample, labels ignored) on {@code /observe/metrics}; fails when absent. */
    public static double metric(int adminPort, String name) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(observe(adminPort, "/metrics"))
                    .timeout(Duration.ofSeconds(10)).header("Accept", "text/plain").build(),
                    HttpResponse.BodyHandlers.ofString());
            Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*})? (\\S+)$")
                    .matcher(response.body());
            if (!m.find()) {
                throw new AssertionError("no metric " + name + " in:\n" + response.body());
            }
            return Double.parseDouble(m.group(1));
        } catch (IOException e) {
            throw new AssertionError("metrics unreadable: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    private static URI observe(int adminPort, String path) {
        return URI.create("http://127.0.0.1:" + adminPort + "/observe" + path);
    }
}
