package io.parley.chat.protocol;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.chat.model.ChatMessage;
import io.parley.chat.model.User;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameCodecTest {

    private final FrameCodec codec = new FrameCodec(10);

    @Test
    void decodesEveryClientFrame() throws Exception {
        assertEquals(new ClientFrame.Auth("t.o.k", Optional.empty()), codec.decode("{\"type\":\"auth\",\"token\":\"t.o.k\"}"));
        assertEquals(new ClientFrame.Join("lobby", Optional.of("1732270000000-000001:lobby"), Optional.of("j1")),
                codec.decode("{\"type\":\"join\",\"room\":\"lobby\",\"since\":\"1732270000000-000001:lobby\",\"ref\":\"j1\"}"));
        assertEquals(new ClientFrame.Join("lobby", Optional.empty(), Optional.empty()),
                codec.decode("{\"type\":\"join\",\"room\":\"lobby\",\"since\":null}"));
        assertEquals(new ClientFrame.Leave("a:b", Optional.empty()), codec.decode("{\"type\":\"leave\",\"room\":\"a:b\"}"));
        assertEquals(new ClientFrame.Send("r", "hi", Optional.of("c-1")),
                codec.decode("{\"type\":\"send\",\"room\":\"r\",\"text\":\"hi\",\"ref\":\"c-1\"}"));
        assertEquals(new ClientFrame.Typing("r", Optional.empty()), codec.decode("{\"type\":\"typing\",\"room\":\"r\"}"));
        assertEquals(new ClientFrame.Refresh("x", Optional.empty()), codec.decode("{\"type\":\"refresh\",\"token\":\"x\"}"));
        assertEquals(new ClientFrame.Ping(Optional.of("p")), codec.decode("{\"type\":\"ping\",\"ref\":\"p\",\"extra\":1}"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{oops|bad_request",
            "''|bad_request",
            "42|bad_request",
            "[]|bad_request",
            "null|bad_request",
            "{}|bad_request",
            "{\"type\":7}|bad_request",
            "{\"type\":\"dance\"}|bad_request",
            "{\"type\":\"auth\"}|bad_request",
            "{\"type\":\"auth\",\"token\":\"\"}|bad_request",
            "{\"type\":\"join\"}|bad_request",
            "{\"type\":\"join\",\"room\":\"\"}|bad_request",
            "{\"type\":\"join\",\"room\":\"has space\"}|bad_request",
            "{\"type\":\"join\",\"room\":\"star*\"}|bad_request",
            "{\"type\":\"join\",\"room\":\"r\",\"since\":5}|bad_request",
            "{\"type\":\"join\",\"room\":\"r\",\"since\":\"abc\"}|bad_request",
            "{\"type\":\"send\",\"room\":\"r\"}|bad_request",
            "{\"type\":\"send\",\"room\":\"r\",\"text\":\"   \"}|bad_request",
            "{\"type\":\"send\",\"room\":\"r\",\"text\":[\"a\"]}|bad_request",
            "{\"type\":\"send\",\"room\":\"r\",\"text\":\"01234567890\"}|too_large",
            "{\"type\":\"ping\",\"ref\":5}|bad_request",
            "{\"type\":\"ping\",\"ref\":\"\"}|bad_request",
    })
    void refusesMalformedFrames(String frame, String code) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> codec.decode(frame));
        assertEquals(code, e.code().wire());
        assertFalse(e.getMessage().isBlank());
    }

    @Test
    void refusesOverlongRefsTokensAndDeepNesting() {
        assertThrows(ProtocolException.class, () -> codec.decode("{\"type\":\"ping\",\"ref\":\"" + "r".repeat(65) + "\"}"));
        ProtocolException token = assertThrows(ProtocolException.class,
                () -> codec.decode("{\"type\":\"auth\",\"token\":\"" + "t".repeat(9000) + "\"}"));
        assertEquals(ErrorCode.TOO_LARGE, token.code());
        String deep = "{\"type\":\"ping\",\"x\":" + "[".repeat(100) + "]".repeat(100) + "}";
        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(ProtocolException.class, () -> codec.decode(deep)).code());
    }

    @Test
    void textLimitCountsCharactersNotUtf16Units() throws Exception {
        String tenEmoji = "😀".repeat(10);
        assertInstanceOf(ClientFrame.Send.class,
                codec.decode("{\"type\":\"send\",\"room\":\"r\",\"text\":\"" + tenEmoji + "\"}"));
    }

    @Test
    void errorsKeepRefAndRoom() {
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> codec.decode("{\"type\":\"send\",\"room\":\"r\",\"ref\":\"c-9\"}"));
        assertEquals(Optional.of("c-9"), e.ref());
        assertEquals(Optional.of("r"), e.room());
    }

    @Test
    void encodesServerFramesWithTypeFirstAndNoNulls() throws Exception {
        assertEquals("{\"type\":\"pong\"}", codec.encode(new ServerFrame.Pong(null)));
        assertEquals("{\"type\":\"ack\",\"ref\":\"c-1\",\"id\":\"i\",\"ts\":5}",
                codec.encode(new ServerFrame.Ack("c-1", "i", 5)));
        JsonNode welcome = Json.MAPPER.readTree(codec.encode(
                new ServerFrame.Welcome("c", new User("42", "Ada"), 100, 25,
                        new ServerFrame.WelcomeLimits(4000, 100, 10, 20, 65536, "^[a-z]{1,64}$"))));
        assertEquals("welcome", welcome.path("type").asText());
        assertEquals("Ada", welcome.path("user").path("name").asText());
        assertEquals(4000, welcome.path("limits").path("text").asInt());
        assertEquals(20, welcome.path("limits").path("burst").asInt());
        assertEquals("^[a-z]{1,64}$", welcome.path("limits").path("roomPattern").asText());
        JsonNode count = Json.MAPPER.readTree(codec.encode(new ServerFrame.Presence("r", "count", null, 1200)));
        assertFalse(count.has("user"));
        assertEquals(1200, count.path("count").asInt());
    }

    @Test
    void messageFrameFlattensTheMessageAndKeepsANullUserForSystemMessages() throws Exception {
        ChatMessage system = new ChatMessage("1-0:r", "r", null, "maintenance at 5", 7, "system", null,
                Map.of("severity", "info"));
        JsonNode m = Json.MAPPER.readTree(codec.encode(new ServerFrame.Message(system)));
        assertEquals("message", m.path("type").asText());
        assertTrue(m.has("user") && m.get("user").isNull(), "user is null, not absent");
        assertEquals("system", m.path("kind").asText());
        assertEquals("info", m.path("meta").path("severity").asText());
        assertFalse(m.has("ref"));
        JsonNode joined = Json.MAPPER.readTree(codec.encode(new ServerFrame.Joined("r", List.of(), List.of(system),
                true, null, null, null)));
        assertFalse(joined.has("more"), "more is absent unless true");
        assertEquals("maintenance at 5", joined.path("history").get(0).path("text").asText());
        assertFalse(joined.has("memberCount"));
    }
}
