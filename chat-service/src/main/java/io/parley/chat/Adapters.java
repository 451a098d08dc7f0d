package io.parley.chat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

import io.parley.chat.auth.revocation.MemoryRevocations;
import io.parley.chat.auth.revocation.RedisRevocations;
import io.parley.chat.auth.revocation.Revocations;
import io.parley.chat.broker.Broker;
import io.parley.chat.broker.MemoryBroker;
import io.parley.chat.broker.OutboxSink;
import io.parley.chat.broker.RedisBroker;
import io.parley.chat.config.ParleyConfig;
import io.parley.chat.config.RedisSettings;
import io.parley.chat.observe.ParleyMetrics;
import io.parley.chat.outbox.EventQueue;
import io.parley.chat.outbox.MemoryDeadLetters;
import io.parley.chat.outbox.MemoryOutbox;
import io.parley.chat.outbox.MonolithLink;
import io.parley.chat.outbox.RedisDeadLetters;
import io.parley.chat.outbox.RedisOutbox;
import io.parley.chat.presence.MemoryPresenceStore;
import io.parley.chat.presence.PresenceStore;
import io.parley.chat.presence.RedisPresenceStore;
import io.parley.chat.redis.RedisCommandMetrics;
import io.parley.chat.redis.RedisConnections;
import io.parley.chat.redis.RedisKeys;
import io.parley.chat.signing.replay.MemoryReplayGuard;
import io.parley.chat.signing.replay.RedisReplayGuard;
import io.parley.chat.signing.replay.ReplayGuard;

/**
 * The one place where implementations of the ports are chosen, by the name of an adapter set (as anycable-go picks
 * its broker and pub/sub by name): {@value #MEMORY} without {@code PARLEY_REDIS_URI} (single instance, the embedded
 * default), {@value #REDIS} with it (one server or a cluster, by {@code PARLEY_REDIS_MODE}). A set owns the clients
 * its adapters share (the Redis connections) and closes them after every adapter that uses them; no adapter closes
 * what it did not open.
 *
 * @param broker      room history and fan-out
 * @param presence    cluster-wide room membership
 * @param monolith    history outbox, events and dead letters for the monolith
 * @param revocations users whose earlier tokens are refused
 * @param replays     server API signatures already used
 * @param shared      the clients the adapters share, closed last
 */
record Adapters(Broker broker, PresenceStore presence, MonolithLink monolith, Revocations revocations,
                ReplayGuard replays, List<AutoCloseable> shared) implements AutoCloseable {

    static final String MEMORY = "memory";
    static final String REDIS = "redis";

    /** Builds one adapter set; {@code localConnections} is this instance's socket count, reported by presence. */
    @FunctionalInterface
    private interface Factory {
        Adapters create(ParleyConfig config, IntSupplier localConnections, ParleyMetrics metrics, Clock clock);
    }

    private static final Map<String, Factory> BY_NAME = Map.of(MEMORY, Adapters::memory, REDIS, Adapters::redis);
    private static final System.Logger LOG = System.getLogger(Adapters.class.getName());

    /** The name of the adapter set the configuration asks for. */
    static String nameFor(ParleyConfig config) {
        return config.redis().isPresent() ? REDIS : MEMORY;
    }

    static Adapters create(ParleyConfig config, IntSupplier localConnections, ParleyMetrics metrics, Clock clock) {
        return BY_NAME.get(nameFor(config)).create(config, localConnections, metrics, clock);
    }

    /** One instance on its own: everything in this process, bounded. */
    private static Adapters memory(ParleyConfig config, IntSupplier localConnections, ParleyMetrics metrics,
                                   Clock clock) {
        MemoryOutbox outbox = new MemoryOutbox(MonolithLink.MEMORY_OUTBOX_CAPACITY, clock);
        MonolithLink monolith = MonolithLink.create(config.monolith(), clock, metrics, new MonolithLink.Stores(
                outbox, () -> outbox, new MemoryDeadLetters(outbox, MonolithLink.MEMORY_DEAD_LETTERS_CAPACITY),
                () -> memoryEvents(clock), Duration.ofSeconds(1)));
        return new Adapters(
                new MemoryBroker(config.limits().retainedPerRoom(), config.timings().refDedupe(), clock,
                        monolith.outboxSink()),
                new MemoryPresenceStore(localConnections), monolith, new MemoryRevocations(clock),
                new MemoryReplayGuard(clock), List.of());
    }

    private static MonolithLink.EventsParts memoryEvents(Clock clock) {
        MemoryOutbox events = new MemoryOutbox(MonolithLink.MEMORY_EVENTS_CAPACITY, clock);
        EventQueue queue = jsons -> jsons.forEach(json -> {
            if (!events.offer(json)) {
                throw new IllegalStateException("the events outbox is full");
            }
        });
        return new MonolithLink.EventsParts(events, queue);
    }

    /** Several instances sharing one Redis through this instance's one client and its connections. */
    private static Adapters redis(ParleyConfig config, IntSupplier localConnections, ParleyMetrics metrics,
                                  Clock clock) {
        RedisSettings settings = config.redis().orElseThrow();
        RedisConnections redis = RedisConnections.open(settings.mode(), settings.uris(),
                RedisConnections.COMMAND_TIMEOUT, new RedisCommandMetrics(metrics));
        String instance = config.instanceId();
        // A pending outbox entry is taken over once its instance counts as dead: after the presence TTL.
        Duration claimIdle = config.timings().presenceTtl();
        MonolithLink monolith = MonolithLink.create(config.monolith(), clock, metrics,
                new MonolithLink.Stores(OutboxSink.NONE,
                        () -> new RedisOutbox(redis, redis.keys().outboxes(), instance, claimIdle, clock),
                        new RedisDeadLetters(redis),
                        () -> new MonolithLink.EventsParts(
                                new RedisOutbox(redis, List.of(RedisKeys.EVENTS_OUTBOX), instance, claimIdle, clock),
                                jsons -> jsons.forEach(json ->
                                        redis.sync().xadd(RedisKeys.EVENTS_OUTBOX, RedisKeys.OUTBOX_FIELD, json))),
                        claimIdle.dividedBy(3)));
        return new Adapters(
                new RedisBroker(redis, config.limits().retainedPerRoom(), config.timings().refDedupe(),
                        config.monolith().url().isPresent(), settings.minReplicas()),
                new RedisPresenceStore(redis, instance, config.timings().presenceTtl(), localConnections, clock),
                monolith, new RedisRevocations(redis), new RedisReplayGuard(redis), List.of(redis));
    }

    @Override
    public void close() {
        monolith.close();
        presence.close();
        broker.close();
        for (AutoCloseable client : shared) {
            try {
                client.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "closing a shared client: " + e.getMessage(), e);
            }
        }
    }
}
