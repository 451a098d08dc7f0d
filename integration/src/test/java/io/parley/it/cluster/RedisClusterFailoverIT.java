package io.parley.it.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.chat.ParleyServer;
import io.parley.chat.api.SignedApiClient;
import io.parley.chat.redis.RedisKeys;
import io.parley.chat.testing.Eventually;
import io.parley.chat.testing.RedisServer;
import io.parley.chat.testing.WsTestClient;
import io.parley.it.monolith.StandInMonolith;
import io.parley.it.support.AdminProbes;
import org.junit.jupiter.api.Test;

import static io.parley.chat.testing.WsTestClient.type;
import static io.parley.it.cluster.Frames.presence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The failover drill: two Parley instances on a Redis Cluster (three primaries, a replica each,
 * {@code PARLEY_REDIS_MIN_REPLICAS=1} by default), one room per primary with a member on each instance, chatting;
 * then {@code kill -9} of one primary. Its replica takes over; sends to that shard fail (no ack) until the killed node
 * is back as the new primary's replica, and succeed on retry with the same ref. Every acked message reaches every
 * member and the monolith, a ref re-sent after the failover gets its original id, presence is intact, and readiness
 * goes down and comes back.
 */
class RedisClusterFailoverIT {

    private static final int MESSAGES_PER_ROOM = 30;
    private static final Duration RETRY_FOR = Duration.ofSeconds(60);

    private record Pair(String room, WsTestClient onA, WsTestClient onB) {
    }

    @Test
    void killingAPrimaryLosesNoAcknowledgedMessage() throws Exception {
        try (StandInMonolith monolith = StandInMonolith.start();
             Cluster cluster = Cluster.startOnRedisCluster().with(monolith.environment())
                     .with(Map.of("PARLEY_LIMITS_RATE", "1000", "PARLEY_LIMITS_BURST", "1000"))) {
            ParleyServer a = cluster.instance("a");
            ParleyServer b = cluster.instance("b");
            List<String> rooms = oneRoomPerPrimary(cluster);
            List<Pair> pairs = new ArrayList<>();
            for (String room : rooms) {
                WsTestClient onA = WsTestClient.login(a.publicPort(), "ua-" + room);
                WsTestClient onB = WsTestClient.login(b.publicPort(), "ub-" + room);
                onA.join(room);
                onB.join(room);
                onA.await(presence(room, "join", "ub-" + room));
                pairs.add(new Pair(room, onA, onB));
            }
            AtomicBoolean sawNotReady = new AtomicBoolean();
            Thread watcher = Thread.ofVirtual().start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    if (AdminProbes.readiness(a.adminPort()) != 200) {
                        sawNotReady.set(true);
                    }
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });

            Map<String, String> idByRef = new LinkedHashMap<>();
            Map<String, List<String>> idsByRoom = new HashMap<>();
            for (int i = 0; i < MESSAGES_PER_ROOM; i++) {
                Map<String, JsonNode> duringFailover = new HashMap<>();
                if (i == MESSAGES_PER_ROOM / 3) {
                    RedisServer killed = cluster.redisCluster.killPrimaryOf(RedisKeys.CLUSTER.roomLog(rooms.getFirst()));
                    // Sent at once: the dead shard answers with an error (no ack), the others keep acking.
                    for (Pair p : pairs) {
                        String ref = p.room() + "-" + i;
                        duringFailover.put(ref, (i % 2 == 0 ? p.onA() : p.onB()).say(p.room(), "m" + i, ref));
                    }
                    JsonNode deadShard = duringFailover.get(rooms.getFirst() + "-" + i);
                    assertEquals("error", deadShard.path("type").asText(), "no ack from a dead primary: " + deadShard);
                    Eventually.until("the replica took over", () -> ownerPort(cluster, rooms.getFirst()) > 0
                            && ownerPort(cluster, rooms.getFirst()) != killed.port());
                    // Until the killed node is back as the new primary's replica, that shard cannot reach
                    // PARLEY_REDIS_MIN_REPLICAS=1: its sends fail and are retried below with the same ref.
                    killed.restart();
                    cluster.redisCluster.awaitReady();
                }
                for (Pair p : pairs) {
                    WsTestClient sender = i % 2 == 0 ? p.onA() : p.onB();
                    String ref = p.room() + "-" + i;
                    String id = sayRetrying(sender, p.room(), "m" + i, ref);
                    JsonNode first = duringFailover.get(ref);
                    if (first != null && type(first, "ack")) {
                        assertEquals(first.path("id").asText(), id, "a retried ref keeps its id: " + ref);
                    }
                    idByRef.put(ref, id);
                    idsByRoom.computeIfAbsent(p.room(), r -> new ArrayList<>()).add(id);
                }
            }

            for (Pair p : pairs) {
                for (WsTestClient member : List.of(p.onA(), p.onB())) {
                    for (String id : idsByRoom.get(p.room())) {
                        member.await(f -> type(f, "message") && id.equals(f.path("id").asText()),
                                Duration.ofSeconds(30));
                    }
                }
            }
            monolith.awaitDelivered(idByRef.values());
            assertEquals(Set.copyOf(idByRef.values()), monolith.deliveredIds(), "exactly the acked messages");

            String before = rooms.getFirst() + "-0";
            JsonNode again = pairs.getFirst().onA().say(rooms.getFirst(), "m0", before);
            assertEquals(idByRef.get(before), again.path("id").asText(), "a ref acked before the failover: " + again);

            SignedApiClient api = new SignedApiClient(a.adminPort(), Cluster.API_SECRET);
            for (String room : rooms) {
                Eventually.until("both members present in " + room, () -> api.get("/api/v1/rooms/" + room + "/presence")
                        .json().path("members").size() == 2);
            }
            Eventually.until("readiness back up", () -> AdminProbes.readiness(a.adminPort()) == 200
                    && AdminProbes.readiness(b.adminPort()) == 200);
            watcher.interrupt();
            assertTrue(sawNotReady.get(), "readiness went down while a primary was dead");
            pairs.forEach(p -> {
                p.onA().close();
                p.onB().close();
            });
        }
    }

    /** Rooms until every primary owns one: one room per primary, so the drill crosses every shard node. */
    private static List<String> oneRoomPerPrimary(Cluster cluster) {
        Map<Integer, String> byPrimary = new LinkedHashMap<>();
        for (int i = 0; byPrimary.size() < 3; i++) {
            String room = "drill-" + i;
            byPrimary.putIfAbsent(cluster.redisCluster.ownerOf(RedisKeys.CLUSTER.roomLog(room)).port(), room);
        }
        return List.copyOf(byPrimary.values());
    }

    /** The port of the running primary that owns the room's slot, or -1 while none does. */
    private static int ownerPort(Cluster cluster, String room) {
        try {
            return cluster.redisCluster.ownerOf(RedisKeys.CLUSTER.roomLog(room)).port();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** Sends until acked, retrying with the same ref after an error (what the widget does). */
    private static String sayRetrying(WsTestClient c, String room, String text, String ref) {
        long deadline = System.nanoTime() + RETRY_FOR.toNanos();
        JsonNode answer = c.say(room, text, ref);
        while (!type(answer, "ack")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no ack for " + ref + " within " + RETRY_FOR + ": " + answer);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
            answer = c.say(room, text, ref);
        }
        return answer.path("id").asText();
    }
}
