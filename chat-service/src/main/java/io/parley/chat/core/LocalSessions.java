package io.parley.chat.core;

/** This instance's sockets, as the core needs them: implemented by the connection layer. */
public interface LocalSessions {

    /** Closes every local socket of the user with the given close code. */
    void closeUser(String userId, int closeCode, String reason);
}
