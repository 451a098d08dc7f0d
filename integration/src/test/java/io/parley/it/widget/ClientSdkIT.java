package io.parley.it.widget;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The client SDK without the widget: a host page builds its own minimal chat UI on {@code ParleyClient} (an ES
 * module) and chats through it with someone who uses the widget, including a message written offline, which the
 * client's outbox delivers exactly once when the network is back.
 */
class ClientSdkIT {

    @RegisterExtension
    static final TestBed bed = new TestBed();

    @Test
    void aCustomUiOnParleyClientChatsWithAWidgetUser() {
        String room = "custom-ui";
        try (Browser adaBrowser = Browser.start(); Browser bobBrowser = Browser.start()) {
            adaBrowser.driver().get(bed.site.customPage("ada", room));
            await(adaBrowser, "the custom UI online and in its room",
                    () -> "online".equals(text(adaBrowser, "state")) && isJoined(adaBrowser, room));
            ChatWidget bob = bobBrowser.open(bed.site.page("bob", room)).awaitOnline();
            bob.openPanel();
            await(adaBrowser, "Bob counted by the custom UI", () -> "2".equals(text(adaBrowser, "count")));

            adaBrowser.driver().findElement(By.id("text")).sendKeys("Hello from a custom UI", Keys.ENTER);
            bob.awaitMessage("Hello from a custom UI");
            bob.send("Seen from the widget");
            await(adaBrowser, "Bob's answer in the custom UI", () -> shown(adaBrowser).stream()
                    .anyMatch(line -> line.endsWith(": Seen from the widget")));

            adaBrowser.offline(true);
            await(adaBrowser, "the client offline", () -> "offline".equals(text(adaBrowser, "state")));
            adaBrowser.driver().findElement(By.id("text")).sendKeys("Written offline", Keys.ENTER);
            await(adaBrowser, "the message waiting in the outbox",
                    () -> pending(adaBrowser).equals(List.of("Written offline (waiting)")));
            adaBrowser.offline(false);
            bob.awaitMessage("Written offline");
            await(adaBrowser, "the outbox emptied by the ack", () -> pending(adaBrowser).isEmpty()
                    && shown(adaBrowser).stream().anyMatch(line -> line.endsWith(": Written offline")));

            assertEquals(1, bob.count("Written offline"));
            assertEquals(1, bob.count("Hello from a custom UI"));
            List<String> ada = shown(adaBrowser);
            assertEquals(3, ada.size(), "each message once: " + ada);
            assertEquals(List.of(true, true, true), List.of(ada.get(0).endsWith(": Hello from a custom UI"),
                    ada.get(1).endsWith(": Seen from the widget"), ada.get(2).endsWith(": Written offline")));
        }
    }

    private static String text(Browser browser, String id) {
        return browser.driver().findElement(By.id(id)).getText();
    }

    private static boolean isJoined(Browser browser, String room) {
        return Boolean.TRUE.equals(browser.script("return !!(window.sdk && window.sdk.isJoined(arguments[0]));", room));
    }

    @SuppressWarnings("unchecked")
    private static List<String> shown(Browser browser) {
        return (List<String>) browser.script(
                "return Array.from(document.querySelectorAll('#messages li')).map(li => li.textContent);");
    }

    @SuppressWarnings("unchecked")
    private static List<String> pending(Browser browser) {
        return (List<String>) browser.script(
                "return Array.from(document.querySelectorAll('#pending li')).map(li => li.textContent);");
    }

    private static void await(Browser browser, String what, Supplier<Boolean> condition) {
        new WebDriverWait(browser.driver(), ChatWidget.WAIT, Duration.ofMillis(100))
                .withMessage(() -> what)
                .ignoring(RuntimeException.class)
                .until(d -> condition.get());
    }
}
