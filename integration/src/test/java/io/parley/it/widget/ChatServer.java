package io.parley.it.widget;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

import io.parley.chat.ParleyServer;
import io.parley.chat.testing.TestServers;

/**
 * A Parley instance in this JVM on a port fixed at creation, so that it can be stopped and started again at the
 * same address while browsers stay connected to it (a deploy as the widget sees it). Development mode is on: it
 * serves the demo page and {@code POST /dev/token}.
 */
final class ChatServer implements AutoCloseable {

    static final String DEV_SECRET = "widget-tests-dev-secret-0123456789abcdef";

    private final int port;
    private final Map<String, String> env;
    private ParleyServer server;

    private ChatServer(int port, Map<String, String> env) {
        this.port = port;
        this.env = env;
    }

    /** A server on {@code port} that accepts WebSocket upgrades from {@code allowedOrigin} (and its own pages). */
    static ChatServer start(int port, String allowedOrigin) {
        Map<String, String> env = TestServers.with(TestServers.defaults(),
                "PARLEY_PORT", String.valueOf(port),
                "PARLEY_ALLOWED_ORIGINS", allowedOrigin,
                "PARLEY_DEV", "true",
                "PARLEY_DEV_SECRET", DEV_SECRET,
                "PARLEY_DRAIN_PERIOD", "200ms");
        ChatServer chat = new ChatServer(port, env);
        chat.start();
        return chat;
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void start() {
        server = ParleyServer.start(env);
    }

    /** The graceful stop of a deploy: every socket is closed 1012, then the port is released. */
    void stop() {
        server.drainAndStop();
    }

    int port() {
        return port;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}
