package io.parley.chat.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderValues;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.parley.chat.observe.ParleyMetrics;
import io.parley.chat.protocol.Json;

/**
 * The admin port's answer to a request Helidon refuses before any route sees it (a malformed percent-escape such as
 * {@code /rooms/%zz/messages}, a bad request line or header): the API's JSON 400, not Helidon's plain text, counted in
 * {@code parley_api_requests_total} like the API's own answers. The parser's own message is not echoed (it may quote
 * the request).
 */
public final class MalformedRequests implements DirectHandler {

    private static final byte[] BODY;

    static {
        try {
            BODY = Json.MAPPER.writeValueAsBytes(new Responses.Error("bad_request",
                    "the request is malformed (request line, percent-escape or header)"));
        } catch (JsonProcessingException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ParleyMetrics metrics;

    public MalformedRequests(ParleyMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status defaultStatus,
                                    ServerResponseHeaders responseHeaders, String message) {
        if (eventType != EventType.BAD_REQUEST) {
            return DirectHandler.defaultHandler().handle(request, eventType, defaultStatus, responseHeaders, message);
        }
        String target = request.path() == null ? "" : request.path();
        String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
        if (path.startsWith(Endpoint.PREFIX)) {
            metrics.apiRequest(request.method(), Endpoint.label(path), Status.BAD_REQUEST_400.code());
        }
        responseHeaders.set(HeaderValues.CONTENT_TYPE_JSON);
        return TransportResponse.builder().status(Status.BAD_REQUEST_400).headers(responseHeaders).entity(BODY)
                .build();
    }
}
