package io.parley.chat;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.helidon.http.DirectHandler;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http1.Http1Config;
import io.parley.chat.api.MalformedRequests;
import io.parley.chat.auth.JjwtTokenVerifier;
import io.parley.chat.auth.RoomAccess;
import io.parley.chat.auth.revocation.RevocationCheckingVerifier;
import io.parley.chat.config.ParleyConfig;
import io.parley.chat.connection.ConnectionRegistry;
import io.parley.chat.connection.LiveSessions;
import io.parley.chat.connection.OriginPolicy;
import io.parley.chat.connection.websocket.RequestHeadersDeadline;
import io.parley.chat.connection.websocket.WebSocketProtocol;
import io.parley.chat.core.ChatNode;
import io.parley.chat.observe.ParleyMetrics;
import io.parley.chat.protocol.FrameCodec;

/**
 * One running Parley instance, and its assembly: configuration to {@link Adapters} to {@link ChatNode} to the two
 * listening sockets. Each part is built after what it needs, so nothing is wired up late: the live sessions (with
 * their count) and the readiness state are created first and shared. {@link Main} starts one from the environment;
 * tests start several in one JVM the same way.
 */
public final class ParleyServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ParleyServer.class.getName());
    /** How long a drain waits for the monolith to take what this instance still holds. */
    private static final Duration OUTBOX_FLUSH_WAIT = Duration.ofSeconds(10);

    private final ParleyConfig config;
    private final WebServer web;
    private final ConnectionRegistry registry;
    private final Adapters adapters;
    private final ParleyMetrics metrics;
    private final Readiness readiness;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ParleyServer(ParleyConfig config, WebServer web, ConnectionRegistry registry, Adapters adapters,
                         ParleyMetrics metrics, Readiness readiness) {
        this.config = config;
        this.web = web;
        this.registry = registry;
        this.adapters = adapters;
        this.metrics = metrics;
        this.readiness = readiness;
    }

    /**
     * Reads the configuration from {@code env} (the {@code PARLEY_*} variables) and starts listening.
     *
     * @throws IllegalArgumentException with one line naming the variable, when the configuration is invalid
     */
    public static ParleyServer start(Map<String, String> env) {
        return start(ParleyConfig.from(env));
    }

    /**
     * Starts listening with a configuration already read.
     *
     * @throws IllegalStateException when a port cannot be bound (everything started is stopped again)
     */
    public static ParleyServer start(ParleyConfig config) {
        return start(config, Clock.systemUTC());
    }

    /**
     * Starts listening with every time-based decision (timeouts, expiry, heartbeats, typing, outbox ages) read from
     * {@code clock}: tests move it instead of sleeping. Intervals between sweeps stay in real time.
     */
    public static ParleyServer start(ParleyConfig config, Clock clock) {
        ParleyMetrics metrics = new ParleyMetrics();
        LiveSessions sessions = new LiveSessions();
        Adapters adapters = Adapters.create(config, sessions::admitted, metrics, clock);
        ChatNode node = chatNode(config, adapters, sessions, metrics, clock);
        ConnectionRegistry registry = new ConnectionRegistry(node, sessions, metrics,
                new OriginPolicy(config.allowedOrigins(), config.devMode()), config.timings().authTimeout(),
                config.timings().heartbeat(), config.auth().leeway(), clock);
        Readiness readiness = new Readiness(adapters.broker()::available);

        node.start();
        adapters.monolith().start(metrics);
        registerGauges(config, node, adapters, metrics);
        WebServer web = webServer(config, node, registry, adapters, metrics, readiness).build().start();
        ParleyServer server = new ParleyServer(config, web, registry, adapters, metrics, readiness);
        if (!web.isRunning() || web.port() < 0 || web.port(ParleyRouting.ADMIN) < 0) {
            // Helidon logs a bind failure and returns a stopped server rather than throwing.
            server.close();
            throw new IllegalStateException("cannot listen on PARLEY_PORT " + config.port() + " or PARLEY_ADMIN_PORT "
                    + config.adminPort() + " (in use?)");
        }
        LOG.log(System.Logger.Level.INFO, "Parley " + config.instanceId() + " listening: public " + web.port()
                + ", admin " + web.port(ParleyRouting.ADMIN) + ", adapters " + Adapters.nameFor(config)
                + (config.devMode() ? ", DEVELOPMENT MODE (demo page and dev tokens on)" : ""));
        return server;
    }

    private static ChatNode chatNode(ParleyConfig config, Adapters adapters, LiveSessions sessions,
                                     ParleyMetrics metrics, Clock clock) {
        return new ChatNode(
                new RevocationCheckingVerifier(new JjwtTokenVerifier(config.auth()), adapters.revocations()),
                new RoomAccess(config.roomPolicy()),
                adapters.broker(), adapters.presence(), adapters.monolith().membership(), config.limits(),
                new FrameCodec(config.limits().maxTextChars()), metrics, sessions, clock);
    }

    private static void registerGauges(ParleyConfig config, ChatNode node, Adapters adapters, ParleyMetrics metrics) {
        metrics.gaugeRooms(node::localRoomCount);
        if (config.redis().isPresent()) {
            metrics.gaugeRedisUp(() -> adapters.broker().available() ? 1 : 0);
        }
    }

    private static WebServerConfig.Builder webServer(ParleyConfig config, ChatNode node, ConnectionRegistry registry,
                                                     Adapters adapters, ParleyMetrics metrics, Readiness readiness) {
        return WebServer.builder()
                .shutdownHook(false)
                .port(config.port())
                // Chat frames are small and latency-bound: without this, Nagle holds some acks back ~40 ms.
                .connectionOptions(socket -> socket.tcpNoDelay(true))
                // The blocking socket keeps one 8 KiB read buffer per connection; the NIO one adds a second for writes.
                .useNio(false)
                // A socket has the auth timeout to get from its first byte to its auth frame: connections waiting
                // for a request line are closed after it (slowloris on the first line), and a request's headers must
                // arrive within it. An upgraded socket reports no idle time and manages its own liveness.
                .idleConnectionTimeout(config.timings().authTimeout())
                .idleConnectionPeriod(Duration.ofSeconds(1))
                .addProtocol(Http1Config.builder()
                        .addReceiveListener(new RequestHeadersDeadline(config.timings().authTimeout())).build())
                .addProtocol(new WebSocketProtocol(registry))
                .routing(routing -> ParleyRouting.publicRouting(routing, config))
                .putSocket(ParleyRouting.ADMIN, admin -> admin.port(config.adminPort())
                        .directHandlers(d -> d.addHandler(DirectHandler.EventType.BAD_REQUEST,
                                new MalformedRequests(metrics)))
                        .routing(routing -> ParleyRouting.adminRouting(routing, config, node, adapters, metrics)))
                .featuresDiscoverServices(false)
                .addFeature(ParleyRouting.observe(readiness));
    }

    public int publicPort() {
        return web.port();
    }

    public int adminPort() {
        return web.port(ParleyRouting.ADMIN);
    }

    public ParleyConfig config() {
        return config;
    }

    /** Sockets currently open on this instance. */
    public int openSockets() {
        return registry.openSockets();
    }

    /**
     * The graceful stop of protocol §5: readiness goes down and new sockets are refused at once, open sockets are
     * closed 1012 spread over the drain period, then everything stops.
     */
    public void drainAndStop() {
        if (!readiness.startDraining()) {
            return;
        }
        LOG.log(System.Logger.Level.INFO, "draining " + registry.openSockets() + " sockets over "
                + config.timings().drainPeriod());
        try {
            registry.drain(config.timings().drainPeriod());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        adapters.monolith().flush(OUTBOX_FLUSH_WAIT);
        close();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        readiness.startDraining();
        registry.close();
        web.stop();
        adapters.close();
        metrics.close();
    }
}
