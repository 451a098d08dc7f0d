package io.parley.chat.broker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import io.parley.chat.model.ChatMessage;
import io.parley.chat.model.User;
import io.parley.chat.redis.RedisConnections;
import io.parley.chat.config.RedisMode;
import io.parley.chat.testing.RedisClusterServer;
import io.parley.chat.testing.RedisServer;
import org.junit.jupiter.api.Test;

/**
 * Appends per second through one broker, standalone vs a 3-primary cluster (AOF {@code appendfsync always} on every
 * node, outbox on, 100-character texts with refs, 64 rooms). Not part of the build: run it by hand with
 * {@code mvn -pl chat-service test -Dtest=AppendThroughputBench} and read the printed table. It measures one machine
 * with everything on it; on 2 shared cores it cannot show a cluster's scaling, only its per-message cost.
 */
class AppendThroughputBench {

    private static final Duration WARM_UP = Duration.ofSeconds(3);
    private static final Duration MEASURE = Duration.ofSeconds(8);
    private static final String TEXT = "x".repeat(100);

    @Test
    void appendsPerSecond() throws Exception {
        List<String> rows = new ArrayList<>();
        try (RedisServer single = RedisServer.start()) {
            rows.add(row("standalone, min replicas 0", RedisConnections.open(single.redisUri(),
                    RedisConnections.COMMAND_TIMEOUT), 0));
        }
        try (RedisClusterServer cluster = RedisClusterServer.start()) {
            rows.add(row("cluster (3 primaries), min replicas 0", RedisConnections.open(RedisMode.CLUSTER,
                    cluster.uris(), RedisConnections.COMMAND_TIMEOUT), 0));
            rows.add(row("cluster (3 primaries), min replicas 1", RedisConnections.open(RedisMode.CLUSTER,
                    cluster.uris(), RedisConnections.COMMAND_TIMEOUT), 1));
        }
        System.out.println("| mode | 1 sender | 32 concurrent senders |");
        System.out.println("|---|---|---|");
        rows.forEach(System.out::println);
    }

    private static String row(String label, RedisConnections redis, int minReplicas) throws Exception {
        try (RedisBroker broker = new RedisBroker(redis, 1_000, Duration.ofHours(1), true, minReplicas)) {
            broker.start(new RecordingBrokerListener());
            return "| " + label + " | " + rate(broker, 1) + " | " + rate(broker, 32) + " |";
        }
    }

    private static String rate(Broker broker, int senders) throws Exception {
        run(broker, senders, WARM_UP);
        return String.format("%,d appends/s", run(broker, senders, MEASURE) * 1_000 / MEASURE.toMillis());
    }

    private static long run(Broker broker, int senders, Duration length) throws Exception {
        AtomicLong done = new AtomicLong();
        long until = System.nanoTime() + length.toNanos();
        try (ExecutorService pool = Executors.newFixedThreadPool(senders)) {
            List<Future<?>> all = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                int sender = s;
                all.add(pool.submit(() -> {
                    for (long i = 0; System.nanoTime() < until; i++) {
                        String room = "bench-" + ((sender * 7 + i) % 64);
                        String ref = sender + "-" + i + "-" + until;
                        broker.append(new MessageDraft(room, Optional.of(new User("u" + sender, "Sender")), TEXT,
                                ChatMessage.KIND_USER, Optional.of(ref), Optional.empty(),
                                Optional.of("u:u" + sender + ":" + ref)));
                        done.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get();
            }
        }
        return done.get();
    }
}
