package io.parley.chat.observe;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.DistributionStatisticsConfig;
import io.helidon.metrics.api.DistributionSummary;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;

/**
 * Every metric the service exports, named in this one place; {@code docs/operations.md} ("Metrics") lists them in a
 * table that {@code MetricsTableTest} checks against what {@code /observe/metrics} serves. Prometheus names: dots
 * become underscores, counters gain {@code _total}, timers {@code _seconds} (e.g. {@code parley_messages_in_total},
 * {@code parley_ack_seconds_bucket}).
 *
 * <p>Histogram buckets are chosen so that each alert threshold in {@code k8s/monitoring/prometheus-rules.yaml} is a
 * bucket boundary: a {@code histogram_quantile} near a threshold is then exact rather than interpolated.
 *
 * <p>Helidon keeps one global registry per JVM. In production that is one instance; where tests run several
 * instances in one JVM they share the counters and histograms, and {@link #close} unregisters this instance's gauges
 * so that the next instance's gauges read its own state. Every method is thread-safe and cheap enough for the
 * socket path (a lookup by tag allocates; the untagged meters are held in fields).
 */
public final class ParleyMetrics implements AutoCloseable {

    /** The close codes of protocol §1, registered at start so that a dashboard shows zeros, not gaps. */
    public static final List<Integer> CLOSE_CODES = List.of(1000, 1001, 1002, 1005, 1006, 1007, 1008, 1009, 1011,
            1012, 4400, 4401, 4403, 4408, 4429, 4503);
    /** Outcomes of one post to the monolith: see {@link #monolithPost}. */
    public enum PostOutcome {
        /** 2xx: the batch is delivered. */
        DELIVERED,
        /** 4xx other than 408/429: the batch is split to find the refused messages. */
        REFUSED,
        /** 5xx, 408 or 429: retried with backoff. */
        FAILED,
        /** No answer in time (refused connection, reset, timeout): retried with backoff. */
        NO_ANSWER;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static final Duration[] LATENCY_BUCKETS = {
            Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2_500), Duration.ofSeconds(5)};

    private final MeterRegistry registry;
    private final List<Meter> gauges = new CopyOnWriteArrayList<>();
    private final Counter messagesIn;
    private final Counter messagesOut;
    private final Counter slowConsumerCloses;
    private final Timer fanout;
    private final Timer ack;
    private final Timer delivery;
    private final DistributionSummary queueDepth;

    public ParleyMetrics() {
        this.registry = Metrics.globalRegistry();
        this.messagesIn = registry.getOrCreate(Counter.builder("parley.messages.in")
                .description("Messages accepted into rooms (user and system)"));
        this.messagesOut = registry.getOrCreate(Counter.builder("parley.messages.out")
                .description("Message frames queued to sockets"));
        this.slowConsumerCloses = registry.getOrCreate(Counter.builder("parley.slow.consumer.closes")
                .description("Connections closed 4503 because they could not keep up"));
        this.fanout = registry.getOrCreate(Timer.builder("parley.fanout")
                .description("Time to put one room event on the outbound queue of every local member (enqueueing "
                        + "only; the socket writes are parley_delivery_seconds)")
                .buckets(Duration.ofNanos(100_000), Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(25),
                        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500)));
        this.ack = registry.getOrCreate(Timer.builder("parley.ack")
                .description("From a send frame received to its ack written to the socket")
                .buckets(LATENCY_BUCKETS));
        this.delivery = registry.getOrCreate(Timer.builder("parley.delivery")
                .description("From a message accepted to its frame written to a member's socket (sampled)")
                .buckets(LATENCY_BUCKETS));
        this.queueDepth = registry.getOrCreate(DistributionSummary.builder("parley.outbound.queue.depth")
                .description("Frames waiting in a connection's outbound queue, observed at each enqueue "
                        + "(a client closed 4503 reached the configured limit)")
                .distributionStatisticsConfig(DistributionStatisticsConfig.builder()
                        .buckets(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)));
        CLOSE_CODES.forEach(code -> closes(Integer.toString(code)));
        closes("other");
    }

    /** {@code parley_connections}, read on every scrape. */
    public void gaugeConnections(Supplier<? extends Number> value) {
        gauge("parley.connections", "Open authenticated sockets on this instance", value);
    }

    /** {@code parley_rooms}, read on every scrape. */
    public void gaugeRooms(Supplier<? extends Number> value) {
        gauge("parley.rooms", "Rooms with local members", value);
    }

    /** {@code parley_redis_up}, read on every scrape. */
    public void gaugeRedisUp(Supplier<? extends Number> value) {
        gauge("parley.redis.up", "1 while Redis accepts commands, else 0", value);
    }

    /** {@code parley_outbox_backlog}, read on every scrape. */
    public void gaugeOutboxBacklog(Supplier<? extends Number> value) {
        gauge("parley.outbox.backlog", "Messages waiting for the monolith (cluster-wide with Redis)", value);
    }

    /** {@code parley_outbox_oldest_age_seconds}, read on every scrape. */
    public void gaugeOutboxOldestAge(Supplier<? extends Number> seconds) {
        gauge("parley.outbox.oldest.age.seconds",
                "Age of the oldest message waiting for the monolith, 0 when none waits (cluster-wide with Redis)",
                seconds);
    }

    /** {@code parley_dead_letters}, read on every scrape. */
    public void gaugeDeadLetters(Supplier<? extends Number> value) {
        gauge("parley.dead.letters", "Messages the monolith refused, waiting for a replay", value);
    }

    /** Registers a gauge read on every scrape, replacing one of the same name. */
    private void gauge(String name, String description, Supplier<? extends Number> value) {
        registry.remove(name, List.of());
        gauges.add(registry.getOrCreate(Gauge.builder(name, () -> value.get().doubleValue()).description(description)));
    }

    @Override
    public void close() {
        gauges.forEach(registry::remove);
        gauges.clear();
    }

    public void messageAccepted() {
        messagesIn.increment();
    }

    public void messagesDelivered(int frames) {
        messagesOut.increment(frames);
    }

    public void authFailure(String reason) {
        registry.getOrCreate(Counter.builder("parley.auth.failures").description("Refused tokens by reason")
                .tags(List.of(Tag.create("reason", reason)))).increment();
    }

    public void slowConsumerClosed() {
        slowConsumerCloses.increment();
    }

    /** One room event was enqueued to every local member in {@code nanos}. */
    public void fanoutTook(long nanos) {
        fanout.record(Duration.ofNanos(nanos));
    }

    /** A {@code send} frame was answered: {@code nanos} from the frame read to its {@code ack} queued for the socket. */
    public void ackTook(long nanos) {
        ack.record(Duration.ofNanos(nanos));
    }

    /**
     * A {@code message} frame reached a socket {@code nanos} after the message was accepted (its {@code ts}). The
     * caller may sample (e.g. one frame in N per room), since a busy room writes one frame per member.
     */
    public void delivered(long nanos) {
        delivery.record(Duration.ofNanos(Math.max(0, nanos)));
    }

    /** A frame was put on a connection's outbound queue, which then held {@code depth} frames. */
    public void queueDepth(int depth) {
        queueDepth.record(depth);
    }

    /**
     * A socket was closed with {@code code} (by the server or the client). Codes outside {@link #CLOSE_CODES} count
     * as {@code code="other"}: a client may send any code, and a label value per code would grow without bound.
     */
    public void closed(int code) {
        closes(CLOSE_CODES.contains(code) ? Integer.toString(code) : "other").increment();
    }

    /**
     * One Redis command completed in {@code nanos}, from being written to its last reply byte. {@code command} is
     * the Redis command name (a bounded set: the label never carries a key or a value).
     */
    public void redisCommandTook(String command, long nanos) {
        registry.getOrCreate(Timer.builder("parley.redis.command")
                .description("Redis command latency by command, as Lettuce measures it (blocking reads excluded)")
                .tags(List.of(Tag.create("command", command)))
                .buckets(Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
                        Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
                        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
                        Duration.ofSeconds(2))).record(Duration.ofNanos(nanos));
    }

    /** Registers the post meters of one monolith endpoint (history, events) so that they show before any post. */
    public void monolithEndpoint(String endpoint) {
        postTimer(endpoint);
        for (PostOutcome outcome : PostOutcome.values()) {
            postCounter(endpoint, outcome);
        }
    }

    /** One post of a batch to the monolith's {@code endpoint} ended with {@code outcome} after {@code nanos}. */
    public void monolithPost(String endpoint, PostOutcome outcome, long nanos) {
        postTimer(endpoint).record(Duration.ofNanos(nanos));
        postCounter(endpoint, outcome).increment();
    }

    /**
     * One server API request was answered. {@code route} is the route template ({@code /rooms/{room}/messages}),
     * never the raw path, so that room names and user ids do not become label values.
     */
    public void apiRequest(String method, String route, int status) {
        registry.getOrCreate(Counter.builder("parley.api.requests")
                .description("Server API requests by method, route and status")
                .tags(List.of(Tag.create("method", method), Tag.create("route", route),
                        Tag.create("status", Integer.toString(status))))).increment();
    }

    private Counter closes(String code) {
        return registry.getOrCreate(Counter.builder("parley.closes").description("Sockets closed, by close code")
                .tags(List.of(Tag.create("code", code))));
    }

    private Timer postTimer(String endpoint) {
        return registry.getOrCreate(Timer.builder("parley.monolith.post")
                .description("Time for one batch post to the monolith, answered or not")
                .tags(List.of(Tag.create("endpoint", endpoint)))
                .buckets(Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
                        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2_500), Duration.ofSeconds(5),
                        Duration.ofSeconds(10)));
    }

    private Counter postCounter(String endpoint, PostOutcome outcome) {
        return registry.getOrCreate(Counter.builder("parley.monolith.posts")
                .description("Batch posts to the monolith by endpoint and outcome")
                .tags(List.of(Tag.create("endpoint", endpoint), Tag.create("outcome", outcome.label()))));
    }
}
