package io.parley.chat.broker;

import java.time.Clock;
import java.time.Duration;

/** The broker contract against the in-memory broker (single instance). */
class MemoryBrokerTest extends BrokerContract {

    @Override
    protected Broker create(int retainedPerRoom, Duration refWindow) {
        return new MemoryBroker(retainedPerRoom, refWindow, Clock.systemUTC(), OutboxSink.NONE);
    }
}
