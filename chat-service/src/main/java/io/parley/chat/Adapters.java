package io.parley.chat;

import java.time.Clock;
import java.util.function.IntSupplier;

import io.parley.chat.broker.Broker;
import io.parley.chat.broker.MemoryBroker;
import io.parley.chat.broker.OutboxSink;
import io.parley.chat.config.ParleyConfig;
import io.parley.chat.presence.MemoryPresenceStore;
import io.parley.chat.presence.PresenceStore;

/**
 * The one place where implementations of the ports are chosen by configuration: in memory without
 * {@code PARLEY_REDIS_URI} (single instance, the embedded default), Redis with it.
 *
 * @param broker   room history and fan-out
 * @param presence cluster-wide room membership
 */
record Adapters(Broker broker, PresenceStore presence) implements AutoCloseable {

    static Adapters create(ParleyConfig config, IntSupplier localConnections) {
        return new Adapters(
                new MemoryBroker(config.limits().retainedPerRoom(), config.timings().refDedupe(), Clock.systemUTC(),
                        OutboxSink.NONE),
                new MemoryPresenceStore(localConnections));
    }

    @Override
    public void close() {
        presence.close();
        broker.close();
    }
}
