package io.parley.chat.protocol;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.parley.chat.model.ChatMessage;
import io.parley.chat.model.User;

/** A frame the server sends; {@code type} is written first from the record's type name. Null fields are omitted. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
public sealed interface ServerFrame {

    @JsonTypeName("welcome")
    record Welcome(String connection, User user, long expires, long heartbeat, WelcomeLimits limits)
            implements ServerFrame {
    }

    /**
     * What this server enforces (contract v1.1), so that clients need not copy the defaults. {@code frameBytes} and
     * {@code roomPattern} are Parley's additions.
     */
    record WelcomeLimits(int text, int rooms, int rate, int burst, int frameBytes, String roomPattern) {
    }

    /**
     * {@code memberCount} is set only for rooms above the presence list limit; {@code more} is {@code true} when
     * retained messages follow {@code history} (resume again with its last id), and absent otherwise.
     */
    @JsonTypeName("joined")
    record Joined(String room, List<User> members, List<ChatMessage> history, boolean complete, Boolean more,
                  Integer memberCount, String ref) implements ServerFrame {
    }

    @JsonTypeName("left")
    record Left(String room, String ref) implements ServerFrame {
    }

    @JsonTypeName("ack")
    record Ack(String ref, String id, long ts) implements ServerFrame {
    }

    @JsonTypeName("message")
    record Message(@JsonUnwrapped ChatMessage message) implements ServerFrame {
    }

    /** {@code event} is join, leave or count; {@code user} for join/leave, {@code count} for count. */
    @JsonTypeName("presence")
    record Presence(String room, String event, User user, Integer count) implements ServerFrame {
    }

    @JsonTypeName("typing")
    record Typing(String room, User user) implements ServerFrame {
    }

    @JsonTypeName("refreshed")
    record Refreshed(long expires, String ref) implements ServerFrame {
    }

    @JsonTypeName("pong")
    record Pong(String ref) implements ServerFrame {
    }

    @JsonTypeName("error")
    record Error(String code, String message, String ref, String room) implements ServerFrame {
    }
}
