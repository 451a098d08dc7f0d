package io.parley.chat.connection;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.DoubleSupplier;

import io.parley.chat.ParleyServer;
import io.parley.chat.testing.Eventually;
import io.parley.chat.testing.RawWsClient;
import io.parley.chat.testing.TestServers;
import io.parley.chat.testing.WsTestClient;
import org.junit.jupiter.api.Test;

import static io.parley.chat.testing.WsTestClient.type;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The socket layer's metrics move with what happens on the sockets. */
class SocketMetricsTest {

    @Test
    void acksDeliveriesQueueDepthsAndClosesAreCounted() throws Exception {
        try (ParleyServer server = TestServers.start("PARLEY_HEARTBEAT", "60s");
             WsTestClient ada = WsTestClient.login(server.publicPort(), "ada");
             WsTestClient bob = WsTestClient.login(server.publicPort(), "bob")) {
            DoubleSupplier acks = () -> metric(server, "parley_ack_seconds_count");
            DoubleSupplier deliveries = () -> metric(server, "parley_delivery_seconds_count");
            DoubleSupplier depths = () -> metric(server, "parley_outbound_queue_depth_count");
            DoubleSupplier vanished = () -> metric(server, "parley_closes_total{code=\"1006\"}");
            DoubleSupplier violations = () -> metric(server, "parley_closes_total{code=\"1002\"}");
            double acksBefore = acks.getAsDouble();
            double deliveriesBefore = deliveries.getAsDouble();
            double depthsBefore = depths.getAsDouble();
            double vanishedBefore = vanished.getAsDouble();
            double violationsBefore = violations.getAsDouble();

            ada.join("m");
            bob.join("m");
            ada.say("m", "hello", "r1");
            bob.await(f -> type(f, "message"));
            Eventually.until("an ack was timed", () -> acks.getAsDouble() > acksBefore);
            Eventually.until("a delivery was sampled", () -> deliveries.getAsDouble() > deliveriesBefore);
            Eventually.until("a queue depth was seen", () -> depths.getAsDouble() > depthsBefore);

            RawWsClient gone = RawWsClient.login(server.publicPort(), "gone");
            gone.vanish();
            Eventually.until("a vanished peer counts as 1006", () -> vanished.getAsDouble() > vanishedBefore);
            try (RawWsClient rude = RawWsClient.login(server.publicPort(), "rude")) {
                rude.sendFrame(0x83, new byte[0]);
                rude.readUntilClose();
            }
            Eventually.until("a violation counts as 1002", () -> violations.getAsDouble() > violationsBefore);
        }
    }

    private static double metric(ParleyServer server, String series) {
        try {
            String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + server.adminPort() + "/observe/metrics"))
                    .header("Accept", "text/plain").build(), HttpResponse.BodyHandlers.ofString()).body();
            // "name" or "name{label}": sums the series of that name that carry the label (other labels may follow).
            int brace = series.indexOf('{');
            String name = brace < 0 ? series : series.substring(0, brace);
            String label = brace < 0 ? "" : series.substring(brace + 1, series.length() - 1);
            return body.lines().filter(l -> !l.startsWith("#"))
                    .filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                    .filter(l -> label.isEmpty() || l.contains(label))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

}
