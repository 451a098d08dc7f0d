package io.parley.it.widget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Keys;

import io.parley.chat.testing.Tokens;
import io.parley.chat.testing.WsTestClient;

/** People chatting through the widget: the development demo page with two browsers, and hostile message text. */
class WidgetChatIT {

    /** Set (e.g. {@code -Dparley.widget.screenshot=../docs/widget-screenshot.png}) to refresh the README picture. */
    private static final String SCREENSHOT = System.getProperty("parley.widget.screenshot");

    @RegisterExtension
    static final TestBed bed = new TestBed();

    @Test
    void twoUsersOnTheDemoPageChatAndSeeEachOthersPresenceAndTyping() {
        try (Browser adaBrowser = Browser.start(); Browser bobBrowser = Browser.start()) {
            ChatWidget ada = adaBrowser.open(bed.chat.url() + "/?user=ada&open=1").awaitOnline();
            ChatWidget bob = bobBrowser.open(bed.chat.url() + "/?user=bob&open=1").awaitOnline();

            ada.await("Bob counted in the room", w -> w.onlineLabel().equals("2 online"));
            ada.element(".people-toggle").click();
            ada.await("Bob in the people list", w -> people(w).equals(List.of("Ada (you)", "Bob")));

            bob.type("Hi Ada, is my order on its way?");
            ada.await("Bob's typing shown", w -> w.typing().equals("Bob is typing…"));
            bob.element(".input").sendKeys(Keys.ENTER);
            ada.awaitMessage("Hi Ada, is my order on its way?");
            bob.awaitMessage("Hi Ada, is my order on its way?");
            assertEquals(new ChatWidget.Shown("Bob", "Hi Ada, is my order on its way?", false, false, false, ""),
                    ada.messages().getLast());
            assertEquals(new ChatWidget.Shown("You", "Hi Ada, is my order on its way?", true, false, false, ""),
                    bob.messages().getLast());
            ada.await("typing cleared by the message", w -> w.typing().isEmpty());

            ada.send("Yes! It shipped this morning, tracking: https://example.com/track/42");
            bob.awaitMessage("Yes! It shipped this morning, tracking: https://example.com/track/42");
            bob.type("Great, thanks");
            ada.await("Bob's typing shown again", w -> w.typing().equals("Bob is typing…"));
            if (SCREENSHOT != null) {
                adaBrowser.screenshot(Path.of(SCREENSHOT));
            }
            bob.element(".input").sendKeys(Keys.ENTER);
            ada.awaitMessage("Great, thanks");

            ada.element(".close").click();
            bob.send("One more thing…");
            ada.await("an unread badge on the launcher", w -> w.badge().equals("1"));
            assertEquals("Open chat, 1 unread message", ada.element(".launcher").getAttribute("aria-label"));
            ada.openPanel();
            ada.await("the badge cleared once read", w -> w.badge().isEmpty());

            bobBrowser.close();
            ada.await("Bob's departure", w -> w.onlineLabel().equals("1 online"));
            assertEquals(1, ada.count("Hi Ada, is my order on its way?"));
        }
    }

    @Test
    void markupInMessagesAndNamesIsShownAsText() {
        String room = "markup";
        List<String> payloads = List.of(
                "<img src=x onerror=\"window.pwned = 1\">",
                "<script>window.pwned = 2</script>",
                "<a href=\"javascript:window.pwned = 3\">click</a>",
                "https://example.com/\"><img src=x onerror=window.pwned=4>",
                "&lt;b&gt; entities stay &amp; as typed");
        try (Browser browser = Browser.start();
                WsTestClient mallory = WsTestClient.connect(bed.chat.port())) {
            ChatWidget ada = browser.open(bed.site.page("ada", room)).awaitOnline();
            ada.openPanel();
            mallory.send(Map.of("type", "auth", "token",
                    Tokens.user("mallory", "<b onmouseover=\"window.pwned=5\">Mallory</b>", Duration.ofHours(1))));
            mallory.await("welcome");
            mallory.join(room);
            int n = 0;
            for (String payload : payloads) {
                mallory.say(room, payload, "m-" + n++);
            }
            ada.awaitMessage(payloads.getLast());

            assertEquals(payloads, ada.texts());
            assertTrue(ada.messages().stream().allMatch(m -> m.author().equals("<b onmouseover=\"window.pwned=5\">Mallory</b>")));
            assertEquals(0L, ada.js("return root.querySelectorAll('.log img, .log script, .log b').length;"));
            assertNull(ada.exec("return window.pwned === undefined ? null : window.pwned;"));
            // Only real http(s) URLs become links, and a link ends where the markup begins.
            assertEquals(List.of("https://example.com/"),
                    ada.js("return Array.from(root.querySelectorAll('.log a')).map(a => a.href);"));
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> people(ChatWidget w) {
        return (List<String>) w.js("return Array.from(root.querySelectorAll('.people-list li')).map(li => li.textContent);");
    }
}
