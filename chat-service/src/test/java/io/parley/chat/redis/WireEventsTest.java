package io.parley.chat.redis;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.chat.model.ChatMessage;
import io.parley.chat.model.ControlEvent;
import io.parley.chat.model.MessageId;
import io.parley.chat.model.RoomEvent;
import io.parley.chat.model.User;
import io.parley.chat.protocol.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The JSON instances exchange through Redis: every form both ways, and what each channel refuses. */
class WireEventsTest {

    private static final User ADA = new User("42", "Ada");
    private static final ChatMessage MESSAGE = new ChatMessage("0001700000000000-000003:lobby", "lobby", ADA,
            "hi 👋", 1_700_000_000_000L, ChatMessage.KIND_USER, "r-1", Map.of("n", 2));

    @Test
    void everyRoomEventComesBackAsItWent() {
        for (RoomEvent event : List.of(new RoomEvent.Posted(MESSAGE),
                new RoomEvent.PresenceChanged("lobby", RoomEvent.PresenceChanged.JOIN, ADA),
                new RoomEvent.PresenceChanged("lobby", RoomEvent.PresenceChanged.LEAVE, ADA),
                new RoomEvent.Typing("lobby", ADA), new RoomEvent.MemberCount("big", 1_200))) {
            assertEquals(event, WireEvents.decodeRoomEvent(WireEvents.encode(event)));
        }
    }

    @Test
    void theFormsAreTheDocumentedOnes() throws Exception {
        JsonNode presence = Json.MAPPER.readTree(WireEvents.encode(
                new RoomEvent.PresenceChanged("lobby", RoomEvent.PresenceChanged.JOIN, ADA)));
        assertEquals(Json.MAPPER.readTree("{\"type\":\"presence\",\"room\":\"lobby\",\"event\":\"join\","
                + "\"user\":{\"id\":\"42\",\"name\":\"Ada\"}}"), presence);
        assertEquals(Json.MAPPER.readTree("{\"type\":\"count\",\"room\":\"big\",\"count\":7}"),
                Json.MAPPER.readTree(WireEvents.encode(new RoomEvent.MemberCount("big", 7))));
        assertEquals(Json.MAPPER.readTree("{\"type\":\"disconnect\",\"userId\":\"42\",\"reason\":\"banned\"}"),
                Json.MAPPER.readTree(WireEvents.encode(new ControlEvent.DisconnectUser("42", "banned"))));
    }

    @Test
    void thePostedFormAppendLuaPublishesIsRead() {
        String lua = "{\"type\":\"posted\",\"message\":{\"id\":\"0001700000000000-000003:lobby\",\"ts\":1700000000000,"
                + "\"room\":\"lobby\",\"user\":{\"id\":\"42\",\"name\":\"Ada\"},\"text\":\"hi 👋\",\"kind\":\"user\","
                + "\"ref\":\"r-1\",\"meta\":{\"n\":2}}}";
        assertEquals(new RoomEvent.Posted(MESSAGE), WireEvents.decodeRoomEvent(lua));
    }

    @Test
    void aControlEventComesBackAndItsReasonMayBeAbsent() {
        ControlEvent event = new ControlEvent.DisconnectUser("42", "banned");
        assertEquals(event, WireEvents.decodeControl(WireEvents.encode(event)));
        assertEquals(new ControlEvent.DisconnectUser("42", ""),
                WireEvents.decodeControl("{\"type\":\"disconnect\",\"userId\":\"42\"}"));
    }

    @Test
    void eachChannelRefusesWhatItDoesNotCarry() {
        String control = WireEvents.encode(new ControlEvent.DisconnectUser("42", "x"));
        String room = WireEvents.encode(new RoomEvent.Typing("lobby", ADA));
        assertThrows(IllegalArgumentException.class, () -> WireEvents.decodeRoomEvent(control));
        assertThrows(IllegalArgumentException.class, () -> WireEvents.decodeControl(room));
        for (String bad : List.of("", "not json", "null", "[]", "{}", "{\"type\":\"nope\"}",
                "{\"type\":\"posted\"}", "{\"type\":\"typing\",\"room\":\"lobby\"}",
                "{\"type\":\"presence\",\"room\":\"lobby\",\"user\":{\"id\":\"1\",\"name\":\"A\"}}",
                "{\"type\":\"count\",\"count\":3}")) {
            assertThrows(IllegalArgumentException.class, () -> WireEvents.decodeRoomEvent(bad), bad);
        }
        for (String bad : List.of("{\"type\":\"disconnect\"}", "{\"type\":\"disconnect\",\"userId\":null}", "{}")) {
            assertThrows(IllegalArgumentException.class, () -> WireEvents.decodeControl(bad), bad);
        }
    }

    @Test
    void aLogEntryLeavesIdAndTsToItsStreamId() throws Exception {
        JsonNode entry = Json.MAPPER.readTree(WireEvents.logEntry(MESSAGE));
        assertFalse(entry.has("id"));
        assertFalse(entry.has("ts"));
        assertEquals("hi 👋", entry.path("text").asText());
        assertEquals("r-1", entry.path("ref").asText());

        MessageId id = new MessageId(1_700_000_000_123L, 9);
        ChatMessage back = WireEvents.fromLogEntry("lobby", id.streamId(), WireEvents.logEntry(MESSAGE));
        assertEquals(new ChatMessage(id.format("lobby"), "lobby", ADA, MESSAGE.text(), id.millis(), MESSAGE.kind(),
                MESSAGE.ref(), MESSAGE.meta()), back);
    }

    @Test
    void aSystemMessageKeepsItsNullUserInTheLog() throws Exception {
        ChatMessage system = new ChatMessage("x", "lobby", null, "noon", 1, ChatMessage.KIND_SYSTEM, null, null);
        JsonNode entry = Json.MAPPER.readTree(WireEvents.logEntry(system));
        assertEquals(Json.MAPPER.readTree("{\"room\":\"lobby\",\"user\":null,\"text\":\"noon\",\"kind\":\"system\"}"),
                entry);
    }

    @Test
    void aUserOfAPresenceHashComesBack() {
        assertEquals(ADA, WireEvents.decodeUser(WireEvents.encode(ADA)));
        assertThrows(IllegalArgumentException.class, () -> WireEvents.decodeUser("{"));
    }
}
