package io.parley.chat.api;

import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.parley.chat.core.ChatNode;
import io.parley.chat.auth.revocation.Revocations;
import io.parley.chat.broker.History;
import io.parley.chat.broker.Published;
import io.parley.chat.observe.ParleyMetrics;
import io.parley.chat.outbox.DeadLetter;
import io.parley.chat.outbox.DeadLetters;
import io.parley.chat.presence.ClusterStats;
import io.parley.chat.signing.SignatureVerifier;
import io.parley.chat.signing.replay.ReplayGuard;

import static io.parley.chat.api.Answers.Answer;

/**
 * The server API (protocol §2), registered under {@code /api/v1} on the admin socket.
 *
 * <p>The {@link SignatureFilter} runs first for every request and stops any request whose signature fails (401) or
 * was used before; only then is the route found: a path that names no endpoint is a 404, a method an endpoint does
 * not take a 405. A route validates its input (400) before it changes anything. Routes match the path as received
 * ({@link RawPathTemplate}), so a percent-encoded room name reaches validation (400) instead of another route.
 */
public final class ServerApi implements HttpService {

    /** The route label of a path that names no endpoint. */
    static final String OTHER = Endpoint.OTHER;
    private static final int DEFAULT_HISTORY = 50;
    private static final int MAX_HISTORY = 1_000;
    private static final int MAX_DEAD_LETTERS = 1_000;

    private final ChatNode node;
    private final Revocations revocations;
    private final DeadLetters deadLetters;
    private final RequestBodies bodies;
    private final Clock clock;
    private final Answers answers;
    private final SignatureFilter signatures;

    public ServerApi(ChatNode node, Revocations revocations, DeadLetters deadLetters, SignatureVerifier verifier,
                     ReplayGuard replays, ParleyMetrics metrics, Clock clock) {
        this.node = node;
        this.revocations = revocations;
        this.deadLetters = deadLetters;
        this.bodies = new RequestBodies(node.limits().maxTextChars());
        this.clock = clock;
        this.answers = new Answers(metrics);
        this.signatures = new SignatureFilter(verifier, replays, answers);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.any(signatures);
        Map<Endpoint, Set<String>> methods = new EnumMap<>(Endpoint.class);
        route(rules, methods, Method.GET, Endpoint.STATS, req -> stats());
        route(rules, methods, Method.GET, Endpoint.DEAD_LETTERS, this::deadLetters);
        route(rules, methods, Method.POST, Endpoint.DEAD_LETTERS_REPLAY, this::replay);
        route(rules, methods, Method.POST, Endpoint.ROOM_MESSAGES, this::publish);
        route(rules, methods, Method.GET, Endpoint.ROOM_MESSAGES, this::history);
        route(rules, methods, Method.GET, Endpoint.ROOM_PRESENCE, this::presence);
        route(rules, methods, Method.POST, Endpoint.USER_DISCONNECT, this::disconnect);
        methods.forEach((endpoint, allowed) -> rules.route(method -> true, endpoint.matcher(),
                (req, res) -> answers.send(req, res, endpoint.template(), Answers.error(405, "method_not_allowed",
                        "allowed: " + String.join(", ", allowed)))));
        rules.any((req, res) -> answers.send(req, res, OTHER, Answers.error(404, "not_found", "no such endpoint")));
    }

    private void route(HttpRules rules, Map<Endpoint, Set<String>> methods, Method method, Endpoint endpoint,
                       Answers.Action action) {
        methods.computeIfAbsent(endpoint, e -> new TreeSet<>()).add(method.text());
        rules.route(method, endpoint.matcher(), (req, res) -> answers.answer(req, res, endpoint.template(), action));
    }

    /**
     * The route template a raw path asks for ({@code /rooms/{room}/messages}), or {@code other}: the metric label
     * (a template, so room names and user ids never become label values).
     */
    static String route(String rawPath) {
        return Endpoint.label(rawPath);
    }

    private Answer publish(ServerRequest req) {
        String room = RequestBodies.room(parameter(req, "room"));
        RequestBodies.Publish p = bodies.publish(SignatureFilter.SignedBody.of(req));
        Published published = node.publish(room, p.user(), p.text(), p.meta(), p.ref());
        return new Answer(201, new Responses.Created(published.message().id(), published.message().ts()));
    }

    private Answer history(ServerRequest req) {
        String room = RequestBodies.room(parameter(req, "room"));
        Optional<String> since = RequestBodies.since(req.query().first("since").asOptional());
        int limit = RequestBodies.limit(req.query().first("limit").asOptional(), DEFAULT_HISTORY, MAX_HISTORY);
        History history = node.history(room, since, limit);
        return new Answer(200, new Responses.HistoryPage(room, history.messages(), history.complete(),
                history.more()));
    }

    private Answer presence(ServerRequest req) {
        String room = RequestBodies.room(parameter(req, "room"));
        return new Answer(200, new Responses.Presence(room, node.members(room).stream()
                .map(m -> new Responses.Member(m.user().id(), m.user().name(), m.connections())).toList()));
    }

    private Answer disconnect(ServerRequest req) {
        String userId = RequestBodies.userId(parameter(req, "id"));
        RequestBodies.Disconnect d = bodies.disconnect(SignatureFilter.SignedBody.of(req));
        if (d.revoke()) {
            // Revoke first: a client that reconnects at once after the close must already be refused.
            revocations.revoke(userId, clock.instant());
        }
        node.disconnectUser(userId, d.reason());
        return new Answer(202, new Responses.Disconnected(userId, d.revoke()));
    }

    private Answer stats() {
        ClusterStats stats = node.stats();
        return new Answer(200, new Responses.Stats(stats.connections(), stats.rooms(), stats.instances()));
    }

    private Answer deadLetters(ServerRequest req) {
        int limit = RequestBodies.limit(req.query().first("limit").asOptional(), MAX_DEAD_LETTERS, MAX_DEAD_LETTERS);
        return new Answer(200, new Responses.DeadLetterList(
                deadLetters.list(limit).stream().map(DeadLetter::toJson).toList()));
    }

    private Answer replay(ServerRequest req) {
        return new Answer(202, new Responses.Replayed(
                deadLetters.replay(bodies.replayIds(SignatureFilter.SignedBody.of(req)))));
    }

    /** A path parameter percent-decoded (possibly empty: then a 400 from its validation). */
    private static String parameter(ServerRequest req, String name) {
        return RequestBodies.segment(req.path().pathParameters().get(name));
    }
}
