package io.parley.chat.model;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A message accepted into a room. Its JSON form is the wire {@code message} frame without {@code type}, and the
 * element of the history posts to the monolith.
 *
 * @param id   cluster-unique, increasing within the room (see {@link MessageId})
 * @param user the author, or {@code null} for a system message
 * @param ts   acceptance time, epoch milliseconds
 * @param kind {@code "user"} or {@code "system"}
 * @param ref  the client's idempotency reference, when it gave one
 * @param meta free-form data from the server API, when given
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatMessage(String id, String room, @JsonInclude(JsonInclude.Include.ALWAYS) User user, String text,
                          long ts, String kind, String ref, Map<String, Object> meta) {

    public static final String KIND_USER = "user";
    public static final String KIND_SYSTEM = "system";
}
