package io.parley.chat.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static io.parley.chat.auth.TestTokens.SECRET_A;
import static io.parley.chat.auth.TestTokens.SECRET_B;
import static io.parley.chat.auth.TestTokens.assertInvalid;
import static io.parley.chat.auth.TestTokens.ecKeyPair;
import static io.parley.chat.auth.TestTokens.rsaKeyPair;
import static io.parley.chat.auth.TestTokens.writePem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuthSettingsTest {

    @TempDir
    Path dir;

    @Test
    void refusesASecretShorterThan32BytesNamingTheVariableButNotTheSecret() {
        String shortSecret = "only-twenty-bytes-xx";

        IllegalArgumentException refused = assertInvalid(() -> settings(List.of(SECRET_A, shortSecret), List.of()));

        assertTrue(refused.getMessage().startsWith("PARLEY_JWT_SECRETS"), refused.getMessage());
        assertTrue(refused.getMessage().contains("#2"), refused.getMessage());
        assertFalse(refused.getMessage().contains(shortSecret));
        assertFalse(refused.getMessage().contains("\n"));
    }

    @Test
    void countsSecretLengthInUtf8Bytes() {
        // 16 two-byte characters are 32 bytes: enough.
        assertEquals(1, settings(List.of("é".repeat(16)), List.of()).hmacSecrets().size());
        assertInvalid(() -> settings(List.of("é".repeat(15)), List.of()));
    }

    @Test
    void refusesToStartWithoutAnyKey() {
        IllegalArgumentException refused = assertInvalid(() -> settings(List.of(), List.of()));

        assertTrue(refused.getMessage().contains("PARLEY_JWT_SECRETS"));
        assertTrue(refused.getMessage().contains("PARLEY_JWT_PUBLIC_KEYS"));
        assertTrue(refused.getMessage().contains("PARLEY_JWKS_URL"));
    }

    @Test
    void namesTheVariableAndTheFileForAnUnusablePem() throws Exception {
        Path missing = dir.resolve("missing.pem");
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "hello");
        Path notBase64 = Files.writeString(dir.resolve("bad.pem"), "-----BEGIN PUBLIC KEY-----\n@@@@\n-----END PUBLIC KEY-----\n");
        Path privateKey = Files.writeString(dir.resolve("private.pem"), "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(rsaKeyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        Path notAKey = Files.writeString(dir.resolve("not-a-key.pem"), "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString("definitely not DER".getBytes()) + "\n-----END PUBLIC KEY-----\n");
        KeyPairGenerator weak = KeyPairGenerator.getInstance("RSA");
        weak.initialize(1024);
        Path weakRsa = writePem(dir, "weak.pem", weak.generateKeyPair().getPublic());
        Path p384 = writePem(dir, "p384.pem", ecKeyPair("secp384r1").getPublic());

        for (Path file : List.of(missing, garbage, notBase64, privateKey, notAKey, weakRsa, p384)) {
            IllegalArgumentException refused = assertInvalid(() -> settings(List.of(), List.of(file)));
            assertTrue(refused.getMessage().startsWith("PARLEY_JWT_PUBLIC_KEYS"), refused.getMessage());
            assertTrue(refused.getMessage().contains(file.toString()), refused.getMessage());
        }
    }

    @Test
    void acceptsRsaAndP256PemFiles() throws Exception {
        Path rsa = writePem(dir, "rsa.pem", rsaKeyPair().getPublic());
        Path ec = writePem(dir, "ec.pem", ecKeyPair("secp256r1").getPublic());

        assertEquals(List.of(rsa, ec), settings(List.of(), List.of(rsa, ec)).publicKeyPems());
    }

    @Test
    void refusesAJwksUrlThatIsNotAbsoluteHttp() {
        for (String url : List.of("ftp://keys.example/jwks", "/jwks.json", "https:///jwks", "mailto:keys@example.com")) {
            IllegalArgumentException refused = assertInvalid(() -> new AuthSettings(List.of(), List.of(),
                    Optional.of(URI.create(url)), Optional.empty(), Optional.empty(), AuthSettings.DEFAULT_LEEWAY));
            assertTrue(refused.getMessage().startsWith("PARLEY_JWKS_URL"), refused.getMessage());
        }
    }

    @Test
    void aJwksUrlAloneIsEnough() {
        URI url = URI.create("https://id.example/.well-known/jwks.json");

        assertEquals(Optional.of(url), new AuthSettings(List.of(), List.of(), Optional.of(url), Optional.empty(),
                Optional.empty(), AuthSettings.DEFAULT_LEEWAY).jwksUrl());
    }

    @Test
    void refusesBlankIssuerOrAudienceAndNegativeLeeway() {
        assertTrue(assertInvalid(() -> new AuthSettings(List.of(SECRET_A), List.of(), Optional.empty(), Optional.of(" "),
                Optional.empty(), Duration.ZERO)).getMessage().startsWith("PARLEY_JWT_ISSUER"));
        assertTrue(assertInvalid(() -> new AuthSettings(List.of(SECRET_A), List.of(), Optional.empty(), Optional.empty(),
                Optional.of(""), Duration.ZERO)).getMessage().startsWith("PARLEY_JWT_AUDIENCE"));
        assertTrue(assertInvalid(() -> new AuthSettings(List.of(SECRET_A), List.of(), Optional.empty(), Optional.empty(),
                Optional.empty(), Duration.ofSeconds(-1))).getMessage().startsWith("PARLEY_JWT_LEEWAY"));
    }

    @Test
    void neverPrintsSecretsOrTheJwksPath() {
        AuthSettings settings = new AuthSettings(List.of(SECRET_A, SECRET_B), List.of(),
                Optional.of(URI.create("https://id.example/jwks.json?access=abc")), Optional.empty(), Optional.empty(),
                AuthSettings.DEFAULT_LEEWAY);

        assertFalse(settings.toString().contains(SECRET_A));
        assertFalse(settings.toString().contains(SECRET_B));
        assertFalse(settings.toString().contains("access=abc"));
        assertTrue(settings.toString().contains("2 secret(s)"));
    }

    @Test
    void holdsImmutableCopies() {
        AuthSettings settings = settings(new java.util.ArrayList<>(List.of(SECRET_A)), List.of());

        assertThrows(UnsupportedOperationException.class, () -> settings.hmacSecrets().add(SECRET_B));
    }

    private static AuthSettings settings(List<String> secrets, List<Path> pems) {
        return new AuthSettings(secrets, pems, Optional.empty(), Optional.empty(), Optional.empty(), AuthSettings.DEFAULT_LEEWAY);
    }
}
