package io.parley.it.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.parley.chat.testing.Tokens;

/**
 * A Parley server in a child JVM ({@code io.parley.chat.Main} on this JVM's class path) with stated JVM flags and
 * {@code PARLEY_*} variables, on free loopback ports. A separate process keeps the load client's objects out of the
 * measured heap and lets {@code jcmd} look at the server alone. Its output goes to a log file beside the results.
 */
final class BenchServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final int port;
    private final int adminPort;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private BenchServer(Process process, int port, int adminPort, Path log) {
        this.process = process;
        this.port = port;
        this.adminPort = adminPort;
        this.log = log;
    }

    /**
     * The variables every benchmark server gets: in memory (no Redis), the test secret, a generous auth timeout
     * (the load client authenticates thousands of sockets in turn) and a short drain so that a run ends quickly.
     */
    static Map<String, String> baseEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PARLEY_JWT_SECRETS", Tokens.SECRET);
        env.put("PARLEY_AUTH_TIMEOUT", "60s");
        env.put("PARLEY_DRAIN_PERIOD", "500ms");
        return env;
    }

    /** Starts the server and waits until it reports ready. */
    static BenchServer start(List<String> jvmFlags, Map<String, String> parleyEnv, Path log)
            throws IOException, InterruptedException {
        int port = freePort();
        int adminPort = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.add(GcPauses.serverFlag(gcLog(log)));
        command.add("-cp");
        // BENCH_SERVER_CLASSPATH runs another build of the server (say, the previous commit's) against the same load.
        command.add(Optional.ofNullable(System.getenv("BENCH_SERVER_CLASSPATH")).filter(s -> !s.isBlank())
                .orElse(System.getProperty("java.class.path")));
        command.add("io.parley.chat.Main");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("PARLEY_")); // only what the benchmark states
        env.putAll(parleyEnv);
        env.put("PARLEY_PORT", String.valueOf(port));
        env.put("PARLEY_ADMIN_PORT", String.valueOf(adminPort));
        BenchServer server = new BenchServer(builder.start(), port, adminPort, log);
        try {
            server.awaitReady();
        } catch (IOException | InterruptedException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    /** The server's stop-the-world pauses so far, from its GC log (written beside its output log). */
    List<GcPauses.Pause> gcPauses() throws IOException {
        return GcPauses.fromLog(gcLog(log));
    }

    private static Path gcLog(Path log) {
        return log.resolveSibling(log.getFileName().toString().replaceFirst("\\.log$", "") + "-gc.log");
    }

    /** CPU time the server process has used so far (all threads), as the OS counts it. */
    Duration cpuTime() {
        return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /** The {@code parley_connections} gauge: authenticated sockets the server holds. */
    long connections() throws IOException, InterruptedException {
        return metric("parley_connections").orElseThrow(
                () -> new IllegalStateException("no parley_connections in /observe/metrics")).longValue();
    }

    /** Waits until the server holds exactly {@code expected} authenticated sockets; false on timeout. */
    boolean awaitConnections(long expected, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (connections() != expected) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(200);
        }
        return true;
    }

    /** The first sample of a metric in the Prometheus text of {@code /observe/metrics}, labels ignored. */
    Optional<Double> metric(String name) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + adminPort + "/observe/metrics"))
                .header("Accept", "text/plain").timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        for (String line : response.body().lines().toList()) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                String[] parts = line.trim().split("\\s+");
                return Optional.of(Double.parseDouble(parts[parts.length - 1]));
            }
        }
        return Optional.empty();
    }

    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        URI ready = URI.create("http://127.0.0.1:" + adminPort + "/observe/health/ready");
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited with " + process.exitValue() + "; its log ("
                        + log + ") ends:\n" + tail(log, 30));
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(ready)
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the server did not become ready within " + START_TIMEOUT + "; see " + log);
    }

    /** SIGTERM (a graceful drain), then a kill if it takes too long. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        http.close();
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
