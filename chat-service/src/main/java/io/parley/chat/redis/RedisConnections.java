package io.parley.chat.redis;

import java.net.SocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.pubsub.RedisPubSubListener;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.parley.chat.config.RedisMode;

/**
 * One instance's link to Redis, standalone or cluster ({@link RedisMode}): one client, one multiplexed command
 * connection shared by the adapters (in cluster mode Lettuce's router, with one connection per node), pub/sub
 * (standalone: one connection; cluster: one per primary that owns subscribed rooms, see {@link ClusterLink}), and,
 * when appends wait for replicas, one append connection per primary ({@link #appendConnectionFor}).
 *
 * <p>Failure behaviour, chosen so that a client gets an error instead of a silent wait:
 * <ul>
 *   <li>every command is bounded by {@code commandTimeout}; while disconnected, commands are rejected at once
 *   instead of being buffered and replayed later (a replayed append could store a message whose sender was told
 *   it failed);</li>
 *   <li>Lettuce reconnects by itself, backing off up to 2 s; Lettuce re-subscribes the channels it had confirmed,
 *   and {@link #onPubSubReconnected} lets the broker do the rest (subscriptions that failed meanwhile, events missed
 *   while disconnected). In cluster mode a change of slot owners (a failover) counts as a reconnect too;</li>
 *   <li>a probe PINGs every {@link #PROBE_INTERVAL} (in cluster mode: every primary that owns slots) so that
 *   {@link #available()} also turns false while Redis is connected but not answering (a paused or overloaded server,
 *   a dead primary not yet replaced).</li>
 * </ul>
 */
public final class RedisConnections implements AutoCloseable {

    /** How long a command may take before the caller is told Redis is unavailable. */
    public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    /** How long an append waits for its replicas ({@code WAIT}) before the sender is told to retry. */
    public static final Duration REPLICATION_TIMEOUT = Duration.ofSeconds(1);
    static final Duration PROBE_INTERVAL = Duration.ofMillis(500);
    private static final System.Logger LOG = System.getLogger(RedisConnections.class.getName());

    /** What differs between one server and a cluster: routing, pub/sub, probing. */
    interface Link extends AutoCloseable {
        RedisClusterCommands<String, String> sync();

        RedisClusterAsyncCommands<String, String> async();

        /** A connection reserved for appends, to the primary that owns {@code key}. */
        StatefulRedisConnection<String, String> appendConnectionFor(String key);

        void addListener(RedisPubSubListener<String, String> listener);

        /** Subscribes and returns once every channel is confirmed. */
        void subscribe(List<String> channels);

        RedisFuture<Void> unsubscribe(String channel);

        RedisFuture<Long> publish(String channel, String payload);

        /**
         * A connection for commands that block it (XREADGROUP BLOCK); empty in a cluster, where such reads are
         * polled per shard instead.
         */
        Optional<StatefulRedisConnection<String, String>> openDedicated();

        /** Whether Redis answers now (and, in a cluster, every slot has an answering primary). */
        boolean probe();

        /** Changes at each change of slot owners (cluster); constant for one server. */
        long topologyVersion();

        boolean isOpen();

        @Override
        void close();
    }

    private final RedisMode mode;
    private final ClientResources resources;
    private final AbstractRedisClient client;
    private final String where;
    private final Duration commandTimeout;
    private final Link link;
    private final AtomicLong pubSubConnects = new AtomicLong();
    private final List<Runnable> reconnectHandlers = new CopyOnWriteArrayList<>();
    private final List<Runnable> disconnectHandlers = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService probe;
    private long handledConnects;         // probe thread only
    private long handledTopology;         // probe thread only
    private volatile boolean responsive = true;
    private volatile boolean recoveryRequested;
    private volatile boolean closed;

    private RedisConnections(RedisMode mode, Duration commandTimeout, ClientResources resources,
                             AbstractRedisClient client, String where,
                             java.util.function.Supplier<Link> connect) {
        this.mode = mode;
        this.resources = resources;
        this.client = client;
        this.where = where;
        this.commandTimeout = commandTimeout;
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
                    // In a cluster the client also closes its short-lived topology-refresh connections: not news.
                    // A primary that is really lost shows in the probe ("does not answer").
                    LOG.log(mode == RedisMode.CLUSTER ? System.Logger.Level.DEBUG : System.Logger.Level.WARNING,
                            "Redis connection to " + where + " lost; reconnecting");
                }
            }
        });
        this.link = connect.get();
        this.handledConnects = pubSubConnects.get();
        this.handledTopology = link.topologyVersion();
        this.probe = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("parley-redis-probe").daemon().factory());
        probe.scheduleWithFixedDelay(this::probe, PROBE_INTERVAL.toMillis(), PROBE_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * Connects to {@code redis://host:port[/db]} (or {@code rediss://}), one server.
     *
     * @throws RedisException when Redis cannot be reached now: an instance does not start without it
     */
    public static RedisConnections open(URI uri, Duration commandTimeout) {
        return open(RedisMode.STANDALONE, List.of(uri), commandTimeout);
    }

    /** As {@link #open(RedisMode, List, Duration, CommandLatencyRecorder)}, recording no latency. */
    public static RedisConnections open(RedisMode mode, List<URI> uris, Duration commandTimeout) {
        return open(mode, uris, commandTimeout, CommandLatencyRecorder.disabled());
    }

    /**
     * Connects in {@code mode}: standalone takes exactly one URI; cluster takes one or more seed nodes, from which
     * the client learns the whole topology. Every command's latency is reported to {@code latency}.
     *
     * @throws RedisException when Redis cannot be reached now: an instance does not start without it
     */
    public static RedisConnections open(RedisMode mode, List<URI> uris, Duration commandTimeout,
                                        CommandLatencyRecorder latency) {
        if (uris.isEmpty() || (mode == RedisMode.STANDALONE && uris.size() != 1)) {
            throw new IllegalArgumentException(mode + " mode needs " + (mode == RedisMode.STANDALONE
                    ? "exactly one Redis URI" : "at least one seed URI"));
        }
        List<RedisURI> redisUris = new ArrayList<>();
        for (URI uri : uris) {
            RedisURI r = RedisURI.create(uri);
            r.setTimeout(commandTimeout);
            redisUris.add(r);
        }
        ClientResources resources = ClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .commandLatencyRecorder(latency)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(2), 2,
                        TimeUnit.MILLISECONDS))
                .build();
        // Never a URI itself in a log line: it may carry a password.
        String where = redisUris.getFirst().getHost() + ":" + redisUris.getFirst().getPort()
                + (redisUris.size() > 1 ? " (+" + (redisUris.size() - 1) + " seeds)" : "");
        AbstractRedisClient client = null;
        try {
            if (mode == RedisMode.CLUSTER) {
                io.lettuce.core.cluster.RedisClusterClient cluster = ClusterLink.client(resources, redisUris,
                        commandTimeout);
                client = cluster;
                return new RedisConnections(mode, commandTimeout, resources, cluster, where,
                        () -> new ClusterLink(cluster, resources, commandTimeout));
            }
            RedisClient single = RedisClient.create(resources, redisUris.getFirst());
            single.setOptions(clientOptions(commandTimeout));
            client = single;
            return new RedisConnections(mode, commandTimeout, resources, single, where,
                    () -> new StandaloneLink(single));
        } catch (RuntimeException e) {
            if (client != null) {
                client.shutdown();
            }
            resources.shutdown();
            throw e;
        }
    }

    /** Reconnect by itself, reject (never queue) commands while disconnected, bound every command. */
    static ClientOptions clientOptions(Duration commandTimeout) {
        return ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .socketOptions(socketOptions(commandTimeout))
                .build();
    }

    static SocketOptions socketOptions(Duration commandTimeout) {
        return SocketOptions.builder().connectTimeout(commandTimeout).keepAlive(true).build();
    }

    public RedisMode mode() {
        return mode;
    }

    /** How long a command may take before the caller is told Redis is unavailable. */
    public Duration commandTimeout() {
        return commandTimeout;
    }

    /** The key layout of this mode. */
    public RedisKeys keys() {
        return RedisKeys.of(mode);
    }

    /** {@code PUBLISH} or, in cluster mode, {@code SPUBLISH}: how scripts publish room events. */
    public String publishCommand() {
        return mode == RedisMode.CLUSTER ? "SPUBLISH" : "PUBLISH";
    }

    /** Blocking commands on the shared connection (each bounded by the command timeout; routed in a cluster). */
    public RedisClusterCommands<String, String> sync() {
        return link.sync();
    }

    /** Pipelined commands on the shared connection. */
    public RedisClusterAsyncCommands<String, String> async() {
        return link.async();
    }

    /**
     * A connection to the primary that owns {@code key}, reserved for appends that wait for replicas: a script run on
     * it and a {@code WAIT} after it talk to the same server over the same connection, as {@code WAIT} requires, and
     * a {@code WAIT} that waits its full timeout holds up only other appends to that primary, never the shared
     * connection (history, presence, the readiness probe). Opened at first use, one per primary, closed with this
     * object.
     */
    public StatefulRedisConnection<String, String> appendConnectionFor(String key) {
        return link.appendConnectionFor(key);
    }

    /** Adds a listener for every message of every subscription (called on a Redis I/O thread). */
    public void addPubSubListener(RedisPubSubListener<String, String> listener) {
        link.addListener(listener);
    }

    /**
     * Subscribes and returns once Redis confirmed every channel: {@code SUBSCRIBE} standalone, {@code SSUBSCRIBE}
     * at each channel's primary in a cluster.
     */
    public void subscribe(List<String> channels) {
        if (!channels.isEmpty()) {
            link.subscribe(channels);
        }
    }

    /** Unsubscribes, not awaited. */
    public RedisFuture<Void> unsubscribe(String channel) {
        return link.unsubscribe(channel);
    }

    /** {@code PUBLISH} (standalone) or {@code SPUBLISH} (cluster: reaches only the channel's shard), not awaited. */
    public RedisFuture<Long> publish(String channel, String payload) {
        return link.publish(channel, payload);
    }

    /**
     * A further connection of this client, for commands that block the connection they run on (e.g. XREADGROUP
     * BLOCK); closed with this object. Empty in a cluster: there such reads are polled per shard instead.
     */
    public Optional<StatefulRedisConnection<String, String>> openDedicated() {
        return link.openDedicated();
    }

    /**
     * Runs {@code handler} on the probe thread (never a Redis I/O thread) after each reconnect of a pub/sub
     * connection, once Redis answers again, after each change of slot owners in a cluster, and after
     * {@link #requestRecovery()}.
     */
    public void onPubSubReconnected(Runnable handler) {
        reconnectHandlers.add(handler);
    }

    /**
     * Runs {@code handler} when a pub/sub connection drops, on the Redis I/O thread, before any event that arrives
     * after the reconnect (and on the probe thread when slot owners changed): it must only record or queue, never
     * block.
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

    /** The connections are up and Redis answered the latest probe. */
    public boolean available() {
        return !closed && link.isOpen() && responsive;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        probe.shutdownNow();
        link.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    private void countPubSubConnect(RedisChannelHandler<?, ?> connection) {
        // Called on a Redis I/O thread, possibly during the constructor: only count here.
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
            ok = link.probe();
        } catch (RedisException e) {
            ok = false;
        }
        if (ok != responsive) {
            LOG.log(ok ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
                    "Redis at " + where + (ok ? " answers again" : " does not answer"));
        }
        responsive = ok;
        long connects = pubSubConnects.get();
        long topology = link.topologyVersion();
        if ((connects != handledConnects || topology != handledTopology || recoveryRequested) && ok
                && link.isOpen()) {
            if (topology != handledTopology) {
                // Slot owners changed (a failover): subscriptions at the old owner are gone, as after a disconnect.
                LOG.log(System.Logger.Level.INFO, "Redis Cluster topology changed; moving subscriptions");
                disconnectHandlers.forEach(Runnable::run);
            }
            handledConnects = connects;
            handledTopology = topology;
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

    /** Waits for all and rethrows the first failure as a {@link RedisException}. */
    static void awaitAll(List<? extends CompletableFuture<?>> futures, Duration timeout) {
        try {
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RedisException r ? r : new RedisException(e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new io.lettuce.core.RedisCommandTimeoutException("no answer within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisException("interrupted");
        }
    }
}
