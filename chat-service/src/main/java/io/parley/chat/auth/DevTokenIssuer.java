package io.parley.chat.auth;

import io.jsonwebtoken.JwtBuilder;
import io.jsonwebtoken.Jwts;
import io.parley.chat.model.Text;
import io.parley.chat.model.User;
import io.parley.chat.model.UserId;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Mints HS256 tokens for the development mode ({@code PARLEY_DEV=true}) only, so the demo page can log in
 * without a monolith. The tokens have the monolith's shape ({@code sub}, {@code name}, {@code iat},
 * {@code exp}, {@code jti}, and {@code rooms} when given) and are verified like any other: the dev secret
 * must be among the secrets of {@link AuthSettings#hmacSecrets()} for them to be accepted.
 *
 * <p>Its input is checked against the same rules the verifier applies, so it never mints a token the
 * verifier would refuse; bad input is an {@link IllegalArgumentException} (a 400 for a dev endpoint).
 */
public final class DevTokenIssuer {

    private final SecretKey key;
    private final Duration lifetime;
    private final Clock clock;

    /**
     * @param secret   the dev secret ({@code PARLEY_DEV_SECRET}), at least 32 bytes of UTF-8
     * @param lifetime how long each token is valid; positive
     */
    public DevTokenIssuer(String secret, Duration lifetime) {
        this(secret, lifetime, Clock.systemUTC());
    }

    public DevTokenIssuer(String secret, Duration lifetime, Clock clock) {
        byte[] bytes = Objects.requireNonNull(secret, "secret").getBytes(StandardCharsets.UTF_8);
        if (bytes.length < AuthSettings.MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("PARLEY_DEV_SECRET: must be at least "
                    + AuthSettings.MIN_SECRET_BYTES + " bytes (is " + bytes.length + ")");
        }
        if (lifetime == null || lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("dev token lifetime must be positive");
        }
        this.key = new SecretKeySpec(bytes, "HmacSHA256");
        this.lifetime = lifetime;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * A signed token for {@code userId}.
     *
     * @param userId a valid {@link UserId}
     * @param name   display name of at most 64 characters, or {@code null} to show the user id
     * @param rooms  the {@code rooms} claim (room names or prefixes ending in {@code *}), or empty for none
     */
    public String issue(String userId, String name, Optional<List<String>> rooms) {
        UserId id = new UserId(userId);
        if (name != null && Text.length(name) > User.MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("name must be at most " + User.MAX_NAME_LENGTH + " characters");
        }
        Objects.requireNonNull(rooms, "rooms");
        if (rooms.isPresent() && !rooms.get().stream().allMatch(RoomAccess::isValidRoomsEntry)) {
            throw new IllegalArgumentException("rooms must be room names or prefixes ending in '*'");
        }
        Instant now = clock.instant();
        JwtBuilder token = Jwts.builder()
                .subject(id.value())
                .issuedAt(Date.from(now))
                .expiration(Date.from(now.plus(lifetime)))
                .id(UUID.randomUUID().toString());
        if (name != null) {
            token.claim("name", name);
        }
        rooms.ifPresent(list -> token.claim("rooms", List.copyOf(list)));
        return token.signWith(key, Jwts.SIG.HS256).compact();
    }
}
