package io.parley.it.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The client side of RFC 6455 framing, as much as a load tool needs: the upgrade request, masked frames out. Frames
 * in are parsed by {@link FrameReader}. Hand-written because a full client library per socket costs more memory and
 * threads than tens of thousands of sockets on two cores allow.
 */
final class WsFrames {

    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    /** Any 16 bytes, base64: the server's accept value is not checked by a load tool. */
    private static final String KEY = "cGFybGV5LWJlbmNoLWtleQ==";

    private WsFrames() {
    }

    static ByteBuffer upgradeRequest(String host, int port, String path) {
        String request = "GET " + path + " HTTP/1.1\r\n"
                + "Host: " + host + ":" + port + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + KEY + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n";
        return ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII));
    }

    static ByteBuffer text(String text) {
        return masked(TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    static ByteBuffer close(int code) {
        return masked(CLOSE, new byte[] {(byte) (code >> 8), (byte) code});
    }

    static ByteBuffer pong(byte[] payload) {
        return masked(PONG, payload);
    }

    /** One final frame; clients must mask every frame they send. */
    static ByteBuffer masked(int opcode, byte[] payload) {
        int length = payload.length;
        int lengthBytes = length < 126 ? 0 : length < 65_536 ? 2 : 8;
        ByteBuffer frame = ByteBuffer.allocate(2 + lengthBytes + 4 + length);
        frame.put((byte) (0x80 | opcode));
        if (length < 126) {
            frame.put((byte) (0x80 | length));
        } else if (length < 65_536) {
            frame.put((byte) (0x80 | 126)).putShort((short) length);
        } else {
            frame.put((byte) (0x80 | 127)).putLong(length);
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        frame.put(mask);
        for (int i = 0; i < length; i++) {
            frame.put((byte) (payload[i] ^ mask[i & 3]));
        }
        return frame.flip();
    }
}
