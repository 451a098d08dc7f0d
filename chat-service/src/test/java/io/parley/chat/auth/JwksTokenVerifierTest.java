package io.parley.chat.auth;

import com.sun.net.httpserver.HttpServer;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Jwks;
import io.jsonwebtoken.security.PublicJwk;
import io.parley.chat.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static io.parley.chat.auth.TestTokens.NOW;
import static io.parley.chat.auth.TestTokens.assertRefused;
import static io.parley.chat.auth.TestTokens.claims;
import static io.parley.chat.auth.TestTokens.ecKeyPair;
import static io.parley.chat.auth.TestTokens.rsaKeyPair;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Keys from a JWKS served by a real HTTP server on loopback, which counts the fetches. */
class JwksTokenVerifierTest {

    private static KeyPair rsa;
    private static KeyPair rsaRotated;
    private static KeyPair ec;

    private final AtomicReference<String> document = new AtomicReference<>();
    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicInteger fetches = new AtomicInteger();
    private final MutableClock clock = new MutableClock(NOW);
    private HttpServer server;
    private JjwtTokenVerifier verifier;

    @BeforeAll
    static void keys() throws Exception {
        rsa = rsaKeyPair();
        rsaRotated = rsaKeyPair();
        ec = ecKeyPair("secp256r1");
    }

    @BeforeEach
    void serveJwks() throws IOException {
        document.set(jwks(rsaJwk("rsa-1", rsa), ecJwk("ec-1", ec)));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/.well-known/jwks.json", exchange -> {
            fetches.incrementAndGet();
            byte[] body = document.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status.get(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/.well-known/jwks.json");
        verifier = new JjwtTokenVerifier(new AuthSettings(List.of(), List.of(), Optional.of(url), Optional.empty(),
                Optional.empty(), AuthSettings.DEFAULT_LEEWAY), clock);
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void choosesTheKeyByKidAndFetchesOnce() throws AuthException {
        assertEquals("42", verifier.verify(signed("rsa-1", rsa.getPrivate(), "RS256")).userId());
        assertEquals("42", verifier.verify(signed("ec-1", ec.getPrivate(), "ES256")).userId());
        assertEquals("42", verifier.verify(signed("rsa-1", rsa.getPrivate(), "RS256")).userId());

        assertEquals(1, fetches.get());
    }

    @Test
    void anUnknownKidTriggersOneRefetchAndASecondWithin30SecondsNone() throws AuthException {
        verifier.verify(signed("rsa-1", rsa.getPrivate(), "RS256"));
        assertEquals(1, fetches.get());

        assertRefused("unknown_key", verifier, signed("nobody-1", rsaRotated.getPrivate(), "RS256"));
        assertEquals(2, fetches.get());

        clock.advance(Duration.ofSeconds(29));
        assertRefused("unknown_key", verifier, signed("nobody-2", rsaRotated.getPrivate(), "RS256"));
        assertRefused("unknown_key", verifier, signed("nobody-1", rsaRotated.getPrivate(), "RS256"));
        assertEquals(2, fetches.get());

        clock.advance(Duration.ofSeconds(1));
        assertRefused("unknown_key", verifier, signed("nobody-2", rsaRotated.getPrivate(), "RS256"));
        assertEquals(3, fetches.get());
        // Known keys keep working without fetching, whatever the rate limit.
        verifier.verify(signed("ec-1", ec.getPrivate(), "ES256"));
        assertEquals(3, fetches.get());
    }

    @Test
    void picksUpARotatedKeyThroughTheRefetch() throws AuthException {
        verifier.verify(signed("rsa-1", rsa.getPrivate(), "RS256"));
        document.set(jwks(rsaJwk("rsa-1", rsa), rsaJwk("rsa-2", rsaRotated)));

        assertEquals("42", verifier.verify(signed("rsa-2", rsaRotated.getPrivate(), "RS256")).userId());
        assertEquals(2, fetches.get());
    }

    @Test
    void refreshesTheCacheAfterTenMinutes() throws AuthException {
        verifier.verify(signed("rsa-1", rsa.getPrivate(), "RS256"));
        clock.advance(Duration.ofMinutes(9));
        verifier.verify(signed("rsa-1", rsa.getPrivate(), "RS256"));
        assertEquals(1, fetches.get());

        clock.advance(Duration.ofMinutes(1));
        document.set(jwks(ecJwk("ec-1", ec)));
        assertRefused("unknown_key", verifier, signed("rsa-1", rsa.getPrivate(), "RS256"));
        assertEquals(2, fetches.get());
    }

    @Test
    void keepsCachedKeysWhenTheIssuerFailsAndDoesNotHammerIt() throws AuthException {
        verifier.verify(signed("rsa-1", rsa.getPrivate(), "RS256"));
        status.set(500);
        clock.advance(Duration.ofMinutes(10));

        assertEquals("42", verifier.verify(signed("rsa-1", rsa.getPrivate(), "RS256")).userId());
        assertEquals(2, fetches.get());
        assertRefused("unknown_key", verifier, signed("nobody", rsaRotated.getPrivate(), "RS256"));
        assertEquals("42", verifier.verify(signed("rsa-1", rsa.getPrivate(), "RS256")).userId());
        assertEquals(2, fetches.get());
    }

    @Test
    void refusesEverythingWhileTheIssuerHasNeverAnswered() {
        status.set(503);

        assertRefused("unknown_key", verifier, signed("rsa-1", rsa.getPrivate(), "RS256"));
        assertRefused("unknown_key", verifier, signed("rsa-1", rsa.getPrivate(), "RS256"));
        assertEquals(1, fetches.get());
    }

    @Test
    void refusesATokenWhoseAlgorithmDoesNotMatchTheKidsKey() {
        String rs256ClaimingEcKey = signed("ec-1", rsa.getPrivate(), "RS256");

        assertRefused("algorithm", verifier, rs256ClaimingEcKey);
    }

    @Test
    void triesEveryKeyOfTheTypeForATokenWithoutKid() throws AuthException {
        assertEquals("42", verifier.verify(claims().signWith(ec.getPrivate(), Jwts.SIG.ES256).compact()).userId());
        assertRefused("signature", verifier, claims().signWith(rsaRotated.getPrivate(), Jwts.SIG.RS256).compact());
    }

    @Test
    void ignoresKeysNotMeantForSignaturesOrForOtherAlgorithms() throws AuthException {
        document.set(jwks(
                Jwks.json(Jwks.builder().key((RSAPublicKey) rsa.getPublic()).id("enc-1").publicKeyUse("enc").build()),
                Jwks.json(Jwks.builder().key((RSAPublicKey) rsa.getPublic()).id("ps-1").algorithm("PS256").build()),
                "{\"kty\":\"oct\",\"kid\":\"oct-1\",\"k\":\"" + "A".repeat(43) + "\"}",
                rsaJwk("rsa-1", rsa)));

        // The set itself was read: its usable key works.
        assertEquals("42", verifier.verify(signed("rsa-1", rsa.getPrivate(), "RS256")).userId());
        clock.advance(Duration.ofSeconds(30));
        assertRefused("unknown_key", verifier, signed("enc-1", rsa.getPrivate(), "RS256"));
        clock.advance(Duration.ofSeconds(30));
        assertRefused("unknown_key", verifier, signed("ps-1", rsa.getPrivate(), "RS256"));
        clock.advance(Duration.ofSeconds(30));
        assertRefused("algorithm", verifier, TestTokens.hs256("A".repeat(32), claims().header().keyId("oct-1").and()));
    }

    private static String signed(String kid, PrivateKey key, String algorithm) {
        var builder = claims().header().keyId(kid).and();
        return algorithm.equals("RS256")
                ? builder.signWith(key, Jwts.SIG.RS256).compact()
                : builder.signWith(key, Jwts.SIG.ES256).compact();
    }

    private static String rsaJwk(String kid, KeyPair pair) {
        PublicJwk<?> jwk = Jwks.builder().key((RSAPublicKey) pair.getPublic()).id(kid).build();
        return Jwks.json(jwk);
    }

    private static String ecJwk(String kid, KeyPair pair) {
        PublicJwk<?> jwk = Jwks.builder().key((ECPublicKey) pair.getPublic()).id(kid).publicKeyUse("sig").build();
        return Jwks.json(jwk);
    }

    private static String jwks(String... keys) {
        return Arrays.stream(keys).collect(Collectors.joining(",", "{\"keys\":[", "]}"));
    }
}
