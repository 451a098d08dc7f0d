package io.parley.chat.connection.websocket;

/**
 * What a socket's single writer can be asked to send. The writer frames each item (a 2-10 byte header) straight into
 * its batch buffer; the payload is never re-encoded per socket.
 */
public sealed interface Outgoing {

    int opcode();

    byte[] payload();

    /**
     * A text frame around UTF-8 JSON. Fan-out passes the same payload array to every recipient: the JSON is encoded
     * once per message, not once per socket.
     *
     * @param payload     the UTF-8 JSON
     * @param sampleSince for a frame chosen to measure delivery, when its message was accepted (epoch millis);
     *                    0 for the others. The writer reports it once the frame is written.
     */
    record Text(byte[] payload, long sampleSince) implements Outgoing {
        public Text(byte[] payload) {
            this(payload, 0);
        }

        @Override
        public int opcode() {
            return Frame.TEXT;
        }
    }

    record Ping() implements Outgoing {
        private static final byte[] EMPTY = new byte[0];

        @Override
        public int opcode() {
            return Frame.PING;
        }

        @Override
        public byte[] payload() {
            return EMPTY;
        }
    }

    /** The answer to a client's ping, with its payload (RFC 6455 §5.5.3). */
    record Pong(byte[] payload) implements Outgoing {
        @Override
        public int opcode() {
            return Frame.PONG;
        }
    }

    /** The last frame a socket sends; the reason is cut to fit a control frame. */
    record Close(int code, String reason) implements Outgoing {
        @Override
        public int opcode() {
            return Frame.CLOSE;
        }

        @Override
        public byte[] payload() {
            byte[] reasonBytes = WireFrames.truncatedUtf8(reason, 123);
            byte[] payload = new byte[2 + reasonBytes.length];
            payload[0] = (byte) (code >>> 8);
            payload[1] = (byte) code;
            System.arraycopy(reasonBytes, 0, payload, 2, reasonBytes.length);
            return payload;
        }
    }
}
