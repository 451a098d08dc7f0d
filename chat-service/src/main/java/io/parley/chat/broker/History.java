package io.parley.chat.broker;

import java.util.List;

import io.parley.chat.model.ChatMessage;

/**
 * Messages of a room, oldest first.
 *
 * @param complete true when nothing the caller asked for is missing: no message after the cursor (or, without a
 *                 cursor, no message the room ever had) was trimmed away or cut off by the limit
 */
public record History(List<ChatMessage> messages, boolean complete) {
}
