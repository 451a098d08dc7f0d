package io.parley.chat.broker;

import java.util.List;
import java.util.Optional;

import io.parley.chat.model.ChatMessage;
import io.parley.chat.model.MessageId;

/**
 * Messages of a room, oldest first.
 *
 * @param complete true when no message of the range asked for was lost to retention: none after the cursor (without
 *                 a cursor: none the room ever had) was trimmed away. A page cut short only by the limit is complete.
 * @param more     true when retained messages follow the page (page on with the last id); always false without a
 *                 cursor, since that page ends with the newest message
 */
public record History(List<ChatMessage> messages, boolean complete, boolean more) {

    /**
     * A page, with {@code complete} by the one rule every broker follows: nothing newer than the cursor (without a
     * cursor: nothing at all) is gone.
     *
     * @param newestGone the newest id no longer retained (trimmed or deleted), {@link MessageId#NONE} if none
     */
    public static History page(List<ChatMessage> messages, MessageId newestGone, Optional<MessageId> cursor,
                               boolean more) {
        return new History(List.copyOf(messages), newestGone.compareTo(cursor.orElse(MessageId.NONE)) <= 0, more);
    }
}
