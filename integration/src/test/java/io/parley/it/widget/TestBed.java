package io.parley.it.widget;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A chat server and the host site that embeds its widget, wired to trust each other (origin, port), for the tests of
 * one class: {@code @RegisterExtension static final TestBed bed = new TestBed();} starts both before the first test
 * (failing at once on a machine without the browser) and stops them after the last.
 */
final class TestBed implements BeforeAllCallback, AfterAllCallback {

    HostSite site;
    ChatServer chat;

    @Override
    public void beforeAll(ExtensionContext context) {
        Browser.requireInstalled();
        int chatPort = ChatServer.freePort();
        site = HostSite.start(chatPort);
        chat = ChatServer.start(chatPort, site.origin());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (chat != null) {
                chat.close();
            }
        } finally {
            if (site != null) {
                site.close();
            }
        }
    }
}
