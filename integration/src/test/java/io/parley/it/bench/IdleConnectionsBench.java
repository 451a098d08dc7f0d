package io.parley.it.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Live heap per idle authenticated connection (architecture notes: "aim at 12 KiB").
 *
 * <p>Each repetition starts a fresh server in a child JVM, warms it up (a couple of hundred sockets opened, joined and
 * closed, so that lazily built singletons are not charged to the connections), then: full GC and class histogram
 * (baseline); N sockets, each a distinct user, authenticated and joined to one room of {@code room-size} members;
 * wait until no frame has arrived for a few seconds (the presence events of the last joins are out); full GC and
 * histogram again (loaded); close every socket and measure once more, to show what a closed socket leaves behind.
 * Bytes per connection = (loaded - baseline) / N, from the histogram totals (reachable objects only).
 *
 * <p>Options ({@code key=value}): {@code connections} (10000), {@code room-size} (100), {@code repetitions} (3),
 * {@code window} (sockets set up at once, 200), {@code server-jvm} ("-Xmx1g -XX:+UseG1GC"), {@code top} (histogram
 * rows, 20), {@code out} (report directory, target/bench), {@code heap-dump} (false; true also writes a heap dump of
 * each loaded server to the report directory, for a heap analyser to say who holds the bytes).
 */
public final class IdleConnectionsBench {

    static final String DEFAULT_SERVER_JVM = "-Xmx1g -XX:+UseG1GC";
    private static final int WARMUP_SOCKETS = 200;
    private static final Duration QUIET = Duration.ofSeconds(5);

    /** What to measure. */
    record Settings(int connections, int roomSize, int repetitions, int window, List<String> serverJvm, int top,
                    Path out, boolean heapDump) {

        static Settings from(BenchOptions o) {
            Settings s = new Settings(o.integer("connections", 10_000), o.integer("room-size", 100),
                    o.integer("repetitions", 3), o.integer("window", 200),
                    o.words("server-jvm", DEFAULT_SERVER_JVM), o.integer("top", 20),
                    o.path("out", "target/bench"), Boolean.parseBoolean(o.string("heap-dump", "false")));
            o.refuseUnknown();
            return s;
        }

        int rooms() {
            return (connections + roomSize - 1) / roomSize;
        }
    }

    /** One repetition: three heap samples of the same server, and how the load went. */
    record Repetition(int number, int connections, HeapProbe.Sample baseline, HeapProbe.Sample loaded,
                      HeapProbe.Sample afterClose, Duration setup, Map<String, Long> problems) {

        double liveBytesPerConnection() {
            return (double) (loaded.liveBytes() - baseline.liveBytes()) / connections;
        }

        double heapUsedPerConnection() {
            return (double) (loaded.heapUsedBytes() - baseline.heapUsedBytes()) / connections;
        }

        double leftAfterClosePerConnection() {
            return (double) (afterClose.liveBytes() - baseline.liveBytes()) / connections;
        }
    }

    /** Every repetition, with the one whose bytes per connection is the median. */
    record Result(Settings settings, List<Repetition> repetitions, String machine) {

        Repetition median() {
            List<Repetition> sorted = new ArrayList<>(repetitions);
            sorted.sort(Comparator.comparingDouble(Repetition::liveBytesPerConnection));
            return sorted.get((sorted.size() - 1) / 2);
        }

        String markdown() {
            return IdleConnectionsReport.markdown(this);
        }
    }

    private IdleConnectionsBench() {
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.from(new BenchOptions(args));
        Result result = run(settings, System.out::println);
        String report = result.markdown();
        Path file = settings.out().resolve("memory-" + timestamp() + ".md");
        Files.writeString(file, report);
        System.out.println();
        System.out.println(report);
        System.out.println("(written to " + file.toAbsolutePath() + ")");
        System.exit(0); // the load client's selector thread is a daemon, but do not wait for stragglers
    }

    static Result run(Settings settings, Consumer<String> log) throws IOException, InterruptedException {
        Files.createDirectories(settings.out());
        String machine = Machine.describe();
        log.accept("machine: " + machine);
        requireOpenFiles(settings.connections());
        List<Repetition> repetitions = new ArrayList<>();
        for (int i = 1; i <= settings.repetitions(); i++) {
            Repetition r = repetition(settings, i, log);
            log.accept(String.format("run %d: %.0f bytes per connection (live objects), %.0f (heap used), "
                            + "%.0f left after close, set up in %ds", i, r.liveBytesPerConnection(),
                    r.heapUsedPerConnection(), r.leftAfterClosePerConnection(), r.setup().toSeconds()));
            repetitions.add(r);
        }
        return new Result(settings, List.copyOf(repetitions), machine);
    }

    private static Repetition repetition(Settings settings, int number, Consumer<String> log)
            throws IOException, InterruptedException {
        Path serverLog = settings.out().resolve("memory-server-" + number + ".log");
        log.accept("run " + number + ": starting the server (" + String.join(" ", settings.serverJvm())
                + "), log in " + serverLog);
        try (BenchServer server = BenchServer.start(settings.serverJvm(), BenchServer.baseEnvironment(), serverLog);
             LoadClient client = new LoadClient(server.port())) {
            warmUp(server, client, settings.window());
            HeapProbe.Sample baseline = HeapProbe.sample(server.pid());
            log.accept(String.format("run %d: baseline %,d live bytes; opening %,d sockets in %,d rooms", number,
                    baseline.liveBytes(), settings.connections(), settings.rooms()));

            List<SocketPlan> plans = new ArrayList<>(settings.connections());
            for (int i = 0; i < settings.connections(); i++) {
                plans.add(SocketPlan.of("u" + i, List.of("room-" + (i / settings.roomSize()))));
            }
            long start = System.nanoTime();
            client.open(plans, settings.window());
            Duration setupLimit = Duration.ofSeconds(120 + settings.connections() / 20);
            boolean settled = client.awaitSettled(setupLimit, p -> log.accept("run " + number + ": " + p));
            Duration setup = Duration.ofNanos(System.nanoTime() - start);
            if (!settled || client.ready() != settings.connections()) {
                throw new IllegalStateException(client.ready() + " of " + settings.connections()
                        + " sockets ready after " + setup.toSeconds() + " s; problems: " + client.problems()
                        + "; server log: " + server.log());
            }
            client.awaitQuiet(QUIET, Duration.ofMinutes(5));
            requireConnections(server, settings.connections(), client);
            HeapProbe.Sample loaded = HeapProbe.sample(server.pid());
            requireConnections(server, settings.connections(), client); // nobody dropped during the measurement
            log.accept(String.format("run %d: loaded %,d live bytes; closing", number, loaded.liveBytes()));
            if (settings.heapDump()) {
                Path dump = settings.out().toAbsolutePath().resolve("memory-loaded-" + number + ".hprof");
                Files.deleteIfExists(dump);
                HeapProbe.jcmd(server.pid(), "GC.heap_dump " + dump);
                log.accept("run " + number + ": heap dump in " + dump);
            }

            client.closeAll(Duration.ofSeconds(60));
            if (!server.awaitConnections(0, Duration.ofMinutes(2))) {
                log.accept("run " + number + ": the server still counts " + server.connections()
                        + " connections two minutes after every socket closed");
            }
            HeapProbe.Sample afterClose = HeapProbe.sample(server.pid());
            Repetition repetition = new Repetition(number, settings.connections(), baseline, loaded, afterClose,
                    setup, client.problems());
            Files.writeString(settings.out().resolve("memory-histogram-diff-" + number + ".txt"),
                    IdleConnectionsReport.fullDiff(repetition));
            return repetition;
        }
    }

    /** Runs the connection path once so that class initialisation and first-use caches land in the baseline. */
    private static void warmUp(BenchServer server, LoadClient client, int window)
            throws IOException, InterruptedException {
        List<SocketPlan> plans = new ArrayList<>();
        for (int i = 0; i < WARMUP_SOCKETS; i++) {
            plans.add(SocketPlan.of("warm" + i, List.of("warm-up")));
        }
        client.open(plans, window);
        if (!client.awaitSettled(Duration.ofMinutes(2), p -> { }) || client.ready() != WARMUP_SOCKETS) {
            throw new IllegalStateException("warm-up failed: " + client.problems() + "; server log: "
                    + server.log());
        }
        client.awaitQuiet(Duration.ofSeconds(2), Duration.ofMinutes(1));
        client.closeAll(Duration.ofSeconds(30));
        if (!server.awaitConnections(0, Duration.ofMinutes(2))) {
            throw new IllegalStateException("the server did not forget the warm-up sockets: "
                    + server.connections() + " left");
        }
        client.resetCounters();
    }

    private static void requireConnections(BenchServer server, int expected, LoadClient client)
            throws IOException, InterruptedException {
        long held = server.connections();
        if (held != expected || client.closedByServer() > 0) {
            throw new IllegalStateException("the server holds " + held + " connections, expected " + expected
                    + "; closed by the server: " + client.closedByServer() + " " + client.problems());
        }
    }

    /** Both processes hold one descriptor per socket; without enough of them the run fails half-way. */
    private static void requireOpenFiles(int connections) {
        long limit = Machine.openFilesLimit();
        if (limit >= 0 && limit < connections + 1_000L) {
            throw new IllegalStateException("the open files limit is " + limit + ", too low for " + connections
                    + " sockets: raise it (ulimit -n " + (connections + 1_000) + "; run.sh does so up to the hard"
                    + " limit)");
        }
    }

    static String timestamp() {
        return LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    }
}
