package io.parley.chat.testing;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real Redis Cluster for tests: six {@code redis-server --cluster-enabled yes} processes on free loopback ports
 * (AOF on, {@code appendfsync always}), joined by {@code redis-cli --cluster create ... --cluster-replicas 1}: three
 * primaries with one replica each. {@code cluster-node-timeout} is 1 s, so a killed primary's replica takes over
 * within a few seconds.
 *
 * <p>Fault injection: {@link #killPrimaryOf} (SIGKILL of the primary that owns a key, its replica is promoted);
 * {@link #killAll}/{@link #restartAll} (the whole cluster down and back from its AOF and {@code nodes.conf}).
 */
public final class RedisClusterServer implements AutoCloseable {

    static final Duration NODE_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration READY_WAIT = Duration.ofSeconds(60);

    private final List<RedisServer> nodes;

    private RedisClusterServer(List<RedisServer> nodes) {
        this.nodes = nodes;
    }

    /** Starts six nodes and forms the cluster; returns once every node reports {@code cluster_state:ok}. */
    public static RedisClusterServer start() {
        List<RedisServer> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                nodes.add(RedisServer.start(List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                        "--cluster-node-timeout", Long.toString(NODE_TIMEOUT.toMillis()))));
            }
            List<String> create = new ArrayList<>(List.of("--cluster", "create"));
            nodes.forEach(n -> create.add("127.0.0.1:" + n.port()));
            create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
            redisCli(create.toArray(String[]::new));
            RedisClusterServer cluster = new RedisClusterServer(new ArrayList<>(nodes));
            cluster.awaitReady();
            return cluster;
        } catch (RuntimeException e) {
            nodes.forEach(RedisServer::close);
            throw e;
        }
    }

    private static RedisClusterServer shared;

    /**
     * One cluster for the contract tests of this JVM (started at first use, stopped when the JVM exits): starting six
     * nodes costs seconds. Tests that kill nodes must leave it whole (every node running, the cluster ready).
     */
    public static synchronized RedisClusterServer shared() {
        if (shared == null) {
            RedisClusterServer started = start();
            Runtime.getRuntime().addShutdownHook(new Thread(started::close));
            shared = started;
        }
        return shared;
    }

    /** Seed URIs of every node, for {@code PARLEY_REDIS_URI} in cluster mode. */
    public List<URI> uris() {
        return nodes.stream().map(RedisServer::redisUri).toList();
    }

    /** {@code redis://127.0.0.1:p1,redis://127.0.0.1:p2,...}: the value of {@code PARLEY_REDIS_URI}. */
    public String uriList() {
        return nodes.stream().map(RedisServer::uri).collect(Collectors.joining(","));
    }

    public List<RedisServer> nodes() {
        return List.copyOf(nodes);
    }

    /** The running primaries, by asking each running node for its role. */
    public List<RedisServer> primaries() {
        return nodes.stream().filter(RedisServer::running).filter(n -> roleOf(n).equals("master")).toList();
    }

    /** Runs a command on the running primary that owns {@code key}'s slot. */
    public String command(String key, String... words) {
        return ownerOf(key).command(words);
    }

    /** The running primary that owns {@code key}'s slot. */
    public RedisServer ownerOf(String key) {
        for (RedisServer n : nodes) {
            if (n.running()) {
                String reply = n.command("CLUSTER", "KEYSLOT", key);
                int slot = Integer.parseInt(reply.substring(1));
                String owner = ownerPort(n, slot);
                if (owner != null) {
                    int port = Integer.parseInt(owner);
                    return nodes.stream().filter(x -> x.port() == port).findFirst().orElseThrow();
                }
            }
        }
        throw new IllegalStateException("no running node knows the owner of " + key);
    }

    /** The running replica of {@code primary}. */
    public RedisServer replicaOf(RedisServer primary) {
        return nodes.stream().filter(RedisServer::running)
                .filter(n -> n.command("INFO", "replication").contains("master_port:" + primary.port() + "\r"))
                .findFirst().orElseThrow(() -> new IllegalStateException("no replica of " + primary.port()));
    }

    /** SIGKILL of the primary that owns {@code key}; returns it (restart it with {@link RedisServer#restart()}). */
    public RedisServer killPrimaryOf(String key) {
        RedisServer primary = ownerOf(key);
        primary.kill();
        return primary;
    }

    /**
     * Adds a shard: a node as a primary and another as its replica ({@code redis-cli --cluster add-node}), then moves
     * to the new primary the lowest {@code slots} slots of the primary that owns {@code key} ({@code --cluster
     * reshard}, keys migrated live). Returns the new primary.
     */
    public RedisServer addShardTakingLowestSlotsOf(String key, int slots) {
        RedisServer seed = nodes.stream().filter(RedisServer::running).findFirst().orElseThrow();
        RedisServer primary = addNode(seed);
        String primaryId = primary.command("CLUSTER", "MYID");
        awaitKnown(primaryId);
        RedisServer replica = addNode(seed, "--cluster-slave", "--cluster-master-id", primaryId);
        awaitKnown(replica.command("CLUSTER", "MYID"));
        awaitReady(); // the new nodes must see the cluster as up, or they refuse the migrated keys (CLUSTERDOWN)
        String sourceId = ownerOf(key).command("CLUSTER", "MYID");
        redisCli("--cluster", "reshard", "127.0.0.1:" + seed.port(), "--cluster-from", sourceId, "--cluster-to",
                primaryId, "--cluster-slots", Integer.toString(slots), "--cluster-yes");
        awaitReady();
        return primary;
    }

    private RedisServer addNode(RedisServer seed, String... options) {
        RedisServer node = RedisServer.start(List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                "--cluster-node-timeout", Long.toString(NODE_TIMEOUT.toMillis())));
        nodes.add(node);
        List<String> args = new ArrayList<>(List.of("--cluster", "add-node", "127.0.0.1:" + node.port(),
                "127.0.0.1:" + seed.port()));
        args.addAll(List.of(options));
        redisCli(args.toArray(String[]::new));
        return node;
    }

    private void awaitKnown(String nodeId) {
        Eventually.until("node " + nodeId + " is known to every node", () -> nodes.stream()
                .filter(RedisServer::running).allMatch(n -> n.command("CLUSTER", "NODES").contains(nodeId)),
                READY_WAIT);
    }

    /** SIGKILL of every node. */
    public void killAll() {
        nodes.forEach(RedisServer::kill);
    }

    /** Starts every stopped node again (same ports, directories, AOF and nodes.conf) and waits for the cluster. */
    public void restartAll() {
        nodes.stream().filter(n -> !n.running()).forEach(RedisServer::restart);
        awaitReady();
    }

    /**
     * Waits until every running node reports {@code cluster_state:ok} and all slots covered, and every running
     * replica's link to its primary is up (before that, acks that wait for a replica time out).
     */
    public void awaitReady() {
        Eventually.until("the Redis Cluster is ready", () -> nodes.stream().filter(RedisServer::running)
                        .allMatch(n -> clusterInfo(n).contains("cluster_state:ok")
                                && clusterInfo(n).contains("cluster_slots_ok:16384") && replicationUp(n)),
                () -> clusterInfo(nodes.getFirst()), READY_WAIT);
    }

    public void flushAll() {
        primaries().forEach(n -> n.command("FLUSHALL"));
    }

    @Override
    public void close() {
        nodes.forEach(RedisServer::close);
    }

    private static String clusterInfo(RedisServer n) {
        try {
            return n.command("CLUSTER", "INFO");
        } catch (RuntimeException e) {
            return "";
        }
    }

    private static boolean replicationUp(RedisServer n) {
        try {
            String info = n.command("INFO", "replication");
            return info.contains("role:master") || info.contains("master_link_status:up");
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String roleOf(RedisServer n) {
        String info = n.command("INFO", "replication");
        return info.contains("role:master") ? "master" : "replica";
    }

    /** The port of the primary that owns {@code slot}, from {@code CLUSTER SHARDS}-free parsing of CLUSTER NODES. */
    private static String ownerPort(RedisServer n, int slot) {
        for (String line : n.command("CLUSTER", "NODES").split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length < 9 || !f[2].contains("master") || f[2].contains("fail")) {
                continue;
            }
            for (int i = 8; i < f.length; i++) {
                String range = f[i];
                if (range.startsWith("[")) {
                    continue;
                }
                String[] ends = range.split("-");
                int from = Integer.parseInt(ends[0]);
                int to = ends.length > 1 ? Integer.parseInt(ends[1]) : from;
                if (slot >= from && slot <= to) {
                    String address = f[1];
                    return address.substring(address.indexOf(':') + 1, address.indexOf('@'));
                }
            }
        }
        return null;
    }

    /** Runs {@code redis-cli} with these arguments and fails with its output unless it succeeds within a minute. */
    private static void redisCli(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("parley.redis-cli", "redis-cli"));
        cmd.addAll(List.of(args));
        try {
            Path out = Files.createTempFile("parley-redis-cli", ".log");
            try {
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
                if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    p.destroyForcibly();
                    throw new IllegalStateException("redis-cli " + String.join(" ", args) + " failed: "
                            + Files.readString(out));
                }
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run redis-cli (is redis-tools installed? see .ci/run)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
