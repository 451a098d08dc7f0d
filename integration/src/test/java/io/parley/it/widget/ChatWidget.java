package io.parley.it.widget;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The widget on the current page, read and driven through its Shadow DOM. Clicks and keys go through WebDriver
 * (real input events); state is read with small scripts that only look.
 */
public final class ChatWidget {

    static final Duration WAIT = Duration.ofSeconds(30);

    /** One entry of the message list as the user sees it. */
    record Shown(String author, String text, boolean own, boolean pending, boolean system, String state) {
    }

    private static final String ROOT = "const root = document.querySelector('parley-chat').shadowRoot;";

    private final WebDriver driver;

    ChatWidget(WebDriver driver) {
        this.driver = driver;
    }

    // ------------------------------------------------------------------ driving

    WebElement element(String css) {
        return shadow().findElement(By.cssSelector(css));
    }

    public void openPanel() {
        if (!isOpen()) {
            element(".launcher").click();
        }
        await("the panel to open", w -> w.isOpen());
    }

    /** Types into the composer like a user and presses Enter. */
    public void send(String text) {
        element(".input").sendKeys(text + "\n");
    }

    void type(String text) {
        element(".input").sendKeys(text);
    }

    /** Presses "Retry now" unless the widget has already reconnected on its own; then waits until it is back. */
    ChatWidget reconnect() {
        await("online, or the retry button", w -> "online".equals(w.status()) || w.retryOffered());
        if (!"online".equals(status())) {
            element(".status button").click();
        }
        return awaitOnline();
    }

    boolean retryOffered() {
        return Boolean.TRUE.equals(js("return !root.querySelector('.status').hidden && !root.querySelector('.status button').hidden;"));
    }

    // ------------------------------------------------------------------ reading

    String status() {
        return (String) exec("return window.Parley && Parley.get() ? Parley.get().status : 'loading';");
    }

    boolean isOpen() {
        return Boolean.TRUE.equals(exec("return !!(window.Parley && Parley.get() && Parley.get().isOpen);"));
    }

    /** True once the active room is joined (the member count shows only then). */
    boolean joined() {
        return Boolean.TRUE.equals(js("return !root.querySelector('.people-toggle').hidden;"));
    }

    @SuppressWarnings("unchecked")
    List<Shown> messages() {
        List<Map<String, Object>> rows = (List<Map<String, Object>>) js("""
                return Array.from(root.querySelectorAll('.log li.msg, .outbox li.msg')).map(li => ({
                  author: (li.querySelector('.author') || {}).textContent || '',
                  text: li.querySelector('.bubble').textContent,
                  own: li.classList.contains('own'),
                  pending: li.classList.contains('pending'),
                  system: li.classList.contains('system') || li.classList.contains('notice'),
                  state: (li.querySelector('.state') || {}).textContent || ''
                }));""");
        return rows.stream().map(r -> new Shown((String) r.get("author"), (String) r.get("text"),
                (Boolean) r.get("own"), (Boolean) r.get("pending"), (Boolean) r.get("system"),
                (String) r.get("state"))).toList();
    }

    public List<String> texts() {
        return messages().stream().map(Shown::text).toList();
    }

    long count(String text) {
        return messages().stream().filter(m -> m.text().equals(text)).count();
    }

    String typing() {
        return (String) js("return root.querySelector('.typing').textContent;");
    }

    String onlineLabel() {
        return (String) js("return root.querySelector('.people-toggle').textContent;");
    }

    String badge() {
        return (String) js("const b = root.querySelector('.badge'); return b.hidden ? '' : b.textContent;");
    }

    /** The class list of the element focused inside the widget, or null when focus is elsewhere. */
    String focused() {
        return (String) exec("""
                const host = document.querySelector('parley-chat');
                if (document.activeElement !== host) return null;
                const el = host.shadowRoot.activeElement;
                return el ? el.className || el.tagName : null;""");
    }

    /** Outbox entries this page keeps in localStorage (every key the widget uses for unsent messages). */
    @SuppressWarnings("unchecked")
    List<String> storedOutbox() {
        return (List<String>) exec("""
                return Object.keys(localStorage).filter(k => k.startsWith('parley:v1:outbox:'))
                  .flatMap(k => JSON.parse(localStorage.getItem(k)).map(e => e.text));""");
    }

    /** A script with {@code root} bound to the widget's shadow root. */
    Object js(String body, Object... args) {
        return exec(ROOT + body, args);
    }

    Object exec(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    // ------------------------------------------------------------------ waiting

    public ChatWidget awaitOnline() {
        return await("the widget to be online and in its room", w -> "online".equals(w.status()) && w.joined());
    }

    ChatWidget awaitStatus(String status) {
        return await("status " + status, w -> status.equals(w.status()));
    }

    public ChatWidget awaitMessage(String text) {
        return await("message '" + text + "'", w -> w.messages().stream().anyMatch(m -> m.text().equals(text) && !m.pending()));
    }

    ChatWidget await(String what, Function<ChatWidget, Boolean> condition) {
        new WebDriverWait(driver, WAIT, Duration.ofMillis(100))
                .withMessage(() -> what + "; widget: " + describe())
                .ignoring(RuntimeException.class)
                .until(d -> condition.apply(this));
        return this;
    }

    private SearchContext shadow() {
        return driver.findElement(By.cssSelector("parley-chat")).getShadowRoot();
    }

    private String describe() {
        try {
            return "status=" + status() + " messages=" + messages();
        } catch (RuntimeException e) {
            return "unreadable (" + e.getMessage() + ")";
        }
    }
}
