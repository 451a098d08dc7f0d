package io.parley.chat.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.parley.chat.core.ChatNode;
import io.parley.chat.auth.revocation.RevocationUnavailableException;
import io.parley.chat.auth.revocation.Revocations;
import io.parley.chat.broker.BrokerUnavailableException;
import io.parley.chat.broker.History;
import io.parley.chat.broker.Published;
import io.parley.chat.observe.ParleyMetrics;
import io.parley.chat.outbox.DeadLetter;
import io.parley.chat.outbox.DeadLetters;
import io.parley.chat.outbox.StoreUnavailableException;
import io.parley.chat.presence.ClusterStats;
import io.parley.chat.protocol.Json;
import io.parley.chat.signing.ParleySignature;
import io.parley.chat.signing.SignatureException;
import io.parley.chat.signing.SignatureVerifier;
import io.parley.chat.signing.replay.ReplayGuard;
import io.parley.chat.signing.replay.ReplayGuardUnavailableException;

/**
 * The server API (protocol §2), registered under {@code /api/v1} on the admin socket.
 *
 * <p>Every request goes through the same steps, in this order, and stops at the first error: the signature header
 * is parsed and its timestamp checked (401), the body is read up to {@link #MAX_BODY} bytes (400 beyond), the HMAC is
 * checked over the method, the request target exactly as received and the body (401), the route is found (404, 405),
 * the signature must not have been used before (401, see {@link ReplayGuard}), the input is validated (400), and
 * only then is anything changed. Routing works on the raw path, segment by segment, so that a percent-encoded room
 * name reaches validation (400) instead of another route. Every answer is counted in
 * {@code parley_api_requests_total{method,route,status}}.
 */
public final class ServerApi implements HttpService {

    /** Protocol §2 and the frame limit of §1: a larger body is refused unread. */
    public static final int MAX_BODY = 64 * 1024;
    static final String PREFIX = "/api/v1";
    /** The route label of a path that names no endpoint. */
    static final String OTHER = "other";
    private static final HeaderName SIGNATURE = HeaderNames.create(ParleySignature.HEADER);
    private static final int DEFAULT_HISTORY = 50;
    private static final int MAX_HISTORY = 1_000;
    private static final int MAX_DEAD_LETTERS = 1_000;
    private static final System.Logger LOG = System.getLogger(ServerApi.class.getName());

    private final ChatNode node;
    private final Revocations revocations;
    private final DeadLetters deadLetters;
    private final SignatureVerifier verifier;
    private final ReplayGuard replays;
    private final ParleyMetrics metrics;
    private final RequestBodies bodies;
    private final Clock clock;

    public ServerApi(ChatNode node, Revocations revocations, DeadLetters deadLetters, SignatureVerifier verifier,
                     ReplayGuard replays, ParleyMetrics metrics, Clock clock) {
        this.node = node;
        this.revocations = revocations;
        this.deadLetters = deadLetters;
        this.verifier = verifier;
        this.replays = replays;
        this.metrics = metrics;
        this.bodies = new RequestBodies(node.limits().maxTextChars());
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.any(this::handle);
    }

    private void handle(ServerRequest req, ServerResponse res) {
        String route = route(req.prologue().uriPath().rawPath());
        Answer answer;
        try {
            answer = answer(req, route);
        } catch (ApiException e) {
            answer = error(e.status(), e.code(), e.getMessage());
        } catch (SignatureException e) {
            answer = error(401, "unauthorized", e.getMessage());
        } catch (BrokerUnavailableException | RevocationUnavailableException | StoreUnavailableException
                 | ReplayGuardUnavailableException e) {
            answer = error(503, "unavailable", "storage is unavailable, nothing was changed; retry later");
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "server API " + req.prologue().method().text() + " "
                    + req.prologue().uriPath().rawPathNoParams() + " failed", e);
            answer = error(500, "internal", "internal error");
        }
        metrics.apiRequest(req.prologue().method().text(), route, answer.status());
        send(res, answer);
    }

    private record Answer(int status, Object body) {
    }

    private Answer answer(ServerRequest req, String route) throws SignatureException {
        SignatureVerifier.Fresh fresh = verifier.fresh(req.headers().first(SIGNATURE));
        byte[] body = body(req);
        String method = req.prologue().method().text();
        String rawPath = req.prologue().uriPath().rawPath();
        String rawQuery = req.prologue().query().rawValue();
        String signature;
        if (rawQuery.isEmpty()) {
            // Helidon gives no way to tell "/stats" from "/stats?" (an empty query): the target as sent is one of
            // the two, and both name the same request.
            try {
                signature = verifier.verify(fresh, method, rawPath, body);
            } catch (SignatureException e) {
                signature = verifier.verify(fresh, method, rawPath + "?", body);
            }
        } else {
            signature = verifier.verify(fresh, method, rawPath + "?" + rawQuery, body);
        }
        if (!replays.firstUse(signature, verifier.validUntil(fresh))) {
            throw new SignatureException("replayed", "replayed request: this signature was already used; sign again");
        }

        return switch (route) {
            case "/stats" -> only(method, "GET", this::stats);
            case "/dead-letters" -> only(method, "GET", () -> deadLetters(req));
            case "/dead-letters/replay" -> only(method, "POST", () -> replay(body));
            case "/rooms/{room}/messages" -> switch (method) {
                case "POST" -> publish(RequestBodies.room(parameter(rawPath)), body);
                case "GET" -> history(RequestBodies.room(parameter(rawPath)), req);
                default -> throw notAllowed("GET, POST");
            };
            case "/rooms/{room}/presence" -> only(method, "GET",
                    () -> presence(RequestBodies.room(parameter(rawPath))));
            case "/users/{id}/disconnect" -> only(method, "POST",
                    () -> disconnect(RequestBodies.userId(parameter(rawPath)), body));
            default -> throw notFound();
        };
    }

    /** The decoded {@code {room}} or {@code {id}} of a three-segment route (possibly empty: then a 400). */
    private static String parameter(String rawPath) {
        return RequestBodies.segment(rawPath.substring(PREFIX.length() + 1).split("/", -1)[1]);
    }

    /**
     * The route template a raw path asks for ({@code /rooms/{room}/messages}), or {@code other}: the routing key,
     * and the metric label (a template, so room names and user ids never become label values). Only the fixed
     * segments are compared, so it needs no decoding.
     */
    static String route(String rawPath) {
        if (!rawPath.startsWith(PREFIX + "/")) {
            return OTHER;
        }
        String[] s = rawPath.substring(PREFIX.length() + 1).split("/", -1);
        return switch (s.length) {
            case 1 -> s[0].equals("stats") || s[0].equals("dead-letters") ? "/" + s[0] : OTHER;
            case 2 -> s[0].equals("dead-letters") && s[1].equals("replay") ? "/dead-letters/replay" : OTHER;
            case 3 -> switch (s[0] + "/" + s[2]) {
                case "rooms/messages" -> "/rooms/{room}/messages";
                case "rooms/presence" -> "/rooms/{room}/presence";
                case "users/disconnect" -> "/users/{id}/disconnect";
                default -> OTHER;
            };
            default -> OTHER;
        };
    }

    private Answer publish(String room, byte[] body) {
        RequestBodies.Publish p = bodies.publish(body);
        Published published = node.publish(room, p.user(), p.text(), p.meta(), p.ref());
        return new Answer(201, Map.of("id", published.message().id(), "ts", published.message().ts()));
    }

    private Answer history(String room, ServerRequest req) {
        Optional<String> since = RequestBodies.since(req.query().first("since").asOptional());
        int limit = RequestBodies.limit(req.query().first("limit").asOptional(), DEFAULT_HISTORY, MAX_HISTORY);
        History history = node.history(room, since, limit);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("room", room);
        out.put("messages", history.messages());
        out.put("complete", history.complete());
        out.put("more", history.more());
        return new Answer(200, out);
    }

    private Answer presence(String room) {
        List<Map<String, Object>> members = node.members(room).stream().map(m -> {
            Map<String, Object> member = new LinkedHashMap<>();
            member.put("id", m.user().id());
            member.put("name", m.user().name());
            member.put("connections", m.connections());
            return member;
        }).toList();
        return new Answer(200, Map.of("room", room, "members", members));
    }

    private Answer disconnect(String userId, byte[] body) {
        RequestBodies.Disconnect d = bodies.disconnect(body);
        if (d.revoke()) {
            // Revoke first: a client that reconnects at once after the close must already be refused.
            revocations.revoke(userId, clock.instant());
        }
        node.disconnectUser(userId, d.reason());
        return new Answer(202, Map.of("user", userId, "revoked", d.revoke()));
    }

    private Answer stats() {
        ClusterStats stats = node.stats();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("connections", stats.connections());
        out.put("rooms", stats.rooms());
        out.put("instances", stats.instances());
        return new Answer(200, out);
    }

    private Answer deadLetters(ServerRequest req) {
        int limit = RequestBodies.limit(req.query().first("limit").asOptional(), MAX_DEAD_LETTERS, MAX_DEAD_LETTERS);
        return new Answer(200, Map.of("messages",
                deadLetters.list(limit).stream().map(DeadLetter::toJson).toList()));
    }

    private Answer replay(byte[] body) {
        return new Answer(202, Map.of("replayed", deadLetters.replay(bodies.replayIds(body))));
    }

    /** Reads the body, refusing more than {@link #MAX_BODY} bytes (a declared length is refused unread). */
    private static byte[] body(ServerRequest req) {
        if (req.headers().contentLength().orElse(0) > MAX_BODY) {
            throw ApiException.badRequest("the body is larger than " + MAX_BODY + " bytes");
        }
        if (!req.content().hasEntity()) {
            return new byte[0];
        }
        try (InputStream in = req.content().inputStream()) {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                throw ApiException.badRequest("the body is larger than " + MAX_BODY + " bytes");
            }
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Answer only(String method, String allowed, java.util.function.Supplier<Answer> action) {
        if (!method.equals(allowed)) {
            throw notAllowed(allowed);
        }
        return action.get();
    }

    private static ApiException notFound() {
        return new ApiException(404, "not_found", "no such endpoint");
    }

    private static ApiException notAllowed(String allowed) {
        return new ApiException(405, "method_not_allowed", "allowed: " + allowed);
    }

    private static Answer error(int status, String code, String message) {
        return new Answer(status, Map.of("error", code, "message", message));
    }

    private static void send(ServerResponse res, Answer answer) {
        byte[] bytes;
        try {
            bytes = Json.MAPPER.writeValueAsBytes(answer.body());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an API answer cannot be serialized", e);
        }
        res.status(Status.create(answer.status()));
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.header(HeaderValues.CACHE_NO_CACHE);
        res.send(bytes);
    }
}
