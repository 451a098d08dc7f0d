package io.parley.chat.api;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.chat.model.MessageId;
import io.parley.chat.model.Ref;
import io.parley.chat.model.RoomName;
import io.parley.chat.model.Text;
import io.parley.chat.model.UserId;
import io.parley.chat.model.User;
import io.parley.chat.protocol.Json;

/**
 * Reads and validates what the monolith sends: JSON bodies, path segments and query values. Every failure is a 400
 * {@link ApiException} that names the field, raised before anything is changed.
 */
final class RequestBodies {

    /** WebSocket close reasons are at most 123 bytes of UTF-8. */
    static final int MAX_REASON_BYTES = 123;

    /** A validated {@code POST /rooms/{room}/messages} body. */
    record Publish(String text, Optional<User> user, Optional<Map<String, Object>> meta, Optional<String> ref) {
    }

    /** A validated {@code POST /users/{id}/disconnect} body. */
    record Disconnect(String reason, boolean revoke) {
    }

    private final int maxTextChars;

    RequestBodies(int maxTextChars) {
        this.maxTextChars = maxTextChars;
    }

    static String room(String room) {
        if (!RoomName.isValid(room)) {
            throw ApiException.badRequest(RoomName.PROBLEM);
        }
        return room;
    }

    static String userId(String id) {
        if (!UserId.isValid(id)) {
            throw ApiException.badRequest("invalid user id: " + UserId.PROBLEM);
        }
        return id;
    }

    Publish publish(byte[] body) {
        ObjectNode node = object(body, false);
        JsonNode text = node.get("text");
        if (text == null || !text.isTextual() || text.textValue().isBlank()) {
            throw ApiException.badRequest("missing field 'text' (a non-empty string)");
        }
        String value = text.textValue();
        if (Text.length(value) > maxTextChars) {
            throw ApiException.badRequest("'text' is longer than " + maxTextChars + " characters");
        }
        Optional<User> user = absent(node.get("user")) ? Optional.empty() : Optional.of(user(node.get("user")));
        Optional<Map<String, Object>> meta = Optional.empty();
        if (!absent(node.get("meta"))) {
            if (!node.get("meta").isObject()) {
                throw ApiException.badRequest("'meta' must be a JSON object");
            }
            meta = Optional.of(Json.MAPPER.convertValue(node.get("meta"), new TypeReference<Map<String, Object>>() {
            }));
        }
        Optional<String> ref = Optional.empty();
        if (!absent(node.get("ref"))) {
            JsonNode r = node.get("ref");
            if (!r.isTextual() || !Ref.isValid(r.textValue())) {
                throw ApiException.badRequest(Ref.PROBLEM);
            }
            ref = Optional.of(r.textValue());
        }
        return new Publish(value, user, meta, ref);
    }

    Disconnect disconnect(byte[] body) {
        ObjectNode node = object(body, true);
        String reason = "disconnected by the application";
        if (!absent(node.get("reason"))) {
            JsonNode r = node.get("reason");
            if (!r.isTextual() || r.textValue().getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES) {
                throw ApiException.badRequest("'reason' must be a string of at most " + MAX_REASON_BYTES
                        + " bytes (a WebSocket close reason)");
            }
            reason = r.textValue();
        }
        boolean revoke = false;
        if (!absent(node.get("revoke"))) {
            if (!node.get("revoke").isBoolean()) {
                throw ApiException.badRequest("'revoke' must be true or false");
            }
            revoke = node.get("revoke").booleanValue();
        }
        return new Disconnect(reason, revoke);
    }

    /** The {@code ids} of a replay: empty for "all of them". */
    Optional<Set<String>> replayIds(byte[] body) {
        ObjectNode node = object(body, true);
        if (absent(node.get("ids"))) {
            return Optional.empty();
        }
        if (!node.get("ids").isArray()) {
            throw ApiException.badRequest("'ids' must be a list of message ids");
        }
        Set<String> ids = new LinkedHashSet<>();
        for (JsonNode id : node.get("ids")) {
            if (!id.isTextual()) {
                throw ApiException.badRequest("'ids' must be a list of message ids");
            }
            ids.add(id.textValue());
        }
        return Optional.of(ids);
    }

    static Optional<String> since(Optional<String> since) {
        since.ifPresent(s -> {
            try {
                MessageId.parse(s);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("'since' is not a message id");
            }
        });
        return since;
    }

    static int limit(Optional<String> limit, int defaultLimit, int max) {
        if (limit.isEmpty()) {
            return defaultLimit;
        }
        try {
            int n = Integer.parseInt(limit.get());
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badRequest("'limit' must be a whole number from 1 to " + max);
    }

    private static User user(JsonNode user) {
        if (!user.isObject()) {
            throw ApiException.badRequest("'user' must be an object {\"id\":\"…\",\"name\":\"…\"}");
        }
        JsonNode id = user.get("id");
        String idText;
        if (id != null && id.isTextual()) {
            idText = id.textValue();
        } else if (id != null && id.isIntegralNumber()) {
            idText = id.bigIntegerValue().toString(); // as for the sub claim: a number is read as its digits
        } else {
            throw ApiException.badRequest("'user.id' must be a string or a whole number");
        }
        if (!UserId.isValid(idText)) {
            throw ApiException.badRequest("'user.id': " + UserId.PROBLEM);
        }
        JsonNode name = user.get("name");
        if (absent(name)) {
            return new User(idText, idText);
        }
        if (!name.isTextual() || name.textValue().isBlank() || Text.length(name.textValue()) > User.MAX_NAME_LENGTH) {
            throw ApiException.badRequest("'user.name' must be a string of 1 to " + User.MAX_NAME_LENGTH
                    + " characters");
        }
        return new User(idText, name.textValue());
    }

    /** The body as a JSON object; an empty body is {@code {}} where {@code emptyAllowed}. */
    private static ObjectNode object(byte[] body, boolean emptyAllowed) {
        if (body.length == 0 || new String(body, StandardCharsets.UTF_8).isBlank()) {
            if (emptyAllowed) {
                return Json.MAPPER.createObjectNode();
            }
            throw ApiException.badRequest("the body must be a JSON object");
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("the body is not valid JSON");
        } catch (java.io.IOException e) {
            throw ApiException.badRequest("the body cannot be read");
        }
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object");
        }
        return (ObjectNode) node;
    }

    private static boolean absent(JsonNode node) {
        return node == null || node.isNull();
    }

    /**
     * One raw path segment percent-decoded as UTF-8 (a {@code +} stays a plus). A malformed escape ({@code %zz}, a
     * truncated {@code %e0%a4}) or bytes that are not UTF-8 are a 400, never a replacement character that would name
     * another room or user.
     */
    static String segment(String raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '%') {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
            int lo = hi >= 0 ? Character.digit(raw.charAt(i + 2), 16) : -1;
            if (lo < 0) {
                throw ApiException.badRequest("the path has a malformed percent-escape");
            }
            bytes.write(hi * 16 + lo);
            i += 2;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest("the path is not UTF-8 once percent-decoded");
        }
    }
}
