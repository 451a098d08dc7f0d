package io.parley.chat.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubListener;
import io.lettuce.core.resource.ClientResources;

/**
 * A Redis Cluster through Lettuce's cluster client: commands are routed by key (MOVED/ASK followed), the topology is
 * refreshed every {@link #PERIODIC_REFRESH} and on every sign of change (redirects, reconnect attempts, uncovered
 * slots). Room channels use sharded pub/sub: each channel is {@code SSUBSCRIBE}d on the primary that owns its slot,
 * through Lettuce's node connections, whose messages are propagated to the one listener. After a failover the
 * subscriptions are moved by the broker's recovery, which {@link #topologyVersion()} triggers.
 */
final class ClusterLink implements RedisConnections.Link {

    static final Duration PERIODIC_REFRESH = Duration.ofSeconds(5);
    private static final Duration MIN_REFRESH_GAP = Duration.ofSeconds(1);

    private final RedisClusterClient client;
    /** Opens the per-primary append connections (the cluster client only opens router-managed ones). */
    private final RedisClient nodeClient;
    private final Map<String, StatefulRedisConnection<String, String>> appendConnections = new ConcurrentHashMap<>();
    private final StatefulRedisClusterConnection<String, String> commands;
    private final StatefulRedisClusterPubSubConnection<String, String> pubSub;
    private volatile long lastForcedRefresh;

    ClusterLink(RedisClusterClient client, ClientResources resources, Duration commandTimeout) {
        this.client = client;
        this.nodeClient = RedisClient.create(resources);
        nodeClient.setOptions(RedisConnections.clientOptions(commandTimeout));
        this.commands = client.connect(StringCodec.UTF8);
        this.pubSub = client.connectPubSub(StringCodec.UTF8);
        pubSub.setNodeMessagePropagation(true);
        connectToEveryPrimary();
    }

    /**
     * Opens the router's connection to each primary now. Lettuce opens them at first use, and while one is being
     * opened it rejects the commands routed to it (we reject rather than queue while disconnected): the first
     * commands of each room would fail. The probe keeps doing this for primaries that appear later (failovers).
     */
    private void connectToEveryPrimary() {
        for (RedisClusterNode node : owners()) {
            try {
                commands.getConnection(node.getUri().getHost(), node.getUri().getPort());
            } catch (RedisException e) {
                // That primary is down: its replica will take over, and the probe connects to it then.
            }
        }
    }

    static RedisClusterClient client(ClientResources resources, List<RedisURI> seeds, Duration commandTimeout) {
        RedisClusterClient client = RedisClusterClient.create(resources, seeds);
        client.setOptions(ClusterClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .socketOptions(RedisConnections.socketOptions(commandTimeout))
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enablePeriodicRefresh(PERIODIC_REFRESH)
                        .enableAllAdaptiveRefreshTriggers()
                        .adaptiveRefreshTriggersTimeout(MIN_REFRESH_GAP)
                        .refreshTriggersReconnectAttempts(3)
                        .dynamicRefreshSources(true)
                        .closeStaleConnections(true)
                        .build())
                .build());
        return client;
    }

    @Override
    public RedisClusterCommands<String, String> sync() {
        return commands.sync();
    }

    @Override
    public RedisClusterAsyncCommands<String, String> async() {
        return commands.async();
    }

    /**
     * The node URIs of the topology carry the seed's credentials and TLS settings. A connection to a node that is no
     * longer the slot's owner answers MOVED: the append fails, and once the topology is refreshed the next one goes
     * to the new owner.
     */
    @Override
    public StatefulRedisConnection<String, String> appendConnectionFor(String key) {
        RedisURI uri = primaryOf(SlotHash.getSlot(key)).getUri();
        return appendConnections.computeIfAbsent(uri.getHost() + ":" + uri.getPort(),
                node -> nodeClient.connect(StringCodec.UTF8, uri));
    }

    @Override
    public void addListener(RedisPubSubListener<String, String> listener) {
        pubSub.addListener(listener);
    }

    /** One SSUBSCRIBE per slot (a sharded subscribe may not span slots), at the slot's primary; all pipelined. */
    @Override
    public void subscribe(List<String> channels) {
        Map<Integer, List<String>> bySlot = new LinkedHashMap<>();
        for (String channel : channels) {
            bySlot.computeIfAbsent(SlotHash.getSlot(channel), s -> new ArrayList<>()).add(channel);
        }
        List<CompletableFuture<Void>> confirmations = new ArrayList<>();
        for (Map.Entry<Integer, List<String>> slot : bySlot.entrySet()) {
            RedisURI uri = primaryOf(slot.getKey()).getUri();
            confirmations.add(pubSub.getConnection(uri.getHost(), uri.getPort()).async()
                    .ssubscribe(slot.getValue().toArray(String[]::new)).toCompletableFuture());
        }
        RedisConnections.awaitAll(confirmations, RedisConnections.COMMAND_TIMEOUT);
    }

    @Override
    public RedisFuture<Void> unsubscribe(String channel) {
        RedisURI uri = primaryOf(SlotHash.getSlot(channel)).getUri();
        return pubSub.getConnection(uri.getHost(), uri.getPort()).async().sunsubscribe(channel);
    }

    @Override
    public RedisFuture<Long> publish(String channel, String payload) {
        return commands.async().spublish(channel, payload);
    }

    @Override
    public Optional<StatefulRedisConnection<String, String>> openDedicated() {
        return Optional.empty(); // a blocking read waits on one node; a cluster's streams are polled shard by shard
    }

    /** Every primary that owns slots answers a PING, and together they own all 16,384 slots. */
    @Override
    public boolean probe() {
        List<CompletableFuture<String>> pings = new ArrayList<>();
        int slots = 0;
        for (RedisClusterNode node : owners()) {
            slots += node.getSlots().size();
            RedisURI uri = node.getUri();
            pings.add(commands.getConnectionAsync(uri.getHost(), uri.getPort())
                    .thenCompose(c -> c.async().ping()));
        }
        try {
            RedisConnections.awaitAll(pings, RedisConnections.COMMAND_TIMEOUT);
        } catch (RedisException e) {
            refreshSoon();
            return false;
        }
        if (slots < SlotHash.SLOT_COUNT) {
            refreshSoon();
            return false;
        }
        return pings.stream().allMatch(p -> "PONG".equals(p.join()));
    }

    /** A fingerprint of which primary owns which slots: changes with every failover or resharding. */
    @Override
    public long topologyVersion() {
        long h = 1;
        for (RedisClusterNode node : owners()) {
            h = 31 * h + node.getUri().getHost().hashCode();
            h = 31 * h + node.getUri().getPort();
            h = 31 * h + node.getSlots().hashCode();
        }
        return h;
    }

    @Override
    public boolean isOpen() {
        return commands.isOpen() && pubSub.isOpen();
    }

    @Override
    public void close() {
        appendConnections.values().forEach(StatefulRedisConnection::close);
        nodeClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        pubSub.close();
        commands.close();
    }

    private List<RedisClusterNode> owners() {
        Partitions partitions = commands.getPartitions();
        List<RedisClusterNode> owners = new ArrayList<>();
        for (RedisClusterNode node : partitions) {
            if (node.is(RedisClusterNode.NodeFlag.UPSTREAM) && !node.getSlots().isEmpty()) {
                owners.add(node);
            }
        }
        owners.sort(java.util.Comparator.comparing(n -> n.getSlots().getFirst()));
        return owners;
    }

    private RedisClusterNode primaryOf(int slot) {
        RedisClusterNode node = commands.getPartitions().getMasterBySlot(slot);
        if (node == null) {
            refreshSoon();
            throw new RedisException("no primary owns slot " + slot + " (failover in progress?)");
        }
        return node;
    }

    /** Asks the client to re-read the topology, at most once a second (a probe failing every 500 ms). */
    private void refreshSoon() {
        long now = System.nanoTime();
        if (now - lastForcedRefresh > MIN_REFRESH_GAP.toNanos()) {
            lastForcedRefresh = now;
            client.refreshPartitionsAsync();
        }
    }
}
