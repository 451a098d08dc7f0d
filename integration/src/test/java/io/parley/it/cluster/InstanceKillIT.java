package io.parley.it.cluster;

import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.chat.ParleyServer;
import io.parley.chat.api.SignedApiClient;
import io.parley.chat.testing.Eventually;
import io.parley.chat.testing.WsTestClient;
import io.parley.it.support.ParleyProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.parley.it.cluster.Frames.anyPresenceOf;
import static io.parley.it.cluster.Frames.ids;
import static io.parley.it.cluster.Frames.message;
import static io.parley.it.cluster.Frames.presence;
import static io.parley.it.cluster.Frames.say;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An instance killed with SIGKILL (a child JVM): the survivors evict its members within the presence TTL and tell
 * the rooms, and its clients resume on another instance without losing a message.
 */
class InstanceKillIT {

    static Cluster cluster;
    static ParleyServer survivor;
    static ParleyServer other;

    @BeforeAll
    static void start() {
        startOn(Cluster.start());
    }

    /** Two instances on {@code on}; also used by {@link InstanceKillOnRedisClusterIT}. */
    static void startOn(Cluster on) {
        cluster = on;
        survivor = cluster.instance("survivor");
        other = cluster.instance("other");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void membersOfAKilledInstanceAreEvictedAndItsClientsResumeElsewhere() {
        String r = "kill-" + UUID.randomUUID().toString().substring(0, 8);
        ParleyProcess doomed = cluster.childInstance("doomed");
        SignedApiClient api = new SignedApiClient(survivor.adminPort(), Cluster.API_SECRET);
        assertEquals(3, api.get("/api/v1/stats").json().path("instances").asInt());

        try (WsTestClient bob = WsTestClient.login(survivor.publicPort(), "bob");
             WsTestClient cid = WsTestClient.login(other.publicPort(), "cid")) {
            bob.join(r);
            WsTestClient ada = WsTestClient.login(doomed.publicPort(), "ada");
            ada.join(r);
            bob.await(presence(r, "join", "ada"));
            cid.join(r);
            say(ada, r, "before the crash", "a-1");
            String lastSeen = ada.await(message(r, "before the crash")).path("id").asText();

            doomed.kill9();
            assertNotEquals(1000, ada.awaitClose(), "the socket just vanished");
            String missed = say(bob, r, "while Ada was away", "b-1");

            // Within the presence TTL (plus a check interval), one survivor evicts Ada: one leave, to everyone.
            bob.await(presence(r, "leave", "ada"));
            cid.await(presence(r, "leave", "ada"));
            assertEquals(List.of("bob", "cid"), memberIds(api.get("/api/v1/rooms/" + r + "/presence").json()));
            Eventually.until("the dead instance is no longer counted",
                    () -> api.get("/api/v1/stats").json().path("instances").asInt() == 2);

            try (WsTestClient back = WsTestClient.login(other.publicPort(), "ada")) {
                JsonNode joined = Frames.joinSince(back, r, lastSeen);
                assertEquals(List.of(missed), ids(joined.path("history")), "resumed without a gap");
                assertTrue(joined.path("complete").asBoolean());
                bob.await(presence(r, "join", "ada"));
            }
            bob.await(presence(r, "leave", "ada"));
            assertEquals(List.of(), bob.received(anyPresenceOf(r, "ada")), "each transition announced once");
        }
    }

    private static List<String> memberIds(JsonNode presence) {
        List<String> ids = new java.util.ArrayList<>();
        presence.path("members").forEach(m -> ids.add(m.path("id").asText()));
        ids.sort(null);
        return ids;
    }
}
