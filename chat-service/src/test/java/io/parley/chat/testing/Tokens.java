package io.parley.chat.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import javax.crypto.SecretKey;

import io.jsonwebtoken.JwtBuilder;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;

/** Mints HS256 tokens as the monolith would, for tests. */
public final class Tokens {

    /** The JWT secret that {@link TestServers} configures by default. */
    public static final String SECRET = "test-secret-test-secret-test-secret-0001";

    private Tokens() {
    }

    public static String user(String id) {
        return user(id, name(id), Duration.ofHours(1));
    }

    public static String user(String id, String name, Duration ttl) {
        return builder(id, name, ttl).compact();
    }

    public static String withRooms(String id, List<String> rooms) {
        return builder(id, name(id), Duration.ofHours(1)).claim("rooms", rooms).compact();
    }

    public static JwtBuilder builder(String id, String name, Duration ttl) {
        Instant now = Instant.now();
        return Jwts.builder().subject(id).claim("name", name).issuedAt(java.util.Date.from(now))
                .expiration(java.util.Date.from(now.plus(ttl))).id(UUID.randomUUID().toString())
                .signWith(key(SECRET));
    }

    public static SecretKey key(String secret) {
        return Keys.hmacShaKeyFor(secret.getBytes(StandardCharsets.UTF_8));
    }

    /** "ada" -> "Ada". */
    public static String name(String id) {
        return Character.toUpperCase(id.charAt(0)) + id.substring(1);
    }
}
