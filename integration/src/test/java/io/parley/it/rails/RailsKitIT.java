package io.parley.it.rails;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.parley.chat.ParleyServer;
import io.parley.chat.testing.TestServers;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs {@code integration/rails/bin/test} (unit and live minitest suites) against a Parley instance started here.
 * The Ruby side mints the tokens, signs the API calls and plays the monolith (it listens on the port given as
 * {@code PARLEY_MONOLITH_URL}), so this proves that the gem and the service agree on every wire format.
 * {@code PARLEY_LIVE_REQUIRED=1} makes a missing setting fail instead of skip.
 */
class RailsKitIT {

    private static final String JWT_SECRET = "rails-jwt-secret-rails-jwt-secret-000001";
    private static final String API_SECRET = "rails-api-secret-rails-api-secret-000001";
    private static final String WEBHOOK_SECRET = "rails-webhook-secret-rails-webhook-0001";

    @Test
    void theRubyKitWorksAgainstARealInstance() throws Exception {
        int monolithPort = RailsApp.freePort();
        String monolith = "http://127.0.0.1:" + monolithPort;
        try (ParleyServer parley = ParleyServer.start(TestServers.with(TestServers.defaults(),
                "PARLEY_JWT_SECRETS", JWT_SECRET,
                "PARLEY_API_SECRETS", API_SECRET,
                "PARLEY_MONOLITH_URL", monolith,
                "PARLEY_MONOLITH_SECRET", WEBHOOK_SECRET,
                "PARLEY_MONOLITH_EVENTS_PATH", "/chat/events"))) {
            Path kit = RailsApp.repoRoot().resolve("integration/rails");
            ProcessBuilder pb = new ProcessBuilder("ruby", "bin/test").directory(kit.toFile()).redirectErrorStream(true);
            Map<String, String> env = pb.environment();
            env.put("PARLEY_CHAT_URL", "http://127.0.0.1:" + parley.publicPort());
            env.put("PARLEY_ADMIN_URL", "http://127.0.0.1:" + parley.adminPort());
            env.put("PARLEY_JWT_SECRET", JWT_SECRET);
            env.put("PARLEY_API_SECRET", API_SECRET);
            env.put("PARLEY_WEBHOOK_SECRETS", WEBHOOK_SECRET);
            env.put("PARLEY_MONOLITH_URL", monolith);
            env.put("PARLEY_MONOLITH_EVENTS_PATH", "/chat/events");
            env.put("PARLEY_LIVE_REQUIRED", "1");
            Path log = Files.createTempFile("parley-rails-kit", ".log");
            pb.redirectOutput(log.toFile());
            Process ruby = pb.start();
            boolean finished = ruby.waitFor(Duration.ofMinutes(5).toSeconds(), TimeUnit.SECONDS);
            String output = Files.readString(log, StandardCharsets.UTF_8);
            System.out.println(output);
            assertTrue(finished, "the Ruby suite finished within 5 minutes:\n" + output);
            assertEquals(0, ruby.exitValue(), "the Ruby suite passed:\n" + output);
            assertTrue(output.contains(" 0 failures, 0 errors"), output);
            assertTrue(!output.contains("skips") || output.contains(" 0 skips"), "no live test skipped:\n" + output);
        }
    }
}
