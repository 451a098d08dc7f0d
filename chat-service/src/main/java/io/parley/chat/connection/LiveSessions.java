package io.parley.chat.connection;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.parley.chat.core.LocalSessions;

/**
 * Every chat socket of this instance by id, with how many each user has and how many are admitted (authenticated and
 * within the per-user limit). Created before anything else of an instance and shared, so that no part needs another
 * to be built first: the core disconnects users through it, presence reports {@link #admitted()} to the cluster, the
 * {@link ConnectionRegistry} adds and removes sessions. Thread-safe; the counts are exact at every moment.
 */
public final class LiveSessions implements LocalSessions {

    private final Map<String, Session> all = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> perUser = new ConcurrentHashMap<>();
    private final AtomicInteger admitted = new AtomicInteger();

    /** Authenticated sockets on this instance. */
    public int admitted() {
        return admitted.get();
    }

    /** Sockets currently open, authenticated or not. */
    public int open() {
        return all.size();
    }

    @Override
    public void disconnectUser(String userId, String reason) {
        for (Session c : all.values()) {
            if (c.principal() != null && userId.equals(c.user().id())) {
                c.closeWith(CloseCodes.DISCONNECTED, reason, true);
            }
        }
    }

    void opened(Session c) {
        all.put(c.connectionId(), c);
    }

    /** Counts an authenticated socket against its user's limit; false when the user already has {@code max}. */
    boolean admit(Session c, int max) {
        AtomicInteger n = perUser.computeIfAbsent(c.user().id(), id -> new AtomicInteger());
        if (n.incrementAndGet() > max) {
            n.decrementAndGet();
            return false;
        }
        admitted.incrementAndGet();
        c.markAdmitted();
        return true;
    }

    void closed(Session c) {
        if (all.remove(c.connectionId()) != null && c.admitted()) {
            admitted.decrementAndGet();
            perUser.computeIfPresent(c.user().id(), (id, n) -> n.decrementAndGet() <= 0 ? null : n);
        }
    }

    /** A live view of the open sessions, for the sweep, the drain and the close. */
    Collection<Session> all() {
        return all.values();
    }
}
