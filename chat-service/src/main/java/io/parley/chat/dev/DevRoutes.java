package io.parley.chat.dev;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.staticcontent.StaticContentService;
import io.parley.chat.auth.DevTokenIssuer;
import io.parley.chat.auth.RoomAccess;
import io.parley.chat.protocol.Json;

/**
 * {@code POST /dev/token} with {@code {"user":"ada","name":"Ada","rooms":[...]?}} answers {@code {"token":"..."}};
 * {@code /} serves the demo host page. Stands in for the monolith's token endpoint on a developer's machine.
 */
public final class DevRoutes implements HttpService {

    private static final Pattern USER_ID = Pattern.compile("^[A-Za-z0-9_.-]{1,64}$");
    private final DevTokenIssuer issuer;

    public DevRoutes(DevTokenIssuer issuer) {
        this.issuer = issuer;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/dev/token", this::token)
                .register("/", StaticContentService.builder("web/demo").welcomeFileName("index.html").build());
    }

    private void token(ServerRequest req, ServerResponse res) throws Exception {
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(req.content().as(String.class));
        } catch (Exception e) {
            body = null;
        }
        String user = body == null ? null : body.path("user").asText(null);
        if (user == null || !USER_ID.matcher(user).matches()) {
            res.status(Status.BAD_REQUEST_400).send(Json.MAPPER.writeValueAsString(Map.of(
                    "error", "bad_request", "message", "'user' must be 1-64 of A-Z a-z 0-9 _ . -")));
            return;
        }
        String name = body.path("name").asText(user);
        Optional<List<String>> rooms = Optional.empty();
        if (body.path("rooms").isArray()) {
            List<String> list = new java.util.ArrayList<>();
            body.path("rooms").forEach(r -> list.add(r.asText()));
            if (!list.stream().allMatch(RoomAccess::isValidRoomsEntry)) {
                res.status(Status.BAD_REQUEST_400).send(Json.MAPPER.writeValueAsString(Map.of(
                        "error", "bad_request", "message", "invalid room in 'rooms'")));
                return;
            }
            rooms = Optional.of(list);
        }
        String token = issuer.issue(user, name.length() > 64 ? name.substring(0, 64) : name, rooms);
        res.header("Cache-Control", "no-store").header("Content-Type", "application/json")
                .send(Json.MAPPER.writeValueAsString(Map.of("token", token)));
    }
}
