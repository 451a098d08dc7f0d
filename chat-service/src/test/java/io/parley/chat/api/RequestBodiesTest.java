package io.parley.chat.api;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What the HTTP client of {@link ServerApiTest} cannot send: raw paths with odd escapes. */
class RequestBodiesTest {

    @Test
    void pathSegmentsArePercentDecodedOneByOne() {
        assertEquals(List.of("rooms", "team-7:general", "messages"),
                RequestBodies.segments("/rooms/team-7%3Ageneral/messages"));
        assertEquals(List.of("rooms", "a/b", "messages"), RequestBodies.segments("/rooms/a%2Fb/messages"));
        assertEquals(List.of("users", "a+b"), RequestBodies.segments("/users/a+b"));
        assertEquals(List.of("stats"), RequestBodies.segments("//stats/"));
        assertEquals(List.of(), RequestBodies.segments(""));
    }

    @Test
    void aMalformedEscapeIsABadRequest() {
        ApiException e = assertThrows(ApiException.class, () -> RequestBodies.segments("/rooms/x%ZZ/messages"));
        assertEquals(400, e.status());
        assertEquals(400, assertThrows(ApiException.class, () -> RequestBodies.segments("/rooms/x%")).status());
    }

    @Test
    void aDecodedSlashNeverMakesAValidRoom() {
        assertEquals(400, assertThrows(ApiException.class, () -> RequestBodies.room("a/b")).status());
    }

    @Test
    void limitsAndCursorsAreChecked() {
        assertEquals(50, RequestBodies.limit(Optional.empty(), 50, 1000));
        assertEquals(1000, RequestBodies.limit(Optional.of("1000"), 50, 1000));
        for (String bad : List.of("0", "-1", "1001", "1e3", " 5", "")) {
            assertEquals(400, assertThrows(ApiException.class,
                    () -> RequestBodies.limit(Optional.of(bad), 50, 1000)).status(), bad);
        }
        assertEquals(Optional.of("1700000000000-000001:lobby"),
                RequestBodies.since(Optional.of("1700000000000-000001:lobby")));
        assertEquals(Optional.of("5-0"), RequestBodies.since(Optional.of("5-0")));
        assertEquals(400, assertThrows(ApiException.class,
                () -> RequestBodies.since(Optional.of("yesterday"))).status());
    }
}
