package io.parley.chat.outbox;

import java.util.List;

/** Where {@link MembershipReporter} puts serialized events: the events outbox (memory queue or Redis stream). */
@FunctionalInterface
public interface EventQueue {

    /** Queues the events in order; throws when they cannot be stored. */
    void add(List<String> eventsJson);
}
