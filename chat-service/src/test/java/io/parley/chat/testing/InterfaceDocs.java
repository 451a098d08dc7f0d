package io.parley.chat.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Checks what tests see against {@code docs/openapi.yaml} and {@code docs/asyncapi.yaml} (packaged on the class path
 * under {@code parley-docs/}, as the admin port serves them), with the networknt JSON Schema validator: every server
 * API answer ({@link #checkApiAnswer}), every server frame ({@link #checkServerFrame}), the webhook bodies, and the
 * documents' own examples ({@link #eachExample}). A mismatch is an {@link AssertionError} that names the document,
 * the schema and what differs, so a test fails where the code and the documents part.
 */
public final class InterfaceDocs {

    public static final String OPENAPI = "parley-docs/openapi.yaml";
    public static final String ASYNCAPI = "parley-docs/asyncapi.yaml";

    // OpenAPI 3.1 schemas are JSON Schema 2020-12; AsyncAPI 3's default schema format extends draft-07.
    private static final SchemaRegistry OPENAPI_SCHEMAS =
            SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final SchemaRegistry ASYNCAPI_SCHEMAS =
            SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7);
    private static final Map<String, Schema> CACHE = new ConcurrentHashMap<>();
    private static final Map<String, JsonNode> DOCUMENTS = new ConcurrentHashMap<>();

    private InterfaceDocs() {
    }

    /** A server frame as received: one of {@code ServerFrame} in the AsyncAPI document. */
    public static void checkServerFrame(String json) {
        check(ASYNCAPI, "/components/schemas/ServerFrame", json);
    }

    /** A history webhook body as the monolith received it. */
    public static void checkHistoryPost(String json) {
        check(OPENAPI, "/components/schemas/HistoryPost", json);
    }

    /** An events webhook body as the monolith received it. */
    public static void checkEventsPost(String json) {
        check(OPENAPI, "/components/schemas/EventsPost", json);
    }

    /**
     * A server API answer: the schema of the documented response for this path, method and status; an error of a
     * path the document does not have (404, or the 401 of a request refused before routing) must be the documented
     * {@code Error}.
     *
     * @param target the request target as sent (path and query)
     */
    public static void checkApiAnswer(String method, String target, int status, String body) {
        String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
        JsonNode paths = document(OPENAPI).path("paths");
        for (Map.Entry<String, JsonNode> entry : paths.properties()) {
            if (!templatePattern(entry.getKey()).matcher(path).matches()) {
                continue;
            }
            JsonNode operation = entry.getValue().path(method.toLowerCase(Locale.ROOT));
            if (operation.isMissingNode()) {
                check(OPENAPI, "/components/schemas/Error", body);
                return;
            }
            String responsePointer = "/paths/" + escape(entry.getKey()) + "/" + method.toLowerCase(Locale.ROOT)
                    + "/responses/" + status;
            JsonNode response = operation.path("responses").path(Integer.toString(status));
            if (response.isMissingNode()) {
                throw new AssertionError(OPENAPI + ": " + method + " " + entry.getKey() + " does not document status "
                        + status + " (answered " + body + ")");
            }
            if (response.has("$ref")) {
                responsePointer = response.get("$ref").asString().substring(1);
            }
            check(OPENAPI, responsePointer + "/content/application~1json/schema", body);
            return;
        }
        if (status != 404 && status != 401) {
            throw new AssertionError(OPENAPI + ": no path matches " + path + " (answered " + status + ")");
        }
        check(OPENAPI, "/components/schemas/Error", body);
    }

    /**
     * Calls {@code check} with (where, example JSON) for every example in a document: {@code examples} lists of
     * schemas, OpenAPI media types' named examples, AsyncAPI messages' payload examples. Returns how many.
     */
    public static int eachExample(String document, BiConsumer<String, Runnable> check) {
        int[] count = {0};
        walk(document, document(document), "", check, count);
        return count[0];
    }

    /** The errors of {@code json} against the schema at {@code pointer} of a document (empty: valid). */
    public static List<Error> errors(String document, String pointer, String json) {
        return schema(document, pointer).validate(json, InputFormat.JSON);
    }

    private static void check(String document, String pointer, String json) {
        List<Error> errors = errors(document, pointer, json);
        if (!errors.isEmpty()) {
            throw new AssertionError(document + "#" + pointer + " refuses " + json + ": " + errors);
        }
    }

    private static void walk(String document, JsonNode node, String pointer, BiConsumer<String, Runnable> check,
                             int[] count) {
        if (node.isObject()) {
            JsonNode examples = node.path("examples");
            if (node.has("payload") && examples.isArray()) {
                for (JsonNode example : examples) {
                    count[0]++;
                    String json = example.path("payload").toString();
                    check.accept(pointer + " payload " + json, () -> check(document, pointer + "/payload", json));
                }
            } else if (node.has("schema") && examples.isObject()) {
                for (Map.Entry<String, JsonNode> example : examples.properties()) {
                    count[0]++;
                    String json = example.getValue().path("value").toString();
                    check.accept(pointer + " " + example.getKey(), () -> check(document, pointer + "/schema", json));
                }
            } else if (examples.isArray() && !pointer.isEmpty()) {
                for (JsonNode example : examples) {
                    count[0]++;
                    String json = example.toString();
                    check.accept(pointer + " " + json, () -> check(document, pointer, json));
                }
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> child = it.next();
                if (!child.getKey().equals("examples")) {
                    walk(document, child.getValue(), pointer + "/" + escape(child.getKey()), check, count);
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(document, node.get(i), pointer + "/" + i, check, count);
            }
        }
    }

    private static Schema schema(String document, String pointer) {
        return CACHE.computeIfAbsent(document + "#" + pointer, key -> {
            SchemaRegistry registry = document.equals(ASYNCAPI) ? ASYNCAPI_SCHEMAS : OPENAPI_SCHEMAS;
            Schema schema = registry.getSchema(SchemaLocation.of("classpath:" + key));
            schema.initializeValidators();
            return schema;
        });
    }

    private static JsonNode document(String document) {
        return DOCUMENTS.computeIfAbsent(document, name -> {
            try (InputStream in = InterfaceDocs.class.getClassLoader().getResourceAsStream(name)) {
                if (in == null) {
                    throw new IllegalStateException(name + " is not on the class path (chat-service/pom.xml packages it)");
                }
                return new YAMLMapper().readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static Pattern templatePattern(String template) {
        return Pattern.compile("^" + template.replaceAll("\\{[^}]+\\}", "[^/]*") + "$");
    }

    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
