package io.parley.chat.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.parley.chat.signing.ParleySignature;
import io.parley.chat.signing.SignatureException;
import io.parley.chat.signing.SignatureVerifier;
import io.parley.chat.signing.replay.ReplayGuard;

/**
 * The one gate of the server API, registered before every route: a request goes on to routing only once its
 * signature is verified and seen for the first time, so nothing about the routes (which paths exist, which methods
 * they take) reaches an unsigned caller, who gets the same 401 everywhere.
 *
 * <p>In order, stopping at the first error: the signature header is parsed and its timestamp checked (401), the body
 * is read up to {@link #MAX_BODY} bytes (400 beyond), the HMAC is checked over the method, the request target exactly
 * as received and the body (401), and the signature must not have been used before (401, see {@link ReplayGuard}).
 * The body it read is then the request's {@link SignedBody}.
 */
final class SignatureFilter implements Handler {

    /** Protocol §2 and the frame limit of §1: a larger body is refused unread. */
    static final int MAX_BODY = 64 * 1024;
    private static final HeaderName SIGNATURE = HeaderNames.create(ParleySignature.HEADER);

    /** The body of a request whose signature covers it. */
    record SignedBody(byte[] bytes) {

        static byte[] of(ServerRequest req) {
            return req.context().get(SignedBody.class).orElseThrow().bytes();
        }
    }

    private final SignatureVerifier verifier;
    private final ReplayGuard replays;
    private final Answers answers;

    SignatureFilter(SignatureVerifier verifier, ReplayGuard replays, Answers answers) {
        this.verifier = verifier;
        this.replays = replays;
        this.answers = answers;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        try {
            req.context().register(new SignedBody(verified(req)));
        } catch (SignatureException | RuntimeException e) {
            String route = Endpoint.label(req.prologue().uriPath().rawPath());
            answers.send(req, res, route, Answers.failed(req, e));
            return;
        }
        res.next();
    }

    private byte[] verified(ServerRequest req) throws SignatureException {
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
        return body;
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
}
