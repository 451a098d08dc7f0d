package io.parley.chat.connection.websocket;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Joins data frames into messages (RFC 6455 §5.4): fragments are kept as bytes, so a character split across frames
 * survives, and the text is decoded once, strictly, when the message is complete (invalid UTF-8 closes 1007, §8.1).
 * A continuation without a started message, or a new message inside a fragmented one, closes 1002; a message over
 * the limit, however it is fragmented, closes 1009. One per socket; used by its reader thread only.
 */
public final class MessageAssembler {

    /** A complete data message. */
    public sealed interface Message {
    }

    public record Text(String text) implements Message {
    }

    public record Binary(int length) implements Message {
    }

    private final int maxMessageBytes;
    private int type = -1;      // opcode of the message being assembled, -1 when none
    private byte[] buffer;      // fragments so far (null when none)
    private int length;

    public MessageAssembler(int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    /** Takes a data frame; returns the message it completes, or null when more fragments are due. */
    public Message accept(Frame frame) throws ProtocolViolation {
        if (frame.opcode() == Frame.CONTINUATION) {
            if (type < 0) {
                throw new ProtocolViolation(RfcCloseCodes.PROTOCOL_ERROR, "continuation without a started message");
            }
        } else if (type >= 0) {
            throw new ProtocolViolation(RfcCloseCodes.PROTOCOL_ERROR, "new message inside a fragmented one");
        } else {
            type = frame.opcode();
        }
        byte[] payload = frame.payload();
        if ((long) length + payload.length > maxMessageBytes) {
            throw new ProtocolViolation(RfcCloseCodes.TOO_BIG, "frame too large");
        }
        byte[] whole;
        if (frame.fin() && buffer == null) {
            whole = payload; // the common case: one unfragmented frame, no copy
        } else {
            append(payload);
            if (!frame.fin()) {
                return null;
            }
            whole = Arrays.copyOf(buffer, length);
        }
        int opcode = type;
        type = -1;
        buffer = null;
        length = 0;
        return opcode == Frame.TEXT ? new Text(utf8(whole)) : new Binary(whole.length);
    }

    /** Decodes strictly: malformed or unmappable UTF-8 is a violation, never replaced. */
    public static String utf8(byte[] bytes) throws ProtocolViolation {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolViolation(RfcCloseCodes.INVALID_DATA, "invalid UTF-8");
        }
    }

    private void append(byte[] payload) {
        if (buffer == null) {
            buffer = new byte[Math.max(256, payload.length * 2)];
        } else if (length + payload.length > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(length + payload.length, buffer.length * 2));
        }
        System.arraycopy(payload, 0, buffer, length, payload.length);
        length += payload.length;
    }
}
