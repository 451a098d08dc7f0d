package io.parley.it.monolith;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.chat.ParleyServer;
import io.parley.chat.api.SignedApiClient;
import io.parley.chat.testing.RedisServer;
import io.parley.chat.testing.WsTestClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The monolith refuses a batch with a 4xx because of some of its messages: the batch is split, the refused messages
 * go to the dead-letter store (listed by the server API with the status and error), the others are delivered; once
 * the monolith is fixed, a replay through the API delivers the dead letters.
 */
class DeadLetterIT {

    private static final String ROOM = "refusals";

    @ParameterizedTest(name = "redis={0}")
    @ValueSource(booleans = {false, true})
    void refusedMessagesAreDeadLetteredTheRestDeliveredThenReplayed(boolean withRedis) {
        Optional<RedisServer> redis = withRedis ? Optional.of(RedisServer.start()) : Optional.empty();
        try (StandInMonolith monolith = StandInMonolith.start();
             Instances instances = new Instances(monolith, redis)) {
            // Hold everything back first, so that the refused messages travel in one batch with the others.
            monolith.mode(StandInMonolith.Mode.FAIL);
            ParleyServer first = instances.start("dl-a");
            ParleyServer second = withRedis ? instances.start("dl-b") : first;
            List<String> acked = new ArrayList<>();
            try (WsTestClient ada = WsTestClient.login(first.publicPort(), "ada")) {
                ada.join(ROOM);
                for (int i = 0; i < 20; i++) {
                    acked.add(ada.say(ROOM, "message " + i, "r-" + i).path("id").asText());
                }
            }
            Set<String> refused = Set.of(acked.get(3), acked.get(11), acked.get(12));
            monolith.refuse(refused);
            monolith.mode(StandInMonolith.Mode.ACCEPT);

            Set<String> others = new HashSet<>(acked);
            others.removeAll(refused);
            monolith.awaitDelivered(others);
            SignedApiClient api = Instances.api(second);
            StandInMonolith.await("three dead letters", () -> deadLetters(api).size() == 3,
                    () -> "dead letters " + deadLetters(api));
            assertEquals(others, monolith.deliveredIds(), "only the refused messages are missing");
            assertTrue(monolith.seenHistoryPosts().stream().anyMatch(p -> p.size() > 1 && p.stream()
                    .anyMatch(refused::contains)), "the refused messages came in a batch with others first");

            List<JsonNode> letters = deadLetters(api);
            assertEquals(refused, Set.copyOf(letters.stream().map(l -> l.path("id").asText()).toList()));
            for (JsonNode letter : letters) {
                assertEquals(422, letter.path("status").asInt());
                assertTrue(letter.path("error").asText().contains("validation failed"), letter.toString());
                assertEquals(ROOM, letter.path("room").asText());
                assertEquals("ada", letter.path("user").path("id").asText());
                assertTrue(letter.path("text").asText().startsWith("message "));
            }

            // The monolith is fixed: replay one by id, then the rest.
            monolith.stopRefusing();
            String one = acked.get(3);
            SignedApiClient.Answer replayOne = api.post("/api/v1/dead-letters/replay", "{\"ids\":[\"" + one + "\"]}");
            assertEquals(202, replayOne.status());
            assertEquals(1, replayOne.json().path("replayed").asInt());
            monolith.awaitDelivered(Set.of(one));
            SignedApiClient.Answer replayAll = api.post("/api/v1/dead-letters/replay", "{}");
            assertEquals(202, replayAll.status());
            assertEquals(2, replayAll.json().path("replayed").asInt());
            monolith.awaitDelivered(acked);
            assertEquals(Set.copyOf(acked), monolith.deliveredIds());
            assertEquals(0, deadLetters(api).size());
            assertEquals(0, monolith.badSignatures());
        } finally {
            redis.ifPresent(RedisServer::close);
        }
    }

    private static List<JsonNode> deadLetters(SignedApiClient api) {
        SignedApiClient.Answer answer = api.get("/api/v1/dead-letters");
        assertEquals(200, answer.status(), answer.json().toString());
        return StreamSupport.stream(answer.json().path("messages").spliterator(), false).toList();
    }
}
