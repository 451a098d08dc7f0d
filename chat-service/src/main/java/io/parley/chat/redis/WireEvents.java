package io.parley.chat.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.core.JsonProcessingException;
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
 * {"type":"count","room":"r","count":1200}
 * {"type":"disconnect","userId":"42","reason":".."}   on the control channel
 * </pre>
 * Each form is a record below, written and read by Jackson; a room channel reads only room forms and the control
 * channel only control forms. Room log entries hold the message JSON without {@code id} and {@code ts}: both are
 * derived from the entry id.
 */
public final class WireEvents {

    /** What a room channel carries. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({@JsonSubTypes.Type(Posted.class), @JsonSubTypes.Type(Presence.class),
            @JsonSubTypes.Type(Typing.class), @JsonSubTypes.Type(Count.class)})
    sealed interface RoomWire {
    }

    @JsonTypeName("posted")
    record Posted(ChatMessage message) implements RoomWire {
        Posted {
            Objects.requireNonNull(message, "message");
        }
    }

    @JsonTypeName("presence")
    record Presence(String room, String event, User user) implements RoomWire {
        Presence {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(user, "user");
        }
    }

    @JsonTypeName("typing")
    record Typing(String room, User user) implements RoomWire {
        Typing {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(user, "user");
        }
    }

    @JsonTypeName("count")
    record Count(String room, int count) implements RoomWire {
        Count {
            Objects.requireNonNull(room, "room");
        }
    }

    /** What the control channel carries. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes(@JsonSubTypes.Type(Disconnect.class))
    sealed interface ControlWire {
    }

    /** {@code reason} may be absent (read as empty). */
    @JsonTypeName("disconnect")
    record Disconnect(String userId, String reason) implements ControlWire {
        Disconnect {
            Objects.requireNonNull(userId, "userId");
            reason = Objects.requireNonNullElse(reason, "");
        }
    }

    /** A room log entry: the message without the two fields its stream id gives. */
    private record LogEntry(@JsonUnwrapped @JsonIgnoreProperties({"id", "ts"}) ChatMessage message) {
    }

    private WireEvents() {
    }

    /** The room log form of a message: its JSON without {@code id} and {@code ts}. */
    public static String logEntry(ChatMessage message) {
        return write(new LogEntry(message));
    }

    /** A message read back from the room log, with the id and ts of its stream entry. */
    public static ChatMessage fromLogEntry(String room, String streamId, String json) {
        ChatMessage m = read(json, ChatMessage.class);
        MessageId id = MessageId.parse(streamId);
        return new ChatMessage(id.format(room), room, m.user(), m.text(), id.millis(), m.kind(), m.ref(), m.meta());
    }

    public static String encode(RoomEvent event) {
        return write(switch (event) {
            case RoomEvent.Posted p -> new Posted(p.message());
            case RoomEvent.PresenceChanged p -> new Presence(p.room(), p.event(), p.user());
            case RoomEvent.Typing t -> new Typing(t.room(), t.user());
            case RoomEvent.MemberCount c -> new Count(c.room(), c.count());
        });
    }

    /**
     * @throws IllegalArgumentException when the payload is not a room event
     */
    public static RoomEvent decodeRoomEvent(String payload) {
        return switch (read(payload, RoomWire.class)) {
            case Posted p -> new RoomEvent.Posted(p.message());
            case Presence p -> new RoomEvent.PresenceChanged(p.room(), p.event(), p.user());
            case Typing t -> new RoomEvent.Typing(t.room(), t.user());
            case Count c -> new RoomEvent.MemberCount(c.room(), c.count());
        };
    }

    public static String encode(ControlEvent event) {
        return write(switch (event) {
            case ControlEvent.DisconnectUser d -> new Disconnect(d.userId(), d.reason());
        });
    }

    /**
     * @throws IllegalArgumentException when the payload is not a control event
     */
    public static ControlEvent decodeControl(String payload) {
        return switch (read(payload, ControlWire.class)) {
            case Disconnect d -> new ControlEvent.DisconnectUser(d.userId(), d.reason());
        };
    }

    /** The user JSON stored in presence hashes. */
    public static String encode(User user) {
        return write(user);
    }

    public static User decodeUser(String json) {
        return read(json, User.class);
    }

    private static String write(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            T value = Json.MAPPER.readValue(json, type);
            if (value == null) {
                throw new IllegalArgumentException("no " + type.getSimpleName() + " in " + json.length() + " chars");
            }
            return value;
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed " + type.getSimpleName() + " JSON", e);
        }
    }
}
