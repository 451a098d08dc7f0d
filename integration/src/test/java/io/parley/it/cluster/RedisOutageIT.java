package io.parley.it.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.chat.ParleyServer;
import io.parley.chat.testing.Eventually;
import io.parley.chat.testing.WsTestClient;
import io.parley.it.support.AdminProbes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.parley.chat.testing.WsTestClient.type;
import static io.parley.it.cluster.Frames.anyMessage;
import static io.parley.it.cluster.Frames.anyPresenceOf;
import static io.parley.it.cluster.Frames.ids;
import static io.parley.it.cluster.Frames.say;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redis killed with SIGKILL in the middle of a conversation and restarted on the same port from its AOF: readiness
 * goes down and sends get an error (no ack) while it is away, sockets stay open, and the instances recover by
 * themselves; every acknowledged message survives and reaches every member once.
 */
class RedisOutageIT {

    private static Cluster cluster;
    private static ParleyServer a;
    private static ParleyServer b;

    @BeforeAll
    static void start() {
        cluster = Cluster.start();
        a = cluster.instance("a");
        b = cluster.instance("b");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void theClusterRecoversByItselfAndLosesNothingAcknowledged() {
        String r = "outage";
        try (WsTestClient ada = WsTestClient.login(a.publicPort(), "ada");
             WsTestClient bob = WsTestClient.login(b.publicPort(), "bob")) {
            ada.join(r);
            bob.join(r);
            List<String> acked = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                acked.add(say(ada, r, "before " + i, "pre-" + i));
            }

            cluster.redis.kill();
            Eventually.until("readiness down on both instances",
                    () -> AdminProbes.readiness(a.adminPort()) == 503 && AdminProbes.readiness(b.adminPort()) == 503);
            JsonNode refused = ada.say(r, "during the outage", "during-1");
            assertTrue(type(refused, "error"), "no ack while Redis is away: " + refused);
            assertEquals("internal", refused.path("code").asText());
            ada.send(Map.of("type", "ping"));
            ada.await("pong");
            bob.send(Map.of("type", "ping"));
            bob.await("pong");

            cluster.redis.restart();
            Eventually.until("readiness back on both instances, no restart",
                    () -> AdminProbes.readiness(a.adminPort()) == 200 && AdminProbes.readiness(b.adminPort()) == 200);
            // The client retries what was refused, with the same ref, as the widget does.
            acked.add(say(ada, r, "during the outage", "during-1"));
            for (int i = 0; i < 5; i++) {
                acked.add(say(i % 2 == 0 ? bob : ada, r, "after " + i, "post-" + i));
            }

            List<String> bobSaw = new ArrayList<>();
            while (bobSaw.size() < acked.size()) {
                bobSaw.add(bob.await(anyMessage(r)).path("id").asText());
            }
            assertEquals(acked, bobSaw, "live delivery: every acked message, once, in order");

            try (WsTestClient cid = WsTestClient.login(b.publicPort(), "cid")) {
                JsonNode joined = cid.join(r);
                assertEquals(acked, ids(joined.path("history")), "the history kept every acked message (AOF)");
                assertTrue(joined.path("complete").asBoolean());
                assertEquals(List.of("ada", "bob", "cid"),
                        joined.path("members").findValuesAsText("id").stream().sorted().toList(),
                        "presence survived too");
            }
            // Heartbeat deadlines passed while Redis was down; nobody may be evicted for that.
            assertTrue(bob.quietFor(anyPresenceOf(r, "ada"), Cluster.PRESENCE_TTL.multipliedBy(2)),
                    "no leave for members that never left");
            assertEquals(List.of(), bob.received(anyMessage(r)));
        }
    }

    @Test
    void aClientResumesOnAnotherInstanceAfterAnOutage() {
        String r = "outage-resume";
        try (WsTestClient ada = WsTestClient.login(a.publicPort(), "ada")) {
            ada.join(r);
            String seen = say(ada, r, "seen", "s-1");
            cluster.redis.kill();
            cluster.redis.restart();
            // Both: Ada resumes on b, whose token check needs its own Redis connection back.
            Eventually.until("ready again on both instances",
                    () -> AdminProbes.readiness(a.adminPort()) == 200 && AdminProbes.readiness(b.adminPort()) == 200);
            String next = say(ada, r, "next", "s-2");
            try (WsTestClient again = WsTestClient.login(b.publicPort(), "ada")) {
                JsonNode joined = Frames.joinSince(again, r, seen);
                assertEquals(List.of(next), ids(joined.path("history")));
            }
        }
    }
}
