package io.parley.chat.outbox;

import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.chat.protocol.Json;

/**
 * A message the monolith refused.
 *
 * @param id          the message id
 * @param messageJson the message exactly as it was posted
 * @param status      the HTTP status of the refusal
 * @param error       what the monolith answered, shortened
 */
public record DeadLetter(String id, String messageJson, int status, String error) {

    /** From a refused outbox entry of the history. */
    public static DeadLetter of(Refused refused) {
        return new DeadLetter(messageId(refused.entry().json()), refused.entry().json(), refused.status(),
                refused.error());
    }

    /** The form the server API lists: the message plus {@code status} and {@code error}. */
    public ObjectNode toJson() {
        try {
            ObjectNode node = (ObjectNode) Json.MAPPER.readTree(messageJson);
            node.put("status", status);
            node.put("error", error);
            return node;
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String messageId(String messageJson) {
        try {
            return Json.MAPPER.readTree(messageJson).path("id").asText();
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
