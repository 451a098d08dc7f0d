package io.parley.chat.broker;

import java.util.List;

import io.parley.chat.model.ChatMessage;

/**
 * Messages of a room, oldest first.
 *
 * @param complete true when no message of the range asked for was lost to retention: none after the cursor (without
 *                 a cursor: none the room ever had) was trimmed away. A page cut short only by the limit is complete.
 * @param more     true when retained messages follow the page (page on with the last id); always false without a
 *                 cursor, since that page ends with the newest message
 */
public record History(List<ChatMessage> messages, boolean complete, boolean more) {
}
