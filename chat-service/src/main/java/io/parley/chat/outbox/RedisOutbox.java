package io.parley.chat.outbox;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.models.stream.ClaimedMessages;
import io.parley.chat.redis.RedisConnections;
import io.parley.chat.redis.RedisKeys;

/**
 * The cluster's outbox: Redis streams (the broker's append script writes the history streams in the same atomic step
 * that stores a message), read by every instance through one consumer group, so each entry is handed to one
 * instance at a time.
 *
 * <ul>
 *   <li>An entry is acknowledged and deleted in one script once the monolith took it, so {@code XLEN} summed over
 *   the streams is the cluster's backlog and the streams never grow beyond it.</li>
 *   <li>An entry left pending by a dead instance is claimed ({@code XAUTOCLAIM}) by a live one once it has been idle
 *   for {@code claimIdle} (the presence TTL: the time after which an instance counts as dead). A live instance stuck
 *   in a long retry re-claims its own entries ({@code XCLAIM ... JUSTID}) to reset their idle time, so they are not
 *   taken over while it still works on them; if it is slower than that, another instance delivers them too, which
 *   at-least-once allows.</li>
 *   <li>An instance restarted under the same name first takes back what it left pending.</li>
 *   <li>When Redis lost the group (a restart without persistence), it is created again from the start of the
 *   streams.</li>
 * </ul>
 * Called by one forwarder thread; {@link #backlog} and {@link #hasLocalWork} from any thread.
 */
public final class RedisOutbox implements OutboxStore {

    static final String GROUP = "parley-outbox";
    private static final Duration BACKLOG_REFRESH = Duration.ofSeconds(1);
    /** Cluster mode: how long the reader waits after a round of empty reads (a message waits at most this long). */
    static final Duration CLUSTER_POLL = Duration.ofMillis(100);
    /** XACK and XDEL together, so an acknowledged entry never lingers in the stream. */
    private static final String ACK_AND_DELETE = """
            redis.call('XACK', KEYS[1], ARGV[1], unpack(ARGV, 2))
            return redis.call('XDEL', KEYS[1], unpack(ARGV, 2))
            """;

    private final RedisConnections redis;
    /** Standalone: a connection for the one blocking read over every stream. Cluster: none, shards are polled. */
    private final StatefulRedisConnection<String, String> reader;
    private final List<String> streams;
    private final Consumer<String> consumer;
    private final Duration claimIdle;
    private final Deque<OutboxEntry> held = new ArrayDeque<>();
    /** Entries held or handed out ("stream id"), so that claiming our own idle entries never doubles them. */
    private final Set<String> mine = new HashSet<>();
    private int handedOut;
    private boolean recovered;
    private boolean groupsReady;
    private final Clock clock;
    private long nextClaim;
    private volatile boolean localOnly;
    private volatile long backlog;
    private volatile long backlogReadAt;
    private volatile Duration oldestAge = Duration.ZERO;
    private volatile long oldestReadAt;

    /**
     * @param streams   the stream keys this outbox reads (the 16 history shards, or the events stream)
     * @param consumer  this instance's name in the group
     * @param claimIdle how long an entry may stay pending before another instance takes it over
     * @param clock     what the claim period and the one-second caches of the gauges are measured with
     */
    public RedisOutbox(RedisConnections redis, List<String> streams, String consumer, Duration claimIdle,
                       Clock clock) {
        this.redis = redis;
        this.reader = redis.openDedicated().orElse(null); // none in a cluster: each shard is polled
        this.streams = List.copyOf(streams);
        this.consumer = Consumer.from(GROUP, consumer);
        this.claimIdle = claimIdle;
        this.clock = clock;
        this.nextClaim = clock.millis();
    }

    @Override
    public List<OutboxEntry> take(int max, Duration wait) throws InterruptedException {
        synchronized (this) {
            if (held.isEmpty()) {
                fill(wait);
            }
            List<OutboxEntry> out = new ArrayList<>(Math.min(max, held.size()));
            while (out.size() < max && !held.isEmpty()) {
                out.add(held.removeFirst());
            }
            handedOut += out.size();
            return out;
        }
    }

    @Override
    public void acknowledge(List<OutboxEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        ackAndDelete(entries);
        synchronized (this) {
            handedOut -= entries.size();
            entries.forEach(e -> mine.remove(key(e)));
        }
    }

    @Override
    public void keepClaimed(List<OutboxEntry> entries) {
        List<OutboxEntry> all = new ArrayList<>(entries);
        synchronized (this) {
            all.addAll(held);
        }
        for (Map.Entry<String, List<String>> byStream : byStream(all).entrySet()) {
            call(() -> redis.sync().xclaim(byStream.getKey(), consumer, XClaimArgs.Builder.justid().minIdleTime(0),
                    byStream.getValue().toArray(String[]::new)));
        }
    }

    @Override
    public long backlog() {
        long now = clock.millis();
        if (now - backlogReadAt > BACKLOG_REFRESH.toMillis()) {
            backlogReadAt = now;
            try {
                List<CompletableFuture<Long>> lengths = new ArrayList<>(streams.size());
                for (String stream : streams) {
                    lengths.add(redis.async().xlen(stream).toCompletableFuture());
                }
                long sum = 0;
                for (CompletableFuture<Long> n : lengths) {
                    sum += n.get(RedisConnections.COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                }
                backlog = sum;
            } catch (ExecutionException | TimeoutException | RedisException e) {
                // Keep the last value: a scrape must not fail because Redis is away for a moment.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return backlog;
    }

    @Override
    public Duration oldestAge() {
        long now = clock.millis();
        if (now - oldestReadAt > BACKLOG_REFRESH.toMillis()) {
            oldestReadAt = now;
            try {
                // Entry ids are "<ms>-<seq>" given by Redis on XADD; acknowledged entries are deleted.
                long oldestMillis = Long.MAX_VALUE;
                for (String stream : streams) {
                    for (StreamMessage<String, String> first : redis.sync().xrange(stream, Range.unbounded(),
                            Limit.from(1))) {
                        oldestMillis = Math.min(oldestMillis, Long.parseLong(first.getId().split("-")[0]));
                    }
                }
                oldestAge = oldestMillis == Long.MAX_VALUE ? Duration.ZERO
                        : Duration.ofMillis(Math.max(0, redisMillis() - oldestMillis));
            } catch (RedisException e) {
                // Keep the last value, as for the backlog.
            }
        }
        return oldestAge;
    }

    private long redisMillis() {
        List<String> time = redis.sync().time();
        return Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
    }

    @Override
    public synchronized boolean hasLocalWork() {
        return handedOut > 0 || !held.isEmpty();
    }

    @Override
    public void finishLocalOnly() {
        localOnly = true;
    }

    @Override
    public void close() {
        if (reader != null) {
            reader.close();
        }
    }

    /** Refills {@link #held}: own leftovers first, then entries of dead instances, then new entries. */
    private void fill(Duration wait) throws InterruptedException {
        ensureGroups();
        if (!recovered) {
            for (String stream : streams) {
                add(read(XReadArgs.Builder.count(1_000), XReadArgs.StreamOffset.from(stream, "0")));
            }
            recovered = true;
        }
        if (!localOnly && clock.millis() - nextClaim >= 0) {
            nextClaim = clock.millis() + claimIdle.toMillis() / 2;
            for (String stream : streams) {
                ClaimedMessages<String, String> claimed = call(() -> redis.sync().xautoclaim(stream,
                        XAutoClaimArgs.Builder.xautoclaim(consumer, claimIdle, "0-0").count(100)));
                add(claimed.getMessages());
            }
        }
        if (!held.isEmpty()) {
            return;
        }
        if (localOnly) {
            Thread.sleep(Math.min(wait.toMillis(), 50));
            return;
        }
        if (reader == null) {
            pollEachStream(wait);
            return;
        }
        @SuppressWarnings("unchecked")
        XReadArgs.StreamOffset<String>[] offsets = streams.stream().map(XReadArgs.StreamOffset::lastConsumed)
                .toArray(XReadArgs.StreamOffset[]::new);
        add(read(XReadArgs.Builder.count(100).block(Math.max(1, wait.toMillis())), offsets));
    }

    /**
     * Cluster mode: one XREADGROUP can only name streams of one slot, and a blocking read per shard would need a
     * connection per shard. So every stream is read without blocking, all reads pipelined (one round trip per
     * primary), and when all were empty the thread waits {@link #CLUSTER_POLL} (at most {@code wait}) and reads again.
     * When one read fails, the entries that later reads of the round handed to this consumer stay pending in Redis
     * and come back through the claim of idle entries.
     */
    private void pollEachStream(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            List<CompletableFuture<List<StreamMessage<String, String>>>> reads = new ArrayList<>(streams.size());
            for (String stream : streams) {
                reads.add(redis.async().xreadgroup(consumer, XReadArgs.Builder.count(100),
                        XReadArgs.StreamOffset.lastConsumed(stream)).toCompletableFuture());
            }
            for (CompletableFuture<List<StreamMessage<String, String>>> read : reads) {
                add(awaitRead(read));
            }
            long left = deadline - System.nanoTime();
            if (!held.isEmpty() || left <= 0) {
                return;
            }
            Thread.sleep(Math.max(1, Math.min(CLUSTER_POLL.toMillis(), left / 1_000_000)));
        }
    }

    private List<StreamMessage<String, String>> awaitRead(CompletableFuture<List<StreamMessage<String, String>>> read)
            throws InterruptedException {
        try {
            return read.get(RedisConnections.COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RedisException r) {
                throw readFailed(r);
            }
            throw new StoreUnavailableException("outbox read failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new StoreUnavailableException("outbox read timed out", e);
        }
    }

    @SafeVarargs
    private List<StreamMessage<String, String>> read(XReadArgs args, XReadArgs.StreamOffset<String>... offsets) {
        try {
            return (reader != null ? reader.sync() : redis.sync()).xreadgroup(consumer, args, offsets);
        } catch (RedisException e) {
            throw readFailed(e);
        }
    }

    /** The failure of a read, for the caller; a lost group (Redis restarted without data) is created again. */
    private StoreUnavailableException readFailed(RedisException e) {
        if (e instanceof RedisCommandExecutionException && e.getMessage() != null
                && e.getMessage().startsWith("NOGROUP")) {
            groupsReady = false;
            recovered = false;
        }
        return new StoreUnavailableException("outbox read failed: " + e.getMessage(), e);
    }

    private void add(List<StreamMessage<String, String>> messages) {
        List<OutboxEntry> gone = new ArrayList<>();
        for (StreamMessage<String, String> m : messages) {
            String json = m.getBody() == null ? null : m.getBody().get(RedisKeys.OUTBOX_FIELD);
            OutboxEntry entry = new OutboxEntry(m.getStream(), m.getId(), json);
            if (json == null) {
                gone.add(entry); // deleted meanwhile (a pending entry whose body is gone): nothing to deliver
            } else if (mine.add(key(entry))) {
                held.addLast(entry);
            }
        }
        // Not counted as ours: if this fails, the entries stay pending and come back with a later claim.
        ackAndDelete(gone);
    }

    private void ensureGroups() {
        if (groupsReady) {
            return;
        }
        for (String stream : streams) {
            try {
                redis.sync().xgroupCreate(XReadArgs.StreamOffset.from(stream, "0"), GROUP,
                        XGroupCreateArgs.Builder.mkstream());
            } catch (RedisCommandExecutionException e) {
                if (e.getMessage() == null || !e.getMessage().startsWith("BUSYGROUP")) {
                    throw new StoreUnavailableException("cannot create the outbox group: " + e.getMessage(), e);
                }
            } catch (RedisException e) {
                throw new StoreUnavailableException("cannot create the outbox group: " + e.getMessage(), e);
            }
        }
        groupsReady = true;
    }

    private void ackAndDelete(List<OutboxEntry> entries) {
        for (Map.Entry<String, List<String>> byStream : byStream(entries).entrySet()) {
            List<String> args = new ArrayList<>(byStream.getValue().size() + 1);
            args.add(GROUP);
            args.addAll(byStream.getValue());
            call(() -> redis.sync().eval(ACK_AND_DELETE, ScriptOutputType.INTEGER,
                    new String[] {byStream.getKey()}, args.toArray(String[]::new)));
        }
    }

    private static String key(OutboxEntry e) {
        return e.stream() + ' ' + e.entryId();
    }

    private static Map<String, List<String>> byStream(List<OutboxEntry> entries) {
        Map<String, List<String>> ids = new LinkedHashMap<>();
        for (OutboxEntry e : entries) {
            ids.computeIfAbsent(e.stream(), s -> new ArrayList<>()).add(e.entryId());
        }
        return ids;
    }

    private static <T> T call(java.util.function.Supplier<T> command) {
        try {
            return command.get();
        } catch (RedisException e) {
            throw new StoreUnavailableException("outbox command failed: " + e.getMessage(), e);
        }
    }
}
