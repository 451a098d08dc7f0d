package io.parley.it.monolith;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.chat.ParleyServer;
import io.parley.chat.api.SignedApiClient;
import io.parley.chat.testing.Eventually;
import io.parley.chat.testing.RedisServer;
import io.parley.chat.testing.Tokens;
import io.parley.chat.testing.WsTestClient;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /users/{id}/disconnect} with {@code revoke} through one instance of a cluster: the user's sockets on
 * every instance close 4403, their older tokens are refused on every instance, and a token issued afterwards works.
 */
class RevocationIT {

    @Test
    void aRevocationThroughOneInstanceHoldsOnAll() throws Exception {
        try (RedisServer redis = RedisServer.start();
             StandInMonolith monolith = StandInMonolith.start();
             Instances instances = new Instances(monolith, Optional.of(redis))) {
            ParleyServer a = instances.start("revoke-a");
            ParleyServer b = instances.start("revoke-b");
            String oldToken = Tokens.user("mallory");
            WsTestClient onA = WsTestClient.login(a.publicPort(), "mallory");
            WsTestClient onB = WsTestClient.login(b.publicPort(), "mallory");

            SignedApiClient.Answer answer = Instances.api(b).post("/api/v1/users/mallory/disconnect",
                    "{\"reason\":\"account suspended\",\"revoke\":true}");
            assertEquals(202, answer.status(), answer.json().toString());
            Instant revokedBy = Instant.now();
            assertEquals(4403, onA.awaitClose());
            assertEquals(4403, onB.awaitClose());

            for (ParleyServer server : new ParleyServer[] {a, b}) {
                try (WsTestClient retry = WsTestClient.connect(server.publicPort())) {
                    retry.send(Map.of("type", "auth", "token", oldToken));
                    JsonNode error = retry.await("error");
                    assertEquals("unauthorized", error.path("code").asText());
                    assertTrue(error.path("message").asText().contains("revoked"), error.toString());
                    assertEquals(4401, retry.awaitClose());
                }
            }

            // iat has whole seconds: a token issued after the revocation has its iat in a later second.
            Eventually.until("the next second, for the iat of a new token",
                    () -> Instant.now().getEpochSecond() * 1000 >= revokedBy.toEpochMilli());
            for (ParleyServer server : new ParleyServer[] {a, b}) {
                try (WsTestClient fresh = WsTestClient.login(server.publicPort(), "mallory")) {
                    assertFalse(fresh.isClosed());
                }
            }
            // The revocation lives in Redis with a TTL, so it expires by itself.
            long ttl = Long.parseLong(redis.command("PTTL", "parley:revoked:mallory").substring(1));
            assertTrue(ttl > 0, "revocation has a TTL: " + ttl);
        }
    }
}
