package io.parley.chat.signing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.chat.protocol.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SignatureTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef";
    private static final String OTHER = "fedcba9876543210fedcba9876543210-next";
    private static final byte[] EMPTY_BATCH = "{\"messages\":[]}".getBytes(StandardCharsets.UTF_8);
    /** The shared vector, computed independently with {@code openssl dgst -sha256 -hmac}. */
    private static final String SHARED_HEX = "68c822d0b00c34db0b71559b50dd10e3d1b17ec1a22a48debb61b8710d131b31";

    private static SignatureVerifier verifierAt(long epochSeconds, String... secrets) {
        return new SignatureVerifier(List.of(secrets), ParleySignature.TOLERANCE,
                Clock.fixed(Instant.ofEpochSecond(epochSeconds), ZoneOffset.UTC));
    }

    @Test
    void theSharedVectorMatches() {
        assertEquals(SHARED_HEX, ParleySignature.hex(SECRET, 1_700_000_000L, "POST", "/chat/messages", EMPTY_BATCH));
        assertEquals("t=1700000000,v1=" + SHARED_HEX,
                ParleySignature.header(SECRET, 1_700_000_000L, "post", "/chat/messages", EMPTY_BATCH));
    }

    @Test
    void everyVectorOfTheRubyKitMatches() throws Exception {
        Path fixture = Path.of("..", "integration", "rails", "test", "fixtures", "signature_vectors.json");
        JsonNode vectors = Json.MAPPER.readTree(Files.readString(fixture)).get("vectors");
        assertTrue(vectors.size() >= 3);
        for (JsonNode v : vectors) {
            byte[] body = v.get("body").asText().getBytes(StandardCharsets.UTF_8);
            String header = ParleySignature.header(v.get("secret").asText(), v.get("t").asLong(),
                    v.get("method").asText(), v.get("path_and_query").asText(), body);
            assertEquals(v.get("header").asText(), header, v.get("name").asText());
            assertDoesNotThrow(() -> verifierAt(v.get("t").asLong() + 299, "x".repeat(32), v.get("secret").asText())
                    .verify(Optional.of(header), v.get("method").asText(), v.get("path_and_query").asText(), body));
        }
        assertEquals(SHARED_HEX, vectors.get(0).get("hex").asText());
    }

    @Test
    void eitherSecretOfARotationVerifies() {
        long t = 1_700_000_000L;
        SignatureVerifier verifier = verifierAt(t, SECRET, OTHER);
        for (String secret : List.of(SECRET, OTHER)) {
            String header = ParleySignature.header(secret, t, "POST", "/chat/messages", EMPTY_BATCH);
            assertDoesNotThrow(() -> verifier.verify(Optional.of(header), "POST", "/chat/messages", EMPTY_BATCH));
        }
    }

    @Test
    void aHeaderWithSeveralCandidatesVerifiesWhenOneMatches() {
        long t = 1_700_000_000L;
        String good = ParleySignature.hex(SECRET, t, "GET", "/api/v1/stats", new byte[0]);
        String header = "t=" + t + ",v0=abc,v1=" + "0".repeat(64) + ",v1=" + good;
        assertDoesNotThrow(() -> verifierAt(t, SECRET).verify(Optional.of(header), "GET", "/api/v1/stats",
                new byte[0]));
    }

    @Test
    void refusalsSayWhy() {
        long t = 1_700_000_000L;
        SignatureVerifier verifier = verifierAt(t, SECRET);
        String header = ParleySignature.header(SECRET, t, "POST", "/chat/messages", EMPTY_BATCH);

        assertEquals("missing", reason(verifier, null, "POST", "/chat/messages", EMPTY_BATCH));
        assertEquals("missing", reason(verifier, " ", "POST", "/chat/messages", EMPTY_BATCH));
        assertEquals("malformed", reason(verifier, "v1=" + SHARED_HEX, "POST", "/chat/messages", EMPTY_BATCH));
        assertEquals("malformed", reason(verifier, "t=1,t=2,v1=ab", "POST", "/chat/messages", EMPTY_BATCH));
        assertEquals("malformed", reason(verifier, "t=abc,v1=ab", "POST", "/chat/messages", EMPTY_BATCH));
        assertEquals("malformed", reason(verifier, "t=" + t, "POST", "/chat/messages", EMPTY_BATCH));
        assertEquals("mismatch", reason(verifier, header, "PUT", "/chat/messages", EMPTY_BATCH));
        assertEquals("mismatch", reason(verifier, header, "POST", "/chat/events", EMPTY_BATCH));
        assertEquals("mismatch", reason(verifier, header, "POST", "/chat/messages?x=1", EMPTY_BATCH));
        assertEquals("mismatch", reason(verifier, header, "POST", "/chat/messages",
                "{\"messages\":[1]}".getBytes(StandardCharsets.UTF_8)));
        assertEquals("mismatch", reason(verifierAt(t, OTHER), header, "POST", "/chat/messages", EMPTY_BATCH));
        assertEquals("unconfigured", reason(verifierAt(t), header, "POST", "/chat/messages", EMPTY_BATCH));
    }

    @Test
    void theReplayWindowIsThreeHundredSecondsEitherWay() {
        long t = 1_700_000_000L;
        String header = ParleySignature.header(SECRET, t, "POST", "/chat/messages", EMPTY_BATCH);
        for (long now : new long[] {t - 300, t + 300}) {
            assertDoesNotThrow(() -> verifierAt(now, SECRET).verify(Optional.of(header), "POST", "/chat/messages",
                    EMPTY_BATCH));
        }
        for (long now : new long[] {t - 301, t + 301}) {
            assertEquals("stale", reason(verifierAt(now, SECRET), header, "POST", "/chat/messages", EMPTY_BATCH));
        }
    }

    @Test
    void refusalMessagesNeverEchoTheSignature() {
        long t = 1_700_000_000L;
        String header = ParleySignature.header(SECRET, t, "POST", "/chat/messages", EMPTY_BATCH);
        SignatureException e = assertThrows(SignatureException.class, () -> verifierAt(t, OTHER)
                .verify(Optional.of(header), "POST", "/chat/messages", EMPTY_BATCH));
        assertFalse(e.getMessage().contains(SHARED_HEX));
        assertFalse(e.getMessage().contains(ParleySignature.hex(OTHER, t, "POST", "/chat/messages", EMPTY_BATCH)));
    }

    @Test
    void theSignerSignsAtItsClock() {
        RequestSigner signer = new RequestSigner(SECRET,
                Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC));
        assertEquals("t=1700000000,v1=" + SHARED_HEX, signer.sign("POST", "/chat/messages", EMPTY_BATCH));
    }

    private static String reason(SignatureVerifier verifier, String header, String method, String target,
                                 byte[] body) {
        return assertThrows(SignatureException.class,
                () -> verifier.verify(Optional.ofNullable(header), method, target, body)).reason();
    }
}
