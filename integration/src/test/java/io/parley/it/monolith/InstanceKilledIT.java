package io.parley.it.monolith;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.chat.ParleyServer;
import io.parley.chat.testing.RedisServer;
import io.parley.chat.testing.WsTestClient;
import io.parley.it.support.ParleyProcess;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An instance is killed (SIGKILL: no drain, no flush) while the history posts it took from the outbox are in flight.
 * Another instance claims them once they have been idle for the presence TTL and delivers them: nothing that was
 * acknowledged is lost. The dead instance's members are evicted by the survivor, which also tells the monolith.
 */
class InstanceKilledIT {

    private static final String ROOM = "crash";

    @Test
    void entriesInFlightOnAKilledInstanceAreDeliveredByAnother() throws Exception {
        try (RedisServer redis = RedisServer.start();
             StandInMonolith monolith = StandInMonolith.start();
             Instances instances = new Instances(monolith, Optional.of(redis))) {
            // The monolith takes requests and never answers: the doomed instance holds its batch in flight.
            monolith.mode(StandInMonolith.Mode.HANG);
            Set<String> acked = new HashSet<>();
            try (ParleyProcess doomed = ParleyProcess.start(instances.environment("doomed"))) {
                WsTestClient ada = WsTestClient.login(doomed.publicPort(), "ada");
                ada.join(ROOM);
                for (int i = 0; i < 30; i++) {
                    JsonNode ack = ada.say(ROOM, "before the crash " + i, "c-" + i);
                    assertEquals("ack", ack.path("type").asText(), ack.toString());
                    acked.add(ack.path("id").asText());
                }
                StandInMonolith.await("the doomed instance to post its batch",
                        () -> monolith.seenHistoryPosts().stream().anyMatch(p -> p.stream().anyMatch(acked::contains)),
                        () -> "seen " + monolith.seenHistoryPosts());

                ParleyServer survivor = instances.start("survivor");
                doomed.kill9();
                ada.abort();
                monolith.mode(StandInMonolith.Mode.ACCEPT);

                try (WsTestClient bob = WsTestClient.login(survivor.publicPort(), "bob")) {
                    bob.join(ROOM);
                    for (int i = 0; i < 10; i++) {
                        JsonNode ack = bob.say(ROOM, "after the crash " + i, "s-" + i);
                        assertEquals("ack", ack.path("type").asText(), ack.toString());
                        acked.add(ack.path("id").asText());
                    }
                    monolith.awaitDelivered(acked);
                    assertEquals(acked, monolith.deliveredIds(), "exactly the acknowledged messages arrived");
                    assertTrue(monolith.deliveries().values().stream().allMatch(n -> n >= 1));
                    assertEquals(0, monolith.badSignatures());

                    // The survivor evicts ada (whose only connection was on the dead instance) and says so.
                    JsonNode removed = monolith.awaitEvent(e -> "member_removed".equals(e.path("type").asText())
                            && "ada".equals(e.path("user").path("id").asText()));
                    assertEquals(ROOM, removed.path("room").asText());
                }
            }
        }
    }
}
