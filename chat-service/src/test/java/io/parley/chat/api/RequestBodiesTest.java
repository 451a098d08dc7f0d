package io.parley.chat.api;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What the HTTP client of {@link ServerApiTest} cannot send: raw paths with odd escapes. */
class RequestBodiesTest {

    @Test
    void aPathSegmentIsPercentDecodedAsUtf8() {
        assertEquals("team-7:general", RequestBodies.segment("team-7%3Ageneral"));
        assertEquals("a/b", RequestBodies.segment("a%2Fb"));
        assertEquals("a+b", RequestBodies.segment("a+b"));
        assertEquals("café", RequestBodies.segment("caf%C3%A9"));
        assertEquals("", RequestBodies.segment(""));
    }

    @Test
    void aMalformedEscapeOrBytesThatAreNotUtf8AreABadRequest() {
        for (String bad : List.of("x%ZZ", "x%", "x%4", "%e0%a4", "%ff")) {
            ApiException e = assertThrows(ApiException.class, () -> RequestBodies.segment(bad), bad);
            assertEquals(400, e.status());
        }
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
