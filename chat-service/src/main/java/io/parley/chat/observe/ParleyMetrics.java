package io.parley.chat.observe;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;

/**
 * Every metric the service exports, named in this one place. Prometheus names: dots become underscores and counters
 * gain {@code _total} (e.g. {@code parley_messages_in_total}).
 *
 * <p>Helidon keeps one global registry per JVM. In production that is one instance; where tests run several
 * instances in one JVM they share the counters, and {@link #close} unregisters this instance's gauges so that the
 * next instance's gauges read its own state.
 */
public final class ParleyMetrics implements AutoCloseable {

    private final MeterRegistry registry;
    private final List<Meter> gauges = new CopyOnWriteArrayList<>();
    private final Counter messagesIn;
    private final Counter messagesOut;
    private final Counter slowConsumerCloses;
    private final Timer fanout;

    public ParleyMetrics() {
        this.registry = Metrics.globalRegistry();
        this.messagesIn = registry.getOrCreate(Counter.builder("parley.messages.in")
                .description("Messages accepted into rooms"));
        this.messagesOut = registry.getOrCreate(Counter.builder("parley.messages.out")
                .description("Message frames delivered to sockets"));
        this.slowConsumerCloses = registry.getOrCreate(Counter.builder("parley.slow.consumer.closes")
                .description("Connections closed 4503 because they could not keep up"));
        this.fanout = registry.getOrCreate(Timer.builder("parley.fanout")
                .description("Time to enqueue one room event to every local member")
                .buckets(Duration.ofNanos(100_000), Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(25),
                        Duration.ofMillis(100), Duration.ofMillis(500)));
    }

    /** Registers a gauge read on every scrape (connections, rooms, outbox backlog, ...). */
    public void gauge(String name, String description, Supplier<? extends Number> value) {
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

    public void fanoutTook(long nanos) {
        fanout.record(Duration.ofNanos(nanos));
    }
}
