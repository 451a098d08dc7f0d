package io.parley.chat.auth;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PEM files of {@code PARLEY_JWT_PUBLIC_KEYS}: a {@code PUBLIC KEY} block (SubjectPublicKeyInfo,
 * what {@code openssl pkey -pubout} writes) or a {@code CERTIFICATE}, holding an RSA key of at least 2048
 * bits (RS256) or an EC key on P-256 (ES256). Anything else fails the start with one line naming the
 * variable and the file, so a wrong file is found at deploy time rather than at the first login.
 */
final class PemPublicKeys {

    static final String VARIABLE = "PARLEY_JWT_PUBLIC_KEYS";
    private static final int MIN_RSA_BITS = 2048;
    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
    private static final ECParameterSpec P256 = p256();

    private PemPublicKeys() {
    }

    /** The public key in {@code file}; IllegalArgumentException naming the variable and the file otherwise. */
    static PublicKey read(Path file) {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            throw invalid(file, "cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        Matcher block = BLOCK.matcher(pem);
        if (!block.find()) {
            throw invalid(file, "holds no PEM block");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(block.group(2));
        } catch (IllegalArgumentException e) {
            throw invalid(file, "holds a PEM block that is not valid base64");
        }
        PublicKey key = switch (block.group(1)) {
            case "PUBLIC KEY" -> decodeSubjectPublicKeyInfo(file, der);
            case "CERTIFICATE" -> decodeCertificate(file, der);
            default -> throw invalid(file, "holds a '" + block.group(1)
                    + "' block; expected 'PUBLIC KEY' or 'CERTIFICATE' (never a private key)");
        };
        return requireUsable(file, key);
    }

    /** Whether an EC key is on P-256, the only curve ES256 allows. */
    static boolean isP256(ECPublicKey key) {
        ECParameterSpec params = key.getParams();
        return params.getCurve().equals(P256.getCurve()) && params.getOrder().equals(P256.getOrder())
                && params.getGenerator().equals(P256.getGenerator());
    }

    /** Whether an RSA key is long enough for RS256 (jjwt refuses shorter ones at verification time). */
    static boolean isStrongEnough(RSAPublicKey key) {
        return key.getModulus().bitLength() >= MIN_RSA_BITS;
    }

    private static PublicKey decodeSubjectPublicKeyInfo(Path file, byte[] der) {
        for (String type : new String[]{"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(type).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // Not this key type: try the next one.
            }
        }
        throw invalid(file, "is not an RSA or EC public key");
    }

    private static PublicKey decodeCertificate(Path file, byte[] der) {
        try {
            return CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der)).getPublicKey();
        } catch (GeneralSecurityException e) {
            throw invalid(file, "holds a certificate that cannot be parsed");
        }
    }

    private static PublicKey requireUsable(Path file, PublicKey key) {
        if (key instanceof RSAPublicKey rsa) {
            if (!isStrongEnough(rsa)) {
                throw invalid(file, "is an RSA key of " + rsa.getModulus().bitLength()
                        + " bits; RS256 needs at least " + MIN_RSA_BITS);
            }
            return key;
        }
        if (key instanceof ECPublicKey ec) {
            if (!isP256(ec)) {
                throw invalid(file, "is an EC key on a curve other than P-256; only ES256 is accepted");
            }
            return key;
        }
        throw invalid(file, "is a " + key.getAlgorithm() + " key; only RSA (RS256) and EC P-256 (ES256) are accepted");
    }

    private static IllegalArgumentException invalid(Path file, String problem) {
        return new IllegalArgumentException(VARIABLE + ": " + file + " " + problem);
    }

    private static ECParameterSpec p256() {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            return parameters.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK does not support the P-256 curve", e);
        }
    }
}
