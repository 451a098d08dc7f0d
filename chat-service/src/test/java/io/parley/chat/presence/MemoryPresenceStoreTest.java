package io.parley.chat.presence;

import java.util.concurrent.atomic.AtomicInteger;

/** The presence contract against the in-memory store (single instance). */
class MemoryPresenceStoreTest extends PresenceStoreContract {

    @Override
    protected PresenceStore create(String instanceId, AtomicInteger connections) {
        return new MemoryPresenceStore(connections::get);
    }
}
