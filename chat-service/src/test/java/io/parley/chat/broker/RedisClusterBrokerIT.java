package io.parley.chat.broker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.parley.chat.model.ChatMessage;
import io.parley.chat.redis.RedisConnections;
import io.parley.chat.redis.RedisKeys;
import io.parley.chat.config.RedisMode;
import io.parley.chat.testing.RedisClusterServer;
import io.parley.chat.testing.RedisServer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The broker contract on a real six-node Redis Cluster (three primaries, one replica each), every broker one
 * instance with its own cluster client and {@code PARLEY_REDIS_MIN_REPLICAS=1}; plus what only cluster mode has:
 * sharded pub/sub and acks that wait for a replica.
 */
class RedisClusterBrokerIT extends SharedBrokerContract {

    private static final RedisKeys KEYS = RedisKeys.CLUSTER;
    private final RedisClusterServer cluster = RedisClusterServer.shared();
    private final List<RedisConnections> connections = new ArrayList<>();

    @Override
    protected Broker create(int retainedPerRoom, Duration refWindow) {
        RedisConnections c = RedisConnections.open(RedisMode.CLUSTER, cluster.uris(), RedisConnections.COMMAND_TIMEOUT);
        connections.add(c);
        return new RedisBroker(c, retainedPerRoom, refWindow, true, 1);
    }

    @Override
    protected void afterBrokersClosed() {
        connections.forEach(RedisConnections::close);
        connections.clear();
    }

    @Test
    void roomEventsTravelOnShardedPubSubOnly() {
        Started one = broker(100);
        Started two = broker(100);
        String r = room("sharded");
        two.broker().subscribe(r);
        String channel = KEYS.roomChannel(r);
        assertEquals(1, subscribers(cluster.ownerOf(channel), "SHARDNUMSUB", channel),
                "the subscribing instance holds one sharded subscription, at the primary owning the room's slot");
        ChatMessage m = one.broker().append(draft(r, "over SPUBLISH")).message();
        assertEquals(m, two.listener().nextPosted());
        for (RedisServer node : cluster.primaries()) {
            assertEquals(0, subscribers(node, "NUMSUB", channel), "no classic subscription anywhere");
        }
    }

    @Test
    void anAckWaitsForAReplicaAndATimeoutLeavesTheRefIdempotent() {
        Started b = broker(100);
        String r = room("replicated");
        RedisServer replica = cluster.replicaOf(cluster.ownerOf(KEYS.roomLog(r)));
        replica.pause();
        try {
            BrokerUnavailableException e = assertThrows(BrokerUnavailableException.class,
                    () -> b.broker().append(keyed(r, "needs a replica", "w-1")));
            assertTrue(e.getMessage().contains("replicas"), e.getMessage());
        } finally {
            replica.resume();
        }
        Published retried = b.broker().append(keyed(r, "needs a replica", "w-1"));
        assertTrue(retried.duplicate(), "the message was stored; the retry with the same ref finds it");
        assertEquals(java.util.List.of(retried.message()), b.broker().history(r, Optional.empty(), 10).messages());
    }

    /** {@code PUBSUB SHARDNUMSUB|NUMSUB channel} answers (channel, count). */
    private static long subscribers(RedisServer node, String kind, String channel) {
        return Long.parseLong(node.arrayReply("PUBSUB", kind, channel).get(1));
    }
}
