package io.parley.chat.redis;

import java.net.SocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;

/**
 * One instance's link to Redis: one client, one multiplexed command connection shared by the adapters, and one
 * pub/sub connection (Redis pays per subscribed connection, so an instance never opens more).
 *
 * <p>Failure behaviour, chosen so that a client gets an error instead of a silent wait:
 * <ul>
 *   <li>every command is bounded by {@code commandTimeout}; while disconnected, commands are rejected at once
 *   instead of being buffered and replayed later (a replayed append could store a message whose sender was told
 *   it failed);</li>
 *   <li>Lettuce reconnects by itself, backing off up to 2 s; Lettuce re-subscribes the channels it had confirmed,
 *   and {@link #onPubSubReconnected} lets the broker do the rest (subscriptions that failed meanwhile, events missed
 *   while disconnected);</li>
 *   <li>a probe PINGs every {@link #PROBE_INTERVAL} so that {@link #available()} also turns false while Redis is
 *   connected but not answering (a paused or overloaded server).</li>
 * </ul>
 */
public final class RedisConnections implements AutoCloseable {

    /** How long a command may take before the caller is told Redis is unavailable. */
    public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    static final Duration PROBE_INTERVAL = Duration.ofMillis(500);
    private static final System.Logger LOG = System.getLogger(RedisConnections.class.getName());

    private final ClientResources resources;
    private final RedisClient client;
    private final String where;
    private final StatefulRedisConnection<String, String> commands;
    private final StatefulRedisPubSubConnection<String, String> pubSub;
    private final List<StatefulRedisConnection<String, String>> dedicated = new CopyOnWriteArrayList<>();
    private final AtomicLong pubSubConnects = new AtomicLong();
    private final List<Runnable> reconnectHandlers = new CopyOnWriteArrayList<>();
    private final List<Runnable> disconnectHandlers = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService probe;
    private long handledConnects;         // probe thread only
    private volatile boolean responsive = true;
    private volatile boolean recoveryRequested;
    private volatile boolean closed;

    private RedisConnections(ClientResources resources, RedisClient client, String where) {
        this.resources = resources;
        this.client = client;
        this.where = where;
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
                countPubSubConnect(connection);
            }

            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                if (connection instanceof StatefulRedisPubSubConnection<?, ?>) {
                    disconnectHandlers.forEach(Runnable::run);
                }
                if (!closed) {
                    LOG.log(System.Logger.Level.WARNING, "Redis connection to " + where + " lost; reconnecting");
                }
            }
        });
        this.commands = client.connect(StringCodec.UTF8);
        this.pubSub = client.connectPubSub(StringCodec.UTF8);
        this.handledConnects = pubSubConnects.get();
        this.probe = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("parley-redis-probe").daemon().factory());
        probe.scheduleWithFixedDelay(this::probe, PROBE_INTERVAL.toMillis(), PROBE_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * Connects to {@code redis://host:port[/db]} (or {@code rediss://}).
     *
     * @throws RedisException when Redis cannot be reached now: an instance does not start without it
     */
    public static RedisConnections open(URI uri, Duration commandTimeout) {
        return open(uri, commandTimeout, CommandLatencyRecorder.disabled());
    }

    /** As {@link #open(URI, Duration)}, reporting every command's latency to {@code latency}. */
    public static RedisConnections open(URI uri, Duration commandTimeout, CommandLatencyRecorder latency) {
        RedisURI redisUri = RedisURI.create(uri);
        redisUri.setTimeout(commandTimeout);
        ClientResources resources = ClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .commandLatencyRecorder(latency)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(2), 2,
                        TimeUnit.MILLISECONDS))
                .build();
        RedisClient client = RedisClient.create(resources, redisUri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .socketOptions(SocketOptions.builder().connectTimeout(commandTimeout).keepAlive(true).build())
                .build());
        // Never the URI itself in a log line: it may carry a password.
        String where = redisUri.getHost() + ":" + redisUri.getPort();
        try {
            return new RedisConnections(resources, client, where);
        } catch (RuntimeException e) {
            client.shutdown();
            resources.shutdown();
            throw e;
        }
    }

    /** Blocking commands on the shared connection (each bounded by the command timeout). */
    public RedisCommands<String, String> sync() {
        return commands.sync();
    }

    /** Pipelined commands on the shared connection. */
    public RedisAsyncCommands<String, String> async() {
        return commands.async();
    }

    /** The instance's one pub/sub connection. */
    public StatefulRedisPubSubConnection<String, String> pubSub() {
        return pubSub;
    }

    /**
     * A further connection of this client, for commands that block the connection they run on (e.g. XREADGROUP
     * BLOCK); closed with this object.
     */
    public StatefulRedisConnection<String, String> openDedicated() {
        StatefulRedisConnection<String, String> c = client.connect(StringCodec.UTF8);
        dedicated.add(c);
        return c;
    }

    /**
     * Runs {@code handler} on the probe thread (never a Redis I/O thread) after each reconnect of the pub/sub
     * connection, once that connection is usable again, and after {@link #requestRecovery()}.
     */
    public void onPubSubReconnected(Runnable handler) {
        reconnectHandlers.add(handler);
    }

    /**
     * Runs {@code handler} when the pub/sub connection drops, on the Redis I/O thread, before any event that arrives
     * after the reconnect: it must only record or queue, never block.
     */
    public void onPubSubDisconnected(Runnable handler) {
        disconnectHandlers.add(handler);
    }

    /**
     * Asks for the reconnect handlers to run again at the next probe that finds Redis answering (a subscription or
     * catch-up failed and must be retried even though no reconnect happened).
     */
    public void requestRecovery() {
        recoveryRequested = true;
    }

    /** Both connections are up and Redis answered the latest probe. */
    public boolean available() {
        return !closed && commands.isOpen() && pubSub.isOpen() && responsive;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        probe.shutdownNow();
        dedicated.forEach(StatefulRedisConnection::close);
        pubSub.close();
        commands.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    private void countPubSubConnect(RedisChannelHandler<?, ?> connection) {
        // Called on a Redis I/O thread, possibly during the constructor (pubSub not yet assigned): only count here.
        if (connection instanceof StatefulRedisPubSubConnection<?, ?>) {
            long n = pubSubConnects.incrementAndGet();
            if (n > 1 && !closed) {
                LOG.log(System.Logger.Level.INFO, "Redis pub/sub connection to " + where + " re-established");
            }
        }
    }

    private void probe() {
        boolean ok;
        try {
            ok = "PONG".equals(commands.sync().ping());
        } catch (RedisException e) {
            ok = false;
        }
        if (ok != responsive) {
            LOG.log(ok ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
                    "Redis at " + where + (ok ? " answers again" : " does not answer"));
        }
        responsive = ok;
        long connects = pubSubConnects.get();
        if ((connects != handledConnects || recoveryRequested) && ok && pubSub.isOpen()) {
            handledConnects = connects;
            recoveryRequested = false;
            for (Runnable handler : reconnectHandlers) {
                try {
                    handler.run();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "after reconnecting to Redis: " + e.getMessage(), e);
                }
            }
        }
    }
}
