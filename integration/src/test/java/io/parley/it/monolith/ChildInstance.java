package io.parley.it.monolith;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A Parley instance in a child JVM ({@code io.parley.chat.Main} on this JVM's class path), so that a test can kill it
 * the hard way: {@link #kill()} is SIGKILL, no shutdown hook, no drain, no flush.
 */
final class ChildInstance implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final int port;
    private final int adminPort;
    private final Path log;

    private ChildInstance(Process process, int port, int adminPort, Path log) {
        this.process = process;
        this.port = port;
        this.adminPort = adminPort;
        this.log = log;
    }

    static ChildInstance start(Map<String, String> parleyEnv) throws IOException, InterruptedException {
        int port = freePort();
        int adminPort = freePort();
        Path log = Files.createTempFile("parley-child-", ".log");
        ProcessBuilder builder = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.parley.chat.Main"))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("PARLEY_"));
        env.putAll(parleyEnv);
        env.put("PARLEY_PORT", Integer.toString(port));
        env.put("PARLEY_ADMIN_PORT", Integer.toString(adminPort));
        ChildInstance child = new ChildInstance(builder.start(), port, adminPort, log);
        child.awaitReady();
        return child;
    }

    int port() {
        return port;
    }

    int adminPort() {
        return adminPort;
    }

    /** SIGKILL, and wait until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() throws InterruptedException, IOException {
        if (process.isAlive()) {
            kill();
        }
        Files.deleteIfExists(log);
    }

    private void awaitReady() throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("child instance exited: " + log());
            }
            try {
                HttpResponse<Void> ready = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + adminPort + "/observe/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("child instance not ready within " + START_TIMEOUT + ": " + log());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
