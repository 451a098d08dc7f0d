package io.parley.it.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A Parley instance in its own JVM ({@code io.parley.chat.Main} on this JVM's class path), so that a test can kill it
 * with SIGKILL: no shutdown hook, no cleanup, its sockets simply vanish. Output goes to {@code target/cluster-*.log}.
 */
final class ChildInstance implements AutoCloseable {

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

    static ChildInstance start(Map<String, String> parleyEnv) {
        try {
            int port = freePort();
            int adminPort = freePort();
            Path log = Files.createDirectories(Path.of("target")).resolve(
                    "cluster-" + parleyEnv.get("PARLEY_INSTANCE_ID") + ".log");
            ProcessBuilder builder = new ProcessBuilder(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "io.parley.chat.Main"))
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().keySet().removeIf(name -> name.startsWith("PARLEY_"));
            builder.environment().putAll(parleyEnv);
            builder.environment().put("PARLEY_PORT", Integer.toString(port));
            builder.environment().put("PARLEY_ADMIN_PORT", Integer.toString(adminPort));
            ChildInstance child = new ChildInstance(builder.start(), port, adminPort, log);
            child.awaitReady();
            return child;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int publicPort() {
        return port;
    }

    int adminPort() {
        return adminPort;
    }

    /** SIGKILL, then wait until the process is gone. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        kill();
    }

    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (Cluster.readiness(adminPort) != 200) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("child instance did not become ready: " + Files.readString(log));
            }
            Cluster.pause(Duration.ofMillis(200));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
