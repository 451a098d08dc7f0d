package io.parley.chat.observe;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.logging.common.HelidonMdc;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * The admin port's access log: one line per request on the logger {@value #LOGGER} (method, path without the query,
 * status, milliseconds), and a request id for everything logged while the request runs ({@code request} in JSON
 * logs, the {@value #HEADER} response header). A caller's {@value #HEADER} is reused when it is a plain token, so the
 * monolith's id and Parley's lines can be joined; anything else gets a fresh id.
 *
 * <p>Never logged: the query (it carries cursors the operator does not need), headers (the signature), bodies.
 * Scrapes of {@code /observe} are logged at FINE, so a 15 s scrape does not drown the API's lines.
 */
public final class AdminAccessLog implements Filter {

    public static final String LOGGER = "io.parley.access";
    public static final String HEADER = "X-Request-Id";
    private static final HeaderName REQUEST_ID = HeaderNames.create(HEADER);
    private static final Pattern PLAIN_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final System.Logger LOG = System.getLogger(LOGGER);

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String id = req.headers().first(REQUEST_ID).filter(v -> PLAIN_ID.matcher(v).matches())
                .orElseGet(AdminAccessLog::newId);
        res.header(REQUEST_ID, id);
        String path = req.prologue().uriPath().rawPathNoParams();
        long start = System.nanoTime();
        HelidonMdc.set(JsonLogFormatter.REQUEST, id);
        try {
            chain.proceed();
        } finally {
            LOG.log(path.startsWith("/observe") ? System.Logger.Level.DEBUG : System.Logger.Level.INFO,
                    req.prologue().method().text() + " " + path + " " + res.status().code() + " "
                            + (System.nanoTime() - start) / 1_000_000 + " ms");
            HelidonMdc.remove(JsonLogFormatter.REQUEST);
        }
    }

    private static String newId() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }
}
