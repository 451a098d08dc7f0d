package io.parley.chat.connection;

import java.time.Duration;
import java.time.Instant;

import io.parley.chat.ParleyServer;
import io.parley.chat.config.ParleyConfig;
import io.parley.chat.testing.Eventually;
import io.parley.chat.testing.MutableClock;
import io.parley.chat.testing.RawWsClient;
import io.parley.chat.testing.TestServers;
import io.parley.chat.testing.Tokens;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sweep's deadlines are read from the server's clock: a test moves the clock past them instead of waiting. The
 * deadlines are set to a minute, far beyond what the test waits in real time, so only the moved clock can trip them.
 */
class SweepClockTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void anUnauthenticatedSocketIsClosed4408OnceTheClockPassesTheAuthTimeout() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        try (ParleyServer server = ParleyServer.start(ParleyConfig.from(
                TestServers.with(TestServers.defaults(), "PARLEY_AUTH_TIMEOUT", "60s")), clock);
             RawWsClient lazy = RawWsClient.open(server.publicPort())) {
            // The socket's opening time is read when the server has taken it on: only then may the clock move.
            Eventually.until("the server holds the socket", () -> server.openSockets() == 1);
            clock.advance(Duration.ofSeconds(61));
            assertEquals(4408, firstCloseCode(lazy));
        }
    }

    @Test
    void aSilentPeerIsCutOnceTheClockPassesTwoHeartbeats() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        try (ParleyServer server = ParleyServer.start(ParleyConfig.from(
                TestServers.with(TestServers.defaults(), "PARLEY_HEARTBEAT", "60s")), clock);
             RawWsClient silent = RawWsClient.loginWithToken(server.publicPort(),
                     Tokens.user("quiet", "Quiet", Duration.ofHours(1)))) {
            assertNotNull(silent.nextText(WAIT), "welcome");
            Eventually.until("the server holds the socket", () -> server.openSockets() == 1);
            clock.advance(Duration.ofSeconds(121));
            assertTrue(silent.ignoreUntilCut(WAIT), "cut without a close handshake");
        }
    }

    private static int firstCloseCode(RawWsClient c) throws Exception {
        RawWsClient.ServerFrame f;
        while ((f = c.next(WAIT)) != null) {
            if (f.opcode() == RawWsClient.CLOSE) {
                return f.closeCode();
            }
        }
        return -1;
    }
}
