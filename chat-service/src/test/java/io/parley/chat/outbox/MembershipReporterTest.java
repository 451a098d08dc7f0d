package io.parley.chat.outbox;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.chat.model.User;
import io.parley.chat.protocol.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MembershipReporterTest {

    private final List<String> queued = new ArrayList<>();
    private final MembershipReporter reporter = new MembershipReporter(queued::addAll,
            Clock.fixed(Instant.ofEpochMilli(1_700_000_000_123L), ZoneOffset.UTC));
    private final User ada = new User("42", "Ada");

    private List<String> types() {
        return queued.stream().map(json -> parse(json).path("type").asText()).toList();
    }

    private static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theFirstMemberOccupiesTheRoomAndTheLastVacatesIt() {
        reporter.joined("lobby", ada, () -> 1);
        reporter.joined("lobby", new User("7", "Bob"), () -> 2);
        reporter.left("lobby", new User("7", "Bob"), () -> 1);
        reporter.left("lobby", ada, () -> 0);
        assertEquals(List.of("room_occupied", "member_added", "member_added", "member_removed", "member_removed",
                "room_vacated"), types());

        JsonNode added = parse(queued.get(1));
        assertEquals("lobby", added.path("room").asText());
        assertEquals("42", added.path("user").path("id").asText());
        assertEquals("Ada", added.path("user").path("name").asText());
        assertEquals(1_700_000_000_123L, added.path("ts").asLong());
        assertTrue(parse(queued.getFirst()).path("user").isMissingNode());
    }

    @Test
    void aQueueThatFailsNeverFailsThePresenceChange() {
        MembershipReporter failing = new MembershipReporter(events -> {
            throw new IllegalStateException("full");
        }, Clock.systemUTC());
        failing.joined("lobby", ada, () -> 1);
        failing.left("lobby", ada, () -> {
            throw new IllegalStateException("redis down");
        });
    }
}
