package io.parley.chat.auth;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Who a connection is, as proven by a token the monolith issued.
 *
 * @param userId    the {@code sub} claim (a numeric claim is read as its decimal string)
 * @param name      display name, at most 64 characters; the user id when the token has none
 * @param rooms     the {@code rooms} claim, or empty when the token has none (then the default policy decides)
 * @param expiresAt the {@code exp} claim
 * @param issuedAt  the {@code iat} claim when present (revocation compares against it)
 */
public record Principal(String userId, String name, Optional<List<String>> rooms, Instant expiresAt,
                        Optional<Instant> issuedAt) {
}
