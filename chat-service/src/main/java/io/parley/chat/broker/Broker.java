package io.parley.chat.broker;

import java.util.Optional;

import io.parley.chat.model.ControlEvent;
import io.parley.chat.model.RoomEvent;

/**
 * Port: the room message log and the cluster-wide fan-out.
 *
 * <p>Guarantees every implementation must keep (checked by the shared contract test):
 * <ul>
 *   <li>{@link #append} returns only once the message is durably stored in the room history and (when enabled) the
 *   outbox, in one step: a caller may acknowledge it. It throws {@link BrokerUnavailableException} when it cannot,
 *   having stored nothing.</li>
 *   <li>Ids increase strictly within a room and are unique across rooms and instances.</li>
 *   <li>Idempotency: a draft whose dedupe key was seen in the room within the ref window returns the original
 *   message with {@code duplicate=true}, and is neither stored nor published again.</li>
 *   <li>Each new message is then published as {@link RoomEvent.Posted} to every instance subscribed to the room.
 *   Live delivery is at-most-once and ordered per room from one publisher; a subscriber that misses events
 *   recovers them with {@link #history} and a cursor.</li>
 *   <li>{@link #emit} and {@link #broadcast} are best-effort and not stored.</li>
 * </ul>
 * Implementations are thread-safe.
 */
public interface Broker extends AutoCloseable {

    /** Starts delivery to the listener; called once, before any subscribe. */
    void start(BrokerListener listener);

    Published append(MessageDraft draft);

    /**
     * Retained messages of a room, oldest first: without {@code since} the last {@code limit}; with it, the first
     * {@code limit} after it.
     */
    History history(String room, Optional<String> since, int limit);

    /** Publishes an ephemeral event (presence, typing) to the instances subscribed to its room. */
    void emit(RoomEvent event);

    /** Publishes a control event to every instance. */
    void broadcast(ControlEvent event);

    /** Starts receiving the room's events on this instance. Idempotent. */
    void subscribe(String room);

    /** Stops receiving the room's events on this instance. Idempotent. */
    void unsubscribe(String room);

    /** Whether appends can currently succeed (readiness). */
    boolean available();

    @Override
    void close();
}
