package io.parley.chat.broker;

import java.util.Map;
import java.util.Optional;

import io.parley.chat.model.User;

/**
 * A message to accept into a room.
 *
 * @param dedupeKey idempotency key: a second draft with the same key in the same room, within the ref window,
 *                  returns the first message instead of a new one (e.g. {@code u:<userId>:<ref>})
 */
public record MessageDraft(String room, Optional<User> user, String text, String kind, Optional<String> ref,
                           Optional<Map<String, Object>> meta, Optional<String> dedupeKey) {
}
