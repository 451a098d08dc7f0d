package io.parley.it.cluster;

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
import static io.parley.it.cluster.Frames.message;
import static io.parley.it.cluster.Frames.say;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Redis that stops answering (SIGSTOP, then SIGCONT). With a single Redis, everything that needs it waits, on
 * every instance; what this proves is that the wait is bounded and contained: a send gets an error after the command
 * timeout instead of hanging, readiness goes down, sockets in other rooms and on other instances keep being served
 * (pings, their own frames), nothing piles up into a stall afterwards, and a retried send is stored once.
 */
class SlowRedisIT {

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
    void aPausedRedisDelaysOnlyWhatNeedsItAndEverythingResumes() {
        String busy = "slow-busy";
        String quiet = "slow-quiet";
        try (WsTestClient ada = WsTestClient.login(a.publicPort(), "ada");
             WsTestClient cid = WsTestClient.login(b.publicPort(), "cid");
             WsTestClient bob = WsTestClient.login(b.publicPort(), "bob")) {
            ada.join(busy);
            cid.join(busy);
            bob.join(quiet);

            cluster.redis.pause();
            try {
                // The sender's frame is answered with an error once the command timeout passes: not an ack, no hang.
                ada.send(Map.of("type", "send", "room", busy, "text", "while paused", "ref", "p-1"));
                bob.send(Map.of("type", "ping"));
                bob.await("pong"); // other sockets are served meanwhile, on any instance
                cid.send(Map.of("type", "ping"));
                cid.await("pong");
                JsonNode answer = ada.await(f -> "p-1".equals(f.path("ref").asText()));
                assertTrue(type(answer, "error"), "an error, not an ack: " + answer);
                Eventually.until("readiness down while Redis does not answer",
                        () -> AdminProbes.readiness(a.adminPort()) == 503
                                && AdminProbes.readiness(b.adminPort()) == 503);
            } finally {
                cluster.redis.resume();
            }

            Eventually.until("readiness back",
                    () -> AdminProbes.readiness(a.adminPort()) == 200 && AdminProbes.readiness(b.adminPort()) == 200);
            String quietId = say(bob, quiet, "the other room works", "q-1");
            assertEquals(quietId, bob.await(message(quiet, "the other room works")).path("id").asText());

            // The timed-out append may have run when Redis resumed; the retry with its ref makes it one message.
            String id = say(ada, busy, "while paused", "p-1");
            assertEquals(id, cid.await(anyMessage(busy)).path("id").asText());
            try (WsTestClient dan = WsTestClient.login(a.publicPort(), "dan")) {
                JsonNode joined = dan.join(busy);
                assertEquals(List.of(id), Frames.ids(joined.path("history")), "stored once");
            }
            assertTrue(cid.quietFor(anyMessage(busy), java.time.Duration.ofSeconds(1)), "delivered once");
        }
    }
}
