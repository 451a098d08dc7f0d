package io.parley.it.monolith;

import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.chat.ParleyServer;
import io.parley.chat.testing.RedisServer;
import io.parley.chat.testing.WsTestClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Room and presence events reach the monolith's events endpoint, signed: {@code member_added} and
 * {@code member_removed} once per user (not per tab) across the cluster, {@code room_occupied} and
 * {@code room_vacated} at the room's first and last member; and they survive an outage of the monolith.
 */
class EventsWebhookIT {

    private static final String ROOM = "webhook-room";

    @ParameterizedTest(name = "redis={0}")
    @ValueSource(booleans = {false, true})
    void presenceTransitionsArePostedAsEvents(boolean withRedis) {
        Optional<RedisServer> redis = withRedis ? Optional.of(RedisServer.start()) : Optional.empty();
        try (StandInMonolith monolith = StandInMonolith.start();
             Instances instances = new Instances(monolith, redis)) {
            ParleyServer first = instances.start("events-a");
            ParleyServer second = withRedis ? instances.start("events-b") : first;
            try (WsTestClient ada = WsTestClient.login(first.publicPort(), "ada");
                 WsTestClient adaSecondTab = WsTestClient.login(second.publicPort(), "ada");
                 WsTestClient bob = WsTestClient.login(second.publicPort(), "bob")) {
                ada.join(ROOM);
                JsonNode occupied = monolith.awaitEvent(e -> is(e, "room_occupied"));
                JsonNode adaAdded = monolith.awaitEvent(e -> is(e, "member_added") && user(e, "ada"));
                assertEquals(ROOM, occupied.path("room").asText());
                assertTrue(occupied.path("user").isMissingNode(), "a room event names no user");
                assertEquals("Ada", adaAdded.path("user").path("name").asText());
                assertTrue(adaAdded.path("ts").asLong() > 0);

                // A second tab of the same user is not a new member; bob is.
                adaSecondTab.join(ROOM);
                bob.join(ROOM);
                monolith.awaitEvent(e -> is(e, "member_added") && user(e, "bob"));

                // The monolith goes down: what happens meanwhile is delivered when it is back.
                monolith.mode(StandInMonolith.Mode.FAIL);
                bob.send(java.util.Map.of("type", "leave", "room", ROOM));
                bob.await("left");
                ada.close();
                adaSecondTab.close();
                monolith.mode(StandInMonolith.Mode.ACCEPT);

                monolith.awaitEvent(e -> is(e, "member_removed") && user(e, "bob"));
                monolith.awaitEvent(e -> is(e, "member_removed") && user(e, "ada"));
                monolith.awaitEvent(e -> is(e, "room_vacated"));

                List<JsonNode> events = monolith.events();
                assertEquals(1, events.stream().filter(e -> is(e, "member_added") && user(e, "ada")).count(),
                        "one member_added per user, not per tab: " + events);
                assertEquals(1, events.stream().filter(e -> is(e, "room_occupied")).count(), events.toString());
                assertEquals(0, monolith.badSignatures());
            }
        } finally {
            redis.ifPresent(RedisServer::close);
        }
    }

    private static boolean is(JsonNode event, String type) {
        return type.equals(event.path("type").asText()) && ROOM.equals(event.path("room").asText());
    }

    private static boolean user(JsonNode event, String id) {
        return id.equals(event.path("user").path("id").asText());
    }
}
