package io.parley.it.monolith;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.chat.ParleyServer;
import io.parley.chat.api.SignedApiClient;
import io.parley.chat.testing.RedisServer;
import io.parley.chat.testing.WsTestClient;
import io.parley.it.support.AdminProbes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The monolith is down for a long stretch, in every way it can be: it answers 503, then nothing at all (a request
 * that hangs past the post timeout), then it closes connections unanswered, then it is back. Every message that was
 * acknowledged to its sender meanwhile arrives, each id at least once, and the set that arrived is exactly the set
 * that was acknowledged.
 */
class MonolithOutageIT {

    private static final String ROOM = "outage";

    @ParameterizedTest(name = "redis={0}")
    @ValueSource(booleans = {false, true})
    void everyAcknowledgedMessageArrivesAfterTheOutage(boolean withRedis) {
        Optional<RedisServer> redis = withRedis ? Optional.of(RedisServer.start()) : Optional.empty();
        try (StandInMonolith monolith = StandInMonolith.start();
             Instances instances = new Instances(monolith, redis)) {
            monolith.mode(StandInMonolith.Mode.FAIL);
            ParleyServer first = instances.start("outage-a");
            ParleyServer second = withRedis ? instances.start("outage-b") : first;
            SignedApiClient api = Instances.api(second);
            int forwarders = withRedis ? 2 : 1;
            Set<String> acked = new HashSet<>();
            try (WsTestClient ada = WsTestClient.login(first.publicPort(), "ada");
                 WsTestClient bob = WsTestClient.login(second.publicPort(), "bob")) {
                ada.join(ROOM);
                bob.join(ROOM);

                send(ada, bob, api, "503", 15, acked);
                awaitPosts(monolith, 2);

                monolith.mode(StandInMonolith.Mode.HANG);
                send(ada, bob, api, "hang", 15, acked);
                // Each instance's history post hangs; one more post means a hung one timed out and was retried.
                awaitPosts(monolith, forwarders + 1);

                monolith.mode(StandInMonolith.Mode.CLOSE);
                send(ada, bob, api, "close", 10, acked);
                awaitPosts(monolith, 1);

                monolith.mode(StandInMonolith.Mode.ACCEPT);
                send(ada, bob, api, "back", 10, acked);

                monolith.awaitDelivered(acked);
                assertEquals(acked, monolith.deliveredIds(), "exactly the acknowledged messages arrived");
                assertTrue(monolith.deliveries().values().stream().allMatch(n -> n >= 1));
                assertEquals(0, monolith.badSignatures());
                assertEquals(0, api.get("/api/v1/dead-letters").json().path("messages").size());
                StandInMonolith.await("the outbox backlog to drain",
                        () -> AdminProbes.metric(second.adminPort(), "parley_outbox_backlog") == 0,
                        () -> "backlog " + AdminProbes.metric(second.adminPort(), "parley_outbox_backlog"));
            }
        } finally {
            redis.ifPresent(RedisServer::close);
        }
    }

    /** Sends {@code n} messages from each client and {@code n/5} through the API, collecting the acknowledged ids. */
    private static void send(WsTestClient ada, WsTestClient bob, SignedApiClient api, String phase, int n,
                             Set<String> acked) {
        for (int i = 0; i < n; i++) {
            for (WsTestClient client : List.of(ada, bob)) {
                JsonNode ack = client.say(ROOM, phase + " " + i, phase + "-" + i + "-" + client.hashCode());
                assertEquals("ack", ack.path("type").asText(), ack.toString());
                acked.add(ack.path("id").asText());
            }
        }
        for (int i = 0; i < n / 5; i++) {
            SignedApiClient.Answer created = api.post("/api/v1/rooms/" + ROOM + "/messages",
                    "{\"text\":\"system " + phase + " " + i + "\"}");
            assertEquals(201, created.status(), created.json().toString());
            acked.add(created.json().path("id").asText());
        }
    }

    /** Waits until the monolith has seen {@code n} more history posts (whatever it answered). */
    private static void awaitPosts(StandInMonolith monolith, int n) {
        int before = monolith.seenHistoryPosts().size();
        StandInMonolith.await(n + " more history posts", () -> monolith.seenHistoryPosts().size() >= before + n,
                () -> "seen " + monolith.seenHistoryPosts().size());
    }
}
