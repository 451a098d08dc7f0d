package io.parley.chat.auth;

import io.jsonwebtoken.Claims;
import io.parley.chat.model.Text;
import io.parley.chat.model.User;
import io.parley.chat.model.UserId;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * Turns verified claims into a {@link Principal}, enforcing what jjwt leaves to the application:
 * {@code exp} and {@code sub} are required, {@code iat} may not lie in the future, and {@code name} and
 * {@code rooms} have the shapes protocol.md §1 gives them. Runs only on claims whose signature verified.
 */
final class ClaimsReader {

    private final Clock clock;
    private final Duration leeway;

    ClaimsReader(Clock clock, Duration leeway) {
        this.clock = clock;
        this.leeway = leeway;
    }

    Principal read(Claims claims) throws AuthException {
        Instant expiresAt = requireExpiration(claims);
        Optional<Instant> issuedAt = Optional.ofNullable(claims.getIssuedAt()).map(Date::toInstant);
        if (issuedAt.isPresent() && issuedAt.get().isAfter(clock.instant().plus(leeway))) {
            throw new AuthException("not_yet_valid", "token is issued in the future (iat)");
        }
        String userId = requireUserId(claims);
        return new Principal(userId, name(claims).orElse(userId), rooms(claims), expiresAt, issuedAt);
    }

    /** jjwt checks {@code exp} when present but accepts a token without one; a token must not live forever. */
    private static Instant requireExpiration(Claims claims) throws AuthException {
        Date exp = claims.getExpiration();
        if (exp == null) {
            throw new AuthException("claims", "token has no expiry (exp)");
        }
        return exp.toInstant();
    }

    private static String requireUserId(Claims claims) throws AuthException {
        String sub = claims.getSubject();
        if (sub == null) {
            throw new AuthException("claims", "token has no subject (sub)");
        }
        if (!UserId.isValid(sub)) {
            throw new AuthException("claims", "token subject (sub): " + UserId.PROBLEM);
        }
        return sub;
    }

    /** A blank name counts as none: the user id is then shown, which is better than an empty label. */
    private static Optional<String> name(Claims claims) throws AuthException {
        Object name = claims.get("name");
        if (name == null) {
            return Optional.empty();
        }
        if (!(name instanceof String text)) {
            throw new AuthException("claims", "token claim 'name' must be a string");
        }
        if (Text.length(text) > User.MAX_NAME_LENGTH) {
            throw new AuthException("claims", "token claim 'name' is longer than " + User.MAX_NAME_LENGTH
                    + " characters");
        }
        return text.isBlank() ? Optional.empty() : Optional.of(text);
    }

    private static Optional<List<String>> rooms(Claims claims) throws AuthException {
        Object rooms = claims.get("rooms");
        if (rooms == null) {
            return Optional.empty();
        }
        if (!(rooms instanceof List<?> entries)) {
            throw new AuthException("claims", "token claim 'rooms' must be a list of room names");
        }
        List<String> checked = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            if (!(entries.get(i) instanceof String entry) || !RoomAccess.isValidRoomsEntry(entry)) {
                throw new AuthException("claims", "token claim 'rooms' entry #" + (i + 1)
                        + " is neither a room name nor a prefix ending in '*'");
            }
            checked.add(entry);
        }
        return Optional.of(List.copyOf(checked));
    }
}
