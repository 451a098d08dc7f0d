package io.parley.chat.redis;

import java.util.List;
import java.util.stream.IntStream;

/**
 * Every Redis key and channel name Parley uses, in one place (see {@code docs/scaling.md} for types, TTLs and costs).
 *
 * <p>Layout, ready for Redis Cluster: all keys of a room, and the outbox stream its messages go to, carry the same
 * hash tag {@code {p<k>}} with {@code k = (room.hashCode() & 0x7fffffff) % SHARDS}. They therefore live in one slot,
 * so the one atomic append script (dedupe, room log, outbox, publish) and the presence scripts touch a single node.
 * Instance bookkeeping shares the tag {@code {instances}}. {@link #SHARDS} must be the same on every instance and
 * never change while data exists: it decides where a room's keys are.
 *
 * <pre>
 * key (K = shard, ROOM, INSTANCE)        type    holds
 * parley:{pK}:room:ROOM:log              stream  room history; entry id = message cursor; fields m, p
 * parley:{pK}:room:ROOM:ref:DEDUPEKEY    string  stream id of the message first sent with that key (PX ref TTL)
 * parley:{pK}:room:ROOM                  channel room events (posted, presence, typing)
 * parley:{pK}:outbox                     stream  accepted messages for the monolith; field msg = ChatMessage JSON
 * parley:{pK}:room:ROOM:members          hash    user id -&gt; "CONNECTIONS USERJSON"
 * parley:{pK}:room:ROOM:conns            hash    "INSTANCE/CONNECTION" -&gt; user id
 * parley:{pK}:instance:INSTANCE:conns    hash    "ROOM CONNECTION" -&gt; user id (what an instance holds in shard K)
 * parley:{pK}:occupied                   set     rooms of shard K with at least one member
 * parley:{instances}                     zset    instance -&gt; heartbeat deadline (ms, Redis clock)
 * parley:{instances}:connections         hash    instance -&gt; its local connection count
 * parley:{instances}:evicting:INSTANCE   string  lock held by the one survivor evicting that instance
 * parley:control                         channel cluster-wide control events
 * </pre>
 */
public final class RedisKeys {

    /** Number of hash-tag shards; fixed, because it decides where each room's keys live. */
    public static final int SHARDS = 16;

    /** Cluster-wide control channel (disconnect a user everywhere). */
    public static final String CONTROL_CHANNEL = "parley:control";

    /** The events outbox stream (events are few: one stream, its own hash tag). */
    public static final String EVENTS_OUTBOX = "parley:{events}:outbox";

    /** Field of an outbox entry that holds the message JSON. */
    public static final String OUTBOX_FIELD = "msg";

    /** Field of a room log entry that holds the message JSON without id and ts (both come from the entry id). */
    public static final String LOG_FIELD = "m";

    /** Field of a room log entry that holds the id of the entry before it ({@code 0-0} for the first). */
    public static final String LOG_PREVIOUS_FIELD = "p";

    private static final String PREFIX = "parley:";
    private static final String INSTANCES = PREFIX + "{instances}";

    private RedisKeys() {
    }

    /** The shard of a room: {@code (room.hashCode() & 0x7fffffff) % SHARDS}. */
    public static int shard(String room) {
        return (room.hashCode() & 0x7fffffff) % SHARDS;
    }

    /** The hash tag of a shard, e.g. {@code {p3}}. */
    public static String tag(int shard) {
        return "{p" + shard + "}";
    }

    /** Prefix of every key of a room, e.g. {@code parley:{p3}:room:lobby}. */
    public static String roomPrefix(String room) {
        return PREFIX + tag(shard(room)) + ":room:" + room;
    }

    public static String roomLog(String room) {
        return roomPrefix(room) + ":log";
    }

    public static String roomRef(String room, String dedupeKey) {
        return roomPrefix(room) + ":ref:" + dedupeKey;
    }

    /** The pub/sub channel of a room; same tag as its keys, so sharded pub/sub needs no renaming. */
    public static String roomChannel(String room) {
        return roomPrefix(room);
    }

    public static String roomMembers(String room) {
        return roomPrefix(room) + ":members";
    }

    public static String roomConnections(String room) {
        return roomPrefix(room) + ":conns";
    }

    /** The outbox stream that messages of this room are appended to. */
    public static String outboxOf(String room) {
        return outbox(shard(room));
    }

    public static String outbox(int shard) {
        return PREFIX + tag(shard) + ":outbox";
    }

    /** Every outbox stream, shard 0 first: what the outbox consumers read. */
    public static List<String> outboxes() {
        return IntStream.range(0, SHARDS).mapToObj(RedisKeys::outbox).toList();
    }

    public static String occupiedRooms(int shard) {
        return PREFIX + tag(shard) + ":occupied";
    }

    public static String instanceConnections(int shard, String instance) {
        return PREFIX + tag(shard) + ":instance:" + instance + ":conns";
    }

    public static String instances() {
        return INSTANCES;
    }

    public static String instanceConnectionCounts() {
        return INSTANCES + ":connections";
    }

    public static String evictionLock(String instance) {
        return INSTANCES + ":evicting:" + instance;
    }
}
