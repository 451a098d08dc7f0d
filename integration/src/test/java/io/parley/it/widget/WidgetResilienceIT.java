package io.parley.it.widget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.parley.chat.testing.WsTestClient;

/**
 * The widget across a deploy and bad networks: it resumes after a server restart with nothing missed or doubled,
 * and a message written while disconnected is delivered exactly once, also after a page reload.
 */
class WidgetResilienceIT {

    @RegisterExtension
    static final TestBed bed = new TestBed();

    @Test
    @SuppressWarnings("unchecked")
    void resumesAfterAServerRestartWithNoGapAndNoDuplicate() {
        String room = "restart";
        try (Browser browser = Browser.start(); WsTestClient bob = WsTestClient.login(bed.chat.port(), "bob")) {
            bob.join(room);
            ChatWidget ada = browser.open(bed.site.page("ada", room)).awaitOnline();
            ada.openPanel();
            bob.say(room, "before the restart, 1", "b-1");
            bob.say(room, "before the restart, 2", "b-2");
            ada.awaitMessage("before the restart, 2");
            ada.exec("window.closeCodes = []; Parley.get().on('status', (e) => { if (e.code) window.closeCodes.push(e.code); });");

            bed.chat.stop();
            ada.await("the restart's close code 1012", w -> ((List<Long>) w.exec("return window.closeCodes;")).contains(1012L));
            // Keep the widget away until something has been said in its absence, so that only `since` can bring it.
            browser.offline(true);
            bed.chat.start();
            try (WsTestClient bobAgain = WsTestClient.login(bed.chat.port(), "bob")) {
                bobAgain.join(room);
                bobAgain.say(room, "while the widget was away", "b-3");
                browser.offline(false);
                ada.awaitMessage("while the widget was away");
                bobAgain.say(room, "after it came back", "b-4");
                ada.awaitMessage("after it came back");
            }
            assertEquals(List.of("before the restart, 1", "before the restart, 2", "while the widget was away",
                    "after it came back"), ada.texts());
        }
    }

    @Test
    void aMessageWrittenOfflineIsSentOnceWhenTheNetworkIsBack() {
        String room = "offline";
        String text = "written with no network";
        try (Browser browser = Browser.start(); WsTestClient bob = WsTestClient.login(bed.chat.port(), "bob")) {
            bob.join(room);
            ChatWidget ada = browser.open(bed.site.page("ada", room)).awaitOnline();
            ada.openPanel();

            browser.offline(true);
            ada.awaitStatus("offline");
            ada.send(text);
            ada.await("the message shown as waiting", w -> w.messages().contains(
                    new ChatWidget.Shown("You", text, true, true, false, "Waiting for connection")));
            assertEquals(List.of(text), ada.storedOutbox());

            browser.offline(false);
            ada.awaitMessage(text);
            ada.await("the outbox emptied by the ack", w -> w.storedOutbox().isEmpty());
            bob.await(f -> WsTestClient.type(f, "message") && text.equals(f.path("text").asText()));
            bob.say(room, "got it", "b-1");
            ada.awaitMessage("got it");

            assertEquals(1, ada.count(text));
            assertTrue(bob.received(f -> text.equals(f.path("text").asText())).isEmpty(), "Bob got it twice");
            assertEquals(1, inHistory(room, text));
        }
    }

    @Test
    void aMessageWrittenWhileChatIsDownSurvivesAReloadAndIsSentOnce() {
        String room = "reload";
        String text = "written while chat was down";
        try (Browser browser = Browser.start()) {
            // The site's own copy of the script: the page must load while the chat server is down.
            ChatWidget ada = browser.open(bed.site.selfHostedPage("ada", room)).awaitOnline();
            ada.openPanel();

            bed.chat.stop();
            ada.await("the widget disconnected", w -> !"online".equals(w.status()));
            ada.send(text);
            ada.await("the message kept for later", w -> w.storedOutbox().equals(List.of(text)));

            ada = browser.reload();
            ada.await("the message restored as pending after the reload", w -> w.messages().stream()
                    .anyMatch(m -> m.text().equals(text) && m.pending()));

            bed.chat.start();
            ada.openPanel();
            ada.reconnect();
            ada.awaitMessage(text);
            ada.await("the outbox emptied by the ack", w -> w.storedOutbox().isEmpty());
            assertEquals(1, ada.count(text));
            assertEquals(1, inHistory(room, text));
        }
    }

    /** How many times the server's history of the room holds the text. */
    private static long inHistory(String room, String text) {
        try (WsTestClient reader = WsTestClient.login(bed.chat.port(), "reader")) {
            JsonNode joined = reader.join(room);
            long n = 0;
            for (JsonNode message : joined.path("history")) {
                if (text.equals(message.path("text").asText())) {
                    n++;
                }
            }
            return n;
        }
    }
}
