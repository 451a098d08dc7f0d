package io.parley.it.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.parley.chat.testing.RedisServer;

/**
 * Idle memory as an operator sees it: two instances sharing one Redis, authenticated sockets joined to rooms of
 * {@code room-size}, spread evenly. The resident set (RSS) of both instances is read at {@code step} sockets and again
 * at twice that, before any forced collection, so the slope is what each further socket costs the machine with the
 * given JVM flags; then the live heap is read the same way (after a full GC, through {@code jcmd}).
 *
 * <p>Options ({@code key=value}): {@code step} (10000), {@code room-size} (100), {@code window} (200),
 * {@code settle} (seconds to wait before reading RSS, 10), {@code heartbeat} (the servers' {@code PARLEY_HEARTBEAT},
 * their default when absent), {@code server-jvm} (as {@link IdleConnectionsBench}), {@code out} (target/bench).
 */
public final class ClusterIdleMemoryBench {

    record Settings(int step, int roomSize, int window, int settleSeconds, String heartbeat, List<String> serverJvm,
                    Path out) {

        static Settings from(BenchOptions o) {
            Settings s = new Settings(o.integer("step", 10_000), o.integer("room-size", 100),
                    o.integer("window", 200), o.integer("settle", 10), o.string("heartbeat", ""),
                    o.words("server-jvm", IdleConnectionsBench.DEFAULT_SERVER_JVM), o.path("out", "target/bench"));
            o.refuseUnknown();
            return s;
        }
    }

    /** RSS of both instances together, in bytes, and their live objects, at one step. */
    record Reading(int sockets, long rss, ClassHistogram objects) {

        long liveHeap() {
            return objects.totalBytes();
        }
    }

    /** Rows of the report's "where the bytes go" table. */
    private static final int TOP_CLASSES = 25;

    private ClusterIdleMemoryBench() {
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.from(new BenchOptions(args));
        Files.createDirectories(settings.out());
        String machine = Machine.describe();
        System.out.println("machine: " + machine);
        List<Reading> readings = run(settings, System.out::println);
        Reading a = readings.get(0);
        Reading b = readings.get(1);
        double rssSlope = (double) (b.rss() - a.rss()) / (b.sockets() - a.sockets());
        double heapSlope = (double) (b.liveHeap() - a.liveHeap()) / (b.sockets() - a.sockets());
        String report = String.format("### Idle memory over two instances and Redis%n%n%s. Server JVM `%s`. "
                        + "Authenticated sockets in rooms of %d, spread over two instances; RSS read %d s after the "
                        + "last socket settled, before any forced GC; live heap after a full GC.%n%n"
                        + "| sockets | RSS (both) | live heap (both) |%n|---|---|---|%n"
                        + "| %,d | %,d KiB | %,d KiB |%n| %,d | %,d KiB | %,d KiB |%n%n"
                        + "Per further socket: **%.1f KiB RSS**, **%.1f KiB live heap**.%n", machine,
                String.join(" ", settings.serverJvm()) + (settings.heartbeat().isBlank() ? ""
                        : "`, `PARLEY_HEARTBEAT=" + settings.heartbeat()), settings.roomSize(), settings.settleSeconds(),
                a.sockets(), a.rss() / 1024, a.liveHeap() / 1024, b.sockets(), b.rss() / 1024, b.liveHeap() / 1024,
                rssSlope / 1024, heapSlope / 1024);
        report += String.format("%nStack chunks (the parked threads' frames) per socket held: %.2f at %,d sockets, "
                + "%.2f at %,d.%n", chunks(a) / a.sockets(), a.sockets(), chunks(b) / b.sockets(), b.sockets());
        report += whereTheBytesGo(a, b);
        Path file = settings.out().resolve("cluster-memory-" + IdleConnectionsBench.timestamp() + ".md");
        Files.writeString(file, report);
        System.out.println();
        System.out.println(report);
        System.out.println("(written to " + file.toAbsolutePath() + ")");
        System.exit(0);
    }

    static List<Reading> run(Settings settings, Consumer<String> log) throws IOException, InterruptedException {
        try (RedisServer redis = RedisServer.start()) {
            Map<String, String> env = BenchServer.baseEnvironment();
            env.put("PARLEY_REDIS_URI", redis.uri());
            if (!settings.heartbeat().isBlank()) {
                env.put("PARLEY_HEARTBEAT", settings.heartbeat());
            }
            List<BenchServer> servers = new ArrayList<>();
            try {
                for (String id : List.of("a", "b")) {
                    env.put("PARLEY_INSTANCE_ID", id);
                    servers.add(BenchServer.start(settings.serverJvm(), env,
                            settings.out().resolve("cluster-memory-" + id + ".log")));
                }
                try (LoadClient client = new LoadClient(servers.get(0).port(), servers.get(1).port())) {
                    List<Reading> readings = new ArrayList<>();
                    for (int round = 1; round <= 2; round++) {
                        open(client, settings, round, log);
                        Thread.sleep(Duration.ofSeconds(settings.settleSeconds()).toMillis());
                        long rss = 0;
                        for (BenchServer s : servers) {
                            rss += rss(s.pid());
                        }
                        ClassHistogram objects = HeapProbe.sample(servers.get(0).pid()).histogram()
                                .plus(HeapProbe.sample(servers.get(1).pid()).histogram());
                        Reading reading = new Reading(round * settings.step(), rss, objects);
                        readings.add(reading);
                        log.accept(String.format("%,d sockets: RSS %,d KiB, live heap %,d KiB", round * settings.step(),
                                rss / 1024, reading.liveHeap() / 1024));
                    }
                    return readings;
                }
            } finally {
                for (BenchServer s : servers) {
                    s.close();
                }
            }
        }
    }

    private static void open(LoadClient client, Settings settings, int round, Consumer<String> log)
            throws InterruptedException {
        List<SocketPlan> plans = new ArrayList<>(settings.step());
        int first = (round - 1) * settings.step();
        for (int i = first; i < first + settings.step(); i++) {
            plans.add(SocketPlan.of("m" + i, List.of("idle-" + (i / settings.roomSize())), i % 2));
        }
        client.open(plans, settings.window());
        if (!client.awaitSettled(Duration.ofSeconds(120 + settings.step() / 20), p -> log.accept("set-up: " + p))
                || client.ready() != round * settings.step()) {
            throw new IllegalStateException(client.ready() + " sockets ready; problems: " + client.problems());
        }
        client.awaitQuiet(Duration.ofSeconds(3), Duration.ofMinutes(5));
    }

    /** Live {@code StackChunk} objects in both instances. */
    private static double chunks(Reading r) {
        ClassHistogram.Entry e = r.objects().byClass().get("jdk.internal.vm.StackChunk");
        return e == null ? 0 : e.instances();
    }

    /** The classes whose live bytes grew most from one reading to the next, per further socket (both instances). */
    static String whereTheBytesGo(Reading a, Reading b) {
        double sockets = b.sockets() - a.sockets();
        StringBuilder md = new StringBuilder(String.format("%nWhere the live bytes of a further socket go (top %d "
                + "classes, both instances):%n%n| class | instances per socket | bytes per socket |%n|---|---:|---:|%n",
                TOP_CLASSES));
        b.objects().minus(a.objects()).stream()
                .limit(TOP_CLASSES)
                .forEach(c -> md.append(String.format("| `%s` | %.2f | %.0f |%n", c.className(),
                        c.instances() / sockets, c.bytes() / sockets)));
        return md.toString();
    }

    /** The resident set of a process, from {@code /proc}. */
    static long rss(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS for " + pid);
    }
}
