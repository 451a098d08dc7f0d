package io.parley.it.widget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Keys;

import io.parley.chat.testing.WsTestClient;

/**
 * The one-tag embed on another site's page: the host's session cookie and CSRF token get the chat token, the host's
 * hostile CSS does not reach the widget (only its theme variables do), the widget adds nothing global but
 * {@code window.Parley}, and everything works from the keyboard alone. A page in a right-to-left language gets its
 * strings and a mirrored layout.
 */
class WidgetEmbeddingIT {

    @RegisterExtension
    static final TestBed bed = new TestBed();

    @Test
    @SuppressWarnings("unchecked")
    void hostPageCssDoesNotLeakInAndTheWidgetLeaksNothingOut() {
        String room = "styles";
        try (Browser browser = Browser.start(); WsTestClient bob = WsTestClient.login(bed.chat.port(), "bob")) {
            int tokensBefore = bed.site.tokensIssued();
            ChatWidget ada = browser.open(bed.site.page("ada", room)).awaitOnline();
            assertTrue(bed.site.tokensIssued() > tokensBefore, "the token came from the host site's session");
            ada.openPanel();
            bob.join(room);
            bob.say(room, "Styled by the widget, not by the page", "b-1");
            ada.awaitMessage("Styled by the widget, not by the page");

            Map<String, Object> css = (Map<String, Object>) ada.js("""
                    const style = (selector) => getComputedStyle(root.querySelector(selector));
                    const host = document.querySelector('parley-chat');
                    return {
                      launcherBackground: style('.launcher').backgroundColor,
                      launcherWidth: root.querySelector('.launcher').offsetWidth,
                      launcherPadding: style('.launcher').paddingTop,
                      launcherBorder: style('.launcher').borderTopStyle,
                      iconWidth: style('.launcher svg').width,
                      textColor: style('.other .bubble').color,
                      font: style('.other .bubble').fontFamily,
                      transform: style('.other .bubble').textTransform,
                      letterSpacing: style('.other .bubble').letterSpacing,
                      inputBackground: style('.input').backgroundColor,
                      hostOpacity: getComputedStyle(host).opacity,
                      hostTransform: getComputedStyle(host).transform,
                      pageButton: getComputedStyle(document.getElementById('host-button')).backgroundColor,
                      pageStyleElements: document.querySelectorAll('style').length,
                      pageStyleSheets: document.styleSheets.length,
                      newGlobals: window.globalsAddedByWidget
                    };""");

            assertEquals(HostSite.THEME_GREEN, css.get("launcherBackground"), "the page's --parley-accent applies");
            assertEquals(58L, css.get("launcherWidth"));
            assertEquals("0px", css.get("launcherPadding"));
            assertEquals("none", css.get("launcherBorder"));
            assertEquals("28px", css.get("iconWidth"));
            assertEquals("rgb(31, 35, 40)", css.get("textColor"));
            assertFalse(((String) css.get("font")).startsWith("serif"), "font: " + css.get("font"));
            assertEquals("none", css.get("transform"));
            assertEquals("normal", css.get("letterSpacing"));
            assertEquals("rgb(255, 255, 255)", css.get("inputBackground"));
            assertEquals("1", css.get("hostOpacity"));
            assertEquals("none", css.get("hostTransform"));
            // ...and nothing of the widget's reaches the page.
            assertEquals("rgb(255, 255, 0)", css.get("pageButton"));
            assertEquals(0L, css.get("pageStyleElements"));
            assertEquals(1L, css.get("pageStyleSheets"));
            assertEquals(List.of("Parley"), css.get("newGlobals"));
        }
    }

    @Test
    void everythingWorksFromTheKeyboardAlone() {
        try (Browser browser = Browser.start()) {
            ChatWidget ada = browser.open(bed.site.page("ada", "keys-one,keys-two")).awaitOnline();

            tabUntil(browser, ada, Keys.TAB, "launcher");
            assertEquals("false", ada.element(".launcher").getAttribute("aria-expanded"));
            browser.keyboard().sendKeys(Keys.ENTER).perform();
            ada.await("the panel open with the composer focused", w -> w.isOpen() && "input".equals(w.focused()));
            assertEquals("true", ada.element(".launcher").getAttribute("aria-expanded"));

            browser.keyboard().sendKeys("first line").keyDown(Keys.SHIFT).sendKeys(Keys.ENTER).keyUp(Keys.SHIFT)
                    .sendKeys("second line").sendKeys(Keys.ENTER).perform();
            ada.awaitMessage("first line\nsecond line");
            assertTrue(ada.messages().getLast().own());
            assertEquals(0L, ada.exec("return window.keysFromWidget;"), "keys typed in the chat reach the page");

            tabUntil(browser, ada, Keys.chord(Keys.SHIFT, Keys.TAB), "tab");
            assertEquals("keys-one", ada.exec("return Parley.get().room;"));
            browser.keyboard().sendKeys(Keys.ARROW_RIGHT).perform();
            ada.await("the second room selected", w -> "keys-two".equals(w.exec("return Parley.get().room;")));
            assertEquals("tab", ada.focused());
            ada.await("the second room joined", ChatWidget::joined);

            browser.keyboard().sendKeys(Keys.ESCAPE).perform();
            ada.await("the panel closed, focus back on the launcher", w -> !w.isOpen() && "launcher".equals(w.focused()));
            assertEquals("false", ada.element(".launcher").getAttribute("aria-expanded"));
        }
    }

    /** Presses {@code key} until the element focused inside the widget has the class {@code target}. */
    private static void tabUntil(Browser browser, ChatWidget widget, CharSequence key, String target) {
        for (int presses = 0; presses < 20; presses++) {
            if (target.equals(widget.focused())) {
                return;
            }
            browser.keyboard().sendKeys(key).perform();
        }
        throw new AssertionError("never reached ." + target + " with the keyboard; focused: " + widget.focused());
    }

    @Test
    @SuppressWarnings("unchecked")
    void anArabicPageGetsArabicStringsAndAMirroredLayout() {
        try (Browser browser = Browser.start()) {
            ChatWidget ada = browser.open(bed.site.pageInLanguage("ada", "rtl", "ar")).awaitOnline();
            ada.openPanel();
            ada.send("مرحبا بالجميع");
            ada.awaitMessage("مرحبا بالجميع");
            Map<String, Object> ui = (Map<String, Object>) ada.js("""
                    const panel = root.querySelector('.panel').getBoundingClientRect();
                    const own = root.querySelector('.log li.own').getBoundingClientRect();
                    return {
                      direction: getComputedStyle(root.querySelector('.panel')).direction,
                      placeholder: root.querySelector('.input').placeholder,
                      author: root.querySelector('.log li.own .author').textContent,
                      launcherOnTheLeft: root.querySelector('.launcher').getBoundingClientRect().left < innerWidth / 2,
                      ownMessageOnTheLeft: own.left - panel.left < panel.right - own.right
                    };""");
            assertEquals("rtl", ui.get("direction"));
            assertEquals("اكتب رسالة…", ui.get("placeholder"));
            assertEquals("أنت", ui.get("author"));
            assertEquals(true, ui.get("launcherOnTheLeft"), "the launcher sits at the reading direction's end");
            assertEquals(true, ui.get("ownMessageOnTheLeft"), "own messages sit at the end side, which is the left");
        }
    }
}
