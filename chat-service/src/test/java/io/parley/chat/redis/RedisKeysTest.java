package io.parley.chat.redis;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The two key layouts: standalone exactly as before, cluster tags spread evenly over the slots. */
class RedisKeysTest {

    @Test
    void theStandaloneLayoutIsUnchanged() {
        RedisKeys keys = RedisKeys.STANDALONE;
        assertEquals(16, keys.shards());
        String room = "team-7:general";
        int shard = (room.hashCode() & 0x7fffffff) % 16;
        assertEquals("parley:{p" + shard + "}:room:team-7:general:log", keys.roomLog(room));
        assertEquals("parley:{p" + shard + "}:outbox", keys.outboxOf(room));
        assertEquals("parley:{p" + shard + "}:dead", keys.deadLetters(shard));
        assertEquals("parley:control", keys.controlChannel());
    }

    @Test
    void everyClusterShardLivesInItsOwnSlotBand() {
        RedisKeys keys = RedisKeys.CLUSTER;
        int band = SlotHash.SLOT_COUNT / keys.shards();
        for (int k = 0; k < keys.shards(); k++) {
            int slot = SlotHash.getSlot(keys.outbox(k));
            assertTrue(slot >= k * band && slot < (k + 1) * band, "shard " + k + " at slot " + slot);
        }
    }

    /** What {@code redis-cli --cluster create} does: equal contiguous slot ranges, one per primary. */
    @ParameterizedTest
    @ValueSource(ints = {3, 4, 6, 8, 16})
    void clusterShardsSpreadEvenlyOverEqualPrimaries(int primaries) {
        RedisKeys keys = RedisKeys.CLUSTER;
        int[] perPrimary = new int[primaries];
        for (int k = 0; k < keys.shards(); k++) {
            int slot = SlotHash.getSlot(keys.tag(k));
            perPrimary[(int) ((long) slot * primaries / SlotHash.SLOT_COUNT)]++;
        }
        int fair = keys.shards() / primaries;
        for (int n : perPrimary) {
            assertTrue(n >= fair - 1 && n <= fair + 2, primaries + " primaries: " + java.util.Arrays.toString(perPrimary));
        }
    }

    @Test
    void aRoomsKeysChannelAndOutboxShareOneSlotInTheClusterLayout() {
        RedisKeys keys = RedisKeys.CLUSTER;
        String room = "lobby";
        Set<Integer> slots = new HashSet<>();
        for (String key : List.of(keys.roomLog(room), keys.roomRef(room, "u:1:r"), keys.roomChannel(room),
                keys.roomMembers(room), keys.roomConnections(room), keys.outboxOf(room),
                keys.occupiedRooms(keys.shard(room)), keys.instanceConnections(keys.shard(room), "i-1"),
                keys.deadLetters(keys.shard(room)), keys.deadLetterReasons(keys.shard(room)))) {
            slots.add(SlotHash.getSlot(key));
        }
        assertEquals(1, slots.size(), "one slot: " + slots);
    }
}
