package io.parley.chat.outbox;

/**
 * One entry waiting for the monolith.
 *
 * @param stream  where the store keeps it (a Redis stream key; empty in memory)
 * @param entryId the store's id of the entry (a Redis stream id; a sequence number in memory)
 * @param json    the element as posted: a message or an event, already serialized
 */
public record OutboxEntry(String stream, String entryId, String json) {
}
