package io.parley.chat.redis;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.chat.model.ChatMessage;
import io.parley.chat.model.ControlEvent;
import io.parley.chat.model.MessageId;
import io.parley.chat.model.RoomEvent;
import io.parley.chat.model.User;
import io.parley.chat.protocol.Json;

/**
 * The JSON that travels between instances through Redis (internal, not the client wire format):
 * <pre>
 * {"type":"posted","message":{ChatMessage}}            written by append.lua
 * {"type":"presence","room":"r","event":"join","user":{..}}
 * {"type":"typing","room":"r","user":{..}}
 * {"type":"disconnect","userId":"42","reason":".."}   on the control channel
 * </pre>
 * Room log entries hold the message JSON without {@code id} and {@code ts}: both are derived from the entry id.
 */
public final class WireEvents {

    private WireEvents() {
    }

    /** The room log form of a message: its JSON without {@code id} and {@code ts}. */
    public static String logEntry(ChatMessage message) {
        ObjectNode node = Json.MAPPER.valueToTree(message);
        node.remove("id");
        node.remove("ts");
        return node.toString();
    }

    /** A message read back from the room log, with the id and ts of its stream entry. */
    public static ChatMessage fromLogEntry(String room, String streamId, String json) {
        ChatMessage m = read(json, ChatMessage.class);
        MessageId id = MessageId.parse(streamId);
        return new ChatMessage(id.format(room), room, m.user(), m.text(), id.millis(), m.kind(), m.ref(), m.meta());
    }

    public static String encode(RoomEvent event) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        switch (event) {
            case RoomEvent.Posted p -> node.put("type", "posted").set("message", Json.MAPPER.valueToTree(p.message()));
            case RoomEvent.PresenceChanged p -> {
                node.put("type", "presence").put("room", p.room()).put("event", p.event());
                node.set("user", Json.MAPPER.valueToTree(p.user()));
            }
            case RoomEvent.Typing t -> {
                node.put("type", "typing").put("room", t.room());
                node.set("user", Json.MAPPER.valueToTree(t.user()));
            }
            case RoomEvent.MemberCount c -> node.put("type", "count").put("room", c.room()).put("count", c.count());
        }
        return node.toString();
    }

    /**
     * @throws IllegalArgumentException when the payload is not a room event
     */
    public static RoomEvent decodeRoomEvent(String payload) {
        JsonNode node = tree(payload);
        try {
            return switch (node.path("type").asText()) {
                case "posted" -> new RoomEvent.Posted(Json.MAPPER.treeToValue(node.get("message"), ChatMessage.class));
                case "presence" -> new RoomEvent.PresenceChanged(node.path("room").asText(),
                        node.path("event").asText(), Json.MAPPER.treeToValue(node.get("user"), User.class));
                case "typing" -> new RoomEvent.Typing(node.path("room").asText(),
                        Json.MAPPER.treeToValue(node.get("user"), User.class));
                case "count" -> new RoomEvent.MemberCount(node.path("room").asText(), node.path("count").asInt());
                default -> throw new IllegalArgumentException("unknown room event " + node.path("type").asText());
            };
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed room event", e);
        }
    }

    public static String encode(ControlEvent event) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        switch (event) {
            case ControlEvent.DisconnectUser d -> node.put("type", "disconnect").put("userId", d.userId())
                    .put("reason", d.reason());
        }
        return node.toString();
    }

    /**
     * @throws IllegalArgumentException when the payload is not a control event
     */
    public static ControlEvent decodeControl(String payload) {
        JsonNode node = tree(payload);
        if ("disconnect".equals(node.path("type").asText()) && node.hasNonNull("userId")) {
            return new ControlEvent.DisconnectUser(node.get("userId").asText(), node.path("reason").asText(""));
        }
        throw new IllegalArgumentException("unknown control event " + node.path("type").asText());
    }

    /** The user JSON stored in presence hashes. */
    public static String encode(User user) {
        try {
            return Json.MAPPER.writeValueAsString(user);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static User decodeUser(String json) {
        return read(json, User.class);
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return Json.MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed " + type.getSimpleName() + " JSON", e);
        }
    }

    private static JsonNode tree(String payload) {
        try {
            return Json.MAPPER.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed event JSON", e);
        }
    }
}
