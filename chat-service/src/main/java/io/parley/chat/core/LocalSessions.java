package io.parley.chat.core;

/** This instance's sockets, as the core needs them: implemented by the connection layer. */
public interface LocalSessions {

    /** Closes every local socket of the user as "disconnected by the application" (protocol §1: 4403). */
    void disconnectUser(String userId, String reason);
}
