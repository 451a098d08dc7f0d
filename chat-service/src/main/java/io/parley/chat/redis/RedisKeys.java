package io.parley.chat.redis;

import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

import io.lettuce.core.cluster.SlotHash;
import io.parley.chat.config.RedisMode;
import io.parley.chat.model.RoomName;

/**
 * Every Redis key and channel name Parley uses, in one place (see {@code docs/scaling.md} for types, TTLs and costs).
 * One layout per {@link RedisMode}: {@link #STANDALONE} (16 shards, the layout every existing deployment has) and
 * {@link #CLUSTER} (64 shards whose tags are spread evenly over the 16,384 cluster slots).
 *
 * <p>All keys of a room, and the outbox stream its messages go to, carry the same hash tag: its shard's tag, with
 * {@code shard = (room.hashCode() & 0x7fffffff) % shards()}. They therefore live in one slot, so the one atomic append
 * script (dedupe, room log, outbox, publish) and the presence scripts touch a single node. Instance bookkeeping shares
 * the tag {@code {instances}}. A layout must be the same on every instance and never change while data exists: it
 * decides where a room's keys are.
 *
 * <pre>
 * key (T = shard tag, K = shard, ROOM, INSTANCE)  type    holds
 * parley:T:room:ROOM:log              stream  room history; entry id = message cursor; fields m, p
 * parley:T:room:ROOM:ref:DEDUPEKEY    string  stream id of the message first sent with that key (PX ref TTL)
 * parley:T:room:ROOM                  channel room events (posted, presence, typing); sharded in cluster mode
 * parley:T:outbox                     stream  accepted messages for the monolith; field msg = ChatMessage JSON
 * parley:T:room:ROOM:members          hash    user id -&gt; "CONNECTIONS USERJSON"
 * parley:T:room:ROOM:conns            hash    "INSTANCE/CONNECTION" -&gt; user id
 * parley:T:instance:INSTANCE:conns    hash    "ROOM CONNECTION" -&gt; user id (what an instance holds in shard K)
 * parley:T:occupied                   set     rooms of shard K with at least one member
 * parley:T:dead                       hash    dead letters of shard K: message id -&gt; message JSON as posted
 * parley:T:dead:why                   hash    message id -&gt; the monolith's refusal (status and error)
 * parley:{events}:outbox              stream  room events (join, leave) for the monolith; field msg
 * parley:revoked:USER                 string  revocation time of a user's tokens (expires with the tokens)
 * parley:api-seen:SIGNATURE           string  a server API signature already used (expires with its window)
 * parley:{instances}                  zset    instance -&gt; heartbeat deadline (ms, Redis clock)
 * parley:{instances}:connections      hash    instance -&gt; its local connection count
 * parley:{instances}:evicting:INSTANCE string lock held by the one survivor evicting that instance
 * parley:control | parley:{control}   channel cluster-wide control events (classic | sharded in cluster mode)
 * </pre>
 * Immutable and thread-safe.
 */
public final class RedisKeys {

    /** Standalone: tags {@code {p0}} to {@code {p15}}, unchanged since the first release (existing data stays put). */
    public static final RedisKeys STANDALONE = new RedisKeys(16, shard -> "{p" + shard + "}", "parley:control");

    /**
     * Cluster: 64 shards, shard {@code k}'s tag chosen so that its slot lies in the {@code k}-th of 64 equal slot
     * bands. Primaries own contiguous slot ranges, so each gets shards in proportion to its slots (±1): 21 or 22 of
     * 64 with 3 primaries, 10 or 11 with 6, at least one each up to 64 primaries. Plain {@code {c<k>}} tags would
     * land wherever CRC16 puts them (the 16 standalone tags fall 4/5/7 on 3 primaries, 1 to 4 on 6).
     */
    public static final RedisKeys CLUSTER = new RedisKeys(64, RedisKeys::spreadTag, "parley:{control}");

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

    private final int shards;
    private final String[] tags;
    private final String controlChannel;

    private RedisKeys(int shards, IntFunction<String> tag, String controlChannel) {
        this.shards = shards;
        this.tags = IntStream.range(0, shards).mapToObj(tag).toArray(String[]::new);
        this.controlChannel = controlChannel;
    }

    /** The layout of a mode. */
    public static RedisKeys of(RedisMode mode) {
        return mode == RedisMode.CLUSTER ? CLUSTER : STANDALONE;
    }

    /** Number of hash-tag shards; fixed per layout, because it decides where each room's keys live. */
    public int shards() {
        return shards;
    }

    /** The shard of a room: its {@link RoomName#stripe} among {@link #shards()}. */
    public int shard(String room) {
        return RoomName.stripe(room, shards);
    }

    /** The hash tag of a shard, e.g. {@code {p3}}. */
    public String tag(int shard) {
        return tags[shard];
    }

    /** Cluster-wide control channel (disconnect a user everywhere). */
    public String controlChannel() {
        return controlChannel;
    }

    /** Prefix of every key of a room, e.g. {@code parley:{p3}:room:lobby}. */
    public String roomPrefix(String room) {
        return PREFIX + tag(shard(room)) + ":room:" + room;
    }

    public String roomLog(String room) {
        return roomPrefix(room) + ":log";
    }

    public String roomRef(String room, String dedupeKey) {
        return roomPrefix(room) + ":ref:" + dedupeKey;
    }

    /** The pub/sub channel of a room; same tag as its keys, so it is in the room's slot for sharded pub/sub. */
    public String roomChannel(String room) {
        return roomPrefix(room);
    }

    public String roomMembers(String room) {
        return roomPrefix(room) + ":members";
    }

    public String roomConnections(String room) {
        return roomPrefix(room) + ":conns";
    }

    /** The outbox stream that messages of this room are appended to. */
    public String outboxOf(String room) {
        return outbox(shard(room));
    }

    public String outbox(int shard) {
        return PREFIX + tag(shard) + ":outbox";
    }

    /** Every outbox stream, shard 0 first: what the outbox consumers read. */
    public List<String> outboxes() {
        return IntStream.range(0, shards).mapToObj(this::outbox).toList();
    }

    /** The dead letters of a shard (message id -&gt; message JSON), beside its outbox. */
    public String deadLetters(int shard) {
        return PREFIX + tag(shard) + ":dead";
    }

    /** Why each dead letter of a shard was refused (message id -&gt; status and error). */
    public String deadLetterReasons(int shard) {
        return deadLetters(shard) + ":why";
    }

    public String occupiedRooms(int shard) {
        return PREFIX + tag(shard) + ":occupied";
    }

    public String instanceConnections(int shard, String instance) {
        return PREFIX + tag(shard) + ":instance:" + instance + ":conns";
    }

    public static String revocation(String userId) {
        return PREFIX + "revoked:" + userId;
    }

    public static String apiSignatureSeen(String signature) {
        return PREFIX + "api-seen:" + signature;
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

    /** The first tag {@code {s<k>-<j>}} (j = 0, 1, ...) whose slot is in band {@code k} of 64. */
    private static String spreadTag(int shard) {
        int bands = 64;
        int from = shard * SlotHash.SLOT_COUNT / bands;
        int to = (shard + 1) * SlotHash.SLOT_COUNT / bands;
        for (int j = 0; ; j++) {
            String tag = "{s" + shard + "-" + j + "}";
            int slot = SlotHash.getSlot(tag);
            if (slot >= from && slot < to) {
                return tag;
            }
        }
    }
}
