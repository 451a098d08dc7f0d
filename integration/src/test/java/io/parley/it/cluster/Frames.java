package io.parley.it.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.chat.testing.WsTestClient;

import static io.parley.chat.testing.WsTestClient.type;

/** Small readers and steps over {@link WsTestClient} frames that the cluster tests share. */
final class Frames {

    private Frames() {
    }

    /** Joins with a {@code since} cursor and returns {@code joined}. */
    static JsonNode joinSince(WsTestClient c, String room, String since) {
        c.send(Map.of("type", "join", "room", room, "since", since));
        return c.await(f -> type(f, "joined") && room.equals(f.path("room").asText()));
    }

    static Predicate<JsonNode> message(String room, String text) {
        return f -> type(f, "message") && room.equals(f.path("room").asText()) && text.equals(f.path("text").asText());
    }

    static Predicate<JsonNode> anyMessage(String room) {
        return f -> type(f, "message") && room.equals(f.path("room").asText());
    }

    static Predicate<JsonNode> presence(String room, String event, String userId) {
        return f -> type(f, "presence") && room.equals(f.path("room").asText())
                && event.equals(f.path("event").asText()) && userId.equals(f.path("user").path("id").asText());
    }

    static Predicate<JsonNode> anyPresenceOf(String room, String userId) {
        return f -> type(f, "presence") && room.equals(f.path("room").asText())
                && userId.equals(f.path("user").path("id").asText());
    }

    /** Sends and returns the ack's id; fails on an error. */
    static String say(WsTestClient c, String room, String text, String ref) {
        JsonNode answer = c.say(room, text, ref);
        if (!type(answer, "ack")) {
            throw new AssertionError("expected an ack for " + ref + ", got " + answer);
        }
        return answer.path("id").asText();
    }

    static List<String> ids(JsonNode messages) {
        List<String> ids = new ArrayList<>();
        messages.forEach(m -> ids.add(m.path("id").asText()));
        return ids;
    }

    static List<String> texts(JsonNode messages) {
        List<String> texts = new ArrayList<>();
        messages.forEach(m -> texts.add(m.path("text").asText()));
        return texts;
    }
}
