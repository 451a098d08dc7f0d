package io.parley.chat.connection;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.helidon.websocket.WsListener;
import io.parley.chat.ChatNode;
import io.parley.chat.LocalSessions;
import io.parley.chat.observe.ParleyMetrics;
import io.parley.chat.protocol.ErrorCode;
import io.parley.chat.protocol.ServerFrame;

/**
 * Every socket of this instance: creates them, counts them per user, and sweeps them once a second (auth timeout,
 * token expiry, heartbeat pings, silent peers, stuck closes). Helidon does not report a peer that vanished without a
 * close frame, so the sweep is what removes it. Also closes everything on drain.
 */
public final class ConnectionRegistry implements LocalSessions, AutoCloseable {

    private static final long STUCK_CLOSE_MS = 5_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ChatNode node;
    private final ParleyMetrics metrics;
    private final OriginPolicy origins;
    private final Duration authTimeout;
    private final Duration heartbeat;
    private final Duration leeway;
    private final Map<String, Connection> all = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> perUser = new ConcurrentHashMap<>();
    private final AtomicInteger authenticated = new AtomicInteger();
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("parley-sweeper").daemon().factory());
    private volatile boolean accepting = true;

    public ConnectionRegistry(ChatNode node, ParleyMetrics metrics, OriginPolicy origins, Duration authTimeout,
                              Duration heartbeat, Duration leeway) {
        this.node = node;
        this.metrics = metrics;
        this.origins = origins;
        this.authTimeout = authTimeout;
        this.heartbeat = heartbeat;
        this.leeway = leeway;
        metrics.gauge("parley.connections", "Open authenticated sockets on this instance", authenticated::get);
        // Sweep often enough that a silent peer is caught within two heartbeats and pings go out on time.
        long sweepMillis = Math.max(50, Math.min(1_000, heartbeat.toMillis() / 4));
        sweeper.scheduleWithFixedDelay(this::sweep, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
    }

    /** The listener factory for the {@code /ws} route: one {@link Connection} per socket. */
    public Supplier<WsListener> listeners() {
        return () -> new Connection(this, node, newId());
    }

    boolean accepting() {
        return accepting;
    }

    boolean originAllowed(String origin) {
        return origins.allows(origin);
    }

    Duration heartbeat() {
        return heartbeat;
    }

    void opened(Connection c) {
        all.put(c.connectionId(), c);
    }

    /** Counts an authenticated socket against its user's limit; false when the user already has too many. */
    boolean admit(Connection c) {
        AtomicInteger n = perUser.computeIfAbsent(c.user().id(), id -> new AtomicInteger());
        if (n.incrementAndGet() > node.limits().connectionsPerUser()) {
            n.decrementAndGet();
            return false;
        }
        authenticated.incrementAndGet();
        c.markAdmitted();
        return true;
    }

    void closed(Connection c) {
        if (all.remove(c.connectionId()) != null && c.admitted()) {
            authenticated.decrementAndGet();
            perUser.computeIfPresent(c.user().id(), (id, n) -> n.decrementAndGet() <= 0 ? null : n);
        }
    }

    void slowConsumer(Connection c) {
        metrics.slowConsumerClosed();
    }

    @Override
    public void closeUser(String userId, int closeCode, String reason) {
        for (Connection c : all.values()) {
            if (c.principal() != null && userId.equals(c.user().id())) {
                c.closeAfterPending(closeCode, reason);
            }
        }
    }

    @Override
    public int count() {
        return authenticated.get();
    }

    /** Sockets currently open, authenticated or not. */
    public int openSockets() {
        return all.size();
    }

    /**
     * Refuses new sockets and closes the open ones with 1012, spread evenly over the period so that clients do not
     * all reconnect to the other instances at the same moment. Returns when every socket was told.
     */
    public void drain(Duration period) throws InterruptedException {
        accepting = false;
        List<Connection> open = List.copyOf(all.values());
        long gapNanos = open.isEmpty() ? 0 : period.toNanos() / open.size();
        for (Connection c : open) {
            c.closeAfterPending(CloseCodes.SERVICE_RESTART, "service restart");
            if (gapNanos > 0) {
                TimeUnit.NANOSECONDS.sleep(gapNanos);
            }
        }
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        for (Connection c : all.values()) {
            c.terminate();
        }
    }

    private void sweep() {
        long now = System.currentTimeMillis();
        try {
            for (Connection c : all.values()) {
                sweep(c, now);
            }
            node.tick(now);
        } catch (RuntimeException e) {
            System.getLogger(ConnectionRegistry.class.getName()).log(System.Logger.Level.WARNING, "sweep failed", e);
        }
    }

    private void sweep(Connection c, long now) {
        if (c.closingSince() != 0) {
            if (now - c.closingSince() > STUCK_CLOSE_MS) {
                c.terminate();
            }
            return;
        }
        if (c.principal() == null) {
            if (now - c.openedAt() > authTimeout.toMillis()) {
                c.closeAfterPending(CloseCodes.AUTH_TIMEOUT, "auth timeout");
            }
            return;
        }
        if (now > c.expiresAt().plus(leeway).toEpochMilli()) {
            c.send(new ServerFrame.Error(ErrorCode.UNAUTHORIZED.wire(), "token expired", null, null));
            c.closeAfterPending(CloseCodes.UNAUTHORIZED, "token expired");
            return;
        }
        if (now - c.lastSeen() > 2 * heartbeat.toMillis()) {
            c.terminate(); // silent peer: no frame and no pong for two heartbeats
            return;
        }
        if (now - c.lastPing() >= heartbeat.toMillis()) {
            c.ping();
        }
    }

    private static String newId() {
        byte[] bytes = new byte[9];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
