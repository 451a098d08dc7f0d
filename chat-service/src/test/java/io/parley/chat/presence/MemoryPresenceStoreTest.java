package io.parley.chat.presence;

import java.util.concurrent.atomic.AtomicInteger;

/** The presence contract against the in-memory store (single instance). */
class MemoryPresenceStoreTest extends PresenceStoreContract {

    @Override
    protected PresenceStore create(String instanceId, AtomicInteger connections) {
        return new MemoryPresenceStore(connections::get);
    }

    @Override
    protected boolean shared() {
        return false;
    }

    @Override
    protected void kill(PresenceStore store) {
        throw new UnsupportedOperationException("a single instance has no survivors");
    }

    @Override
    protected boolean evictionFinished(String instanceId) {
        throw new UnsupportedOperationException("a single instance has no survivors");
    }
}
