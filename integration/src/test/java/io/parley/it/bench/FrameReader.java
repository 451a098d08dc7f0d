package io.parley.it.bench;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * Splits the bytes a server sends into WebSocket frames, one socket's worth. A read may end anywhere, so the tail of
 * an incomplete frame is carried to the next read; that carry is the only buffer an idle socket keeps, and only while
 * a frame is half received. Fragmented messages are joined before they are handed on.
 */
final class FrameReader {

    /** Receives each complete frame (a fragmented message arrives once, joined, with its first opcode). */
    interface Sink {
        void frame(int opcode, byte[] payload);
    }

    private byte[] carry;
    private ByteArrayOutputStream fragments;
    private int fragmentsOpcode;

    /** Reads every complete frame of {@code carry + in}; consumes {@code in} entirely. */
    void feed(ByteBuffer in, Sink sink) {
        ByteBuffer data = in;
        if (carry != null) {
            data = ByteBuffer.allocate(carry.length + in.remaining()).put(carry).put(in).flip();
            carry = null;
        }
        while (true) {
            int start = data.position();
            if (data.remaining() < 2) {
                break;
            }
            int b0 = data.get() & 0xff;
            int b1 = data.get() & 0xff;
            long length = b1 & 0x7f;
            if (length == 126) {
                if (data.remaining() < 2) {
                    data.position(start);
                    break;
                }
                length = data.getShort() & 0xffff;
            } else if (length == 127) {
                if (data.remaining() < 8) {
                    data.position(start);
                    break;
                }
                length = data.getLong();
            }
            int maskBytes = (b1 & 0x80) != 0 ? 4 : 0; // servers do not mask, but be lenient
            if (data.remaining() < maskBytes + length) {
                data.position(start);
                break;
            }
            byte[] mask = new byte[maskBytes];
            data.get(mask);
            byte[] payload = new byte[(int) length];
            data.get(payload);
            if (maskBytes > 0) {
                for (int j = 0; j < payload.length; j++) {
                    payload[j] ^= mask[j & 3];
                }
            }
            deliver(b0, payload, sink);
        }
        if (data.hasRemaining()) {
            carry = new byte[data.remaining()];
            data.get(carry);
        }
        in.position(in.limit());
    }

    private void deliver(int b0, byte[] payload, Sink sink) {
        boolean fin = (b0 & 0x80) != 0;
        int opcode = b0 & 0x0f;
        if (opcode >= 0x8) {
            sink.frame(opcode, payload); // control frames may arrive between fragments
            return;
        }
        if (opcode != WsFrames.CONTINUATION && fin && fragments == null) {
            sink.frame(opcode, payload);
            return;
        }
        if (fragments == null) {
            fragments = new ByteArrayOutputStream();
            fragmentsOpcode = opcode;
        }
        fragments.writeBytes(payload);
        if (fin) {
            byte[] whole = fragments.toByteArray();
            fragments = null;
            sink.frame(fragmentsOpcode, whole);
        }
    }
}
