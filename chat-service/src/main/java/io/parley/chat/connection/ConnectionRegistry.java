package io.parley.chat.connection;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.parley.chat.core.ChatNode;
import io.parley.chat.connection.websocket.SocketHandler;
import io.parley.chat.connection.websocket.WebSocketEndpoint;
import io.parley.chat.model.RoomName;
import io.parley.chat.observe.ParleyMetrics;
import io.parley.chat.protocol.ErrorCode;
import io.parley.chat.protocol.ServerFrame;

/**
 * Every chat socket of this instance: the {@code /ws} endpoint that creates them, their count per user, and the sweep
 * (auth timeout, token expiry, heartbeat pings, silent peers). The sweep only decides and enqueues: closing a socket
 * queues its close frame and the WebSocket layer cuts the TCP connection if the peer never answers, so no socket can
 * hold the sweeper. A socket whose TCP connection ends is removed by its own reader at once. Also closes everything
 * on drain.
 */
public final class ConnectionRegistry implements WebSocketEndpoint, AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final ChatNode node;
    private final Clock clock;
    private final ParleyMetrics metrics;
    private final OriginPolicy origins;
    private final Duration authTimeout;
    private final Duration heartbeat;
    private final Duration leeway;
    private final LiveSessions sessions;
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("parley-sweeper").daemon().factory());
    private final ServerFrame.WelcomeLimits welcomeLimits;
    private volatile boolean accepting = true;

    /** @param sessions where the sessions opened here are kept, shared with the core and presence */
    public ConnectionRegistry(ChatNode node, LiveSessions sessions, ParleyMetrics metrics, OriginPolicy origins,
                              Duration authTimeout, Duration heartbeat, Duration leeway, Clock clock) {
        this.node = node;
        this.clock = clock;
        this.sessions = sessions;
        this.metrics = metrics;
        this.origins = origins;
        this.authTimeout = authTimeout;
        this.heartbeat = heartbeat;
        this.leeway = leeway;
        this.welcomeLimits = new ServerFrame.WelcomeLimits(node.limits().maxTextChars(),
                node.limits().roomsPerConnection(), node.limits().framesPerSecond(), node.limits().frameBurst(),
                node.limits().maxFrameBytes(), RoomName.RULE);
        metrics.gaugeConnections(sessions::admitted);
        // Sweep often enough that a silent peer is caught within two heartbeats and pings go out on time.
        long sweepMillis = Math.max(50, Math.min(1_000, heartbeat.toMillis() / 4));
        sweeper.scheduleWithFixedDelay(this::sweep, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
    }

    // ---- WebSocketEndpoint ---------------------------------------------------------------------------------------

    @Override
    public String path() {
        return "/ws";
    }

    @Override
    public boolean accepting() {
        return accepting;
    }

    @Override
    public boolean originAllowed(String origin) {
        return origins.allows(origin);
    }

    @Override
    public int maxMessageBytes() {
        return node.limits().maxFrameBytes();
    }

    @Override
    public int outboundQueue() {
        return node.limits().outboundQueue();
    }

    @Override
    public SocketHandler newHandler() {
        return new Session(this, node, newId());
    }

    /** The limits a client is told in {@code welcome}: what this instance enforces. */
    ServerFrame.WelcomeLimits welcomeLimits() {
        return welcomeLimits;
    }

    Duration heartbeat() {
        return heartbeat;
    }

    void opened(Session c) {
        sessions.opened(c);
    }

    /** Counts an authenticated socket against its user's limit; false when the user already has too many. */
    boolean admit(Session c) {
        return sessions.admit(c, node.limits().connectionsPerUser());
    }

    void closed(Session c) {
        sessions.closed(c);
    }

    /** Where sessions read the time for their timeouts and rate windows. */
    Clock clock() {
        return clock;
    }

    ParleyMetrics metrics() {
        return metrics;
    }

    /** Sockets currently open, authenticated or not. */
    public int openSockets() {
        return sessions.open();
    }

    /**
     * Refuses new sockets and closes the open ones with 1012, spread evenly over the period so that clients do not
     * all reconnect to the other instances at the same moment. Returns when every socket was told.
     */
    public void drain(Duration period) throws InterruptedException {
        accepting = false;
        List<Session> open = List.copyOf(sessions.all());
        long gapNanos = open.isEmpty() ? 0 : period.toNanos() / open.size();
        for (Session c : open) {
            c.closeWith(CloseCodes.SERVICE_RESTART, "service restart", true);
            if (gapNanos > 0) {
                TimeUnit.NANOSECONDS.sleep(gapNanos);
            }
        }
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        for (Session c : sessions.all()) {
            c.terminate();
        }
    }

    private void sweep() {
        long now = clock.millis();
        try {
            for (Session c : sessions.all()) {
                sweep(c, now);
            }
            node.tick();
        } catch (RuntimeException e) {
            System.getLogger(ConnectionRegistry.class.getName()).log(System.Logger.Level.WARNING, "sweep failed", e);
        }
    }

    private void sweep(Session c, long now) {
        if (c.principal() == null) {
            if (now - c.openedAt() > authTimeout.toMillis()) {
                c.closeWith(CloseCodes.AUTH_TIMEOUT, "auth timeout", true);
            }
            return;
        }
        if (now > c.expiresAt().plus(leeway).toEpochMilli()) {
            c.send(new ServerFrame.Error(ErrorCode.UNAUTHORIZED.wire(), "token expired", null, null));
            c.closeWith(CloseCodes.UNAUTHORIZED, "token expired", true);
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
