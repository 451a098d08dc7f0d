package io.parley.chat.connection.websocket;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.helidon.webserver.ConnectionContext;

/**
 * Cuts TCP connections on a deadline. Cutting closes the channel, which never blocks on the peer and makes a blocked
 * read or write fail at once, so one daemon thread serves every socket of the process.
 */
final class SocketCutter {

    private static final System.Logger LOG = System.getLogger(SocketCutter.class.getName());
    private static final ScheduledExecutorService TIMER = timer();

    private SocketCutter() {
    }

    /** Cancelled deadlines leave the queue at once: most are cancelled, and each holds its connection. */
    private static ScheduledExecutorService timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().name("parley-socket-cutter").daemon().factory());
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    static ScheduledFuture<?> cutAfter(ConnectionContext ctx, Duration delay) {
        return cutAfter(ctx, delay, () -> { });
    }

    /** Cuts after {@code delay}, running {@code before} first (on the timer thread: it must not block). */
    static ScheduledFuture<?> cutAfter(ConnectionContext ctx, Duration delay, Runnable before) {
        return TIMER.schedule(() -> {
            before.run();
            cut(ctx);
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    static void cut(ConnectionContext ctx) {
        try {
            ctx.serverSocket().close();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.TRACE, "cut: " + e);
        }
    }
}
