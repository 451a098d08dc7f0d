package io.parley.chat.auth;

import io.jsonwebtoken.Jwts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static io.parley.chat.auth.TestTokens.SECRET_A;
import static io.parley.chat.auth.TestTokens.assertRefused;
import static io.parley.chat.auth.TestTokens.claims;
import static io.parley.chat.auth.TestTokens.ecKeyPair;
import static io.parley.chat.auth.TestTokens.epoch;
import static io.parley.chat.auth.TestTokens.handSigned;
import static io.parley.chat.auth.TestTokens.pem;
import static io.parley.chat.auth.TestTokens.rsaKeyPair;
import static io.parley.chat.auth.TestTokens.verifier;
import static io.parley.chat.auth.TestTokens.writePem;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** RS256 and ES256 with keys from PEM files, and the confusions that must not verify. */
class PublicKeyTokenVerifierTest {

    @TempDir
    static Path dir;

    private static KeyPair rsa;
    private static KeyPair rsaNext;
    private static KeyPair ec;
    private static Path rsaPem;
    private static Path rsaNextPem;
    private static Path ecPem;

    @BeforeAll
    static void keys() throws Exception {
        rsa = rsaKeyPair();
        rsaNext = rsaKeyPair();
        ec = ecKeyPair("secp256r1");
        rsaPem = writePem(dir, "rsa.pem", rsa.getPublic());
        rsaNextPem = writePem(dir, "rsa-next.pem", rsaNext.getPublic());
        ecPem = writePem(dir, "ec.pem", ec.getPublic());
    }

    @Test
    void verifiesRs256AndEs256WithPemKeys() throws AuthException {
        TokenVerifier verifier = verifier(pems(List.of(), rsaPem, ecPem));

        assertEquals("42", verifier.verify(claims().signWith(rsa.getPrivate(), Jwts.SIG.RS256).compact()).userId());
        assertEquals("42", verifier.verify(claims().signWith(ec.getPrivate(), Jwts.SIG.ES256).compact()).userId());
        // A kid means nothing to PEM keys: every key of the type is tried.
        assertEquals("42", verifier.verify(claims().header().keyId("whatever").and()
                .signWith(ec.getPrivate(), Jwts.SIG.ES256).compact()).userId());
    }

    @Test
    void triesEveryPemKeyOfTheType() throws Exception {
        TokenVerifier verifier = verifier(pems(List.of(), rsaPem, rsaNextPem));

        assertEquals("42", verifier.verify(claims().signWith(rsaNext.getPrivate(), Jwts.SIG.RS256).compact()).userId());
        assertRefused("signature", verifier, claims().signWith(rsaKeyPair().getPrivate(), Jwts.SIG.RS256).compact());
    }

    @Test
    void refusesAnAlgorithmWithoutAKeyOfItsType() throws Exception {
        TokenVerifier rsaOnly = verifier(pems(List.of(), rsaPem));

        assertRefused("algorithm", rsaOnly, claims().signWith(ec.getPrivate(), Jwts.SIG.ES256).compact());
        assertRefused("algorithm", rsaOnly, TestTokens.hs256(SECRET_A, claims()));
        assertRefused("algorithm", rsaOnly, claims().signWith(rsa.getPrivate(), Jwts.SIG.RS512).compact());
        assertRefused("algorithm", rsaOnly, claims().signWith(rsa.getPrivate(), Jwts.SIG.PS256).compact());
    }

    @Test
    void refusesAnEs256HeaderOnAnRs256Signature() throws AuthException {
        TokenVerifier verifier = verifier(pems(List.of(), rsaPem, ecPem));
        String[] rs256 = claims().signWith(rsa.getPrivate(), Jwts.SIG.RS256).compact().split("\\.");
        String relabelled = TestTokens.b64("{\"alg\":\"ES256\"}") + "." + rs256[1] + "." + rs256[2];

        assertRefused("signature", verifier, relabelled);
    }

    @Test
    void refusesRsHsConfusion() {
        // The classic attack: sign HS256 with the server's RSA public key (which is public) as the secret.
        String payload = "{\"sub\":\"42\",\"exp\":" + epoch(Duration.ofMinutes(10)) + "}";
        String withPemText = handSigned("{\"alg\":\"HS256\"}", payload, "HmacSHA256",
                pem(rsa.getPublic()).getBytes(StandardCharsets.US_ASCII));
        String withDer = handSigned("{\"alg\":\"HS256\"}", payload, "HmacSHA256", rsa.getPublic().getEncoded());

        TokenVerifier pemOnly = verifier(pems(List.of(), rsaPem));
        assertRefused("algorithm", pemOnly, withPemText);
        assertRefused("algorithm", pemOnly, withDer);

        TokenVerifier pemAndSecret = verifier(pems(List.of(SECRET_A), rsaPem));
        assertRefused("signature", pemAndSecret, withPemText);
        assertRefused("signature", pemAndSecret, withDer);
    }

    @Test
    void readsAKeyFromAnX509CertificatePem() throws Exception {
        // keytool (next to the running java) makes a real self-signed certificate.
        Path keytool = Path.of(ProcessHandle.current().info().command().orElseThrow()).resolveSibling("keytool");
        Path keystore = dir.resolve("cert.p12");
        Path certificate = dir.resolve("cert.pem");
        run(keytool.toString(), "-genkeypair", "-keyalg", "RSA", "-keysize", "2048", "-alias", "parley",
                "-dname", "CN=parley-test", "-validity", "2", "-keystore", keystore.toString(), "-storepass", "changeit");
        run(keytool.toString(), "-exportcert", "-rfc", "-alias", "parley", "-keystore", keystore.toString(),
                "-storepass", "changeit", "-file", certificate.toString());
        KeyStore store = KeyStore.getInstance(keystore.toFile(), "changeit".toCharArray());
        PrivateKey key = (PrivateKey) store.getKey("parley", "changeit".toCharArray());

        TokenVerifier verifier = verifier(pems(List.of(), certificate));

        assertEquals("42", verifier.verify(claims().signWith(key, Jwts.SIG.RS256).compact()).userId());
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }

    private static AuthSettings pems(List<String> secrets, Path... files) {
        return new AuthSettings(secrets, List.of(files), Optional.empty(), Optional.empty(), Optional.empty(),
                AuthSettings.DEFAULT_LEEWAY);
    }
}
