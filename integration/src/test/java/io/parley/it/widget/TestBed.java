package io.parley.it.widget;

/** A chat server and the host site that embeds its widget, wired to trust each other (origin, port). */
final class TestBed implements AutoCloseable {

    final HostSite site;
    final ChatServer chat;

    private TestBed(HostSite site, ChatServer chat) {
        this.site = site;
        this.chat = chat;
    }

    /** The host site and the chat server; fails at once on a machine without the browser. */
    static TestBed start() {
        Browser.requireInstalled();
        int chatPort = ChatServer.freePort();
        HostSite site = HostSite.start(chatPort);
        try {
            return new TestBed(site, ChatServer.start(chatPort, site.origin()));
        } catch (RuntimeException e) {
            site.close();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            chat.close();
        } finally {
            site.close();
        }
    }
}
