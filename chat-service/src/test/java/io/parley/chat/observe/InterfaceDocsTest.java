package io.parley.chat.observe;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.parley.chat.ParleyServer;
import io.parley.chat.testing.InterfaceDocs;
import io.parley.chat.testing.TestServers;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code docs/openapi.yaml} and {@code docs/asyncapi.yaml}: every example in them is valid against its own schema, the
 * validator refuses what the documents forbid (so the checks every API answer and frame goes through can fail), and
 * the admin port serves both files as they are in {@code docs/}.
 */
class InterfaceDocsTest {

    @TestFactory
    List<DynamicTest> everyExampleMatchesItsSchema() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String document : List.of(InterfaceDocs.OPENAPI, InterfaceDocs.ASYNCAPI)) {
            int n = InterfaceDocs.eachExample(document, (name, check) ->
                    tests.add(DynamicTest.dynamicTest(document + name, check::run)));
            assertTrue(n >= 20, document + " has only " + n + " examples");
        }
        return tests;
    }

    @Test
    void whatTheDocumentsForbidIsRefused() {
        assertThrows(AssertionError.class, () -> InterfaceDocs.checkServerFrame("{\"type\":\"welcom\"}"));
        assertThrows(AssertionError.class, () -> InterfaceDocs.checkServerFrame(
                "{\"type\":\"ack\",\"ref\":\"c\",\"id\":\"not an id\",\"ts\":1}"));
        assertThrows(AssertionError.class, () -> InterfaceDocs.checkServerFrame(
                "{\"type\":\"message\",\"room\":\"r\",\"user\":null,\"text\":\"x\",\"ts\":1,\"kind\":\"user\"}"),
                "a message without its id");
        assertThrows(AssertionError.class, () -> InterfaceDocs.checkApiAnswer("GET", "/api/v1/stats", 200,
                "{\"connections\":1,\"rooms\":1}"));
        assertThrows(AssertionError.class, () -> InterfaceDocs.checkApiAnswer("GET", "/api/v1/stats", 418, "{}"),
                "an undocumented status");
        assertThrows(AssertionError.class, () -> InterfaceDocs.checkEventsPost("{\"events\":[{\"type\":\"x\"}]}"));
        InterfaceDocs.checkServerFrame("{\"type\":\"pong\"}");
        InterfaceDocs.checkApiAnswer("GET", "/api/v1/nothing", 404, "{\"error\":\"not_found\",\"message\":\"no\"}");
    }

    @Test
    void theAdminPortServesBothDocuments() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        try (ParleyServer server = TestServers.start()) {
            for (String name : List.of("openapi.yaml", "asyncapi.yaml")) {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + server.adminPort() + "/docs/" + name)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, answer.statusCode(), name);
                assertEquals(Files.readString(Path.of("..", "docs", name)), answer.body(), name + " as in docs/");
                HttpResponse<String> publicPort = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + server.publicPort() + "/docs/" + name)).build(), HttpResponse.BodyHandlers.ofString());
                assertFalse(publicPort.statusCode() == 200, "not on the public port");
            }
        }
    }
}
