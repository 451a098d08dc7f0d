package io.parley.chat.protocol;

import java.util.Optional;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.parley.chat.model.MessageId;
import io.parley.chat.model.Ref;
import io.parley.chat.model.RoomName;
import io.parley.chat.model.Text;

/**
 * Client frame text to {@link ClientFrame}, {@link ServerFrame} to text. Decoding is strict about the fields a frame
 * needs (type, shape, room syntax, sizes) and ignores unknown extra fields, so newer widgets keep working.
 */
public final class FrameCodec {

    static final int MAX_TOKEN = 8192;
    private static final ObjectWriter WRITER = Json.MAPPER.writerFor(ServerFrame.class);

    private final int maxTextChars;

    /** @param maxTextChars longest accepted message text, in characters (code points) */
    public FrameCodec(int maxTextChars) {
        this.maxTextChars = maxTextChars;
    }

    public String encode(ServerFrame frame) {
        try {
            return WRITER.writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + frame.getClass().getSimpleName(), e);
        }
    }

    /** The frame as UTF-8 JSON: what goes into a WebSocket text frame, encoded once however many receive it. */
    public byte[] encodeUtf8(ServerFrame frame) {
        try {
            return WRITER.writeValueAsBytes(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + frame.getClass().getSimpleName(), e);
        }
    }

    public ClientFrame decode(String text) throws ProtocolException {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(text);
        } catch (JacksonException e) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "malformed JSON");
        }
        if (node == null || !node.isObject()) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "a frame must be a JSON object");
        }
        Optional<String> ref = ref(node);
        JsonNode type = node.get("type");
        if (type == null || !type.isTextual()) {
            throw bad("missing field 'type'", ref, Optional.empty());
        }
        return switch (type.textValue()) {
            case "auth" -> new ClientFrame.Auth(token(node, ref), ref);
            case "refresh" -> new ClientFrame.Refresh(token(node, ref), ref);
            case "join" -> {
                String room = room(node, ref);
                yield new ClientFrame.Join(room, since(node, ref, room), ref);
            }
            case "leave" -> new ClientFrame.Leave(room(node, ref), ref);
            case "send" -> {
                String room = room(node, ref);
                yield new ClientFrame.Send(room, text(node, ref, room), ref);
            }
            case "typing" -> new ClientFrame.Typing(room(node, ref), ref);
            case "ping" -> new ClientFrame.Ping(ref);
            default -> throw bad("unknown type '" + abbreviate(type.textValue()) + "'", ref, Optional.empty());
        };
    }

    private static Optional<String> ref(JsonNode node) throws ProtocolException {
        JsonNode ref = node.get("ref");
        if (ref == null || ref.isNull()) {
            return Optional.empty();
        }
        if (!ref.isTextual() || !Ref.isValid(ref.textValue())) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, Ref.PROBLEM);
        }
        return Optional.of(ref.textValue());
    }

    private static String token(JsonNode node, Optional<String> ref) throws ProtocolException {
        JsonNode token = node.get("token");
        if (token == null || !token.isTextual() || token.textValue().isEmpty()) {
            throw bad("missing field 'token'", ref, Optional.empty());
        }
        if (token.textValue().length() > MAX_TOKEN) {
            throw new ProtocolException(ErrorCode.TOO_LARGE, "token longer than " + MAX_TOKEN + " characters", ref,
                    Optional.empty());
        }
        return token.textValue();
    }

    private static String room(JsonNode node, Optional<String> ref) throws ProtocolException {
        JsonNode room = node.get("room");
        if (room == null || !room.isTextual()) {
            throw bad("missing field 'room'", ref, Optional.empty());
        }
        if (!RoomName.isValid(room.textValue())) {
            throw bad(RoomName.PROBLEM, ref, Optional.empty());
        }
        return room.textValue();
    }

    private static Optional<String> since(JsonNode node, Optional<String> ref, String room) throws ProtocolException {
        JsonNode since = node.get("since");
        if (since == null || since.isNull()) {
            return Optional.empty();
        }
        if (!since.isTextual()) {
            throw bad("'since' must be a message id", ref, Optional.of(room));
        }
        try {
            MessageId.parse(since.textValue());
        } catch (IllegalArgumentException e) {
            throw bad("'since' is not a message id", ref, Optional.of(room));
        }
        return Optional.of(since.textValue());
    }

    private String text(JsonNode node, Optional<String> ref, String room) throws ProtocolException {
        JsonNode text = node.get("text");
        if (text == null || !text.isTextual() || text.textValue().isBlank()) {
            throw bad("missing field 'text'", ref, Optional.of(room));
        }
        String value = text.textValue();
        if (Text.length(value) > maxTextChars) {
            throw new ProtocolException(ErrorCode.TOO_LARGE, "text longer than " + maxTextChars + " characters", ref,
                    Optional.of(room));
        }
        return value;
    }

    private static ProtocolException bad(String message, Optional<String> ref, Optional<String> room) {
        return new ProtocolException(ErrorCode.BAD_REQUEST, message, ref, room);
    }

    private static String abbreviate(String s) {
        return s.length() <= 32 ? s : s.substring(0, 32) + "…";
    }
}
