package io.parley.chat.api;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.chat.model.ChatMessage;

/** The bodies the server API answers with (protocol §2), serialized by Jackson field by field as declared. */
final class Responses {

    /** {@code 201} to {@code POST /rooms/{room}/messages}. */
    record Created(String id, long ts) {
    }

    /** {@code 200} to {@code GET /rooms/{room}/messages}; {@code complete} and {@code more} as in History. */
    record HistoryPage(String room, List<ChatMessage> messages, boolean complete, boolean more) {
    }

    /** {@code 200} to {@code GET /rooms/{room}/presence}. */
    record Presence(String room, List<Member> members) {
    }

    /** One member of a room: a user with its number of open connections. */
    record Member(String id, String name, int connections) {
    }

    /** {@code 202} to {@code POST /users/{id}/disconnect}. */
    record Disconnected(String user, boolean revoked) {
    }

    /** {@code 200} to {@code GET /stats}. */
    record Stats(long connections, long rooms, int instances) {
    }

    /** {@code 200} to {@code GET /dead-letters}: each message as posted plus {@code status} and {@code error}. */
    record DeadLetterList(List<ObjectNode> messages) {
    }

    /** {@code 202} to {@code POST /dead-letters/replay}. */
    record Replayed(int replayed) {
    }

    /** Every error: a stable code and a message safe to show (never a secret or a signature). */
    record Error(String error, String message) {
    }

    private Responses() {
    }
}
