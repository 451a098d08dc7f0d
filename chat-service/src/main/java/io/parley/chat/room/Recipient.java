package io.parley.chat.room;

import io.parley.chat.model.MessageId;
import io.parley.chat.model.User;

/** A local socket as rooms see it. */
public interface Recipient {

    String connectionId();

    User user();

    /**
     * Queues an encoded frame (UTF-8 JSON, shared by every recipient of the event: never modified) of a room; never
     * blocks. {@code cursor} is the message id for {@code message} frames (so a recipient can drop what it already
     * got through history), {@code null} for other events. {@code sampleSince} is non-zero on the one recipient per
     * message chosen to measure delivery: when the message was accepted (epoch millis).
     */
    void deliver(String room, MessageId cursor, byte[] frame, long sampleSince);
}
