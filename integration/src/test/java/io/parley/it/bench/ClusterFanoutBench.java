package io.parley.it.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import io.parley.chat.testing.RedisServer;

/**
 * The fan-out scenario of issue 9, as the outside measurement ran it: two instances sharing one Redis, one room of
 * {@code N} subscribers spread over both, {@code publishers} members (half on each instance) sending
 * {@code rate} messages per second in total with {@code padding} bytes of text each; an unrecorded warm-up of
 * {@code warm-up} messages, then {@code messages} measured ones. Latency is from a message's intended send time to
 * its arrival at each subscriber; the publishers' {@code ack}s give the accept latency. Several sizes run one after
 * the other in one process, so they are compared on the same machine at the same moment.
 *
 * <p>The load client is this JVM: {@code clients} selector threads for the subscribers (dealt round-robin) and one
 * more for the publishers, as a publisher is another user's browser; its CPU time is reported beside the servers'
 * and Redis's, so that a reader can tell which side was the bottleneck, and so is the longest collector pause of each
 * instance and of the client during the measured messages (a tail that no pause explains is queueing).
 *
 * <p>Options ({@code key=value}): {@code sizes} (2000,5000), {@code publishers} (4), {@code rate} (20),
 * {@code padding} (200), {@code warm-up} (200), {@code messages} (600), {@code clients} (2), {@code window} (200),
 * {@code server-jvm} (as {@link IdleConnectionsBench}), {@code out} (target/bench). {@code BENCH_SERVER_CLASSPATH}
 * runs another build of the server against the same load.
 */
public final class ClusterFanoutBench {

    private static final Duration DELIVERY_GRACE = Duration.ofSeconds(60);
    private static final int SETUP_ATTEMPTS = 5;
    /** The load client's own collector pauses: a pause here delays every receipt it stamps. */
    private static final GcPauses CLIENT_PAUSES = GcPauses.recordThisJvm();

    record Settings(List<Integer> sizes, int publishers, int rate, int padding, int warmUp, int messages,
                    int clients, int window, List<String> serverJvm, Path out) {

        static Settings from(BenchOptions o) {
            Settings s = new Settings(
                    Arrays.stream(o.string("sizes", "2000,5000").split(",")).map(String::trim)
                            .map(Integer::parseInt).toList(),
                    o.integer("publishers", 4), o.integer("rate", 20), o.integer("padding", 200),
                    o.integer("warm-up", 200), o.integer("messages", 600), o.integer("clients", 2),
                    o.integer("window", 200), o.words("server-jvm", IdleConnectionsBench.DEFAULT_SERVER_JVM),
                    o.path("out", "target/bench"));
            o.refuseUnknown();
            if (s.publishers < 1 || s.clients < 1) {
                throw new IllegalArgumentException("publishers and clients must be at least 1");
            }
            return s;
        }
    }

    /** One measured size. CPU times are over the measured messages only, in seconds. */
    record Result(int subscribers, int sent, long expected, long delivered, long p50, long p90, long p99, long max,
                  long ackP50, long ackP99, double seconds, double cpuServerA, double cpuServerB, double cpuRedis,
                  double cpuClient, double pauseServerA, double pauseServerB, double pauseClient) {
    }

    private ClusterFanoutBench() {
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.from(new BenchOptions(args));
        Files.createDirectories(settings.out());
        String machine = Machine.describe();
        System.out.println("machine: " + machine);
        List<Result> results = new ArrayList<>();
        for (int size : settings.sizes()) {
            results.add(run(settings, size, System.out::println));
        }
        String report = markdown(settings, machine, results);
        Path file = settings.out().resolve("cluster-fanout-" + IdleConnectionsBench.timestamp() + ".md");
        Files.writeString(file, report);
        System.out.println();
        System.out.println(report);
        System.out.println("(written to " + file.toAbsolutePath() + ")");
        System.exit(0);
    }

    /** A fresh Redis and two fresh instances per size, so that one size's leftovers never load the next. */
    static Result run(Settings settings, int subscribers, Consumer<String> log)
            throws IOException, InterruptedException {
        try (RedisServer redis = RedisServer.start()) {
            Map<String, String> env = BenchServer.baseEnvironment();
            env.put("PARLEY_REDIS_URI", redis.uri());
            env.put("PARLEY_LIMITS_RATE", "10000");
            env.put("PARLEY_LIMITS_BURST", "10000");
            env.put("PARLEY_LIMITS_TEXT", "10000");
            List<BenchServer> servers = new ArrayList<>();
            try {
                for (String id : List.of("a", "b")) {
                    env.put("PARLEY_INSTANCE_ID", id);
                    Path serverLog = settings.out().resolve("cluster-fanout-" + subscribers + "-" + id + ".log");
                    servers.add(BenchServer.start(settings.serverJvm(), env, serverLog));
                }
                return measure(settings, subscribers, servers, redis, log);
            } finally {
                for (BenchServer s : servers) {
                    s.close();
                }
            }
        }
    }

    private static Result measure(Settings settings, int subscribers, List<BenchServer> servers, RedisServer redis,
                                  Consumer<String> log) throws IOException, InterruptedException {
        int[] ports = servers.stream().mapToInt(BenchServer::port).toArray();
        List<LoadClient> clients = new ArrayList<>();
        try {
            // The subscribers' selector threads, then one of the publishers' own: a publisher is another user's
            // browser, so its send and its ack never wait behind the reading of thousands of subscriber sockets.
            for (int i = 0; i <= settings.clients(); i++) {
                clients.add(new LoadClient(ports));
            }
            String room = "fan";
            int total = subscribers + settings.publishers();
            log.accept(String.format("room of %,d subscribers + %d publishers over 2 instances", subscribers,
                    settings.publishers()));
            List<BenchSocket> sockets = new ArrayList<>(total);
            for (int i = 0; i < total; i++) {
                sockets.add(open(clients, i, subscribers, SocketPlan.of("c" + i, List.of(room), i % 2),
                        settings.window()));
            }
            // A socket whose set-up failed (a join refused while Redis was slow, a 4503 during the presence storm of
            // the joins) is opened again, as a real client would reconnect; the measurement needs all of them.
            for (int attempt = 0; ; attempt++) {
                for (LoadClient client : clients) {
                    if (!client.awaitSettled(Duration.ofSeconds(120 + total / 20), p -> log.accept("set-up: " + p))) {
                        throw new IllegalStateException("set-up timed out; problems: " + client.problems());
                    }
                }
                List<Integer> failed = new ArrayList<>();
                for (int i = 0; i < total; i++) {
                    if (sockets.get(i).state != BenchSocket.State.READY) {
                        failed.add(i);
                    }
                }
                if (failed.isEmpty()) {
                    break;
                }
                if (attempt == SETUP_ATTEMPTS) {
                    throw new IllegalStateException(failed.size() + " of " + total + " sockets never set up; problems: "
                            + clients.stream().map(LoadClient::problems).toList());
                }
                log.accept(failed.size() + " sockets failed set-up, opening them again; problems so far: "
                        + clients.stream().map(LoadClient::problems).toList());
                for (int i : failed) {
                    sockets.set(i, open(clients, i, subscribers, sockets.get(i).plan, settings.window()));
                }
            }
            List<BenchSocket> publishers = List.copyOf(sockets.subList(subscribers, total));
            clients.forEach(LoadClient::resetCounters);
            for (LoadClient client : clients) {
                client.awaitQuiet(Duration.ofSeconds(3), Duration.ofMinutes(5));
            }
            log.accept("warm-up: " + settings.warmUp() + " messages");
            phase(settings, clients, publishers, room, "w", settings.warmUp(), subscribers);
            double[] cpuBefore = cpu(servers, redis);
            Instant measureStart = Instant.now();
            log.accept("measuring: " + settings.messages() + " messages");
            Measured m = phase(settings, clients, publishers, room, "m", settings.messages(), subscribers);
            double[] cpuAfter = cpu(servers, redis);
            Instant measureEnd = Instant.now();
            Result r = new Result(subscribers, settings.messages(), (long) settings.messages() * subscribers,
                    m.deliveries.size(), m.deliveries.percentile(50), m.deliveries.percentile(90),
                    m.deliveries.percentile(99), m.deliveries.max(), m.acks.percentile(50), m.acks.percentile(99),
                    m.seconds, cpuAfter[0] - cpuBefore[0], cpuAfter[1] - cpuBefore[1], cpuAfter[2] - cpuBefore[2],
                    cpuAfter[3] - cpuBefore[3],
                    GcPauses.longest(servers.get(0).gcPauses(), measureStart, measureEnd),
                    GcPauses.longest(servers.get(1).gcPauses(), measureStart, measureEnd),
                    GcPauses.longest(CLIENT_PAUSES.recorded(), measureStart, measureEnd));
            clients.forEach(c -> {
                if (!c.problems().isEmpty()) {
                    log.accept("load client problems: " + c.problems() + ", closed by server: " + c.closedByServer());
                }
            });
            log.accept(String.format("%,d subscribers: %,d/%,d delivered, p50 %.1f ms, p99 %.1f ms, ack p99 %.1f ms",
                    subscribers, r.delivered(), r.expected(), r.p50() / 1e6, r.p99() / 1e6, r.ackP99() / 1e6));
            return r;
        } finally {
            for (LoadClient client : clients) {
                client.close();
            }
        }
    }

    private record Measured(LongSamples deliveries, LongSamples acks, double seconds) {
    }

    /** Sends {@code count} messages at the rate, round-robin over the publishers, and waits for the deliveries. */
    private static Measured phase(Settings settings, List<LoadClient> clients, List<BenchSocket> publishers,
                                  String room, String id, int count, int subscribers) throws InterruptedException {
        Set<BenchSocket> senders = new HashSet<>(publishers);
        List<FanoutRecorder> recorders = new ArrayList<>();
        for (LoadClient client : clients) {
            FanoutRecorder recorder = new FanoutRecorder(id, senders);
            recorders.add(recorder);
            client.listener(recorder);
        }
        String padding = " " + "x".repeat(Math.max(0, settings.padding() - 1));
        long period = TimeUnit.SECONDS.toNanos(1) / settings.rate();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5);
        for (int k = 0; k < count; k++) {
            long due = start + k * period;
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            BenchSocket publisher = publishers.get(k % publishers.size());
            String stamp = recorders.getFirst().stamp(due);
            clients.get(clientOf(clients, publisher)).send(publisher, "{\"type\":\"send\",\"room\":\"" + room
                    + "\",\"text\":\"" + stamp + padding + "\",\"ref\":\"" + stamp + "\"}");
        }
        long expected = (long) count * subscribers;
        long deadline = System.nanoTime() + DELIVERY_GRACE.toNanos();
        while (recorders.stream().mapToLong(FanoutRecorder::delivered).sum() < expected
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        LongSamples deliveries = new LongSamples();
        LongSamples acks = new LongSamples();
        long last = start;
        for (int i = 0; i < clients.size(); i++) {
            FanoutRecorder.Snapshot s = FanoutBench.onSelectorThread(clients.get(i), recorders.get(i));
            deliveries.addAll(s.deliveries());
            acks.addAll(s.acks());
            last = Math.max(last, s.lastReceiptNanos());
            clients.get(i).listener((socket, text, at) -> { });
        }
        return new Measured(deliveries, acks, (last - start) / 1e9);
    }

    /**
     * Subscriber {@code i} belongs to client {@code i % (clients - 1)}, a publisher ({@code i >= subscribers}) to the
     * last client, on the first try and on every retry.
     */
    private static BenchSocket open(List<LoadClient> clients, int i, int subscribers, SocketPlan plan, int window) {
        LoadClient client = i < subscribers ? clients.get(i % (clients.size() - 1)) : clients.getLast();
        return client.open(List.of(plan), window).getFirst();
    }

    /** The client that owns a socket. */
    private static int clientOf(List<LoadClient> clients, BenchSocket socket) {
        for (int i = 0; i < clients.size(); i++) {
            if (clients.get(i).owns(socket)) {
                return i;
            }
        }
        throw new IllegalStateException("a publisher no client owns");
    }

    /** CPU seconds used so far by instance a, instance b, Redis, and this load client. */
    private static double[] cpu(List<BenchServer> servers, RedisServer redis) {
        return new double[] {
            servers.get(0).cpuTime().toNanos() / 1e9,
            servers.get(1).cpuTime().toNanos() / 1e9,
            ProcessHandle.of(redis.pid()).flatMap(h -> h.info().totalCpuDuration()).orElse(Duration.ZERO)
                    .toNanos() / 1e9,
            ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO).toNanos() / 1e9};
    }

    static String markdown(Settings s, String machine, List<Result> results) {
        StringBuilder b = new StringBuilder();
        b.append("### Fan-out over two instances and Redis\n\n");
        b.append(String.format("%s. Server JVM `%s`. One room: N subscribers and %d publishers spread over two "
                        + "instances, %d messages/s in total with %d bytes of text, %d warm-up messages, then %d "
                        + "measured. Load client: this JVM, %d selector threads for the subscribers and one for the publishers.%n%n", machine,
                String.join(" ", s.serverJvm()), s.publishers(), s.rate(), s.padding(), s.warmUp(), s.messages(),
                s.clients()));
        b.append("| N | delivered | p50 | p90 | p99 | max | ack p50 | ack p99 | CPU s: instance a / b / Redis / "
                + "load client | longest GC pause: a / b / load client |\n|---|---|---|---|---|---|---|---|---|---|\n");
        for (Result r : results) {
            b.append(String.format("| %,d | %,d / %,d | %s | %s | %s | %s | %s | %s | %.1f / %.1f / %.1f / %.1f "
                            + "(over %.0f s) | %.0f / %.0f / %.0f ms |%n", r.subscribers(), r.delivered(), r.expected(),
                    ms(r.p50()), ms(r.p90()), ms(r.p99()), ms(r.max()), ms(r.ackP50()), ms(r.ackP99()),
                    r.cpuServerA(), r.cpuServerB(), r.cpuRedis(), r.cpuClient(), r.seconds(), r.pauseServerA(),
                    r.pauseServerB(), r.pauseClient()));
        }
        b.append("\nA GC pause counts when it ended during the measured messages; the servers' logs are beside their "
                + "output logs (`*-gc.log`).\n");
        return b.toString();
    }

    private static String ms(long nanos) {
        return String.format("%.1f ms", nanos / 1e6);
    }
}
