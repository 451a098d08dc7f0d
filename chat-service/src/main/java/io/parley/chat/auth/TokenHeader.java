package io.parley.chat.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.parley.chat.protocol.Json;

import java.io.IOException;
import java.util.Base64;
import java.util.Optional;

/**
 * The routing part of a token's protected header, read before verification only to pick candidate keys:
 * nothing here is trusted. jjwt re-reads the header and verifies everything afterwards; the parser for each
 * candidate key accepts only that key's algorithm, so a forged {@code alg} or {@code kid} can at worst
 * select no key.
 *
 * @param alg the {@code alg} header, as sent
 * @param kid the {@code kid} header, when present
 */
record TokenHeader(String alg, Optional<String> kid) {

    private static final ObjectMapper JSON = JsonMapper.builder(Json.pooledFactory()).build();

    static TokenHeader peek(String token) throws AuthException {
        if (token == null || token.isBlank()) {
            throw new AuthException("malformed", "token is missing");
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length == 5) {
            throw new AuthException("algorithm", "encrypted tokens (JWE) are not accepted");
        }
        if (parts.length != 3) {
            throw new AuthException("malformed", "token is not a JWT (expected three dot-separated parts)");
        }
        JsonNode header = decode(parts[0]);
        JsonNode alg = header.get("alg");
        if (alg == null || !alg.isTextual() || alg.asText().isEmpty()) {
            throw new AuthException("malformed", "token header has no algorithm (alg)");
        }
        if (alg.asText().equalsIgnoreCase("none") || parts[2].isEmpty()) {
            throw new AuthException("algorithm", "unsigned tokens are refused");
        }
        JsonNode kid = header.get("kid");
        if (kid != null && !kid.isTextual()) {
            throw new AuthException("malformed", "token header 'kid' must be a string");
        }
        return new TokenHeader(alg.asText(), Optional.ofNullable(kid).map(JsonNode::asText));
    }

    private static JsonNode decode(String encodedHeader) throws AuthException {
        try {
            JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(encodedHeader));
            if (header == null || !header.isObject()) {
                throw new AuthException("malformed", "token header is not a JSON object");
            }
            return header;
        } catch (IllegalArgumentException | IOException e) {
            throw new AuthException("malformed", "token header is not base64url-encoded JSON");
        }
    }
}
