package io.parley.chat.broker;

import io.parley.chat.model.ControlEvent;
import io.parley.chat.model.RoomEvent;

/**
 * Receives what the broker delivers. Called on a thread the broker owns (never a Redis I/O thread); must not block
 * for long: fan-out only enqueues.
 */
public interface BrokerListener {

    /** An event of a room this instance subscribed to, from any instance (this one included). */
    void onRoomEvent(RoomEvent event);

    /** A cluster-wide control event, from any instance (this one included). */
    void onControl(ControlEvent event);
}
