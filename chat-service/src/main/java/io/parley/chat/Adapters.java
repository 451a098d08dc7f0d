package io.parley.chat;

import java.time.Clock;
import java.util.function.IntSupplier;

import io.parley.chat.auth.revocation.MemoryRevocations;
import io.parley.chat.auth.revocation.RedisRevocations;
import io.parley.chat.auth.revocation.Revocations;
import io.parley.chat.broker.Broker;
import io.parley.chat.broker.MemoryBroker;
import io.parley.chat.broker.RedisBroker;
import io.parley.chat.config.ParleyConfig;
import io.parley.chat.config.RedisSettings;
import io.parley.chat.observe.ParleyMetrics;
import io.parley.chat.outbox.MonolithLink;
import io.parley.chat.presence.MemoryPresenceStore;
import io.parley.chat.presence.PresenceStore;
import io.parley.chat.presence.RedisPresenceStore;
import io.parley.chat.redis.RedisCommandMetrics;
import io.parley.chat.redis.RedisConnections;
import io.parley.chat.signing.replay.MemoryReplayGuard;
import io.parley.chat.signing.replay.RedisReplayGuard;
import io.parley.chat.signing.replay.ReplayGuard;

/**
 * The one place where implementations of the ports are chosen by configuration: in memory without
 * {@code PARLEY_REDIS_URI} (single instance, the embedded default), Redis with it (one server or a cluster, by
 * {@code PARLEY_REDIS_MODE}).
 *
 * @param broker      room history and fan-out
 * @param presence    cluster-wide room membership
 * @param monolith    history outbox, events and dead letters for the monolith
 * @param revocations users whose earlier tokens are refused
 * @param replays     server API signatures already used
 */
record Adapters(Broker broker, PresenceStore presence, MonolithLink monolith, Revocations revocations,
                ReplayGuard replays) implements AutoCloseable {

    static Adapters create(ParleyConfig config, IntSupplier localConnections, ParleyMetrics metrics) {
        if (config.redis().isPresent()) {
            return redis(config, localConnections, metrics);
        }
        MonolithLink monolith = MonolithLink.inMemory(config.monolith(), Clock.systemUTC(), metrics);
        return new Adapters(
                new MemoryBroker(config.limits().retainedPerRoom(), config.timings().refDedupe(), Clock.systemUTC(),
                        monolith.outboxSink()),
                new MemoryPresenceStore(localConnections), monolith, new MemoryRevocations(Clock.systemUTC()),
                new MemoryReplayGuard(Clock.systemUTC()));
    }

    /** Several instances sharing one Redis; the broker owns the connections and closes them after presence. */
    private static Adapters redis(ParleyConfig config, IntSupplier localConnections, ParleyMetrics metrics) {
        RedisSettings settings = config.redis().orElseThrow();
        RedisConnections redis = RedisConnections.open(settings.mode(), settings.uris(),
                RedisConnections.COMMAND_TIMEOUT, new RedisCommandMetrics(metrics));
        return new Adapters(
                new RedisBroker(redis, config.limits().retainedPerRoom(), config.timings().refDedupe(),
                        config.monolith().url().isPresent(), settings.minReplicas()),
                new RedisPresenceStore(redis, config.instanceId(), config.timings().presenceTtl(), localConnections),
                MonolithLink.overRedis(config.monolith(), Clock.systemUTC(), metrics, redis, config.instanceId(),
                        config.timings().presenceTtl()),
                new RedisRevocations(redis), new RedisReplayGuard(redis));
    }

    @Override
    public void close() {
        monolith.close();
        presence.close();
        broker.close();
    }
}
