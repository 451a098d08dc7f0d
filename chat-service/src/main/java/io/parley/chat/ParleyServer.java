package io.parley.chat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.http.DirectHandler;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import io.helidon.webserver.staticcontent.StaticContentService;
import io.helidon.webserver.http1.Http1Config;
import io.parley.chat.auth.DevTokenIssuer;
import io.parley.chat.auth.JjwtTokenVerifier;
import io.parley.chat.auth.RoomAccess;
import io.parley.chat.auth.revocation.RevocationCheckingVerifier;
import io.parley.chat.api.MalformedRequests;
import io.parley.chat.api.ServerApi;
import io.parley.chat.signing.ParleySignature;
import io.parley.chat.signing.SignatureVerifier;
import io.parley.chat.config.ParleyConfig;
import io.parley.chat.connection.ConnectionRegistry;
import io.parley.chat.connection.OriginPolicy;
import io.parley.chat.connection.websocket.RequestHeadersDeadline;
import io.parley.chat.connection.websocket.WebSocketProtocol;
import io.parley.chat.dev.DevRoutes;
import io.parley.chat.observe.AdminAccessLog;
import io.parley.chat.observe.ParleyMetrics;
import io.parley.chat.protocol.FrameCodec;

/**
 * One running Parley instance: configuration to adapters to {@link ChatNode} to the two listening sockets. The
 * adapters are chosen here and nowhere else. Tests start several of these in one JVM.
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
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    private ParleyServer(ParleyConfig config, WebServer web, ConnectionRegistry registry, Adapters adapters,
                         ParleyMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
        this.web = web;
        this.registry = registry;
        this.adapters = adapters;
    }

    /**
     * Reads the configuration from {@code env} (the {@code PARLEY_*} variables) and starts listening.
     *
     * @throws IllegalArgumentException with one line naming the variable, when the configuration is invalid
     */
    public static ParleyServer start(Map<String, String> env) {
        return start(ParleyConfig.from(env));
    }

    /** Starts listening with a configuration already read. */
    public static ParleyServer start(ParleyConfig config) {
        ParleyMetrics metrics = new ParleyMetrics();
        AtomicReference<ConnectionRegistry> registryRef = new AtomicReference<>();

        Adapters adapters = Adapters.create(config,
                () -> registryRef.get() == null ? 0 : registryRef.get().count(), metrics);

        ChatNode node = new ChatNode(
                new RevocationCheckingVerifier(new JjwtTokenVerifier(config.auth()), adapters.revocations()),
                new RoomAccess(config.roomPolicy()),
                adapters.broker(), adapters.presence(), config.limits(),
                new FrameCodec(config.limits().maxTextChars()), metrics);
        ConnectionRegistry registry = new ConnectionRegistry(node, metrics,
                new OriginPolicy(config.allowedOrigins(), config.devMode()), config.timings().authTimeout(),
                config.timings().heartbeat(), config.auth().leeway());
        registryRef.set(registry);
        node.reportMembershipTo(adapters.monolith().membership());
        node.start(registry);
        adapters.monolith().start(metrics);
        metrics.gauge("parley.rooms", "Rooms with local members", node::localRoomCount);
        if (config.redis().isPresent()) {
            metrics.gauge("parley.redis.up", "1 while Redis accepts commands, else 0",
                    () -> adapters.broker().available() ? 1 : 0);
        }

        AtomicReference<ParleyServer> self = new AtomicReference<>();
        HttpRouting.Builder publicRouting = HttpRouting.builder()
                .register("/widget", StaticContentService.builder("web/widget").build());
        config.devSecret().ifPresent(secret -> publicRouting.register(
                new DevRoutes(new DevTokenIssuer(secret, Duration.ofHours(1)))));

        WebServer web = WebServer.builder()
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
                .routing(publicRouting)
                .putSocket("admin", admin -> admin.port(config.adminPort())
                        .directHandlers(d -> d.addHandler(DirectHandler.EventType.BAD_REQUEST,
                                new MalformedRequests(metrics)))
                        .routing(r -> r
                                .addFilter(new AdminAccessLog())
                                .get("/", (req, res) -> res.send("Parley admin: /api/v1, /observe, /docs"))
                                // docs/openapi.yaml and docs/asyncapi.yaml, packaged by the pom
                                .register("/docs", StaticContentService.builder("parley-docs").build())
                                .register("/api/v1", new ServerApi(node, adapters.revocations(),
                                        adapters.monolith().deadLetters(), new SignatureVerifier(config.apiSecrets(),
                                        ParleySignature.TOLERANCE, Clock.systemUTC()), adapters.replays(), metrics,
                                        Clock.systemUTC()))))
                .featuresDiscoverServices(false)
                .addFeature(ObserveFeature.builder()
                        .endpoint("/observe")
                        .sockets(List.of("admin"))
                        .addObserver(HealthObserver.builder()
                                .details(true)
                                .useSystemServices(false)
                                .addCheck(() -> HealthCheckResponse.builder().status(true).build(),
                                        HealthCheckType.LIVENESS, "alive")
                                .addCheck(() -> readiness(self.get()), HealthCheckType.READINESS, "parley")
                                .build())
                        .addObserver(MetricsObserver.create())
                        .build())
                .build()
                .start();
        ParleyServer server = new ParleyServer(config, web, registry, adapters, metrics);
        if (!web.isRunning() || web.port() < 0 || web.port("admin") < 0) {
            // Helidon logs a bind failure and returns a stopped server rather than throwing.
            server.close();
            throw new IllegalStateException("cannot listen on PARLEY_PORT " + config.port() + " or PARLEY_ADMIN_PORT "
                    + config.adminPort() + " (in use?)");
        }
        self.set(server);
        LOG.log(System.Logger.Level.INFO, "Parley " + config.instanceId() + " listening: public " + web.port()
                + ", admin " + web.port("admin") + (config.redis().isPresent() ? ", Redis" : ", in memory")
                + (config.devMode() ? ", DEVELOPMENT MODE (demo page and dev tokens on)" : ""));
        return server;
    }

    public int publicPort() {
        return web.port();
    }

    public int adminPort() {
        return web.port("admin");
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
        if (!draining.compareAndSet(false, true)) {
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
        draining.set(true);
        registry.close();
        web.stop();
        adapters.close();
        metrics.close();
    }

    private static HealthCheckResponse readiness(ParleyServer server) {
        boolean draining = server == null || server.draining.get();
        boolean broker = server != null && server.adapters.broker().available();
        return HealthCheckResponse.builder().status(!draining && broker)
                .detail("draining", draining).detail("broker", broker ? "UP" : "DOWN").build();
    }
}
