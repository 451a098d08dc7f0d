package io.parley.it.monolith;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import io.parley.chat.ParleyServer;
import io.parley.chat.testing.WsTestClient;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A drain (SIGTERM) flushes the history outbox before the process ends: in memory that is the last chance for what
 * it holds. Messages accepted while the monolith was down are delivered by the time {@code drainAndStop} returns,
 * even though the forwarder was waiting out a backoff.
 */
class DrainFlushIT {

    @Test
    void aDrainDeliversWhatTheInMemoryOutboxHolds() {
        try (StandInMonolith monolith = StandInMonolith.start();
             Instances instances = new Instances(monolith, Optional.empty())) {
            monolith.mode(StandInMonolith.Mode.FAIL);
            ParleyServer server = instances.start("draining");
            Set<String> acked = new HashSet<>();
            try (WsTestClient ada = WsTestClient.login(server.publicPort(), "ada")) {
                ada.join("drain");
                for (int i = 0; i < 25; i++) {
                    acked.add(ada.say("drain", "before the drain " + i, "d-" + i).path("id").asText());
                }
                // Let the forwarder fail a few times, so that it sits in a backoff when the drain begins.
                int before = monolith.seenHistoryPosts().size();
                StandInMonolith.await("failed posts", () -> monolith.seenHistoryPosts().size() >= before + 3,
                        () -> "seen " + monolith.seenHistoryPosts().size());
                monolith.mode(StandInMonolith.Mode.ACCEPT);
                server.drainAndStop();
            }
            assertEquals(acked, monolith.deliveredIds(), "delivered before drainAndStop returned");
        }
    }
}
