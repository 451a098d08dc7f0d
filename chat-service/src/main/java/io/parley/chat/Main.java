package io.parley.chat;

import io.helidon.logging.common.LogConfig;
import io.parley.chat.config.ParleyConfig;
import io.parley.chat.observe.LogFormat;
import sun.misc.Signal;

/**
 * Starts one instance from the environment. SIGTERM and SIGINT drain gracefully (protocol §5) and exit 0; a bad
 * configuration prints one line naming the variable and exits 2.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        ParleyServer server;
        try {
            ParleyConfig config = ParleyConfig.from(System.getenv());
            LogFormat.from(System.getenv()).install(config.instanceId());
            server = ParleyServer.start(config);
        } catch (IllegalArgumentException e) {
            System.err.println("parley: configuration error: " + e.getMessage());
            System.exit(2);
            return;
        } catch (IllegalStateException e) {
            System.err.println("parley: cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        // Handle the signals ourselves: a JVM ended through its shutdown hooks exits 143, and the contract says 0.
        Signal.handle(new Signal("TERM"), signal -> stop(server));
        Signal.handle(new Signal("INT"), signal -> stop(server));
    }

    private static void stop(ParleyServer server) {
        Thread.ofPlatform().name("parley-drain").start(() -> {
            server.drainAndStop();
            System.exit(0);
        });
    }
}
