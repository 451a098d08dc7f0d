package io.parley.chat.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.parley.chat.auth.revocation.RevocationUnavailableException;
import io.parley.chat.broker.BrokerUnavailableException;
import io.parley.chat.observe.ParleyMetrics;
import io.parley.chat.outbox.StoreUnavailableException;
import io.parley.chat.protocol.Json;
import io.parley.chat.signing.SignatureException;
import io.parley.chat.signing.replay.ReplayGuardUnavailableException;

/**
 * Sends the server API's answers: every answer, from the signature filter or a route, is JSON, uncached, and counted
 * once in {@code parley_api_requests_total{method,route,status}}. Failures become the protocol's error answers here
 * and nowhere else.
 */
final class Answers {

    /** A status and the body to serialize (one of {@link Responses}). */
    record Answer(int status, Object body) {
    }

    /** What a route or the filter does with a request; it may fail with any of the errors {@link #failed} maps. */
    @FunctionalInterface
    interface Action {
        Answer answer(ServerRequest req) throws SignatureException;
    }

    private static final System.Logger LOG = System.getLogger(ServerApi.class.getName());

    private final ParleyMetrics metrics;

    Answers(ParleyMetrics metrics) {
        this.metrics = metrics;
    }

    /** Runs the action and sends its answer, or the error answer of its failure, under the route label. */
    void answer(ServerRequest req, ServerResponse res, String route, Action action) {
        Answer answer;
        try {
            answer = action.answer(req);
        } catch (SignatureException | RuntimeException e) {
            answer = failed(req, e);
        }
        send(req, res, route, answer);
    }

    /** The error answer of a failure. */
    static Answer failed(ServerRequest req, Exception e) {
        return switch (e) {
            case ApiException api -> error(api.status(), api.code(), api.getMessage());
            case SignatureException signature -> error(401, "unauthorized", signature.getMessage());
            case BrokerUnavailableException b -> unavailable();
            case RevocationUnavailableException r -> unavailable();
            case StoreUnavailableException s -> unavailable();
            case ReplayGuardUnavailableException g -> unavailable();
            default -> {
                LOG.log(System.Logger.Level.WARNING, "server API " + req.prologue().method().text() + " "
                        + req.prologue().uriPath().rawPathNoParams() + " failed", e);
                yield error(500, "internal", "internal error");
            }
        };
    }

    static Answer error(int status, String code, String message) {
        return new Answer(status, new Responses.Error(code, message));
    }

    private static Answer unavailable() {
        return error(503, "unavailable", "storage is unavailable, nothing was changed; retry later");
    }

    /** Sends an answer and counts it under the route label. */
    void send(ServerRequest req, ServerResponse res, String route, Answer answer) {
        byte[] bytes;
        try {
            bytes = Json.MAPPER.writeValueAsBytes(answer.body());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an API answer cannot be serialized", e);
        }
        metrics.apiRequest(req.prologue().method().text(), route, answer.status());
        res.status(Status.create(answer.status()));
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.header(HeaderValues.CACHE_NO_CACHE);
        res.send(bytes);
    }
}
