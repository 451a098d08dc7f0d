package io.parley.chat.connection.websocket;

import java.nio.charset.StandardCharsets;

/** Server-to-client frame encoding (RFC 6455 §5.2): final, unmasked. */
final class WireFrames {

    private WireFrames() {
    }

    /** Header length for a payload of this size. */
    static int headerLength(int payloadLength) {
        return payloadLength < 126 ? 2 : payloadLength < 65_536 ? 4 : 10;
    }

    /** Writes the header of a final frame at {@code offset}; returns the offset after it. */
    static int writeHeader(byte[] out, int offset, int opcode, int payloadLength) {
        out[offset++] = (byte) (0x80 | opcode);
        if (payloadLength < 126) {
            out[offset++] = (byte) payloadLength;
        } else if (payloadLength < 65_536) {
            out[offset++] = 126;
            out[offset++] = (byte) (payloadLength >>> 8);
            out[offset++] = (byte) payloadLength;
        } else {
            out[offset++] = 127;
            for (int shift = 56; shift >= 0; shift -= 8) {
                out[offset++] = (byte) ((long) payloadLength >>> shift);
            }
        }
        return offset;
    }

    /** The UTF-8 bytes of {@code s}, cut at a character boundary to at most {@code max} bytes. */
    static byte[] truncatedUtf8(String s, int max) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= max) {
            return bytes;
        }
        int end = max;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--; // do not cut inside a multi-byte character
        }
        return java.util.Arrays.copyOf(bytes, end);
    }
}
