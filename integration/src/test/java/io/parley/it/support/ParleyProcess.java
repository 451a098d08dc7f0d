package io.parley.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.parley.chat.testing.Eventually;

/**
 * A Parley instance in its own JVM: {@code io.parley.chat.Main} on this JVM's class path, started as a deployment
 * starts it (only {@code PARLEY_*} variables), on free loopback ports. A separate process is what lets a test stop an
 * instance the two ways production does: {@link #sigterm()} (a rolling restart: Main drains and exits 0) and
 * {@link #kill9()} (a crash: no shutdown hook, no drain, no flush, its sockets simply vanish).
 *
 * <p>Output (stdout and stderr) goes to a log file under {@code target/parley-processes/}, kept after the process ends
 * so that a failed test can be read afterwards; {@link #logText()} gives it to failure messages.
 */
public final class ParleyProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Path LOG_DIR = Path.of("target", "parley-processes");
    /** How many times a start is tried again when another process took one of the free ports meanwhile. */
    private static final int BIND_ATTEMPTS = 3;
    /** Main's line when it cannot listen (then it exits 1). */
    private static final String BIND_FAILURE = "cannot listen on PARLEY_PORT";

    private final Process process;
    private final int publicPort;
    private final int adminPort;
    private final Path log;

    private ParleyProcess(Process process, int publicPort, int adminPort, Path log) {
        this.process = process;
        this.publicPort = publicPort;
        this.adminPort = adminPort;
        this.log = log;
    }

    /** Starts an instance with these variables (ports are chosen here) and waits until it reports ready. */
    public static ParleyProcess start(Map<String, String> parleyEnv) {
        return start(parleyEnv, List.of());
    }

    /**
     * Starts an instance with these JVM flags and variables and waits until {@code /observe/health/ready} answers 200.
     * {@code PARLEY_PORT} and {@code PARLEY_ADMIN_PORT} are always free ports chosen here, whatever the map says;
     * {@code PARLEY_*} variables of this JVM's environment are not passed on (only what the test states).
     *
     * @throws IllegalStateException with the child's log when it exits or is not ready in time
     */
    public static ParleyProcess start(Map<String, String> parleyEnv, List<String> jvmFlags) {
        for (int attempt = 1; ; attempt++) {
            ParleyProcess child = launch(parleyEnv, jvmFlags);
            try {
                child.awaitReady();
                return child;
            } catch (IllegalStateException e) {
                child.close();
                // A free port is free only until someone binds it: another test's process may have taken it.
                if (attempt == BIND_ATTEMPTS || !child.logText().contains(BIND_FAILURE)) {
                    throw e;
                }
            }
        }
    }

    public int publicPort() {
        return publicPort;
    }

    public int adminPort() {
        return adminPort;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Sends SIGTERM and returns at once (what Kubernetes does to a pod it replaces); the instance drains. On Unix
     * {@link Process#destroy()} is SIGTERM; see {@link #awaitExit}.
     */
    public void sigterm() {
        process.destroy();
    }

    /** Sends SIGKILL and waits until the process is gone. */
    public void kill9() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits for the process to end and returns its exit code.
     *
     * @throws AssertionError when it is still running after {@code timeout} (it is left running; {@link #close}
     *                        ends it)
     */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("instance still running after " + timeout + "; log " + log + ":\n"
                        + logText());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the instance to exit");
        }
    }

    /** The file that holds the instance's stdout and stderr. */
    public Path log() {
        return log;
    }

    public String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** SIGKILL if still running (a test that wanted a drain has awaited it already); the log file stays. */
    @Override
    public void close() {
        if (process.isAlive()) {
            kill9();
        }
    }

    @Override
    public String toString() {
        return "ParleyProcess[pid " + process.pid() + ", public " + publicPort + ", admin " + adminPort + "]";
    }

    private static ParleyProcess launch(Map<String, String> parleyEnv, List<String> jvmFlags) {
        try {
            int publicPort = freePort();
            int adminPort = freePort();
            Path log = Files.createTempFile(Files.createDirectories(LOG_DIR),
                    parleyEnv.getOrDefault("PARLEY_INSTANCE_ID", "parley") + "-", ".log");
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmFlags);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.parley.chat.Main"));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
            Map<String, String> env = builder.environment();
            env.keySet().removeIf(name -> name.startsWith("PARLEY_"));
            env.putAll(parleyEnv);
            env.put("PARLEY_PORT", Integer.toString(publicPort));
            env.put("PARLEY_ADMIN_PORT", Integer.toString(adminPort));
            return new ParleyProcess(builder.start(), publicPort, adminPort, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a Parley child process", e);
        }
    }

    private void awaitReady() {
        try {
            Eventually.until("instance ready on admin port " + adminPort,
                    () -> !process.isAlive() || AdminProbes.readiness(adminPort) == 200, () -> "", START_TIMEOUT);
        } catch (AssertionError e) {
            throw new IllegalStateException("child instance not ready within " + START_TIMEOUT + "; log " + log
                    + ":\n" + logText());
        }
        if (!process.isAlive()) {
            throw new IllegalStateException("child instance exited with " + process.exitValue() + "; log " + log
                    + ":\n" + logText());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
