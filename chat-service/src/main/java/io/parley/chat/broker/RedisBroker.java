package io.parley.chat.broker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.parley.chat.model.ChatMessage;
import io.parley.chat.model.ControlEvent;
import io.parley.chat.model.MessageId;
import io.parley.chat.model.RoomEvent;
import io.parley.chat.model.RoomName;
import io.parley.chat.redis.HotReply;
import io.parley.chat.redis.LuaScript;
import io.parley.chat.redis.RedisConnections;
import io.parley.chat.redis.RedisKeys;
import io.parley.chat.redis.WireEvents;

/**
 * The broker of a cluster: room history in one Redis stream per room, fan-out through one Redis channel per room
 * (see {@link RedisKeys} for every name).
 *
 * <p>{@link #append} is one Lua script: idempotency check, XADD to the room log (MAXLEN ~ retained), XADD to the
 * outbox stream when the monolith is configured, PUBLISH to the room channel. Redis runs a script atomically, and
 * with AOF ({@code appendonly yes}) a write is in the AOF before its reply goes out, so an ack means durable in Redis.
 * The message id is the stream id, hence increasing per room and usable as {@code since} on every instance.
 *
 * <p>Delivery: the pub/sub callbacks run on a Lettuce I/O thread and only queue the payload; one dispatch thread
 * decodes and hands events to the listener, in the order Redis published them (per room: append order). After the
 * pub/sub connection comes back from an outage, each subscribed room is re-subscribed and the messages published
 * meanwhile are read back from its log and delivered before any newer live event, so a Redis blip leaves no gap.
 *
 * <p>When Redis is unreachable or does not answer within {@link RedisConnections#COMMAND_TIMEOUT}, {@link #append}
 * and {@link #history} throw {@link BrokerUnavailableException}. A command that timed out against a server that is
 * merely slow may still run later: the sender got an error, retries with the same {@code ref} and gets the same id.
 *
 * <p>Uses the {@link RedisConnections} it is given without owning them: whoever opened them closes them, after the
 * broker.
 */
public final class RedisBroker implements Broker {

    private static final System.Logger LOG = System.getLogger(RedisBroker.class.getName());
    private static final int LOCK_STRIPES = 64;
    private static final int RECOVERY_BATCH = 200;

    private final RedisConnections redis;
    private final RedisKeys keys;
    private final int minReplicas;
    private final int retained;
    private final long refTtlMillis;
    private final boolean outbox;
    private final LuaScript appendScript = LuaScript.load("append");
    private final LuaScript historyScript = LuaScript.load("history");
    private final Set<String> subscribed = ConcurrentHashMap.newKeySet();
    private final Object[] subscriptionLocks = new Object[LOCK_STRIPES];
    private final ExecutorService dispatcher = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("parley-redis-dispatch").daemon().factory());
    // Confined to the dispatch thread: the newest message id delivered per subscribed room, and the events held back
    // for rooms that are being caught up after a reconnect.
    private final Map<String, MessageId> delivered = new HashMap<>();
    private final Map<String, List<RoomEvent>> held = new HashMap<>();
    private volatile BrokerListener listener;

    /**
     * @param retainedPerRoom messages kept per room (approximately: Redis trims whole stream nodes)
     * @param refTtl          how long an idempotency key maps to its message
     * @param outboxEnabled   whether accepted messages are also appended to the outbox streams (a monolith is
     *                        configured and consumes them)
     * @param minReplicas     replicas an append must reach ({@code WAIT}, bounded by
     *                        {@link RedisConnections#REPLICATION_TIMEOUT}) before it counts as accepted; 0: none
     */
    public RedisBroker(RedisConnections redis, int retainedPerRoom, Duration refTtl, boolean outboxEnabled,
                       int minReplicas) {
        this.redis = redis;
        this.keys = redis.keys();
        this.minReplicas = minReplicas;
        this.retained = retainedPerRoom;
        this.refTtlMillis = Math.max(1, refTtl.toMillis());
        this.outbox = outboxEnabled;
        for (int i = 0; i < LOCK_STRIPES; i++) {
            subscriptionLocks[i] = new Object();
        }
    }

    @Override
    public void start(BrokerListener listener) {
        this.listener = listener;
        redis.addPubSubListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String payload) {
                // A Lettuce I/O thread: queue and return.
                dispatch(() -> onPayload(channel, payload));
            }

            @Override
            public void smessage(String shardChannel, String payload) {
                // Cluster mode: sharded pub/sub (the adapter's default drops these).
                dispatch(() -> onPayload(shardChannel, payload));
            }
        });
        redis.onPubSubDisconnected(this::holdAll);
        redis.onPubSubReconnected(this::recover);
        try {
            redis.subscribe(List.of(keys.controlChannel()));
        } catch (RedisException e) {
            redis.requestRecovery();
            throw new BrokerUnavailableException("cannot subscribe to the control channel", e);
        }
    }

    @Override
    public Published append(MessageDraft draft) {
        String room = draft.room();
        ChatMessage unnumbered = new ChatMessage(null, room, draft.user().orElse(null), draft.text(), 0,
                draft.kind(), draft.ref().orElse(null), draft.meta().orElse(null));
        List<String> scriptKeys = new ArrayList<>(3);
        scriptKeys.add(keys.roomLog(room));
        scriptKeys.add(keys.outboxOf(room));
        draft.dedupeKey().ifPresent(key -> scriptKeys.add(keys.roomRef(room, key)));
        List<Object> reply;
        try {
            // With replicas to wait for, the script and the WAIT go over one connection to the room's primary (WAIT
            // counts the writes sent on its own connection), reserved for appends so that WAIT blocks nothing else.
            StatefulRedisConnection<String, String> primary = minReplicas > 0
                    ? redis.appendConnectionFor(keys.roomLog(room)) : null;
            // The sender's reader waits for this reply: HotReply keeps it from queueing behind a fan-out to wake up.
            reply = HotReply.await(appendScript.runAsync(primary != null ? primary.async() : redis.async(),
                    ScriptOutputType.MULTI, scriptKeys, WireEvents.logEntry(unnumbered), Integer.toString(retained),
                    outbox ? "1" : "0", room, keys.roomChannel(room), Long.toString(refTtlMillis),
                    redis.publishCommand(), MessageId.FORMAT), redis.commandTimeout());
            if (primary != null) {
                awaitReplicas(primary, room);
            }
        } catch (RedisException e) {
            throw new BrokerUnavailableException("Redis did not accept the message: " + e.getMessage(), e);
        }
        String streamId = (String) reply.get(0);
        boolean duplicate = ((Long) reply.get(1)) == 1L;
        if (duplicate && reply.get(2) != null) {
            return new Published(WireEvents.fromLogEntry(room, streamId, (String) reply.get(2)), true);
        }
        // New, or a duplicate whose original was trimmed from the log: the id and ts are what matter to the caller.
        MessageId id = MessageId.parse(streamId);
        return new Published(new ChatMessage(id.format(room), room, unnumbered.user(), unnumbered.text(), id.millis(),
                unnumbered.kind(), unnumbered.ref(), unnumbered.meta()), duplicate);
    }

    /**
     * Waits until the append (and everything sent before it on that connection) reached {@link #minReplicas}
     * replicas. Also on a duplicate: the original may not have been replicated when its sender was told to retry.
     * On a timeout the message stays stored; the sender gets an error and its retry with the same ref finds it.
     */
    private void awaitReplicas(StatefulRedisConnection<String, String> primary, String room) {
        long reached = primary.sync().waitForReplication(minReplicas, RedisConnections.REPLICATION_TIMEOUT.toMillis());
        if (reached < minReplicas) {
            throw new BrokerUnavailableException("a message in " + room + " reached " + reached + " of " + minReplicas
                    + " replicas within " + RedisConnections.REPLICATION_TIMEOUT.toMillis() + " ms; retry with the"
                    + " same ref", null);
        }
    }

    @Override
    public History history(String room, Optional<String> since, int limit) {
        Optional<MessageId> cursor = since.map(MessageId::parse);
        // With a cursor, one more than asked tells whether the limit cut the answer.
        int count = cursor.isPresent() ? (int) Math.min(limit + 1L, Integer.MAX_VALUE) : limit;
        List<Object> reply;
        try {
            reply = historyScript.run(redis.sync(), ScriptOutputType.MULTI, List.of(keys.roomLog(room)),
                    cursor.map(MessageId::streamId).orElse(""), Integer.toString(count));
        } catch (RedisException e) {
            throw new BrokerUnavailableException("Redis did not answer the history read: " + e.getMessage(), e);
        }
        List<ChatMessage> messages = new ArrayList<>();
        for (Object entry : (List<?>) reply.get(0)) {
            List<?> e = (List<?>) entry;
            List<?> fields = (List<?>) e.get(1);
            messages.add(WireEvents.fromLogEntry(room, (String) e.get(0), (String) fields.get(1)));
        }
        // Newest id no longer in the log: deleted (XDEL, recorded by Redis) or trimmed (recorded by append.lua).
        MessageId maxDeleted = MessageId.parse((String) reply.get(1));
        MessageId maxTrimmed = MessageId.parse((String) reply.get(3));
        MessageId gone = maxDeleted.compareTo(maxTrimmed) > 0 ? maxDeleted : maxTrimmed;
        if (cursor.isEmpty()) {
            List<ChatMessage> oldestFirst = messages.reversed();
            return History.page(oldestFirst, gone, cursor, false);
        }
        boolean cut = messages.size() > limit;
        List<ChatMessage> page = cut ? messages.subList(0, limit) : messages;
        return History.page(page, gone, cursor, cut);
    }

    @Override
    public void emit(RoomEvent event) {
        String channel = keys.roomChannel(event.room());
        String payload = WireEvents.encode(event);
        if (minReplicas == 0) {
            publish(channel, payload);
            return;
        }
        // The room's appends go over its primary's append connection (for WAIT): an event sent on another connection
        // could overtake a message appended before it. On the same connection Redis keeps their order.
        try {
            RedisAsyncCommands<String, String> primary = redis.appendConnectionFor(keys.roomLog(event.room())).async();
            RedisFuture<Long> sent = "SPUBLISH".equals(redis.publishCommand())
                    ? primary.spublish(channel, payload) : primary.publish(channel, payload);
            sent.exceptionally(e -> {
                LOG.log(System.Logger.Level.DEBUG, "publish to " + channel + " failed: " + e.getMessage());
                return null;
            });
        } catch (RedisException e) {
            LOG.log(System.Logger.Level.DEBUG, "publish to " + channel + " failed: " + e.getMessage());
        }
    }

    @Override
    public void broadcast(ControlEvent event) {
        publish(keys.controlChannel(), WireEvents.encode(event));
    }

    /**
     * Subscribes and returns once Redis confirmed it, so that a caller reading history next misses nothing. The
     * room's newest id is read first: after a reconnect, catching up starts from there if nothing was delivered.
     *
     * @throws BrokerUnavailableException when Redis cannot confirm; the subscription is retried after recovery
     */
    @Override
    public void subscribe(String room) {
        synchronized (lockOf(room)) {
            if (!subscribed.add(room)) {
                return;
            }
            try {
                List<StreamMessage<String, String>> newest = redis.sync().xrevrange(keys.roomLog(room),
                        Range.create("-", "+"), Limit.from(1));
                if (!newest.isEmpty()) {
                    MessageId seed = MessageId.parse(newest.getFirst().getId());
                    dispatch(() -> delivered.putIfAbsent(room, seed));
                }
                redis.subscribe(List.of(keys.roomChannel(room)));
            } catch (RedisException e) {
                redis.requestRecovery();
                throw new BrokerUnavailableException("cannot subscribe to room " + room + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void unsubscribe(String room) {
        synchronized (lockOf(room)) {
            if (!subscribed.remove(room)) {
                return;
            }
            dispatch(() -> {
                delivered.remove(room);
                held.remove(room);
            });
            // Not awaited: events that still arrive for the room are dropped by the dispatcher.
            redis.unsubscribe(keys.roomChannel(room)).exceptionally(e -> {
                LOG.log(System.Logger.Level.DEBUG, "unsubscribe " + room + " failed: " + e.getMessage());
                return null;
            });
        }
    }

    @Override
    public boolean available() {
        return redis.available() && !dispatcher.isShutdown();
    }

    @Override
    public void close() {
        dispatcher.shutdown();
        try {
            dispatcher.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- delivery (dispatch thread) ----------------------------------------------------------------------------

    private void onPayload(String channel, String payload) {
        BrokerListener l = listener;
        if (l == null) {
            return;
        }
        try {
            if (keys.controlChannel().equals(channel)) {
                l.onControl(WireEvents.decodeControl(payload));
                return;
            }
            RoomEvent event = WireEvents.decodeRoomEvent(payload);
            if (!subscribed.contains(event.room())) {
                return;
            }
            List<RoomEvent> waiting = held.get(event.room());
            if (waiting != null) {
                waiting.add(event);
            } else {
                deliver(l, event);
            }
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "ignored a malformed event on " + channel + ": " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "listener failed on an event of " + channel, e);
        }
    }

    /** Delivers a room event unless it is a message already delivered (a catch-up overlapping live delivery). */
    private boolean deliver(BrokerListener l, RoomEvent event) {
        if (event instanceof RoomEvent.Posted posted) {
            MessageId id = MessageId.parse(posted.message().id());
            MessageId last = delivered.get(event.room());
            if (last != null && id.compareTo(last) <= 0) {
                return false;
            }
            delivered.put(event.room(), id);
        }
        l.onRoomEvent(event);
        return true;
    }

    private void dispatch(Runnable task) {
        try {
            dispatcher.execute(task);
        } catch (RejectedExecutionException e) {
            // Closed: nothing is delivered any more.
        }
    }

    // ---- recovery after a reconnect (probe thread) -------------------------------------------------------------

    /** On the I/O thread, as the pub/sub connection drops: from now on, hold every room's live events back. */
    private void holdAll() {
        dispatch(() -> {
            for (String room : subscribed) {
                held.putIfAbsent(room, new ArrayList<>());
            }
        });
    }

    /**
     * Re-subscribes every room (Lettuce re-subscribes what it had confirmed, but not what failed while Redis was
     * away), reads what each room got after the last message delivered here, and delivers that before the live
     * events held back meanwhile. A room stays held until its catch-up succeeds; a failure is retried.
     */
    private void recover() {
        List<String> rooms = List.copyOf(subscribed);
        LOG.log(System.Logger.Level.INFO, "re-subscribing " + rooms.size() + " rooms after reconnecting to Redis");
        try {
            redis.subscribe(List.of(keys.controlChannel()));
        } catch (RedisException e) {
            redis.requestRecovery();
            LOG.log(System.Logger.Level.WARNING, "re-subscribing the control channel failed: " + e.getMessage());
        }
        for (int from = 0; from < rooms.size(); from += RECOVERY_BATCH) {
            recover(rooms.subList(from, Math.min(rooms.size(), from + RECOVERY_BATCH)));
        }
    }

    private void recover(List<String> rooms) {
        CompletableFuture<Map<String, MessageId>> cursors = new CompletableFuture<>();
        dispatch(() -> {
            Map<String, MessageId> from = new HashMap<>();
            for (String room : rooms) {
                held.putIfAbsent(room, new ArrayList<>());
                from.put(room, delivered.get(room));
            }
            cursors.complete(from);
        });
        long timeout = RedisConnections.COMMAND_TIMEOUT.toMillis();
        try {
            redis.subscribe(rooms.stream().map(keys::roomChannel).toList());
            Map<String, MessageId> from = cursors.get(timeout, TimeUnit.MILLISECONDS);
            Map<String, CompletableFuture<List<StreamMessage<String, String>>>> reads = new HashMap<>();
            for (String room : rooms) {
                MessageId last = from.get(room);
                Range<String> range = last == null ? Range.create("-", "+")
                        : Range.from(Range.Boundary.excluding(last.streamId()), Range.Boundary.unbounded());
                reads.put(room, redis.async().xrange(keys.roomLog(room), range, Limit.from(retained))
                        .toCompletableFuture());
            }
            Map<String, List<ChatMessage>> missed = new HashMap<>();
            for (Map.Entry<String, CompletableFuture<List<StreamMessage<String, String>>>> read : reads.entrySet()) {
                List<ChatMessage> messages = new ArrayList<>();
                for (StreamMessage<String, String> m : read.getValue().get(timeout, TimeUnit.MILLISECONDS)) {
                    messages.add(WireEvents.fromLogEntry(read.getKey(), m.getId(),
                            m.getBody().get(RedisKeys.LOG_FIELD)));
                }
                missed.put(read.getKey(), messages);
            }
            dispatch(() -> release(rooms, missed));
        } catch (RedisException | ExecutionException | TimeoutException e) {
            redis.requestRecovery();
            LOG.log(System.Logger.Level.WARNING, "catching up " + rooms.size() + " rooms after a reconnect failed ("
                    + e.getMessage() + "); retrying");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Delivers each room's missed messages, then what was held back meanwhile, in order, without duplicates. */
    private void release(List<String> rooms, Map<String, List<ChatMessage>> missed) {
        BrokerListener l = listener;
        int caughtUp = 0;
        for (String room : rooms) {
            List<RoomEvent> waiting = held.remove(room);
            if (l == null || waiting == null || !subscribed.contains(room)) {
                continue;
            }
            for (ChatMessage m : missed.getOrDefault(room, List.of())) {
                caughtUp += deliver(l, new RoomEvent.Posted(m)) ? 1 : 0;
            }
            for (RoomEvent e : waiting) {
                deliver(l, e);
            }
        }
        if (caughtUp > 0) {
            LOG.log(System.Logger.Level.INFO, "caught up " + caughtUp
                    + " messages from the room logs after a reconnect");
        }
    }

    private void publish(String channel, String payload) {
        // Best effort and not awaited: presence, typing and control events are not stored.
        try {
            redis.publish(channel, payload).exceptionally(e -> {
                LOG.log(System.Logger.Level.DEBUG, "publish to " + channel + " failed: " + e.getMessage());
                return null;
            });
        } catch (RedisException e) {
            LOG.log(System.Logger.Level.DEBUG, "publish to " + channel + " failed: " + e.getMessage());
        }
    }

    private Object lockOf(String room) {
        return subscriptionLocks[RoomName.stripe(room, LOCK_STRIPES)];
    }
}
