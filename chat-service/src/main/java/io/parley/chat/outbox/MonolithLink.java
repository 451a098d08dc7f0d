package io.parley.chat.outbox;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.chat.broker.OutboxSink;
import io.parley.chat.config.MonolithSettings;
import io.parley.chat.observe.ParleyMetrics;
import io.parley.chat.protocol.Json;
import io.parley.chat.signing.RequestSigner;

/**
 * Everything one instance needs to talk to the monolith (protocol §3), assembled on the {@link Stores} the
 * composition chose: the history outbox and its forwarder, the events outbox and its forwarder (when an events path
 * is set), the dead-letter store, and what the core calls into ({@link #outboxSink()} for the memory broker,
 * {@link #membership()} for presence transitions). Without a monolith URL nothing is queued or sent; the dead-letter
 * store still answers (empty in memory).
 */
public final class MonolithLink implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(MonolithLink.class.getName());

    /** Protocol §3: at most 100 messages per post, flushed at least every 200 ms, retries capped at 30 s. */
    static final int MAX_BATCH = 100;
    static final Duration LINGER = Duration.ofMillis(200);
    static final Duration FIRST_RETRY = Duration.ofMillis(250);
    static final Duration MAX_RETRY = Duration.ofSeconds(30);
    /** How long the monolith has to answer one post before it counts as no answer (and is retried). */
    static final Duration POST_TIMEOUT = Duration.ofSeconds(10);
    /** In-memory bounds: a full history outbox refuses new messages (no ack), see {@link MemoryOutbox}. */
    public static final int MEMORY_OUTBOX_CAPACITY = 10_000;
    public static final int MEMORY_EVENTS_CAPACITY = 10_000;
    public static final int MEMORY_DEAD_LETTERS_CAPACITY = 10_000;

    private final OutboxSink outboxSink;
    private final MembershipEvents membership;
    private final DeadLetters deadLetters;
    private final Optional<OutboxStore> history;
    private final List<OutboxForwarder> forwarders;
    private final List<AutoCloseable> closeables;

    private MonolithLink(OutboxSink outboxSink, MembershipEvents membership, DeadLetters deadLetters,
                         Optional<OutboxStore> history, List<OutboxForwarder> forwarders,
                         List<AutoCloseable> closeables) {
        this.outboxSink = outboxSink;
        this.membership = membership;
        this.deadLetters = deadLetters;
        this.history = history;
        this.forwarders = forwarders;
        this.closeables = closeables;
    }

    /**
     * Where one deployment keeps what waits for the monolith, chosen with the other adapters: bounded queues in this
     * process for a single instance, Redis streams read through a consumer group for a cluster.
     *
     * @param sink        where the broker hands accepted messages (the memory outbox; {@link OutboxSink#NONE} when
     *                    the broker queues them itself, as the Redis broker does in its append script)
     * @param history     opens the history outbox the forwarder reads (only called when a monolith URL is set)
     * @param deadLetters where refused messages wait for a replay (answers even without a URL)
     * @param events      opens the events outbox and its queue (only called when an events path is set)
     * @param keepAlive   how often a forwarder waiting for work proves it still holds what it took
     */
    public record Stores(OutboxSink sink, Supplier<OutboxStore> history, DeadLetters deadLetters,
                         Supplier<EventsParts> events, Duration keepAlive) {
    }

    /** The parts an events path needs: where events wait, and how the reporter queues them. */
    public record EventsParts(OutboxStore store, EventQueue queue) {
    }

    /**
     * Assembles the link on the given stores. Without a monolith URL nothing is queued or sent, and only the dead
     * letters are used.
     */
    public static MonolithLink create(MonolithSettings settings, Clock clock, ParleyMetrics metrics, Stores stores) {
        if (settings.url().isEmpty()) {
            return new MonolithLink(OutboxSink.NONE, MembershipEvents.NONE, stores.deadLetters(), Optional.empty(),
                    List.of(), List.of());
        }
        URI base = settings.url().orElseThrow();
        RequestSigner signer = new RequestSigner(settings.secret().orElseThrow(), clock);
        HttpClient client = SignedPoster.defaultClient();
        OutboxStore history = stores.history().get();
        DeadLetters deadLetters = stores.deadLetters();
        List<OutboxForwarder> forwarders = new ArrayList<>();
        // shutdownNow, not close: closing waits for a post the monolith may never answer.
        List<AutoCloseable> closeables = new ArrayList<>();
        closeables.add(history);
        closeables.add(client::shutdownNow);
        forwarders.add(new OutboxForwarder(
                new OutboxForwarder.Settings("history", MAX_BATCH, LINGER, stores.keepAlive(), FIRST_RETRY, MAX_RETRY),
                history,
                new BatchDelivery(new MeteredPoster(new SignedPoster(client, SignedPoster.endpoint(base,
                        settings.historyPath()), signer, POST_TIMEOUT), "history", metrics), "messages"),
                refused -> deadLetter(deadLetters, refused)));
        MembershipEvents membership = MembershipEvents.NONE;
        if (settings.eventsPath().isPresent()) {
            EventsParts events = stores.events().get();
            closeables.add(events.store());
            forwarders.add(new OutboxForwarder(
                    new OutboxForwarder.Settings("events", MAX_BATCH, LINGER, stores.keepAlive(), FIRST_RETRY,
                            MAX_RETRY),
                    events.store(),
                    new BatchDelivery(new MeteredPoster(new SignedPoster(client, SignedPoster.endpoint(base,
                            settings.eventsPath().get()), signer, POST_TIMEOUT), "events", metrics), "events"),
                    MonolithLink::eventsRefused));
            membership = new MembershipReporter(events.queue(), clock);
        }
        return new MonolithLink(stores.sink(), membership, deadLetters, Optional.of(history),
                List.copyOf(forwarders), List.copyOf(closeables));
    }

    /** Where the memory broker hands accepted messages ({@link OutboxSink#NONE} with Redis or without a URL). */
    public OutboxSink outboxSink() {
        return outboxSink;
    }

    public MembershipEvents membership() {
        return membership;
    }

    public DeadLetters deadLetters() {
        return deadLetters;
    }

    /** Registers the gauges and starts forwarding. */
    public void start(ParleyMetrics metrics) {
        metrics.gaugeOutboxBacklog(() -> history.map(OutboxStore::backlog).orElse(0L));
        metrics.gaugeOutboxOldestAge(() -> history.map(store -> store.oldestAge().toMillis() / 1000.0).orElse(0.0));
        metrics.gaugeDeadLetters(deadLetters::count);
        forwarders.forEach(OutboxForwarder::start);
    }

    /**
     * Delivers what this instance holds within {@code timeout} (the drain); returns whether all of it went. The
     * forwarders share the time.
     */
    public boolean flush(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean all = true;
        for (OutboxForwarder forwarder : forwarders) {
            all &= forwarder.flush(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
        if (!all) {
            LOG.log(System.Logger.Level.WARNING, "drain: the monolith did not take everything within " + timeout
                    + "; " + history.map(OutboxStore::backlog).orElse(0L) + " messages still in the outbox");
        }
        return all;
    }

    @Override
    public void close() {
        forwarders.forEach(OutboxForwarder::close);
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.DEBUG, "closing the monolith link: " + e.getMessage());
            }
        }
    }

    /** Sets refused history messages aside, and says so once per batch (ids and status: never the text). */
    private static void deadLetter(DeadLetters deadLetters, List<Refused> refused) {
        List<DeadLetter> letters = refused.stream().map(DeadLetter::of).toList();
        deadLetters.add(letters);
        List<String> ids = letters.stream().map(DeadLetter::id).toList();
        LOG.log(System.Logger.Level.WARNING, "monolith refused " + letters.size() + " message(s) with HTTP "
                + refused.stream().map(r -> Integer.toString(r.status())).distinct().toList() + "; dead-lettered "
                + (ids.size() <= 5 ? ids : ids.subList(0, 5) + " and " + (ids.size() - 5) + " more")
                + " (GET /api/v1/dead-letters to see why, POST /api/v1/dead-letters/replay to resend)");
    }

    private static void eventsRefused(List<Refused> refused) {
        // Events are a live view, not a record: one the monolith refuses on its own is dropped, said once here
        // (type and room only: the user stays out of the log).
        for (Refused r : refused) {
            String json = r.entry().json();
            String what;
            try {
                JsonNode event = Json.MAPPER.readTree(json);
                what = event.path("type").asText() + " in room " + event.path("room").asText();
            } catch (IOException e) {
                what = "an unreadable event";
            }
            LOG.log(System.Logger.Level.WARNING, "monolith refused " + what + " with HTTP " + r.status()
                    + "; dropped");
        }
    }
}
