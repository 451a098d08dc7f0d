package io.parley.chat.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} on a free loopback port, in its own temporary directory, with AOF on
 * ({@code appendonly yes}, {@code appendfsync always}) as production needs for durable acks.
 *
 * <p>Fault injection: {@link #kill()} sends SIGKILL; {@link #restart()} starts it again on the same port and directory,
 * so it reloads its AOF; {@link #pause()}/{@link #resume()} send SIGSTOP/SIGCONT to play a Redis that does not answer.
 * The binary is {@code redis-server} from the PATH, or the system property {@code parley.redis-server}.
 */
public final class RedisServer implements AutoCloseable {

    private static final Duration START_WAIT = Duration.ofSeconds(20);

    private final Path dir;
    private final int port;
    private final List<String> extraArgs;
    private Process process;

    private RedisServer(Path dir, int port, List<String> extraArgs) {
        this.dir = dir;
        this.port = port;
        this.extraArgs = List.copyOf(extraArgs);
    }

    /** Starts a fresh server; fails the test with a clear message when {@code redis-server} is not installed. */
    public static RedisServer start() {
        return start(List.of());
    }

    /** Starts a fresh server with further {@code redis-server} arguments (e.g. cluster mode). */
    public static RedisServer start(List<String> extraArgs) {
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                int port = freePort();
                while (extraArgs.contains("--cluster-enabled") && port + 10_000 > 65_535) {
                    port = freePort(); // the cluster bus listens on port + 10000
                }
                RedisServer server = new RedisServer(Files.createTempDirectory("parley-redis-"), port, extraArgs);
                if (server.launch()) {
                    return server;
                }
                server.deleteDir();
            } catch (IOException e) {
                last = e;
            }
        }
        throw new IllegalStateException("could not start redis-server (is it installed? see .ci/run)", last);
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:<port>}, for {@code PARLEY_REDIS_URI}. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    public java.net.URI redisUri() {
        return java.net.URI.create(uri());
    }

    public long pid() {
        return process.pid();
    }

    public boolean running() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: no shutdown, no final save; what it acknowledged must come back from the AOF. */
    public void kill() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts again on the same port and directory (reloading the AOF) and waits until it answers. */
    public void restart() {
        if (running()) {
            throw new IllegalStateException("redis-server is still running");
        }
        // The port may take a moment to be free again after a kill.
        Eventually.until("redis-server restarts on port " + port, this::launch, this::log, START_WAIT);
    }

    /** SIGSTOP: the server keeps its sockets but answers nothing until {@link #resume()}. */
    public void pause() {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    public void resume() {
        signal("CONT");
    }

    /**
     * Sends one command and returns its reply line ({@code +OK}, {@code :3}, {@code -ERR ...}) or, for a bulk string,
     * its content; for test setup and checks, without a client library.
     */
    public String command(String... words) {
        try (Socket s = send(words)) {
            return readReply(s.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("redis command " + words[0] + " failed", e);
        }
    }

    private Socket send(String... words) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            s.setSoTimeout(5_000);
            StringBuilder req = new StringBuilder("*" + words.length + "\r\n");
            for (String w : words) {
                byte[] b = w.getBytes(StandardCharsets.UTF_8);
                req.append('$').append(b.length).append("\r\n").append(w).append("\r\n");
            }
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /** Sends one command whose reply is a flat array of strings or integers, and returns its elements. */
    public List<String> arrayReply(String... words) {
        try (Socket s = send(words)) {
            InputStream in = s.getInputStream();
            String head = readLine(in);
            if (!head.startsWith("*")) {
                throw new IllegalStateException("not an array reply: " + head);
            }
            List<String> items = new java.util.ArrayList<>();
            for (int i = Integer.parseInt(head.substring(1)); i > 0; i--) {
                String item = bulkOrLine(in, readLine(in));
                items.add(item.startsWith(":") ? item.substring(1) : item);
            }
            return items;
        } catch (IOException e) {
            throw new UncheckedIOException("redis command " + words[0] + " failed", e);
        }
    }

    public void flushAll() {
        command("FLUSHALL");
    }

    /** The server's own log, for failure messages. */
    public String log() {
        try {
            return Files.readString(dir.resolve("redis.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() {
        if (process != null) {
            kill(); // SIGKILL ends a paused process too
        }
        deleteDir();
    }

    private boolean launch() {
        String binary = System.getProperty("parley.redis-server", "redis-server");
        List<String> cmd = new java.util.ArrayList<>(List.of(binary,
                "--port", Integer.toString(port), "--bind", "127.0.0.1", "--protected-mode", "no",
                "--dir", dir.toString(), "--logfile", "redis.log", "--daemonize", "no",
                "--appendonly", "yes", "--appendfsync", "always", "--save", ""));
        cmd.addAll(extraArgs);
        try {
            process = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.out").toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + binary + " (is redis-server installed?)", e);
        }
        try {
            // Until it answers, or exits (e.g. the port was taken meanwhile).
            Eventually.until("redis-server answers on port " + port, () -> !process.isAlive() || answersPing(),
                    this::log, START_WAIT);
        } catch (AssertionError e) {
            process.destroyForcibly();
            return false;
        }
        return process.isAlive();
    }

    private boolean answersPing() {
        try {
            return "+PONG".equals(command("PING"));
        } catch (UncheckedIOException e) {
            return false; // not listening yet, or still loading its AOF
        }
    }

    private void signal(String name) {
        if (process == null || !process.isAlive()) {
            return;
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + name + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String readReply(InputStream in) throws IOException {
        return bulkOrLine(in, readLine(in));
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    /** A bulk string's content, an integer's digits, or the line itself (status, error, nil). */
    private static String bulkOrLine(InputStream in, String line) throws IOException {
        if (line.startsWith("$") && !line.equals("$-1")) {
            int len = Integer.parseInt(line.substring(1));
            byte[] body = in.readNBytes(len + 2);
            return new String(body, 0, len, StandardCharsets.UTF_8);
        }
        return line;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void deleteDir() {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp dir left behind is harmless
        }
    }
}
