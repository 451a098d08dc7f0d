package io.parley.it.widget;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.parley.chat.testing.Tokens;

/**
 * A stand-in for the existing Rails site that embeds the widget, on its own origin: a page that signs the visitor
 * in with a session cookie, carries a CSRF meta tag and a deliberately hostile global stylesheet, and embeds the
 * widget with one script tag; and {@code POST /chat/token}, which issues a chat token only for a session cookie
 * plus the matching {@code X-CSRF-Token} header, as a Rails controller would.
 *
 * <p>The page can load the widget from the chat server (the normal embed), or a first-party copy of the same file
 * with {@code data-server} pointing at the chat server: then the page itself still loads while the chat server is
 * down, which the reload test needs. A third page, {@code /custom}, has no widget: its own minimal chat UI is built
 * on {@code ParleyClient}, imported as an ES module from the site's copy of {@code parley-client.js} (as a site
 * that bundles the npm package would serve it).
 */
final class HostSite implements AutoCloseable {

    /** The page's hostile CSS uses this colour everywhere; the widget must never show it. */
    static final String HOSTILE_RED = "rgb(255, 0, 0)";
    /** The theme the page sets through {@code --parley-accent}. */
    static final String THEME_GREEN = "rgb(0, 128, 0)";

    private static final String CSS = """
            * { color: rgb(255, 0, 0) !important; font-family: serif !important; line-height: 3 !important;
                letter-spacing: 4px !important; text-transform: uppercase !important; box-sizing: content-box; }
            button { background: rgb(255, 255, 0) !important; padding: 40px !important;
                border: 6px dashed rgb(0, 0, 0) !important; border-radius: 0 !important; }
            div, li, ol, ul, p, section, form { margin: 30px !important; padding: 30px !important; }
            textarea { background: rgb(0, 0, 255) !important; font-size: 30px !important; }
            svg { width: 300px !important; height: 300px !important; }
            parley-chat { opacity: 0.2; transform: scale(0.5); --parley-accent: rgb(0, 128, 0); }
            """;

    /**
     * Runs before the widget: lists the globals the widget adds (compared when it announces itself, before any
     * test script runs in the page), and counts keys that reach the page from inside the widget (the widget keeps
     * them to itself, so that the page's own shortcuts do not fire while someone types a message).
     */
    private static final String HOST_JS = """
            window.keysFromWidget = 0;
            window.globalsAddedByWidget = null;
            const globalsBefore = Object.getOwnPropertyNames(window);
            document.addEventListener('parley:load', () => {
              window.globalsAddedByWidget = Object.getOwnPropertyNames(window).filter((n) => !globalsBefore.includes(n));
            });
            document.addEventListener('keydown', (e) => {
              if (e.target && e.target.tagName === 'PARLEY-CHAT') window.keysFromWidget++;
            });
            """;

    /**
     * The custom UI: a status line, a member count, a message list, the unsent messages and a form, all driven by
     * the client's events. Everything the page shows is set with textContent.
     */
    private static final String CUSTOM_UI_JS = """
            import { ParleyClient } from '/assets/parley-client.js';

            const $ = (id) => document.getElementById(id);
            const room = new URLSearchParams(location.search).get('rooms') || 'lobby';
            const client = new ParleyClient({ server: document.body.dataset.chat, tokenUrl: '/chat/token' });
            const show = (message) => {
              const li = document.createElement('li');
              li.dataset.id = message.id;
              li.textContent = (message.user ? message.user.name : 'system') + ': ' + message.text;
              $('messages').append(li);
            };
            client.on('state', ({ state }) => { $('state').textContent = state; });
            client.on('joined', ({ history }) => history.forEach(show));
            client.on('message', ({ message }) => show(message));
            client.on('presence', ({ count }) => { $('count').textContent = String(count); });
            client.on('pending', ({ entries }) => {
              $('pending').replaceChildren(...entries.map((p) => {
                const li = document.createElement('li');
                li.textContent = p.text + ' (' + p.state + ')';
                return li;
              }));
            });
            $('composer').addEventListener('submit', (event) => {
              event.preventDefault();
              client.send(room, $('text').value);
              $('text').value = '';
            });
            client.connect().join(room);
            window.sdk = client;
            """;

    private final HttpServer http;
    private final int chatPort;
    private final String csrf = UUID.randomUUID().toString();
    private final byte[] widgetScript;
    private final byte[] clientModule;
    private final AtomicInteger tokensIssued = new AtomicInteger();

    private HostSite(HttpServer http, int chatPort, byte[] widgetScript, byte[] clientModule) {
        this.http = http;
        this.chatPort = chatPort;
        this.widgetScript = widgetScript;
        this.clientModule = clientModule;
    }

    static HostSite start(int chatPort) {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            HostSite site = new HostSite(http, chatPort, builtFile("parley.js"), builtFile("parley-client.js"));
            http.createContext("/", site::page);
            http.createContext("/custom", site::customPage);
            http.createContext("/assets/custom-ui.js", ex -> send(ex, 200, "text/javascript", CUSTOM_UI_JS));
            http.createContext("/assets/parley-client.js", ex -> send(ex, 200, "text/javascript", site.clientModule));
            http.createContext("/assets/site.css", ex -> send(ex, 200, "text/css", CSS));
            http.createContext("/assets/host.js", ex -> send(ex, 200, "text/javascript", HOST_JS));
            http.createContext("/assets/parley.js", ex -> send(ex, 200, "text/javascript", site.widgetScript));
            http.createContext("/chat/token", site::token);
            http.start();
            return site;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the chat service's jar serves under /widget/, built from clients/js by the Maven build. */
    private static byte[] builtFile(String name) throws IOException {
        try (InputStream in = HostSite.class.getClassLoader().getResourceAsStream("web/widget/" + name)) {
            if (in == null) {
                throw new IllegalStateException("web/widget/" + name + " is not on the classpath (built from clients/js)");
            }
            return in.readAllBytes();
        }
    }

    String origin() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    /** The page signed in as {@code user}, embedding the widget from the chat server for {@code rooms}. */
    String page(String user, String rooms) {
        return origin() + "/?as=" + enc(user) + "&rooms=" + enc(rooms);
    }

    /** The same page with the site's own copy of the widget script (the page loads even when chat is down). */
    String selfHostedPage(String user, String rooms) {
        return page(user, rooms) + "&script=site";
    }

    /** The page with a custom chat UI on ParleyClient instead of the widget, signed in as {@code user}. */
    String customPage(String user, String room) {
        return origin() + "/custom?as=" + enc(user) + "&rooms=" + enc(room);
    }

    /** The widget page with {@code <html lang>} set: the widget takes its locale (and direction) from it. */
    String pageInLanguage(String user, String rooms, String lang) {
        return page(user, rooms) + "&lang=" + enc(lang);
    }

    int tokensIssued() {
        return tokensIssued.get();
    }

    @Override
    public void close() {
        http.stop(0);
    }

    private void page(HttpExchange ex) throws IOException {
        if (!"/".equals(ex.getRequestURI().getPath())) {
            send(ex, 404, "text/plain", "not found");
            return;
        }
        Map<String, String> query = query(ex.getRequestURI().getRawQuery());
        String user = query.getOrDefault("as", "ada");
        String chat = "http://127.0.0.1:" + chatPort;
        String script = "site".equals(query.get("script"))
                ? "<script src=\"/assets/parley.js\" data-server=\"" + html(chat) + "\""
                : "<script src=\"" + html(chat) + "/widget/parley.js\"";
        String page = """
                <!doctype html>
                <html lang="%s">
                <head>
                  <meta charset="utf-8">
                  <meta name="csrf-token" content="%s">
                  <title>Shop: your orders</title>
                  <link rel="stylesheet" href="/assets/site.css">
                  <script src="/assets/host.js"></script>
                </head>
                <body>
                  <header><a href="#orders" id="host-link">Your orders</a>
                    <button type="button" id="host-button">Host button</button></header>
                  <main id="orders"><h1>Orders of %s</h1><p>Nothing shipped yet.</p></main>
                  %s data-token-url="/chat/token" data-rooms="%s" async></script>
                </body>
                </html>
                """.formatted(html(query.getOrDefault("lang", "en")), html(csrf), html(user), script,
                html(query.getOrDefault("rooms", "lobby")));
        signIn(ex, user);
        send(ex, 200, "text/html; charset=utf-8", page);
    }

    private void customPage(HttpExchange ex) throws IOException {
        String user = query(ex.getRequestURI().getRawQuery()).getOrDefault("as", "ada");
        String page = """
                <!doctype html>
                <html lang="en">
                <head>
                  <meta charset="utf-8">
                  <meta name="csrf-token" content="%s">
                  <title>Shop: support</title>
                </head>
                <body data-chat="%s">
                  <p>Connection: <span id="state">idle</span>, people here: <span id="count">0</span></p>
                  <ol id="messages"></ol>
                  <ol id="pending"></ol>
                  <form id="composer"><input id="text" autocomplete="off"><button>Send</button></form>
                  <script type="module" src="/assets/custom-ui.js"></script>
                </body>
                </html>
                """.formatted(html(csrf), html("http://127.0.0.1:" + chatPort));
        signIn(ex, user);
        send(ex, 200, "text/html; charset=utf-8", page);
    }

    private static void signIn(HttpExchange ex, String user) {
        ex.getResponseHeaders().add("Set-Cookie", "shop_session=" + enc(user) + "; Path=/; HttpOnly; SameSite=Lax");
    }

    private void token(HttpExchange ex) throws IOException {
        ex.getRequestBody().readAllBytes();
        Optional<String> user = cookie(ex, "shop_session");
        if (!"POST".equals(ex.getRequestMethod())) {
            send(ex, 405, "application/json", "{\"error\":\"method\"}");
        } else if (user.isEmpty()) {
            send(ex, 401, "application/json", "{\"error\":\"not signed in\"}");
        } else if (!csrf.equals(ex.getRequestHeaders().getFirst("X-CSRF-Token"))) {
            send(ex, 403, "application/json", "{\"error\":\"csrf\"}");
        } else {
            tokensIssued.incrementAndGet();
            ex.getResponseHeaders().add("Cache-Control", "no-store");
            send(ex, 200, "application/json", "{\"token\":\"" + Tokens.user(user.get()) + "\"}");
        }
    }

    private static Optional<String> cookie(HttpExchange ex, String name) {
        String header = ex.getRequestHeaders().getFirst("Cookie");
        if (header == null) {
            return Optional.empty();
        }
        for (String part : header.split(";")) {
            String[] kv = part.trim().split("=", 2);
            if (kv.length == 2 && kv[0].equals(name) && kv[1].matches("[A-Za-z0-9_.-]{1,64}")) {
                return Optional.of(kv[1]);
            }
        }
        return Optional.empty();
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            String[] kv = pair.split("=", 2);
            out.put(java.net.URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length == 2 ? java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return out;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String html(String s) {
        return s.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        send(ex, status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(status, body.length);
        try (var out = ex.getResponseBody()) {
            out.write(body);
        }
    }
}
