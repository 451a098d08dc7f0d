package io.parley.chat.connection.websocket;

/**
 * One frame as read from a client, payload already unmasked.
 *
 * @param opcode  the RFC 6455 opcode
 * @param fin     whether this is the last frame of a message
 * @param payload the unmasked payload
 */
public record Frame(int opcode, boolean fin, byte[] payload) {

    public static final int CONTINUATION = 0x0;
    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;

    public boolean control() {
        return (opcode & 0x8) != 0;
    }
}
