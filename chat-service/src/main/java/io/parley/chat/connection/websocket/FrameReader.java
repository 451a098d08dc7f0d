package io.parley.chat.connection.websocket;

/**
 * Reads RFC 6455 client frames, checking everything that can be checked on one frame (§5.2, §5.5): no RSV bit
 * without an extension, no reserved opcode, a mask on every client frame, control frames unfragmented and at most
 * 125 bytes, and a payload no larger than the frame limit, checked before a byte of it is read.
 */
public final class FrameReader {

    private static final int MAX_CONTROL_PAYLOAD = 125;

    private final ByteSource bytes;
    private final int maxPayload;

    /** Where the bytes come from: one byte at a time for the header, then the payload in one piece. */
    public interface ByteSource {
        int readByte();

        byte[] readBytes(int length);
    }

    public FrameReader(ByteSource bytes, int maxPayload) {
        this.bytes = bytes;
        this.maxPayload = maxPayload;
    }

    public Frame read() throws ProtocolViolation {
        int b0 = bytes.readByte();
        int b1 = bytes.readByte();
        boolean fin = (b0 & 0x80) != 0;
        if ((b0 & 0x70) != 0) {
            throw new ProtocolViolation(RfcCloseCodes.PROTOCOL_ERROR, "reserved bits set");
        }
        int opcode = b0 & 0x0F;
        if (!known(opcode)) {
            throw new ProtocolViolation(RfcCloseCodes.PROTOCOL_ERROR, "reserved opcode");
        }
        if ((b1 & 0x80) == 0) {
            throw new ProtocolViolation(RfcCloseCodes.PROTOCOL_ERROR, "client frames must be masked");
        }
        long length = b1 & 0x7F;
        if (length == 126) {
            length = (bytes.readByte() << 8) | bytes.readByte();
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | bytes.readByte();
            }
            if (length < 0) {
                throw new ProtocolViolation(RfcCloseCodes.PROTOCOL_ERROR, "invalid payload length");
            }
        }
        boolean control = (opcode & 0x8) != 0;
        if (control && (!fin || length > MAX_CONTROL_PAYLOAD)) {
            throw new ProtocolViolation(RfcCloseCodes.PROTOCOL_ERROR,
                    fin ? "control frame over 125 bytes" : "fragmented control frame");
        }
        if (length > maxPayload) {
            throw new ProtocolViolation(RfcCloseCodes.TOO_BIG, "frame too large");
        }
        byte[] mask = bytes.readBytes(4);
        byte[] payload = length == 0 ? new byte[0] : bytes.readBytes((int) length);
        for (int i = 0; i < payload.length; i++) {
            payload[i] ^= mask[i & 3];
        }
        return new Frame(opcode, fin, payload);
    }

    private static boolean known(int opcode) {
        return opcode <= Frame.BINARY || (opcode >= Frame.CLOSE && opcode <= Frame.PONG);
    }
}
