package io.parley.chat.observe;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;
import io.parley.chat.ParleyServer;
import io.parley.chat.api.SignedApiClient;
import io.parley.chat.testing.InterfaceDocs;
import io.parley.chat.testing.RedisServer;
import io.parley.chat.testing.TestServers;
import io.parley.chat.testing.WsTestClient;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The metrics table of {@code docs/operations.md} is what {@code /observe/metrics} serves: an instance with every
 * optional part on (Redis, a monolith URL with an events path) serves exactly the {@code parley_*} metrics the
 * table lists, with the type it states, once the paths that create labelled series have been walked once. The
 * history and events posts its stand-in monolith receives are checked against {@code docs/openapi.yaml} on the way.
 */
class MetricsTableIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String API_SECRET = "api-secret-0123456789abcdef-0123456789";
    private static final String MONOLITH_SECRET = "monolith-secret-0123456789abcdef0123";
    /** A table row: | `parley_name` | type | ... */
    private static final Pattern ROW = Pattern.compile(
            "^\\| `(parley_[a-z_]+)(?:\\{[^`]*\\})?` \\| (counter|gauge|histogram) \\|", Pattern.MULTILINE);
    private static final Pattern TYPE = Pattern.compile("^# TYPE (parley_[a-z_]+) (\\w+)$", Pattern.MULTILINE);

    @Test
    void theTableListsExactlyWhatIsServed() throws Exception {
        HttpServer monolith = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        List<String> posted = new CopyOnWriteArrayList<>();
        monolith.createContext("/", exchange -> {
            posted.add(exchange.getRequestURI().getPath() + " " + new String(exchange.getRequestBody().readAllBytes(),
                    StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        monolith.start();
        try (RedisServer redis = RedisServer.start();
             ParleyServer parley = TestServers.start("PARLEY_REDIS_URI", redis.uri(),
                     "PARLEY_API_SECRETS", API_SECRET,
                     "PARLEY_MONOLITH_URL", "http://127.0.0.1:" + monolith.getAddress().getPort(),
                     "PARLEY_MONOLITH_SECRET", MONOLITH_SECRET, "PARLEY_MONOLITH_EVENTS_PATH", "/chat/events")) {
            try (WsTestClient ada = WsTestClient.login(parley.publicPort(), "ada")) {
                ada.join("metrics-room");
                ada.say("metrics-room", "hi", "m-1");
                ada.await(f -> WsTestClient.type(f, "message"));
            }
            try (WsTestClient stranger = WsTestClient.connect(parley.publicPort())) {
                stranger.send(Map.of("type", "auth", "token", "not-a-token"));
                stranger.awaitClose();
            }
            assertEquals(200, new SignedApiClient(parley.adminPort(), API_SECRET).get("/api/v1/stats").status());

            Map<String, String> served = served(parley.adminPort());
            parley.drainAndStop();
            // The webhook bodies the monolith got are what docs/openapi.yaml describes.
            assertTrue(posted.stream().anyMatch(p -> p.startsWith("/chat/messages ")), "a history post: " + posted);
            assertTrue(posted.stream().anyMatch(p -> p.startsWith("/chat/events ")), "an events post: " + posted);
            for (String post : posted) {
                String body = post.substring(post.indexOf(' ') + 1);
                if (post.startsWith("/chat/messages ")) {
                    InterfaceDocs.checkHistoryPost(body);
                } else {
                    InterfaceDocs.checkEventsPost(body);
                }
            }
            Map<String, String> documented = documented();
            assertEquals(new TreeSet<>(documented.keySet()), new TreeSet<>(served.keySet()),
                    "docs/operations.md 'Metrics' against /observe/metrics");
            for (Map.Entry<String, String> row : documented.entrySet()) {
                assertEquals(row.getValue(), served.get(row.getKey()), row.getKey() + ": type");
            }
        } finally {
            monolith.stop(0);
        }
    }

    /** Metric families and their types, from the TYPE lines; Micrometer's {@code _max} gauges of histograms aside. */
    private static Map<String, String> served(int adminPort) throws IOException, InterruptedException {
        String text = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort
                + "/observe/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        Map<String, String> types = new java.util.TreeMap<>();
        Matcher m = TYPE.matcher(text);
        while (m.find()) {
            types.put(m.group(1), m.group(2));
        }
        Set<String> histograms = new TreeSet<>();
        types.forEach((name, type) -> {
            if (type.equals("histogram")) {
                histograms.add(name);
            }
        });
        types.keySet().removeIf(name -> name.endsWith("_max")
                && histograms.contains(name.substring(0, name.length() - "_max".length())));
        assertTrue(types.size() > 10, text);
        return types;
    }

    private static Map<String, String> documented() throws IOException {
        Path ops = Path.of("..", "docs", "operations.md");
        String doc = Files.readString(ops);
        String section = doc.substring(doc.indexOf("\n## Metrics\n"));
        section = section.substring(0, section.indexOf("\n## ", 5));
        Map<String, String> rows = new java.util.TreeMap<>();
        Matcher m = ROW.matcher(section);
        while (m.find()) {
            rows.put(m.group(1), m.group(2));
        }
        return rows;
    }
}
