package io.parley.chat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import io.helidon.webserver.staticcontent.StaticContentService;
import io.parley.chat.api.ServerApi;
import io.parley.chat.auth.DevTokenIssuer;
import io.parley.chat.config.ParleyConfig;
import io.parley.chat.core.ChatNode;
import io.parley.chat.dev.DevRoutes;
import io.parley.chat.observe.AdminAccessLog;
import io.parley.chat.observe.ParleyMetrics;
import io.parley.chat.signing.ParleySignature;
import io.parley.chat.signing.SignatureVerifier;

/**
 * The HTTP routes of both ports, in the Helidon SE quickstart's shape: one method per routing, given the parts it
 * serves. {@code /ws} is not a route: the WebSocket protocol takes its upgrade before routing.
 */
final class ParleyRouting {

    /** The admin port's socket name. */
    static final String ADMIN = "admin";

    private ParleyRouting() {
    }

    /** The public port: the widget, and in development mode the dev token issuer and demo page. */
    static void publicRouting(HttpRouting.Builder routing, ParleyConfig config) {
        routing.register("/widget", StaticContentService.builder("web/widget").build());
        config.devSecret().ifPresent(secret -> routing.register(
                new DevRoutes(new DevTokenIssuer(secret, Duration.ofHours(1)))));
    }

    /** The admin port: the signed server API and the interface descriptions, every request in the access log. */
    static void adminRouting(HttpRouting.Builder routing, ParleyConfig config, ChatNode node, Adapters adapters,
                             ParleyMetrics metrics) {
        Clock clock = Clock.systemUTC();
        routing.addFilter(new AdminAccessLog())
                .get("/", (req, res) -> res.send("Parley admin: /api/v1, /observe, /docs"))
                // docs/openapi.yaml and docs/asyncapi.yaml, packaged by the pom
                .register("/docs", StaticContentService.builder("parley-docs").build())
                .register("/api/v1", new ServerApi(node, adapters.revocations(), adapters.monolith().deadLetters(),
                        new SignatureVerifier(config.apiSecrets(), ParleySignature.TOLERANCE, clock),
                        adapters.replays(), metrics, clock));
    }

    /** Health (liveness always, readiness from {@code readiness}) and metrics, on the admin port only. */
    static ObserveFeature observe(Readiness readiness) {
        return ObserveFeature.builder()
                .endpoint("/observe")
                .sockets(List.of(ADMIN))
                .addObserver(HealthObserver.builder()
                        .details(true)
                        .useSystemServices(false)
                        .addCheck(() -> HealthCheckResponse.builder().status(true).build(),
                                HealthCheckType.LIVENESS, "alive")
                        .addCheck(readiness::check, HealthCheckType.READINESS, "parley")
                        .build())
                .addObserver(MetricsObserver.create())
                .build();
    }
}
