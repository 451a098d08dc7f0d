package io.parley.chat.broker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.lettuce.core.cluster.SlotHash;
import io.parley.chat.redis.RedisConnections;
import io.parley.chat.redis.RedisKeys;
import io.parley.chat.config.RedisMode;
import io.parley.chat.testing.Eventually;
import io.parley.chat.testing.RedisClusterServer;
import io.parley.chat.testing.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.parley.chat.broker.BrokerContract.draft;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A shard added to a live cluster: a fourth primary (with its replica) takes the slot band of a room while one
 * instance appends to it and another listens. The appends follow the slot (MOVED/ASK, retried like a client retries with its ref), the
 * listener's sharded subscription moves to the new owner, and every acked message arrives once, in order.
 */
class RedisClusterReshardIT {

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
    }

    @Test
    void aRoomWhoseSlotMovesToANewPrimaryKeepsItsLiveDelivery() throws Exception {
        RedisClusterServer cluster = RedisClusterServer.start();
        closing.add(cluster);
        String room = roomInShardZero();
        RecordingBrokerListener heard = new RecordingBrokerListener();
        Broker writer = broker(cluster, new RecordingBrokerListener());
        Broker reader = broker(cluster, heard);
        reader.subscribe(room);

        List<String> acked = new ArrayList<>();
        AtomicBoolean moved = new AtomicBoolean();
        Thread reshard = Thread.ofPlatform().start(() -> {
            // Shard 0's tag is in slots 0-255: the lowest slots of their owner, which reshard moves first.
            cluster.addShardTakingLowestSlotsOf(RedisKeys.CLUSTER.roomLog(room),
                    SlotHash.SLOT_COUNT / RedisKeys.CLUSTER.shards());
            moved.set(true);
        });
        for (int i = 0; !moved.get() || i < 100; i++) {
            acked.add(RedisBrokerIT.appendRetrying(writer, draft(room, "m" + i), false).message().id());
        }
        reshard.join();
        for (int i = 0; i < 20; i++) {
            acked.add(RedisBrokerIT.appendRetrying(writer, draft(room, "after " + i), false).message().id());
        }

        List<String> received = new ArrayList<>();
        while (received.size() < acked.size()) {
            received.add(heard.nextPosted().id());
        }
        assertEquals(acked, received, "every acked message once, in order, across the move");
        RedisServer owner = cluster.ownerOf(RedisKeys.CLUSTER.roomChannel(room));
        assertEquals(cluster.nodes().get(6).port(), owner.port(), "the room now lives on the added primary");
        Eventually.until("the listener's subscription moved with the slot", () -> "1".equals(owner.arrayReply(
                "PUBSUB", "SHARDNUMSUB", RedisKeys.CLUSTER.roomChannel(room)).get(1)));
    }

    private Broker broker(RedisClusterServer cluster, BrokerListener listener) {
        RedisConnections connections = RedisConnections.open(RedisMode.CLUSTER, cluster.uris(),
                RedisConnections.COMMAND_TIMEOUT);
        closing.add(connections); // closed after the broker (in reverse order): it does not close what it did not open
        RedisBroker b = new RedisBroker(connections, 100_000, Duration.ofMinutes(5), false, 1);
        closing.add(b);
        b.start(listener);
        return b;
    }

    private static String roomInShardZero() {
        for (int i = 0; ; i++) {
            String room = "moving-" + i;
            if (RedisKeys.CLUSTER.shard(room) == 0) {
                return room;
            }
        }
    }
}
