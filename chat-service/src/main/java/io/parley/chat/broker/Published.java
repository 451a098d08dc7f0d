package io.parley.chat.broker;

import io.parley.chat.model.ChatMessage;

/** The outcome of {@link Broker#append}: the stored message, and whether it had been stored before (idempotent). */
public record Published(ChatMessage message, boolean duplicate) {
}
