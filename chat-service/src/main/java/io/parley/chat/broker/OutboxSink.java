package io.parley.chat.broker;

import io.parley.chat.model.ChatMessage;

/**
 * Where an in-memory broker hands each newly accepted message for delivery to the monolith, inside the same step
 * that stores it (the Redis broker writes its outbox stream in its own atomic script instead).
 */
@FunctionalInterface
public interface OutboxSink {

    OutboxSink NONE = message -> { };

    void accepted(ChatMessage message);
}
