package io.parley.it.bench;

import java.time.Duration;
import java.util.List;

import io.parley.chat.testing.Tokens;

/**
 * What one load socket does: authenticates as {@code userId} with {@code token}, then joins {@code rooms}.
 *
 * @param userId the JWT subject; distinct users keep the per-user connection limit out of the way
 * @param token  a signed token for that user
 * @param rooms  rooms joined right after {@code welcome}, in order
 * @param server which of the load client's servers the socket connects to (0 when it has one)
 */
record SocketPlan(String userId, String token, List<String> rooms, int server) {

    /** Long enough for any benchmark run: an expiry mid-run would close every socket 4401. */
    private static final Duration TOKEN_LIFETIME = Duration.ofHours(12);

    SocketPlan {
        rooms = List.copyOf(rooms);
    }

    /** A socket of user {@code userId} (token signed with {@link Tokens#SECRET}) that joins {@code rooms}. */
    static SocketPlan of(String userId, List<String> rooms) {
        return of(userId, rooms, 0);
    }

    /** The same, on the load client's server number {@code server}. */
    static SocketPlan of(String userId, List<String> rooms, int server) {
        return new SocketPlan(userId, Tokens.user(userId, Tokens.name(userId), TOKEN_LIFETIME), rooms, server);
    }
}
