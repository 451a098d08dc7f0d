package io.parley.chat.connection.websocket;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;

import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;

/**
 * Gives a request a deadline for its headers, counted from its first line: a client that sends them a byte at a time
 * (slowloris) is cut when it passes. Helidon bounds the header size but not the time, and its idle timer covers only
 * the first line. Register it as an HTTP/1 receive listener of the public listener.
 */
public final class RequestHeadersDeadline implements Http1ConnectionListener {

    private final Duration deadline;
    private final Map<ConnectionContext, ScheduledFuture<?>> pending = new ConcurrentHashMap<>();

    public RequestHeadersDeadline(Duration deadline) {
        this.deadline = deadline;
    }

    @Override
    public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
        ScheduledFuture<?> previous = pending.put(ctx,
                SocketCutter.cutAfter(ctx, deadline, () -> pending.remove(ctx)));
        if (previous != null) {
            previous.cancel(false);
        }
    }

    @Override
    public void headers(ConnectionContext ctx, Headers headers) {
        ScheduledFuture<?> cut = pending.remove(ctx);
        if (cut != null) {
            cut.cancel(false);
        }
    }
}
