package io.parley.chat.core;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * How many authenticated sockets this instance holds. Created before anything else of an instance and shared: the
 * connection layer counts, presence reports the number to the cluster and metrics expose it, and none of them needs
 * a reference to the others for it. Exact at every moment (an atomic counter); a socket counts from its admission to
 * its close.
 */
public final class LocalConnections implements IntSupplier {

    private final AtomicInteger count = new AtomicInteger();

    public void admitted() {
        count.incrementAndGet();
    }

    public void closed() {
        count.decrementAndGet();
    }

    @Override
    public int getAsInt() {
        return count.get();
    }
}
