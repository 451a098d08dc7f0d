package io.parley.it.cluster;

import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.chat.ParleyServer;
import io.parley.chat.api.SignedApiClient;
import io.parley.chat.testing.Eventually;
import io.parley.chat.testing.WsTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.parley.it.cluster.Frames.anyMessage;
import static io.parley.it.cluster.Frames.anyPresenceOf;
import static io.parley.it.cluster.Frames.ids;
import static io.parley.it.cluster.Frames.message;
import static io.parley.it.cluster.Frames.presence;
import static io.parley.it.cluster.Frames.say;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Three instances sharing one Redis behave as one: users cannot tell which instance they are on. */
class ConversationAcrossInstancesIT {

    static Cluster cluster;
    static ParleyServer a;
    static ParleyServer b;
    static ParleyServer c;

    @BeforeAll
    static void start() {
        startOn(Cluster.start());
    }

    /** Three instances on {@code on}; also used by {@link ConversationOnRedisClusterIT}. */
    static void startOn(Cluster on) {
        cluster = on;
        a = cluster.instance("a");
        b = cluster.instance("b");
        c = cluster.instance("c");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static String room(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aConversationAcrossInstances() {
        String r = room("talk");
        try (WsTestClient ada = WsTestClient.login(a.publicPort(), "ada");
             WsTestClient bob = WsTestClient.login(b.publicPort(), "bob")) {
            ada.join(r);
            bob.join(r);
            String first = say(ada, r, "hello Bob", "a-1");
            assertEquals(first, bob.await(message(r, "hello Bob")).path("id").asText());
            String second = say(bob, r, "hi Ada", "b-1");
            assertEquals(second, ada.await(message(r, "hi Ada")).path("id").asText());
            assertTrue(second.compareTo(first) > 0, "ids increase across instances");

            try (WsTestClient cid = WsTestClient.login(c.publicPort(), "cid")) {
                JsonNode joined = cid.join(r);
                assertEquals(List.of(first, second), ids(joined.path("history")), "history is shared");
                assertTrue(joined.path("complete").asBoolean());
                assertEquals(3, joined.path("members").size());
            }
        }
    }

    @Test
    void aResumeWithSinceOnAnotherInstanceHasNoGapAndNoDuplicate() {
        String r = room("resume");
        try (WsTestClient ada = WsTestClient.login(a.publicPort(), "ada")) {
            ada.join(r);
            String lastSeen;
            try (WsTestClient cid = WsTestClient.login(b.publicPort(), "cid")) {
                cid.join(r);
                say(ada, r, "m1", "r-1");
                String m2 = say(ada, r, "m2", "r-2");
                cid.await(message(r, "m1"));
                lastSeen = cid.await(message(r, "m2")).path("id").asText();
                assertEquals(m2, lastSeen);
                cid.abort(); // the network drops
            }
            String m3 = say(ada, r, "m3", "r-3");
            String m4 = say(ada, r, "m4", "r-4");
            try (WsTestClient cid = WsTestClient.login(c.publicPort(), "cid")) {
                JsonNode joined = Frames.joinSince(cid, r, lastSeen);
                assertEquals(List.of(m3, m4), ids(joined.path("history")), "exactly what was missed");
                assertTrue(joined.path("complete").asBoolean());
                String m5 = say(ada, r, "m5", "r-5");
                assertEquals(m5, cid.await(anyMessage(r)).path("id").asText(), "then live, from where history ended");
                assertEquals(List.of(), cid.received(anyMessage(r)), "nothing twice");
            }
        }
    }

    @Test
    void tabsOnTwoInstancesAreOneMember() {
        String r = room("tabs");
        try (WsTestClient bob = WsTestClient.login(c.publicPort(), "bob")) {
            bob.join(r);
            WsTestClient tab1 = WsTestClient.login(a.publicPort(), "ada");
            tab1.join(r);
            bob.await(presence(r, "join", "ada"));
            WsTestClient tab2 = WsTestClient.login(b.publicPort(), "ada");
            JsonNode joined = tab2.join(r);
            List<String> members = joined.path("members").findValuesAsText("id").stream().sorted().toList();
            assertEquals(List.of("ada", "bob"), members, "Ada is listed once");
            tab1.close();
            tab2.close();
            bob.await(presence(r, "leave", "ada"));
            // Events of a room arrive in order: a second join or leave for Ada would have come before this leave.
            assertEquals(List.of(), bob.received(anyPresenceOf(r, "ada")), "one join and one leave, not per tab");
        }
    }

    @Test
    void aDisconnectFromTheServerApiClosesTheUsersSocketsOnEveryInstance() {
        try (WsTestClient onA = WsTestClient.login(a.publicPort(), "eve");
             WsTestClient onB = WsTestClient.login(b.publicPort(), "eve");
             WsTestClient other = WsTestClient.login(b.publicPort(), "bob")) {
            SignedApiClient api = new SignedApiClient(c.adminPort(), Cluster.API_SECRET);
            assertEquals(202, api.post("/api/v1/users/eve/disconnect", "{\"reason\":\"account closed\"}").status());
            assertEquals(4403, onA.awaitClose());
            assertEquals(4403, onB.awaitClose());
            other.send(java.util.Map.of("type", "ping"));
            other.await("pong");
        }
    }

    @Test
    void statsAndPresenceCoverEveryInstance() {
        String r = room("stats");
        SignedApiClient api = new SignedApiClient(a.adminPort(), Cluster.API_SECRET);
        try (WsTestClient x = WsTestClient.login(a.publicPort(), "xena");
             WsTestClient x2 = WsTestClient.login(c.publicPort(), "xena");
             WsTestClient y = WsTestClient.login(b.publicPort(), "yuri")) {
            x.join(r);
            x2.join(r);
            y.join(r);
            JsonNode presence = api.get("/api/v1/rooms/" + r + "/presence").json();
            assertEquals(List.of("xena:2", "yuri:1"), presenceCounts(presence));
            JsonNode stats = api.get("/api/v1/stats").json();
            assertEquals(3, stats.path("instances").asInt());
            assertTrue(stats.path("rooms").asLong() >= 1);
            // Connection counts travel with the heartbeats (every TTL/3).
            Eventually.until("the sockets on three instances are counted",
                    () -> api.get("/api/v1/stats").json().path("connections").asLong() >= 3);
        }
    }

    private static List<String> presenceCounts(JsonNode presence) {
        List<String> out = new java.util.ArrayList<>();
        presence.path("members").forEach(m -> out.add(m.path("id").asText() + ":" + m.path("connections").asInt()));
        out.sort(null);
        return out;
    }
}
