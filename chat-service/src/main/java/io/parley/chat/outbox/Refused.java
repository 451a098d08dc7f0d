package io.parley.chat.outbox;

/**
 * An entry the monolith refused on its own (a 4xx other than 408/429 for a batch of just this entry).
 *
 * @param status the HTTP status of the refusal
 * @param error  what the monolith said, shortened
 */
public record Refused(OutboxEntry entry, int status, String error) {
}
