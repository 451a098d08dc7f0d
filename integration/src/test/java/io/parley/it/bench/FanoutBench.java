package io.parley.it.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Fan-out of one room: end-to-end latency (a member's {@code send} to the {@code message} at every other member) and
 * delivered frames per second, for rooms of several sizes in one run, so that the sizes are compared on the same
 * machine at the same moment (it is small and shared: absolute numbers move, ratios less so).
 *
 * <p>One server (child JVM), one load client. Each room has {@code size} members, each a socket of its own user; the
 * first member sends at a steady {@code rate} for {@code seconds}, then the benchmark waits for the last delivery.
 * Rooms take turns, round after round, after one unrecorded warm-up phase each. The sender's frame rate limit is
 * raised ({@code PARLEY_LIMITS_RATE}/{@code BURST}), nothing else is changed.
 *
 * <p>Options ({@code key=value}): {@code sizes} (100,1000), {@code rate} (messages per second, 20), {@code seconds}
 * (per phase, 10), {@code warm-up} (seconds, 3), {@code rounds} (3), {@code window} (200), {@code server-jvm}
 * ("-Xmx1g -XX:+UseG1GC"), {@code out} (target/bench).
 */
public final class FanoutBench {

    private static final Duration DELIVERY_GRACE = Duration.ofSeconds(15);

    /** What to measure. */
    record Settings(List<Integer> sizes, int rate, int seconds, int warmUpSeconds, int rounds, int window,
                    List<String> serverJvm, Path out) {

        static Settings from(BenchOptions o) {
            Settings s = new Settings(
                    Arrays.stream(o.string("sizes", "100,1000").split(",")).map(String::trim)
                            .map(Integer::parseInt).toList(),
                    o.integer("rate", 20), o.integer("seconds", 10), o.integer("warm-up", 3),
                    o.integer("rounds", 3), o.integer("window", 200),
                    o.words("server-jvm", IdleConnectionsBench.DEFAULT_SERVER_JVM), o.path("out", "target/bench"));
            o.refuseUnknown();
            if (s.sizes.stream().anyMatch(n -> n < 2)) {
                throw new IllegalArgumentException("a room needs a sender and at least one other member");
            }
            return s;
        }
    }

    /**
     * One measured phase of one room.
     *
     * @param expected deliveries due: messages sent times the members other than the sender
     */
    record Phase(int members, int round, int sent, long expected, long delivered, long p50Nanos, long p90Nanos,
                 long p99Nanos, long maxNanos, double framesPerSecond, long ackP50Nanos, long ackP99Nanos,
                 double serverCpuMsPerThousandFrames) {
    }

    /** Every phase of the run. */
    record Result(Settings settings, List<Phase> phases, String machine, Map<String, Long> problems,
                  int closedByServer) {

        String markdown() {
            return FanoutReport.markdown(this);
        }
    }

    /** A room under test: its members' sockets, the first of which sends. */
    private record Room(int size, String name, List<BenchSocket> members) {

        BenchSocket sender() {
            return members.getFirst();
        }
    }

    private FanoutBench() {
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.from(new BenchOptions(args));
        Result result = run(settings, System.out::println);
        String report = result.markdown();
        Path file = settings.out().resolve("fanout-" + IdleConnectionsBench.timestamp() + ".md");
        Files.writeString(file, report);
        System.out.println();
        System.out.println(report);
        System.out.println("(written to " + file.toAbsolutePath() + ")");
        System.exit(0);
    }

    static Result run(Settings settings, Consumer<String> log) throws IOException, InterruptedException {
        Files.createDirectories(settings.out());
        String machine = Machine.describe();
        log.accept("machine: " + machine);
        Map<String, String> env = BenchServer.baseEnvironment();
        env.put("PARLEY_LIMITS_RATE", "10000");   // only the sender sends; the default 10/s would cap the rate
        env.put("PARLEY_LIMITS_BURST", "10000");
        Path serverLog = settings.out().resolve("fanout-server.log");
        log.accept("starting the server (" + String.join(" ", settings.serverJvm()) + "), log in " + serverLog);
        try (BenchServer server = BenchServer.start(settings.serverJvm(), env, serverLog);
             LoadClient client = new LoadClient(server.port())) {
            List<Room> rooms = openRooms(settings, client, server, log);
            int phaseNumber = 0;
            for (Room room : rooms) {
                log.accept("warm-up: room of " + room.size());
                phase(client, server, room, "w" + phaseNumber++, settings.rate(), settings.warmUpSeconds(), 0);
            }
            List<Phase> phases = new ArrayList<>();
            for (int round = 1; round <= settings.rounds(); round++) {
                for (Room room : rooms) {
                    Phase p = phase(client, server, room, "p" + phaseNumber++, settings.rate(), settings.seconds(),
                            round);
                    log.accept(String.format("round %d, room of %,d: %,d/%,d delivered, p50 %.2f ms, p99 %.2f ms,"
                                    + " %,.0f frames/s", round, room.size(), p.delivered(), p.expected(),
                            p.p50Nanos() / 1e6, p.p99Nanos() / 1e6, p.framesPerSecond()));
                    phases.add(p);
                }
            }
            return new Result(settings, List.copyOf(phases), machine, client.problems(), client.closedByServer());
        }
    }

    private static List<Room> openRooms(Settings settings, LoadClient client, BenchServer server,
                                        Consumer<String> log) throws IOException, InterruptedException {
        List<Room> rooms = new ArrayList<>();
        int total = 0;
        for (int size : settings.sizes()) {
            String name = "fan-" + size + "-" + rooms.size();
            List<SocketPlan> plans = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                plans.add(SocketPlan.of("f" + rooms.size() + "u" + i, List.of(name)));
            }
            rooms.add(new Room(size, name, client.open(plans, settings.window())));
            total += size;
        }
        log.accept(String.format("opening %,d sockets in %d rooms", total, rooms.size()));
        if (!client.awaitSettled(Duration.ofSeconds(120 + total / 20), p -> log.accept("set-up: " + p))
                || client.ready() != total) {
            throw new IllegalStateException(client.ready() + " of " + total + " sockets ready; problems: "
                    + client.problems() + "; server log: " + server.log());
        }
        client.awaitQuiet(Duration.ofSeconds(3), Duration.ofMinutes(5));
        return rooms;
    }

    /** Sends at a steady rate for {@code seconds}, waits for the deliveries, and measures what arrived. */
    private static Phase phase(LoadClient client, BenchServer server, Room room, String id, int rate, int seconds,
                               int round) throws InterruptedException {
        FanoutRecorder recorder = new FanoutRecorder(id, room.sender());
        client.listener(recorder);
        long cpuBefore = server.cpuTime().toNanos();
        long period = TimeUnit.SECONDS.toNanos(1) / rate;
        int count = rate * seconds;
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5);
        for (int k = 0; k < count; k++) {
            long due = start + k * period;
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            String stamp = recorder.stamp(due);
            client.send(room.sender(), "{\"type\":\"send\",\"room\":\"" + room.name() + "\",\"text\":\"" + stamp
                    + "\",\"ref\":\"" + stamp + "\"}");
        }
        long expected = (long) count * (room.size() - 1);
        long deadline = System.nanoTime() + DELIVERY_GRACE.toNanos();
        while (recorder.delivered() < expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        FanoutRecorder.Snapshot snapshot = onSelectorThread(client, recorder);
        client.listener((socket, text, at) -> { });
        long cpu = server.cpuTime().toNanos() - cpuBefore;
        LongSamples d = snapshot.deliveries();
        double window = Math.max(1, snapshot.lastReceiptNanos() - start) / 1e9;
        return new Phase(room.size(), round, count, expected, d.size(), d.percentile(50), d.percentile(90),
                d.percentile(99), d.max(), d.size() / window, snapshot.acks().percentile(50),
                snapshot.acks().percentile(99), d.size() == 0 ? 0 : cpu / 1e6 / (d.size() / 1000.0));
    }

    /** Takes the recorder's numbers on the thread that writes them, so that every sample is seen. */
    static FanoutRecorder.Snapshot onSelectorThread(LoadClient client, FanoutRecorder recorder)
            throws InterruptedException {
        AtomicReference<FanoutRecorder.Snapshot> snapshot = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        client.execute(() -> {
            snapshot.set(recorder.snapshot());
            done.countDown();
        });
        if (!done.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the load client's selector thread is stuck");
        }
        return snapshot.get();
    }
}
