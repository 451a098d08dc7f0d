package io.parley.chat.presence;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;

import io.lettuce.core.MapScanCursor;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.parley.chat.broker.BrokerUnavailableException;
import io.parley.chat.model.User;
import io.parley.chat.redis.LuaScript;
import io.parley.chat.redis.RedisConnections;
import io.parley.chat.redis.RedisKeys;
import io.parley.chat.redis.WireEvents;

/**
 * Cluster-wide presence in Redis (key layout in {@link RedisKeys}, costs in {@code docs/scaling.md}).
 *
 * <p>Each connection in a room is one hash field, and each user one field with their connection count; a Lua script
 * per join and per leave changes both atomically, so exactly one call, on whichever instance, sees a user's first
 * connection appear and exactly one sees the last go. Every instance also indexes the connections it holds, per
 * shard, so that others can remove them if it dies.
 *
 * <p>Liveness: every {@code ttl/3} the instance moves its deadline in a sorted set to now + {@code 2 ttl/3} (Redis
 * clock) and reports its connection count. Every {@code ttl/6} each instance looks for instances past their deadline;
 * the one that takes an instance's eviction lock runs the leave script for each connection in that instance's index
 * and reports every user whose last connection that was to its {@link PresenceListener}. A dead instance is thus
 * evicted within about {@code ttl} of its last heartbeat. An instance only evicts others after it has itself been in
 * contact with Redis for a whole {@code ttl}: after a Redis outage, everyone gets to heartbeat again first.
 *
 * <p>This instance's own connections are also kept in memory, the truth that Redis is brought back to after trouble
 * (a failed leave, an outage, or this instance having been evicted while it was cut off): missing entries are added
 * again, stale ones removed, and a user whose last connection thereby went is reported to the listener. Users
 * added back that way are not announced with a {@code join}. Reconciliation takes turns with a connection's join
 * and leave (striped locks), so a last leave is reported exactly once, by the call that made it.
 */
public final class RedisPresenceStore implements PresenceStore {

    private static final System.Logger LOG = System.getLogger(RedisPresenceStore.class.getName());
    private static final int SCAN_BATCH = 500;

    private static final int LOCK_STRIPES = 64;

    /** One local connection in one room. */
    private record Held(String room, String connectionId, User user) {
    }

    private final RedisConnections redis;
    private final RedisKeys keys;
    private final String instance;
    private final Duration ttl;
    private final IntSupplier localConnections;
    private final Clock clock;
    private final LuaScript joinScript = LuaScript.load("presence-join");
    private final LuaScript leaveScript = LuaScript.load("presence-leave");
    private final LuaScript heartbeatScript = LuaScript.load("heartbeat");
    private final LuaScript expiredScript = LuaScript.load("instances-expired");
    private final LuaScript retireScript = LuaScript.load("instance-retire");
    private final LuaScript statsScript = LuaScript.load("cluster-stats");
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    // A connection's join, its leave and reconciliation's look at it take turns: without this, reconciliation could
    // take a leave over halfway through (the leave then reporting no last leave) or put back an entry just removed.
    private final Lock[] connectionLocks = new Lock[LOCK_STRIPES];
    private final ScheduledExecutorService heartbeats;
    private final ScheduledExecutorService maintenance;
    private volatile PresenceListener listener = (room, user) -> { };
    // Start with a reconciliation: a previous process with the same instance id may have left entries behind.
    private volatile boolean dirty = true;
    private volatile long contactSince = -1; // clock millis of the first heartbeat of the current streak
    private volatile boolean closed;

    public RedisPresenceStore(RedisConnections redis, String instanceId, Duration ttl, IntSupplier localConnections,
                              Clock clock) {
        this.redis = redis;
        this.keys = redis.keys();
        this.instance = instanceId;
        this.ttl = ttl;
        this.localConnections = localConnections;
        this.clock = clock;
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("parley-presence-heartbeat").daemon().factory());
        this.maintenance = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("parley-presence-eviction").daemon().factory());
        for (int i = 0; i < LOCK_STRIPES; i++) {
            connectionLocks[i] = new ReentrantLock();
        }
    }

    @Override
    public void start(PresenceListener listener) {
        this.listener = listener;
        heartbeat();
        long beat = Math.max(1, ttl.toMillis() / 3);
        long check = Math.max(1, ttl.toMillis() / 6);
        heartbeats.scheduleAtFixedRate(this::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
        maintenance.scheduleWithFixedDelay(this::maintain, 0, check, TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean join(String room, User user, String connectionId) {
        String key = key(room, connectionId);
        Lock lock = lockOf(key);
        lock.lock();
        try {
            // Held even if Redis fails now: reconciliation adds it after recovery.
            held.put(key, new Held(room, connectionId, user));
            Long first = joinScript.run(redis.sync(), ScriptOutputType.INTEGER, roomKeys(room, instance),
                    instance, connectionId, user.id(), WireEvents.encode(user), room);
            return first == 1L;
        } catch (RedisException e) {
            dirty = true;
            throw new BrokerUnavailableException("presence unavailable: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /** Never throws: when Redis cannot be told now, it is told after recovery (and a last leave reported then). */
    @Override
    public boolean leave(String room, User user, String connectionId) {
        String key = key(room, connectionId);
        Lock lock = lockOf(key);
        lock.lock();
        try {
            if (held.remove(key) == null) {
                return false;
            }
            return leaveScript.run(redis.sync(), ScriptOutputType.VALUE, roomKeys(room, instance),
                    instance, connectionId, room) != null;
        } catch (RedisException e) {
            dirty = true;
            LOG.log(System.Logger.Level.DEBUG, "leave of " + room + " deferred: " + e.getMessage());
            return false;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<Member> members(String room, int limit) {
        List<Member> out = new ArrayList<>();
        try {
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                MapScanCursor<String, String> page = redis.sync().hscan(keys.roomMembers(room), cursor,
                        ScanArgs.Builder.limit(Math.min(limit, SCAN_BATCH)));
                for (String value : page.getMap().values()) {
                    if (out.size() == limit) {
                        break;
                    }
                    int space = value.indexOf(' ');
                    out.add(new Member(WireEvents.decodeUser(value.substring(space + 1)),
                            Integer.parseInt(value.substring(0, space))));
                }
                cursor = page;
            } while (!cursor.isFinished() && out.size() < limit);
        } catch (RedisException e) {
            throw new BrokerUnavailableException("presence unavailable: " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public int memberCount(String room) {
        try {
            return Math.toIntExact(redis.sync().hlen(keys.roomMembers(room)));
        } catch (RedisException e) {
            throw new BrokerUnavailableException("presence unavailable: " + e.getMessage(), e);
        }
    }

    @Override
    public ClusterStats stats() {
        try {
            List<CompletableFuture<Long>> occupied = new ArrayList<>(keys.shards());
            for (int k = 0; k < keys.shards(); k++) {
                occupied.add(redis.async().scard(keys.occupiedRooms(k)).toCompletableFuture());
            }
            List<Long> live = statsScript.run(redis.sync(), ScriptOutputType.MULTI,
                    List.of(RedisKeys.instances(), RedisKeys.instanceConnectionCounts()));
            long rooms = 0;
            for (CompletableFuture<Long> n : occupied) {
                rooms += n.join();
            }
            return new ClusterStats(live.get(1), rooms, Math.toIntExact(live.get(0)));
        } catch (RedisException | java.util.concurrent.CompletionException e) {
            throw new BrokerUnavailableException("presence unavailable: " + e.getMessage(), e);
        }
    }

    /** Leaves every room this instance still holds, reporting last leaves, and removes it from the live set. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        stopTimers();
        try {
            for (Held h : List.copyOf(held.values())) {
                if (leave(h.room(), h.user(), h.connectionId())) {
                    listener.evicted(h.room(), h.user());
                }
            }
            redis.sync().zrem(RedisKeys.instances(), instance);
            redis.sync().hdel(RedisKeys.instanceConnectionCounts(), instance);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "presence of " + instance + " not cleaned up (" + e.getMessage()
                    + "); the other instances will evict it after " + ttl);
        }
    }

    /** Stops heartbeating and evicting without cleaning anything up, as a killed process would (tests). */
    void halt() {
        stopTimers();
    }

    private void stopTimers() {
        closed = true;
        heartbeats.shutdownNow();
        maintenance.shutdownNow();
        try {
            maintenance.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- heartbeat (heartbeat thread) --------------------------------------------------------------------------

    private void heartbeat() {
        try {
            Long expired = heartbeatScript.run(redis.sync(), ScriptOutputType.INTEGER,
                    List.of(RedisKeys.instances(), RedisKeys.instanceConnectionCounts()),
                    instance, Long.toString(ttl.toMillis() * 2 / 3), Integer.toString(localConnections.getAsInt()));
            if (contactSince < 0) {
                contactSince = clock.millis();
            }
            if (expired == 1L && !held.isEmpty()) {
                LOG.log(System.Logger.Level.WARNING, "instance " + instance + " had passed its heartbeat deadline"
                        + " (Redis unreachable, or this process paused); checking its presence entries");
                dirty = true;
            }
        } catch (RedisException e) {
            contactSince = -1;
            dirty = true;
        }
    }

    // ---- reconciliation and eviction (eviction thread) ---------------------------------------------------------

    private void maintain() {
        if (closed || contactSince < 0) {
            return;
        }
        try {
            if (dirty) {
                dirty = false;
                reconcile();
            }
            if (clock.millis() - contactSince >= ttl.toMillis()) {
                List<String> expired = expiredScript.run(redis.sync(), ScriptOutputType.MULTI,
                        List.of(RedisKeys.instances()));
                for (String dead : expired) {
                    if (!dead.equals(instance)) {
                        evict(dead);
                    }
                }
            }
        } catch (RedisException e) {
            dirty = true;
            LOG.log(System.Logger.Level.DEBUG, "presence maintenance deferred: " + e.getMessage());
        } catch (RuntimeException e) {
            dirty = true;
            LOG.log(System.Logger.Level.WARNING, "presence maintenance failed", e);
        }
    }

    /**
     * Brings this instance's entries in Redis back to what it really holds. The snapshot of Redis may be older than
     * a join or leave that ran meanwhile; both scripts are idempotent per connection, so acting on it again under the
     * connection's lock changes nothing and reports nothing.
     */
    void reconcile() {
        for (int k = 0; k < keys.shards(); k++) {
            Map<String, String> inRedis = redis.sync().hgetall(keys.instanceConnections(k, instance));
            for (String field : inRedis.keySet()) {
                removeUnlessHeld(field);
            }
            for (Map.Entry<String, Held> e : held.entrySet()) {
                if (keys.shard(e.getValue().room()) == k && !inRedis.containsKey(e.getKey())) {
                    addBackIfStillHeld(e.getKey(), e.getValue());
                }
            }
        }
    }

    /** Removes an entry of this instance's index that it no longer holds, reporting a last leave. */
    private void removeUnlessHeld(String field) {
        Lock lock = lockOf(field);
        lock.lock();
        try {
            if (held.containsKey(field)) {
                return;
            }
            int space = field.indexOf(' ');
            String room = field.substring(0, space);
            String json = leaveScript.run(redis.sync(), ScriptOutputType.VALUE, roomKeys(room, instance),
                    instance, field.substring(space + 1), room);
            if (json != null) {
                listener.evicted(room, WireEvents.decodeUser(json));
            }
        } finally {
            lock.unlock();
        }
    }

    /** Writes a held connection missing from Redis back, unless it left meanwhile, reporting a first join. */
    private void addBackIfStillHeld(String key, Held h) {
        Lock lock = lockOf(key);
        lock.lock();
        try {
            if (held.get(key) != h) {
                return;
            }
            Long first = joinScript.run(redis.sync(), ScriptOutputType.INTEGER, roomKeys(h.room(), instance),
                    instance, h.connectionId(), h.user().id(), WireEvents.encode(h.user()), h.room());
            if (first == 1L) {
                listener.restored(h.room(), h.user());
            }
        } finally {
            lock.unlock();
        }
    }

    /** Removes a dead instance's connections, once: only the holder of its eviction lock does it. */
    private void evict(String dead) {
        String taken = redis.sync().set(RedisKeys.evictionLock(dead), instance,
                SetArgs.Builder.nx().px(ttl.toMillis()));
        if (!"OK".equals(taken)) {
            return;
        }
        int evicted = 0;
        for (int k = 0; k < keys.shards(); k++) {
            String index = keys.instanceConnections(k, dead);
            while (true) {
                // Every leave removes its index entry, so each scan from the start sees what is left.
                MapScanCursor<String, String> page = redis.sync().hscan(index, ScanCursor.INITIAL,
                        ScanArgs.Builder.limit(SCAN_BATCH));
                if (page.getMap().isEmpty()) {
                    break;
                }
                Map<String, CompletableFuture<String>> leaves = new java.util.LinkedHashMap<>();
                for (String field : page.getMap().keySet()) {
                    int space = field.indexOf(' ');
                    String room = field.substring(0, space);
                    leaves.put(room + ' ' + field.substring(space + 1), leaveScript.runAsync(redis.async(),
                            ScriptOutputType.VALUE, roomKeys(room, dead), dead, field.substring(space + 1), room));
                }
                for (Map.Entry<String, CompletableFuture<String>> leave : leaves.entrySet()) {
                    String json = join(leave.getValue());
                    if (json != null) {
                        String room = leave.getKey().substring(0, leave.getKey().indexOf(' '));
                        listener.evicted(room, WireEvents.decodeUser(json));
                        evicted++;
                    }
                }
            }
        }
        retireScript.run(redis.sync(), ScriptOutputType.INTEGER, List.of(RedisKeys.instances(),
                RedisKeys.instanceConnectionCounts(), RedisKeys.evictionLock(dead)), dead);
        LOG.log(System.Logger.Level.INFO, "evicted instance " + dead + " (missed its heartbeat): " + evicted
                + " users left rooms");
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RedisException r) {
                throw r;
            }
            throw e;
        }
    }

    private List<String> roomKeys(String room, String holder) {
        int shard = keys.shard(room);
        return List.of(keys.roomMembers(room), keys.roomConnections(room),
                keys.instanceConnections(shard, holder), keys.occupiedRooms(shard));
    }

    private Lock lockOf(String key) {
        return connectionLocks[Math.floorMod(key.hashCode(), LOCK_STRIPES)];
    }

    private static String key(String room, String connectionId) {
        return room + ' ' + connectionId;
    }
}
